"""dtypes: torch's names on top of numpy's dtypes, and torch's type-promotion rules.

A ``minitorch.dtype`` is a thin label over a numpy dtype (cupy uses the same ones).
Promotion follows torch, not numpy: ``int64_tensor * 2.5`` is float32 (numpy says float64),
and a Python number or a 0-d tensor only changes the result's dtype when it belongs to a
higher category (bool < integer < floating < complex).
"""
import numpy as np

_CATEGORY_OF_KIND = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


class dtype:
    """A tensor element type, e.g. ``minitorch.float32``. Compares by identity, like torch's."""

    __slots__ = ("name", "numpy", "is_floating_point", "is_complex", "is_signed", "itemsize", "_category")

    def __init__(self, name, numpy_dtype):
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self._category = _CATEGORY_OF_KIND[self.numpy.kind]
        self.is_floating_point = self._category == 2
        self.is_complex = self._category == 3
        self.is_signed = self.numpy.kind in "ifc"
        self.itemsize = self.numpy.itemsize

    def __repr__(self):
        return f"torch.{self.name}"

    @property
    def scalar_type(self):
        """The name torch's C++ messages use: Float, Long, Bool..."""
        return _SCALAR_TYPES[self.name]

    def __reduce__(self):
        return self.name


bool_ = dtype("bool", np.bool_)
uint8 = dtype("uint8", np.uint8)
int8 = dtype("int8", np.int8)
int16 = dtype("int16", np.int16)
int32 = dtype("int32", np.int32)
int64 = dtype("int64", np.int64)
float16 = dtype("float16", np.float16)
float32 = dtype("float32", np.float32)
float64 = dtype("float64", np.float64)
complex64 = dtype("complex64", np.complex64)
complex128 = dtype("complex128", np.complex128)

_SCALAR_TYPES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long",
                 "float16": "Half", "float32": "Float", "float64": "Double", "complex64": "ComplexFloat",
                 "complex128": "ComplexDouble"}
ALL = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64, complex64, complex128)
ALIASES = {"half": float16, "float": float32, "double": float64, "short": int16, "int": int32,
           "long": int64, "bool": bool_, "cfloat": complex64, "cdouble": complex128}
_FROM_NUMPY = {d.numpy: d for d in ALL}

_default_float = float32


def from_numpy(np_dtype):
    """The minitorch dtype of a numpy dtype; numpy's unsupported types raise a TypeError."""
    try:
        return _FROM_NUMPY[np_dtype]
    except KeyError:
        raise TypeError(f"can't convert numpy dtype {np.dtype(np_dtype)}: minitorch supports only "
                        f"{', '.join(d.name for d in ALL)}") from None


def to_dtype(d):
    """Accept a minitorch dtype, a numpy dtype, a type such as ``float`` or a legacy tensor type such
    as ``FloatTensor`` (``x.type(torch.LongTensor)``); return a minitorch dtype."""
    if isinstance(d, dtype):
        return d
    if isinstance(d, type) and isinstance(getattr(d, "dtype", None), dtype):
        return d.dtype
    if d is float:
        return _default_float
    if d is int:
        return int64
    if d is bool:
        return bool_
    if d is complex:
        return complex64
    return from_numpy(np.dtype(d))


def get_default_dtype():
    """The dtype of floating tensors created from Python floats (float32 unless changed)."""
    return _default_float


def set_default_dtype(d):
    """Set the default floating dtype (float32 or float64), as ``torch.set_default_dtype``."""
    global _default_float
    d = to_dtype(d)
    if d not in (float16, float32, float64):
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float = d


def scalar_dtype(value):
    """The dtype torch gives a Python number: bool, int64, the default float, or complex64."""
    if isinstance(value, (bool, np.bool_)):
        return bool_
    if isinstance(value, (int, np.integer)):
        return int64
    if isinstance(value, (float, np.floating)):
        return _default_float
    if isinstance(value, (complex, np.complexfloating)):
        return complex128 if _default_float is float64 else complex64
    raise TypeError(f"expected a Tensor or a Python number, got {type(value).__name__}")


def promote_types(a, b):
    """The smallest dtype both ``a`` and ``b`` can be cast to, with torch's table.

    Unlike numpy, a float wins over any integer without growing: int64 + float32 -> float32.
    """
    if a is b:
        return a
    if a._category != b._category:
        high, low = (a, b) if a._category > b._category else (b, a)
        if high.is_complex and low.is_floating_point and low.itemsize * 2 > high.itemsize:
            return complex128
        return high
    return from_numpy(np.promote_types(a.numpy, b.numpy))


def _combine_categories(higher, lower):
    """torch's rule for a higher-priority group (e.g. tensors with dims) meeting a lower one."""
    if higher is None or lower is None:
        return lower if higher is None else higher
    if higher.is_complex:
        return higher
    if lower.is_complex:
        return (complex128 if higher is float64 else complex64) if higher.is_floating_point else lower
    if higher.is_floating_point:
        return higher
    if higher is bool_ or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def result_type(*operands):
    """The dtype of an op on these operands (Tensors and Python numbers), with torch's rules.

    Three groups, in priority order: tensors with at least one dim, 0-d tensors, Python numbers.
    A lower group only matters when its category (bool < int < float < complex) is higher.
    """
    dims = zero_dims = numbers = None
    for op in operands:
        if hasattr(op, "dtype") and hasattr(op, "ndim"):
            d = op.dtype if isinstance(op.dtype, dtype) else from_numpy(op.dtype)
            if op.ndim:
                dims = d if dims is None else promote_types(dims, d)
            else:
                zero_dims = d if zero_dims is None else promote_types(zero_dims, d)
        else:
            d = scalar_dtype(op)
            numbers = d if numbers is None else promote_types(numbers, d)
    return _combine_categories(dims, _combine_categories(zero_dims, numbers))


def can_cast(from_, to):
    """torch.can_cast: casting may not move to a lower category (float -> int, int -> bool)."""
    return from_._category <= to._category
