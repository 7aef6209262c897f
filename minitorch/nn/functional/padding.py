"""F.pad: add (or, with negative sizes, remove) values around the last dims of a tensor.

``pad = (left, right)`` pads the last dim, ``(left, right, top, bottom)`` the last two, and so on.
- "constant": new values equal ``value``: the input is concatenated with filled blocks;
- "reflect", "replicate", "circular": the new values are copies of existing ones, so the result
  is an ``index_select`` of the input with indices computed once on the host (mirrored, clamped
  or wrapped). Both forms are composed, so the gradient comes free.

As torch, the three copying modes pad 1, 2 or 3 trailing dims of a batched or unbatched input:
2 numbers for (C, W) or (N, C, W), 4 for (C, H, W) or (N, C, H, W), 6 for (C, D, H, W) or (N, C, D, H, W).
"""
import numpy as np

from ..._creation import full
from ..._functions.shape import cat
from ..._tensor import Tensor

__all__ = ["pad"]

_COPYING_MODES = ("reflect", "replicate", "circular")


def pad(input, pad, mode="constant", value=None):
    """torch.nn.functional.pad."""
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError(f"Padding length should be less than or equal to two times the input dimension but "
                           f"got padding length {len(pad)} and input of dimension {input.ndim}")
    if mode != "constant" and value not in (None, 0):
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    if mode not in ("constant",) + _COPYING_MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}: use constant, reflect, replicate or circular")
    pairs = [(int(pad[2 * i]), int(pad[2 * i + 1])) for i in range(len(pad) // 2)]  # last dim first
    if mode != "constant":
        _check_copying_pad(input, pairs, mode)
    result = input
    for i, (before, after) in enumerate(pairs):
        dim = input.ndim - 1 - i
        if mode == "constant":
            result = _pad_constant(result, dim, before, after, 0 if value is None else value)
        else:
            result = result.index_select(dim, _source_indices(result, dim, before, after, mode))
    return result


def _check_copying_pad(input, pairs, mode):
    """torch's checks for reflect/replicate/circular: which ranks, which sizes, a non-empty result."""
    spatial = len(pairs)
    if spatial not in (1, 2, 3) or input.ndim not in (spatial + 1, spatial + 2):
        raise NotImplementedError(
            f"Padding size {2 * spatial} is not supported for {input.ndim}D input tensor.\nSupported combinations "
            "for non-constant padding:\n  - 2D or 3D input: padding size = 2 (pads last dimension)\n  - 3D or 4D "
            "input: padding size = 4 (pads last 2 dimensions)\n  - 4D or 5D input: padding size = 6 (pads last 3 "
            "dimensions)")
    if mode == "circular":
        _check_circular(input, pairs)
        return
    if 0 in input.shape[-spatial - 1:]:
        raise RuntimeError(f"Expected {spatial + 1}D or {spatial + 2}D (batch mode) tensor with possibly 0 batch size "
                           f"and other non-zero dimensions for input, but got: {list(input.shape)}")
    for i, (before, after) in enumerate(pairs):
        dim, size = input.ndim - 1 - i, input.shape[input.ndim - 1 - i]
        if mode == "reflect" and (before >= size or after >= size):
            raise RuntimeError(f"Argument #{4 + 2 * i}: Padding size should be less than the corresponding input "
                               f"dimension, but got: padding ({before}, {after}) at dimension {dim} of input "
                               f"{list(input.shape)}")
    sizes = input.shape[-spatial:]
    outs = [s + before + after for s, (before, after) in zip(sizes, reversed(pairs))]
    if min(outs) < 1:
        names = "DHW"[-spatial:]
        raise RuntimeError(f"input ({', '.join(f'{n}: {s}' for n, s in zip(names, sizes))}) is too small. "
                           f"Calculated output {' '.join(f'{n}: {o}' for n, o in zip(names, outs))}")


def _check_circular(input, pairs):
    """Circular padding first removes what negative padding removes, then wraps what is kept,
    at most once around on each side."""
    for i, (before, after) in enumerate(pairs):
        kept = input.shape[input.ndim - 1 - i] + min(before, 0) + min(after, 0)
        if kept < 0:
            raise RuntimeError("Negative padding value is resulting in an empty dimension")
        if before > kept or after > kept:
            raise RuntimeError("Padding value causes wrapping around more than once.")


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
    positions = np.arange(-before, size + after)
    if mode == "replicate":
        positions = np.clip(positions, 0, size - 1)
    elif mode == "circular":  # wrap around the part that negative padding keeps
        kept = np.arange(max(-before, 0), size - max(-after, 0))
        wrapped = np.arange(-max(before, 0), len(kept) + max(after, 0))
        positions = kept[wrapped % len(kept)] if len(kept) else kept
    else:  # reflect about the edge elements: -1 -> 1, size -> size - 2
        period = 2 * (size - 1)
        positions = np.abs(positions) % period if period else positions * 0
        positions = np.where(positions >= size, period - positions, positions)
    return Tensor._make(positions.astype(np.int64)).to(x.device)
