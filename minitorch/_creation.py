"""Making tensors: from data (tensor, as_tensor, from_numpy) and filled (zeros, ones, full, eye,
arange, linspace). The random ones (rand, randn, randint...) are in ``_random_tensors.py``.

Every factory takes torch's keywords ``dtype``, ``device`` and ``requires_grad``.
"""
import numpy as np

from . import _backend, _dtype
from ._integer_range import check_fits, checked_scalar
from ._tensor import Tensor, type_name


def _finish(array, dtype, device, requires_grad):
    """Put an array on its device as a tensor, with the requested autograd flag."""
    device = _backend.as_device(device) if device is not None else _backend.CPU
    if device.type != "cpu" or type(array) is not np.ndarray:
        array = _backend.to_device(array, device)
    out = Tensor._make(array)
    if requires_grad:
        out.requires_grad_(True)
    return out


# ----------------------------------------------------------------------------- from data
_HINT = "tensor() takes numbers, nested lists/tuples of numbers, numpy arrays or tensors"


def _is_integral(dtype):
    return not (dtype.is_floating_point or dtype.is_complex or dtype is _dtype.bool_)


def _is_sequence(x):
    """What tensor() walks into: lists, tuples, ranges, and arrays or tensors with dimensions."""
    return isinstance(x, (list, tuple, range)) or (isinstance(x, (np.ndarray, Tensor)) and x.ndim > 0)


def _data_shape(data):
    """The shape of nested data, read from the first element at each depth (as torch does). A tensor
    inside a list counts as one number: ``tensor([t1, t2])`` needs one-element tensors (else use stack)."""
    shape = []
    while _is_sequence(data) and not isinstance(data, Tensor):
        shape.append(len(data))
        if not len(data):
            break
        data = data[0]
        if isinstance(data, str):  # torch walks into strings, one character after another, until it gives up
            raise ValueError(f"too many dimensions 'str': {_HINT}, not strings")
    return shape


def _leaf(x, dtypes):
    """One element of the data as a Python number; its dtype is added to the set ``dtypes``."""
    if isinstance(x, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(x).__name__}': {_HINT}")
    if isinstance(x, Tensor):
        if x.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars (the data holds a tensor "
                             f"of shape {list(x.shape)} where a number belongs; to join tensors use torch.stack)")
        dtypes.add(x.dtype)
        return x.item()
    if isinstance(x, (np.generic, np.ndarray)):  # numpy scalars keep their dtype, as torch
        dtypes.add(_dtype.from_numpy(x.dtype))
        return x.item()
    if isinstance(x, (bool, int, float, complex)):
        dtypes.add(_dtype.scalar_dtype(x))
        return x
    raise RuntimeError(f"Could not infer dtype of {type(x).__name__}: {_HINT}")


def _gather(data, shape, dim, dtypes):
    """``data`` as nested lists of Python numbers, checked against ``shape`` with torch's errors."""
    if dim == len(shape):
        if _is_sequence(data) and not isinstance(data, Tensor):
            raise TypeError(f"'{type(data).__name__}' object cannot be interpreted as a number: tensor() expected "
                            f"a number at dim {dim}, as the first element there is (nested lists must all be "
                            f"equally deep), got {data!r}")
        return _leaf(data, dtypes)
    if not _is_sequence(data):
        raise TypeError(f"not a sequence: tensor() expected a sequence of length {shape[dim]} at dim {dim}, as the "
                        f"first element there is (nested lists must all be equally deep), got {data!r}")
    if len(data) != shape[dim]:
        raise ValueError(f"expected sequence of length {shape[dim]} at dim {dim} (got {len(data)})")
    if isinstance(data, np.ndarray) and data.shape == tuple(shape[dim:]):  # a whole block at once
        dtypes.add(_dtype.from_numpy(data.dtype))
        return data.tolist()
    return [_gather(item, shape, dim + 1, dtypes) for item in data]


def _array_from_data(data, dtype):
    """Nested Python data as a numpy array of ``dtype`` (None: inferred as torch: bools -> bool,
    ints -> int64, floats -> the default float, tensors and numpy scalars -> their dtype, promoted)."""
    dtypes = set()
    values = _gather(data, _data_shape(data), 0, dtypes)
    inferred = None
    for d in dtypes:
        inferred = d if inferred is None else _dtype.promote_types(inferred, d)
    dtype = dtype or inferred or _dtype.get_default_dtype()
    if not dtype.is_complex and any(d.is_complex for d in dtypes):
        raise TypeError(f"must be real number, not complex (the data has complex numbers, and dtype is {dtype})")
    array = np.array(values)
    # numpy keeps Python ints beyond int64 as uint64 or objects: torch refuses them for integer dtypes
    if _is_integral(dtype) and array.dtype.kind in "uO":
        raise ValueError("Overflow when unpacking long long: an integer in the data does not fit in int64 "
                         "(from -2**63 to 2**63 - 1); pass dtype=torch.float64 for larger numbers")
    check_fits(array, dtype)
    return array.astype(dtype.numpy), dtype


def _check_strides(array):
    """torch tensors cannot have negative strides, which numpy's reversed views (``a[::-1]``) have."""
    if any(stride < 0 for stride in array.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors with negative "
                         "strides are not currently supported. (You can probably work around this by making a "
                         "copy of your array with array.copy().)")


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (nested lists, numbers, a numpy array or a tensor)."""
    dtype = _dtype.to_dtype(dtype) if dtype is not None else None
    if isinstance(data, Tensor):
        dtype = dtype or data.dtype
        array = data.array.astype(dtype.numpy, copy=True)
        device = data.device if device is None else device
    elif isinstance(data, np.ndarray) or hasattr(data, "__cuda_array_interface__"):
        if isinstance(data, np.ndarray):
            _check_strides(data)
        dtype = dtype or _dtype.from_numpy(data.dtype)
        array = data.astype(dtype.numpy, copy=True)
    else:
        array, dtype = _array_from_data(data, dtype)
    return _finish(array, dtype, device, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Like ``tensor`` but shares memory with ``data`` when no conversion is needed."""
    if isinstance(data, Tensor):
        out = data
        if dtype is not None:
            out = out.to(dtype)
        return out.to(device) if device is not None else out
    if isinstance(data, np.ndarray) and (dtype is None or _dtype.to_dtype(dtype).numpy == data.dtype) and \
            (device is None or _backend.as_device(device).type == "cpu"):
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(ndarray):
    """A tensor sharing ``ndarray``'s memory: writes to either show in both."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy(ndarray.dtype)
    _check_strides(ndarray)
    return Tensor._make(ndarray)


# ----------------------------------------------------------------------------- filled
def _is_int(x):
    """A whole number: a Python or numpy int (not a bool), or an integer 0-d tensor."""
    if isinstance(x, Tensor):
        return x.ndim == 0 and _is_integral(x.dtype)
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _not_int(name, what, x):
    hint = " (a size must be a whole number: n // 2 rather than n / 2, or int(...))" if isinstance(x, float) else ""
    return TypeError(f"{name}(): argument 'size' {what}{hint}")


def size_arg(name, args, size=None, position=1, sequence=False):
    """The shape in ``zeros(2, 3)``, ``zeros((2, 3))``, ``zeros([2, 3])`` or ``zeros(size=(2, 3))``,
    checked as torch does (whole numbers, none negative), with its messages. ``sequence``: a lone
    int is not a shape (``full(2, 1)`` is an error in torch, ``full((2,), 1)`` is right)."""
    if size is not None:
        if args:
            raise TypeError(f"{name}() got multiple values for argument 'size'")
        args = (size,)
    if not args:
        raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
    if len(args) == 1 and not (_is_int(args[0]) and not sequence):
        dims = args[0]
        if not isinstance(dims, (tuple, list)):
            raise _not_int(name, f"(position {position}) must be tuple of ints, not {type_name(dims)}", dims)
        for i, d in enumerate(dims):
            if not _is_int(d):
                raise _not_int(name, f"(position {position}) must be tuple of ints, but found element of type "
                               f"{type_name(d)} at pos {i}", d)
    else:
        dims = args
        for i, d in enumerate(dims):
            if not _is_int(d):
                raise _not_int(name, f'failed to unpack the object at pos {i + 1} with error "type must be tuple '
                               f'of ints,but got {type_name(d)}"', d)
    shape = tuple(int(d) for d in dims)
    negative = [d for d in shape if d < 0]
    if negative:
        message = f"Trying to create tensor with negative dimension {negative[0]}: {list(shape)}"
        raise RuntimeError(f"zeros: Dimension size must be non-negative. ({message})" if name == "zeros" else message)
    return shape


def _fill(shape, value, dtype, device, requires_grad):
    """A tensor of ``shape`` (already checked) filled with ``value``."""
    dtype = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    device = _backend.as_device(device) if device is not None else _backend.CPU
    value = checked_scalar(value.item() if isinstance(value, Tensor) else value, dtype)
    array = _backend.xp_for(device).full(tuple(shape), value, dtype=dtype.numpy)
    return _finish(array, dtype, device, requires_grad)


def zeros(*shape, size=None, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """A tensor of zeros: ``zeros(2, 3)``, ``zeros((2, 3))`` or ``zeros(size=(2, 3))``."""
    return _fill(size_arg("zeros", shape, size), 0, dtype, device, requires_grad)


def ones(*shape, size=None, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    return _fill(size_arg("ones", shape, size), 1, dtype, device, requires_grad)


def empty(*shape, size=None, dtype=None, device=None, requires_grad=False, out=None, layout=None,
          memory_format=None):
    """An uninitialised tensor (here: zeros, so that forgetting to fill it is reproducible)."""
    return _fill(size_arg("empty", shape, size), 0, dtype, device, requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """A tensor filled with ``fill_value``; its dtype is inferred from the value, as torch."""
    if dtype is None:
        dtype = _dtype.scalar_dtype(fill_value.item() if isinstance(fill_value, Tensor) else fill_value)
    return _fill(size_arg("full", (size,), sequence=True), fill_value, dtype, device, requires_grad)


def _like(input, dtype, device):
    return (dtype if dtype is not None else input.dtype), (device if device is not None else input.device)


def zeros_like(input, *, dtype=None, device=None, requires_grad=False, layout=None, memory_format=None):
    dtype, device = _like(input, dtype, device)
    return _fill(input.shape, 0, dtype, device, requires_grad)


def ones_like(input, *, dtype=None, device=None, requires_grad=False, layout=None, memory_format=None):
    dtype, device = _like(input, dtype, device)
    return _fill(input.shape, 1, dtype, device, requires_grad)


def empty_like(input, *, dtype=None, device=None, requires_grad=False, layout=None, memory_format=None):
    return zeros_like(input, dtype=dtype, device=device, requires_grad=requires_grad)


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None, memory_format=None):
    dtype, device = _like(input, dtype, device)
    return _fill(input.shape, fill_value, dtype, device, requires_grad)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """Values from ``start`` up to (not including) ``end`` in steps of ``step``.
    int64 when all three are integers, else the default float."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError(f"upper bound and larger bound inconsistent with step sign (start={start}, end={end}, "
                           f"step={step})")
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if dtype is None:
        dtype = _dtype.int64 if all(isinstance(v, (int, np.integer)) for v in values) else _dtype.get_default_dtype()
    dtype = _dtype.to_dtype(dtype)
    array = np.arange(*values, dtype=np.float64 if dtype.is_floating_point else None).astype(dtype.numpy)
    return _finish(array, dtype, device, requires_grad)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """``steps`` evenly spaced values from ``start`` to ``end``, both included."""
    dtype = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return _finish(np.linspace(start, end, steps).astype(dtype.numpy), dtype, device, requires_grad)


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False):
    dtype = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    return _finish(np.logspace(start, end, steps, base=base).astype(dtype.numpy), dtype, device, requires_grad)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """The identity matrix (n x m)."""
    dtype = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    for name, value in (("n", n), ("m", m)):
        if value is not None and value < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {value}")
    return _finish(np.eye(n, m, dtype=dtype.numpy), dtype, device, requires_grad)
