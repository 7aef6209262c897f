"""Printing tensors the way torch does: ``tensor([[1., 2.]], requires_grad=True)``.

Floats print with 4 decimals (``0.1000``), as whole numbers with a trailing dot when all are
whole (``1.``), and in scientific notation when their magnitudes span too much. A dtype that
is not the default for its kind (float32, int64, bool) is named after the values.
"""
import math

import numpy as np

from . import _dtype

_options = {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80, "sci_mode": None}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None):
    """torch.set_printoptions."""
    if profile == "default":
        _options.update(precision=4, threshold=1000, edgeitems=3, linewidth=80)
    elif profile == "full":
        _options.update(precision=4, threshold=float("inf"), edgeitems=3, linewidth=80)
    for key, value in dict(precision=precision, threshold=threshold, edgeitems=edgeitems,
                           linewidth=linewidth).items():
        if value is not None:
            _options[key] = value
    _options["sci_mode"] = sci_mode


class _Formatter:
    """torch's element formatter: one style and one width for every element shown.

    The style is chosen from the non-zero finite values: whole numbers print as ``1.``,
    scientific notation is used when max/min > 1000, max > 1e8 or (for non-whole values)
    min < 1e-4, else 4 decimals. Every element is right-aligned to the widest of them.
    """

    def __init__(self, values, kind):
        p = _options["precision"]
        self.kind, self.sci, self.whole, self.width = kind, False, True, 1
        if kind != "f":
            self.width = max([len(self._plain(v)) for v in values] or [1])
            return
        shown = [v for v in values if math.isfinite(v) and v != 0]
        if not shown:
            return
        low, high = min(abs(v) for v in shown), max(abs(v) for v in shown)
        self.whole = all(v == math.ceil(v) for v in shown)
        self.sci = high / low > 1000.0 or high > 1.0e8 or (not self.whole and low < 1.0e-4)
        if self.sci:
            self.width = max(len(f"{v:.{p}e}") for v in shown)
        elif self.whole:
            self.width = max(len(f"{v:.0f}") + 1 for v in shown)
        else:
            self.width = max(len(f"{v:.{p}f}") for v in shown)
        if _options["sci_mode"] is not None:
            self.sci = _options["sci_mode"]

    def _plain(self, v):
        if self.kind == "c":
            p = _options["precision"]
            return f"{v.real:.{p}f}{v.imag:+.{p}f}j"
        return f"{v}"

    def format(self, v):
        p = _options["precision"]
        if self.kind != "f":
            text = self._plain(v)
        elif self.sci:
            text = f"{v:.{p}e}"
        elif self.whole:
            text = f"{v:.0f}" + ("." if math.isfinite(v) else "")
        else:
            text = f"{v:.{p}f}"
        return text.rjust(self.width)


def _summarized(array, summarize):
    """The elements that will be printed: the first and last ``edgeitems`` along each long dim."""
    e = _options["edgeitems"]
    if not summarize or array.ndim == 0:
        return array
    for axis in range(array.ndim):
        if array.shape[axis] > 2 * e:
            array = np.concatenate([np.take(array, range(e), axis), np.take(array, range(-e, 0), axis)], axis)
    return array


def _nested(array, indent, summarize, fmt):
    """torch's layout: rows of at most (linewidth - indent) // (width + 2) elements, blank lines between
    blocks of dims, and ``...`` in place of the middle of long dims when summarized."""
    e = _options["edgeitems"]
    long = summarize and array.shape[0] > 2 * e
    if array.ndim == 1:
        values = array.tolist()
        data = [fmt.format(v) for v in values[:e]] + [" ..."] + [fmt.format(v) for v in values[-e:]] if long \
            else [fmt.format(v) for v in values]
        per_line = max(1, (_options["linewidth"] - indent) // (fmt.width + 2))
        lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = list(range(e)) + [None] + list(range(array.shape[0] - e, array.shape[0])) if long \
        else range(array.shape[0])
    parts = ["..." if i is None else _nested(array[i], indent + 1, summarize, fmt) for i in rows]
    return "[" + ("," + "\n" * (array.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _format_array(array, prefix):
    """The body of a tensor's repr, laid out as torch lays it out."""
    if array.size == 0:
        return "[]"
    summarize = array.size > _options["threshold"]
    fmt = _Formatter(_summarized(array, summarize).ravel().tolist(), array.dtype.kind)
    if array.ndim == 0:
        return fmt.format(array.item())
    return _nested(array, len(prefix), summarize, fmt)


def tensor_repr(tensor):
    array = tensor.array if type(tensor.array) is np.ndarray else tensor.array.get()
    prefix = "tensor("
    body = _format_array(array, prefix)
    suffixes = []
    if tensor.device.type != "cpu":
        suffixes.append(f"device='{tensor.device}'")
    dtype = tensor.dtype
    if array.size == 0 and tuple(array.shape) != (0,):
        suffixes.append(f"size={tuple(array.shape)}")
    if dtype not in (_dtype.get_default_dtype(), _dtype.int64, _dtype.bool_, _dtype.complex64) or \
            (array.size == 0 and dtype is not _dtype.get_default_dtype()):
        suffixes.append(f"dtype={dtype}")
    if tensor.grad_fn is not None:
        suffixes.append(f"grad_fn=<{tensor.grad_fn.name()}>")
    elif tensor.requires_grad:
        suffixes.append("requires_grad=True")
    text = prefix + body
    for suffix in suffixes:
        sep = ",\n" + " " * len(prefix) if len(text.split("\n")[-1]) + len(suffix) + 2 > _options["linewidth"] \
            else ", "
        text += sep + suffix
    return text + ")"
