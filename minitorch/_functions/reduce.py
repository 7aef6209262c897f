"""Reductions: sum, prod, max/min, cumulative sums and products, and what is composed from them.

A reduction over ``dim`` maps many inputs to one output; its backward sends the output's
gradient back to every input it came from. For ``sum`` that is a plain copy (d(sum)/dx_i = 1):
the gradient is reshaped to keep the reduced dims as size 1 and expanded over them.
"""
import builtins
import collections
import warnings

from .. import _dtype
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from ._operands import float_operand
from .elementwise import maximum, minimum
from .shape import cat


def normalize_dims(x, dim):
    """``dim`` (None, an int or a sequence) as a sorted tuple of non-negative axes, or None for all."""
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if not dims:
        return None
    axes = tuple(sorted(x._wrap_dim(d) for d in dims))
    if len(set(axes)) != len(axes):
        raise RuntimeError(f"dim {axes[0]} appears multiple times in the list of dims")
    return axes if x.ndim else None  # a 0-d tensor accepts dim 0 / -1, and has nothing to reduce over


def _kept_shape(shape, dims):
    """The shape with every reduced dim kept as size 1 (what keepdim=True gives)."""
    if dims is None:
        return (1,) * len(shape)
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


def _expand_back(grad, shape, dims, keepdim):
    """Send an output gradient back over the reduced dims: reshape to keep them, then expand."""
    if not keepdim:
        grad = grad.reshape(_kept_shape(shape, dims))
    return grad.expand(shape)


class Sum(Function):
    """y = sum_i x_i over ``dims``.   dy/dx_i = 1: the gradient is broadcast back to x's shape."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.shape, ctx.dims, ctx.keepdim = x.array.shape, dims, keepdim
        return array_module(x.array).sum(x.array, axis=dims, keepdims=keepdim, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        return _expand_back(grad, ctx.shape, ctx.dims, ctx.keepdim), None, None, None


class SumOverDims(Sum):
    """sum(dim): torch's overload 1 of sum (SumBackward1); the math is Sum's."""
    torch_op, overload = "Sum", 1


class Prod(Function):
    """y = prod_i x_i.   dy/dx_i = prod_{j != i} x_j, computed without dividing by x_i so that
    zeros are handled: exclusive cumulative products from the left and from the right."""

    @staticmethod
    def forward(ctx, x, dim, keepdim):
        ctx.save_for_backward(x)
        ctx.dim, ctx.keepdim = dim, keepdim
        return array_module(x.array).prod(x.array, axis=dim, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        if ctx.dim is None:
            flat = x.reshape(-1)
            others = _product_of_others(flat, 0).reshape(x.shape)
            return grad.reshape(()).expand(x.shape) * others, None, None
        dims = (ctx.dim,)
        return _expand_back(grad, x.shape, dims, ctx.keepdim) * _product_of_others(x, ctx.dim), None, None


class ProdAlongDim(Prod):
    """prod(dim): torch's overload 1 of prod (ProdBackward1); the math is Prod's."""
    torch_op, overload = "Prod", 1


def _product_of_others(x, dim):
    """prod_{j != i} x_j along ``dim``, as (exclusive cumprod from the left) * (from the right)."""
    n = x.shape[dim]
    ones = x.narrow(dim, 0, 1) * 0 + 1
    if n == 1:
        return ones
    left = cat([ones, x.narrow(dim, 0, n - 1).cumprod(dim)], dim)
    right = cat([ones, x.flip(dim).narrow(dim, 0, n - 1).cumprod(dim)], dim).flip(dim)
    return left * right


class Extremum(Function):
    """y = max (or min) of x over ``dims`` (amax/amin).  dy/dx_i = 1/k for the k elements equal to the
    extremum, 0 elsewhere: ties share the gradient evenly, as torch's amax."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, largest):
        xp = array_module(x.array)
        y = (xp.max if largest else xp.min)(x.array, axis=dims, keepdims=keepdim)
        ctx.save_for_backward(x)
        ctx.y, ctx.dims, ctx.keepdim = Tensor._make(y), dims, keepdim
        return ctx.y

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        y = _expand_back(ctx.y, x.shape, ctx.dims, ctx.keepdim)
        hit = (x == y).to(grad.dtype)
        count = hit.sum(dim=ctx.dims, keepdim=True) if ctx.dims is not None else hit.sum()
        return _expand_back(grad, x.shape, ctx.dims, ctx.keepdim) * hit / count, None, None, None


class Amax(Extremum):
    """amax: an Extremum; torch names its node AmaxBackward0."""


class Amin(Extremum):
    """amin: an Extremum; torch names its node AminBackward0."""


class MaxAll(Extremum):
    """max() of all elements: torch's overload 1 of max (MaxBackward1); the math is Extremum's."""
    torch_op, overload = "Max", 1


class MinAll(Extremum):
    """min() of all elements: torch's overload 1 of min (MinBackward1); the math is Extremum's."""
    torch_op, overload = "Min", 1


class ExtremumAlongDim(Function):
    """(values, indices) = max (or min) along one dim.  The gradient of each value goes to the one
    element its index points at (the first one, on ties)."""

    @staticmethod
    def forward(ctx, x, dim, keepdim, largest):
        xp = array_module(x.array)
        indices = (xp.argmax if largest else xp.argmin)(x.array, axis=dim, keepdims=True)
        values = xp.take_along_axis(x.array, indices, axis=dim)
        if not keepdim:
            values, indices = values.squeeze(dim), indices.squeeze(dim)
        ctx.shape, ctx.dim, ctx.keepdim = x.array.shape, dim, keepdim
        ctx.indices = Tensor._make(indices)
        return values, ctx.indices.array

    @staticmethod
    def backward(ctx, grad, grad_indices):
        grad = grad if ctx.keepdim else grad.unsqueeze(ctx.dim)
        index = ctx.indices if ctx.keepdim else ctx.indices.unsqueeze(ctx.dim)
        zeros = Tensor._make(array_module(grad.array).zeros(ctx.shape, dtype=grad.array.dtype))
        return zeros.scatter(ctx.dim, index, grad), None, None, None


class MaxAlongDim(ExtremumAlongDim):
    """max(dim): an ExtremumAlongDim; torch names its node MaxBackward0."""
    torch_op = "Max"


class MinAlongDim(ExtremumAlongDim):
    """min(dim): an ExtremumAlongDim; torch names its node MinBackward0."""
    torch_op = "Min"


class Cumsum(Function):
    """y_i = sum_{j <= i} x_j.   dL/dx_j = sum_{i >= j} dL/dy_i: a cumulative sum from the end."""

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        return array_module(x.array).cumsum(x.array, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return grad.flip(ctx.dim).cumsum(ctx.dim).flip(ctx.dim), None


class LogSumExp(Function):
    """y = log sum_i exp(x_i), computed as m + log sum exp(x_i - m) with m = max x, so it never
    overflows (a fused primitive for numerical stability).  dy/dx_i = exp(x_i - y) = softmax(x)_i."""
    torch_op = "Logsumexp"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        xp = array_module(x.array)
        m = xp.max(x.array, axis=dims, keepdims=True)
        m = xp.where(xp.isfinite(m), m, 0)
        y = xp.log(xp.sum(xp.exp(x.array - m), axis=dims, keepdims=True)) + m
        out = Tensor._make(y if keepdim else y.reshape(_reduced_shape(x.array.shape, dims)))
        ctx.save_for_backward(x, out)
        ctx.dims, ctx.keepdim = dims, keepdim
        return out

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        y = _expand_back(y, x.shape, ctx.dims, ctx.keepdim)
        return _expand_back(grad, x.shape, ctx.dims, ctx.keepdim) * (x - y).exp(), None, None


def _reduced_shape(shape, dims):
    if dims is None:
        return ()
    return tuple(s for i, s in enumerate(shape) if i not in dims)


# ----------------------------------------------------------------------------- public functions
def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum over ``dim`` (all elements by default). Integer and bool inputs sum to int64 unless ``dtype``
    says otherwise, as torch."""
    dims = normalize_dims(input, dim)
    if dtype is not None:
        input = input.to(dtype)
        out_dtype = input.array.dtype  # (numpy alone would widen int32 to int64)
    else:
        out_dtype = _dtype.int64.numpy if input.array.dtype.kind in "biu" else None
    return (Sum if dim is None else SumOverDims).apply(input, dims, keepdim, out_dtype)


def sum_to_size(input, *size):
    """Sum the broadcast dims away so the result has shape ``size`` (the inverse of expand)."""
    shape = tuple(size[0]) if len(size) == 1 and not isinstance(size[0], int) else size
    lead = input.ndim - len(shape)
    if lead < 0 or builtins.any(s != 1 and s != n for s, n in zip(shape, input.shape[lead:])):
        raise RuntimeError(f"size {list(shape)} is not expandable to size {list(input.shape)}")
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and input.shape[lead + i] != 1)
    if not dims:
        return input
    return Sum.apply(input, dims, True, None).reshape(shape)


def mean(input, dim=None, keepdim=False, *, dtype=None):
    """Average over ``dim``: sum / count. Only floating inputs, as torch."""
    if dtype is not None:
        input = input.to(dtype)
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point "
                           f"or complex dtype. Got: {input.dtype.scalar_type}. Convert first, e.g. x.float().mean()")
    dims = normalize_dims(input, dim)
    return (Mean if dim is None else MeanOverDims).apply(input, dims, keepdim)


class Mean(Function):
    """y = (1/N) sum_i x_i over ``dims``.   dy/dx_i = 1/N: the gradient, divided by N, is broadcast back.
    (The same as sum / N; a primitive of its own so that the graph shows MeanBackward0, as torch's.)"""

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = x.array.shape, dims, keepdim
        ctx.count = x.array.size if dims is None else _count(x.array.shape, dims)
        # sum / count, as numpy's mean computes it (whose own warning for an empty input would not be silenced)
        return array_module(x.array).sum(x.array, axis=dims, keepdims=keepdim) / ctx.count

    @staticmethod
    def backward(ctx, grad):
        return _expand_back(grad, ctx.shape, ctx.dims, ctx.keepdim) / ctx.count, None, None


class MeanOverDims(Mean):
    """mean(dim): torch's overload 1 of mean (MeanBackward1); the math is Mean's."""
    torch_op, overload = "Mean", 1


def _count(shape, dims):
    n = 1
    for d in dims:
        n *= shape[d]
    return n


def prod(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    axis = None if dim is None else input._wrap_dim(dim)
    return (Prod if dim is None else ProdAlongDim).apply(input, axis if input.ndim else None, keepdim)


def _check_not_empty(input, name, dims):
    if input.numel() == 0 and (dims is None or builtins.any(input.shape[d] == 0 for d in dims)):
        raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                         f"Got a tensor of shape {list(input.shape)}")


def amax(input, dim=(), keepdim=False):
    dims = normalize_dims(input, dim)
    _check_not_empty(input, "amax", dims)
    return Amax.apply(input, dims, keepdim, True)


def amin(input, dim=(), keepdim=False):
    dims = normalize_dims(input, dim)
    _check_not_empty(input, "amin", dims)
    return Amin.apply(input, dims, keepdim, False)


class MinMaxResult(collections.namedtuple("MinMaxResult", ["values", "indices"])):
    """``torch.return_types.max`` (or ``.min``): a (values, indices) pair you can also unpack."""

    __slots__ = ()
    name = "max"

    def __repr__(self):
        return f"torch.return_types.{self.name}(\nvalues={self.values!r},\nindices={self.indices!r})"


class MinResult(MinMaxResult):
    __slots__ = ()
    name = "min"


def _extremum(input, dim, keepdim, other, largest):
    name = "max" if largest else "min"
    if isinstance(dim, Tensor) or other is not None:
        return (maximum if largest else minimum)(input, dim if other is None else other)
    if dim is None:
        _check_not_empty(input, name, None)
        return (MaxAll if largest else MinAll).apply(input, None, False, largest)
    axis = input._wrap_dim(dim)
    _check_not_empty(input, name, (axis,))
    result = MinMaxResult if largest else MinResult
    along = MaxAlongDim if largest else MinAlongDim
    if input.ndim == 0:  # a 0-d tensor is its own max, at index 0
        return result(*along.apply(input.reshape(1), 0, False, largest))
    return result(*along.apply(input, axis, keepdim, largest))


def max(input, dim=None, keepdim=False, *, other=None):
    """The largest element; with ``dim``, (values, indices) along it; with a tensor, elementwise maximum."""
    return _extremum(input, dim, keepdim, other, True)


def min(input, dim=None, keepdim=False, *, other=None):
    """The smallest element; with ``dim``, (values, indices) along it; with a tensor, elementwise minimum."""
    return _extremum(input, dim, keepdim, other, False)


def argmax(input, dim=None, keepdim=False):
    """Index of the largest element (of the flattened tensor when ``dim`` is None)."""
    return _arg_extremum(input, dim, keepdim, True)


def argmin(input, dim=None, keepdim=False):
    return _arg_extremum(input, dim, keepdim, False)


def _arg_extremum(input, dim, keepdim, largest):
    xp = array_module(input.array)
    pick = xp.argmax if largest else xp.argmin
    if dim is None:
        _check_not_empty(input, "argmax" if largest else "argmin", None)
        index = pick(input.array)
        return Tensor._make(xp.asarray(index).reshape((1,) * input.ndim if keepdim else ()))
    axis = input._wrap_dim(dim)
    return Tensor._make(pick(input.array, axis=axis, keepdims=keepdim))


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance: sum (x - mean)^2 / (N - correction). correction=1 (Bessel) by default, as torch;
    torch's older form ``var(dim, unbiased, keepdim)`` gives correction = int(unbiased)."""
    if isinstance(dim, bool):  # var(unbiased): torch's overload without dim
        dim, unbiased = None, dim
    if correction is None:
        correction = 1 if unbiased is None else int(unbiased)
    dims = normalize_dims(input, dim)
    count = input.numel() if dims is None else _count(input.shape, dims)
    if count - correction <= 0:
        warnings.warn("var(): degrees of freedom is <= 0. Correction should be strictly less than the reduction "
                      "factor (input numel divided by output numel).")
    centered = input - mean(input, dim, keepdim=True)
    return sum(centered * centered, dim, keepdim) / builtins.max(count - correction, 0)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation: sqrt(var)."""
    return var(input, dim, unbiased, keepdim, correction=correction).sqrt()


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    return var(input, dim, unbiased, keepdim, correction=correction), mean(input, dim, keepdim)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    return std(input, dim, unbiased, keepdim, correction=correction), mean(input, dim, keepdim)


def logsumexp(input, dim, keepdim=False):
    """log(sum(exp(x))) over ``dim``, without overflow."""
    return LogSumExp.apply(float_operand(input), normalize_dims(input, dim), keepdim)


def cumsum(input, dim, *, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    if input.ndim == 0:
        return Cumsum.apply(input.reshape(1), input._wrap_dim(dim)).reshape(())
    return Cumsum.apply(input, input._wrap_dim(dim))


def cumprod(input, dim, *, dtype=None):
    """Cumulative product. Its gradient comes from composing: y_i = exp(cumsum(log x))) fails at 0,
    so it is computed as y_i = prod of the first i+1 elements via Cumprod's own backward."""
    if dtype is not None:
        input = input.to(dtype)
    if input.ndim == 0:
        return Cumprod.apply(input.reshape(1), input._wrap_dim(dim)).reshape(())
    return Cumprod.apply(input, input._wrap_dim(dim))


class Cumprod(Function):
    """y_i = prod_{j <= i} x_j.   dL/dx_j = sum_{i >= j} dL/dy_i * prod_{k <= i, k != j} x_k.
    For inputs without zeros that is (reverse cumsum of dL/dy * y) / x; with zeros, each output is
    recomputed from the others' products (a loop over the dim, as torch's fallback)."""

    @staticmethod
    def forward(ctx, x, dim):
        y = Tensor._make(array_module(x.array).cumprod(x.array, axis=dim))
        ctx.save_for_backward(x, y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        dim = ctx.dim
        if not bool((x == 0).any()):
            return (grad * y).flip(dim).cumsum(dim).flip(dim) / x, None
        n = x.shape[dim]
        parts = []
        for j in range(n):
            # d y_i / d x_j for i >= j: product of x_0..x_i without x_j
            before = x.narrow(dim, 0, j).prod(dim, keepdim=True) if j else x.narrow(dim, 0, 1) * 0 + 1
            after = x.narrow(dim, j + 1, n - j - 1).cumprod(dim) if j + 1 < n else None
            total = grad.narrow(dim, j, 1) * before
            if after is not None:
                total = total + (grad.narrow(dim, j + 1, n - j - 1) * after * before).sum(dim, keepdim=True)
            parts.append(total)
        return cat(parts, dim), None


def all(input, dim=None, keepdim=False):
    """True where every element (along ``dim``) is non-zero."""
    return _logical_reduce(input, dim, keepdim, "all")


def any(input, dim=None, keepdim=False):
    """True where some element (along ``dim``) is non-zero."""
    return _logical_reduce(input, dim, keepdim, "any")


def _logical_reduce(input, dim, keepdim, name):
    xp = array_module(input.array)
    dims = normalize_dims(input, dim)
    return Tensor._make(getattr(xp, name)(input.array != 0, axis=dims, keepdims=keepdim))


def count_nonzero(input, dim=None):
    return sum(input != 0, dim)




class VectorNorm(Function):
    """y = (sum_i |x_i|^p)^(1/p); p = inf is max |x_i|, p = 0 counts the non-zeros.
    dy/dx_i = sign(x_i) |x_i|^(p-1) / y^(p-1)  (for p = 2: x_i / y), taken as 0 where y = 0
    (torch's choice: the norm has no derivative at the zero vector), and as 0 where x_i = 0 for
    p < 1 (where |x_i|^(p-1) is infinite, as torch); for p = inf the gradient is shared evenly by
    the elements with the largest |x_i|. The norm of a complex x is real (float32 for complex64), as torch."""
    torch_op = "LinalgVectorNorm"

    @staticmethod
    def forward(ctx, x, p, dims, keepdim):
        xp = array_module(x.array)
        a = xp.abs(x.array)
        if p == float("inf"):
            y = xp.max(a, axis=dims, keepdims=keepdim)
        elif p == -float("inf"):
            y = xp.min(a, axis=dims, keepdims=keepdim)
        elif p == 0:
            y = xp.sum(a != 0, axis=dims, keepdims=keepdim).astype(a.dtype)
        elif p == 2:
            y = xp.sqrt(xp.sum(a * a, axis=dims, keepdims=keepdim))
        else:
            y = xp.sum(a ** p, axis=dims, keepdims=keepdim) ** (1.0 / p)
        out = Tensor._make(xp.asarray(y, dtype=a.dtype))  # real, also for complex x (a = |x|)
        ctx.save_for_backward(x, out)
        ctx.p, ctx.dims, ctx.keepdim = p, dims, keepdim
        return out

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        p, dims, keepdim = ctx.p, ctx.dims, ctx.keepdim
        grad = _expand_back(grad, x.shape, dims, keepdim)
        y = _expand_back(y, x.shape, dims, keepdim)
        if p == 0:
            return grad * 0, None, None, None
        if p in (float("inf"), -float("inf")):
            hit = (x.abs() == y).to(grad.dtype)
            count = hit.sum(dim=dims, keepdim=True) if dims is not None else hit.sum()
            return grad * x.sign() * hit / count, None, None, None
        safe_y = y.masked_fill(y == 0, 1)
        if p == 2:
            scale = x / safe_y
        elif p == 1:
            scale = x.sign()
        else:
            scale = x.sign() * x.abs() ** (p - 1) / safe_y ** (p - 1)
            if p < 1:
                scale = scale.masked_fill(x == 0, 0)
        return (grad * scale).masked_fill(y == 0, 0), None, None, None


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """The p-norm of the elements of ``x`` (over ``dim``, or all of them)."""
    if dtype is not None:
        x = x.to(dtype)
    x = float_operand(x)
    return VectorNorm.apply(x, float(ord), normalize_dims(x, dim), keepdim)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """torch.norm: the p-norm of all elements (or over ``dim``); "fro" is the 2-norm of the elements."""
    if p == "nuc":
        raise NotImplementedError("torch.norm(p='nuc'): use minitorch.linalg.matrix_norm(x, 'nuc')")
    return vector_norm(input, 2 if p in ("fro", None) else p, dim, keepdim, dtype=dtype)
