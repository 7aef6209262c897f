"""Binary elementwise primitives: z_i = f(x_i, y_i), with broadcasting (unary ones are in unary.py).

Every backward uses the chain rule elementwise: dL/dx_i = dL/dz_i * df/dx_i. When an input
was broadcast in forward (a (3,) bias added to a (2, 3) matrix), its gradient is summed back
over the broadcast dimensions: ``grad.sum_to_size(x.shape)``.
"""
import math

from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from ._operands import (binary_operands, broadcast_shapes, is_bool, save_operands, saved_operands, shape_of, sum_to,
                        value)
from .inplace import write_out
from .unary import Piecewise


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
        gx = sum_to(grad, ctx.shapes[0]) if ctx.needs_input_grad[0] else None
        gy = sum_to(grad, ctx.shapes[1]) if ctx.needs_input_grad[1] else None
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
        gx = sum_to(grad, ctx.shapes[0]) if ctx.needs_input_grad[0] else None
        gy = sum_to(-grad, ctx.shapes[1]) if ctx.needs_input_grad[1] else None
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
        gx = sum_to(grad * y, ctx.shapes[0]) if ctx.needs_input_grad[0] else None
        gy = sum_to(grad * x, ctx.shapes[1]) if ctx.needs_input_grad[1] else None
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
        gx = sum_to(grad_over_y, shape_of(x)) if ctx.needs_input_grad[0] else None
        gy = sum_to(-(grad_over_y * x) / y, shape_of(y)) if ctx.needs_input_grad[1] else None
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
            gx = sum_to(grad * y * x ** (y - 1) if not _is_zero(y) else grad * 0, shape_of(x))
        if ctx.needs_input_grad[1]:
            log_x = x.masked_fill(x == 0, 1).log() if isinstance(x, Tensor) else _log_number(x)
            dz_dy = (x ** y) * log_x
            if isinstance(x, Tensor):
                dz_dy = dz_dy.masked_fill((x == 0) & (y >= 0), 0)
            gy = sum_to(grad * dz_dy, shape_of(y))
        return gx, gy


def _log_number(x):
    """ln x of a Python number as torch computes it elementwise: nan below 0, and 0 at 0 (see Pow)."""
    return math.log(x) if x > 0 else (0.0 if x == 0 else math.nan)


def _is_zero(y):
    return not isinstance(y, Tensor) and y == 0


class PowTensors(Pow):
    """tensor ** tensor: torch's overload 1 of pow (PowBackward1); the math is Pow's."""
    torch_op, overload = "Pow", 1


class PowOfNumber(Pow):
    """number ** tensor: torch's overload 2 of pow (PowBackward2); the math is Pow's."""
    torch_op, overload = "Pow", 2


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
        gx = sum_to(grad * share_x, x.array.shape) if ctx.needs_input_grad[0] else None
        gy = sum_to(grad * (1 - share_x), y.array.shape) if ctx.needs_input_grad[1] else None
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
        gx = sum_to(grad.masked_fill(~cond, 0), ctx.shapes[0]) if ctx.needs_input_grad[1] else None
        gy = sum_to(grad.masked_fill(cond, 0), ctx.shapes[1]) if ctx.needs_input_grad[2] else None
        return None, gx, gy


class MaskedFill(Where):
    """masked_fill(mask, number): a Where; torch names its node MaskedFillBackward0."""


class MaskedFillWithTensor(Where):
    """masked_fill(mask, 0-d tensor): a Where; torch's overload 1 of masked_fill (MaskedFillBackward1)."""
    torch_op, overload = "MaskedFill", 1


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
    if is_bool(x) and is_bool(y):
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
    node = Pow if not isinstance(y, Tensor) else PowTensors if isinstance(x, Tensor) else PowOfNumber
    return node.apply(x, y)


def _is_float(x):
    return value(x).dtype.kind in "fc"  # numbers are numpy scalars here (binary_operands cast them)


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
    return choose(Where, condition, input, other)


def choose(node, condition, input, other):
    """``node`` (Where, or a subclass named for another torch op) of a boolean condition and two
    operands, after checking that the three broadcast together."""
    x, y = binary_operands(input, other)
    broadcast_shapes(*[t.array.shape for t in (condition, x, y) if isinstance(t, Tensor)])
    return node.apply(condition, x, y)
