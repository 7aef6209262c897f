"""gradient_field: a 2-D function's contours, its gradient arrows, and the derivative along a direction.

Every arrow is computed by minitorch's autograd (``f(points).sum().backward()`` on a grid of points).
Three sliders move a point and turn a direction ``u = (cos angle, sin angle)``. At the point the plot
shows the gradient (red: steepest ascent, perpendicular to the contour line), its negative (blue:
steepest descent) and ``u`` (green). The right panel is the slice ``g(t) = f(p + t u)``: its slope
at ``t = 0`` is the directional derivative ``D_u f = grad f . u``, drawn as the tangent line. It is
largest, ``|grad f|``, when ``u`` points along the gradient, and 0 along the contour.
"""
import numpy as np

from ._contours import RESOLUTION, draw_contours
from ._evaluate import grid, value_and_grad
from ._limits import sticky
from ._widget_base import Widget, slider
from .surfaces import SURFACES

ARROWS = 15        # arrows per side of the grid
SLICE_POINTS = 61


class GradientField(Widget):
    """The widget behind ``gradient_field`` (see the module doc). State: ``point``, ``value``,
    ``gradient``, ``direction``, ``directional_derivative``; ``field_points``/``field_gradients``."""

    def __init__(self, f=None, xlim=None, ylim=None, point=None):
        super().__init__(figsize=(10, 4.6))
        surface = _surface_named(f)
        self.f = surface.function if surface else f
        xlim = xlim or (surface.xlim if surface else (-3, 3))
        ylim = ylim or (surface.ylim if surface else (-3, 3))
        self.log_contours = bool(surface and surface.log_contours)
        self.xlim, self.ylim = xlim, ylim
        start = point or (surface.start if surface else (0.5 * xlim[1], 0.5 * ylim[1]))
        self._add("x", slider("x", start[0], *xlim))
        self._add("y", slider("y", start[1], *ylim))
        self._add("angle", slider("direction angle (deg)", 45.0, -180.0, 180.0, 1.0))
        self._field_drawn = False
        self._build_axes()
        self._start()

    def _build_axes(self):
        self.ax, self.slice_ax = self.figure.subplots(1, 2, width_ratios=(1.25, 1))
        self.ax.set_xlim(self.xlim)
        self.ax.set_ylim(self.ylim)
        self.ax.set_title("grey: direction of grad f on a grid (denser contours: steeper)\n"
                          "red: grad f at p   blue: -grad f (steepest descent)   green: u", fontsize=8)
        self.field = None
        length = 0.18 * (self.xlim[1] - self.xlim[0])
        self._arrow_length = length
        self.point_arrows = self.ax.quiver([0, 0, 0], [0, 0, 0], [1, 1, 1], [0, 0, 0],
                                           color=["#d62728", "#1f77b4", "#2ca02c"], angles="xy", scale_units="xy",
                                           scale=1, width=0.008, zorder=4)
        self.point_marker, = self.ax.plot([], [], "ko", ms=5, zorder=5)
        self.slice_line, = self.slice_ax.plot([], [], "k-", lw=1.5, label="g(t) = f(p + t u)")
        self.tangent_line, = self.slice_ax.plot([], [], "g--", lw=1.5, label="tangent, slope D_u f")
        self.slice_ax.axvline(0, color="0.6", lw=0.8)
        self.slice_ax.set_xlabel("t (distance along u)")
        self._moving(self.point_arrows, self.point_marker, self.slice_line, self.tangent_line)
        self._on_top(self.slice_ax.legend(loc="upper left", fontsize=8))

    def _draw_field(self):
        """Contours and the arrow grid: computed once (the function does not change)."""
        _, _, points = grid(self.xlim, self.ylim, RESOLUTION)
        values, _ = value_and_grad(self.f, points, need_grad=False)
        draw_contours(self.ax, self.f, self.xlim, self.ylim, log=self.log_contours, values=values)
        _, _, self.field_points = grid(self.xlim, self.ylim, ARROWS)
        _, self.field_gradients = value_and_grad(self.f, self.field_points)
        norms = np.linalg.norm(self.field_gradients, axis=1)
        directions = self.field_gradients / np.where(norms > 0, norms, 1)[:, None]
        self.field = self.ax.quiver(self.field_points[:, 0], self.field_points[:, 1], directions[:, 0],
                                    directions[:, 1], color="0.25", pivot="mid", angles="xy", width=0.004,
                                    zorder=3)
        self._field_drawn = True

    def _draw(self, x, y, angle):
        if not self._field_drawn:
            self._draw_field()
        self.point = np.array([x, y])
        (self.value,), (self.gradient,) = value_and_grad(self.f, self.point[None])
        self.direction = np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
        self.directional_derivative = float(self.gradient @ self.direction)
        norm = float(np.linalg.norm(self.gradient))
        unit = self.gradient / norm if norm > 0 else np.zeros(2)
        L = self._arrow_length
        self.point_marker.set_data([x], [y])
        self.point_arrows.set_offsets(np.tile(self.point, (3, 1)))
        self.point_arrows.set_UVC(L * np.array([unit[0], -unit[0], self.direction[0]]),
                                  L * np.array([unit[1], -unit[1], self.direction[1]]))
        self._draw_slice(norm)

    def _draw_slice(self, norm):
        reach = 0.5 * (self.xlim[1] - self.xlim[0])
        t = np.linspace(-reach, reach, SLICE_POINTS)
        g, _ = value_and_grad(self.f, self.point + t[:, None] * self.direction, need_grad=False)
        self.slice_line.set_data(t, g)
        self.tangent_line.set_data(t, self.value + self.directional_derivative * t)
        finite = g[np.isfinite(g)]
        if finite.size:  # limits that follow the slice only when needed: new limits cost a full redraw
            self.slice_ax.set_ylim(sticky(self.slice_ax.get_ylim(), finite.min(), finite.max()))
        self.slice_ax.set_xlim(t[0], t[-1])
        self._show_readout(f"f(p) = {self.value:.4g}    grad f = ({self.gradient[0]:.4g}, {self.gradient[1]:.4g})    "
                           f"|grad f| = {norm:.4g} (steepest slope)    "
                           f"D_u f = grad f . u = {self.directional_derivative:.4g}")
        if not np.all(np.isfinite(self.gradient)):
            self.say("the gradient at this point is not finite (inf or nan): f is not differentiable here.")


def _surface_named(f):
    """The built-in surface ``f`` names (the quadratic for None), or None for a learner's function."""
    if f is None:
        return SURFACES["ill-conditioned quadratic"]
    if not isinstance(f, str):
        return None
    if f not in SURFACES:
        raise ValueError(f"unknown surface {f!r}; choose one of {sorted(SURFACES)} or pass a function")
    return SURFACES[f]


def gradient_field(f=None, xlim=None, ylim=None, point=None):
    """Contours and autograd gradient arrows of ``f`` (a minitorch function of a (2,) tensor, or the
    name of a surface in ``minitorch.viz.SURFACES``), with a movable point and direction."""
    return GradientField(f, xlim, ylim, point)
