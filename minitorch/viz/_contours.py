"""Contour plots of a 2-D function, shared by the widgets that draw paths on a surface."""
import numpy as np

import minitorch

from ._evaluate import grid

RESOLUTION = 60


def function_values(f, points):
    """f at each row of an (N, 2) array, in one batched minitorch call (no gradient needed)."""
    with minitorch.no_grad():
        values = f(minitorch.tensor(points, dtype=minitorch.float64))
    return values.numpy().reshape(-1)


def draw_contours(ax, f, xlim, ylim, log=False, levels=20, values=None):
    """Filled contours of f on ``ax`` (levels spaced in log f when ``log``); returns the contour set.

    ``values``: f already evaluated on the ``RESOLUTION`` x ``RESOLUTION`` grid, if the caller has it.
    """
    X, Y, points = grid(xlim, ylim, RESOLUTION)
    Z = (function_values(f, points) if values is None else np.asarray(values)).reshape(X.shape)
    if log:
        Z = np.log10(Z - Z.min() + 1e-3)
    contours = ax.contourf(X, Y, Z, levels=levels, cmap="viridis", alpha=0.55)
    ax.contour(X, Y, Z, levels=levels, colors="k", linewidths=0.3, alpha=0.5)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_aspect("equal", adjustable="box")
    return contours
