"""Comparisons and logical ops: results are bool tensors, and they are not differentiable
(a step function has zero gradient almost everywhere), so no Function is needed."""
from .._backend import array_module
from .._tensor import Tensor
from ._operands import binary_operands, value


def _compare(name, input, other):
    a, b = binary_operands(input, other)
    if not isinstance(a, Tensor):
        a, b = b, a
        name = _MIRROR.get(name, name)
    return Tensor._make(getattr(array_module(a.array), name)(a.array, value(b)))


_MIRROR = {"less": "greater", "greater": "less", "less_equal": "greater_equal", "greater_equal": "less_equal"}


def eq(input, other):
    return _compare("equal", input, other)


def ne(input, other):
    return _compare("not_equal", input, other)


def lt(input, other):
    return _compare("less", input, other)


def le(input, other):
    return _compare("less_equal", input, other)


def gt(input, other):
    return _compare("greater", input, other)


def ge(input, other):
    return _compare("greater_equal", input, other)


less, less_equal, greater, greater_equal, not_equal = lt, le, gt, ge, ne


def logical_and(input, other):
    return _compare("logical_and", input, other)


def logical_or(input, other):
    return _compare("logical_or", input, other)


def logical_xor(input, other):
    return _compare("logical_xor", input, other)


def logical_not(input):
    return Tensor._make(array_module(input.array).logical_not(input.array))


def _bitwise(name, input, other):
    a, b = binary_operands(input, other)
    if not isinstance(a, Tensor):
        a, b = b, a
    if a.dtype.is_floating_point:
        raise RuntimeError(f"\"{name}_cpu\" not implemented for '{a.dtype.scalar_type}': bitwise and "
                           "logical operators (&, |, ^, ~) need bool or integer tensors; for conditions on floats "
                           "compare first, e.g. (x > 0) & (x < 1)")
    return Tensor._make(getattr(array_module(a.array), name)(a.array, value(b)))


def bitwise_and(input, other):
    return _bitwise("bitwise_and", input, other)


def bitwise_or(input, other):
    return _bitwise("bitwise_or", input, other)


def bitwise_xor(input, other):
    return _bitwise("bitwise_xor", input, other)


def bitwise_not(input):
    if input.dtype.is_floating_point:
        raise TypeError("~ (bitwise_not) is only supported for integer and boolean tensors")
    return Tensor._make(array_module(input.array).invert(input.array))


def isnan(input):
    return Tensor._make(array_module(input.array).isnan(input.array))


def isinf(input):
    return Tensor._make(array_module(input.array).isinf(input.array))


def isfinite(input):
    return Tensor._make(array_module(input.array).isfinite(input.array))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b = binary_operands(input, other)
    return Tensor._make(array_module(a.array).isclose(a.array, value(b), rtol=rtol, atol=atol, equal_nan=equal_nan))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True when every element of ``input`` is close to ``other``: |a - b| <= atol + rtol * |b|."""
    if isinstance(other, Tensor) and other.dtype != input.dtype:
        raise RuntimeError(f"{input.dtype.scalar_type} did not match {other.dtype.scalar_type} (allclose compares "
                           f"tensors of one dtype: convert one, e.g. other.to({input.dtype}))")
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


def equal(input, other):
    """True when both tensors have the same shape and elements."""
    return input.shape == other.shape and bool((input == other).all())
