"""Printing tensors the way torch does: ``tensor([[1., 2.]], requires_grad=True)``.

Floats print with 4 decimals (``0.1000``), as whole numbers with a trailing dot when all are
whole (``1.``), and in scientific notation when their magnitudes span too much. A dtype that
is not the default for its kind (float32, int64, bool) is named after the values.
"""
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


def _float_formatter(values):
    """Choose torch's float style from the finite values shown."""
    p = _options["precision"]
    finite = values[np.isfinite(values)].astype(np.float64)
    if finite.size == 0:
        return lambda v: _special(v) or f"{v:.{p}f}"
    nonzero = np.abs(finite[finite != 0])
    whole = np.all(finite == np.round(finite))
    sci = _options["sci_mode"]
    if sci is None:
        sci = nonzero.size > 0 and (nonzero.max() / nonzero.min() > 1000.0 or nonzero.max() > 1e8
                                    or nonzero.min() < 1e-4)
    if sci:
        return lambda v: _special(v) or f"{v:.{p}e}"
    if whole:
        return lambda v: _special(v) or f"{v:.0f}."
    return lambda v: _special(v) or f"{v:.{p}f}"


def _special(v):
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return None


def _format_array(array, prefix):
    """Like torch: every element formatted alike and right-aligned to the widest one."""
    if array.size == 0:
        return "[]"
    if array.dtype.kind == "f":
        style = _float_formatter(_shown(array).ravel())
    elif array.dtype.kind == "b":
        style = lambda v: "True" if v else "False"  # noqa: E731
    elif array.dtype.kind == "c":
        p = _options["precision"]
        style = lambda v: f"{v.real:.{p}f}{v.imag:+.{p}f}j"  # noqa: E731
    else:
        style = str
    width = max(len(style(v)) for v in _shown(array).ravel())
    return np.array2string(array, separator=", ", prefix=prefix, formatter={"all": lambda v: style(v).rjust(width)},
                           threshold=_options["threshold"], edgeitems=_options["edgeitems"],
                           max_line_width=_options["linewidth"])


def _shown(array):
    """The elements that will be printed (the corners when the tensor is summarized)."""
    if array.size <= _options["threshold"] or array.ndim == 0:
        return array
    e = _options["edgeitems"]
    for axis in range(array.ndim):
        if array.shape[axis] > 2 * e:
            array = np.concatenate([np.take(array, range(e), axis), np.take(array, range(-e, 0), axis)], axis)
    return array


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
