"""loss_explorer: regression losses as functions of the residual, and how an outlier pulls each fit.

Left: each loss rho(r) of the residual r = y - prediction. Middle: its derivative rho'(r), computed
by minitorch's autograd. The derivative is the "pull" a point exerts on the fit: MSE pulls in
proportion to the residual (2r), so one far outlier dominates; MAE pulls with constant force
(sign r); Huber is MSE near 0 and MAE beyond ``delta``; log-cosh is a smooth Huber.

Right: a line fitted to the same points by each loss, with one outlier whose height you set.
Each fit minimises sum_i rho(r_i) by iteratively reweighted least squares: repeat
"solve the weighted least squares problem with weights w_i = rho'(r_i) / r_i", which is the
condition grad = 0 written as a weighted least squares problem (Huber 1964; Holland & Welsch 1977).
"""
import math

import numpy as np

import minitorch

from ._widget_base import Widget, dropdown, slider

RESIDUALS = np.linspace(-3, 3, 241)
IRLS_STEPS = 60
SMALLEST_RESIDUAL = 1e-6   # MAE's weight 1/|r| is capped here


def mse(r, delta):
    """rho(r) = r^2."""
    return r * r


def mae(r, delta):
    """rho(r) = |r|."""
    return r.abs()


def huber(r, delta):
    """rho(r) = r^2 / 2 for |r| <= delta, delta (|r| - delta / 2) beyond (torch.nn.HuberLoss, per element)."""
    a = r.abs()
    return minitorch.where(a <= delta, 0.5 * r * r, delta * (a - 0.5 * delta))


def log_cosh(r, delta):
    """rho(r) = log cosh r, computed stably as |r| + log(1 + e^(-2|r|)) - log 2."""
    a = r.abs()
    return a + (-2 * a).exp().log1p() - math.log(2)


LOSSES = {"MSE": mse, "MAE": mae, "Huber": huber, "log-cosh": log_cosh}
COLORS = {"MSE": "#1f77b4", "MAE": "#d62728", "Huber": "#2ca02c", "log-cosh": "#9467bd"}


def loss_and_derivative(loss, r, delta):
    """rho(r) and rho'(r) for an array of residuals, the derivative by autograd."""
    residuals = minitorch.tensor(r, dtype=minitorch.float64, requires_grad=True)
    values = loss(residuals, delta)
    derivative, = minitorch.autograd.grad(values.sum(), residuals)
    return values.detach().numpy().copy(), derivative.numpy().copy()


def robust_fit(loss, x, y, delta):
    """(slope, intercept) minimising sum rho(y - slope x - intercept), by IRLS from the least squares line."""
    design = np.stack([x, np.ones_like(x)], axis=1)
    coefficients = np.linalg.lstsq(design, y, rcond=None)[0]
    for _ in range(IRLS_STEPS):
        r = np.maximum(np.abs(y - design @ coefficients), SMALLEST_RESIDUAL)
        _, derivative = loss_and_derivative(loss, r, delta)
        root_weights = np.sqrt(derivative / r)
        new = np.linalg.lstsq(design * root_weights[:, None], y * root_weights, rcond=None)[0]
        if np.allclose(new, coefficients, rtol=0, atol=1e-10):
            break
        coefficients = new
    return coefficients


def regression_data(n=14, seed=0):
    """x and y of points near the line y = 0.5 x + 1 (the widget moves the last one: the outlier)."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 10, n)
    return x, 0.5 * x + 1 + rng.normal(0, 0.4, n)


class LossExplorer(Widget):
    """The widget behind ``loss_explorer``. State: ``curves`` and ``derivatives`` (by loss name),
    ``fits`` ({loss: (slope, intercept)}), ``x``, ``y`` (the outlier is the last point)."""

    def __init__(self):
        super().__init__(figsize=(12, 4))
        self._add("delta", slider("Huber delta", 1.0, 0.1, 3.0, 0.05))
        self._add("outlier_y", slider("outlier y", 20.0, -10.0, 30.0, 0.5))
        self._add("highlight", dropdown("highlight", ["all"] + list(LOSSES), "all"))
        self.x, clean_y = regression_data()
        self._clean_y = clean_y
        self._build_axes()
        self._start()

    def _build_axes(self):
        self.loss_ax, self.grad_ax, self.fit_ax = self.figure.subplots(1, 3)
        self.loss_lines, self.grad_lines, self.fit_lines = {}, {}, {}
        for name in LOSSES:
            style = dict(color=COLORS[name], lw=2, label=name)
            self.loss_lines[name], = self.loss_ax.plot([], [], **style)
            self.grad_lines[name], = self.grad_ax.plot([], [], **style)
            self.fit_lines[name], = self.fit_ax.plot([], [], **style)
        self.loss_ax.set(title="loss rho(r)", xlabel="residual r", xlim=(-3, 3), ylim=(0, 4))
        self.grad_ax.set(title="derivative rho'(r) (autograd): the pull", xlabel="residual r", xlim=(-3, 3),
                         ylim=(-3.5, 3.5))
        self.points = self.fit_ax.scatter(self.x[:-1], self._clean_y[:-1], color="k", s=14, zorder=3)
        self.outlier, = self.fit_ax.plot([], [], "o", color="orange", mec="k", ms=9, zorder=4, label="outlier")
        self.fit_ax.set(title="lines fitted by each loss", xlabel="x", ylabel="y", xlim=(-0.5, 10.5), ylim=(-11, 31))
        self._moving(*self.loss_lines.values(), *self.grad_lines.values(), *self.fit_lines.values(), self.points,
                     self.outlier)
        self._on_top(self.loss_ax.legend(fontsize=8), self.fit_ax.legend(fontsize=8, loc="upper left"))

    def _draw(self, delta, outlier_y, highlight):
        self.y = self._clean_y.copy()
        self.y[-1] = outlier_y
        self.curves, self.derivatives, self.fits = {}, {}, {}
        ends = np.array([self.x[0] - 0.5, self.x[-1] + 0.5])
        for name, loss in LOSSES.items():
            self.curves[name], self.derivatives[name] = loss_and_derivative(loss, RESIDUALS, delta)
            self.fits[name] = slope, intercept = robust_fit(loss, self.x, self.y, delta)
            alpha = 1.0 if highlight in ("all", name) else 0.15
            for line, data in ((self.loss_lines, self.curves), (self.grad_lines, self.derivatives)):
                line[name].set_data(RESIDUALS, data[name])
                line[name].set_alpha(alpha)
            self.fit_lines[name].set_data(ends, slope * ends + intercept)
            self.fit_lines[name].set_alpha(alpha)
        self.outlier.set_data([self.x[-1]], [outlier_y])


def loss_explorer():
    """MSE, MAE, Huber (delta slider) and log-cosh with their autograd derivatives, and the lines
    each one fits through data with a movable outlier."""
    return LossExplorer()
