"""Fused primitives for losses, each one there for numerical stability (the losses themselves are
composed from ordinary ops in ``minitorch/nn/functional``; CTC's primitive is in ``ctc.py``).

log_sigmoid(x) = log(1 / (1 + e^-x)).  Written that way, e^-x overflows for x < -88 (float32)
and the log of 1/(1+inf) is -inf instead of x. Instead:

    log_sigmoid(x) = min(x, 0) - log(1 + e^-|x|)

whose exponent is never positive. Gradient: d/dx log_sigmoid(x) = 1 - sigmoid(x) = sigmoid(-x).

binary_cross_entropy(p, y) = -(y log p + (1 - y) log(1 - p)).  At p = 0 or 1 one log is -inf
(and 0 * -inf is nan), so, as torch does, each log is clamped at -100 first. The gradient is
also guarded as torch's: d/dp = (p - y) / max(p (1 - p), 1e-12), finite at p = 0 and 1.
"""
import numpy as np

from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function

LOG_CLAMP = -100.0   # torch clamps BCE's logs here, so a confident wrong answer costs 100, not inf
GRAD_EPSILON = 1e-12  # and keeps p (1 - p) away from 0 in the gradient


class LogSigmoid(Function):
    """y = min(x, 0) - log1p(exp(-|x|)).   dy/dx = sigmoid(-x)."""

    @staticmethod
    def forward(ctx, x):
        xp = array_module(x.array)
        ctx.save_for_backward(x)
        a = x.array
        return (xp.minimum(a, 0) - xp.log1p(xp.exp(-xp.abs(a)))).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * (-x).sigmoid()


def _clamped_logs(p):
    """log(p) and log(1 - p), each at least -100 (arrays)."""
    xp = array_module(p)
    with np.errstate(divide="ignore"):  # log(0) = -inf is expected here (numpy only; cupy never warns)
        return xp.maximum(xp.log(p), LOG_CLAMP), xp.maximum(xp.log1p(-p), LOG_CLAMP)


class BinaryCrossEntropy(Function):
    """loss = -(y log p + (1 - y) log(1 - p)) elementwise, each log clamped at -100.

    dloss/dp = (p - y) / max(p (1 - p), 1e-12)
    dloss/dy = log(1 - p) - log(p)     (with the same clamped logs)
    """

    @staticmethod
    def forward(ctx, p, y):
        log_p, log_1mp = _clamped_logs(p.array)
        ctx.save_for_backward(p, y)
        return (-(y.array * log_p + (1 - y.array) * log_1mp)).astype(p.array.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        p, y = ctx.saved_tensors
        gp = gy = None
        if ctx.needs_input_grad[0]:
            gp = grad * (p - y) / ((1 - p) * p).clamp(min=GRAD_EPSILON)
        if ctx.needs_input_grad[1]:
            gy = grad * ((-p).log1p().clamp(min=LOG_CLAMP) - p.log().clamp(min=LOG_CLAMP))
        return gp, gy


def log_sigmoid(input):
    """log(sigmoid(x)), stable for large |x| (see the module docstring)."""
    return LogSigmoid.apply(input)


def binary_cross_entropy(input, target):
    """Elementwise BCE of probabilities ``input`` against ``target``, logs clamped at -100 (no reduction)."""
    return BinaryCrossEntropy.apply(input, target)
