"""Fused primitives for losses, each there for numerical stability or speed, as it says (the losses
themselves are composed from ordinary ops in ``minitorch/nn/functional``; CTC's is in ``ctc.py``).

log_sigmoid(x) = log(1 / (1 + e^-x)).  Written that way, e^-x overflows for x < -88 (float32)
and the log of 1/(1+inf) is -inf instead of x. Instead:

    log_sigmoid(x) = min(x, 0) - log(1 + e^-|x|)

whose exponent is never positive. Gradient: d/dx log_sigmoid(x) = 1 - sigmoid(x) = sigmoid(-x).

nll_loss(x, y) = -w[y_n] x[n, y_n] picks one log-probability per sample. Composed from gather,
masks, weights and a reduction it is ~10 graph nodes; fused it is one. cross_entropy with class
indices, nll_loss of log_softmax, runs in every classifier's training step, so it is fused further
into one node (CrossEntropy) whose gradient is one op (CrossEntropyGradient): both for speed.

binary_cross_entropy(p, y) = -(y log p + (1 - y) log(1 - p)).  At p = 0 or 1 one log is -inf
(and 0 * -inf is nan), so, as torch does, each log is clamped at -100 first. The gradient is
also guarded as torch's: d/dp = (p - y) / max(p (1 - p), 1e-12), finite at p = 0 and 1. The gradient
with respect to the target is torch's -logit(p) = log(1 - p) - log(p), unclamped: +-inf at p = 0 or 1.
"""
import numpy as np

from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from .softmax import _log_softmax_array

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
    dloss/dy = log(1 - p) - log(p) = -logit(p)     (not clamped, as torch: +-inf at p = 0 or 1)
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
            gy = grad * ((-p).log1p() - p.log())
        return gp, gy


def _pick_log_probabilities(log_p, target, weight, ignore_index, reduction):
    """The loss -w[y_n] log_p[n, y_n, ...] reduced, and what its gradient needs: the targets (0 where
    ignored) and each target's weight (0 where ignored; divided by sum_n w[y_n] for 'mean').
    ``ignore_index`` None: the caller has ruled out that any target is ignored."""
    xp = array_module(log_p)
    unit_weights = weight is None and ignore_index is None  # every target weighs 1 (the usual classifier)
    ignored = None
    if ignore_index is None:
        safe_target = target.array.copy()  # (backward uses the targets of forward, whatever happens to them)
        target_weight = xp.ones(safe_target.shape, log_p.dtype) if unit_weights else \
            weight.array[safe_target].astype(log_p.dtype, copy=False)
    else:
        ignored = target.array == ignore_index
        safe_target = xp.where(ignored, 0, target.array)
        if weight is None:
            target_weight = (~ignored).astype(log_p.dtype)
        else:
            target_weight = xp.where(ignored, 0, weight.array[safe_target]).astype(log_p.dtype, copy=False)
    if log_p.ndim == 2:
        picked = log_p[xp.arange(len(safe_target)), safe_target]
    else:
        picked = xp.take_along_axis(log_p, safe_target[:, None], axis=1)[:, 0]
    loss = -picked if unit_weights else -picked * target_weight  # (unit weights: nothing to multiply or add up)
    if reduction == "mean":
        total = log_p.dtype.type(picked.size) if unit_weights else target_weight.sum()
        if not total:  # every target ignored (or none at all): 0 / 0 = nan, as torch (without numpy's warning)
            total = log_p.dtype.type(np.nan)
        loss, target_weight = loss.sum() / total, target_weight / total
        if ignored is not None:  # an ignored target gets gradient 0, even when all are (torch's kernel skips them)
            target_weight = xp.where(ignored, 0, target_weight).astype(log_p.dtype, copy=False)
    elif reduction == "sum":
        loss = loss.sum()
    return loss.astype(log_p.dtype, copy=False), safe_target, target_weight


def _is_target(safe_target, n_classes):
    """True at [n, y_n, ...], False elsewhere: the targets spread along the class dim (dim 1)."""
    classes = array_module(safe_target).arange(n_classes).reshape((1, -1) + (1,) * (safe_target.ndim - 1))
    return classes == safe_target[:, None]


def _along_classes(ctx, grad):
    """The upstream gradient, shaped to broadcast along the class dim (one per sample for 'none')."""
    return grad.unsqueeze(1) if ctx.reduction == "none" else grad


def _selection(safe_target, target_weight, n_classes):
    """-w[y_n] at [n, y_n, ...], 0 elsewhere (an array): dl/dx of NLLLoss for an upstream gradient of 1."""
    xp = array_module(target_weight)
    selection = xp.where(_is_target(safe_target, n_classes), -target_weight[:, None], 0)
    return selection.astype(target_weight.dtype, copy=False)


class NLLLossGradient(Function):
    """G = S u, the gradient of NLLLoss: S = -w[y_n] at [n, y_n, ...] and 0 elsewhere, u the upstream
    gradient (broadcast along the class dim).

    Its own gradient, for ``create_graph=True``: with A = dL/dG,
        dL/dx = 0               (nll_loss is linear in x, so its gradient does not depend on x; zeros, as torch)
        dL/du = sum_c A S       (summed over everything when u is one number)
    """
    torch_op = "NllLossBackward"

    @staticmethod
    def forward(ctx, x, upstream, safe_target, target_weight, reduction):
        selection = _selection(safe_target, target_weight, x.array.shape[1])
        if ctx.needs_input_grad:  # recorded only under create_graph=True
            ctx.selection, ctx.reduction, ctx.x_meta = selection, reduction, (x.array.shape, x.array.dtype)
        u = upstream.array[:, None] if reduction == "none" else upstream.array
        return (selection * u).astype(x.array.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        d_x = d_upstream = None
        if ctx.needs_input_grad[0]:
            d_x = Tensor._make(array_module(ctx.selection).zeros(*ctx.x_meta))
        if ctx.needs_input_grad[1]:
            per_element = grad * Tensor._make(ctx.selection)
            d_upstream = per_element.sum(1) if ctx.reduction == "none" else per_element.sum()
        return d_x, d_upstream, None, None, None


class NLLLoss2dGradient(NLLLossGradient):
    """The gradient of NLLLoss2d (NllLoss2DBackwardBackward0 in torch); the math is NLLLossGradient's."""
    torch_op = "NllLoss2DBackward"


class NLLLoss(Function):
    """l_n = -w[y_n] x[n, y_n, ...] (0 where y_n == ignore_index); 'mean' is sum_n l_n / sum_n w[y_n].

    dl/dx[n, c, ...] = -w[y_n] if c == y_n else 0 (divided by sum_n w[y_n] for 'mean'), times the
    upstream gradient. The target and weight are constants: they get no gradient (as in torch).
    That gradient is one op, ``NLLLossGradient``, differentiable in its turn (``create_graph=True``).
    ``x`` is (N, C, d1, ..., dK) and ``target`` (N, d1, ..., dK), already checked.
    """
    torch_op = "NllLoss"
    gradient = NLLLossGradient

    @staticmethod
    def forward(ctx, x, target, weight, ignore_index, reduction):
        loss, ctx.safe_target, ctx.target_weight = _pick_log_probabilities(x.array, target, weight, ignore_index,
                                                                           reduction)
        ctx.save_for_backward(x)  # (as torch: only its shape is used, but changing it in place is an error)
        ctx.reduction = reduction
        return loss

    @classmethod
    def backward(cls, ctx, grad):  # (a classmethod, so that NLLLoss2d's gradient is NLLLoss2dGradient)
        x, = ctx.saved_tensors
        return cls.gradient.apply(x, grad, ctx.safe_target, ctx.target_weight, ctx.reduction), None, None, None, None


class CrossEntropy(Function):
    """l_n = -w[y_n] log softmax(x_n)[y_n]: NLLLoss of log_softmax, fused into one node for speed
    (cross-entropy with class indices runs in every classifier's training step).

    dl/dx[n, :, ...] = w[y_n] (softmax(x_n) - one_hot(y_n)) (divided by sum_n w[y_n] for 'mean'),
    times the upstream gradient u: the softmax from log_softmax's gradient, minus NLL's picked class.
    That gradient is one fused op as well, ``CrossEntropyGradient``, differentiable in its turn.
    """

    @staticmethod
    def forward(ctx, x, target, weight, ignore_index, reduction):
        log_p = _log_softmax_array(x.array, 1)
        loss, ctx.safe_target, ctx.target_weight = _pick_log_probabilities(log_p, target, weight, ignore_index,
                                                                           reduction)
        ctx.save_for_backward(x)
        ctx.log_p, ctx.reduction = log_p, reduction
        return loss

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return (CrossEntropyGradient.apply(x, grad, ctx.log_p, ctx.safe_target, ctx.target_weight, ctx.reduction),
                None, None, None, None)


class CrossEntropyGradient(Function):
    """G = (softmax(x) - one_hot(y)) w u, the gradient of CrossEntropy (w: each target's weight,
    u: the upstream gradient, both broadcast along the class dim).

    Its own gradient, for ``create_graph=True``: with A = dL/dG, p = softmax(x) and B = A w u,
        dL/dx = p (B - sum_c B p)                  (softmax's backward)
        dL/du = sum_c A w (p - one_hot(y))         (summed over everything when u is one number)
    """

    @staticmethod
    def forward(ctx, x, upstream, log_p, safe_target, target_weight, reduction):
        if ctx.needs_input_grad:  # recorded only under create_graph=True
            ctx.save_for_backward(x, upstream)
            ctx.safe_target, ctx.target_weight, ctx.reduction = safe_target, target_weight, reduction
        xp = array_module(log_p)
        u = upstream.array[:, None] if reduction == "none" else upstream.array
        gradient = xp.exp(log_p) - _is_target(safe_target, log_p.shape[1])
        gradient *= target_weight[:, None] * u
        return gradient

    @staticmethod
    def backward(ctx, grad):
        x, upstream = ctx.saved_tensors
        p = x.softmax(1)
        weights = Tensor._make(ctx.target_weight[:, None])
        d_x = d_upstream = None
        if ctx.needs_input_grad[0]:
            b = grad * weights * _along_classes(ctx, upstream)
            d_x = p * (b - (b * p).sum(1, keepdim=True))
        if ctx.needs_input_grad[1]:
            is_target = Tensor._make(_is_target(ctx.safe_target, x.shape[1]).astype(ctx.target_weight.dtype))
            per_element = grad * weights * (p - is_target)
            d_upstream = per_element.sum(1) if ctx.reduction == "none" else per_element.sum()
        return d_x, d_upstream, None, None, None, None


class NLLLoss2d(NLLLoss):
    """nll_loss of (N, C, d1, ...) inputs, which torch computes as nll_loss2d (NllLoss2DBackward0); the math
    is NLLLoss's. (torch's 3-D or 5-D+ input with reduction='none' ends in a view instead: left as NllLoss.)"""
    torch_op = "NllLoss2D"
    gradient = NLLLoss2dGradient


def nll_loss(input, target, weight, ignore_index, reduction):
    """The fused negative log likelihood of (N, C, ...) log-probabilities (see NLLLoss)."""
    image_like = input.ndim == 4 or (input.ndim > 2 and reduction != "none")
    return (NLLLoss2d if image_like else NLLLoss).apply(input, target, weight, ignore_index, reduction)


def cross_entropy(input, target, weight, ignore_index, reduction):
    """The fused cross-entropy of (N, C, ...) scores against class indices (see CrossEntropy)."""
    return CrossEntropy.apply(input, target, weight, ignore_index, reduction)


def log_sigmoid(input):
    """log(sigmoid(x)), stable for large |x| (see the module docstring)."""
    return LogSigmoid.apply(input)


def binary_cross_entropy(input, target):
    """Elementwise BCE of probabilities ``input`` against ``target``, logs clamped at -100 (no reduction)."""
    return BinaryCrossEntropy.apply(input, target)
