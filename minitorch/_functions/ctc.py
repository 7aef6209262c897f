"""Connectionist Temporal Classification loss: a fused primitive (forward-backward in log space,
for numerical stability: the probabilities of long alignments underflow any float).

Reference: A. Graves et al., "Connectionist Temporal Classification: Labelling Unsegmented
Sequence Data with Recurrent Neural Networks", ICML 2006, sections 4.1-4.2.

A target ``l = (l_1 .. l_S)`` is extended with blanks: ``l' = (b, l_1, b, l_2, .., b, l_S, b)``,
length L = 2S + 1. An alignment of the T inputs to l' moves, at each time step, from position s
to s, s + 1, or s + 2 (the last only over a blank between two different labels).

    alpha_t(s) = y_t(l'_s) (alpha_{t-1}(s) + alpha_{t-1}(s-1) + [skip ok] alpha_{t-1}(s-2))
    beta_t(s)  = y_t(l'_s) (beta_{t+1}(s) + beta_{t+1}(s+1) + [skip ok] beta_{t+1}(s+2))
    p(l | x)   = alpha_{T-1}(L-1) + alpha_{T-1}(L-2),        loss = -log p(l | x)

with alpha_0 starting in s = 0 or 1 and beta_{T-1} ending in s = L-1 or L-2. All of it is done
on logs, with logaddexp in place of +.

Gradient. alpha_t(s) beta_t(s) / y_t(l'_s) is the probability of all alignments through
(t, s), so with lp = log y:

    dloss/dlp_t(c) = exp(lp_t(c)) - sum_{s: l'_s = c} alpha_t(s) beta_t(s) / (y_t(c) p(l | x))

This is torch's formula. The first term, exp(lp), is there because torch returns the gradient
with respect to the logits *before* log_softmax (it is what the second term becomes after
log_softmax's backward, which adds softmax * sum = y). For log_probs that are a log_softmax
output, as they must be, the gradient that reaches the logits is the same either way.
Time steps past an input's length get gradient 0; with ``zero_infinity`` an impossible alignment
(loss inf) gets loss 0 and gradient 0.

A target label equal to the blank is not meaningful, but torch accepts it and runs the same
recursions on l' (then the ends L-1 and L-2 are both blanks, the same paths count twice, and the
"loss" can be negative); we compute what torch's CPU kernel does, down to one detail of its
gradient (``_drop_final_blank_after_blank_label``).
"""
import numpy as np

from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function


def extended_labels(targets, target_lengths, blank):
    """l' for each sample: (N, 2 S_max + 1) class indices, blanks between and around the labels."""
    n, s_max = targets.shape
    ext = np.full((n, 2 * s_max + 1), blank, dtype=np.int64)
    ext[:, 1::2] = targets
    for i, length in enumerate(target_lengths):
        ext[i, 2 * length + 1:] = blank
    return ext


def _skip_allowed(ext):
    """Where alpha may come from s - 2: a label (not blank) different from the label two back."""
    allowed = np.zeros(ext.shape, dtype=bool)
    allowed[:, 2:] = ext[:, 2:] != ext[:, :-2]
    return allowed


def _shift(a, k, fill):
    """a[..., s - k] along the last axis, ``fill`` where s - k < 0 (negative k: s + |k|, past the end)."""
    xp = array_module(a)
    out = xp.full_like(a, fill)
    if k > 0:
        out[..., k:] = a[..., :-k]
    else:
        out[..., :k] = a[..., -k:]
    return out


def _log_alpha(lp_ext, skip, valid, input_lengths):
    """log alpha_t(s) for every t (T, N, L): the forward recursion."""
    xp = array_module(lp_ext)
    t_max, _, length = lp_ext.shape
    log_alpha = xp.full(lp_ext.shape, -xp.inf, dtype=lp_ext.dtype)
    start = xp.full(lp_ext.shape[1:], -xp.inf, dtype=lp_ext.dtype)
    start[:, :2] = lp_ext[0, :, :2]
    log_alpha[0] = xp.where(valid, start, -xp.inf)
    for t in range(1, t_max):
        prev = log_alpha[t - 1]
        total = xp.logaddexp(prev, _shift(prev, 1, -xp.inf))
        total = xp.where(skip, xp.logaddexp(total, _shift(prev, 2, -xp.inf)), total)
        log_alpha[t] = xp.where(valid, total + lp_ext[t], -xp.inf)
    return log_alpha


def _log_beta(lp_ext, skip, valid, input_lengths, label_lengths):
    """log beta_t(s) (T, N, L): the backward recursion, started at each sample's own last time step."""
    xp = array_module(lp_ext)
    t_max = lp_ext.shape[0]
    positions = xp.arange(lp_ext.shape[2])[None, :]
    is_end = (positions == label_lengths[:, None] - 1) | (positions == label_lengths[:, None] - 2)
    skip_from_next = _shift(skip, -2, False)  # s may take beta from s + 2 when s + 2 may skip back to s
    log_beta = xp.full(lp_ext.shape, -xp.inf, dtype=lp_ext.dtype)
    for t in range(t_max - 1, -1, -1):
        last = (input_lengths - 1 == t)[:, None]
        following = log_beta[t + 1] if t + 1 < t_max else xp.full(lp_ext.shape[1:], -xp.inf, lp_ext.dtype)
        total = xp.logaddexp(following, _shift(following, -1, -xp.inf))
        total = xp.where(skip_from_next, xp.logaddexp(total, _shift(following, -2, -xp.inf)), total)
        recursed = xp.where(valid, total + lp_ext[t], -xp.inf)
        started = xp.where(is_end & valid, lp_ext[t], -xp.inf)
        log_beta[t] = xp.where(last, started, recursed)
    return log_beta


def _gather_labels(log_probs, ext):
    """lp_t(l'_s): (T, N, L) from log_probs (T, N, C) and l' (N, L)."""
    xp = array_module(log_probs)
    return xp.take_along_axis(log_probs, xp.broadcast_to(ext[None], (log_probs.shape[0],) + ext.shape), axis=2)


class CTCLoss(Function):
    """loss_n = -log p(l_n | x_n) for each sample (no reduction).

    dloss/dlog_probs = exp(log_probs) - (alpha beta / y) / p(l | x), summed per class (see module docstring).
    """

    @staticmethod
    def forward(ctx, log_probs, ext, input_lengths, label_lengths, zero_infinity):
        lp = log_probs.array
        xp = array_module(lp)
        ext_d, in_len, lab_len = xp.asarray(ext), xp.asarray(input_lengths), xp.asarray(label_lengths)
        valid = xp.arange(ext.shape[1])[None, :] < lab_len[:, None]
        skip = xp.asarray(_skip_allowed(ext))
        lp_ext = _gather_labels(lp, ext_d)
        log_alpha = _log_alpha(lp_ext, skip, valid, in_len)
        batch = xp.arange(lp.shape[1])
        final = log_alpha[in_len - 1, batch]
        last = xp.take_along_axis(final, (lab_len - 1)[:, None], axis=1)[:, 0]
        before_last = xp.take_along_axis(final, xp.maximum(lab_len - 2, 0)[:, None], axis=1)[:, 0]
        before_last = xp.where(lab_len >= 2, before_last, -xp.inf)
        nll = -xp.logaddexp(last, before_last)
        nll = xp.where(in_len == 0, xp.where(lab_len == 1, 0, xp.inf), nll)  # no input: only "" is possible
        if ctx.needs_input_grad and ctx.needs_input_grad[0]:
            log_beta = _log_beta(lp_ext, skip, valid, in_len, lab_len)
            ctx.occupancy = _occupancy(log_alpha, log_beta, lp_ext, nll, ext_d, lp.shape[2], in_len, lab_len)
            ctx.save_for_backward(log_probs)
            ctx.in_len = in_len
            ctx.infinite = xp.isinf(nll) if zero_infinity else None
        if zero_infinity:
            nll = xp.where(xp.isinf(nll), 0, nll)
        return nll.astype(lp.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        log_probs, = ctx.saved_tensors
        xp = array_module(log_probs.array)
        per_class = xp.exp(log_probs.array) - ctx.occupancy
        times = xp.arange(log_probs.shape[0])[:, None]
        keep = times < ctx.in_len[None, :]
        if ctx.infinite is not None:
            keep = keep & ~ctx.infinite[None, :]
        per_class = xp.where(keep[:, :, None], per_class, 0).astype(log_probs.array.dtype, copy=False)
        return CTCGradient.apply(grad, log_probs, Tensor._make(per_class)), None, None, None, None


def _occupancy(log_alpha, log_beta, lp_ext, nll, ext, n_classes, in_len, lab_len):
    """sum_{s: l'_s = c} alpha_t(s) beta_t(s) / (y_t(c) p(l|x)): the expected use of class c at time t."""
    xp = array_module(log_alpha)
    with np.errstate(invalid="ignore"):  # -inf + inf for impossible alignments gives nan, as in torch
        per_position = xp.exp(log_alpha + log_beta - lp_ext + nll[None, :, None])
    _drop_final_blank_after_blank_label(per_position, ext, in_len, lab_len)
    one_hot = (ext[:, :, None] == xp.arange(n_classes)[None, None, :]).astype(per_position.dtype)
    return xp.einsum("tns,nsc->tnc", per_position, one_hot)


def _drop_final_blank_after_blank_label(per_position, ext, in_len, lab_len):
    """Where the last label is the blank itself, leave out the final blank's share at the last time step.

    torch's CPU kernel starts the sum at each sample's last time step by *setting* the last label's
    share after the final blank's, not adding it (the two are different classes, unless the label is
    the blank), so there only the label's share counts. We follow it, in place on (T, N, L)."""
    xp = array_module(per_position)
    batch = xp.arange(len(lab_len))
    last_label = ext[batch, xp.maximum(lab_len - 2, 0)]
    doubled = batch[(lab_len >= 3) & (in_len > 0) & (last_label == ext[batch, lab_len - 1])]
    per_position[in_len[doubled] - 1, doubled, lab_len[doubled] - 1] = 0


class CTCGradient(Function):
    """grad_n * dloss_n/dlog_probs, as a graph node. Its own derivative is not implemented (nor in torch).

    ``log_probs`` is an input only to link the node into the graph: with ``create_graph=True`` an
    attempt to differentiate the gradient then raises, instead of silently treating it as constant.
    """

    @staticmethod
    def forward(ctx, grad, log_probs, per_class):
        return per_class.array * grad.array[None, :, None]

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("the derivative of ctc_loss's backward is not implemented (torch has none either): "
                           "ctc_loss can be differentiated once, not twice")
