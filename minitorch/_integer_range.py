"""Numbers that an integer dtype cannot hold, handled as torch handles them.

Making a tensor from numbers (``tensor([300], dtype=torch.uint8)``, ``full``, ``fill_``) refuses them
with torch's "value cannot be converted to type uint8 without overflow". An unsigned type also takes
negative numbers down to -max, stored as two's complement: ``tensor([-1], dtype=torch.uint8)`` is 255.

Arithmetic with a Python number wraps around instead, as machine integers do: for a uint8 tensor
``x + 300`` adds 44 (300 - 256), so ``uint8 1 + 300`` is 45, as in torch.
"""
import numpy as np


def check_fits(values, dtype):
    """torch's overflow error when some of ``values`` (a number or a numpy array) do not fit the
    integer ``dtype`` (a minitorch dtype); other dtypes take any number."""
    if dtype.numpy.kind not in "iu":
        return
    info = np.iinfo(dtype.numpy)
    low = -int(info.max) if info.min == 0 else int(info.min)  # unsigned: negatives down to -max wrap around
    values = np.asarray(values)
    outside = (values < low) | (values > info.max)
    if outside.any():
        raise RuntimeError(f"value cannot be converted to type {dtype.name} without overflow: "
                           f"{np.atleast_1d(values)[np.atleast_1d(outside)][0]} is outside the range {dtype} can "
                           f"hold ({low} to {info.max}); use a wider dtype, e.g. torch.int64, or torch.float32")


def wrapped(number, np_dtype):
    """The integer ``number`` as a scalar of the integer numpy dtype, wrapped around as machine
    integers are: modulo 2**bits, into the dtype's range (300 -> 44 for uint8, 200 -> -56 for int8)."""
    bits = 8 * np_dtype.itemsize
    number = int(number) % (1 << bits)
    if np_dtype.kind == "i" and number >= 1 << (bits - 1):
        number -= 1 << bits
    return np_dtype.type(number)


def checked_scalar(number, dtype):
    """``number`` as a scalar of ``dtype`` for filling a tensor: checked to fit (see ``check_fits``),
    negative numbers wrapped into an unsigned type as torch stores them."""
    check_fits(number, dtype)
    if dtype.numpy.kind in "iu" and not isinstance(number, float):
        return wrapped(number, dtype.numpy)
    return dtype.numpy.type(number)
