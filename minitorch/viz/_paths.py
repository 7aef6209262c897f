"""Run minitorch optimizers on a 2-D function and record the path each one takes.

Every optimizer gets its own point (a (2,) tensor with requires_grad) and they all move together.
Each step is the ordinary training loop (forward, backward, step) done for all of them at once:
the points are gathered into one batch (an (n, 2) leaf tensor), f is evaluated on the batch in
one call, one backward gives every row its gradient, each point receives its row as ``.grad``,
and each optimizer takes its ``step()``.

``Runs`` keeps the optimizers, so a run can be continued: asking for more steps than before
computes only the new ones (that is what makes a "steps" slider cheap to drag).

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


class Runs:
    """Optimizers started together on f from ``start``, one per factory in ``make_optimizers``
    (params -> Optimizer). f must accept a batch of points of shape (n, 2)."""

    def __init__(self, f, start, make_optimizers):
        self.f = f
        self.params = [minitorch.tensor(start, dtype=minitorch.float64, requires_grad=True) for _ in make_optimizers]
        self.optimizers = [make([p]) for make, p in zip(make_optimizers, self.params)]
        self.points, self.losses = [], []     # one (n, 2) array and one (n,) array per step taken so far
        self.diverged_at = [None] * len(self.params)
        self._gradients = None                # at the last recorded points

    def paths(self, steps):
        """One Path per optimizer, ``steps`` steps long (or up to its divergence); runs on as needed."""
        while len(self.points) <= steps:
            self._advance()
        points, losses = np.array(self.points[:steps + 1]), np.array(self.losses[:steps + 1])
        ends = [steps + 1 if d is None or d > steps else d for d in self.diverged_at]
        return [Path(points[:end, i], losses[:end, i], None if end == steps + 1 else end)
                for i, end in enumerate(ends)]

    def _advance(self):
        """Step each live optimizer (after the first call), then record where they all are."""
        if self.points:
            for i, (p, optimizer) in enumerate(zip(self.params, self.optimizers)):
                if self.diverged_at[i] is None:
                    p.grad = minitorch.from_numpy(self._gradients[i])
                    optimizer.step()
        points = np.array([p.detach().numpy() for p in self.params])
        batch = minitorch.from_numpy(points).requires_grad_()
        values = self.f(batch)
        self.points.append(points)
        self.losses.append(values.detach().numpy().copy())
        values.backward(minitorch.ones_like(values))   # the gradient of sum(values): each row's own
        self._gradients = batch.grad.numpy()
        self._freeze_escaped()

    def _freeze_escaped(self):
        """Runs whose newest point or loss is non-finite or far away diverge here: put them back."""
        step, points = len(self.points) - 1, self.points[-1]
        escaped = ~np.isfinite(self.losses[-1]) | ~(np.linalg.norm(points, axis=1) <= ESCAPE)
        for i in np.flatnonzero(escaped):
            if self.diverged_at[i] is None:
                self.diverged_at[i] = step
                with minitorch.no_grad():
                    self.params[i].copy_(minitorch.tensor(self.points[max(step - 1, 0)][i], dtype=minitorch.float64))


def run_together(f, start, make_optimizers, steps):
    """One Path per optimizer after ``steps`` steps of each (see Runs)."""
    return Runs(f, start, make_optimizers).paths(steps)
