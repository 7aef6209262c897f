"""Losses for classification: negative log likelihood, cross-entropy, binary cross-entropy.

Shapes follow torch. For C classes, an input is (C), (N, C) or (N, C, d1, ..., dK) (a class
score for every pixel, say) and a class-index target is (), (N) or (N, d1, ..., dK), int64.
The losses are composed from Tensor ops, so gradients come from autograd, on top of a few fused
primitives: log_softmax (log-sum-exp, for stability), BCE's clamped logs and log_sigmoid (for
stability), and nll_loss and cross_entropy with class indices (each one graph node, for speed).
The primitives are in ``minitorch/_functions/losses.py`` and ``softmax.py``.
"""
import numpy as np

from ...autograd.grad_mode import is_grad_enabled
from ..._functions import losses
from ..._functions.softmax import log_softmax
from .. import _reduction

__all__ = ["nll_loss", "cross_entropy", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "multilabel_soft_margin_loss"]


# ----------------------------------------------------------------------------- class-index targets
def check_class_weight(weight, n_classes, dtype, prefix=""):
    """One weight per class, of the input's dtype (``dtype``)."""
    if weight is None:
        return
    if weight.ndim != 1 or weight.numel() != n_classes:
        raise RuntimeError(f"{prefix}weight tensor should be defined either for all {n_classes} classes or no "
                           f"classes but got weight tensor of shape: {list(weight.shape)}")
    if weight.dtype != dtype:
        raise RuntimeError(f"expected scalar type {dtype.scalar_type} but found {weight.dtype.scalar_type} (the class "
                           f"weights must have the input's dtype: use weight.to({dtype}))")


CLASS_SCORES = "the model's float scores for each class, the target the class indices (were they swapped?)"


def check_constant(tensor, function, argument):
    """torch's error for an argument that its kernel does not differentiate but that requires grad."""
    if tensor is not None and tensor.requires_grad and is_grad_enabled():
        raise RuntimeError(f"The function '{function}' is not differentiable with respect to argument '{argument}'. "
                           f"This input cannot have requires_grad True. (Pass {argument}.detach().)")


def check_scores(input, name, holds=CLASS_SCORES):
    """The input holds float scores (logits, log-probabilities or probabilities), as torch requires."""
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"{name} is not implemented for '{input.dtype.scalar_type}' input: the input holds "
                                  f"{holds}; convert with input.float()")


def check_class_targets(input, target, name, probabilities_allowed=False):
    """torch's checks of a class-index target against its input; returns the target as int64."""
    if target.array.dtype not in (np.int64, np.uint8):  # torch.long and torch.uint8 ("Long or Byte")
        hint = " (class indices must be integers: use target.long()"
        if probabilities_allowed:
            hint += f"; class probabilities need a float target of the input's shape {list(input.shape)}"
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {target.dtype.scalar_type}{hint})")
    if input.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim}): {name} needs class scores, "
                         "shape (C) or (N, C, ...)")
    if input.ndim == 1:
        if target.ndim > 1 or target.numel() != 1:
            raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target.numel()}")
        return target.reshape(()).long()
    scores, labels = input.array.shape, target.array.shape
    if target.ndim == 0 or scores[0] != labels[0]:
        got = labels[0] if target.ndim else "a single index"
        raise ValueError(f"Expected input batch_size ({scores[0]}) to match target batch_size ({got}).")
    expected = (scores[0],) + scores[2:]
    if labels != expected:
        if input.ndim == 2:
            raise RuntimeError(f"0D or 1D target tensor expected, multi-target not supported: an input of shape "
                               f"{list(input.shape)} needs one class index per row, a target of shape "
                               f"{list(expected)}, got {list(target.shape)} (a one-hot target? use "
                               "target.argmax(1))")
        raise RuntimeError(f"Expected target size {list(expected)}, got {list(target.shape)} (input "
                           f"{list(input.shape)} is (N, C, d1, ..., dK): the target drops C)")
    return target.long()


def _check_bounds(target, ignore_index, n_classes):
    """Every target a class index in [0, C), or ignore_index (checked on the raw array). Returns
    whether some target may equal ignore_index (False only when that is ruled out cheaply)."""
    labels = target.array
    unsigned = labels.view(labels.dtype.str.replace("i", "u"))  # a negative index reads as a huge number
    if labels.size == 0 or unsigned.max() < n_classes:  # the usual case: both bounds in one reduction
        return 0 <= ignore_index < n_classes
    outside = ((labels < 0) | (labels >= n_classes)) & (labels != ignore_index)
    if outside.any():
        bad = int(labels[outside].reshape(-1)[0])
        raise IndexError(f"Target {bad} is out of bounds. The input has {n_classes} classes, so a target must be "
                         f"in [0, {n_classes - 1}] (or equal to ignore_index)")
    return True


def _target_weights(target, weight, ignore_index, dtype):
    """For each target its class weight (1 without ``weight``), 0 where the target is ignored."""
    ignored = target == ignore_index
    if weight is None:
        return (~ignored).to(dtype)
    return weight[target.masked_fill(ignored, 0)].masked_fill(ignored, 0)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log likelihood of the target class, given log-probabilities ``input``.

        l_n = -w[y_n] * input[n, y_n]        (0 where y_n == ignore_index)
        'mean' = sum_n l_n / sum_n w[y_n]    (a weighted mean over the targets that are not ignored)

    Gradient: dl_n/dinput[n, c] = -w[y_n] if c == y_n else 0 (divided by sum w[y_n] for 'mean').
    A fused primitive, for speed (``minitorch/_functions/losses.py``); ``weight`` gets no gradient.
    """
    reduction = _reduction.resolve(size_average, reduce, reduction)
    check_scores(input, "nll_loss")
    target = check_class_targets(input, target, "nll_loss")
    return _checked_nll_loss(input, target, weight, ignore_index, reduction)


def _checked_nll_loss(input, target, weight, ignore_index, reduction, primitive=losses.nll_loss):
    """nll_loss after the checks of its weight and targets; ``primitive`` may be the fused
    cross-entropy instead, which takes scores rather than log-probabilities."""
    n_classes = input.shape[0 if input.ndim == 1 else 1]
    check_class_weight(weight, n_classes, input.dtype)
    check_constant(weight, "nll_loss_forward", "weight")
    if not _check_bounds(target, ignore_index, n_classes):
        ignore_index = None  # no target is ignored: the primitive skips the masking
    if input.ndim == 1:  # one sample: a batch of one
        loss = primitive(input.unsqueeze(0), target.reshape(1), weight, ignore_index, reduction)
        return loss.reshape(()) if reduction == "none" else loss
    return primitive(input, target, weight, ignore_index, reduction)


def _class_weight_along(weight, input, class_dim):
    """``weight`` (C) shaped to broadcast along the class dim of ``input``."""
    return weight.reshape((-1,) + (1,) * (input.ndim - class_dim - 1))


def _cross_entropy_with_probabilities(input, target, weight, reduction, label_smoothing, ignore_index):
    """l_n = -sum_c w_c * p_nc * log_softmax(x_n)_c,  'mean' divides by the number of samples."""
    if not target.dtype.is_floating_point:
        raise RuntimeError(f"Expected floating point type for target with class probabilities, got "
                           f"{target.dtype.scalar_type} (for class indices the target has no class dimension: "
                           f"shape {[input.shape[0]] + list(input.shape[2:]) if input.ndim > 1 else []})")
    if ignore_index >= 0:
        raise RuntimeError("ignore_index is not supported for floating point target")
    class_dim = 0 if input.ndim == 1 else 1
    n_classes = input.shape[class_dim]
    check_class_weight(weight, n_classes, input.dtype, prefix="cross_entropy: ")
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / n_classes
    weighted = log_softmax(input, class_dim) * target
    if weight is not None:
        weighted = weighted * _class_weight_along(weight, input, class_dim)
    if reduction == "none":
        return -weighted.sum(class_dim)
    if reduction == "sum":
        return -weighted.sum()
    return -weighted.sum() / (input.numel() / n_classes if input.numel() else float("nan"))


def _smoothing_term(log_probs, target, weight, ignore_index, reduction, class_dim):
    """-sum_c w_c log p_c per sample (the cross-entropy with a uniform target, times C), reduced like nll."""
    weighted = log_probs if weight is None else log_probs * _class_weight_along(weight, log_probs, class_dim)
    per_sample = -weighted.sum(class_dim)
    target_weight = _target_weights(target, weight, ignore_index, log_probs.dtype)
    per_sample = per_sample.masked_fill(target == ignore_index, 0)
    if reduction == "mean":
        return per_sample.sum() / target_weight.sum()
    return _reduction.apply(per_sample, reduction)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """Cross-entropy between softmax(input) and the target: nll_loss(log_softmax(input, dim=1), target).

    ``input`` holds unnormalised scores (logits). The target is either class indices, shape
    (N, d1, ...), or class probabilities with the input's shape (float). log_softmax is computed
    the log-sum-exp-stable way, so large logits never overflow; with class indices and no label
    smoothing the whole loss is one fused node (``losses.CrossEntropy``), for speed.

        l_n = -w[y_n] log softmax(x_n)[y_n]                     (class indices)
        l_n = -sum_c w_c p_nc log softmax(x_n)_c                (probabilities)

    With ``label_smoothing`` = e the target becomes (1 - e) * one_hot(y) + e / C.
    Gradient (indices, no weight): dl_n/dx_nc = softmax(x_n)_c - [c == y_n]; with probabilities:
    softmax(x_n)_c * sum_k p_nk - p_nc, times w and divided like the value for 'mean'.
    """
    reduction = _reduction.resolve(size_average, reduce, reduction)
    check_scores(input, "cross_entropy")
    if label_smoothing > 1.0:  # (a negative one smooths nothing: torch takes it as 0)
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if input.array.shape == target.array.shape:
        return _cross_entropy_with_probabilities(input, target, weight, reduction, label_smoothing, ignore_index)
    target = check_class_targets(input, target, "cross_entropy", probabilities_allowed=True)
    if label_smoothing <= 0:  # one fused node (``losses.CrossEntropy``)
        return _checked_nll_loss(input, target, weight, ignore_index, reduction, losses.cross_entropy)
    class_dim = 0 if input.ndim == 1 else 1
    log_probs = log_softmax(input, class_dim)
    nll = _checked_nll_loss(log_probs, target, weight, ignore_index, reduction)
    smooth = _smoothing_term(log_probs, target, weight, ignore_index, reduction, class_dim)
    return (1 - label_smoothing) * nll + smooth * (label_smoothing / input.shape[class_dim])


# ----------------------------------------------------------------------------- binary targets
def _check_binary_target(input, target, message, any_float=False):
    """One target per prediction, of the input's dtype (``any_float``: of any floating dtype)."""
    if target.shape != input.shape:
        raise ValueError(message + " (one target per prediction: reshape the target with "
                                   "target.view_as(input) if the numbers of elements agree)")
    if any_float and not target.dtype.is_floating_point:
        raise RuntimeError(f"result type {input.dtype.scalar_type} can't be cast to the desired output type "
                           f"{target.dtype.scalar_type}: the targets must be floating point (use target.float())")
    if target.dtype != input.dtype and not any_float:
        raise RuntimeError(f"Found dtype {target.dtype.scalar_type} but expected {input.dtype.scalar_type}: the "
                           f"target must have the input's dtype; use target.to(input.dtype) (e.g. target.float())")


def _check_probabilities(tensor, what, fix):
    inside = (tensor >= 0) & (tensor <= 1)
    if not bool(inside.all()):
        outside = tensor[~inside].reshape(-1)[0].item()
        raise RuntimeError(f"all elements of {what} should be between 0 and 1 (found {outside}){fix}")


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """Binary cross-entropy of probabilities ``input`` (in [0, 1]) against targets in [0, 1].

        l_i = -w_i (y_i log x_i + (1 - y_i) log(1 - x_i)),  each log clamped at -100 (as torch)

    Gradient: dl_i/dx_i = w_i (x_i - y_i) / max(x_i (1 - x_i), 1e-12);  dl_i/dy_i = w_i log((1 - x_i) / x_i).
    The clamped logs are a fused primitive (see ``minitorch/_functions/losses.py``).
    """
    reduction = _reduction.resolve(size_average, reduce, reduction)
    _check_binary_target(input, target, f"Using a target size ({target.size()}) that is different to the input "
                                        f"size ({input.size()}) is deprecated. Please ensure they have the same size.")
    check_scores(input, "binary_cross_entropy", "probabilities in [0, 1] (after a sigmoid)")
    _check_probabilities(input, "input", ": BCELoss takes probabilities. For raw scores (logits) use "
                                         "BCEWithLogitsLoss / binary_cross_entropy_with_logits, or apply sigmoid first")
    _check_probabilities(target, "target", "")
    loss = losses.binary_cross_entropy(input, target)
    if weight is not None:
        loss = loss * weight.to(input.dtype)  # the loss keeps the input's dtype, as torch
    return _reduction.apply(loss, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """Binary cross-entropy of sigmoid(input) against the targets, computed from the logits directly.

        l_i = w_i ((1 - y_i) x_i - (1 + (pos_weight - 1) y_i) log_sigmoid(x_i))

    which equals -w_i (pos_weight y_i log sigmoid(x_i) + (1 - y_i) log(1 - sigmoid(x_i))) but never
    takes the log of a sigmoid that rounded to 0 or 1 (log_sigmoid is a stable fused primitive).
    Gradient: dl_i/dx_i = w_i ((1 + (pos_weight - 1) y_i) sigmoid(x_i) - pos_weight y_i)
    (= w_i (sigmoid(x_i) - y_i) without pos_weight).
    The target may have another floating dtype than the input: the loss has the target's dtype, as
    in torch (whose kernel computes it in place in 1 - y).
    """
    reduction = _reduction.resolve(size_average, reduce, reduction)
    check_scores(input, "binary_cross_entropy_with_logits", "the model's float scores (logits)")
    _check_binary_target(input, target, f"Target size ({target.size()}) must be the same as input size "
                                        f"({input.size()})", any_float=True)
    log_sigmoid = losses.log_sigmoid(input)
    if pos_weight is not None:
        log_sigmoid = log_sigmoid * ((pos_weight - 1) * target + 1)
    loss = (1 - target) * input - log_sigmoid
    if weight is not None:
        loss = loss * weight
    return _reduction.apply(loss.to(target.dtype), reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """One binary cross-entropy per class, averaged over the C classes of each sample.

        l_n = -1/C sum_c w_c (y_nc log_sigmoid(x_nc) + (1 - y_nc) log_sigmoid(-x_nc))

    Gradient: dl_n/dx_nc = w_c (sigmoid(x_nc) - y_nc) / C.
    """
    reduction = _reduction.resolve(size_average, reduce, reduction)
    loss = -(target * losses.log_sigmoid(input) + (1 - target) * losses.log_sigmoid(-input))
    if weight is not None:
        loss = loss * weight
    loss = loss.sum(dim=input.ndim - 1) / input.shape[-1]
    return _reduction.apply(loss, reduction)
