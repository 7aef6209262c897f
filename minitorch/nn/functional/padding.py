"""F.pad: add (or, with negative sizes, remove) values around the last dims of a tensor.

``pad = (left, right)`` pads the last dim, ``(left, right, top, bottom)`` the last two, and so on.
- "constant": new values equal ``value``: the input is concatenated with filled blocks;
- "reflect", "replicate", "circular": the new values are copies of existing ones, so the result
  is an ``index_select`` of the input with indices computed once on the host (mirrored, clamped
  or wrapped). Both forms are composed, so the gradient comes free.
"""
import numpy as np

from ..._creation import full
from ..._functions.shape import cat
from ..._tensor import Tensor

__all__ = ["pad"]


def pad(input, pad, mode="constant", value=None):
    """torch.nn.functional.pad."""
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError(f"Padding length should be less than or equal to two times the input dimension but "
                           f"got padding length {len(pad)} and input of dimension {input.ndim}")
    if mode != "constant" and value not in (None, 0):
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    result = input
    for i in range(len(pad) // 2):
        dim = input.ndim - 1 - i
        before, after = int(pad[2 * i]), int(pad[2 * i + 1])
        if mode == "constant":
            result = _pad_constant(result, dim, before, after, 0 if value is None else value)
        elif mode in ("reflect", "replicate", "circular"):
            result = result.index_select(dim, _source_indices(result, dim, before, after, mode))
        else:
            raise NotImplementedError(f"Unrecognised padding mode {mode}: use constant, reflect, replicate or "
                                      "circular")
    return result


def _pad_constant(x, dim, before, after, value):
    if before < 0:
        x, before = x.narrow(dim, -before, x.shape[dim] + before), 0
    if after < 0:
        x, after = x.narrow(dim, 0, x.shape[dim] + after), 0
    if before == 0 and after == 0:
        return x
    parts = []
    for size in (before, None, after):
        if size is None:
            parts.append(x)
        elif size:
            shape = list(x.shape)
            shape[dim] = size
            parts.append(full(shape, value, dtype=x.dtype, device=x.device))
    return cat(parts, dim)


def _source_indices(x, dim, before, after, mode):
    """For each position of the padded dim, the input position whose value it copies."""
    size = x.shape[dim]
    if mode == "reflect" and (before >= size or after >= size):
        raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, but "
                           f"got: padding ({before}, {after}) at dimension {dim} of input {list(x.shape)}")
    if mode == "circular" and (before > size or after > size):
        raise RuntimeError("Padding value causes wrapping around more than once.")
    positions = np.arange(-before, size + after)
    if mode == "replicate":
        positions = np.clip(positions, 0, size - 1)
    elif mode == "circular":
        positions = positions % size
    else:  # reflect about the edge elements: -1 -> 1, size -> size - 2
        period = 2 * (size - 1)
        positions = np.abs(positions) % period if period else positions * 0
        positions = np.where(positions >= size, period - positions, positions)
    return Tensor._make(positions.astype(np.int64)).to(x.device)
