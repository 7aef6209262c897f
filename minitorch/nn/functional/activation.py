"""Activation functions, composed from primitives (their gradients come from the primitives').

Each has the torch signature; ``inplace=True`` writes the result into the input, as torch does.
"""
import math
import warnings

from ... import _random
from ..._dtype_info import finfo
from ..._functions import elementwise, unary
from ..._functions._operands import check_tensors
from ..._tensor import Tensor
from ...autograd.grad_mode import is_grad_enabled
from ..._functions.softmax import log_softmax as _log_softmax, softmax as _softmax
from ..._functions.special import erf

__all__ = ["relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "elu", "elu_", "hardtanh_", "selu", "selu_", "celu",
           "celu_", "gelu", "silu", "mish", "sigmoid", "tanh", "softplus", "softsign", "logsigmoid", "hardtanh",
           "hardsigmoid", "hardswish", "softmax", "softmin", "log_softmax", "glu", "threshold", "threshold_",
           "tanhshrink", "prelu", "rrelu", "rrelu_", "softshrink", "hardshrink"]


def _activation(input, inplace, compute):
    """``compute(input)``; with ``inplace=True`` the result is written into the input's memory, as
    torch does (autograd records the write). When autograd tracks the input, the result is computed
    from a copy of it: the gradient needs the input's values, and the write overwrites them."""
    if not inplace:
        return compute(input)
    source = input.clone() if input.requires_grad and is_grad_enabled() else input
    return input.copy_(compute(source))


def _floating_only(input, name):
    """torch implements most activations for floating-point tensors only (relu and hardtanh also
    take integers)."""
    check_tensors(name, input=input)
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"{name}" not implemented for \'{input.dtype.scalar_type}\': it needs a '
                                  "floating-point tensor (convert with input.float())")


def relu(input, inplace=False):
    """max(x, 0)."""
    return input.relu_() if inplace else unary.relu(input)


def relu_(input):
    return input.relu_()


def relu6(input, inplace=False):
    """min(max(x, 0), 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x for x > 0, negative_slope * x otherwise."""
    _floating_only(input, "leaky_relu")
    return _activation(input, inplace, lambda x: elementwise.where(x > 0, x, x * negative_slope))


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, inplace=True)


def elu(input, alpha=1.0, inplace=False):
    """x for x > 0, alpha * (e^x - 1) otherwise. (The exponential sees min(x, 0), so a large x
    cannot overflow into a nan gradient in the branch that is not taken.)"""
    _floating_only(input, "elu")
    return _activation(input, inplace, lambda x: elementwise.where(x > 0, x, alpha * x.clamp(max=0).expm1()))


def elu_(input, alpha=1.0):
    return elu(input, alpha, inplace=True)


def selu(input, inplace=False):
    """scale * elu(x, alpha) with the self-normalising constants of Klambauer et al. (2017)."""
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    return _activation(input, inplace, lambda x: scale * elu(x, alpha))


def selu_(input):
    return selu(input, inplace=True)


def celu(input, alpha=1.0, inplace=False):
    """max(0, x) + min(0, alpha * (e^(x / alpha) - 1))."""
    _floating_only(input, "celu")
    return _activation(input, inplace,
                       lambda x: elementwise.where(x > 0, x, alpha * (x.clamp(max=0) / alpha).expm1()))


def celu_(input, alpha=1.0):
    return celu(input, alpha, inplace=True)


def gelu(input, approximate="none"):
    """x * Phi(x), Phi the standard normal CDF = (1 + erf(x / sqrt 2)) / 2.
    ``approximate="tanh"``: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (Hendrycks & Gimpel, 2016)."""
    _floating_only(input, "gelu")
    if approximate == "none":
        return input * 0.5 * (1 + erf(input * (1 / math.sqrt(2))))
    if approximate == "tanh":
        inner = math.sqrt(2 / math.pi) * (input + 0.044715 * input * input * input)
        return 0.5 * input * (1 + inner.tanh())
    raise RuntimeError(f"approximate argument must be either none or tanh, got '{approximate}'")


def silu(input, inplace=False):
    """x * sigmoid(x) (also called swish)."""
    _floating_only(input, "silu")
    return _activation(input, inplace, lambda x: x * x.sigmoid())


def mish(input, inplace=False):
    """x * tanh(softplus(x))."""
    _floating_only(input, "mish")
    return _activation(input, inplace, lambda x: x * softplus(x).tanh())


def sigmoid(input):
    """1 / (1 + e^-x)."""
    return unary.sigmoid(input)


def tanh(input):
    return unary.tanh(input)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + e^(beta x)) / beta, and x itself where beta * x > threshold (where they agree to
    float precision; the exponential sees at most the threshold, so it never overflows)."""
    _floating_only(input, "softplus")
    scaled = input * beta
    smooth = scaled.clamp(max=threshold).exp().log1p() / beta
    return elementwise.where(scaled > threshold, input, smooth)


def softsign(input):
    """x / (1 + |x|)."""
    return input / (1 + input.abs())


def logsigmoid(input):
    """log(sigmoid(x)) = -softplus(-x), computed without overflow."""
    _floating_only(input, "log_sigmoid")
    return -softplus(-input)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clipped to [min_val, max_val]. Its gradient is 1 strictly between the bounds and 0 at them
    (as torch's; clamp's gradient is 1 at the bounds too)."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    check_tensors("hardtanh", input=input)
    return _activation(input, inplace, lambda x: unary.Hardtanh.apply(x, min_val, max_val))


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, inplace=True)


def hardsigmoid(input, inplace=False):
    """relu6(x + 3) / 6: a piecewise-linear sigmoid (gradient 1/6 strictly inside (-3, 3))."""
    _floating_only(input, "hardsigmoid")
    return _activation(input, inplace, lambda x: relu6(x + 3) / 6)


def hardswish(input, inplace=False):
    """x * relu6(x + 3) / 6 (gradient x/3 + 1/2 strictly inside (-3, 3), 0 below, 1 from 3 on)."""
    _floating_only(input, "hardswish")
    return _activation(input, inplace, lambda x: x * relu6(x + 3) / 6)


def threshold(input, threshold, value, inplace=False):
    """x where x > threshold, else value."""
    return _threshold(input, threshold, value, inplace)


def threshold_(input, threshold, value):
    return _threshold(input, threshold, value, inplace=True)


def _threshold(input, threshold, value, inplace):
    """``value`` where x <= threshold, else x (so a nan stays nan, as torch's). torch casts both
    numbers to the input's dtype: for an integer input they are truncated to integers."""
    if not input.dtype.is_floating_point:
        threshold, value = int(threshold), int(value)
    return _activation(input, inplace, lambda x: elementwise.where(x <= threshold, value, x))


def tanhshrink(input):
    """x - tanh(x)."""
    return input - input.tanh()


def _softmax_dim(name, ndim):
    """torch's legacy choice when ``dim`` is not given: 0 for 0-, 1- and 3-D input, else 1 (warns)."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                  "as an argument.", stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(x_i) / sum_j exp(x_j) along ``dim``."""
    dim = _softmax_dim("softmax", input.ndim) if dim is None else dim
    return _softmax(input, dim, dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-x) along ``dim``."""
    dim = _softmax_dim("softmin", input.ndim) if dim is None else dim
    return _softmax(-input, dim, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(x)) along ``dim``, computed stably."""
    dim = _softmax_dim("log_softmax", input.ndim) if dim is None else dim
    return _log_softmax(input, dim, dtype)


def glu(input, dim=-1):
    """a * sigmoid(b), where a and b are the two halves of ``input`` along ``dim``."""
    _floating_only(input, "glu")
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    if input.shape[dim] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {input._wrap_dim(dim)} is size "
                           f"{input.shape[dim]}")
    a, b = input.chunk(2, dim)
    return a * b.sigmoid()


def prelu(input, weight):
    """x for x > 0, a * x otherwise, with a learned slope a: one for all elements, or one per channel
    (dim 1). Gradients: dy/dx = 1 where x > 0, else a; dL/da = the sum of g * x over a's elements
    with x <= 0. The slope multiplies where(x > 0, 0, x), so an infinite x on the positive side
    cannot make a's gradient 0 * inf = nan."""
    _check_prelu(input, weight)
    if input.ndim != weight.ndim:  # a (C,) weight lines up with dim 1: shape (1, C, 1, ...)
        weight = weight.reshape([weight.numel() if d == 1 else 1 for d in range(input.ndim)])
    negative = elementwise.where(input > 0, 0.0, input)
    return elementwise.where(input > 0, input, weight * negative)


def _check_prelu(input, weight):
    """torch's checks: same dtype (no promotion), floating point, and one slope or one per channel."""
    check_tensors("prelu", input=input, weight=weight)
    if input.dtype != weight.dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got {input.dtype.scalar_type} and "
                           f"{weight.dtype.scalar_type} (convert the weight with weight.to(input.dtype))")
    _floating_only(input, "prelu")
    if weight.numel() != 1:
        if input.ndim == 0:
            raise RuntimeError("Not allow zero-dim input tensor. (prelu with one slope per channel needs the "
                               "channels on dim 1)")
        channels = input.shape[1] if input.ndim > 1 else 1
        if channels != weight.numel():
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                               f"{weight.numel()} and channel size = {channels}. (nn.PReLU(num_parameters) needs "
                               "num_parameters equal to the input's dim 1, or 1 for a single shared slope)")
    if weight.ndim > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.ndim}")


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky ReLU: x for x > 0, a * x otherwise. In training each element draws its own
    slope a from U(lower, upper) (minitorch's generator) and its gradient is that slope; in
    evaluation a is the mean slope (lower + upper) / 2, as leaky_relu."""
    if lower > upper:
        raise RuntimeError(f"Lower bound should be less than or equal to the upper bound (got lower={lower}, "
                           f"upper={upper})")
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    _floating_only(input, "rrelu")
    return _activation(input, inplace, lambda x: x * _rrelu_noise(x, lower, upper))


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    return rrelu(input, lower, upper, training, inplace=True)


def _rrelu_noise(input, lower, upper):
    """The constant factor of each element: 1 where x > 0, else a slope drawn from U(lower, upper)."""
    draws = lower + (upper - lower) * _random.generator().random(tuple(input.shape))
    slopes = Tensor._make(draws.astype(input.dtype.numpy)).to(input.device)
    return elementwise.where(input > 0, 1.0, slopes)


def _inside(input, lambd):
    """True where -lambd <= x <= lambd (False for nan, which the shrinks keep)."""
    return (input >= -lambd).logical_and(input <= lambd)


def hardshrink(input, lambd=0.5):
    """x outside [-lambd, lambd], 0 on it (the gradient too: 1 outside, 0 on it)."""
    _floating_only(input, "hardshrink")
    return elementwise.where(_inside(input, lambd), 0.0, input)


def softshrink(input, lambd=0.5):
    """x - lambd above lambd, x + lambd below -lambd, 0 in between: x moved towards 0 by lambd.
    Gradient 1 outside [-lambd, lambd], 0 on it."""
    _floating_only(input, "softshrink")
    largest = finfo(input.dtype).max
    if not 0 <= lambd <= largest:
        raise RuntimeError(f"lambda must be in range [0, {largest:g}] for input dtype {input.dtype.scalar_type}, "
                           f"but found {lambd:g} (lambd is the half-width of the band set to 0)")
    shifted = elementwise.where(input > 0, input - lambd, input + lambd)
    return elementwise.where(_inside(input, lambd), 0.0, shifted)
