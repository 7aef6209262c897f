"""optimizer_race: minitorch's optimizers started together from the same point on the same surface.

All runs share one training loop (see ``_paths.run_together``): each step evaluates the surface at
every optimizer's point, one backward gives all the gradients, each optimizer steps. The "race
time" slider (and its play button) moves every runner to where it was after t steps; the loss
panel shows the whole race with a line at t.

Plain SGD uses the surface's gradient-descent learning rate and the momentum methods half of it
(momentum 0.9 makes a steady step 10 times longer); Adam and RMSprop, which divide by a running
gradient size, use a rate of their own. The "lr scale" slider multiplies them all.
Things to try: Rosenbrock's curved valley (momentum overshoots the bend, Adam's per-coordinate
steps follow it), Beale's flat plateau (adaptive methods keep going where SGD stalls), and the
lr scale at 3-10 (who diverges first?).
"""
import ipywidgets as widgets

from ..optim import SGD, Adam, RMSprop
from ._paths import run_together
from ._surface_panel import SurfacePanel, show_losses, with_surface_defaults
from ._widget_base import Widget, dropdown, log_slider, slider
from .surfaces import SURFACES

STEPS = 200
RUNNERS = {  # name: (colour, factory(params, surface, lr_scale))
    "SGD": ("#7f7f7f", lambda p, s, k: SGD(p, lr=s.lr * k)),
    "momentum 0.9": ("#d62728", lambda p, s, k: SGD(p, lr=s.lr * k / 2, momentum=0.9)),
    "Nesterov 0.9": ("#ff7f0e", lambda p, s, k: SGD(p, lr=s.lr * k / 2, momentum=0.9, nesterov=True)),
    "RMSprop": ("#2ca02c", lambda p, s, k: RMSprop(p, lr=s.adaptive_lr * k)),
    "Adam": ("#1f77b4", lambda p, s, k: Adam(p, lr=s.adaptive_lr * k)),
}


class OptimizerRace(Widget):
    """The widget behind ``optimizer_race``. State: ``paths`` ({name: Path}) and ``positions``
    ({name: the point shown at race time t})."""

    def __init__(self, surface="Rosenbrock"):
        super().__init__(figsize=(11, 4.6))
        s = SURFACES[surface]
        self._add("surface", dropdown("surface", list(SURFACES), surface))
        # these three rerun the whole race (5 optimizers x 200 steps): recompute when the slider is let go
        self._add("lr_scale", log_slider("lr scale", 1.0, 0.1, 10.0, continuous=False))
        self._add("x0", slider("start x", s.start[0], -5.0, 5.0, 0.05, continuous=False))
        self._add("y0", slider("start y", s.start[1], -5.0, 5.0, 0.05, continuous=False))
        time = self._add("t", slider("race time t", STEPS, 0, STEPS, integer=True))
        play = widgets.Play(min=0, max=STEPS, step=2, interval=80, value=STEPS, description="play")
        widgets.jslink((play, "value"), (time, "value"))
        self.extras.append(play)
        self._computed_for = None
        self._build_axes()
        self._start()

    def _build_axes(self):
        self.path_ax, self.loss_ax = self.figure.subplots(1, 2)
        self.panel = SurfacePanel(self.path_ax)
        self.path_lines, self.runners, self.loss_lines = {}, {}, {}
        for name, (color, _) in RUNNERS.items():
            self.path_lines[name], = self.path_ax.plot([], [], "-", color=color, lw=1.3, zorder=4)
            self.runners[name], = self.path_ax.plot([], [], "o", color=color, mec="k", ms=8, zorder=6, label=name)
            self.loss_lines[name], = self.loss_ax.plot([], [], color=color, lw=1.5, label=name)
        self.start_marker, = self.path_ax.plot([], [], "o", color="w", mec="k", ms=7, zorder=5)
        self.time_line = self.loss_ax.axvline(STEPS, color="k", lw=0.8, ls=":")
        self.loss_ax.set(yscale="log", xlabel="step", ylabel="f(p)", title="loss (log scale)")
        self.loss_ax.minorticks_off()  # dozens of minor ticks over many decades: slow to draw, little to read
        self._moving(*self.path_lines.values(), self.start_marker, self.panel.minima, *self.runners.values(),
                     *self.loss_lines.values(), self.time_line)
        self._on_top(self.loss_ax.legend(fontsize=8, loc="lower left"))

    def _static_state(self):
        return self.panel.surface and self.panel.surface.name   # the contours show this surface

    def update(self, **values):
        """As Widget.update; choosing another surface also resets the start point unless it is given."""
        return super().update(**with_surface_defaults(self.panel, values))

    def _draw(self, surface, lr_scale, x0, y0, t):
        self.panel.show(surface)
        settings = (surface, lr_scale, x0, y0)
        if settings != self._computed_for:  # moving only the race time reuses the paths
            self._run(settings)
        self.positions = {}
        for name, path in self.paths.items():
            shown = path.points[:t + 1]
            self.path_lines[name].set_data(shown[:, 0], shown[:, 1])
            self.positions[name] = shown[-1]
            self.runners[name].set_data(shown[-1:, 0], shown[-1:, 1])
        self.time_line.set_xdata([t, t])
        diverged = [f"{name} (step {p.diverged_at})" for name, p in self.paths.items() if p.diverged]
        if diverged:
            self.say(f"Diverged: {', '.join(diverged)}; their paths stop there. Lower the lr scale.")

    def _run(self, settings):
        surface, lr_scale, x0, y0 = settings
        s = SURFACES[surface]
        factories = [lambda p, make=make: make(p, s, lr_scale) for _, make in RUNNERS.values()]
        self.paths = dict(zip(RUNNERS, run_together(s.function, (x0, y0), factories, STEPS)))
        show_losses(self.loss_ax, list(self.loss_lines.values()), list(self.paths.values()))
        self.start_marker.set_data([x0], [y0])
        self._computed_for = settings


def optimizer_race(surface="Rosenbrock"):
    """SGD, momentum, Nesterov, RMSprop and Adam (all minitorch.optim) started together on a surface,
    with a race-time slider and play button."""
    return OptimizerRace(surface)
