"""Counting and tabulating: bincount, histc, tril_indices / triu_indices, vander, is_nonzero, dist.

bincount and histc count, so they have no gradient (torch's histc result does not require grad;
its weighted bincount records a node whose backward raises, as ``Bincount`` here). vander and
dist are composed from differentiable ops (cumprod; vector_norm of a difference), so their
gradients are those ops' gradients.
"""
import numpy as np

from .. import _backend, _dtype
from .._backend import array_module
from .._creation import ones
from .._tensor import Tensor
from ..autograd.function import Function
from .reduce import vector_norm
from .shape import cat, flip


class Bincount(Function):
    """out[b] = sum of weights[i] over the i with input[i] == b. torch does not differentiate it
    (its backward raises), and neither does minitorch: a gradient through counts is a design smell."""

    @staticmethod
    def forward(ctx, input, weights, minlength, dtype):
        xp = array_module(input.array)
        return xp.bincount(input.array, weights.array, minlength=minlength).astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("the derivative for 'bincount' is not implemented (nor in torch): to get gradients "
                           "of sums per bin, use torch.zeros(n).index_add(0, input, weights)")


def bincount(input, weights=None, minlength=0):
    """How often each value 0..max(input) occurs in the 1-D non-negative integer ``input`` (int64);
    with ``weights``, the sum of the weights per value (in the weights' dtype when float32 or
    float64, else float64). The result has at least ``minlength`` bins."""
    if input.dtype.is_floating_point or input.dtype is _dtype.bool_ or input.dtype.is_complex:
        raise NotImplementedError(f'"bincount_cpu" not implemented for \'{input.dtype.scalar_type}\' (bincount '
                                  "counts integers: convert with .long())")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if input.ndim != 1 or (input.numel() and int(input.array.min()) < 0):
        raise RuntimeError(f"bincount only supports 1-d non-negative integral inputs (got shape {list(input.shape)}"
                           f"{'' if input.ndim != 1 else ' with a negative value'})")
    if weights is None:
        xp = array_module(input.array)
        return Tensor._make(xp.bincount(input.array, minlength=minlength).astype(np.int64))
    if weights.ndim != 1 or weights.shape[0] != input.shape[0]:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    dtype = weights.dtype if weights.dtype in (_dtype.float32, _dtype.float64) else _dtype.float64
    return Bincount.apply(input, weights, minlength, dtype.numpy)


def histc(input, bins=100, min=0, max=0):
    """The histogram of ``input``'s elements in ``bins`` equal bins over [min, max] (by default the
    range of the data; [v - 1, v + 1] when all values equal v). An element x lands in bin
    floor((x - min) * bins / (max - min)) (x = max in the last bin); those outside are dropped.
    A float tensor of ``input``'s dtype, without gradient."""
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"histogram_cpu" not implemented for \'{input.dtype.scalar_type}\' (histc '
                                  "needs a floating-point tensor: convert with .float())")
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    xp = array_module(input.array)
    values = input.array.reshape(-1)
    low, high = input.array.dtype.type(min), input.array.dtype.type(max)
    if low == high and values.size:
        low, high = values.min(), values.max()
    if low == high:
        low, high = low - 1, high + 1
    if not (np.isfinite(float(low)) and np.isfinite(float(high))):
        raise RuntimeError(f"torch.histc: range of [{float(low)}, {float(high)}] is not finite")
    if low > high:
        raise RuntimeError("torch.histc: max must be larger than min")
    inside = values[(values >= low) & (values <= high)]
    positions = ((inside - low) * bins / (high - low)).astype(np.int64)
    counts = xp.bincount(xp.minimum(positions, bins - 1), minlength=bins)
    return Tensor._make(counts.astype(input.array.dtype))


def _triangle_indices(name, row, col, offset, dtype, device, lower):
    """The (2, k) row and column indices of a row x col matrix's lower (upper) triangle, row by row."""
    dtype = _dtype.to_dtype(dtype)
    if dtype not in (_dtype.int64, _dtype.int32, _dtype.int16, _dtype.int8, _dtype.uint8):
        raise NotImplementedError(f'"{name}" not implemented for \'{dtype.scalar_type}\' (the indices are '
                                  "integers: use dtype=torch.long)")
    for what, size in (("row", row), ("col", col)):
        if size < 0:
            raise RuntimeError(f"{what} must be non-negative, got{size}")
    inside = np.tril_indices(row, offset, col) if lower else np.triu_indices(row, offset, col)
    return Tensor._make(_backend.array_on(_backend.as_device(device), np.stack(inside).astype(dtype.numpy),
                                          dtype.numpy))


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """Indices (row i, column j) of the elements with j - i <= offset, as a (2, k) int64 tensor."""
    return _triangle_indices("tril_indices", row, col, offset, dtype or _dtype.int64, device or "cpu", True)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """Indices (row i, column j) of the elements with j - i >= offset, as a (2, k) int64 tensor."""
    return _triangle_indices("triu_indices", row, col, offset, dtype or _dtype.int64, device or "cpu", False)


def vander(x, N=None, increasing=False):
    """The Vandermonde matrix V[i, j] = x_i^(N-1-j) (x_i^j with ``increasing``), N columns (default len(x)).
    Composed as torch: a column of ones, then cumprod of x repeated N-1 times (so the gradient is
    cumprod's), flipped unless ``increasing``. Integer and bool x give int64."""
    if x.ndim != 1:
        raise RuntimeError(f"x must be a one-dimensional tensor. (got shape {list(x.shape)})")
    N = x.shape[0] if N is None else N
    if N < 0:
        raise RuntimeError("N must be non-negative.")
    dtype = _dtype.promote_types(x.dtype, _dtype.int64)
    columns = [ones(x.shape[0], min(N, 1), dtype=dtype, device=x.device)]
    if N > 1:
        columns.append(x.to(dtype).unsqueeze(1).expand(x.shape[0], N - 1).cumprod(1))
    result = cat(columns, 1)
    return result if increasing else flip(result, 1)


def is_nonzero(input):
    """Whether the one element of ``input`` is not zero (a Python bool)."""
    if input.numel() != 1:
        amount = "no values" if input.numel() == 0 else "more than one value"
        raise RuntimeError(f"Boolean value of Tensor with {amount} is ambiguous")
    return bool(input.item())


def dist(input, other, p=2):
    """The p-norm of input - other (broadcast): vector_norm(input - other, p)."""
    difference = input - other
    if not (difference.dtype.is_floating_point or difference.dtype.is_complex):
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. Got "
                           f"{difference.dtype.scalar_type} instead.")
    return vector_norm(difference, float(p))
