"""The error function erf, a new primitive (numpy has none), needed by the exact GELU.

    erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt.      d erf/dx = 2/sqrt(pi) * exp(-x^2).

It is computed from two classical expansions (Abramowitz & Stegun, Handbook of Mathematical
Functions, 7.1.6 and 7.1.14), with array operations only, so it runs on numpy and cupy alike:

- |x| < 2.5: erf(x) = 2/sqrt(pi) exp(-x^2) sum_n x (2x^2)^n / (1*3*...*(2n+1)); every term is
  positive, so nothing cancels; 35 terms reach double precision.
- |x| >= 2.5: erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), a
  continued fraction evaluated from its 40th level up; erf = 1 - erfc. (erfc itself comes from
  the same two pieces.)

Both are within 2e-15 of ``math.erf`` on [-8, 8].
"""
import math

from .._backend import array_module
from ..autograd.function import Function
from ._operands import float_operand

_SERIES_TERMS, _FRACTION_LEVELS, _SWITCH = 35, 40, 2.5


def _series(xp, near):
    """erf(x) for 0 <= x <= 2.5 (A&S 7.1.6)."""
    term, total, ratio = near, near, 2 * near * near
    for n in range(1, _SERIES_TERMS):
        term = term * ratio / (2 * n + 1)
        total = total + term
    return (2 / math.sqrt(math.pi)) * xp.exp(-near * near) * total


def _tail(xp, far):
    """erfc(x) for x >= 2.5, by the continued fraction (A&S 7.1.14): accurate even where erfc is tiny."""
    fraction = far
    for level in range(_FRACTION_LEVELS, 0, -1):
        fraction = far + (level / 2) / fraction
    return xp.exp(-far * far) / (math.sqrt(math.pi) * fraction)


def erf_array(x):
    """erf of a raw float array (see the module docstring for the method)."""
    xp = array_module(x)
    magnitude = xp.abs(x)
    near, far = xp.minimum(magnitude, _SWITCH), xp.maximum(magnitude, _SWITCH)
    return (xp.sign(x) * xp.where(magnitude < _SWITCH, _series(xp, near), 1 - _tail(xp, far))).astype(x.dtype, copy=False)


def erfc_array(x):
    """erfc = 1 - erf of a raw float array; for x < 0, erfc(x) = 2 - erfc(-x)."""
    xp = array_module(x)
    magnitude = xp.abs(x)
    near, far = xp.minimum(magnitude, _SWITCH), xp.maximum(magnitude, _SWITCH)
    upper = xp.where(magnitude < _SWITCH, 1 - _series(xp, near), _tail(xp, far))
    return xp.where(x < 0, 2 - upper, upper).astype(x.dtype, copy=False)


class Erf(Function):
    """y = erf(x).   dy/dx = 2/sqrt(pi) * exp(-x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return erf_array(x.array)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * (2 / math.sqrt(math.pi)) * (-(x * x)).exp()


class Erfc(Function):
    """y = erfc(x) = 1 - erf(x), accurate where it is tiny (large x).   dy/dx = -2/sqrt(pi) * exp(-x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return erfc_array(x.array)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * (-2 / math.sqrt(math.pi)) * (-(x * x)).exp()


def erf(input):
    """The error function, elementwise (``torch.erf``)."""
    return Erf.apply(float_operand(input))


def erfc(input):
    """The complementary error function 1 - erf(x), elementwise (``torch.erfc``)."""
    return Erfc.apply(float_operand(input))

