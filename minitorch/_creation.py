"""Making tensors: from data (tensor, as_tensor, from_numpy), filled (zeros, ones, full, eye,
arange, linspace), and random (rand, randn, randint, randperm, normal, bernoulli, multinomial).

Every factory takes torch's keywords ``dtype``, ``device`` and ``requires_grad``.
"""
import numbers

import numpy as np

from . import _backend, _dtype, _random
from ._functions.shape import shape_arg
from ._tensor import Tensor


def _finish(array, dtype, device, requires_grad):
    """Put an array on its device as a tensor, with the requested autograd flag."""
    device = _backend.as_device(device) if device is not None else _backend.CPU
    if device.type != "cpu" or type(array) is not np.ndarray:
        array = _backend.to_device(array, device)
    out = Tensor._make(array)
    if requires_grad:
        out.requires_grad_(True)
    return out


def _infer_dtype(data):
    """torch's inference: bools -> bool, ints -> int64, any float -> the default float."""
    kinds = set()

    def walk(x):
        if isinstance(x, Tensor):
            kinds.add(x.dtype)
        elif isinstance(x, np.generic):  # a numpy scalar keeps its dtype, as torch
            kinds.add(_dtype.from_numpy(x.dtype))
        elif isinstance(x, (list, tuple)):
            for item in x:
                walk(item)
        elif isinstance(x, (bool, np.bool_)):
            kinds.add(_dtype.bool_)
        elif isinstance(x, numbers.Integral):
            kinds.add(_dtype.int64)
        elif isinstance(x, numbers.Real):
            kinds.add(_dtype.get_default_dtype())
        elif isinstance(x, numbers.Complex):
            kinds.add(_dtype.complex64)
        else:
            raise TypeError(f"Could not infer dtype of {type(x).__name__}: tensor() takes numbers, nested "
                            "lists/tuples of numbers, numpy arrays or tensors")
    walk(data)
    result = None
    for d in kinds:
        result = d if result is None else _dtype.promote_types(result, d)
    return result or _dtype.get_default_dtype()


def _check_rectangular(data, depth=0):
    """Nested lists must be rectangular: torch's 'expected sequence of length 3 at dim 1 (got 2)'."""
    if not isinstance(data, (list, tuple)) or not data:
        return
    lengths = [len(x) if isinstance(x, (list, tuple)) else None for x in data]
    first = lengths[0]
    for length in lengths[1:]:
        if length != first:
            raise ValueError(f"expected sequence of length {first} at dim {depth + 1} (got {length})")
    for item in data:
        _check_rectangular(item, depth + 1)


def _to_host_array(data):
    if isinstance(data, Tensor):
        return data.array if type(data.array) is np.ndarray else data.array.get()
    if isinstance(data, (list, tuple)):
        if any(isinstance(x, Tensor) for x in data):
            return np.array([_to_host_array(x) for x in data])
        _check_rectangular(data)
    return np.array(data)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (nested lists, numbers, a numpy array or a tensor)."""
    if isinstance(data, np.ndarray) or hasattr(data, "__cuda_array_interface__"):
        dtype = _dtype.to_dtype(dtype) if dtype is not None else _dtype.from_numpy(data.dtype)
        array = data.astype(dtype.numpy, copy=True)
    else:
        dtype = _dtype.to_dtype(dtype) if dtype is not None else (
            data.dtype if isinstance(data, Tensor) else _infer_dtype(data))
        array = _to_host_array(data).astype(dtype.numpy, copy=True)
    if device is None and isinstance(data, Tensor):
        device = data.device
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
    return Tensor._make(ndarray)


def _fill(shape, value, dtype, device, requires_grad):
    dtype = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    shape = shape_arg(shape)
    for s in shape:
        if not isinstance(s, (int, np.integer)) or s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(shape)}"
                               if isinstance(s, (int, np.integer)) else
                               f"size must be a tuple of ints, but got {type(s).__name__} in {shape}")
    device = _backend.as_device(device) if device is not None else _backend.CPU
    array = _backend.xp_for(device).full(tuple(shape), value, dtype=dtype.numpy)
    return _finish(array, dtype, device, requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    return _fill(size, 0, dtype, device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    return _fill(size, 1, dtype, device, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None, memory_format=None):
    """An uninitialised tensor (here: zeros, so that forgetting to fill it is reproducible)."""
    return _fill(size, 0, dtype, device, requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """A tensor filled with ``fill_value``; its dtype is inferred from the value, as torch."""
    if dtype is None:
        dtype = _dtype.scalar_dtype(fill_value.item() if isinstance(fill_value, Tensor) else fill_value)
    return _fill(size, fill_value, dtype, device, requires_grad)


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
    return _finish(np.eye(n, m, dtype=dtype.numpy), dtype, device, requires_grad)


# ----------------------------------------------------------------------------- random
def _draw(draw, size, dtype, device, requires_grad, generator=None, default=None):
    dtype = _dtype.to_dtype(dtype) if dtype is not None else (default or _dtype.get_default_dtype())
    array = np.asarray(draw(_random.generator(generator), shape_arg(size))).astype(dtype.numpy)
    return _finish(array, dtype, device, requires_grad)


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """Uniform random numbers in [0, 1)."""
    return _draw(lambda rng, s: rng.random(s), size, dtype, device, requires_grad, generator)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """Standard normal random numbers (mean 0, variance 1)."""
    return _draw(lambda rng, s: rng.standard_normal(s), size, dtype, device, requires_grad, generator)


def randint(low=0, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False):
    """Random integers in [low, high): ``randint(10, (3,))`` or ``randint(2, 10, (3,))``."""
    if size is None:
        low, high, size = 0, low, high
    if high is None or size is None:
        raise TypeError("randint() missing required arguments: randint(low=0, high, size)")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    return _draw(lambda rng, s: rng.integers(low, high, s), size, dtype, device, requires_grad, generator,
                 default=_dtype.int64)


def rand_like(input, *, dtype=None, device=None, requires_grad=False):
    dtype, device = _like(input, dtype, device)
    return rand(input.shape, dtype=dtype, device=device, requires_grad=requires_grad)


def randn_like(input, *, dtype=None, device=None, requires_grad=False):
    dtype, device = _like(input, dtype, device)
    return randn(input.shape, dtype=dtype, device=device, requires_grad=requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False):
    dtype, device = _like(input, dtype, device)
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype, device=device)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    """A random permutation of 0..n-1."""
    return _draw(lambda rng, s: rng.permutation(n), (n,), dtype, device, requires_grad, generator,
                 default=_dtype.int64)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None, requires_grad=False):
    """Normal samples: numbers with ``size``, or elementwise from tensors of means and stds."""
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        like = mean if isinstance(mean, Tensor) else std
        shape = like.shape if not isinstance(mean, Tensor) or not isinstance(std, Tensor) else \
            np.broadcast_shapes(mean.shape, std.shape)
        noise = randn(shape, generator=generator, dtype=like.dtype, device=like.device)
        return (noise * std + mean).detach()
    return _draw(lambda rng, s: rng.normal(mean, std, s), size, dtype, device, requires_grad, generator)


def bernoulli(input, p=None, *, generator=None):
    """1 with probability ``input`` (elementwise), else 0."""
    prob = input.array if p is None else np.full(input.shape, p)
    host = prob if type(prob) is np.ndarray else prob.get()
    draws = _random.generator(generator).random(host.shape) < host
    return _finish(draws.astype(input.dtype.numpy), input.dtype, input.device, False)


def _check_multinomial(input, num_samples, replacement):
    """torch's checks on the arguments of ``multinomial``, in torch's order (values come later)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"multinomial(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if isinstance(num_samples, bool) or not isinstance(num_samples, numbers.Integral):
        raise TypeError("multinomial(): argument 'num_samples' (position 2) must be int, not "
                        + type(num_samples).__name__)
    if input.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {input.dtype.scalar_type}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > input.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if input.shape[-1] > 2 ** 24:
        raise RuntimeError("number of categories cannot exceed 2^24")


def _check_probabilities(rows, num_samples, replacement):
    """Every row must be a distribution: finite, non-negative weights with a positive sum. torch words
    the error one way when drawing several samples with replacement, another way otherwise."""
    if not replacement or num_samples == 1:
        if not (np.isfinite(rows).all() and (rows >= 0).all()):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if (rows.sum(axis=-1) <= 0).any():
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        return
    for row in rows:  # row by row, the first bad entry decides the message
        bad = ~(row >= 0) | ~np.isfinite(row)
        if bad.any():
            kind = "< 0" if not row[bad.argmax()] >= 0 else "= infinity or NaN"
            raise RuntimeError(f"invalid multinomial distribution (encountering probability entry {kind})")
        if row.sum() <= 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")


def _sample_row(rng, row, num_samples, replacement):
    """``num_samples`` category indices drawn with probabilities ``row / row.sum()``."""
    p = row / row.sum()
    nonzero = np.count_nonzero(row)
    if replacement or num_samples <= nonzero:
        return rng.choice(len(row), num_samples, replace=replacement, p=p)
    # Without replacement, once every category of non-zero weight is drawn, torch goes on with the
    # zero-weight ones (in an order of its own; here by index).
    zeros = np.flatnonzero(row == 0)[:num_samples - nonzero]
    return np.concatenate([rng.choice(len(row), nonzero, replace=False, p=p), zeros])


def multinomial(input, num_samples, replacement=False, *, generator=None):
    """Sample category indices with probabilities proportional to the rows of ``input`` (1-D: one
    distribution, 2-D: one per row); the weights need not sum to 1 but must be finite, >= 0 and not
    all 0. Without ``replacement`` a category is drawn at most once per row."""
    _check_multinomial(input, num_samples, replacement)
    probs = input.detach().cpu().numpy().astype(np.float64)
    rows = probs if probs.ndim == 2 else probs[np.newaxis]
    if rows.shape[0]:
        _check_probabilities(rows, num_samples, replacement)
    rng = _random.generator(generator)
    samples = [_sample_row(rng, row, num_samples, replacement) for row in rows]
    array = np.array(samples, dtype=np.int64).reshape(probs.shape[:-1] + (num_samples,))
    return _finish(array, _dtype.int64, input.device, False)
