"""minitorch.viz: the course's interactive widgets and drawings (needs the ``lab`` extra).

Each widget is one call in a lesson, computes with minitorch itself (autograd for gradients,
``minitorch.optim`` for optimizer paths) and exposes what it shows, so tests can check it::

    from minitorch import viz
    viz.momentum_explorer()              # sliders: kappa, alpha, beta, steps; "optimal" button
    w = viz.descent_explorer(); w.update(lr=0.2); w.message   # 'Diverged at step ...'

Not imported by ``import minitorch``: matplotlib and ipywidgets are only needed here.
"""
from .cross_entropy import cross_entropy_explorer
from .descent import descent_explorer
from .gradient_field import gradient_field
from .graph import show_graph
from .linear_map import linear_map_explorer
from .losses import loss_explorer
from .momentum import momentum_explorer
from .race import optimizer_race
from .surfaces import SURFACES, beale, himmelblau, quadratic, rosenbrock
from .tensor_layout import show_tensor

__all__ = ["SURFACES", "beale", "cross_entropy_explorer", "descent_explorer", "gradient_field", "himmelblau",
           "linear_map_explorer", "loss_explorer", "momentum_explorer", "optimizer_race", "quadratic",
           "rosenbrock", "show_graph", "show_tensor"]
