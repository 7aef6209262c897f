"""Where Tensor meets Function: the operators and methods of Tensor, attached in one place.

``_tensor.py`` defines Tensor without any math; ``_functions/`` defines the differentiable
operations on Tensors. This module ties the knot once both exist: ``x + y`` is
``Tensor.__add__``, which is ``elementwise.add``, which applies the ``Add`` Function.
Every method here is the same function as the one in the ``minitorch`` namespace
(``x.exp()`` is ``minitorch.exp(x)``).
"""
import numpy as np

from . import _creation, _random, _random_tensors
from ._functions import compare, convert, elementwise, indexing, matmul, reduce, shape, softmax, unary
from ._functions import linalg_products, linalg_solve, linalg_structure
from ._functions import matrix_ops, pointwise, scans, sorting, special, trig, windows
from ._functions import complex_parts, counting, inplace_shape, legacy_linalg, shape_conveniences
from ._functions.inplace import inplace
from ._integer_range import checked_scalar
from ._tensor import Tensor
from .autograd.engine import backward as _run_backward
from .autograd.grad_mode import no_grad


def _reflected(fn):
    """For ``2 - x``: Python calls ``x.__rsub__(2)``, which is ``sub(2, x)``."""
    def method(self, other):
        return fn(other, self)
    method.__name__ = f"r{fn.__name__}"
    return method


def _inplace(fn):
    """``x.add_(y)`` from ``add``: compute out of place, write into x's memory (see inplace.py)."""
    def method(self, *args, **kwargs):
        return inplace(self, lambda source: fn(source, *args, **kwargs), *args, *kwargs.values())
    method.__name__ = f"{fn.__name__}_"
    method.__doc__ = f"In-place version of :func:`{fn.__name__}`."
    return method


OPERATORS = {
    "__add__": elementwise.add, "__radd__": _reflected(elementwise.add),
    "__sub__": elementwise.sub, "__rsub__": _reflected(elementwise.sub),
    "__mul__": elementwise.mul, "__rmul__": _reflected(elementwise.mul),
    "__truediv__": elementwise.div, "__rtruediv__": _reflected(elementwise.div),
    "__floordiv__": elementwise.floor_divide, "__rfloordiv__": _reflected(elementwise.floor_divide),
    "__mod__": elementwise.remainder, "__rmod__": _reflected(elementwise.remainder),
    "__pow__": elementwise.pow, "__rpow__": _reflected(elementwise.pow),
    "__matmul__": matmul.matmul, "__rmatmul__": _reflected(matmul.matmul),
    "__neg__": unary.neg, "__pos__": lambda self: self, "__abs__": unary.abs,
    "__eq__": compare.eq, "__ne__": compare.ne, "__lt__": compare.lt, "__le__": compare.le,
    "__gt__": compare.gt, "__ge__": compare.ge,
    "__and__": compare.bitwise_and, "__or__": compare.bitwise_or, "__xor__": compare.bitwise_xor,
    "__rand__": _reflected(compare.bitwise_and), "__ror__": _reflected(compare.bitwise_or),
    "__rxor__": _reflected(compare.bitwise_xor), "__invert__": compare.bitwise_not,
    "__getitem__": indexing.getitem, "__setitem__": indexing.setitem,
}

INPLACE_OPERATORS = {"__iadd__": elementwise.add, "__isub__": elementwise.sub, "__imul__": elementwise.mul,
                     "__itruediv__": elementwise.div, "__ipow__": elementwise.pow,
                     "__imod__": elementwise.remainder, "__ifloordiv__": elementwise.floor_divide,
                     "__iand__": compare.bitwise_and, "__ior__": compare.bitwise_or,
                     "__ixor__": compare.bitwise_xor}

# Methods that are exactly the namespace function of the same name.
FAMILIES = {
    elementwise: ["add", "sub", "mul", "div", "floor_divide", "remainder", "fmod", "pow", "maximum", "minimum"],
    unary: ["neg", "exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt", "square", "reciprocal", "abs",
            "sign", "floor", "ceil", "trunc", "round", "frac", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "clamp",
            "clip"],
    reduce: ["sum", "sum_to_size", "mean", "prod", "amax", "amin", "max", "min", "argmax", "argmin", "var", "std",
             "logsumexp", "cumsum", "cumprod", "all", "any", "count_nonzero", "norm"],
    shape: ["reshape", "view", "view_as", "reshape_as", "flatten", "unflatten", "permute", "transpose", "swapaxes",
            "swapdims", "t", "movedim", "expand", "expand_as", "broadcast_to", "squeeze", "unsqueeze", "narrow",
            "select", "clone", "contiguous", "flip", "split", "chunk", "unbind", "repeat", "tile", "roll"],
    indexing: ["index_fill", "index_copy", "gather", "scatter", "scatter_add", "index_select", "index_add", "masked_fill", "masked_select",
               "nonzero", "take", "take_along_dim", "repeat_interleave"],
    matmul: ["matmul", "mm", "bmm", "mv", "dot", "inner", "vdot", "outer", "ger"],
    compare: ["eq", "ne", "lt", "le", "gt", "ge", "less", "less_equal", "greater", "greater_equal", "not_equal",
              "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or",
              "bitwise_xor", "bitwise_not", "isnan", "isinf", "isfinite", "isclose", "allclose", "equal"],
    convert: ["to", "type_as"],
    softmax: ["softmax", "log_softmax"],
    trig: ["sinh", "cosh", "asin", "acos", "atan", "asinh", "acosh", "atanh", "arcsin", "arccos", "arctan", "arcsinh",
           "arccosh", "arctanh", "atan2", "arctan2", "hypot", "deg2rad", "rad2deg"],
    special: ["erf", "erfc"],
    pointwise: ["exp2", "lerp", "logaddexp", "logaddexp2", "xlogy", "nan_to_num", "signbit", "heaviside", "copysign",
                "float_power", "addcmul", "addcdiv", "clamp_min", "clamp_max"],
    matrix_ops: ["addmm", "addmv", "addr", "addbmm", "baddbmm"],
    scans: ["cummax", "cummin", "logcumsumexp", "nansum", "nanmean", "aminmax", "diff"],
    sorting: ["sort", "argsort", "msort", "topk", "kthvalue", "median", "nanmedian", "mode", "unique",
              "unique_consecutive"],
    linalg_structure: ["diagonal", "diag", "diag_embed", "trace", "tril", "triu", "kron", "conj"],
    linalg_solve: ["det", "logdet", "slogdet", "inverse"],
    linalg_products: ["matrix_exp", "matrix_power"],
    shape_conveniences: ["ravel", "moveaxis", "fliplr", "flipud", "rot90", "tensor_split", "hsplit", "vsplit",
                         "dsplit", "diagflat", "argwhere", "narrow_copy"],
    counting: ["bincount", "histc", "is_nonzero", "dist"],
    legacy_linalg: ["svd", "qr", "cholesky", "cholesky_solve", "cholesky_inverse", "pinverse", "cross"],
    complex_parts: ["angle"],
    inplace_shape: ["unsqueeze_", "squeeze_", "t_", "transpose_", "swapdims_", "swapaxes_"],
}

INPLACE_METHODS = ["add", "sub", "mul", "div", "pow", "remainder", "fmod", "neg", "exp", "expm1", "log", "log1p",
                   "sqrt", "rsqrt", "square", "reciprocal", "abs", "sign", "floor", "ceil", "trunc", "round", "sin",
                   "cos", "tan", "tanh", "sigmoid", "relu", "clamp", "clip", "maximum", "minimum", "masked_fill",
                   "scatter", "scatter_add", "index_add", "floor_divide", "frac"]

INPLACE_FAMILIES = {
    trig: ["sinh", "cosh", "asin", "acos", "atan", "asinh", "acosh", "atanh", "arcsin", "arccos", "arctan", "arcsinh",
           "arccosh", "arctanh", "atan2", "arctan2", "hypot", "deg2rad", "rad2deg"],
    special: ["erf", "erfc"],
    pointwise: ["exp2", "lerp", "xlogy", "nan_to_num", "heaviside", "copysign", "float_power", "addcmul", "addcdiv",
                "clamp_min", "clamp_max"],
    matrix_ops: ["addmm", "addmv", "addr", "addbmm", "baddbmm"],
    indexing: ["index_fill", "index_copy"],
    linalg_structure: ["tril", "triu"],
}

# torch's other names for the same method (and its in-place form)
ALIASES = {"subtract": "sub", "multiply": "mul", "divide": "div", "true_divide": "div", "negative": "neg",
           "absolute": "abs"}


# ----------------------------------------------------------------------------- methods with no namespace twin
def _fill_(self, value):
    """Set every element to ``value`` (cast to the tensor's dtype, as torch)."""
    value = value.item() if isinstance(value, Tensor) else value
    return inplace(self, lambda s: s * 0 + checked_scalar(value, self.dtype), check_cast=False)


def _zero_(self):
    return _fill_(self, 0)


def _copy_(self, src, non_blocking=False):
    """Copy ``src``'s values into this tensor (broadcast to its shape, cast to its dtype and device)."""
    source = src.to(self.dtype).to(self.device)
    return inplace(self, lambda s: s * 0 + source.expand(self.shape), src, check_cast=False)


def _random_fill_(self, draw, generator=None, kernel=None, name=None):
    """Fill in place with ``draw(rng, shape)`` from ``generator`` (or the global one); ``kernel``: a
    floating-point draw, which torch refuses for an integer tensor."""
    if kernel is not None:
        _random.check_floating(self.dtype, kernel)
    with_grad = self.requires_grad
    array = np.asarray(draw(_random.generator(generator, name), self.shape)).astype(self.dtype.numpy)
    values = Tensor._make(array).to(self.device)
    with no_grad():
        self._requires_grad = False
        inplace(self, lambda s: values, check_cast=False)
        self._requires_grad = with_grad
    return self


def _uniform_(self, a=0.0, b=1.0, *, generator=None):
    """Fill with uniform random numbers in [a, b)."""
    return _random_fill_(self, lambda rng, s: rng.uniform(a, b, s), generator, _random.UNIFORM, "uniform_")


def _normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill with normal random numbers N(mean, std^2)."""
    return _random_fill_(self, lambda rng, s: rng.normal(mean, std, s), generator, _random.NORMAL, "normal_")


def _bernoulli_(self, p=0.5, *, generator=None):
    """Fill with 1 (probability p) or 0."""
    return _random_fill_(self, lambda rng, s: rng.random(s) < p, generator, name="bernoulli_")


def _backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Compute the gradient of this tensor w.r.t. the graph's leaves, accumulating into their ``.grad``."""
    _run_backward(self, gradient, retain_graph, create_graph, inputs=inputs)


def _where(self, condition, other):
    """``x.where(condition, y)``: x where condition is True, else y (torch.where(condition, x, y))."""
    return elementwise.where(condition, self, other)


def _iter(self):
    if self.ndim == 0:
        raise TypeError("iteration over a 0-d tensor")
    return (self[i] for i in range(self.shape[0]))


def _contains(self, element):
    return bool((self == element).any())


def _new(factory):
    def method(self, *args, dtype=None, device=None, requires_grad=False, **kwargs):
        return factory(*args, dtype=dtype if dtype is not None else self.dtype,
                       device=device if device is not None else self.device, requires_grad=requires_grad, **kwargs)
    return method


def _converter(dtype_name):
    from . import _dtype
    target = getattr(_dtype, dtype_name)

    def convert_to(self, memory_format=None):  # (already of that dtype: the tensor itself, as in torch)
        return self if self.array.dtype == target.numpy else convert.to(self, target)
    return convert_to


def _part_setter(part):
    """``z.real = values`` (and ``z.imag = ...``): copy the values into that part of z."""
    def set_part(self, values):
        part(self).copy_(values)
    return set_part


PROPERTIES = {
    "real": (complex_parts.real, _part_setter(complex_parts.real)),
    "imag": (complex_parts.imag, _part_setter(complex_parts.imag)),
    "T": lambda self: self.permute(tuple(reversed(range(self.ndim)))),
    "mT": lambda self: shape.transpose(self, -2, -1),
    "H": linalg_structure.matrix_adjoint,
    "mH": lambda self: linalg_structure.adjoint(self, "mH"),
}

EXTRA_METHODS = {
    "backward": _backward, "fill_": _fill_, "zero_": _zero_, "copy_": _copy_, "uniform_": _uniform_, "normal_": _normal_,
    "bernoulli_": _bernoulli_, "multinomial": _random_tensors.multinomial, "__iter__": _iter, "__contains__": _contains, "where": _where,
    "new_tensor": lambda self, data, dtype=None, device=None, requires_grad=False: _creation.tensor(
        data, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad),
    "new_zeros": _new(_creation.zeros), "new_ones": _new(_creation.ones), "new_empty": _new(_creation.empty),
    "new_full": lambda self, size, fill_value, dtype=None, device=None, requires_grad=False: _creation.full(
        size, fill_value, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad),
    "float": _converter("float32"), "double": _converter("float64"), "half": _converter("float16"),
    "long": _converter("int64"), "int": _converter("int32"), "short": _converter("int16"),
    "bool": _converter("bool_"), "byte": _converter("uint8"), "char": _converter("int8"),
    "cpu": lambda self, memory_format=None: convert.to(self, "cpu"),
    "cuda": lambda self, device=None, non_blocking=False: convert.to(
        self, "cuda" if device is None else (f"cuda:{device}" if isinstance(device, int) else device)),
    "dim_order": lambda self: tuple(np.argsort([-s for s in self.stride()], kind="stable")),
    "type": convert.tensor_type, "unfold": windows.unfold, "fill_diagonal_": linalg_structure.fill_diagonal_,
    "adjoint": linalg_structure.adjoint,
}


def attach():
    for name, fn in OPERATORS.items():
        setattr(Tensor, name, fn)
    for name, fn in INPLACE_OPERATORS.items():
        setattr(Tensor, name, _inplace(fn))
    for module, names in FAMILIES.items():
        for name in names:
            setattr(Tensor, name, getattr(module, name))
    for name in INPLACE_METHODS:
        family = next(module for module in (elementwise, unary, indexing) if hasattr(module, name))
        setattr(Tensor, f"{name}_", _inplace(getattr(family, name)))
    for module, names in INPLACE_FAMILIES.items():
        for name in names:
            setattr(Tensor, f"{name}_", _inplace(getattr(module, name)))
    for alias, name in ALIASES.items():
        setattr(Tensor, alias, getattr(Tensor, name))
        setattr(Tensor, f"{alias}_", getattr(Tensor, f"{name}_"))
    for name, fn in EXTRA_METHODS.items():
        setattr(Tensor, name, fn)
    for name, fn in PROPERTIES.items():
        setattr(Tensor, name, property(*fn) if isinstance(fn, tuple) else property(fn))


attach()
