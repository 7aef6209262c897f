"""show_tensor: draw how tensors sit in memory: shape, strides, storage offset, shared storage.

A tensor is a view on a flat block of memory (its storage): element ``[i, j]`` lives at
``offset + i * stride[0] + j * stride[1]`` of the storage. ``show_tensor(x, x.t())`` draws each
tensor as a grid of its elements, each cell labelled with (and coloured by) the storage position
it reads, and under it the storage itself with the cells it uses. A transpose or a view uses the
same storage cells in another order: nothing is copied. ``.contiguous()`` / ``.clone()`` make a
new storage.
"""
import colorsys
import html

import numpy as np

from .._tensor import Tensor

CELL, GAP, MAX_ELEMENTS, ROW = 34, 18, 96, 24   # ROW: storage cells drawn per line


def _storage(array):
    """The array that owns the memory, and this array's offset into it, in elements."""
    root = array
    while getattr(root, "base", None) is not None:
        root = root.base
    if hasattr(array, "__cuda_array_interface__"):
        start, origin = array.data.ptr, root.data.ptr
    else:
        start, origin = array.__array_interface__["data"][0], root.__array_interface__["data"][0]
    return root, (start - origin) // array.itemsize


def positions(tensor):
    """The storage position of every element of ``tensor``, as an array of its shape."""
    _, offset = _storage(tensor.array)
    if tensor.ndim == 0:
        return np.array(offset)
    index = np.indices(tuple(tensor.shape)).reshape(tensor.ndim, -1).T
    return (offset + index @ np.array(tensor.stride(), dtype=np.int64)).reshape(tuple(tensor.shape))


def _color(position, size):
    r, g, b = colorsys.hls_to_rgb((position / max(size, 1)) * 0.8, 0.8, 0.75)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


class TensorLayout:
    """The drawing: ``tensors`` (rows of dicts: name, shape, stride, offset, positions, storage id,
    contiguous), ``shared`` (True when all tensors use one storage), and ``svg``."""

    def __init__(self, *tensors, names=None):
        for t in tensors:
            if not isinstance(t, Tensor):
                raise TypeError(f"show_tensor expects minitorch Tensors, got {type(t).__name__}")
            if _storage(t.array)[0].size > MAX_ELEMENTS:
                raise ValueError(f"show_tensor draws tensors whose storage has up to {MAX_ELEMENTS} elements; this "
                                 f"one (shape {list(t.shape)}) has {_storage(t.array)[0].size}: draw a small "
                                 "example, e.g. torch.arange(12.).view(3, 4)")
        names = names or [f"tensor {i}" for i in range(len(tensors))]
        self.tensors = []
        for name, t in zip(names, tensors):
            storage, offset = _storage(t.array)
            self.tensors.append(dict(name=name, shape=tuple(t.shape), stride=t.stride(), offset=int(offset),
                                     positions=positions(t), storage=storage, contiguous=t.is_contiguous(),
                                     values=np.asarray(t.detach().cpu().tolist())))
        self.shared = len({id(d["storage"]) for d in self.tensors}) == 1 and len(self.tensors) > 1
        self.svg = self._draw()

    def _draw(self):
        parts, y, width = [], GAP, 0
        for d in self.tensors:
            size = d["storage"].size
            header = (f"{d['name']}: shape {list(d['shape'])}, stride {list(d['stride'])}, storage offset "
                      f"{d['offset']}, {'contiguous' if d['contiguous'] else 'NOT contiguous'}")
            parts.append(_text(GAP, y + 12, header, bold=True))
            y += 22
            grid = d["positions"].reshape(-1, d["positions"].shape[-1]) if d["positions"].ndim else \
                d["positions"].reshape(1, 1)
            values = d["values"].reshape(grid.shape)
            for r, row in enumerate(grid):
                for c, pos in enumerate(row):
                    x = GAP + c * CELL
                    parts.append(_cell(x, y + r * CELL, _color(pos, size), f"{values[r, c]:.3g}", f"@{pos}"))
            y += grid.shape[0] * CELL + 10
            parts.append(_text(GAP, y + 12, f"storage ({size} elements), cells this tensor reads are outlined:"))
            y += 18
            used = set(d["positions"].ravel().tolist())
            flat = d["storage"].reshape(-1)
            for pos in range(size):
                parts.append(_cell(GAP + (pos % ROW) * CELL, y + (pos // ROW) * CELL, _color(pos, size),
                                   f"{float(flat[pos]):.3g}", f"{pos}", strong=pos in used))
            width = max(width, GAP * 2 + max(min(size, ROW), grid.shape[1]) * CELL)
            y += -(-size // ROW) * CELL + GAP + 6
        if self.shared:
            parts.append(_text(GAP, y, "All of these tensors share one storage: a write through one is seen by all.",
                               bold=True))
            y += GAP
        return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{max(width, 560)}' height='{y}' "
                f"font-family='monospace' font-size='11'>{''.join(parts)}</svg>")

    def _repr_html_(self):
        return f"<div style='overflow:auto'>{self.svg}</div>"


def _text(x, y, text, bold=False):
    weight = " font-weight='bold'" if bold else ""
    return f"<text x='{x}' y='{y}'{weight}>{html.escape(text)}</text>"


def _cell(x, y, fill, value, label, strong=True):
    stroke = "stroke='#111' stroke-width='2'" if strong else "stroke='#bbb' stroke-width='1' fill-opacity='0.35'"
    return (f"<rect x='{x}' y='{y}' width='{CELL - 2}' height='{CELL - 2}' fill='{fill}' {stroke}/>"
            f"<text x='{x + 3}' y='{y + 13}'>{html.escape(value)}</text>"
            f"<text x='{x + 3}' y='{y + 27}' fill='#555' font-size='9'>{html.escape(label)}</text>")


def show_tensor(*tensors, names=None):
    """Draw the tensors' elements over their storage (shape, strides, offset; shared memory)."""
    return TensorLayout(*tensors, names=names)
