"""minitorch.viz widgets, headless: move a control, check what the plot shows against the math."""
import io
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import torch  # noqa: E402

import minitorch  # noqa: E402
from minitorch import viz  # noqa: E402
from minitorch.viz import linear_map, losses, momentum  # noqa: E402
from minitorch.viz._paths import Runs, run_together  # noqa: E402

import oracle  # noqa: E402


def test_core_import_does_not_need_matplotlib():
    code = "import sys, minitorch; print('matplotlib' in sys.modules or 'ipywidgets' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() \
        == "False"


# ------------------------------------------------------------------ surfaces and the shared plumbing
@pytest.mark.parametrize("name", list(viz.SURFACES))
def test_surfaces_match_torch_values_and_gradients(name):
    f = viz.SURFACES[name].function
    points = np.array([[0.3, -0.7], [1.2, 0.4], [-1.5, 2.0]])
    oracle.check(lambda lib, p: f(p), points)


@pytest.mark.parametrize("name", list(viz.SURFACES))
def test_surface_minima_are_stationary_points(name):
    surface = viz.SURFACES[name]
    p = minitorch.tensor(np.array(surface.minima, dtype=float), dtype=minitorch.float64, requires_grad=True)
    surface.function(p).sum().backward()
    np.testing.assert_allclose(p.grad.numpy(), 0, atol=1e-4)


def test_update_rejects_unknown_controls_by_name():
    w = viz.cross_entropy_explorer()
    with pytest.raises(TypeError, match="unknown control.*'lr'.*temperature"):
        w.update(lr=0.1)


def test_moving_a_slider_is_the_same_as_update():
    w = viz.cross_entropy_explorer()
    w.controls["z1"].value = 4.0
    by_slider = w.probabilities.copy()
    w.update(z1=0.0)
    assert not np.allclose(w.probabilities, by_slider)
    w.update(z1=4.0)
    np.testing.assert_allclose(w.probabilities, by_slider)


def test_displayed_image_changes_when_a_slider_moves():
    w = viz.linear_map_explorer()
    box = w.ui
    assert box.children[-1] is w._image and "application/vnd.jupyter.widget-view+json" in w._repr_mimebundle_()
    before = w._image.value
    w.update(a=-1.0)
    assert w._image.value != before and w._image.value[:4] == b"\x89PNG"


# ------------------------------------------------------------------ blitting: fast redraws that show the truth
def _pixels(widget):
    return np.asarray(widget.figure.canvas.buffer_rgba()).copy()


def _fresh_full_draw(widget):
    widget.figure.canvas.draw()
    return _pixels(widget)


# a slider move that changes only moving artists (no new limits, contours or titles)
SMALL_MOVES = {
    "gradient_field": (viz.gradient_field, {"x": 1.0, "y": -0.5}),
    "descent_explorer": (viz.descent_explorer, {"x0": -4.4}),
    "momentum_explorer": (viz.momentum_explorer, {"beta": 0.51, "eigen_view": "Nesterov"}),
    "optimizer_race": (viz.optimizer_race, {"t": 40}),
    "loss_explorer": (viz.loss_explorer, {"outlier_y": 5.0, "highlight": "MAE"}),
    "cross_entropy_explorer": (viz.cross_entropy_explorer, {"z1": 3.0, "smoothing": 0.2}),
    "linear_map_explorer": (viz.linear_map_explorer, {"a": -1.0, "d": 0.0}),
}


@pytest.mark.parametrize("name", list(SMALL_MOVES))
def test_updates_reuse_the_background_and_show_what_a_full_draw_shows(name):
    make, move = SMALL_MOVES[name]
    w = make()
    before = w.png()
    assert w.full_draws == 1
    after = w.update(**move).png()
    assert w.full_draws == 1 and after != before  # blitted: moved artists over the saved background
    np.testing.assert_array_equal(_pixels(w), _fresh_full_draw(w))
    animated = {a for a in w.figure.findobj() if a.get_animated()}
    assert animated <= set(w._blitter.moving)  # nothing is left out of both the background and the blit


@pytest.mark.parametrize("make, move", [
    (viz.descent_explorer, {"surface": "Himmelblau"}),           # other contours
    (viz.momentum_explorer, {"steps": 250}),                     # a longer step axis
    (viz.cross_entropy_explorer, {"temperature": 0.1, "true_class": 1}),  # gradients beyond the limits
    (viz.optimizer_race, {"lr_scale": 5.0}),                     # the losses span other decades
])
def test_changes_to_static_content_draw_the_figure_again(make, move):
    w = make()
    w.png()
    w.update(**move).png()
    assert w.full_draws == 2
    np.testing.assert_array_equal(_pixels(w), _fresh_full_draw(w))


def test_png_is_the_canvas_lossless():
    from PIL import Image
    w = viz.cross_entropy_explorer()
    png = w.update(z2=1.5).png()
    decoded = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    np.testing.assert_array_equal(decoded, _pixels(w)[:, :, :3])


def test_full_draws_made_elsewhere_are_caught():
    """A resize (or ipympl's own redraw) draws the figure without the moving artists: they are painted back."""
    w = viz.linear_map_explorer()
    w.png()
    w.figure.set_size_inches(5, 5)
    w.update(a=0.5).png()
    assert w.full_draws == 2 and _pixels(w).shape[:2] == (400, 400)
    np.testing.assert_array_equal(_pixels(w), _fresh_full_draw(w))


def test_limits_change_rarely():
    from minitorch.viz._limits import sticky, sticky_count, sticky_decades
    assert sticky_decades((1e-8, 10.0), 3e-5, 2.0) == (1e-8, 10.0)       # fits, spans > 1/4 of the decades
    assert sticky_decades((1e-8, 10.0), 3e-9, 2.0) == (1e-10, 100.0)     # leaves: whole decades, room
    assert sticky_decades((1e-8, 10.0), 0.5, 2.0) == (0.1, 10.0)         # too small a part: refit
    assert sticky_decades((1e-8, 10.0), 1.0, 1.0) == (1.0, 10.0)
    assert [sticky_count(100, n) for n in (7, 60, 100, 101, 230)] == [7, 100, 100, 150, 250]
    assert sticky((0.0, 10.0), 2.0, 8.0) == (0.0, 10.0)    # fits and fills over a third: kept
    assert sticky((0.0, 10.0), 2.0, 11.0) == (-2.5, 15.5)    # leaves: refit with room
    assert sticky((0.0, 10.0), 4.0, 5.0) == (3.5, 5.5)       # too small: refit


def test_with_ipympl_updates_are_blitted_to_the_canvas_widget():
    code = """if True:
        import matplotlib
        matplotlib.use("module://ipympl.backend_nbagg")
        from minitorch import viz
        w = viz.linear_map_explorer()
        assert w.ui.children[-1] is w.figure.canvas
        sent = []
        w.figure.canvas.send_binary = sent.append
        w.update(a=1.0)
        w.update(a=-0.5)
        assert w.full_draws == 1 and len(sent) == 2, (w.full_draws, len(sent))
        print("ok")"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr


# ------------------------------------------------------------------ gradient_field
def test_gradient_arrows_equal_the_analytic_gradient():
    w = viz.gradient_field()  # the quadratic (x^2 + 20 y^2) / 2
    x, y = w.field_points.T
    expected = np.stack([x, 20 * y], axis=1)
    np.testing.assert_allclose(w.field_gradients, expected, atol=1e-12)
    unit = expected / np.linalg.norm(expected, axis=1, keepdims=True).clip(1e-300)
    shown = np.stack([w.field.U, w.field.V], axis=1)
    nonzero = np.linalg.norm(expected, axis=1) > 0
    np.testing.assert_allclose(shown[nonzero], unit[nonzero], atol=1e-12)


def test_moving_the_point_moves_marker_arrows_and_directional_derivative():
    w = viz.gradient_field()
    w.update(x=1.0, y=-0.5, angle=30.0)
    assert w.message == ""
    np.testing.assert_allclose(w.point_marker.get_data(), [[1.0], [-0.5]])
    np.testing.assert_allclose(w.point_arrows.get_offsets(), [[1.0, -0.5]] * 3)
    np.testing.assert_allclose(w.gradient, [1.0, -10.0])
    u = [np.cos(np.pi / 6), np.sin(np.pi / 6)]
    assert w.directional_derivative == pytest.approx(1.0 * u[0] - 10.0 * u[1])
    gradient_arrow = np.array([w.point_arrows.U[0], w.point_arrows.V[0]])
    np.testing.assert_allclose(-gradient_arrow, [w.point_arrows.U[1], w.point_arrows.V[1]])
    np.testing.assert_allclose(gradient_arrow / np.linalg.norm(gradient_arrow), w.gradient / np.linalg.norm(w.gradient))
    t, g = w.slice_line.get_data()  # the slice's slope at t = 0 is the directional derivative
    i = len(t) // 2
    assert t[i] == 0 and (g[i + 1] - g[i - 1]) / (t[i + 1] - t[i - 1]) == pytest.approx(w.directional_derivative)
    angle = np.degrees(np.arctan2(w.gradient[1], w.gradient[0]))
    w.update(angle=float(angle))
    assert w.directional_derivative == pytest.approx(np.linalg.norm(w.gradient), rel=1e-6)


def test_gradient_field_of_a_single_point_function():
    w = viz.gradient_field(lambda p: p[0] ** 2 * p[1] + p[1].sin(), xlim=(-2, 2), ylim=(-2, 2), point=(1.0, 0.5))
    assert w.message == ""
    np.testing.assert_allclose(w.gradient, [2 * 1.0 * 0.5, 1.0 + np.cos(0.5)])


@pytest.mark.parametrize("f, words", [
    (lambda p: float(p[0]), "returned a float, not a minitorch Tensor"),
    (lambda p: p[0] * p[2], "function of two variables"),
    (lambda p: p * 2, "to a scalar, but it returned shape [2]"),
    (lambda p: minitorch.tensor(p.detach().numpy().sum()), "autograd cannot differentiate"),
])
def test_bad_functions_give_a_message_not_a_traceback(f, words):
    w = viz.gradient_field(f)
    assert words in w.message
    w.update(x=0.5)  # still usable
    assert words in w.message


def test_gradient_field_rejects_unknown_surface_names():
    with pytest.raises(ValueError, match="unknown surface 'Rosenbrok'"):
        viz.gradient_field("Rosenbrok")


# ------------------------------------------------------------------ descent_explorer
def test_descent_path_is_gradient_descent_on_the_quadratic():
    w = viz.descent_explorer()
    w.update(lr=0.05, x0=-4.0, y0=2.0, steps=30)
    p, expected = np.array([-4.0, 2.0]), [np.array([-4.0, 2.0])]
    for _ in range(30):
        p = p - 0.05 * np.array([p[0], 20 * p[1]])
        expected.append(p)
    np.testing.assert_allclose(w.path.points, expected, atol=1e-12)
    np.testing.assert_allclose(np.array(w.path_line.get_data()).T, expected, atol=1e-12)
    np.testing.assert_allclose(w.loss_line.get_ydata(), [0.5 * (a * a + 20 * b * b) for a, b in expected])
    assert w.message == "" and w.loss_ax.get_yscale() == "log"


def test_descent_divergence_is_shown_and_the_path_clipped():
    w = viz.descent_explorer()
    w.update(lr=0.12, steps=200)  # above 2 / 20
    assert "Diverged at step" in w.message
    assert w.path.diverged and len(w.path.points) == w.path.diverged_at < 201
    assert len(w.path_line.get_xdata()) == len(w.path.points)
    w.update(lr=0.05)
    assert w.message == "" and len(w.path.points) == 201


def test_choosing_a_surface_resets_learning_rate_and_start():
    w = viz.descent_explorer()
    w.controls["surface"].value = "Himmelblau"
    s = viz.SURFACES["Himmelblau"]
    assert (w.values["lr"], w.values["x0"], w.values["y0"]) == pytest.approx((s.lr, *s.start))
    assert w.path_ax.get_title() == "Himmelblau"
    w.update(surface="Rosenbrock", lr=0.0005)  # given values win over the defaults
    assert w.values["lr"] == pytest.approx(0.0005)


# ------------------------------------------------------------------ momentum_explorer
@pytest.mark.parametrize("kappa", [10.0, 100.0])
def test_measured_rate_matches_theory_at_the_optimal_settings(kappa):
    w = viz.momentum_explorer(kappa=kappa, steps=200)
    w.set_optimal()
    alpha, beta, rate = w.optimal
    assert (w.values["alpha"], w.values["beta"]) == pytest.approx((alpha, beta), abs=1e-6)
    assert rate == pytest.approx((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1))
    assert w.theoretical_rate["heavy ball"] == pytest.approx(rate, rel=1e-3)
    # the roots coincide at the optimum: the error decays like t rate^t, a little slower at finite t
    assert w.measured_rate["heavy ball"] == pytest.approx(rate, rel=0.015)


@pytest.mark.parametrize("method, alpha, beta", [("heavy ball", 1.0, 0.5), ("heavy ball", 2.0, 0.8),
                                                 ("Nesterov", 1.0, 0.5), ("Nesterov", 0.5, 0.9),
                                                 ("Nesterov", 0.5, 0.0)])
def test_measured_rate_matches_theory(method, alpha, beta):
    w = viz.momentum_explorer(kappa=30.0, alpha=alpha, beta=beta, steps=150)
    assert f"{method} diverges" not in w.message
    assert w.measured_rate[method] == pytest.approx(w.theoretical_rate[method], rel=0.01)


@pytest.mark.parametrize("method", list(momentum.METHODS))
def test_theoretical_rate_is_the_spectral_radius_of_the_iteration(method):
    alpha, beta = 1.7, 0.6
    for lam in (0.02, 0.3, 1.0):
        if method == "heavy ball":  # (w, w_prev) -> (w - alpha lam w + beta (w - w_prev), w)
            matrix = [[1 - alpha * lam + beta, -beta], [1, 0]]
        else:  # torch's Nesterov on (w, z): z' = beta z + lam w, w' = w - alpha (lam w + beta z')
            matrix = [[1 - alpha * lam * (1 + beta), -alpha * beta ** 2], [lam, beta]]
        radius = np.abs(np.linalg.eigvals(matrix)).max()
        assert momentum.root_modulus(method, alpha, beta, lam) == pytest.approx(radius)


def test_momentum_paths_are_minitorch_sgd_and_match_torch():
    w = viz.momentum_explorer(kappa=20.0, alpha=1.5, beta=0.7, steps=40)
    q = torch.tensor(momentum.EIGENVECTORS)
    lam = torch.tensor([1 / 20.0, 1.0], dtype=torch.float64)
    for method, nesterov in (("heavy ball", False), ("Nesterov", True)):
        p = torch.tensor(momentum.START, requires_grad=True)
        opt = torch.optim.SGD([p], lr=1.5, momentum=0.7, nesterov=nesterov)
        points = [p.detach().clone()]
        for _ in range(40):
            opt.zero_grad()
            c = p @ q
            (0.5 * (lam * c * c).sum()).backward()
            opt.step()
            points.append(p.detach().clone())
        np.testing.assert_allclose(w.paths[method].points, torch.stack(points).numpy(), atol=1e-12)
        np.testing.assert_allclose(np.array(w.path_lines[method].get_data()).T, w.paths[method].points)


def test_eigen_view_shows_the_error_along_each_eigenvector():
    w = viz.momentum_explorer(kappa=50.0, alpha=1.0, beta=0.5, steps=60)
    components = w.paths["heavy ball"].points @ momentum.EIGENVECTORS
    np.testing.assert_allclose(w.component_lines[0].get_ydata(), components[:, 0] / abs(components[0, 0]))
    w.update(eigen_view="Nesterov")
    components = w.paths["Nesterov"].points @ momentum.EIGENVECTORS
    np.testing.assert_allclose(w.component_lines[1].get_ydata(), components[:, 1] / abs(components[0, 1]))
    r = momentum.root_modulus("Nesterov", 1.0, 0.5, 1.0)
    np.testing.assert_allclose(w.envelopes[1].get_ydata()[:61], r ** np.arange(61))


def test_momentum_divergence_is_reported():
    w = viz.momentum_explorer(kappa=50.0, alpha=3.9, beta=0.9)
    assert "heavy ball diverges" in w.message and w.theoretical_rate["heavy ball"] > 1
    assert w.measured_rate["heavy ball"] is None
    w.update(alpha=1.0, beta=0.5)
    assert w.message == ""


def test_the_optimal_button_sets_alpha_and_beta():
    w = viz.momentum_explorer(kappa=100.0)
    w.extras[0].click()
    assert (w.values["alpha"], w.values["beta"]) == pytest.approx(momentum.optimal_settings(100.0)[:2], abs=1e-6)


# ------------------------------------------------------------------ optimizer_race
def test_race_runners_start_together_and_follow_their_paths():
    w = viz.optimizer_race("Himmelblau")
    start = viz.SURFACES["Himmelblau"].start
    for path in w.paths.values():
        np.testing.assert_allclose(path.points[0], start)
    w.update(t=25)
    for name, path in w.paths.items():
        np.testing.assert_allclose(w.runners[name].get_data(), path.points[25][:, None])
        assert len(w.path_lines[name].get_xdata()) == 26
    assert list(w.time_line.get_xdata()) == [25, 25]


def test_race_adam_path_matches_torch_adam():
    w = viz.optimizer_race("Beale")
    s = viz.SURFACES["Beale"]
    p = torch.tensor(s.start, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=s.adaptive_lr)
    for _ in range(50):
        opt.zero_grad()
        s.function(p).backward()
        opt.step()
    np.testing.assert_allclose(w.paths["Adam"].points[50], p.detach().numpy(), atol=1e-10)


def test_race_divergence_is_named():
    w = viz.optimizer_race("ill-conditioned quadratic")
    w.update(lr_scale=4.0)
    assert "Diverged: SGD" in w.message


def test_run_together_runs_are_independent():
    quad = viz.SURFACES["ill-conditioned quadratic"].function
    together = run_together(quad, (1.0, 1.0), [lambda p: minitorch.optim.SGD(p, lr=0.01),
                                                 lambda p: minitorch.optim.SGD(p, lr=0.2)], 20)
    alone, = run_together(quad, (1.0, 1.0), [lambda p: minitorch.optim.SGD(p, lr=0.01)], 20)
    np.testing.assert_allclose(together[0].points, alone.points)
    assert together[1].diverged and not together[0].diverged


def test_more_steps_continue_the_same_runs():
    quad = viz.SURFACES["ill-conditioned quadratic"].function
    heavy_ball = [lambda p: minitorch.optim.SGD(p, lr=0.05, momentum=0.9)]
    runs = Runs(quad, (1.0, 1.0), heavy_ball)
    short, = runs.paths(10)
    longer, = runs.paths(30)
    alone, = run_together(quad, (1.0, 1.0), heavy_ball, 30)
    np.testing.assert_allclose(longer.points, alone.points)
    np.testing.assert_allclose(short.points, alone.points[:11])
    diverging = Runs(quad, (1.0, 1.0), [lambda p: minitorch.optim.SGD(p, lr=0.2)])
    full, = diverging.paths(300)
    assert full.diverged and len(full.points) == full.diverged_at
    before, = diverging.paths(full.diverged_at - 1)  # a shorter run has not diverged yet
    assert not before.diverged and len(before.points) == full.diverged_at


def test_dragging_steps_computes_only_the_new_steps():
    w = viz.momentum_explorer(steps=50)
    runs = w._runs
    w.update(steps=80)
    assert w._runs is runs and len(runs.points) == 81 and len(w.paths["Nesterov"].points) == 81
    w.update(steps=30)
    assert w._runs is runs and len(w.paths["heavy ball"].points) == 31
    w.update(beta=0.6)
    assert w._runs is not runs


# ------------------------------------------------------------------ loss_explorer
def test_loss_derivatives_are_the_analytic_ones():
    w = viz.loss_explorer()
    w.update(delta=0.7)
    r = losses.RESIDUALS
    np.testing.assert_allclose(w.derivatives["MSE"], 2 * r)
    np.testing.assert_allclose(w.derivatives["MAE"], np.sign(r))
    np.testing.assert_allclose(w.derivatives["Huber"], np.clip(r, -0.7, 0.7))
    np.testing.assert_allclose(w.derivatives["log-cosh"], np.tanh(r), atol=1e-12)
    np.testing.assert_allclose(w.grad_lines["Huber"].get_ydata(), np.clip(r, -0.7, 0.7))
    huber = torch.nn.functional.huber_loss(torch.tensor(r), torch.zeros(len(r), dtype=torch.float64),
                                           reduction="none", delta=0.7)
    np.testing.assert_allclose(w.loss_lines["Huber"].get_ydata(), huber.numpy())


def test_fitted_lines_and_the_outlier():
    w = viz.loss_explorer()
    w.update(outlier_y=0.0)
    calm = {name: fit.copy() for name, fit in w.fits.items()}
    w.update(outlier_y=30.0)
    np.testing.assert_allclose(w.fits["MSE"], np.polyfit(w.x, w.y, 1))
    np.testing.assert_allclose(w.outlier.get_data(), [[w.x[-1]], [30.0]])
    moved = {name: abs(w.fits[name][0] - calm[name][0]) for name in w.fits}
    assert moved["MSE"] > 5 * max(moved["MAE"], moved["Huber"], moved["log-cosh"])
    slope, intercept = w.fits["Huber"]
    x, y = w.fit_lines["Huber"].get_data()
    np.testing.assert_allclose(y, slope * x + intercept)


def test_robust_fit_minimises_the_loss():
    x, y = losses.regression_data()
    y[-1] = 25.0
    for name, loss in losses.LOSSES.items():
        slope, intercept = losses.robust_fit(loss, x, y, 1.0)

        def total(a, b):
            return losses.loss_and_derivative(loss, y - a * x - b, 1.0)[0].sum()
        best = total(slope, intercept)
        for da, db in ((1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)):
            assert best <= total(slope + da, intercept + db) + 1e-9, name


# ------------------------------------------------------------------ cross_entropy_explorer
def test_cross_entropy_bars_are_softmax_and_p_minus_y():
    w = viz.cross_entropy_explorer()
    w.update(z0=0.5, z1=2.5, z2=-1.0, z3=0.0, true_class=2, temperature=1.5, smoothing=0.1)
    z = np.array([0.5, 2.5, -1.0, 0.0])
    p = np.exp(z / 1.5) / np.exp(z / 1.5).sum()
    y = np.full(4, 0.1 / 4)
    y[2] += 0.9
    np.testing.assert_allclose([b.get_height() for b in w.prob_bars], p)
    np.testing.assert_allclose([b.get_height() for b in w.target_bars], y)
    np.testing.assert_allclose([b.get_height() for b in w.grad_bars], (p - y) / 1.5)
    expected = torch.nn.functional.cross_entropy(torch.tensor(z / 1.5)[None], torch.tensor([2]), label_smoothing=0.1)
    assert w.loss == pytest.approx(expected.item())
    assert f"{w.loss:.4f}" in w.readout_text and f"{w.loss:.4f}" in w._readout_box.value


# ------------------------------------------------------------------ linear_map_explorer
@pytest.mark.parametrize("a, b, c, d", [(1.5, 0.5, 0.3, 1.0), (1.0, 2.0, 0.5, -1.0), (1.0, 2.0, 1.5, 3.0)])
def test_determinant_is_the_signed_area_of_the_square(a, b, c, d):
    w = viz.linear_map_explorer()
    w.update(a=a, b=b, c=c, d=d)
    corners = w.square_patch.get_xy()[:4]
    assert linear_map.polygon_area(corners) == pytest.approx(a * d - b * c, abs=1e-12)
    assert w.determinant == pytest.approx(a * d - b * c)
    A = np.array([[a, b], [c, d]])
    np.testing.assert_allclose(np.array(w.ellipse.get_data()).T, linear_map.CIRCLE @ A.T)


def test_eigenvectors_and_singular_directions():
    w = viz.linear_map_explorer()
    w.update(a=2.0, b=1.0, c=0.5, d=1.0)
    A = w.matrix
    for lam, v in zip(w.eigenvalues, w.eigenvectors.T):
        np.testing.assert_allclose(A @ v, lam * v, atol=1e-12)
    np.testing.assert_allclose(np.stack([w.eigen_arrows.U, w.eigen_arrows.V]), w.eigenvectors * w.eigenvalues)
    for sigma, u, v in zip(w.singular_values, w.left_singular.T, w.right_singular.T):
        np.testing.assert_allclose(A @ v, sigma * u, atol=1e-12)
    lengths = np.hypot(w.singular_arrows.U, w.singular_arrows.V)
    np.testing.assert_allclose(lengths, w.singular_values)
    w.update(a=0.0, b=-1.0, c=1.0, d=0.0)  # a rotation: no real eigenvector
    assert w.eigenvalues is None and "complex" in w.readout_text
    np.testing.assert_allclose(w.eigen_arrows.U, 0)


def test_linear_map_uses_minitorch_linalg(monkeypatch):
    calls = []
    for name in ("eig", "svd"):
        original = getattr(minitorch.linalg, name)
        monkeypatch.setattr(minitorch.linalg, name, lambda A, *a, _f=original, _n=name, **k: calls.append(_n) or _f(A))
    viz.linear_map_explorer().update(a=0.7)
    assert calls.count("eig") == 2 and calls.count("svd") == 2
