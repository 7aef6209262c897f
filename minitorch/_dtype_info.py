"""What a dtype can hold: ``finfo`` (floating limits: eps, max, tiny...) and ``iinfo`` (integer
limits), and torch's legacy per-dtype tensor types (``FloatTensor([1, 2])``, ``isinstance(x, LongTensor)``).

    minitorch.finfo(minitorch.float32).eps   # 1.1920928955078125e-07, the gap after 1.0
    minitorch.iinfo(minitorch.uint8).max     # 255
"""
import numpy as np

from . import _backend, _creation, _dtype
from ._tensor import Size, Tensor, type_name

_DEFAULT = object()  # finfo() with no argument describes the default dtype
_PYTHON_TYPES = {float: _dtype.float64, int: _dtype.int64, bool: _dtype.bool_, complex: _dtype.complex128}


def _as_dtype(name, value):
    """A dtype (or Python's float/int/bool/complex, as torch accepts), else torch's TypeError."""
    if isinstance(value, _dtype.dtype):
        return value
    if isinstance(value, type) and value in _PYTHON_TYPES:
        return _PYTHON_TYPES[value]
    raise TypeError(f"{name}(): argument 'type' (position 1) must be torch.dtype, not {type_name(value)}")


class finfo:
    """The limits of a floating dtype (a complex dtype: of its real part), as ``torch.finfo``.

    bits: its size; eps: the gap between 1.0 and the next number; max, min: the largest and most
    negative finite numbers; tiny (= smallest_normal): the smallest positive normal number;
    resolution: about 10**-(decimal digits of precision).
    """

    def __init__(self, type=_DEFAULT):
        dtype = _dtype.get_default_dtype() if type is _DEFAULT else _as_dtype("finfo", type)
        if not (dtype.is_floating_point or dtype.is_complex):
            raise TypeError(f"torch.finfo() requires a floating point input type (got {dtype}). Use torch.iinfo "
                            "for integer types")
        real = {_dtype.complex64: _dtype.float32, _dtype.complex128: _dtype.float64}.get(dtype, dtype)
        info = np.finfo(real.numpy)
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max, self.min = float(info.max), float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -int(info.precision)
        self.dtype = real.name

    def __eq__(self, other):
        return isinstance(other, finfo) and other.dtype == self.dtype

    __hash__ = None  # as torch's: comparable, not hashable

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """The limits of an integer dtype, as ``torch.iinfo``: bits, min, max."""

    def __init__(self, type):
        dtype = _as_dtype("iinfo", type)
        if dtype is _dtype.bool_:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if dtype.is_floating_point or dtype.is_complex:
            raise TypeError(f"torch.iinfo() requires an integer input type (got {dtype}). Use torch.finfo for "
                            "floating types")
        info = np.iinfo(dtype.numpy)
        self.bits, self.min, self.max, self.dtype = int(info.bits), int(info.min), int(info.max), dtype.name

    def __eq__(self, other):
        return isinstance(other, iinfo) and other.dtype == self.dtype

    __hash__ = None

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


# ----------------------------------------------------------------------------- legacy tensor types
class _LegacyTensorType(type):
    """The type of ``FloatTensor``, ``LongTensor``...: calling one makes a tensor of its dtype on the CPU,
    and ``isinstance(x, FloatTensor)`` asks whether x is a float32 CPU tensor (as torch's tensortype)."""

    def __call__(cls, *args, device=None, size=None, **unexpected):
        """``FloatTensor(data)``, ``FloatTensor(2, 3)`` (sizes) or ``FloatTensor()`` (empty)."""
        if unexpected:
            raise TypeError(f"{cls.__name__}() got an unexpected keyword argument '{next(iter(unexpected))}': it "
                            f"takes data or sizes, and device=; for more options use torch.tensor(data, dtype=...)")
        if device is not None and _backend.as_device(device).type != "cpu":
            raise RuntimeError(f"legacy constructor expects device type: cpu but device type: "
                               f"{_backend.as_device(device).type} was passed (use torch.tensor(data, "
                               f"dtype={cls.dtype}, device=...) instead)")
        if not args and size is None:
            return _creation.zeros(0, dtype=cls.dtype)
        if len(args) == 1 and size is None and not isinstance(args[0], Size) and not _is_whole(args[0]):
            return _from_data(cls, args[0])  # FloatTensor([1, 2]), FloatTensor((2, 3)): data
        shape = _creation.size_arg(cls.__name__, args, size)  # FloatTensor(2, 3), FloatTensor(torch.Size([2, 3]))
        return _creation.zeros(shape, dtype=cls.dtype)  # "uninitialised": zeros here, as torch.empty

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls.dtype and obj.device.type == "cpu"

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"


def _is_whole(x):
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _from_data(cls, data):
    """``FloatTensor(data)``: a sequence or numpy array converted to the type's dtype; a tensor must have it."""
    if isinstance(data, Tensor):
        if data.dtype is not cls.dtype:
            raise TypeError(f"expected a tensor of dtype {cls.dtype} for {cls.__name__}(tensor), got {data.dtype} "
                            f"(convert it with tensor.to({cls.dtype}))")
        return data
    if not isinstance(data, (list, tuple, range, np.ndarray)):
        raise TypeError(f"new(): data must be a sequence (got {type_name(data)}): {cls.__name__}(data) "
                        f"takes a list, or sizes as ints such as {cls.__name__}(2, 3)")
    return _creation.tensor(data, dtype=cls.dtype)


def _legacy_type(dtype):
    name = f"{dtype.scalar_type}Tensor"
    doc = f"torch.{name}: ``{name}([1, 2])`` is a {dtype} tensor of that data, ``{name}(2, 3)`` one of shape (2, 3)."
    return _LegacyTensorType(name, (), {"dtype": dtype, "is_cuda": False, "__doc__": doc})


FloatTensor, DoubleTensor, HalfTensor = (_legacy_type(d) for d in (_dtype.float32, _dtype.float64, _dtype.float16))
LongTensor, IntTensor, ShortTensor, CharTensor, ByteTensor, BoolTensor = (
    _legacy_type(d) for d in (_dtype.int64, _dtype.int32, _dtype.int16, _dtype.int8, _dtype.uint8, _dtype.bool_))
