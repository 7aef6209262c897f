r"""momentum_explorer: heavy-ball and Nesterov momentum on a quadratic, beside the theory.

The problem (after Goh, "Why Momentum Really Works", Distill 2017): f(w) = 1/2 w^T A w with A's
eigenvalues mu = 1/kappa and L = 1 (condition number kappa = L/mu), its eigenvectors q_1, q_2
turned 30 degrees from the axes. Both methods are ``minitorch.optim.SGD``:

    heavy ball (momentum=beta):           z <- beta z + grad f(w);  w <- w - alpha z
    Nesterov   (momentum=beta, nesterov): z <- beta z + grad f(w);  w <- w - alpha (grad f(w) + beta z)

Along eigenvector q_i the error obeys a 2-term linear recurrence, so it shrinks like |r_i|^t where
r_i is the larger root of
    heavy ball: r^2 - (1 + beta - alpha lambda_i) r + beta = 0
    Nesterov:   r^2 - (1 + beta)(1 - alpha lambda_i) r + beta (1 - alpha lambda_i) = 0
and the whole error like rate^t, rate = max_i |r_i| (above 1: divergence). Goh's optimal heavy ball:

    alpha* = (2 / (sqrt(L) + sqrt(mu)))^2,   beta* = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))^2,
    rate*  = sqrt(beta*) = (sqrt(kappa) - 1) / (sqrt(kappa) + 1)

against (kappa - 1) / (kappa + 1) for the best plain gradient descent. The widget measures the
rate from the path (the slope of log |w_t - w*| over the second half of the run) and shows it
next to the theoretical one.
"""
import numpy as np

import minitorch

from ..optim import SGD
from ._limits import sticky_count
from ._paths import Runs
from ._surface_panel import show_losses
from ._widget_base import Widget, dropdown, log_slider, slider

ANGLE = np.radians(30)
EIGENVECTORS = np.array([[np.cos(ANGLE), -np.sin(ANGLE)], [np.sin(ANGLE), np.cos(ANGLE)]])  # columns q_1, q_2
START = EIGENVECTORS @ np.array([-1.0, 0.6])
METHODS = {"heavy ball": "#d62728", "Nesterov": "#1f77b4"}
LEVELS = (0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)   # contour ellipses, as multiples of the start's |w|


def optimal_settings(kappa):
    """Goh's optimal heavy-ball step size and momentum for eigenvalues in [1/kappa, 1], and the rate."""
    mu, L = 1.0 / kappa, 1.0
    alpha = (2 / (np.sqrt(L) + np.sqrt(mu))) ** 2
    beta = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    return alpha, beta, np.sqrt(beta)


def root_modulus(method, alpha, beta, eigenvalue):
    """|largest root| of the method's characteristic polynomial along an eigenvalue (module doc)."""
    if method == "heavy ball":
        b, c = -(1 + beta - alpha * eigenvalue), beta
    else:
        b, c = -(1 + beta) * (1 - alpha * eigenvalue), beta * (1 - alpha * eigenvalue)
    return float(np.max(np.abs(np.roots([1.0, b, c]))))


def measured_rate(points):
    """exp(slope of log |w_t|) fitted over the second half of a path (the minimum is at 0)."""
    errors = np.linalg.norm(points, axis=1)
    t = np.arange(len(errors))[len(errors) // 2:]
    errors = errors[len(errors) // 2:]
    keep = errors > 1e-250
    if keep.sum() < 2:
        return None
    return float(np.exp(np.polyfit(t[keep], np.log(errors[keep]), 1)[0]))


class MomentumExplorer(Widget):
    """The widget behind ``momentum_explorer``. State: ``paths``, ``measured_rate`` and
    ``theoretical_rate`` (dicts by method), ``optimal`` (alpha*, beta*, rate*), ``eigen_components``."""

    def __init__(self, kappa=50.0, alpha=1.0, beta=0.5, steps=100):
        super().__init__(figsize=(13, 4.4))
        self._add("kappa", log_slider("condition number kappa", kappa, 1.0, 1000.0))
        self._add("alpha", slider("step size alpha", alpha, 0.0, 4.0, 0.01))
        self._add("beta", slider("momentum beta", beta, 0.0, 0.999, 0.001))
        self._add("steps", slider("steps", steps, 20, 300, integer=True))
        self._add("eigen_view", dropdown("eigen view of", list(METHODS), "heavy ball"))
        self._add_button("optimal alpha, beta", self.set_optimal)
        self._build_axes()
        self._runs, self._runs_for = None, None
        self._start()

    def set_optimal(self):
        """What the button does: set Goh's optimal heavy-ball alpha* and beta* for the current kappa."""
        alpha, beta, _ = optimal_settings(self.controls["kappa"].value)
        self.update(alpha=alpha, beta=beta)

    def _build_axes(self):
        self.path_ax, self.loss_ax, self.eigen_ax = self.figure.subplots(1, 3)
        self.ellipses = [self.path_ax.plot([], [], color="0.6", lw=0.8)[0] for _ in LEVELS]
        for q in EIGENVECTORS.T:
            self.path_ax.plot([-2 * q[0], 2 * q[0]], [-2 * q[1], 2 * q[1]], ls=":", color="0.3", lw=0.8)
        self.path_lines, self.loss_lines, self.theory_lines = {}, {}, {}
        for name, color in METHODS.items():
            self.path_lines[name], = self.path_ax.plot([], [], "o-", color=color, ms=2, lw=1, label=name)
            self.loss_lines[name], = self.loss_ax.plot([], [], color=color, lw=1.5, label=f"{name} (measured)")
            self.theory_lines[name], = self.loss_ax.plot([], [], color=color, lw=1, ls="--", label="rate^(2t) theory")
        start_marker, = self.path_ax.plot(*START, "o", color="w", mec="k", ms=7, zorder=5)
        self.path_ax.set(xlim=(-1.3, 1.3), ylim=(-1.3, 1.3), aspect="equal",
                         title="paths (dotted: eigenvectors q1 (mu), q2 (L))")
        self.loss_ax.set(yscale="log", xlabel="step t", title="f(w_t) - f*")
        self.loss_ax.minorticks_off()  # dozens of minor ticks over many decades: slow to draw, little to read
        self.component_lines = [self.eigen_ax.plot([], [], color=c, lw=1.5, label=f"along q{i + 1}")[0]
                                for i, c in enumerate(("#2ca02c", "#9467bd"))]
        self.envelopes = [self.eigen_ax.plot([], [], color=c, lw=0.8, ls="--")[0] for c in ("#2ca02c", "#9467bd")]
        self.eigen_ax.axhline(0, color="k", lw=0.6)
        self.eigen_ax.set(ylim=(-1.6, 1.6), xlabel="step t")
        self.eigen_ax.set_title("eigen view: error along q_i / its start\n(dashed: +-|r_i|^t)", fontsize=9)
        legends = (self.path_ax.legend(loc="lower right", fontsize=8),
                   self.loss_ax.legend(loc="lower left", fontsize=7),
                   self.eigen_ax.legend(loc="upper right", fontsize=8))
        self._moving(*self.ellipses, *self.path_lines.values(), start_marker, *self.loss_lines.values(),
                     *self.theory_lines.values(), *self.component_lines, *self.envelopes)
        self._on_top(*legends)

    def _draw(self, kappa, alpha, beta, steps, eigen_view):
        eigenvalues = np.array([1.0 / kappa, 1.0])
        self._draw_ellipses(eigenvalues)
        if self._runs_for != (kappa, alpha, beta):  # else only the steps changed: continue the same runs
            self._runs = Runs(_quadratic(eigenvalues), START, _optimizers(alpha, beta))
            self._runs_for = (kappa, alpha, beta)
        self.paths = dict(zip(METHODS, self._runs.paths(steps)))
        self.optimal = optimal_settings(kappa)
        self.theoretical_rate, self.measured_rate = {}, {}
        for name, path in self.paths.items():
            self.theoretical_rate[name] = max(root_modulus(name, alpha, beta, lam) for lam in eigenvalues)
            self.measured_rate[name] = None if path.diverged else measured_rate(path.points)
            self.path_lines[name].set_data(path.points[:, 0], path.points[:, 1])
            t = np.arange(steps + 1)
            with np.errstate(over="ignore", divide="ignore"):  # a rate of 0 or far above 1 is still drawable
                self.theory_lines[name].set_data(t, path.losses[0] * self.theoretical_rate[name] ** (2.0 * t))
            if path.diverged:
                self.say(f"{name} diverges (step {path.diverged_at}): its theoretical rate "
                         f"{self.theoretical_rate[name]:.3f} is above 1. Lower alpha or beta.")
        show_losses(self.loss_ax, list(self.loss_lines.values()), list(self.paths.values()))
        self._draw_eigen_view(self.paths[eigen_view], eigen_view, alpha, beta, eigenvalues)
        self._show_readout(self._rates_text(kappa))

    def _draw_ellipses(self, eigenvalues):
        """Level sets of f: ellipses with half-axes proportional to 1/sqrt(lambda_i) along q_i."""
        level = 0.5 * np.sum(eigenvalues * (EIGENVECTORS.T @ START) ** 2)
        angle = np.linspace(0, 2 * np.pi, 100)
        for scale, line in zip(LEVELS, self.ellipses):
            radii = scale * np.sqrt(2 * level / eigenvalues)
            ellipse = EIGENVECTORS @ np.stack([radii[0] * np.cos(angle), radii[1] * np.sin(angle)])
            line.set_data(ellipse[0], ellipse[1])

    def _draw_eigen_view(self, path, name, alpha, beta, eigenvalues):
        components = path.points @ EIGENVECTORS
        self.eigen_components = components / np.abs(components[0])
        t = np.arange(len(components))
        for i, (line, envelope) in enumerate(zip(self.component_lines, self.envelopes)):
            line.set_data(t, self.eigen_components[:, i])
            r = root_modulus(name, alpha, beta, eigenvalues[i])
            with np.errstate(over="ignore"):
                envelope.set_data(np.r_[t, np.nan, t], np.r_[r ** t, np.nan, -(r ** t)])
        self.eigen_ax.set_xlim(0, sticky_count(self.eigen_ax.get_xlim()[1], len(t) - 1))

    def _rates_text(self, kappa):
        alpha, beta, rate = self.optimal
        parts = [f"{name}: measured rate {self._measured_text(name)}, theory {self.theoretical_rate[name]:.4f}"
                 for name in METHODS]
        return ("   |   ".join(parts) + f"\noptimal heavy ball for kappa = {kappa:.3g}:  alpha* = (2/(sqrt L + sqrt mu))^2"
                f" = {alpha:.4f},  beta* = ((sqrt kappa - 1)/(sqrt kappa + 1))^2 = {beta:.4f}\nrate* = sqrt(beta*) = "
                f"{rate:.4f}   (best plain gradient descent: (kappa - 1)/(kappa + 1) = {(kappa - 1) / (kappa + 1):.4f})")

    def _measured_text(self, name):
        if self.paths[name].diverged:
            return "diverged"
        rate = self.measured_rate[name]
        return "n/a (converged exactly)" if rate is None else f"{rate:.4f}"


def _optimizers(alpha, beta):
    """Factories of the heavy-ball and the Nesterov optimizer (minitorch.optim.SGD)."""
    if beta == 0:  # torch's SGD refuses nesterov without momentum; with beta = 0 both are plain descent
        return [lambda p: SGD(p, lr=alpha)] * 2
    return [lambda p: SGD(p, lr=alpha, momentum=beta), lambda p: SGD(p, lr=alpha, momentum=beta, nesterov=True)]


def _quadratic(eigenvalues):
    """f(w) = 1/2 sum_i lambda_i (q_i . w)^2, for a point (2,) or a batch (n, 2), in minitorch."""
    q = minitorch.tensor(EIGENVECTORS, dtype=minitorch.float64)
    lam = minitorch.tensor(eigenvalues, dtype=minitorch.float64)

    def f(w):
        c = w @ q
        return 0.5 * (lam * c * c).sum(-1)
    return f


def momentum_explorer(kappa=50.0, alpha=1.0, beta=0.5, steps=100):
    """Heavy-ball and Nesterov momentum on a quadratic of condition number kappa: the paths, the loss
    curves, the measured against the theoretical convergence rate, the per-eigenvector errors, and
    a button that sets Goh's optimal step size and momentum."""
    return MomentumExplorer(kappa, alpha, beta, steps)
