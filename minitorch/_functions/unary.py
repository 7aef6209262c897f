"""Unary elementwise primitives: y_i = f(x_i), and clamp.

Every backward is the chain rule elementwise: dL/dx_i = dL/dy_i * f'(x_i), with f' written in
each docstring. Where f' is easiest to say with the output (exp, sqrt, tanh, sigmoid), the
output is saved instead of the input.
"""
import math

from .. import _dtype
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from ._operands import broadcast_shapes, float_operand, is_bool, sum_to, value


class Neg(Function):
    """y = -x.   dy/dx = -1."""

    @staticmethod
    def forward(ctx, x):
        return -x.array

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Exp(Function):
    """y = e^x.   dy/dx = e^x = y  (the output is saved, not recomputed)."""

    @staticmethod
    def forward(ctx, x):
        y = Tensor._make(array_module(x.array).exp(x.array))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * y


class Expm1(Function):
    """y = e^x - 1 (accurate near 0).   dy/dx = e^x = y + 1."""

    @staticmethod
    def forward(ctx, x):
        y = Tensor._make(array_module(x.array).expm1(x.array))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * (y + 1)


class Log(Function):
    """y = ln x.   dy/dx = 1 / x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return array_module(x.array).log(x.array)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / x


class Log1p(Function):
    """y = ln(1 + x) (accurate near 0).   dy/dx = 1 / (1 + x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return array_module(x.array).log1p(x.array)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (x + 1)


class Sqrt(Function):
    """y = sqrt(x).   dy/dx = 1 / (2 sqrt(x)) = 1 / (2y)."""

    @staticmethod
    def forward(ctx, x):
        y = Tensor._make(array_module(x.array).sqrt(x.array))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad / (2 * y)


class Abs(Function):
    """y = |x|.   dy/dx = sign(x)  (0 at x = 0, as torch)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return array_module(x.array).abs(x.array)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * x.sign()


class Sin(Function):
    """y = sin x.   dy/dx = cos x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return array_module(x.array).sin(x.array)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * x.cos()


class Cos(Function):
    """y = cos x.   dy/dx = -sin x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return array_module(x.array).cos(x.array)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return -grad * x.sin()


class Tan(Function):
    """y = tan x.   dy/dx = 1 + tan^2 x = 1 + y^2."""

    @staticmethod
    def forward(ctx, x):
        y = Tensor._make(array_module(x.array).tan(x.array))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * (1 + y * y)


class Tanh(Function):
    """y = tanh x.   dy/dx = 1 - tanh^2 x = 1 - y^2."""

    @staticmethod
    def forward(ctx, x):
        y = Tensor._make(array_module(x.array).tanh(x.array))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * (1 - y * y)


class Sigmoid(Function):
    """y = 1 / (1 + e^-x).   dy/dx = y (1 - y).
    Forward uses tanh (sigmoid(x) = (1 + tanh(x/2)) / 2), which never overflows for large |x|."""

    @staticmethod
    def forward(ctx, x):
        xp = array_module(x.array)
        y = Tensor._make((xp.tanh(x.array * 0.5) + 1) * 0.5)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * y * (1 - y)


class Relu(Function):
    """y = max(x, 0).   dy/dx = 1 where x > 0, else 0."""

    @staticmethod
    def forward(ctx, x):
        y = Tensor._make(array_module(x.array).maximum(x.array, 0).astype(x.array.dtype, copy=False))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return ReluGradient.apply(grad, y)


class ReluGradient(Function):
    """g * (y > 0): Relu's backward as one op (torch's threshold_backward), given the output y.

    It is linear in g with a constant mask (relu's second derivative is 0 almost everywhere), so
    its own backward is the same product: dL/dg = A * (y > 0), and y gets no gradient."""

    @staticmethod
    def forward(ctx, grad, y):
        if ctx.needs_input_grad:  # recorded only under create_graph=True
            ctx.save_for_backward(y)
        return grad.array * (y.array > 0)  # a float times a bool mask: numpy promotes inside, no copy

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return ReluGradient.apply(grad, y), None


class Clamp(Function):
    """y = min(max(x, low), high).   dy/dx = 1 where low <= x <= high, else 0 (torch's convention);
    bounds given as tensors get the gradient where they are the active bound."""

    @staticmethod
    def forward(ctx, x, low, high):
        ctx.save_for_backward(x)
        ctx.low, ctx.high = low, high
        xp = array_module(x.array)
        out = x.array
        if low is not None:
            out = xp.maximum(out, value(low))
        if high is not None:
            out = xp.minimum(out, value(high))
        return out.astype(x.array.dtype, copy=out is x.array)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        low, high = ctx.low, ctx.high
        inside = x == x
        if low is not None:
            inside = inside & (x >= low)
        if high is not None:
            inside = inside & (x <= high)
        gx = grad * inside.to(grad.dtype) if ctx.needs_input_grad[0] else None
        g_low = g_high = None
        if ctx.needs_input_grad[1]:
            below = x < low if high is None else (x < low) & (low <= high)
            g_low = sum_to(grad * below.to(grad.dtype), low.array.shape)
        if ctx.needs_input_grad[2]:
            above = x > high if low is None else (x > high) | (low > high)
            g_high = sum_to(grad * above.to(grad.dtype), high.array.shape)
        return gx, g_low, g_high


class ClampScalar(Clamp):
    """clamp with number bounds: torch's overload 1 of clamp (ClampBackward1); the math is Clamp's."""
    torch_op, overload = "Clamp", 1


class ClampMin(Clamp):
    """clamp_min(number): a Clamp with only a lower bound; torch names its node ClampMinBackward0."""


class ClampMinTensor(Clamp):
    """clamp_min(tensor): torch's overload 1 of clamp_min (ClampMinBackward1)."""
    torch_op, overload = "ClampMin", 1


class ClampMax(Clamp):
    """clamp_max(number): a Clamp with only an upper bound; torch names its node ClampMaxBackward0."""


class ClampMaxTensor(Clamp):
    """clamp_max(tensor): torch's overload 1 of clamp_max (ClampMaxBackward1)."""
    torch_op, overload = "ClampMax", 1


class Hardtanh(Clamp):
    """hardtanh(x, low, high): the values of clamp with number bounds, but dy/dx = 1 only where
    low < x < high and 0 at the bounds themselves (torch's hardtanh_backward; clamp's is 1 there)."""

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        inside = (x > ctx.low) & (x < ctx.high)
        return grad * inside.to(grad.dtype), None, None


class Piecewise(Function):
    """floor, ceil, round, trunc, sign: flat almost everywhere, so the gradient is 0 (as torch)."""

    @staticmethod
    def forward(ctx, x, name, decimals=0):
        xp = array_module(x.array)
        if name == "round":
            return xp.round(x.array, decimals)
        return getattr(xp, name)(x.array)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, None, None


class Sign(Piecewise):
    """sign: a Piecewise; torch names its node SignBackward0."""


# ----------------------------------------------------------------------------- public functions
def neg(input):
    if is_bool(input):
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                           "invert a mask, use the `~` or `logical_not()` operator instead.")
    return Neg.apply(input)


def exp(input):
    return Exp.apply(float_operand(input))


def expm1(input):
    return Expm1.apply(float_operand(input))


def log(input):
    return Log.apply(float_operand(input))


def log1p(input):
    return Log1p.apply(float_operand(input))


def log2(input):
    return log(input) / math.log(2)


def log10(input):
    return log(input) / math.log(10)


def sqrt(input):
    return Sqrt.apply(float_operand(input))


def rsqrt(input):
    """1 / sqrt(input)."""
    return 1 / sqrt(input)


def square(input):
    return input * input


def reciprocal(input):
    return 1 / float_operand(input)


def abs(input):
    return Abs.apply(input)


def sign(input):
    return input.clone() if is_bool(input) else Sign.apply(input, "sign")


def floor(input):
    return Piecewise.apply(input, "floor")


def ceil(input):
    return Piecewise.apply(input, "ceil")


def trunc(input):
    return Piecewise.apply(input, "trunc")


def round(input, *, decimals=0):
    """Round half to even, as torch."""
    return Piecewise.apply(input, "round", decimals)


def frac(input):
    return input - trunc(input)


def sin(input):
    return Sin.apply(float_operand(input))


def cos(input):
    return Cos.apply(float_operand(input))


def tan(input):
    return Tan.apply(float_operand(input))


def tanh(input):
    return Tanh.apply(float_operand(input))


def sigmoid(input):
    return Sigmoid.apply(float_operand(input))


def relu(input):
    return Relu.apply(input)


def clamp(input, min=None, max=None):
    """Limit every element to [min, max]; either bound may be a number or a tensor."""
    return bounded(input, min, max, nodes=(ClampScalar, Clamp))


def bounded(input, low, high, nodes):
    """``input`` limited to [low, high] by one Clamp node: ``nodes`` is the class to use with number
    bounds and the one with tensor bounds (each named for the torch op that was called)."""
    if low is None and high is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(low, Tensor) or isinstance(high, Tensor):
        broadcast_shapes(input.shape, *[t.shape for t in (low, high) if isinstance(t, Tensor)])
        low = low.to(input.dtype) if isinstance(low, Tensor) else low
        high = high.to(input.dtype) if isinstance(high, Tensor) else high
    if not isinstance(low, (Tensor, type(None))) or not isinstance(high, (Tensor, type(None))):
        if not input.dtype.is_floating_point and any(isinstance(b, float) for b in (low, high)):
            input = input.to(_dtype.get_default_dtype())
    tensor_bounds = isinstance(low, Tensor) or isinstance(high, Tensor)
    return nodes[tensor_bounds].apply(input, low, high)


clip = clamp
