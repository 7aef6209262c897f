"""Sorting and selection: sort, argsort, topk, kthvalue, median, mode, unique, searchsorted.

All of them first find *indices* (an argsort on the raw array: no gradient flows through an
ordering), then pick the values with ``gather``:

    values = x.gather(dim, indices)

so the gradient comes free from gather's backward: dL/dx = zeros with dL/dvalues added at
``indices`` (torch's value_selecting_reduction_backward). Each op gathers through its own
subclass of GatherAlongDim only so that the graph names it as torch does (SortBackward0...).
As in torch, NaN counts as larger than every number, and the sort is stable (equal values
keep their order).
"""
from .. import _dtype
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from . import return_types
from .indexing import GatherAlongDim


class Sort(GatherAlongDim):
    """values = x.gather(dim, indices) for sort.  dL/dx = dL/dvalues added at ``indices``."""


class Topk(GatherAlongDim):
    """values = x.gather(dim, indices) for topk.  dL/dx = dL/dvalues added at ``indices``."""


class Kthvalue(GatherAlongDim):
    """values = x.gather(dim, indices) for kthvalue.  dL/dx = dL/dvalues added at ``indices``."""


class MedianAlongDim(GatherAlongDim):
    """values = x.gather(dim, indices) for median and nanmedian along a dim.  dL/dx = dL/dvalues at ``indices``."""


class Mode(GatherAlongDim):
    """values = x.gather(dim, indices) for mode.  dL/dx = dL/dvalues added at ``indices``."""


# ----------------------------------------------------------------------------- orderings (raw arrays)
def _argsort(array, axis, descending):
    """Stable argsort along ``axis``; NaN is the largest value.

    Descending and stable: sort the reversed array ascending (equal values then come in reverse
    order), reverse the result (now descending, equal values in their original order), and map
    positions in the reversed array back: i -> n - 1 - i.
    """
    xp = array_module(array)
    if not descending:
        return xp.argsort(array, axis=axis, kind="stable")
    order = xp.argsort(xp.flip(array, axis), axis=axis, kind="stable")
    return (array.shape[axis] - 1) - xp.flip(order, axis)


def _as_1d(input):
    """Selection ops treat a 0-d tensor as one element along dim 0."""
    return input.reshape(1) if input.ndim == 0 else input


def _pick(selector, input, dim, indices, keepdim=True):
    """(values, indices) with values = input.gather(dim, indices); the kept dim removed unless keepdim."""
    indices = Tensor._make(indices)
    values = selector.apply(input, dim, indices)
    if not keepdim:
        values, indices = values.squeeze(dim), indices.squeeze(dim)
    return values, indices


def _selection_result(result, input, values, indices):
    if input.ndim == 0:
        values, indices = values.reshape(()), indices.reshape(())
    return result(values, indices)


# ----------------------------------------------------------------------------- sort, argsort, topk
def sort(input, dim=-1, descending=False, *, stable=False):
    """Sorted values along ``dim`` and where they came from: ``torch.return_types.sort(values, indices)``.
    The sort is always stable here (``stable=True`` is honoured by construction)."""
    dim = input._wrap_dim(dim)
    x = _as_1d(input)
    values, indices = _pick(Sort, x, dim, _argsort(x.array, dim, descending))
    return _selection_result(return_types.sort, input, values, indices)


def argsort(input, dim=-1, descending=False, *, stable=False):
    """The indices that sort ``input`` along ``dim`` (int64, no gradient)."""
    dim = input._wrap_dim(dim)
    return Tensor._make(_argsort(_as_1d(input).array, dim, descending).reshape(input.shape))


def msort(input):
    """``input`` sorted along its first dim (``sort(input, 0).values``)."""
    return sort(input, 0).values


def topk(input, k, dim=-1, largest=True, sorted=True):
    """The ``k`` largest (or smallest) elements along ``dim``, largest first: (values, indices).
    They come out sorted even with ``sorted=False`` (torch leaves that order unspecified)."""
    dim = input._wrap_dim(dim)
    x = _as_1d(input)
    if not 0 <= k <= x.shape[dim]:
        raise RuntimeError(f"selected index k out of range: k={k} but dim {dim} of a tensor of shape "
                           f"{list(input.shape)} has {x.shape[dim]} elements")
    order = _argsort(x.array, dim, descending=largest)
    values, indices = _pick(Topk, x, dim, order[_leading(dim) + (slice(0, k),)])
    return _selection_result(return_types.topk, input, values, indices)


def _leading(dim):
    return (slice(None),) * dim


def _select_sorted_position(selector, input, dim, positions, keepdim, result):
    """The element that lands at sorted position ``positions`` (an int array with dim kept as size 1)."""
    x = _as_1d(input)
    xp = array_module(x.array)
    order = _argsort(x.array, dim, descending=False)
    values, indices = _pick(selector, x, dim, xp.take_along_axis(order, positions, axis=dim), keepdim)
    return _selection_result(result, input, values, indices)


def _kept(x, dim):
    return tuple(1 if d == dim else s for d, s in enumerate(x.shape))


def kthvalue(input, k, dim=-1, keepdim=False):
    """The k-th smallest element along ``dim`` (k counts from 1) and its index."""
    dim = input._wrap_dim(dim)
    x = _as_1d(input)
    if not 1 <= k <= x.shape[dim]:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {dim}: k={k} but the "
                           f"dim has {x.shape[dim]} elements (k must be in 1..{x.shape[dim]})")
    positions = array_module(x.array).full(_kept(x, dim), k - 1, dtype=_dtype.int64.numpy)
    return _select_sorted_position(Kthvalue, input, dim, positions, keepdim, return_types.kthvalue)


# ----------------------------------------------------------------------------- median
def _median_positions(x, dim, ignore_nan):
    """Sorted position of the lower median along ``dim``: (n - 1) // 2 over the n counted values.
    NaNs sort last; ``median`` returns the first NaN where a slice has one, ``nanmedian`` skips them."""
    xp = array_module(x.array)
    n = x.shape[dim]
    nan_count = xp.isnan(x.array).sum(axis=dim, keepdims=True) if x.array.dtype.kind == "f" else \
        xp.zeros(_kept(x, dim), dtype=_dtype.int64.numpy)
    if ignore_nan:
        return xp.maximum((n - nan_count - 1) // 2, 0)
    return xp.where(nan_count > 0, n - nan_count, (n - 1) // 2)


class Median(Function):
    """y = the element of x at flat position ``index`` (a median of all elements).
    dy/dx_i = 1/k for the k elements equal to y (NaNs all count when y is NaN), 0 elsewhere:
    torch's evenly_distribute_backward, which shares the gradient between ties."""

    @staticmethod
    def forward(ctx, x, index):
        y = x.array.reshape(-1)[index]
        ctx.save_for_backward(x)
        ctx.y = Tensor._make(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        hit = (x == ctx.y) | (x.isnan() & ctx.y.isnan())
        return grad * hit.to(grad.dtype) / hit.sum(), None


def _median(input, dim, keepdim, ignore_nan, result):
    if dim is None:
        flat = input.reshape(-1)
        if flat.numel() == 0:
            return Tensor._make(array_module(input.array).asarray(float("nan"), dtype=input.array.dtype))
        positions = _median_positions(flat, 0, ignore_nan)
        order = _argsort(flat.array, 0, descending=False)
        index = int(array_module(order).take_along_axis(order, positions, axis=0)[0])
        return Median.apply(input, index)
    dim = input._wrap_dim(dim)
    x = _as_1d(input)
    if x.shape[dim] == 0:
        raise IndexError(f"{result.__name__}(): Expected reduction dim {dim} to have non-zero size (input shape "
                         f"{list(input.shape)})")
    positions = _median_positions(x, dim, ignore_nan)
    return _select_sorted_position(MedianAlongDim, input, dim, positions, keepdim, result)


def median(input, dim=None, keepdim=False):
    """The lower median: the element at sorted position (n - 1) // 2 (for 4 elements, the 2nd smallest).
    Without ``dim``, of all elements (a 0-d tensor); with ``dim``, (values, indices) along it.
    A NaN makes the median NaN; see ``nanmedian`` to skip NaNs."""
    return _median(input, dim, keepdim, False, return_types.median)


def nanmedian(input, dim=None, keepdim=False):
    """The lower median of the non-NaN elements (NaN only where all are NaN)."""
    return _median(input, dim, keepdim, True, return_types.nanmedian)


def mode(input, dim=-1, keepdim=False):
    """The most frequent value along ``dim`` (the smallest of those tied) and the index of its last
    occurrence. Frequencies are counted by comparing every pair: n^2 work per slice, for clarity."""
    dim = input._wrap_dim(dim)
    x = _as_1d(input)
    xp = array_module(x.array)
    if x.shape[dim] == 0:
        raise IndexError(f"mode(): Expected reduction dim {dim} to have non-zero size (input shape "
                         f"{list(input.shape)})")
    a = xp.moveaxis(x.array, dim, -1)
    counts = (a[..., :, None] == a[..., None, :]).sum(axis=-1)
    most = counts == counts.max(axis=-1, keepdims=True)
    smallest_frequent = xp.where(most, a, a.max(axis=-1, keepdims=True)).min(axis=-1, keepdims=True)
    last = xp.where(a == smallest_frequent, xp.arange(a.shape[-1]), -1).max(axis=-1, keepdims=True)
    values, indices = _pick(Mode, x, dim, xp.moveaxis(last, -1, dim).astype(_dtype.int64.numpy), keepdim)
    return _selection_result(return_types.mode, input, values, indices)


# ----------------------------------------------------------------------------- unique
def _runs(flat):
    """For a 1-D array: True where an element differs from the one before (NaN differs from NaN, as torch)."""
    xp = array_module(flat)
    first = xp.ones(min(flat.size, 1), dtype=bool)
    return xp.concatenate([first, flat[1:] != flat[:-1]])


def _unique_result(values, starts, inverse, return_inverse, return_counts, shape):
    xp = array_module(values)
    out = [Tensor._make(values)]
    if return_inverse:
        out.append(Tensor._make(inverse.reshape(shape)))
    if return_counts:
        positions = xp.concatenate([xp.nonzero(starts)[0], xp.asarray([starts.size])])
        out.append(Tensor._make(xp.diff(positions).astype(_dtype.int64.numpy)))
    return out[0] if len(out) == 1 else tuple(out)


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct elements, sorted; optionally where each input element went (``inverse``,
    input's shape) and how often each occurs (``counts``). Not differentiable, as torch.

    Sort, mark where a run of equal values starts, keep the run starts; an element's inverse is
    the number of runs started up to its sorted position, minus 1."""
    if dim is not None:
        raise NotImplementedError("unique(dim=...): minitorch supports unique over all elements (dim=None) only")
    flat = input.array.reshape(-1)
    xp = array_module(flat)
    order = xp.argsort(flat, kind="stable")
    ordered = flat[order]
    starts = _runs(ordered)
    inverse = xp.empty(flat.size, dtype=_dtype.int64.numpy)
    inverse[order] = xp.cumsum(starts) - 1
    return _unique_result(ordered[starts], starts, inverse, return_inverse, return_counts, input.shape)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """Collapse each run of equal consecutive elements to one (``[1, 1, 2, 1]`` -> ``[1, 2, 1]``)."""
    if dim is not None:
        raise NotImplementedError("unique_consecutive(dim=...): minitorch supports dim=None only")
    flat = input.array.reshape(-1)
    starts = _runs(flat)
    inverse = array_module(flat).cumsum(starts) - 1
    return _unique_result(flat[starts], starts, inverse, return_inverse, return_counts, input.shape)


# ----------------------------------------------------------------------------- searchsorted, bucketize
def _side(right, side):
    if side is None:
        return "right" if right else "left"
    if side not in ("left", "right"):
        raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side!r}")
    if right and side == "left":
        raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of left "
                           "while right was True")
    return side


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None, sorter=None):
    """Where each value of ``input`` would be inserted to keep ``sorted_sequence`` sorted along its last
    dim: the count of elements < value (side 'left') or <= value (side 'right').
    A 1-D sequence serves every value; an N-D one pairs its rows with ``input``'s rows."""
    side = _side(right, side)
    seq = sorted_sequence
    if sorter is not None:
        seq = seq.gather(-1, sorter)
    values = input if isinstance(input, Tensor) else Tensor._make(
        array_module(seq.array).asarray(input, dtype=_dtype.result_type(seq, input).numpy))
    if seq.ndim > 1 and tuple(seq.shape[:-1]) != tuple(values.shape[:-1]):
        raise RuntimeError(f"torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
                           f"dimensions of boundaries tensor and input value tensor must match, but we got "
                           f"boundaries tensor {list(seq.shape)} and input value tensor {list(values.shape)}")
    xp = array_module(seq.array)
    if seq.ndim == 1:
        found = xp.searchsorted(seq.array, values.array, side=side)
    else:  # row by row at once: compare every value with every element of its row
        before = xp.less if side == "left" else xp.less_equal
        found = before(seq.array[..., None, :], values.array[..., :, None]).sum(axis=-1)
    dtype = _dtype.int32 if out_int32 else _dtype.int64
    return Tensor._make(xp.asarray(found).astype(dtype.numpy))


def bucketize(input, boundaries, *, out_int32=False, right=False):
    """The bucket of each value: i such that boundaries[i-1] < x <= boundaries[i] (right=False),
    or boundaries[i-1] <= x < boundaries[i] (right=True). ``boundaries`` is 1-D and sorted."""
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim}) (shape "
                           f"{list(boundaries.shape)})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)
