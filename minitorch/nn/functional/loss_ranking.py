"""Margin and ranking losses: a penalty max(0, margin - score) whenever the right answer does not
win by at least a margin (hinge losses), or its smooth version log(1 + e^-score).

All are composed from Tensor ops (clamp, gather, where, vector norms), so autograd provides the
gradients; each docstring gives the value and the gradient that results. Exactly at a hinge's
corner, clamp(min=0) passes the gradient and relu does not, as in torch's kernels.
"""
from ... import _creation, _dtype
from ..._functions import losses
from ..._functions._operands import broadcast_shapes
from ..._functions.elementwise import minimum, where
from .. import _reduction
from .distance import pairwise_distance
from .loss_classification import check_class_weight, check_constant, check_scores

__all__ = ["margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss", "cosine_embedding_loss",
           "multi_margin_loss", "multilabel_margin_loss", "triplet_margin_loss",
           "triplet_margin_with_distance_loss"]

COSINE_EPSILON = 1e-12  # torch's: keeps |x|^2 |y|^2 off 0 for zero vectors


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    """Should input1 rank above input2 (target 1) or below (target -1)?

        l_i = max(0, -y_i (x1_i - x2_i) + margin)

    Gradient: dl_i/dx1_i = -y_i and dl_i/dx2_i = y_i where the hinge is active (>= 0), else 0.
    """
    reduction = _reduction.resolve(size_average, reduce, reduction)
    if not input1.ndim == input2.ndim == target.ndim:
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} ")
    loss = (-target * (input1 - input2) + margin).clamp(min=0)
    return _reduction.apply(loss, reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"):
    """For distances x with labels y = 1 (similar) or -1 (dissimilar):

        l_i = x_i                    if y_i = 1
              max(0, margin - x_i)   if y_i = -1

    Gradient: 1 for similar pairs; -1 for dissimilar pairs inside the margin, else 0.
    """
    reduction = _reduction.resolve(size_average, reduce, reduction)
    hinge = where(target != 1, (margin - input).clamp(min=0), 0.0)
    loss = hinge + where(target != -1, input, 0.0)
    return _reduction.apply(loss, reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Two-class logistic loss for labels y = +-1:  l_i = log(1 + exp(-y_i x_i)) = -log_sigmoid(y_i x_i).

    Computed with the stable log_sigmoid primitive. Gradient: dl_i/dx_i = -y_i sigmoid(-y_i x_i).
    """
    reduction = _reduction.resolve(size_average, reduce, reduction)
    check_constant(target, "soft_margin_loss", "target")
    broadcast = broadcast_shapes(input.shape, target.shape)
    if broadcast != tuple(input.shape):  # torch writes the loss into a tensor of the input's shape
        raise RuntimeError(f"output with shape {list(input.shape)} doesn't match the broadcast shape {list(broadcast)} "
                           f"(the target {list(target.shape)} must broadcast to the input's shape: one label per "
                           "score; reshape it, e.g. target.view_as(input))")
    loss = -losses.log_sigmoid(target * input)
    if input.dtype.is_floating_point:  # written into a tensor of the input's dtype, as torch
        loss = loss.to(input.dtype)
    return _reduction.apply(loss, reduction)


def _check_cosine_shapes(input1, input2, target):
    if target.ndim not in (0, 1):
        raise RuntimeError(f"0D or 1D target tensor expected, multi-target not supported (got target of shape "
                           f"{list(target.shape)}: one +1/-1 label per pair of vectors)")
    if target.ndim == 1 and not input1.ndim == input2.ndim == 2:
        raise RuntimeError(f"1D target tensor expects 2D input tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")
    if target.ndim == 0 and not input1.ndim == input2.ndim == 1:
        raise RuntimeError(f"0D target tensor expects 1D input tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    """Pull similar pairs (y = 1) to cosine 1, push dissimilar pairs (y = -1) below cosine ``margin``.

        cos_i = x1_i . x2_i / sqrt((|x1_i|^2 + 1e-12)(|x2_i|^2 + 1e-12))
        l_i   = 1 - cos_i              if y_i = 1
                max(0, cos_i - margin) if y_i = -1

    Gradient: dcos/dx1 = x2 / (|x1| |x2|) - cos x1 / |x1|^2 (and symmetrically), times -1 or 1.
    """
    reduction = _reduction.resolve(size_average, reduce, reduction)
    _check_cosine_shapes(input1, input2, target)
    dim = target.ndim
    dot = (input1 * input2).sum(dim)
    squared_norms = ((input1 * input1).sum(dim) + COSINE_EPSILON) * ((input2 * input2).sum(dim) + COSINE_EPSILON)
    cosine = dot / squared_norms.sqrt()
    loss = where(target == 1, 1 - cosine, 0.0) + where(target == -1, (cosine - margin).clamp(min=0), 0.0)
    return _reduction.apply(loss, reduction)


def _check_multiclass(input, target, name):
    """Float scores of shape (C) or (N, C) with C > 0 (N may be 0), int64 class indices."""
    check_scores(input, name)
    if target.dtype != _dtype.int64:
        raise RuntimeError(f"expected scalar type Long but found {target.dtype.scalar_type} (the target holds "
                           "class indices: use target.long())")
    if input.ndim > 2 or (input.ndim and input.shape[-1] == 0):
        raise RuntimeError(f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
                           f"{list(input.shape)}")


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                      reduction="mean"):
    """Multi-class hinge loss: every wrong class should score at least ``margin`` below the right one.

        l_n = 1/C sum_{i != y_n} w[y_n] max(0, margin - x_n[y_n] + x_n[i])^p        (p = 1 or 2)

    Gradient, with z_i = margin - x[y] + x[i]: dl/dx_i = w[y] p z_i^(p-1) / C for i != y with z_i > 0,
    and dl/dx_y = minus the sum of those.
    """
    reduction = _reduction.resolve(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError(f"only p == 1 and p == 2 supported (got p={p})")
    if weight is not None and weight.ndim != 1:
        raise ValueError(f"weight must be one-dimensional, got shape {list(weight.shape)} (one weight per class)")
    _check_multiclass(input, target, "multi_margin_loss")
    scores = input.reshape(1, -1) if input.ndim < 2 else input
    n, n_classes = scores.shape
    check_class_weight(weight, n_classes, input.dtype)
    check_constant(weight, "multi_margin_loss", "weight")
    if target.numel() != n or target.ndim > 1 or (input.ndim == 2 and target.ndim != 1):
        raise RuntimeError(f"multi_margin_loss: target tensor should be 1-D with size equal to the number of input "
                           f"samples (batch size). Expected target size [{n}], but got {list(target.shape)}. "
                           f"Input has shape {list(input.shape)}.")
    target = target.reshape(n)
    if bool(((target < 0) | (target >= n_classes)).any()):
        bad = target[(target < 0) | (target >= n_classes)].reshape(-1)[0].item()
        raise RuntimeError(f"target out of range: found {bad}, but the targets must be class indices in "
                           f"[0, {n_classes - 1}]")
    right = scores.gather(1, target.unsqueeze(1))
    hinge = (margin - right + scores).relu()
    if p == 2:
        hinge = hinge * hinge
    is_target = target.unsqueeze(1) == _creation.arange(n_classes, device=input.device)
    hinge = hinge.masked_fill(is_target, 0)
    if weight is not None:
        hinge = hinge * weight[target].unsqueeze(1)
    loss = hinge.sum(1) / n_classes
    if input.ndim < 2:
        loss = loss.reshape(())
    return _reduction.apply(loss, reduction)


def _multilabel_targets(target, n_classes):
    """Which target slots count (those before the first -1), and which classes are targets. Every
    entry, even one after the -1, must be -1 or a class index (torch checks them all)."""
    outside = (target < -1) | (target >= n_classes)
    if bool(outside.any()):
        bad = target[outside].reshape(-1)[0].item()
        raise RuntimeError(f"argument #2 'target' is out of range: found {bad}, but class indices must be in "
                           f"[0, {n_classes - 1}], with -1 marking the end of each sample's targets")
    valid = (target < 0).long().cumsum(-1) == 0
    safe = target.masked_fill(~valid, 0)
    classes = _creation.arange(n_classes, device=target.device)
    one_hot = (safe.unsqueeze(-1) == classes) & valid.unsqueeze(-1)
    return valid, safe, one_hot.any(-2)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Multi-label hinge loss. ``target`` lists each sample's classes, ended by -1 (e.g. [3, 0, -1, 1]
    means classes 3 and 0). Every target class j should beat every non-target class i by 1:

        l_n = 1/C sum_{j in targets} sum_{i not in targets} max(0, 1 - (x_n[j] - x_n[i]))

    Gradient: each active pair adds -1/C to dl/dx[j] and +1/C to dl/dx[i].
    """
    reduction = _reduction.resolve(size_average, reduce, reduction)
    _check_multiclass(input, target, "multilabel_margin_loss")
    if target.shape != input.shape:
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: {list(input.shape)} "
                           "(the target has the input's shape: class indices padded with -1)")
    scores = input.reshape(1, -1) if input.ndim < 2 else input
    labels = target.reshape(scores.shape)
    valid, safe, is_target = _multilabel_targets(labels, scores.shape[1])
    right = scores.gather(1, safe)
    hinge = (1 - right.unsqueeze(2) + scores.unsqueeze(1)).relu()
    counted = valid.unsqueeze(2) & ~is_target.unsqueeze(1)
    loss = where(counted, hinge, 0.0).sum((1, 2)) / scores.shape[1]
    if input.ndim < 2:
        loss = loss.reshape(())
    return _reduction.apply(loss, reduction)


def _check_triplet(anchor, positive, negative, margin):
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {anchor.ndim}D, positive {positive.ndim}D, and negative "
                           f"{negative.ndim}D inputs")


def _triplet(distance, anchor, positive, negative, margin, swap, reduction):
    to_positive = distance(anchor, positive)
    to_negative = distance(anchor, negative)
    if swap:
        to_negative = minimum(to_negative, distance(positive, negative))
    return _reduction.apply((margin + to_positive - to_negative).clamp(min=0), reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction="mean"):
    """The anchor should be closer to the positive than to the negative, by ``margin``:

        l_i = max(0, d(a_i, p_i) - d(a_i, n_i) + margin),   d(x, y) = ||x - y + eps||_p

    ``swap`` uses min(d(a, n), d(p, n)) as the negative distance (Balntas et al., 2016).
    Gradient (p = 2, active hinge): dl/da = (a - p)/d(a, p) - (a - n)/d(a, n), dl/dp = -(a - p)/d(a, p),
    dl/dn = (a - n)/d(a, n).
    """
    reduction = _reduction.resolve(size_average, reduce, reduction)
    _check_triplet(anchor, positive, negative, margin)
    distance = lambda x, y: pairwise_distance(x, y, p, eps)  # noqa: E731
    return _triplet(distance, anchor, positive, negative, margin, swap, reduction)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None, margin=1.0,
                                      swap=False, reduction="mean"):
    """triplet_margin_loss with any ``distance_function(x, y)`` (default: pairwise_distance, p = 2).

        l_i = max(0, d(a_i, p_i) - d(a_i, n_i) + margin)

    Gradient: dl/dd(a, p) = 1 and dl/dd(a, n) = -1 where the hinge is active, then through d by autograd.
    """
    if reduction not in _reduction.REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    _check_triplet(anchor, positive, negative, margin)
    distance = pairwise_distance if distance_function is None else distance_function
    return _triplet(distance, anchor, positive, negative, margin, swap, reduction)
