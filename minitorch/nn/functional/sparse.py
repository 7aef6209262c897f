"""The functional forms of the lookup layers (torch.nn's "sparse" layers): embedding, one row of a
table per index, and embedding_bag, the sum, mean or max of the rows of each bag of indices."""
import warnings

import numpy as np

from ... import _dtype
from ..._backend import array_module
from ..._functions._operands import check_tensors
from ..._functions.elementwise import where
from ..._functions.indexing import embedding_rows
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad

__all__ = ["embedding", "embedding_bag"]


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Row ``i`` of ``weight`` for every index ``i`` in ``input``: output shape input.shape + (dim,).
    The row at ``padding_idx`` gets no gradient; ``max_norm`` renormalises the looked-up rows in place;
    ``scale_grad_by_freq`` divides each row's gradient by how often its index occurs in ``input``."""
    if not isinstance(input, Tensor) or input.dtype not in (_dtype.int64, _dtype.int32):
        got = f"torch.{type(input).__name__}" if not isinstance(input, Tensor) else f"torch.{input.dtype.scalar_type}Tensor"
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {got} instead (while checking arguments for embedding)")
    check_tensors("embedding", weight=weight)
    if weight.ndim != 2:
        raise RuntimeError(f"'weight' must be 2-D (num_embeddings, embedding_dim), but got weight of size "
                           f"{list(weight.shape)}")
    if padding_idx is not None and not -weight.shape[0] <= padding_idx < weight.shape[0]:
        raise AssertionError(f"Padding_idx must be within num_embeddings (got padding_idx={padding_idx} for "
                             f"{weight.shape[0]} embeddings)")
    if sparse:
        raise NotImplementedError("embedding: sparse gradients are not implemented in minitorch (gradients are "
                                  "dense)")
    if input.numel() and (int(input.max()) >= weight.shape[0] or int(input.min()) < 0):
        raise IndexError(f"index out of range in self (embedding has {weight.shape[0]} rows, indices must be in "
                         f"[0, {weight.shape[0] - 1}], got values from {int(input.min())} to {int(input.max())})")
    if max_norm is not None:
        _renorm_rows(weight, input, max_norm, norm_type)
    rows = embedding_rows(weight, input)
    if scale_grad_by_freq and rows.requires_grad:
        rows.register_hook(_divide_by_frequency(input, weight))
    if padding_idx is None:
        return rows
    padding_idx = padding_idx % weight.shape[0]
    return where((input != padding_idx).unsqueeze(-1), rows, weight.detach()[input])


def _divide_by_frequency(input, weight):
    """The gradient hook of scale_grad_by_freq: dL/dW[r] = (1 / count(r)) * sum of dL/dout[p] over the
    positions p where input[p] = r, so a frequent index does not get a larger step than a rare one."""
    indices = input.cpu().numpy()
    _, inverse, counts = np.unique(indices, return_inverse=True, return_counts=True)
    scale = (1.0 / counts[inverse.reshape(indices.shape)]).astype(weight.dtype.numpy)
    scale = Tensor._make(scale).to(weight.device).unsqueeze(-1)
    return lambda grad: grad * scale


def _renorm_rows(weight, input, max_norm, norm_type):
    with no_grad():
        used = np.unique(input.cpu().numpy())
        rows = weight[Tensor._make(used).to(weight.device)]
        norms = rows.norm(p=norm_type, dim=-1, keepdim=True)
        scale = where(norms > max_norm, max_norm / (norms + 1e-7), norms * 0 + 1)
        weight[Tensor._make(used).to(weight.device)] = rows * scale


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean",
                  sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
    """The rows of ``weight`` for the indices of each bag, reduced per bag by ``mode`` ('sum', 'mean' or
    'max'): output (number of bags, embedding_dim).

    Bags: a 2-D ``input`` (B, N) is B bags of N indices; a 1-D ``input`` is cut into bags where each of
    ``offsets`` starts one (offsets[0] must be 0; with ``include_last_offset`` the last offset, len(input),
    ends the last bag instead of starting one). ``padding_idx`` entries are left out of their bag (and of the
    mean's count); an empty bag gives zeros. ``per_sample_weights`` (input's shape, 'sum' only) scales
    each row before the sum: out_b = sum_{i in b} psw_i W[input_i].

    Composed from a row lookup and a per-bag sum (index_add), so the gradients come from those ops:
    dL/dW[r] = sum over the positions i holding r of c_i dL/dout_{bag(i)} (c_i: psw_i, 1, or 1 / bag
    size), dL/dpsw_i = W[input_i] . dL/dout_{bag(i)}. 'max' takes, per bag and dim, the row holding the
    largest value (the first one on ties, as torch), so its gradient goes to that one row.
    ``sparse=True`` raises NotImplementedError: torch's gradient is then a sparse tensor, which minitorch
    has not (use sparse=False: the same values, as a dense gradient).
    """
    if isinstance(weight, Tensor) and isinstance(input, Tensor) and weight.dtype is _dtype.int64 and \
            input.dtype.is_floating_point:
        warnings.warn("Argument order of nn.functional.embedding_bag was changed. Usage `embedding_bag(weight, "
                      "input, ...)` is deprecated, and should now be `embedding_bag(input, weight, ...)`.",
                      stacklevel=2)
        weight, input = input, weight
    check_tensors("embedding_bag", input=input, weight=weight)
    indices, bag_of, n_bags = _bags(input, weight, offsets, per_sample_weights, include_last_offset,
                                    mode, scale_grad_by_freq, sparse)
    if max_norm is not None:
        _renorm_rows(weight, input, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                                  "GitHub.")
    keep = _not_padding(indices, weight, padding_idx)
    if mode == "max":
        return _bag_max(weight, indices, bag_of, n_bags, keep)
    rows = embedding_rows(weight, indices)
    if scale_grad_by_freq and rows.requires_grad:
        rows.register_hook(_torch_bag_frequency_scale(indices.cpu().numpy(), weight))
    if mode == "mean":
        keep = keep / np.maximum(np.bincount(bag_of[keep], minlength=n_bags), 1)[bag_of]
    coefficient = Tensor._make(keep.astype(weight.dtype.numpy)).to(weight.device)
    if per_sample_weights is not None:
        coefficient = coefficient * per_sample_weights.reshape(-1)[:indices.numel()]  # (none, with no bags)
    bags = Tensor._make(bag_of).to(weight.device)
    total = Tensor._make(array_module(weight.array).zeros((n_bags, weight.shape[1]), weight.array.dtype))
    return total.index_add(0, bags, rows * coefficient.unsqueeze(1))


def _bags(input, weight, offsets, per_sample_weights, include_last_offset, mode, scale_grad_by_freq, sparse):
    """Check the arguments as torch does; return the flat indices of the positions in a bag (all, unless
    there are no bags), the bag of each (a host int64 array) and the number of bags."""
    _check_index_dtype(input, "indices")
    if per_sample_weights is not None and input.shape != per_sample_weights.shape:
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it "
                         f"must have the same shape as the input ({input.shape})")
    if weight.ndim != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.ndim}")
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             f"fixed length sequences. However, found offsets of type {type(offsets)}")
        if input.shape[1] == 0:
            raise RuntimeError("step must be nonzero (embedding_bag of a 2-D input with bags of length 0)")
        bag_of = np.arange(input.numel()) // input.shape[1]
        n_bags = input.shape[0]
    elif input.ndim == 1:
        bag_of, n_bags = _bags_from_offsets(offsets, input, include_last_offset)
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.ndim}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    if sparse:
        raise NotImplementedError("embedding_bag: sparse gradients are not implemented in minitorch (use "
                                  "sparse=False: the same gradient values, as a dense tensor)")
    if per_sample_weights is not None and per_sample_weights.dtype is not weight.dtype:
        raise RuntimeError("Expected tensor for argument #1 'weight' to have the same type as tensor for argument "
                           f"#1 'per_sample_weights'; but type {weight.dtype} does not equal "
                           f"{per_sample_weights.dtype} (while checking arguments for embedding_bag)")
    indices = input.reshape(-1)
    if indices.numel() and (int(indices.max()) >= weight.shape[0] or int(indices.min()) < 0):
        position = int(((indices < 0) | (indices >= weight.shape[0])).long().argmax())
        raise RuntimeError(f"Index {position} of input takes value {int(indices[position])} which is not in the "
                           f"valid range [0, {weight.shape[0]})")
    return indices[:bag_of.size], bag_of, n_bags


def _check_index_dtype(tensor, name):
    if not isinstance(tensor, Tensor) or tensor.dtype not in (_dtype.int64, _dtype.int32):
        got = f"torch.{type(tensor).__name__}" if not isinstance(tensor, Tensor) else \
            f"torch.{tensor.dtype.scalar_type}Tensor"
        raise RuntimeError(f"Expected tensor for argument #1 '{name}' to have one of the following scalar types: "
                           f"Long, Int; but got {got} instead (while checking arguments for embedding_bag)")


def _host_offsets(offsets, input):
    """The offsets as a host int64 array, checked: 1-D, integer, starting at 0, non-decreasing, within input."""
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    _check_index_dtype(offsets, "offsets")
    if offsets.ndim != 1:
        raise ValueError("offsets has to be a 1D Tensor")
    starts = offsets.cpu().numpy().astype(np.int64)
    if starts.size and starts[0] != 0:
        raise RuntimeError(f"offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                           f"position 0. However, got {starts[0]}")
    if starts.size and starts[-1] > input.numel():
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {input.numel()} but got "
                           f"offsets[-1] of {starts[-1]}")
    if (np.diff(starts) < 0).any():
        raise RuntimeError(f"offsets must be non-decreasing (each bag starts where the one before it does or "
                           f"later), got {starts.tolist()}")
    return starts


def _bags_from_offsets(offsets, input, include_last_offset):
    """The bag of each position (the last offset at or before it), and the number of bags.

    With include_last_offset the last offset should be len(input), ending the last bag (CSR's layout,
    as torch documents). Where it is less, torch's CPU kernels disagree: the float32/16 fast path (sum
    or mean, no padding_idx) sums up to it but divides the mean by the count up to the end of input;
    every other path lets the last bag run on to the end of input. We do the latter."""
    starts = _host_offsets(offsets, input)
    if include_last_offset:
        starts = starts[:-1]
    end = input.numel() if starts.size else 0  # (no bags: no position is in one)
    return np.searchsorted(starts, np.arange(end), "right") - 1, starts.size


def _not_padding(indices, weight, padding_idx):
    """A host bool array: True at the positions that take part in their bag (all but padding_idx)."""
    keep = np.ones(indices.numel(), dtype=bool)
    if padding_idx is None:
        return keep
    if not -weight.shape[0] <= padding_idx < weight.shape[0]:
        raise RuntimeError(f"padding_idx must be within the number of embeddings, {-weight.shape[0]} through "
                           f"{weight.shape[0] - 1}, but got {padding_idx}")
    return indices.cpu().numpy() != padding_idx % weight.shape[0]


def _bag_max(weight, indices, bag_of, n_bags, keep):
    """out[b, d] = W[r, d] for the row r of bag b with the largest W[r, d] (the first on ties); 0 for an
    empty bag. The bags are laid out as the rows of a (bags, longest bag) table of indices, -1 for none."""
    sizes = np.bincount(bag_of[keep], minlength=n_bags)
    table = np.full((n_bags, sizes.max(initial=0)), -1, dtype=np.int64)
    slot = np.arange(keep.sum()) - (np.cumsum(sizes) - sizes)[bag_of[keep]]  # place within the bag
    table[bag_of[keep], slot] = indices.cpu().numpy()[keep]
    xp = array_module(weight.array)
    table = xp.asarray(table)
    values = xp.where((table >= 0)[:, :, None], weight.array[table], -xp.inf)
    best = xp.take_along_axis(table, values.argmax(axis=1), axis=1) if table.shape[1] else \
        xp.full((n_bags, weight.shape[1]), -1, np.int64)
    picked = weight[Tensor._make(xp.maximum(best, 0)), Tensor._make(xp.arange(weight.shape[1]))]
    return where(Tensor._make(best >= 0), picked, 0.0)


def _torch_bag_frequency_scale(flat, weight):
    """The gradient hook of scale_grad_by_freq, as torch's CPU embedding_bag computes it.

    It should divide row r's gradient by count(r), the number of times r occurs in input. torch's
    kernel, walking the distinct indices in sorted order, divides the j-th distinct index's gradient by
    count(sorted(input)[j]) instead: the right count only while no index before it repeats. We follow
    torch (the promise is its gradients)."""
    distinct, counts = np.unique(flat, return_counts=True)
    scale_of_distinct = 1.0 / counts[np.searchsorted(distinct, np.sort(flat)[:distinct.size])]
    scale = scale_of_distinct[np.searchsorted(distinct, flat)].astype(weight.dtype.numpy)
    scale = Tensor._make(scale).to(weight.device).unsqueeze(-1)
    return lambda grad: grad * scale
