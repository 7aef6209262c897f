"""Fused primitives for losses, each there for numerical stability or speed, as it says (the losses
themselves are composed from ordinary ops in ``minitorch/nn/functional``; CTC's is in ``ctc.py``).

log_sigmoid(x) = log(1 / (1 + e^-x)).  Written that way, e^-x overflows for x < -88 (float32)
and the log of 1/(1+inf) is -inf instead of x. Instead:

    log_sigmoid(x) = min(x, 0) - log(1 + e^-|x|)

whose exponent is never positive. Gradient: d/dx log_sigmoid(x) = 1 - sigmoid(x) = sigmoid(-x).

nll_loss(x, y) = -w[y_n] x[n, y_n] picks one log-probability per sample. Composed from gather,
masks, weights and a reduction it is ~10 graph nodes; fused it is one, which matters because
cross_entropy = log_softmax + nll_loss runs in every classifier's training step (fused for speed).

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


class NLLLoss(Function):
    """l_n = -w[y_n] x[n, y_n, ...] (0 where y_n == ignore_index); 'mean' is sum_n l_n / sum_n w[y_n].

    dl/dx[n, c, ...] = -w[y_n] if c == y_n else 0 (divided by sum_n w[y_n] for 'mean'), times the
    upstream gradient. The target and weight are constants: they get no gradient (as in torch).
    ``x`` is (N, C, d1, ..., dK) and ``target`` (N, d1, ..., dK), already checked.
    """

    @staticmethod
    def forward(ctx, x, target, weight, ignore_index, reduction):
        xp = array_module(x.array)
        ignored = target.array == ignore_index
        safe_target = xp.where(ignored, 0, target.array)
        target_weight = xp.ones(safe_target.shape, x.array.dtype) if weight is None else weight.array[safe_target]
        target_weight = xp.where(ignored, 0, target_weight).astype(x.array.dtype, copy=False)
        picked = xp.take_along_axis(x.array, safe_target[:, None], axis=1)[:, 0]
        loss = -picked * target_weight
        if reduction == "mean":
            total = target_weight.sum()
            loss, target_weight = loss.sum() / total, target_weight / total
        elif reduction == "sum":
            loss = loss.sum()
        if ctx.needs_input_grad:
            ctx.safe_target, ctx.target_weight, ctx.reduction = safe_target, target_weight, reduction
            ctx.n_classes = x.array.shape[1]
        return loss.astype(x.array.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        xp = array_module(ctx.target_weight)
        target = ctx.safe_target[:, None]
        classes = xp.arange(ctx.n_classes).reshape((1, -1) + (1,) * (target.ndim - 2))
        selection = xp.where(classes == target, -ctx.target_weight[:, None], 0).astype(ctx.target_weight.dtype)
        upstream = grad.unsqueeze(1) if ctx.reduction == "none" else grad
        return Tensor._make(selection) * upstream, None, None, None, None


def nll_loss(input, target, weight, ignore_index, reduction):
    """The fused negative log likelihood of (N, C, ...) log-probabilities (see NLLLoss)."""
    return NLLLoss.apply(input, target, weight, ignore_index, reduction)


def log_sigmoid(input):
    """log(sigmoid(x)), stable for large |x| (see the module docstring)."""
    return LogSigmoid.apply(input)


def binary_cross_entropy(input, target):
    """Elementwise BCE of probabilities ``input`` against ``target``, logs clamped at -100 (no reduction)."""
    return BinaryCrossEntropy.apply(input, target)
