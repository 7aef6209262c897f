"""descent_explorer: plain gradient descent, p <- p - lr * grad f(p), on the classic test surfaces.

The path is computed by ``minitorch.optim.SGD`` with minitorch's autograd, the ordinary training
loop on a 2-D "model". Things to try:
- the ill-conditioned quadratic (Hessian diag(1, 20)): lr < 2/20 = 0.1 converges, zig-zagging across
  the narrow valley while it crawls along it; lr above 0.1 diverges (and the widget says so);
- Rosenbrock: the valley floor is curved, and a learning rate small enough to stay stable in the
  steep walls makes progress along the floor painfully slow;
- Himmelblau: four minima; which one you reach depends on where you start.
Choosing a surface resets the learning rate and start point to ones that work there.
"""
from ..optim import SGD
from ._paths import ESCAPE, Runs
from ._surface_panel import SurfacePanel, show_losses, with_surface_defaults
from ._widget_base import Widget, dropdown, log_slider, slider
from .surfaces import SURFACES


class DescentExplorer(Widget):
    """The widget behind ``descent_explorer``. State: ``path`` (a Path: ``points``, ``losses``,
    ``diverged_at``) and ``message``."""

    def __init__(self, surface="ill-conditioned quadratic"):
        super().__init__(figsize=(11, 4.4))
        s = SURFACES[surface]
        self._add("surface", dropdown("surface", list(SURFACES), surface))
        self._add("lr", log_slider("learning rate", s.lr, 1e-5, 1.0))
        self._add("x0", slider("start x", s.start[0], -5.0, 5.0, 0.05))
        self._add("y0", slider("start y", s.start[1], -5.0, 5.0, 0.05))
        self._add("steps", slider("steps", 100, 1, 300, integer=True))
        self.path_ax, self.loss_ax = self.figure.subplots(1, 2)
        self.panel = SurfacePanel(self.path_ax)
        self.path_line, = self.path_ax.plot([], [], "o-", color="#d62728", ms=2.5, lw=1.2, zorder=4)
        self.start_marker, = self.path_ax.plot([], [], "o", color="w", mec="k", ms=7, zorder=5)
        self.end_marker, = self.path_ax.plot([], [], "X", color="#d62728", mec="k", ms=9, zorder=6)
        self.loss_line, = self.loss_ax.plot([], [], color="#d62728", lw=1.5)
        self.loss_ax.set(yscale="log", xlabel="step", ylabel="f(p)", title="loss (log scale)")
        self.loss_ax.minorticks_off()  # dozens of minor ticks over many decades: slow to draw, little to read
        self._moving(self.path_line, self.start_marker, self.end_marker, self.panel.minima, self.loss_line)
        self._runs, self._runs_for = None, None
        self._start()

    def _static_state(self):
        return self.panel.surface and self.panel.surface.name   # the contours show this surface

    def update(self, **values):
        """As Widget.update; choosing another surface also resets lr and start unless they are given."""
        return super().update(**with_surface_defaults(self.panel, values, lr_name="lr"))

    def _draw(self, surface, lr, x0, y0, steps):
        self.panel.show(surface)
        if self._runs_for != (surface, lr, x0, y0):  # else only the steps changed: continue the same run
            self._runs = Runs(self.panel.surface.function, (x0, y0), [lambda p: SGD(p, lr=lr)])
            self._runs_for = (surface, lr, x0, y0)
        self.path, = self._runs.paths(steps)
        points = self.path.points
        self.path_line.set_data(points[:, 0], points[:, 1])
        self.start_marker.set_data([x0], [y0])
        self.end_marker.set_data(points[-1:, 0], points[-1:, 1])
        show_losses(self.loss_ax, [self.loss_line], [self.path])
        if self.path.diverged:
            self.say(f"Diverged at step {self.path.diverged_at}: the point flew off (|p| > {ESCAPE:.0e} or an "
                     f"infinite loss); the path is drawn up to there. lr = {lr:.3g} is too large for the steepest "
                     "curvature it met: try a smaller learning rate.")


def descent_explorer(surface="ill-conditioned quadratic"):
    """Gradient descent (minitorch.optim.SGD) on a chosen surface, with learning rate (log), start
    point and step count sliders; the path on the contours beside the loss curve (log scale)."""
    return DescentExplorer(surface)
