"""How long one slider move takes in each minitorch.viz widget (target: well under 100 ms on one core).

Two figures per widget, best of several moves:
- update: the computation (minitorch forward/backward, optimizer paths) and moving the artists;
- + render: the same plus drawing the figure to PNG, which is what the learner waits for without
  ipympl (with ipympl, matplotlib draws the same figure, so the cost is alike).

Run: ``python benchmarks/bench_viz.py`` (pins itself to one core where the OS allows it).
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")

sys.path.insert(0, os.path.dirname(__file__))
from _timing import best_time  # noqa: E402

from minitorch import viz  # noqa: E402

# widget factory, and two settings of one slider to alternate between (so every move changes something)
CASES = {
    "gradient_field (move x)": (viz.gradient_field, "x", (1.0, -2.0)),
    "descent_explorer (lr)": (viz.descent_explorer, "lr", (0.05, 0.08)),
    "momentum_explorer (beta)": (viz.momentum_explorer, "beta", (0.5, 0.7)),
    "optimizer_race (race time t)": (viz.optimizer_race, "t", (80, 160)),
    "optimizer_race (lr scale)": (viz.optimizer_race, "lr_scale", (0.8, 1.2)),
    "loss_explorer (outlier y)": (viz.loss_explorer, "outlier_y", (5.0, 25.0)),
    "cross_entropy_explorer (logit)": (viz.cross_entropy_explorer, "z1", (0.0, 3.0)),
    "linear_map_explorer (entry a)": (viz.linear_map_explorer, "a", (1.0, -0.5)),
}


def mover(widget, name, values):
    state = {"i": 0}

    def move():
        state["i"] += 1
        widget.update(**{name: values[state["i"] % 2]})
    return move


def main():
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    print(f"{'widget (slider)':34s} {'update ms':>10s} {'+ render ms':>12s}")
    for label, (make, name, values) in CASES.items():
        widget = make()
        update = best_time(mover(widget, name, values), repeat=5)
        widget.png()  # the first drawing lays the figure out once
        move = mover(widget, name, values)
        render = best_time(lambda: (move(), widget.png()), repeat=5)
        print(f"{label:34s} {update * 1e3:10.1f} {render * 1e3:12.1f}")
    for label, draw in (("show_graph (small MLP loss)", _graph), ("show_tensor (x, x.t())", _layout)):
        print(f"{label:34s} {best_time(draw, repeat=5) * 1e3:10.1f}")


def _graph():
    import minitorch
    w = minitorch.randn(3, 4, requires_grad=True)
    return viz.show_graph(((minitorch.randn(5, 3) @ w).relu() ** 2).mean(), names={"w": w}).svg


def _layout():
    import minitorch
    x = minitorch.arange(12.0).view(3, 4)
    return viz.show_tensor(x, x.t()).svg


if __name__ == "__main__":
    main()
