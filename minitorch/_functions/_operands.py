"""Getting operands ready for an op: torch's type promotion and broadcasting checks.

These run *before* a primitive, at the call the learner wrote, so that a mistake is reported
in torch's words and never as an error from deep inside numpy.
"""
import numpy as np

from .. import _dtype
from .._integer_range import wrapped
from .._tensor import Tensor, type_name


def broadcast_shapes(*shapes):
    """The shape that all ``shapes`` broadcast to, with torch's error when they cannot.

    Shapes are aligned on their last dimension; two sizes match when equal or when one is 1.
    """
    ndim = max(len(s) for s in shapes)
    result = [1] * ndim
    for shape in shapes:
        offset = ndim - len(shape)
        for i in reversed(range(len(shape))):  # from the last dim, so a mismatch is named as torch names it
            size, current = shape[i], result[offset + i]
            if size != current and current != 1 and size != 1:
                raise RuntimeError(
                    f"The size of tensor a ({current}) must match the size of tensor b ({size}) at non-singleton "
                    f"dimension {offset + i} (shapes {list(shapes[0])} and {list(shape)}; sizes must be equal "
                    "or 1 to broadcast)")
            if current == 1:
                result[offset + i] = size
    return tuple(result)


def value(x):
    """The raw array of a Tensor, or the number itself: what a primitive's forward computes with."""
    return x.array if isinstance(x, Tensor) else x


def binary_operands(a, b, to_float=False):
    """Promote ``a`` and ``b`` (Tensors or numbers) to one dtype and check they broadcast.

    A Python number stays a number (cast to the result's numpy scalar type), so it costs no
    tensor and works unchanged on either device. ``to_float`` is for true division: integer
    results become the default float dtype, as ``torch.tensor(7) / 2`` is 3.5.
    """
    a_tensor, b_tensor = isinstance(a, Tensor), isinstance(b, Tensor)
    if a_tensor and b_tensor:
        if a.array.shape != b.array.shape:
            broadcast_shapes(a.array.shape, b.array.shape)
        if a.array.dtype == b.array.dtype and not (to_float and a.array.dtype.kind in "biu"):
            return a, b
        if {a.array.dtype.kind, b.array.dtype.kind} == {"f", "b"}:  # a float and a bool mask: torch's result is
            return a, b                                             # the float, and numpy's ufunc gives it too
    result = _dtype.result_type(a, b)
    if to_float and not (result.is_floating_point or result.is_complex):
        result = _dtype.get_default_dtype()
    if a_tensor and b_tensor and np.promote_types(a.array.dtype, b.array.dtype) == result.numpy:
        return a, b  # numpy's ufunc promotes to torch's dtype by itself (e.g. float * bool mask): no copy
    return _cast(a, result), _cast(b, result)


def _cast(x, dtype):
    if isinstance(x, Tensor):
        return x if x.array.dtype == dtype.numpy else x.to(dtype)
    if not isinstance(x, (bool, int, float, complex, np.generic)):
        raise TypeError(f"expected a Tensor or a Python number as operand, got {type(x).__name__}")
    try:
        return dtype.numpy.type(x)
    except OverflowError:  # an int the integer dtype cannot hold (uint8 + 300): it wraps around, as in torch
        return wrapped(x, dtype.numpy)


def float_operand(x):
    """Ops such as exp or sqrt give a float: integer and bool tensors become the default float."""
    if not isinstance(x, Tensor):
        raise TypeError(f"expected a Tensor, not {type_name(x)} (make one with torch.tensor(...) or "
                        "torch.from_numpy(...))")
    if x.array.dtype.kind in "biu":
        return x.to(_dtype.get_default_dtype())
    return x


def check_tensors(function, **arguments):
    """Each of ``arguments`` (the function's leading parameters, in order) is a Tensor; else torch's
    TypeError, e.g. "conv2d(): argument 'input' (position 1) must be Tensor, not numpy.ndarray"."""
    for position, (name, value) in enumerate(arguments.items(), 1):
        if not isinstance(value, Tensor):
            raise TypeError(f"{function}(): argument '{name}' (position {position}) must be Tensor, not "
                            f"{type_name(value)} (make one with torch.tensor(...) or torch.from_numpy(...))")


def save_operands(ctx, *operands):
    """Save the tensor operands for backward; numbers (e.g. the 2 in ``x * 2``) are kept as they are."""
    ctx.save_for_backward(*(o if isinstance(o, Tensor) else None for o in operands))
    ctx.numbers = tuple(None if isinstance(o, Tensor) else o for o in operands)


def saved_operands(ctx):
    """The operands given to ``save_operands``, tensors checked for in-place changes since."""
    return tuple(n if t is None else t for t, n in zip(ctx.saved_tensors, ctx.numbers))


def shape_of(x):
    """A tensor's shape; a number counts as shape ()."""
    return x.array.shape if isinstance(x, Tensor) else ()


def sum_to(grad, shape):
    """The gradient of an input that was broadcast is summed back to the input's shape."""
    return grad.sum_to_size(shape) if grad.array.shape != shape else grad


def is_bool(x):
    return isinstance(x, Tensor) and x.array.dtype.kind == "b"
