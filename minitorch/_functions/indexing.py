"""Indexing: x[key], x[key] = v, gather, scatter, index_select, masked_fill.

Basic keys (ints, slices, None, ...) give views (see shape.Slice). Advanced keys (integer
tensors or lists, boolean masks) pick arbitrary elements and give copies. Their backward is
the same idea every time: the gradient of a picked element goes back to where it was picked
from, and an element picked twice gets both contributions (``index_add``/``scatter_add``).
"""
import numpy as np

from .. import _backend
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from ._operands import broadcast_shapes, value
from .elementwise import MaskedFill, MaskedFillWithTensor, choose
from .inplace import inplace
from .shape import Select, Slice, SliceBackward


def normalize_key(tensor, key):
    """Check ``key`` against ``tensor``'s shape and convert its tensors/lists to arrays.

    Returns (key as a tuple, whether it is basic). Out-of-range ints, wrong mask shapes and
    float indices raise torch's errors here, before numpy sees them.
    """
    key = key if isinstance(key, tuple) else (key,)
    parts, basic, dim = [], True, 0
    consumed = sum(_dims_used(k) for k in key)
    if consumed > tensor.ndim:
        raise IndexError(f"too many indices for tensor of dimension {tensor.ndim}")
    for k in key:
        if k is Ellipsis:
            dim += tensor.ndim - consumed
            parts.append(k)
            continue
        if k is None:
            parts.append(k)
            continue
        if isinstance(k, (bool, np.bool_)):
            parts.append(k)
            basic = False
            continue
        if isinstance(k, (int, np.integer)):
            size = tensor.shape[dim]
            if not -size <= k < size:
                raise IndexError(f"index {k} is out of bounds for dimension {dim} with size {size}")
            parts.append(int(k))
        elif isinstance(k, slice):
            if k.step is not None and k.step <= 0:
                raise ValueError("step must be greater than zero (torch has no negative steps: use x.flip(dim))")
            parts.append(k)
        else:
            k = _index_array(tensor, k, dim)
            parts.append(k)
            basic = False
            dim += k.ndim if k.dtype == np.bool_ else 1
            continue
        dim += 1
    return tuple(parts), basic


def _dims_used(k):
    if k is None or k is Ellipsis or isinstance(k, (bool, np.bool_)):
        return 0
    if isinstance(k, Tensor) and k.dtype.name == "bool":
        return k.ndim
    if isinstance(k, np.ndarray) and k.dtype == np.bool_:
        return k.ndim
    return 1


def _index_array(tensor, k, dim):
    """An index given as a Tensor, list or array, as an array on the tensor's device."""
    if isinstance(k, Tensor):
        if k.device != tensor.device and k.ndim > 0:
            raise RuntimeError(f"indices should be either on cpu or on the same device as the indexed tensor "
                               f"({tensor.device}), but got indices on {k.device}")
        array = k.array
    else:
        array = np.asarray(k)
        if array.dtype == object:
            raise IndexError(f"unsupported index {k!r}")
        if array.size == 0:
            array = array.astype(np.int64)
    if array.dtype == np.bool_:
        shape = tensor.shape[dim:dim + array.ndim]
        if tuple(array.shape) != tuple(shape):
            raise IndexError(f"The shape of the mask {list(array.shape)} at index {dim} does not match the shape of "
                             f"the indexed tensor {list(tensor.shape)} at index {dim}")
    elif array.dtype.kind not in "iu":
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors, got "
                         f"{array.dtype}")
    else:
        size = tensor.shape[dim]
        if array.size and (int(array.max()) >= size or int(array.min()) < -size):
            bad = int(array.max()) if int(array.max()) >= size else int(array.min())
            raise IndexError(f"index {bad} is out of bounds for dimension {dim} with size {size}")
    if type(array) is not type(tensor.array):
        array = _backend.to_device(array, tensor.device)
    return array


class Index(Function):
    """y = x[key] for advanced keys (a copy).  dL/dx = zeros with dL/dy added at ``key``
    (added, not written: an element picked twice receives both gradients)."""

    @staticmethod
    def forward(ctx, x, key):
        ctx.shape, ctx.key = x.array.shape, key
        return x.array[key]

    @staticmethod
    def backward(ctx, grad):
        zeros = Tensor._make(array_module(grad.array).zeros(ctx.shape, dtype=grad.array.dtype))
        return IndexPut.apply(zeros, ctx.key, grad, True), None


class IndexPut(Function):
    """y = x with ``values`` written (or with ``accumulate``, added) at ``key``.
    dL/dx = dL/dy with zeros at ``key`` (overwritten elements do not reach x; with accumulate all do);
    dL/dvalues = dL/dy[key], summed back to values' shape."""

    @staticmethod
    def forward(ctx, x, key, values, accumulate):
        ctx.key, ctx.accumulate = key, accumulate
        ctx.values_shape = values.array.shape if isinstance(values, Tensor) else ()
        out = x.array.copy()
        if accumulate:
            _backend.add_at(out, key, value(values))
        else:
            out[key] = value(values)
        return out

    @staticmethod
    def backward(ctx, grad):
        gx = gv = None
        if ctx.needs_input_grad[0]:
            gx = grad if ctx.accumulate else IndexPut.apply(grad, ctx.key, 0.0, False)
        if ctx.needs_input_grad[2]:
            picked = Index.apply(grad, ctx.key)
            gv = picked.sum_to_size(ctx.values_shape) if picked.shape != ctx.values_shape else picked
        return gx, None, gv, None


class Embedding(Index):
    """F.embedding's lookup, weight[indices]: an Index; torch names its node EmbeddingBackward0."""


def embedding_rows(weight, indices):
    """The rows ``weight[indices]`` as one Embedding node."""
    key, _ = normalize_key(weight, indices)
    return Embedding.apply(weight, key)


def getitem(tensor, key):
    """``tensor[key]``: a view for basic keys, a copy for integer-tensor or mask keys."""
    key, basic = normalize_key(tensor, key)
    if basic:
        return (Select if _selects(key) else Slice).apply(tensor, key)
    split = _ints_first(key)
    if split is not None:
        return Index.apply(getitem(tensor, split[0]), split[1])
    return Index.apply(tensor, key)


def _ints_first(key):
    """torch applies the integers of a key before its index tensors (x[0, :, [1, 2]] is x[0][:, [1, 2]]);
    numpy counts them among the advanced indices, which moves dims when a slice separates them
    (numpy gives shape [2, 3] there, torch [3, 2]). So a key with both is split in two: the integers
    (a view), then the index tensors on what is left. Returns (ints key, advanced key), or None when
    there is nothing to split."""
    if not any(type(k) is int for k in key) or any(isinstance(k, (bool, np.bool_)) for k in key):
        return None
    ints, advanced = [], []
    for k in key:
        if type(k) is int:
            ints.append(k)
        elif isinstance(k, slice) or k is None or k is Ellipsis:
            ints.append(k)
            advanced.append(slice(None) if k is not Ellipsis else k)
        else:  # an index array (a mask spans one dim per mask dim)
            ints += [slice(None)] * (k.ndim if k.dtype == np.bool_ else 1)
            advanced.append(k)
    return tuple(ints), tuple(advanced)


def _selects(key):
    """Whether a basic key only picks by integers (x[0], x[:, 1], x[1, 2]): torch's select."""
    return any(type(k) is int for k in key) and all(type(k) is int or k is Ellipsis or k == slice(None) for k in key)


def setitem(tensor, key, values):
    """``tensor[key] = values``, in place (recorded by autograd when values or tensor require grad)."""
    key, basic = normalize_key(tensor, key)
    split = None if basic else _ints_first(key)
    if split is not None:  # (as in getitem): write into the view that the integers pick
        return setitem(getitem(tensor, split[0]), split[1], values)
    if isinstance(values, Tensor):
        target_shape = np.empty(tensor.shape, dtype=np.bool_)[_host_key(key)].shape
        try:
            broadcast_shapes(target_shape, values.shape)
        except RuntimeError:
            values_fit = False
        else:
            values_fit = values.ndim <= len(target_shape) or values.shape == target_shape
        if not values_fit:
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(values.shape)} cannot be broadcast to "
                               f"indexing result of shape {list(target_shape)}")
        values = values.to(tensor.dtype) if values.dtype is not tensor.dtype else values
    inplace(tensor, lambda t: IndexPut.apply(t, key, values, False), values)


def _host_key(key):
    return tuple(k.get() if hasattr(k, "get") and not isinstance(k, (slice, int)) else k for k in key)


def _check_index(index, name, dim_size=None):
    if not isinstance(index, Tensor) or index.dtype.name not in ("int64", "int32"):
        got = index.dtype if isinstance(index, Tensor) else type(index).__name__
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index, got {got}")


class GatherAlongDim(Function):
    """y[i][j] = x[i][index[i][j]] (for dim=1; likewise for any dim).
    dL/dx = zeros with dL/dy scatter-added at ``index`` along ``dim``."""
    torch_op = "Gather"

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.shape, ctx.dim, ctx.index = x.array.shape, dim, index
        # index may be smaller than x in the other dims: only x's leading block is read
        block = tuple(slice(None) if d == dim else slice(0, n) for d, n in enumerate(index.array.shape))
        return array_module(x.array).take_along_axis(x.array[block], index.array, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        zeros = Tensor._make(array_module(grad.array).zeros(ctx.shape, dtype=grad.array.dtype))
        return None if not ctx.needs_input_grad[0] else ScatterAlongDim.apply(zeros, ctx.dim, ctx.index, grad, "add"), \
            None, None


class ScatterAlongDim(Function):
    """y = x, then y[i][index[i][j]] = src[i][j] (dim=1), or += with reduce="add".
    dL/dx = dL/dy with zeros where src overwrote (unchanged for "add");
    dL/dsrc = dL/dy gathered at ``index``."""
    torch_op = "Scatter"

    @staticmethod
    def forward(ctx, x, dim, index, src, reduce):
        ctx.dim, ctx.index, ctx.reduce = dim, index, reduce
        ctx.src_shape = src.array.shape if isinstance(src, Tensor) else None
        out = x.array.copy()
        positions = _scatter_positions(index.array, dim)
        source = value(src)
        if isinstance(src, Tensor):
            source = source[tuple(slice(0, s) for s in index.array.shape)]
        if reduce == "add":
            _backend.add_at(out, positions, source)
        else:
            out[positions] = source
        return out

    @staticmethod
    def backward(ctx, grad):
        gx = gsrc = None
        if ctx.needs_input_grad[0]:
            gx = grad if ctx.reduce == "add" else ScatterAlongDim.apply(grad, ctx.dim, ctx.index, 0.0, None)
        if ctx.needs_input_grad[3]:  # only src's leading block (index's shape) was used: zeros elsewhere
            gsrc = GatherAlongDim.apply(grad, ctx.dim, ctx.index)
            if gsrc.array.shape != ctx.src_shape:
                gsrc = SliceBackward.apply(gsrc, ctx.src_shape, tuple(slice(0, n) for n in gsrc.array.shape))
        return gx, None, None, gsrc, None


class ScatterValue(ScatterAlongDim):
    """scatter(value=v): torch's overload 1 of scatter (ScatterBackward1); the math is ScatterAlongDim's."""
    torch_op, overload = "Scatter", 1


class ScatterAdd(ScatterAlongDim):
    """scatter_add: a ScatterAlongDim with reduce="add"; torch names its node ScatterAddBackward0."""


def _scatter_positions(index, dim):
    """The full advanced-index tuple that addresses x[..., index[...], ...] along ``dim``."""
    xp = array_module(index)
    grids = list(xp.indices(index.shape, sparse=True))
    grids[dim] = index
    return tuple(grids)


def gather(input, dim, index, *, sparse_grad=False):
    """Pick values along ``dim``: out[i][j] = input[i][index[i][j]] for dim=1."""
    _check_index(index, "gather")
    dim = input._wrap_dim(dim)
    _check_index_shape(index, input, dim)
    _check_bounds(index, input.shape[dim], dim, "gather")
    return GatherAlongDim.apply(input, dim, index)


def _check_index_shape(index, input, dim, src=None):
    """torch's rule: index may not be larger than input (except along ``dim``) nor than src (anywhere)."""
    if index.ndim != input.ndim:
        raise RuntimeError(f"Index tensor must have the same number of dimensions as input tensor "
                           f"(index {list(index.shape)}, input {list(input.shape)})")
    for d, n in enumerate(index.shape):
        if d != dim and n > input.shape[d]:
            raise RuntimeError(f"Size does not match at dimension {d} expected index {list(index.shape)} to be "
                               f"smaller than self {list(input.shape)} apart from dimension {dim}")
        if isinstance(src, Tensor) and (src.ndim != index.ndim or n > src.shape[d]):
            raise RuntimeError(f"Size does not match at dimension {d} expected index {list(index.shape)} to be "
                               f"smaller than src {list(src.shape)}")


def _check_bounds(index, size, dim, name):
    if index.numel() and (int(index.array.max()) >= size or int(index.array.min()) < -size):
        bad = int(index.array.max()) if int(index.array.max()) >= size else int(index.array.min())
        raise RuntimeError(f"{name}(): index {bad} is out of bounds for dimension {dim} with size {size}")


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """out = input with src[i][j] written at out[i][index[i][j]] (dim=1); reduce="add" adds instead."""
    _check_index(index, "scatter")
    dim = input._wrap_dim(dim)
    source = src if src is not None else value
    _check_index_shape(index, input, dim, source)
    _check_bounds(index, input.shape[dim], dim, "scatter")
    if isinstance(source, Tensor) and source.dtype is not input.dtype:
        raise RuntimeError(f"scatter(): Expected self.dtype to be equal to src.dtype ({input.dtype} and "
                           f"{source.dtype})")
    if reduce not in (None, "add"):
        raise NotImplementedError(f"scatter with reduce={reduce!r}: minitorch supports None and 'add'")
    kind = ScatterAdd if reduce == "add" else ScatterAlongDim if isinstance(source, Tensor) else ScatterValue
    return kind.apply(input, dim, index, source, reduce)


def scatter_add(input, dim, index, src):
    return scatter(input, dim, index, src, reduce="add")


def index_select(input, dim, index):
    """The entries at ``index`` along ``dim``: input.index_select(0, idx) is input[idx]."""
    if index.ndim > 1:
        raise IndexError(f"index_select(): Index is supposed to be a vector, got shape {list(index.shape)}")
    dim = input._wrap_dim(dim)
    if index.dtype.name not in ("int64", "int32"):
        raise IndexError(f"index_select(): Expected dtype int32 or int64 for index, got {index.dtype}")
    return getitem(input, (slice(None),) * dim + (index.reshape(-1),))


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each entry repeated ``repeats`` times in place (``[1, 2] -> [1, 1, 2, 2]``), along ``dim`` (the
    flattened tensor when dim is None); ``repeats`` may give one count per entry. It is an index_select
    with the indices np.repeat makes, so the gradient of each copy is added back to its entry.
    ``repeat_interleave(counts)`` alone repeats each index i counts[i] times."""
    if repeats is None:
        return repeat_interleave(Tensor._make(array_module(input.array).arange(input.shape[0])), input, 0)
    x, dim = (input.reshape(-1), 0) if dim is None else (input, input._wrap_dim(dim))
    size = x.shape[dim]
    if isinstance(repeats, Tensor):
        counts = repeats.array.reshape(-1)
        if counts.size not in (1, size):
            raise RuntimeError(f"repeats must have the same size as input along dim, but got repeats.size(0) = "
                               f"{counts.size} and input.size({dim}) = {size}")
        if counts.size and counts.min() < 0:
            raise RuntimeError("repeats can not be negative")
    else:
        if repeats < 0:
            raise RuntimeError("Repeats must be non-negative")
        counts = repeats
    xp = array_module(x.array)
    indices = xp.repeat(xp.arange(size), counts if xp is np else xp.asarray(counts))
    return index_select(x, dim, Tensor._make(indices.astype(np.int64)))


def index_add(input, dim, index, source, *, alpha=1):
    dim = input._wrap_dim(dim)
    key, _ = normalize_key(input, (slice(None),) * dim + (index,))
    return IndexPut.apply(input, key, source * alpha if alpha != 1 else source, True)


def _index_key(input, dim, index, name):
    """The key that addresses input[..., index, ...] with ``index`` at ``dim`` (1-D, int, in range)."""
    _check_index(index, name)
    if index.ndim > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector, got shape {list(index.shape)}")
    size = input.shape[dim] if input.ndim else 1
    if index.numel() and not -size <= int(index.array.min()) <= int(index.array.max()) < size:
        bad = int(index.array.max()) if int(index.array.max()) >= size else int(index.array.min())
        raise IndexError(f"index {bad} is out of bounds for dimension {dim} with size {size}")
    return normalize_key(input, (slice(None),) * dim + (index.reshape(-1),))[0]


def index_fill(input, dim, index, value):
    """``value`` written at every position ``index`` along ``dim`` (index_fill(0, [0, 2], v): rows 0 and 2)."""
    dim = input._wrap_dim(dim)
    key = _index_key(input, dim, index, "index_fill")
    value = value.to(input.dtype) if isinstance(value, Tensor) else input.dtype.numpy.type(value)
    return IndexPut.apply(input, key, value, False)


def index_copy(input, dim, index, source):
    """The slices of ``source`` written at positions ``index`` along ``dim``: out[..., index[i], ...] =
    source[..., i, ...]."""
    dim = input._wrap_dim(dim)
    key = _index_key(input, dim, index, "index_copy")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"index_copy_(): self and source expected to have the same dtype, but got (self) "
                           f"{input.dtype.scalar_type} and (source) {source.dtype.scalar_type}")
    count = source.shape[dim] if source.ndim else 1
    if count != index.numel():
        raise RuntimeError(f"index_copy_(): Number of indices ({index.numel()}) should be equal to source.size(dim) "
                           f"({count})")
    return IndexPut.apply(input, key, source, False)


def masked_fill(input, mask, value):
    """``value`` where ``mask`` is True, ``input`` elsewhere (mask broadcasts)."""
    if not isinstance(mask, Tensor) or mask.array.dtype != np.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{getattr(mask, 'dtype', type(mask).__name__)}")
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value.ndim} dimension(s).")
        value = value.to(input.dtype)
    else:
        value = input.dtype.numpy.type(value)
    broadcast_shapes(input.shape, mask.shape)
    return choose(MaskedFillWithTensor if isinstance(value, Tensor) else MaskedFill, mask, value, input)


def masked_select(input, mask):
    shape = broadcast_shapes(input.shape, mask.shape)
    return getitem(input.expand(shape), mask.expand(shape))


def nonzero(input, *, as_tuple=False):
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or one index tensor per dim."""
    xp = array_module(input.array)
    found = xp.nonzero(input.array)
    if as_tuple:
        return tuple(Tensor._make(i.astype(np.int64)) for i in found)
    return Tensor._make(xp.stack(found, axis=1).astype(np.int64) if found else xp.zeros((0, 0), np.int64))


def take(input, index):
    return getitem(input.reshape(-1), index)


def take_along_dim(input, indices, dim):
    return gather(input, dim, indices.expand(*input.shape[:dim], indices.shape[dim], *input.shape[dim + 1:]))
