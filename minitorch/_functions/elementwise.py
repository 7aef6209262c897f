"""Elementwise primitives: y_i = f(x_i) or z_i = f(x_i, y_i), with broadcasting.

Every backward uses the chain rule elementwise: dL/dx_i = dL/dy_i * f'(x_i). When an input
was broadcast in forward (a (3,) bias added to a (2, 3) matrix), its gradient is summed back
over the broadcast dimensions: ``grad.sum_to_size(x.shape)``.
"""
import math

from .. import _dtype
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from ._operands import (binary_operands, broadcast_shapes, float_operand, save_operands, saved_operands,
                        shape_of, value)
from .inplace import write_out


def _sum_to(grad, shape):
    """The gradient of a broadcast input is summed back to the input's shape."""
    return grad.sum_to_size(shape) if grad.array.shape != shape else grad


# ----------------------------------------------------------------------------- binary
class Add(Function):
    """z = x + y.   dz/dx = 1, dz/dy = 1.  (``add`` puts a Python number, if any, in y.)"""

    @staticmethod
    def forward(ctx, x, y):
        if ctx.needs_input_grad:
            ctx.shapes = x.array.shape, shape_of(y)
        return x.array + value(y)

    @staticmethod
    def backward(ctx, grad):
        gx = _sum_to(grad, ctx.shapes[0]) if ctx.needs_input_grad[0] else None
        gy = _sum_to(grad, ctx.shapes[1]) if ctx.needs_input_grad[1] else None
        return gx, gy


class Sub(Function):
    """z = x - y.   dz/dx = 1, dz/dy = -1.  (A primitive rather than x + (-y): one node, not two.)"""

    @staticmethod
    def forward(ctx, x, y):
        if ctx.needs_input_grad:
            ctx.shapes = shape_of(x), shape_of(y)
        return value(x) - value(y)

    @staticmethod
    def backward(ctx, grad):
        gx = _sum_to(grad, ctx.shapes[0]) if ctx.needs_input_grad[0] else None
        gy = _sum_to(-grad, ctx.shapes[1]) if ctx.needs_input_grad[1] else None
        return gx, gy


class Mul(Function):
    """z = x * y.   dz/dx = y, dz/dy = x.  (``mul`` puts a Python number, if any, in y.)"""

    @staticmethod
    def forward(ctx, x, y):
        if ctx.needs_input_grad:  # save y only if x needs a gradient, and x only if y does (as torch)
            need_x, need_y = ctx.needs_input_grad
            y_is_tensor = isinstance(y, Tensor)
            ctx.save_for_backward(x if need_y else None, y if need_x and y_is_tensor else None)
            ctx.number = None if y_is_tensor else y
            ctx.shapes = x.array.shape, shape_of(y)
        return x.array * value(y)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        if ctx.number is not None:
            y = ctx.number
        gx = _sum_to(grad * y, ctx.shapes[0]) if ctx.needs_input_grad[0] else None
        gy = _sum_to(grad * x, ctx.shapes[1]) if ctx.needs_input_grad[1] else None
        return gx, gy


class Div(Function):
    """z = x / y.   dz/dx = 1 / y, dz/dy = -x / y^2.
    (A primitive rather than x * y^-1 so that values are correctly rounded, as torch's.)"""

    @staticmethod
    def forward(ctx, x, y):
        save_operands(ctx, x, y)
        return value(x) / value(y)

    @staticmethod
    def backward(ctx, grad):
        x, y = saved_operands(ctx)
        grad_over_y = grad / y
        gx = _sum_to(grad_over_y, shape_of(x)) if ctx.needs_input_grad[0] else None
        gy = _sum_to(-(grad_over_y * x) / y, shape_of(y)) if ctx.needs_input_grad[1] else None
        return gx, gy


class Pow(Function):
    """z = x ** y.   dz/dx = y * x^(y-1),  dz/dy = x^y * ln(x)  (taken as 0 where x = 0, as torch)."""

    @staticmethod
    def forward(ctx, x, y):
        save_operands(ctx, x, y)
        return value(x) ** value(y)

    @staticmethod
    def backward(ctx, grad):
        x, y = saved_operands(ctx)
        gx = gy = None
        if ctx.needs_input_grad[0]:
            gx = _sum_to(grad * y * x ** (y - 1) if not _is_zero(y) else grad * 0, shape_of(x))
        if ctx.needs_input_grad[1]:
            log_x = x.masked_fill(x == 0, 1).log() if isinstance(x, Tensor) else _log_number(x)
            dz_dy = (x ** y) * log_x
            if isinstance(x, Tensor):
                dz_dy = dz_dy.masked_fill((x == 0) & (y >= 0), 0)
            gy = _sum_to(grad * dz_dy, shape_of(y))
        return gx, gy


def _log_number(x):
    """ln x of a Python number as torch computes it elementwise: nan below 0, and 0 at 0 (see Pow)."""
    return math.log(x) if x > 0 else (0.0 if x == 0 else math.nan)


def _is_zero(y):
    return not isinstance(y, Tensor) and y == 0


class _Pick(Function):
    """z = max(x, y) for Maximum, min(x, y) for Minimum.  The gradient goes to the input that was
    picked; on ties it is split in half between both (as torch)."""

    largest = True

    @classmethod
    def forward(cls, ctx, x, y):
        ctx.save_for_backward(x, y)
        xp = array_module(x.array)
        return (xp.maximum if cls.largest else xp.minimum)(x.array, y.array)

    @classmethod
    def backward(cls, ctx, grad):
        x, y = ctx.saved_tensors
        x_picked = x > y if cls.largest else x < y
        share_x = x_picked.to(grad.dtype) + (x == y).to(grad.dtype) * 0.5
        gx = _sum_to(grad * share_x, x.array.shape) if ctx.needs_input_grad[0] else None
        gy = _sum_to(grad * (1 - share_x), y.array.shape) if ctx.needs_input_grad[1] else None
        return gx, gy


class Maximum(_Pick):
    largest = True


class Minimum(_Pick):
    largest = False


class Where(Function):
    """z = x where condition else y.   dz/dx = condition, dz/dy = not condition."""

    @staticmethod
    def forward(ctx, condition, x, y):
        ctx.condition, ctx.shapes = condition, (shape_of(x), shape_of(y))
        return array_module(condition.array).where(condition.array, value(x), value(y))

    @staticmethod
    def backward(ctx, grad):
        cond = ctx.condition
        gx = _sum_to(grad.masked_fill(~cond, 0), ctx.shapes[0]) if ctx.needs_input_grad[1] else None
        gy = _sum_to(grad.masked_fill(cond, 0), ctx.shapes[1]) if ctx.needs_input_grad[2] else None
        return None, gx, gy


# ----------------------------------------------------------------------------- unary
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
        return grad * (y > 0).to(grad.dtype)


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
            g_low = _sum_to(grad * below.to(grad.dtype), low.array.shape)
        if ctx.needs_input_grad[2]:
            above = x > high if low is None else (x > high) | (low > high)
            g_high = _sum_to(grad * above.to(grad.dtype), high.array.shape)
        return gx, g_low, g_high


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


# ----------------------------------------------------------------------------- public functions
def add(input, other, *, alpha=1):
    """input + alpha * other."""
    if alpha != 1:
        other = other * alpha
    x, y = binary_operands(input, other)
    return Add.apply(x, y) if isinstance(x, Tensor) else Add.apply(y, x)


def sub(input, other, *, alpha=1):
    """input - alpha * other."""
    if alpha != 1:
        other = other * alpha
    x, y = binary_operands(input, other)
    if _is_bool(x) and _is_bool(y):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                           "`logical_xor()` operator instead.")
    return Sub.apply(x, y)


def mul(input, other, *, out=None):
    x, y = binary_operands(input, other)
    return write_out(Mul.apply(x, y) if isinstance(x, Tensor) else Mul.apply(y, x), out, "mul")


def div(input, other, *, rounding_mode=None):
    """True division (ints give floats); ``rounding_mode`` "trunc" or "floor" rounds the result."""
    if rounding_mode is None:
        return Div.apply(*binary_operands(input, other, to_float=True))
    a, b = binary_operands(input, other)
    if rounding_mode not in ("trunc", "floor"):
        raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                         f"'{rounding_mode}'")
    tensor = a if isinstance(a, Tensor) else b
    if tensor.dtype.is_floating_point:
        return Piecewise.apply(Div.apply(a, b), rounding_mode)
    if bool((Tensor._make(value(b)) == 0).any()):  # numpy would silently give 0
        raise RuntimeError("ZeroDivisionError: integer division (//, %, div with rounding_mode) by zero")
    quotient = Tensor._make(value(a) // value(b))
    if rounding_mode == "trunc":
        exact = Tensor._make(value(a) / value(b))
        return Piecewise.apply(exact, "trunc").to(quotient.dtype)
    return quotient


def floor_divide(input, other):
    return div(input, other, rounding_mode="floor")


def remainder(input, other):
    """input - floor(input / other) * other (the sign follows the divisor, like Python's %)."""
    a, b = binary_operands(input, other)
    return a - floor_divide(a, b) * b


def fmod(input, other):
    """input - trunc(input / other) * other (the sign follows the dividend, like C's fmod)."""
    a, b = binary_operands(input, other)
    return a - div(a, b, rounding_mode="trunc") * b


def pow(input, exponent):
    x, y = binary_operands(input, exponent)
    if not _is_float(x) and not _is_float(y) and bool((Tensor._make(value(y)) < 0).any()):
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    return Pow.apply(x, y)


def _is_float(x):
    return value(x).dtype.kind in "fc"  # numbers are numpy scalars here (binary_operands cast them)


def _is_bool(x):
    return isinstance(x, Tensor) and x.array.dtype.kind == "b"


def maximum(input, other):
    return Maximum.apply(*binary_operands(input, other))


def minimum(input, other):
    return Minimum.apply(*binary_operands(input, other))


def where(condition, input=None, other=None):
    """Elementwise choice: ``input`` where ``condition`` is True, else ``other``."""
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    if condition.array.dtype.kind != "b":
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{condition.dtype}")
    x, y = binary_operands(input, other)
    shapes = [t.array.shape for t in (condition, x, y) if isinstance(t, Tensor)]
    broadcast_shapes(*shapes)
    return Where.apply(condition, x, y)


def neg(input):
    if _is_bool(input):
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
    return input.clone() if _is_bool(input) else Piecewise.apply(input, "sign")


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
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    low, high = min, max
    if isinstance(low, Tensor) or isinstance(high, Tensor):
        broadcast_shapes(input.shape, *[t.shape for t in (low, high) if isinstance(t, Tensor)])
        low = low.to(input.dtype) if isinstance(low, Tensor) else low
        high = high.to(input.dtype) if isinstance(high, Tensor) else high
    if not isinstance(low, (Tensor, type(None))) or not isinstance(high, (Tensor, type(None))):
        if not input.dtype.is_floating_point and any(isinstance(b, float) for b in (low, high)):
            input = input.to(_dtype.get_default_dtype())
    return Clamp.apply(input, low, high)


clip = clamp
