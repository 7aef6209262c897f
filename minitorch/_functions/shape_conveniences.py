"""Shape conveniences: numpy-style names for moves that minitorch already has.

Nothing here is a new primitive. Each function is a few lines of reshape, flip, transpose,
narrow, expand or cat (shape.py), so its gradient is theirs: flips flip the gradient back,
transposes transpose it back, pieces (tensor_split, hsplit...) are views whose gradients land
in their slice of the input, and stacks hand each input its slice of the output's gradient.
"""
import numpy as np

from .. import _dtype
from .._backend import array_module
from .._tensor import Tensor, type_name
from ._operands import broadcast_shapes
from .linalg_structure import diag
from .indexing import nonzero
from .shape import cat, flip, movedim, narrow, reshape, transpose, vstack


def ravel(input):
    """The elements as a 1-D tensor, in row-major order (a view when the memory allows): reshape(-1)."""
    return reshape(input, -1)


moveaxis = movedim
row_stack = vstack


def fliplr(input):
    """Reverse the columns (dim 1): flip(input, 1)."""
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, 1)


def flipud(input):
    """Reverse the rows (dim 0): flip(input, 0)."""
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, 0)


def rot90(input, k=1, dims=(0, 1)):
    """Rotate by 90 degrees k times, from dims[0] towards dims[1] (counter-clockwise for a matrix):
    k = 1 is flip(dims[1]) then transpose, k = 2 is flip(both), k = 3 is flip(dims[0]) then transpose."""
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    n = input.ndim
    if n < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {n}")
    wrapped = [input._wrap_dim(d) for d in dims]
    if wrapped[0] == wrapped[1]:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}")
    dims = wrapped
    k %= 4
    if k == 1:
        return transpose(flip(input, dims[1]), *dims)
    if k == 2:
        return flip(input, *dims)
    if k == 3:
        return transpose(flip(input, dims[0]), *dims)
    return input.clone()


def _at_least(name, ndim, promote, tensors):
    """One tensor -> one tensor; several (or one list) -> a tuple; each reshaped by ``promote`` when it has
    fewer than ``ndim`` dims (otherwise returned as it is, as torch)."""
    single = len(tensors) == 1 and isinstance(tensors[0], Tensor)
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"{name}() expected a Tensor or a tuple of Tensors, got {type_name(t)} (make it a "
                            "tensor with torch.tensor(...))")
    out = tuple(t if t.ndim >= ndim else promote(t) for t in tensors)
    return out[0] if single else out


def atleast_1d(*tensors):
    """Each tensor with at least one dim: a 0-d tensor becomes shape (1,)."""
    return _at_least("atleast_1d", 1, lambda t: reshape(t, 1), tensors)


def atleast_2d(*tensors):
    """Each tensor with at least two dims: () -> (1, 1), (n,) -> (1, n)."""
    return _at_least("atleast_2d", 2, lambda t: reshape(t, 1, -1), tensors)


def atleast_3d(*tensors):
    """Each tensor with at least three dims: () -> (1, 1, 1), (n,) -> (1, n, 1), (m, n) -> (m, n, 1)."""
    return _at_least("atleast_3d", 3, lambda t: reshape(t, (1, -1, 1) if t.ndim < 2 else (*t.shape, 1)), tensors)


def broadcast_tensors(*tensors):
    """The tensors expanded to their common broadcast shape (read-only views: gradients are summed back)."""
    shape = broadcast_shapes(*(t.shape for t in tensors))
    return tuple(t.expand(shape) for t in tensors)


def tensor_split(input, indices_or_sections=None, dim=0, *, sections=None, indices=None,
                 tensor_indices_or_sections=None):
    """Views of ``input`` split along ``dim``, as numpy.array_split: an int n gives n pieces, the first
    size % n of them one longer; a list of indices gives the pieces between them (Python slicing
    rules: negative indices count from the end, large ones are clipped). A 0-d int64 tensor is an n,
    a 1-D one a list of indices."""
    split = next((a for a in (indices_or_sections, sections, indices, tensor_indices_or_sections) if a is not None),
                 None)
    if input.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    if isinstance(split, Tensor):
        split = _split_from_tensor(split)
    dim = input._wrap_dim(dim)
    size = input.shape[dim]
    if isinstance(split, (int, np.integer)):
        if split <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {split}")
        bounds = [i * (size // split) + min(i, size % split) for i in range(1, split)]
    else:
        bounds = [int(i) for i in split]
    pieces = []
    for start, stop in zip([0] + bounds, bounds + [size]):
        start, stop, _ = slice(start, stop).indices(size)
        pieces.append(narrow(input, dim, start, max(0, stop - start)))
    return tuple(pieces)


def _split_from_tensor(split):
    if split.dtype is not _dtype.int64:
        raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to have dtype of long, but got "
                           f"{split.dtype.scalar_type}")
    if split.ndim > 1:
        raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                           f"one-dimensional tensor, but got a tensor with {split.ndim} dims")
    return split.item() if split.ndim == 0 else split.tolist()


def _split_along(name, input, split, dim, min_dims):
    """hsplit / vsplit / dsplit: tensor_split along ``dim``, where an int must divide the size evenly."""
    if input.ndim < min_dims:
        raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dims} dimension, but got a tensor "
                           f"with {input.ndim} dimensions!")
    if isinstance(split, (int, np.integer)) and (split == 0 or input.shape[dim] % split):
        raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but the size of the dimension "
                           f"{input.shape[dim]} is not divisible by the split_size {split}!")
    return tensor_split(input, split, dim)


def hsplit(input, indices_or_sections):
    """Split along columns: dim 1 (dim 0 for a 1-D tensor)."""
    return _split_along("hsplit", input, indices_or_sections, 1 if input.ndim > 1 else 0, 1)


def vsplit(input, indices_or_sections):
    """Split along rows: dim 0 (the tensor needs at least 2 dims)."""
    return _split_along("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input, indices_or_sections):
    """Split along depth: dim 2 (the tensor needs at least 3 dims)."""
    return _split_along("dsplit", input, indices_or_sections, 2, 3)


def _non_empty(name, tensors):
    if isinstance(tensors, Tensor):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor (put them "
                        f"in a list: torch.{name}([a, b]))")
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return tensors


def dstack(tensors):
    """Join along depth: cat(atleast_3d(tensors), dim=2)."""
    return cat(atleast_3d(_non_empty("dstack", tensors)), 2)


def column_stack(tensors):
    """Join as columns: 0-d and 1-D tensors become (n, 1) columns, then cat along dim 1."""
    tensors = _non_empty("column_stack", tensors)
    return cat([reshape(t, -1, 1) if t.ndim < 2 else t for t in tensors], 1)


def diagflat(input, offset=0):
    """The square matrix with the flattened input on diagonal ``offset``: diag(input.flatten(), offset)."""
    return diag(input.reshape(-1), offset)


def argwhere(input):
    """The indices of the non-zero elements, one row per element (int64, shape (count, ndim)): nonzero(input)."""
    if input.ndim == 0:
        xp = array_module(input.array)
        return Tensor._make(xp.zeros((int(bool(input.array)), 0), dtype=np.int64))
    return nonzero(input)


def narrow_copy(input, dim, start, length):
    """narrow(input, dim, start, length), copied into its own memory."""
    return narrow(input, dim, start, length).clone()
