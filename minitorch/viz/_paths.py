"""Run minitorch optimizers on a 2-D function and record the path each one takes.

Every optimizer gets its own point (a (2,) tensor with requires_grad) and they all move together.
Each step is the ordinary training loop (forward, backward, step) done for all of them at once:
the points are gathered into one batch (an (n, 2) leaf tensor), f is evaluated on the batch in
one call, one backward gives every row its gradient, each point receives its row as ``.grad``,
and each optimizer takes its ``step()``.

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
        points[step] = [p.detach().numpy() for p in params]
        batch = minitorch.tensor(points[step], dtype=minitorch.float64, requires_grad=True)
        values = f(batch)
        losses[step] = values.detach().numpy()
        _freeze_escaped(params, points, losses, step, diverged_at)
        if step == steps:
            break
        values.sum().backward()
        for i, (p, optimizer) in enumerate(zip(params, optimizers)):
            if diverged_at[i] is None:
                p.grad = batch.grad[i]
                optimizer.step()
    return [Path(points[:_end(d, steps), i].copy(), losses[:_end(d, steps), i].copy(), d)
            for i, d in enumerate(diverged_at)]


def _freeze_escaped(params, points, losses, step, diverged_at):
    """Runs whose point or loss at ``step`` is non-finite or far away diverge here: put them back."""
    escaped = ~np.isfinite(losses[step]) | ~(np.linalg.norm(points[step], axis=1) <= ESCAPE)
    for i in np.flatnonzero(escaped):
        if diverged_at[i] is None:
            diverged_at[i] = step
            with minitorch.no_grad():
                params[i].copy_(minitorch.tensor(points[max(step - 1, 0), i], dtype=minitorch.float64))


def _end(diverged_at, steps):
    """How many recorded points to keep: all of them, or those before the divergence."""
    return steps + 1 if diverged_at is None else diverged_at
