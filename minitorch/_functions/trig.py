"""Trigonometric and hyperbolic functions beyond sin/cos/tan/tanh, their inverses, atan2 and hypot.

Each unary one is the numpy (or cupy) function of the same meaning plus its derivative:

    d sinh x / dx = cosh x          d asin x / dx = 1 / sqrt(1 - x^2)     d asinh x / dx = 1 / sqrt(x^2 + 1)
    d cosh x / dx = sinh x          d acos x / dx = -1 / sqrt(1 - x^2)    d acosh x / dx = 1 / sqrt(x^2 - 1)
                                    d atan x / dx = 1 / (1 + x^2)         d atanh x / dx = 1 / (1 - x^2)

Integer and bool inputs give the default float dtype, as torch.
"""
import math

from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from ._operands import binary_operands, float_operand, sum_to


class _Unary(Function):
    """y = f(x), f being numpy's ``numpy_name``.   dy/dx = ``derivative(x)``, written with Tensor ops."""

    numpy_name = ""

    @classmethod
    def forward(cls, ctx, x):
        ctx.save_for_backward(x)
        return getattr(array_module(x.array), cls.numpy_name)(x.array)

    @classmethod
    def backward(cls, ctx, grad):
        x, = ctx.saved_tensors
        return grad * cls.derivative(x)


class Sinh(_Unary):
    """y = sinh x = (e^x - e^-x) / 2.   dy/dx = cosh x."""
    numpy_name = "sinh"
    derivative = staticmethod(lambda x: x.cosh())


class Cosh(_Unary):
    """y = cosh x = (e^x + e^-x) / 2.   dy/dx = sinh x."""
    numpy_name = "cosh"
    derivative = staticmethod(lambda x: x.sinh())


class Asin(_Unary):
    """y = asin x (in [-pi/2, pi/2]).   dy/dx = 1 / sqrt(1 - x^2)."""
    numpy_name = "arcsin"
    derivative = staticmethod(lambda x: (1 - x * x).rsqrt())


class Acos(_Unary):
    """y = acos x (in [0, pi]).   dy/dx = -1 / sqrt(1 - x^2)."""
    numpy_name = "arccos"
    derivative = staticmethod(lambda x: -(1 - x * x).rsqrt())


class Atan(_Unary):
    """y = atan x (in (-pi/2, pi/2)).   dy/dx = 1 / (1 + x^2)."""
    numpy_name = "arctan"
    derivative = staticmethod(lambda x: 1 / (1 + x * x))


class Asinh(_Unary):
    """y = asinh x = ln(x + sqrt(x^2 + 1)).   dy/dx = 1 / sqrt(x^2 + 1)."""
    numpy_name = "arcsinh"
    derivative = staticmethod(lambda x: (x * x + 1).rsqrt())


class Acosh(_Unary):
    """y = acosh x = ln(x + sqrt(x^2 - 1)) for x >= 1.   dy/dx = 1 / sqrt(x^2 - 1)."""
    numpy_name = "arccosh"
    derivative = staticmethod(lambda x: ((x - 1) * (x + 1)).rsqrt())


class Atanh(_Unary):
    """y = atanh x = ln((1 + x) / (1 - x)) / 2 for |x| < 1.   dy/dx = 1 / (1 - x^2)."""
    numpy_name = "arctanh"
    derivative = staticmethod(lambda x: 1 / (1 - x * x))


class Atan2(Function):
    """z = atan2(y, x): the angle of the point (x, y), in (-pi, pi].
    dz/dy = x / (x^2 + y^2),  dz/dx = -y / (x^2 + y^2)."""

    @staticmethod
    def forward(ctx, y, x):
        ctx.save_for_backward(y, x)
        return array_module(y.array).arctan2(y.array, x.array)

    @staticmethod
    def backward(ctx, grad):
        y, x = ctx.saved_tensors
        scaled = grad / (x * x + y * y)
        gy = sum_to(scaled * x, y.array.shape) if ctx.needs_input_grad[0] else None
        gx = sum_to(-scaled * y, x.array.shape) if ctx.needs_input_grad[1] else None
        return gy, gx


class Hypot(Function):
    """z = sqrt(x^2 + y^2), computed without overflow for large x, y.   dz/dx = x / z,  dz/dy = y / z."""

    @staticmethod
    def forward(ctx, x, y):
        z = Tensor._make(array_module(x.array).hypot(x.array, y.array))
        ctx.save_for_backward(x, y, z)
        return z

    @staticmethod
    def backward(ctx, grad):
        x, y, z = ctx.saved_tensors
        gx = sum_to(grad * x / z, x.array.shape) if ctx.needs_input_grad[0] else None
        gy = sum_to(grad * y / z, y.array.shape) if ctx.needs_input_grad[1] else None
        return gx, gy


def sinh(input):
    return Sinh.apply(float_operand(input))


def cosh(input):
    return Cosh.apply(float_operand(input))


def asin(input):
    return Asin.apply(float_operand(input))


def acos(input):
    return Acos.apply(float_operand(input))


def atan(input):
    return Atan.apply(float_operand(input))


def asinh(input):
    return Asinh.apply(float_operand(input))


def acosh(input):
    return Acosh.apply(float_operand(input))


def atanh(input):
    return Atanh.apply(float_operand(input))


arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh


def _two_tensors(name, input, other):
    if not isinstance(other, Tensor):
        raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
    return binary_operands(input, other, to_float=True)


def atan2(input, other):
    """The angle of the point (other, input), elementwise: atan2(y=input, x=other)."""
    return Atan2.apply(*_two_tensors("atan2", input, other))


arctan2 = atan2


def hypot(input, other):
    """sqrt(input^2 + other^2) elementwise (the length of the hypotenuse). Floating tensors only, as torch."""
    x, y = _two_tensors("hypot", input, other)
    if not input.dtype.is_floating_point and not other.dtype.is_floating_point:
        raise NotImplementedError(f'"hypot_cpu" not implemented for \'{input.dtype.scalar_type}\': hypot needs '
                                  f"floating tensors (got {input.dtype} and {other.dtype}); convert with .float()")
    return Hypot.apply(x, y)


def deg2rad(input):
    """Degrees to radians: input * pi / 180."""
    return float_operand(input) * (math.pi / 180)


def rad2deg(input):
    """Radians to degrees: input * 180 / pi."""
    return float_operand(input) * (180 / math.pi)
