"""How long one slider move takes in each minitorch.viz widget, as a share of a 100 ms budget.

For every widget and every control, the benchmark drags the control through a sweep of values
(small steps there and back, as a hand does) and times each move from ``update`` to the PNG
bytes the learner's ``ipywidgets.Image`` receives: the computation (minitorch forward/backward,
optimizer paths), the redraw (blitting the moving artists over the cached background, or a full
draw when limits or contours change) and the PNG encoding. With ipympl the redraw is the same
and the encoding is ipympl's.

Each line gives the median, best and worst move (wall-clock) as a fraction of 100 ms (``0.25x``
= 25 ms; the goal is every median below 0.5x), the median CPU time of a move (what it costs the
process: close to what a quiet core would take, when other programs share the cores), the
median share of the move spent computing, and how many of the moves needed a full draw.
Wall-clock timings depend on the machine's load: the load average is printed before and after.

Run: ``python benchmarks/bench_viz.py [widget-name-filter]``. It pins itself to one core and
one BLAS thread.
"""
import gc
import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before numpy loads
    os.environ[_variable] = "1"

import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import matplotlib  # noqa: E402
import numpy as np  # noqa: E402

matplotlib.use("Agg")

from minitorch import viz  # noqa: E402

BUDGET_S = 0.100
MOVES = 24


def sweep(low, high, n=MOVES):
    """n values dragged from low to high and back (every move changes the value)."""
    half = np.linspace(low, high, n // 2 + 1)
    return [float(v) for v in np.r_[half[1:], half[-2::-1]][:n]]


def cycle(options, n=MOVES):
    return [options[(i + 1) % len(options)] for i in range(n)]


# widget factory, {control: the values it is moved through}
CASES = {
    "gradient_field": (viz.gradient_field, {"x": sweep(-1.0, 2.0), "y": sweep(-1.0, 1.0), "angle": sweep(0, 90)}),
    "descent_explorer": (viz.descent_explorer, {
        "lr": sweep(0.03, 0.09), "x0": sweep(-4.5, -3.0), "y0": sweep(2.0, 1.0), "steps": sweep(100, 300),
        "surface": cycle(list(viz.SURFACES))}),
    "momentum_explorer": (viz.momentum_explorer, {
        "kappa": sweep(50, 100), "alpha": sweep(1.0, 1.5), "beta": sweep(0.5, 0.8), "steps": sweep(100, 300),
        "eigen_view": cycle(["Nesterov", "heavy ball"])}),
    "optimizer_race": (viz.optimizer_race, {
        "t": sweep(200, 0), "lr_scale": sweep(1.0, 2.0), "x0": sweep(-1.2, -0.5), "y0": sweep(1.0, 2.0),
        "surface": cycle(list(viz.SURFACES))}),
    "loss_explorer": (viz.loss_explorer, {"delta": sweep(1.0, 2.0), "outlier_y": sweep(20.0, 0.0),
                                          "highlight": cycle(["MSE", "Huber", "all"])}),
    "cross_entropy_explorer": (viz.cross_entropy_explorer, {
        "z0": sweep(2.0, -1.0), "temperature": sweep(1.0, 3.0), "smoothing": sweep(0.0, 0.3),
        "true_class": cycle([1, 2, 0])}),
    "linear_map_explorer": (viz.linear_map_explorer, {name: sweep(-1.0, 2.0) for name in "abcd"}),
}


def time_moves(widget, name, values):
    """Seconds per move (update + PNG), CPU seconds per move, the computing part of each move, and
    the full draws among them."""
    total, cpu, computing = [], [], []
    draws = widget.full_draws
    for value in values:
        start, start_cpu = time.perf_counter(), time.process_time()
        widget.update(**{name: value})
        computed = time.perf_counter()
        widget.png()
        total.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        computing.append(computed - start)
    return total, cpu, computing, widget.full_draws - draws


def ratio(seconds):
    return f"{seconds / BUDGET_S:5.2f}x"


def main(pattern=""):
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{MOVES} moves per control; times as a fraction of {BUDGET_S * 1e3:.0f} ms")
    print(f"  {'widget: control':40s} {'median':>7s} {'best':>7s} {'worst':>7s} {'CPU':>7s} {'computing':>10s} "
          f"{'full draws':>11s}")
    medians = []
    for label, (make, controls) in CASES.items():
        if pattern not in label:
            continue
        for name, values in controls.items():
            widget = make()
            widget.png()  # the first full draw lays the figure out
            gc.collect()  # the earlier widgets' garbage is not this widget's cost
            total, cpu, computing, draws = time_moves(widget, name, values)
            medians.append(statistics.median(total))
            share = statistics.median(c / t for c, t in zip(computing, total))
            print(f"  {label + ': ' + name:40s} {ratio(statistics.median(total)):>7s} {ratio(min(total)):>7s} "
                  f"{ratio(max(total)):>7s} {ratio(statistics.median(cpu)):>7s} {share:9.0%} {draws:6d}/{len(values)}")
    for label, draw in (("show_graph (small MLP loss)", _graph), ("show_tensor (x, x.t())", _layout)):
        if pattern in label:
            times = [_seconds(draw) for _ in range(MOVES)]
            median, best, worst = statistics.median(times), min(times), max(times)
            print(f"  {label:40s} {ratio(median):>7s} {ratio(best):>7s} {ratio(worst):>7s}")
    if medians:
        print(f"slowest median: {ratio(max(medians))}; load average after: "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _seconds(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _graph():
    import minitorch
    w = minitorch.randn(3, 4, requires_grad=True)
    return viz.show_graph(((minitorch.randn(5, 3) @ w).relu() ** 2).mean(), names={"w": w}).svg


def _layout():
    import minitorch
    x = minitorch.arange(12.0).view(3, 4)
    return viz.show_tensor(x, x.t()).svg


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
