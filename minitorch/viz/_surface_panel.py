"""A contour panel that can switch between the built-in surfaces, and the loss panel beside it.

Used by the widgets that race paths over a surface (descent_explorer, optimizer_race). The
contours are redrawn only when the surface changes; moving a path is ``set_data`` on its line.
The loss panel's limits change rarely (see ``_limits``): new limits cost a full redraw.
"""
import numpy as np

from ._contours import draw_contours
from ._limits import sticky_count, sticky_decades
from .surfaces import SURFACES

LOSS_FLOOR = 1e-16   # losses are drawn on a log axis: exact zeros are shown at this floor


class SurfacePanel:
    """Contours of the chosen surface on ``ax``, with its minima marked."""

    def __init__(self, ax):
        self.ax = ax
        self.surface = None
        self._contour_artists = []
        self.minima, = ax.plot([], [], "*", color="gold", mec="k", ms=13, zorder=5, label="minimum")

    def show(self, name):
        """Switch to surface ``name`` (a key of SURFACES); nothing to do if it is already shown."""
        if self.surface is not None and self.surface.name == name:
            return
        self.surface = SURFACES[name]
        for artist in self._contour_artists:
            artist.remove()
        before = set(self.ax.collections)
        draw_contours(self.ax, self.surface.function, self.surface.xlim, self.surface.ylim,
                      log=self.surface.log_contours)
        self._contour_artists = [c for c in self.ax.collections if c not in before]
        self.minima.set_data(*np.array(self.surface.minima).T)
        self.ax.set_title(name)


def with_surface_defaults(panel, values, lr_name=None):
    """``values`` plus the start point (and learning rate) of a newly chosen surface, unless given."""
    name = values.get("surface")
    if name is None or (panel.surface is not None and panel.surface.name == name):
        return values
    surface = SURFACES[name]
    defaults = {"x0": surface.start[0], "y0": surface.start[1]}
    if lr_name:
        defaults[lr_name] = surface.lr
    return {**defaults, **values}


def show_losses(ax, lines, paths):
    """Put each path's loss curve on its line and keep the log axis fitted to them (in whole decades)."""
    top, bottom = 1e-300, np.inf
    for line, path in zip(lines, paths):
        losses = np.maximum(path.losses, LOSS_FLOOR)
        line.set_data(np.arange(len(losses)), losses)
        finite = losses[np.isfinite(losses)]
        if finite.size:
            top, bottom = max(top, finite.max()), min(bottom, finite.min())
    longest = max(len(path.losses) for path in paths)
    ax.set_xlim(0, sticky_count(ax.get_xlim()[1], longest - 1))
    if np.isfinite(bottom):
        ax.set_ylim(sticky_decades(ax.get_ylim(), bottom, top))
