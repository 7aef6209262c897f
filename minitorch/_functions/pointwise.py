"""More elementwise ops: mostly compositions of the primitives in elementwise.py and unary.py, so their gradients
come free; logaddexp and xlogy are primitives because composing them loses accuracy or gives NaN
gradients where torch gives numbers (each says why).
"""
import math

from .. import _dtype
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from ._operands import (binary_operands, broadcast_shapes, float_operand, save_operands, saved_operands, shape_of,
                        sum_to, value)
from .unary import ClampMax, ClampMaxTensor, ClampMin, ClampMinTensor, bounded


class LogAddExp(Function):
    """z = log(e^x + e^y), computed as max + log1p(e^-|x - y|) so it never overflows (a primitive for
    stability).   dz/dx = e^x / (e^x + e^y) = sigmoid(x - y),  dz/dy = sigmoid(y - x)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return array_module(x.array).logaddexp(x.array, y.array)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        gx = sum_to(grad * (x - y).sigmoid(), x.array.shape) if ctx.needs_input_grad[0] else None
        gy = sum_to(grad * (y - x).sigmoid(), y.array.shape) if ctx.needs_input_grad[1] else None
        return gx, gy


class XLogY(Function):
    """z = x * ln(y), and 0 where x = 0 (even if y = 0: the limit used in entropies). A primitive because
    x * y.log() would give 0 * -inf = NaN.   dz/dx = ln(y) (0 where x = 0 and y <= 0, as torch),  dz/dy = x / y."""

    @staticmethod
    def forward(ctx, x, y):
        save_operands(ctx, x, y)
        a, b = value(x), value(y)
        xp = array_module(a if isinstance(x, Tensor) else b)
        with_zero = xp.where(a == 0, 0, a * xp.log(xp.where(a == 0, 1, b)))
        return xp.where(xp.isnan(b), b, with_zero).astype(xp.result_type(a, b), copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, y = saved_operands(ctx)
        gx = gy = None
        if ctx.needs_input_grad[0]:  # torch's choice: ln(y) even at x = 0, but 0 where x = 0 and y <= 0
            undefined = (x == 0) & ((y <= 0) if isinstance(y, Tensor) else bool(y <= 0))
            gx = sum_to(xlogy(grad, y).masked_fill(undefined, 0), shape_of(x))
        if ctx.needs_input_grad[1]:
            gy = sum_to(grad * x / y, shape_of(y))
        return gx, gy


class CopySign(Function):
    """z = |x| with the sign bit of y.   dz/dx = z / x (+1 or -1; 0 where x = 0, as torch),  dz/dy = 0."""

    @staticmethod
    def forward(ctx, x, y):
        z = Tensor._make(array_module(x.array).copysign(x.array, value(y)))
        ctx.save_for_backward(x, z)
        ctx.y_shape = shape_of(y)
        return z

    @staticmethod
    def backward(ctx, grad):
        x, z = ctx.saved_tensors
        gx = sum_to(grad * (z / x).masked_fill(x == 0, 0), x.array.shape) if ctx.needs_input_grad[0] else None
        gy = sum_to(grad * 0, ctx.y_shape) if ctx.needs_input_grad[1] else None
        return gx, gy


def logaddexp(input, other):
    """log(exp(input) + exp(other)) without overflow. Floating tensors only, as torch."""
    if not isinstance(other, Tensor):
        raise TypeError(f"logaddexp(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
    x, y = binary_operands(input, other)
    if not x.dtype.is_floating_point:
        raise NotImplementedError(f'"logaddexp_cpu" not implemented for \'{x.dtype.scalar_type}\': logaddexp needs '
                                  f"floating tensors (got {input.dtype} and {other.dtype}); convert with .float()")
    return LogAddExp.apply(x, y)


def logaddexp2(input, other):
    """log2(2^input + 2^other) = logaddexp(input ln 2, other ln 2) / ln 2."""
    return logaddexp(input * math.log(2), other * math.log(2)) / math.log(2)


def xlogy(input, other):
    """input * log(other), with 0 where input is 0. Either side may be a Python number."""
    return XLogY.apply(*binary_operands(input, other, to_float=True))


def exp2(input):
    """2 ** input."""
    return 2.0 ** float_operand(input)


def float_power(input, exponent):
    """input ** exponent computed in float64 (both sides converted first), as torch."""
    def as_double(x):
        return x.to(_dtype.float64) if isinstance(x, Tensor) else float(x)
    return as_double(input) ** as_double(exponent)


def lerp(input, end, weight):
    """Linear interpolation: input + weight * (end - input) (weight a number or a tensor).
    d/dinput = 1 - weight, d/dend = weight, d/dweight = end - input."""
    for name, other in (("end", end), ("weight", weight)):
        if isinstance(other, Tensor) and other.dtype is not input.dtype:
            raise RuntimeError(f"expected dtype {input.dtype.scalar_type.lower()} for `{name}` but got dtype "
                               f"{other.dtype.scalar_type.lower()} "
                               f"(lerp needs input, end and a tensor weight of one dtype)")
    if isinstance(weight, Tensor):
        broadcast_shapes(input.shape, end.shape, weight.shape)
    return input + weight * (end - input)


def addcmul(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 * tensor2."""
    return input + value * tensor1 * tensor2


def addcdiv(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 / tensor2 (floating tensors only, as torch)."""
    if not tensor1.dtype.is_floating_point and not tensor2.dtype.is_floating_point:
        raise RuntimeError(f"Integer division with addcdiv is no longer supported (got {tensor1.dtype} and "
                           f"{tensor2.dtype}); use input + value * tensor1 / tensor2, or convert with .float()")
    return input + value * tensor1 / tensor2


def clamp_min(input, min):
    """max(input, min) elementwise: clamp(input, min=min)."""
    return bounded(input, min, None, nodes=(ClampMin, ClampMinTensor))


def clamp_max(input, max):
    """min(input, max) elementwise: clamp(input, max=max)."""
    return bounded(input, None, max, nodes=(ClampMax, ClampMaxTensor))


def signbit(input):
    """True where the sign bit is set (negative numbers, -0.0 and NaNs with the bit set)."""
    return Tensor._make(array_module(input.array).signbit(input.array))


def copysign(input, other):
    """|input| with the sign of other, elementwise (a float result)."""
    x, y = binary_operands(input, other, to_float=True)
    return CopySign.apply(x, y)


def heaviside(input, values):
    """The step function: 0 where input < 0, ``values`` where input == 0, 1 where input > 0.
    Not differentiable (torch has no gradient for it)."""
    if input.dtype is not values.dtype:
        raise RuntimeError(f"heaviside is not yet implemented for tensors with different dtypes (got "
                           f"{input.dtype} and {values.dtype})")
    broadcast_shapes(input.shape, values.shape)
    xp = array_module(input.array)
    step = xp.where(input.array == 0, values.array, (input.array > 0).astype(input.array.dtype))
    return Tensor._make(step.astype(input.array.dtype, copy=False))


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """NaN -> ``nan``, +inf -> ``posinf``, -inf -> ``neginf`` (by default the dtype's largest and smallest
    finite values). The gradient passes where input is finite and is 0 where a value was replaced."""
    if not input.dtype.is_floating_point:
        return input.clone()
    info = array_module(input.array).finfo(input.array.dtype)
    posinf = float(info.max) if posinf is None else posinf
    neginf = float(info.min) if neginf is None else neginf
    detached = input.detach()
    return input.masked_fill(detached.isnan(), nan).masked_fill(detached == math.inf, posinf) \
        .masked_fill(detached == -math.inf, neginf)
