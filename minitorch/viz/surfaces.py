"""Test functions for optimisers: the classic 2-D surfaces, written with minitorch ops.

Each function takes ``p``, a tensor whose last dimension holds the point ``(x, y)``: a single
point of shape ``(2,)`` gives a scalar, a batch of shape ``(N, 2)`` gives ``N`` values (that is
how the widgets evaluate a whole grid in one call). Because they are minitorch code, autograd
differentiates them::

    p = minitorch.tensor([0.0, 0.0], requires_grad=True)
    rosenbrock(p).backward()
    p.grad                                   # tensor([-2., 0.])

``SURFACES`` describes each one for the widgets: the region to plot, where the minima are, a
good starting point and a learning rate that works.
"""
from dataclasses import dataclass


def quadratic(p, condition=20.0):
    """An ill-conditioned bowl: f = (x^2 + condition * y^2) / 2. Minimum 0 at (0, 0).

    The Hessian is diag(1, condition): gradient descent must keep lr < 2 / condition to converge,
    and then crawls along x. That is the zig-zag momentum cures.
    """
    x, y = p[..., 0], p[..., 1]
    return 0.5 * (x * x + condition * y * y)


def rosenbrock(p):
    """Rosenbrock's banana valley: f = (1 - x)^2 + 100 (y - x^2)^2. Minimum 0 at (1, 1)."""
    x, y = p[..., 0], p[..., 1]
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def himmelblau(p):
    """Himmelblau's function: f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2. Four minima, all 0."""
    x, y = p[..., 0], p[..., 1]
    return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2


def beale(p):
    """Beale's function: sum over k=1..3 of (c_k - x + x y^k)^2, c = (1.5, 2.25, 2.625). Minimum 0 at (3, 0.5)."""
    x, y = p[..., 0], p[..., 1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y * y * y) ** 2


@dataclass(frozen=True)
class Surface:
    """A surface as the widgets show it."""

    name: str
    function: object
    xlim: tuple
    ylim: tuple
    minima: tuple          # ((x, y), ...)
    start: tuple           # a starting point that makes an interesting path
    lr: float              # a learning rate with which plain gradient descent converges
    adaptive_lr: float     # a learning rate for Adam and RMSprop, which rescale the gradient
    log_contours: bool     # contour levels spaced in log(f): for surfaces spanning many decades


SURFACES = {s.name: s for s in (
    Surface("ill-conditioned quadratic", quadratic, (-5, 5), (-2.5, 2.5), ((0, 0),), (-4.5, 2), 0.09, 0.1, False),
    Surface("Rosenbrock", rosenbrock, (-2, 2), (-1, 3), ((1, 1),), (-1.2, 1.0), 0.001, 0.1, True),
    Surface("Himmelblau", himmelblau, (-5, 5), (-5, 5), ((3, 2), (-2.805118, 3.131312), (-3.779310, -3.283186),
                                                          (3.584428, -1.848126)), (0, 0), 0.01, 0.1, True),
    Surface("Beale", beale, (-4.5, 4.5), (-4.5, 4.5), ((3, 0.5),), (1, 1.5), 0.001, 0.1, True),
)}
