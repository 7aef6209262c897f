"""Run minitorch optimizers on a 2-D function and record the path each one takes.

Every optimizer gets its own point (a (2,) tensor with requires_grad) and they all move together:
each step evaluates f at all the points in one batched call (``f(stack(points))``), one backward
gives every point its gradient, and each optimizer then takes its ``step()``. This is the ordinary
training loop (zero_grad, forward, backward, step) with several models at once.

A run that leaves the finite world (a non-finite loss, or a point farther than ``ESCAPE`` from
the origin) has *diverged*: it is frozen at its last good point and ``diverged_at`` records the
step, so the widget can say so and draw the path up to there.
"""
from dataclasses import dataclass

import numpy as np

import minitorch

ESCAPE = 1e4


@dataclass
class Path:
    """Where one optimizer went: points (k+1, 2), the loss at each point, and the divergence step."""

    points: np.ndarray
    losses: np.ndarray
    diverged_at: int = None

    @property
    def diverged(self):
        return self.diverged_at is not None


def run_together(f, start, make_optimizers, steps):
    """Optimise f from ``start`` with each factory in ``make_optimizers`` (params -> Optimizer).

    Returns one Path per optimizer. f must accept a batch of points of shape (n, 2).
    """
    params = [minitorch.tensor(start, dtype=minitorch.float64, requires_grad=True) for _ in make_optimizers]
    optimizers = [make([p]) for make, p in zip(make_optimizers, params)]
    points = np.empty((steps + 1, len(params), 2))
    losses = np.empty((steps + 1, len(params)))
    diverged_at = [None] * len(params)
    for step in range(steps + 1):
        for optimizer in optimizers:
            optimizer.zero_grad()
        values = f(minitorch.stack(params))
        points[step] = [p.detach().numpy() for p in params]
        losses[step] = values.detach().numpy()
        for i in np.flatnonzero(~np.isfinite(losses[step])):
            if diverged_at[i] is None:
                diverged_at[i] = step
                _put_back(params[i], points[step - 1, i])
        if step == steps:
            break
        values.sum().backward()
        for i, optimizer in enumerate(optimizers):
            if diverged_at[i] is None:
                optimizer.step()
                diverged_at[i] = _check_escape(params[i], points[step, i], step + 1)
    return [Path(points[:_end(d, steps), i].copy(), losses[:_end(d, steps), i].copy(), d)
            for i, d in enumerate(diverged_at)]


def _check_escape(param, last_good, step):
    """The step number if ``param`` has escaped (and put it back at its last good point), else None."""
    value = param.detach().numpy()
    if np.all(np.isfinite(value)) and np.linalg.norm(value) <= ESCAPE:
        return None
    _put_back(param, last_good)
    return step


def _put_back(param, point):
    with minitorch.no_grad():
        param.copy_(minitorch.tensor(point, dtype=minitorch.float64))


def _end(diverged_at, steps):
    """How many recorded points to keep: all of them, or those before the divergence."""
    return steps + 1 if diverged_at is None else diverged_at
