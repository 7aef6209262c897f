"""Random tensors: rand, randn, randint, randperm, normal, bernoulli, multinomial (and the *_like forms).

Each draws from minitorch's generator (``_random.py``), so ``manual_seed`` makes it reproducible, and
each takes torch's keywords ``generator``, ``dtype``, ``device`` and ``requires_grad``, with torch's
checks (a float dtype for rand and randn, a valid range for randint, a distribution for multinomial).
"""
import numbers

import numpy as np

from . import _dtype, _random
from ._creation import _finish, _is_int, _like, size_arg
from ._tensor import Tensor, type_name

_KEYWORDS = "*, torch.Generator generator = None, torch.dtype dtype = None, torch.device device = None, " \
            "bool requires_grad = False"


def _invalid_combination(name, args, keywords, signatures):
    """torch's TypeError when a call fits none of a function's ``signatures``."""
    got = ", ".join([type_name(a) for a in args] + [f"{k}={type_name(v)}" for k, v in keywords.items()])
    return TypeError(f"{name}() received an invalid combination of arguments - got ({got}), but expected one of:"
                     + "".join(f"\n * ({signature})" for signature in signatures))


def _draw(name, kernel, draw, shape, generator, dtype, device, requires_grad, complex_scale=1.0):
    """``draw(rng, shape)`` in a tensor of a floating or complex ``dtype`` (by default the default float).
    A complex tensor gets its real and imaginary parts drawn apart, each times ``complex_scale``."""
    dtype = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    _random.check_floating(dtype, kernel)
    rng = _random.generator(generator, name)
    array = draw(rng, shape)
    if dtype.is_complex:
        array = (array + 1j * draw(rng, shape)) * complex_scale
    return _finish(np.asarray(array).astype(dtype.numpy), dtype, device, requires_grad)


def _uniform(rng, shape):
    return rng.random(shape)


def _standard_normal(rng, shape):
    return rng.standard_normal(shape)


_HALF = np.sqrt(0.5)  # torch's complex randn: variance 1/2 in each part, 1 in all


def rand(*shape, size=None, generator=None, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """Uniform random numbers in [0, 1): ``rand(2, 3)``, ``rand((2, 3))`` or ``rand(size=(2, 3))``."""
    return _draw("rand", _random.UNIFORM, _uniform, size_arg("rand", shape, size), generator, dtype, device,
                 requires_grad)


def randn(*shape, size=None, generator=None, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """Standard normal random numbers (mean 0, variance 1)."""
    return _draw("randn", _random.NORMAL, _standard_normal, size_arg("randn", shape, size), generator, dtype, device,
                 requires_grad, complex_scale=_HALF)


_RANDINT_SIGNATURES = (("high", "size"), ("low", "high", "size"))
_C_TYPES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short int", "int32": "int"}


def _randint_args(args, keywords):
    """Fit randint's arguments to torch's signatures, randint(high, size) and randint(low, high, size)
    (positional or by name), and check them; torch's TypeError when none fits."""
    given = {name: value for name, value in keywords.items() if value is not None}
    for params in _RANDINT_SIGNATURES:
        bound = dict(zip(params, args))
        if len(args) <= len(params) and not bound.keys() & given.keys() and bound.keys() | given.keys() == set(params):
            bound.update(given)
            break
    else:
        raise _invalid_combination("randint", args, given, [f"int high, tuple of ints size, {_KEYWORDS}",
                                                            f"int low, int high, tuple of ints size, {_KEYWORDS}"])
    for position, name in enumerate(params, 1):
        value = bound[name]
        if name == "size" and not isinstance(value, (tuple, list)):
            raise TypeError(f"randint(): argument 'size' (position {position}) must be tuple of ints, not "
                            f"{type_name(value)}: the shape comes last, as a tuple, e.g. torch.randint(0, 10, (3,)) "
                            "or torch.randint(10, size=(3,))")
        if name != "size" and not _is_int(value):
            raise TypeError(f"randint(): argument '{name}' (position {position}) must be int, not {type_name(value)}")
        if name != "size" and not -2 ** 63 <= int(value) < 2 ** 63:
            raise ValueError(f"Overflow when unpacking long long: randint's {name}={value} does not fit in int64")
    return int(bound.get("low", 0)), int(bound["high"]), size_arg("randint", (bound["size"],), position=len(params))


def _check_randint_bounds(low, high, dtype):
    """The numbers drawn, low to high - 1, must fit ``dtype``."""
    if dtype.name not in _C_TYPES:
        return
    smallest, largest = (0, 1) if dtype is _dtype.bool_ else (np.iinfo(dtype.numpy).min, np.iinfo(dtype.numpy).max)
    for what, value in (("from", low), ("to - 1", high - 1)):
        if not smallest <= value <= largest:
            raise RuntimeError(f"{what} is out of bounds for {_C_TYPES[dtype.name]} (randint draws from low to "
                               f"high - 1, and {dtype} holds {smallest} to {largest})")


def randint(*args, low=None, high=None, size=None, generator=None, dtype=None, device=None, requires_grad=False,
            out=None, layout=None, pin_memory=False):
    """Random integers in [low, high) (low is 0 unless given), as torch's two signatures allow:
    ``randint(10, (3,))``, ``randint(2, 10, (3,))``, ``randint(10, size=(3,))``,
    ``randint(low=2, high=10, size=(3,))``."""
    low, high, shape = _randint_args(args, dict(low=low, high=high, size=size))
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    dtype = _dtype.to_dtype(dtype) if dtype is not None else _dtype.int64
    _check_randint_bounds(low, high, dtype)
    rng = _random.generator(generator, "randint")
    return _finish(rng.integers(low, high, shape).astype(dtype.numpy), dtype, device, requires_grad)


def rand_like(input, *, generator=None, dtype=None, device=None, requires_grad=False, layout=None,
              memory_format=None):
    dtype, device = _like(input, dtype, device)
    return _draw("rand_like", _random.UNIFORM, _uniform, input.shape, generator, dtype, device, requires_grad)


def randn_like(input, *, generator=None, dtype=None, device=None, requires_grad=False, layout=None,
               memory_format=None):
    dtype, device = _like(input, dtype, device)
    return _draw("randn_like", _random.NORMAL, _standard_normal, input.shape, generator, dtype, device,
                 requires_grad, complex_scale=_HALF)


def randint_like(input, low=0, high=None, *, generator=None, dtype=None, device=None, requires_grad=False,
                 layout=None, memory_format=None):
    dtype, device = _like(input, dtype, device)
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, generator=generator, dtype=dtype, device=device,
                   requires_grad=requires_grad)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False, out=None, layout=None,
             pin_memory=False):
    """A random permutation of 0..n-1."""
    if not _is_int(n):
        raise TypeError(f"randperm(): argument 'n' (position 1) must be int, not {type_name(n)}")
    n = size_arg("randperm", (n,))[0]
    dtype = _dtype.to_dtype(dtype) if dtype is not None else _dtype.int64
    if dtype is _dtype.bool_:
        raise NotImplementedError('"randperm" not implemented for \'Bool\': a permutation of 0..n-1 needs a number '
                                  "dtype, such as torch.int64")
    rng = _random.generator(generator, "randperm")
    return _finish(rng.permutation(n).astype(dtype.numpy), dtype, device, requires_grad)


def _check_std(std):
    if isinstance(std, Tensor) and bool((std < 0).any()):
        raise RuntimeError("normal expects all elements of std >= 0.0")
    if not isinstance(std, Tensor) and std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None, requires_grad=False, out=None):
    """Normal samples: numbers ``mean`` and ``std`` with a ``size``, or elementwise from tensors of means
    and/or stds (the result has the shape and dtype of the tensor, the mean's if both are)."""
    _check_std(std)
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        like = mean if isinstance(mean, Tensor) else std
        _random.check_floating(like.dtype, _random.NORMAL, "means and stds must be floating tensors, e.g. "
                               "torch.tensor([0.0, 1.0]) or .float()")
        shape = like.shape if not isinstance(mean, Tensor) or not isinstance(std, Tensor) else \
            np.broadcast_shapes(mean.shape, std.shape)
        noise = randn(shape, generator=generator, dtype=like.dtype, device=like.device)
        return (noise * std + mean).detach()
    if size is None:
        raise _invalid_combination("normal", (mean, std), {}, [
            "Tensor mean, Tensor std, *, torch.Generator generator = None", "Tensor mean, float std = 1, "
            "*, torch.Generator generator = None", "float mean, Tensor std, *, torch.Generator generator = None",
            f"float mean, float std, tuple of ints size, {_KEYWORDS}"])
    return _draw("normal", _random.NORMAL, lambda rng, s: rng.normal(mean, std, s),
                 size_arg("normal", (size,), position=3, sequence=True), generator, dtype, device, requires_grad)


def bernoulli(input, p=None, *, generator=None):
    """1 with probability ``input`` (elementwise), else 0."""
    if p is None:
        _random.check_floating(input.dtype, _random.BERNOULLI, "the probabilities must be a floating tensor, "
                               "e.g. torch.tensor([0.2, 0.9]) or .float()")
    prob = input.array if p is None else np.full(input.shape, p)
    host = prob if type(prob) is np.ndarray else prob.get()
    draws = _random.generator(generator, "bernoulli").random(host.shape) < host
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
    rng = _random.generator(generator, "multinomial")
    samples = [_sample_row(rng, row, num_samples, replacement) for row in rows]
    array = np.array(samples, dtype=np.int64).reshape(probs.shape[:-1] + (num_samples,))
    return _finish(array, _dtype.int64, input.device, False)
