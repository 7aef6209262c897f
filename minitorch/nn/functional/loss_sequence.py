"""CTC loss: training a sequence model (speech, handwriting) when the alignment between the T
outputs and the S target labels is unknown. The forward-backward algorithm is a fused primitive
in ``minitorch/_functions/ctc.py``; this file checks the arguments and applies the reduction.
"""
import numpy as np

from ..._functions.ctc import CTCLoss, extended_labels
from ..._tensor import Tensor
from .. import _reduction

__all__ = ["ctc_loss"]


def _host_ints(values, name, floats_allowed=False):
    """Lengths or targets as a numpy int64 array on the host (they steer loops, not math). As in torch,
    a float tensor of targets is truncated, but lengths must be integers."""
    if isinstance(values, Tensor):
        if values.dtype.is_complex or (values.dtype.is_floating_point and not floats_allowed):
            raise RuntimeError(f"{name} must be integral, got {values.dtype} (use {name}.long())")
        return np.asarray(values.detach().cpu().numpy()).astype(np.int64)
    array = np.asarray(values)
    if array.size and array.dtype.kind not in "iu":
        raise TypeError(f"ctc_loss(): {name} must be a tensor or a tuple of ints, got {values!r}")
    return array.astype(np.int64)


def _batched(log_probs, targets, input_lengths, target_lengths):
    """Everything with a batch dimension: (T, N, C), targets (N, S) or concatenated, lengths (N)."""
    if log_probs.ndim not in (2, 3):
        raise RuntimeError(f"ctc_loss expects log_probs of shape (T, N, C) or (T, C), got {list(log_probs.shape)}")
    if not log_probs.dtype.is_floating_point:
        raise NotImplementedError(f'"ctc_loss_cpu" not implemented for \'{log_probs.dtype.scalar_type}\': log_probs '
                                  "must be float log-probabilities (log_softmax of the model's scores)")
    if log_probs.numel() == 0:
        raise RuntimeError(f"log_probs tensor must not be empty (got shape {list(log_probs.shape)})")
    input_lengths = _host_ints(input_lengths, "input_lengths")
    target_lengths = _host_ints(target_lengths, "target_lengths")
    targets = _host_ints(targets, "targets", floats_allowed=True)
    if targets.ndim > 2:
        raise RuntimeError(f"Expected 1 to 2 dimensions, but got {targets.ndim}-dimensional tensor for argument #2 "
                           "'targets': (N, S) padded targets, or all targets concatenated in one 1-D tensor")
    if log_probs.ndim == 2:
        return log_probs.unsqueeze(1), targets.reshape(1, -1), input_lengths.reshape(1), target_lengths.reshape(1)
    return log_probs, targets, input_lengths, target_lengths


def _padded_targets(targets, target_lengths):
    """(N, S) targets, from either (N, S) already or all targets concatenated in one 1-D tensor."""
    if targets.ndim == 2:
        if len(target_lengths) and target_lengths.max() > targets.shape[1]:
            raise RuntimeError(f"Expected tensor to have size at least {target_lengths.max()} at dimension 1, but got "
                               f"size {targets.shape[1]} for argument #2 'targets' (a target length is longer "
                               "than the padded targets)")
        return targets
    if targets.size < target_lengths.sum():
        raise RuntimeError(f"the concatenated targets hold {targets.size} labels but target_lengths add up to "
                           f"{target_lengths.sum()}")
    padded = np.zeros((len(target_lengths), max(target_lengths.max(initial=0), 0)), dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(target_lengths)[:-1]])
    for row, (start, length) in enumerate(zip(starts, target_lengths)):
        padded[row, :length] = targets[start:start + length]
    return padded


def _check(log_probs, targets, input_lengths, target_lengths, blank):
    t_max, batch, n_classes = log_probs.shape
    if len(input_lengths) != batch:
        raise RuntimeError(f"input_lengths must be of size batch_size ({batch}), got {len(input_lengths)}")
    if len(target_lengths) != batch:
        raise RuntimeError(f"target_lengths must be of size batch_size ({batch}), got {len(target_lengths)}")
    if len(input_lengths) and (input_lengths.max() > t_max or input_lengths.min() < 0):
        bad = input_lengths.max() if input_lengths.max() > t_max else input_lengths.min()
        raise RuntimeError(f"Expected input_lengths to have value at most {t_max} (and at least 0), but got "
                           f"value {bad}")
    if len(target_lengths) and target_lengths.min() < 0:
        raise RuntimeError(f"target_lengths must not be negative, got {target_lengths.min()}")
    if not 0 <= blank < n_classes:
        raise RuntimeError(f"blank must be in label range: blank={blank}, but there are {n_classes} classes")
    used = np.concatenate([row[:length] for row, length in zip(targets, target_lengths)] or [np.zeros(0)])
    bad = used[(used < 0) | (used >= n_classes)]
    if bad.size:  # (torch reads out of bounds here and returns garbage or crashes: we refuse)
        raise RuntimeError(f"ctc_loss: target label {bad[0]} is not allowed: labels are class indices in "
                           f"[0, {n_classes - 1}]")


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean", zero_infinity=False):
    """Connectionist Temporal Classification: -log of the total probability of all alignments of
    the T outputs to the target labels (with blanks and repeats collapsed).

        loss_n = -log sum_{paths pi collapsing to l_n} prod_t y_t(pi_t)

    ``log_probs`` (T, N, C) must be log_softmax outputs. Targets are (N, S) padded or concatenated
    into one 1-D tensor. 'mean' divides each loss by its target length, then averages over the batch.
    Gradient (torch's, w.r.t. log_probs): exp(lp_t(c)) - sum_{s: l'_s = c} alpha_t(s) beta_t(s) /
    (y_t(c) p(l | x)) with the forward and backward variables alpha and beta (see ``_functions/ctc.py``).
    Labels must be in [0, C). A label equal to ``blank`` is accepted and computed as torch does
    (meaningless, but torch gives a value); a label out of range raises RuntimeError, where torch
    reads memory out of bounds (garbage or a crash).
    """
    reduction = _reduction.resolve(None, None, reduction)
    unbatched = log_probs.ndim == 2
    log_probs, targets, input_lengths, target_lengths = _batched(log_probs, targets, input_lengths, target_lengths)
    targets = _padded_targets(targets, target_lengths)
    _check(log_probs, targets, input_lengths, target_lengths, blank)
    ext = extended_labels(targets, target_lengths, blank)
    losses = CTCLoss.apply(log_probs, ext, input_lengths, 2 * target_lengths + 1, bool(zero_infinity))
    if reduction == "mean":
        divisors = Tensor._make(np.maximum(target_lengths, 1).astype(log_probs.dtype.numpy)).to(log_probs.device)
        return (losses / divisors).mean()
    if reduction == "sum":
        return losses.sum()
    return losses.reshape(()) if unbatched else losses
