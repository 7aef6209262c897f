"""Every loss of torch.nn as a Module: the constructor stores the options, ``forward`` calls the
functional form in ``minitorch/nn/functional/loss*.py`` (where the formulas and gradients are).

    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    loss = criterion(logits, target)

Class weights (``weight``, ``pos_weight``) are buffers, as in torch: they move with ``.to()``
and appear in ``state_dict()``.
"""
import inspect
import warnings

from .. import _reduction
from ..functional import loss as F
from .distance import PairwiseDistance
from .module import Module

__all__ = ["L1Loss", "NLLLoss", "NLLLoss2d", "PoissonNLLLoss", "GaussianNLLLoss", "KLDivLoss", "MSELoss", "BCELoss",
           "BCEWithLogitsLoss", "HingeEmbeddingLoss", "MultiLabelMarginLoss", "SmoothL1Loss", "HuberLoss",
           "SoftMarginLoss", "CrossEntropyLoss", "MultiLabelSoftMarginLoss", "CosineEmbeddingLoss",
           "MarginRankingLoss", "MultiMarginLoss", "TripletMarginLoss", "TripletMarginWithDistanceLoss", "CTCLoss"]


def _formula_from(function):
    """Class decorator: the class docstring, followed by its functional form's (formula and gradient)."""
    def decorate(cls):
        cls.__doc__ = f"{inspect.cleandoc(cls.__doc__)}\n\nSee ``F.{function.__name__}``:\n\n" \
                      f"{inspect.cleandoc(function.__doc__)}"
        return cls
    return decorate


class _Loss(Module):
    """Base of the losses: holds ``reduction`` ('none' | 'mean' | 'sum'), mapping the deprecated
    ``size_average`` / ``reduce`` flags onto it with torch's warning."""

    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        if size_average is not None or reduce is not None:
            self.reduction = _reduction.legacy_get_string(size_average, reduce)
        else:
            self.reduction = reduction


class _WeightedLoss(_Loss):
    """A loss with a per-class ``weight`` buffer."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


@_formula_from(F.l1_loss)
class L1Loss(_Loss):
    """Mean absolute error between input and target."""

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


@_formula_from(F.mse_loss)
class MSELoss(_Loss):
    """Mean squared error between input and target."""

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


@_formula_from(F.nll_loss)
class NLLLoss(_WeightedLoss):
    """Negative log likelihood of the target class, for log-probability inputs (e.g. after LogSoftmax)."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class NLLLoss2d(NLLLoss):
    """NLLLoss for (N, C, H, W) inputs: the same as NLLLoss, kept for old code (torch deprecates it)."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
        warnings.warn("`NLLLoss2d` has been deprecated. Please use `NLLLoss` instead as a drop-in replacement "
                      "(it accepts (N, C, d1, ..., dK) inputs).", FutureWarning, stacklevel=2)
        super().__init__(weight, size_average, ignore_index, reduce, reduction)


@_formula_from(F.cross_entropy)
class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy between softmax(logits) and class-index or class-probability targets."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                 label_smoothing=0.0):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


@_formula_from(F.poisson_nll_loss)
class PoissonNLLLoss(_Loss):
    """Negative log likelihood of counts under a Poisson distribution."""

    def __init__(self, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.log_input = log_input
        self.full = full
        self.eps = eps

    def forward(self, log_input, target):
        return F.poisson_nll_loss(log_input, target, log_input=self.log_input, full=self.full, eps=self.eps,
                                  reduction=self.reduction)


@_formula_from(F.gaussian_nll_loss)
class GaussianNLLLoss(_Loss):
    """Negative log likelihood of targets under Gaussians with predicted means and variances."""

    def __init__(self, *, full=False, eps=1e-6, reduction="mean"):
        super().__init__(None, None, reduction)
        self.full = full
        self.eps = eps

    def forward(self, input, target, var):
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps, reduction=self.reduction)


@_formula_from(F.kl_div)
class KLDivLoss(_Loss):
    """Kullback-Leibler divergence of the target from the predicted distribution (input: log-probabilities)."""

    def __init__(self, size_average=None, reduce=None, reduction="mean", log_target=False):
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input, target):
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


@_formula_from(F.binary_cross_entropy)
class BCELoss(_WeightedLoss):
    """Binary cross-entropy for probabilities (after a Sigmoid)."""

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


@_formula_from(F.binary_cross_entropy_with_logits)
class BCEWithLogitsLoss(_Loss):
    """Sigmoid and binary cross-entropy in one stable step, for raw scores (logits)."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight, pos_weight=self.pos_weight,
                                                  reduction=self.reduction)


@_formula_from(F.huber_loss)
class HuberLoss(_Loss):
    """Squared error for small errors, absolute error (times delta) for large ones."""

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(None, None, reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


@_formula_from(F.smooth_l1_loss)
class SmoothL1Loss(_Loss):
    """Squared error (divided by beta) for errors below beta, absolute error above."""

    def __init__(self, size_average=None, reduce=None, reduction="mean", beta=1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


@_formula_from(F.soft_margin_loss)
class SoftMarginLoss(_Loss):
    """Logistic loss for labels +1 / -1."""

    def forward(self, input, target):
        return F.soft_margin_loss(input, target, reduction=self.reduction)


@_formula_from(F.multilabel_soft_margin_loss)
class MultiLabelSoftMarginLoss(_WeightedLoss):
    """One binary cross-entropy (on logits) per class, averaged over the classes."""

    def forward(self, input, target):
        return F.multilabel_soft_margin_loss(input, target, weight=self.weight, reduction=self.reduction)


@_formula_from(F.hinge_embedding_loss)
class HingeEmbeddingLoss(_Loss):
    """Distances of similar pairs (1) pulled down, of dissimilar pairs (-1) pushed above a margin."""

    def __init__(self, margin=1.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input, target):
        return F.hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


@_formula_from(F.multilabel_margin_loss)
class MultiLabelMarginLoss(_Loss):
    """Multi-label hinge loss: each target class must beat each other class by 1."""

    def forward(self, input, target):
        return F.multilabel_margin_loss(input, target, reduction=self.reduction)


@_formula_from(F.cosine_embedding_loss)
class CosineEmbeddingLoss(_Loss):
    """Cosine similarity pulled to 1 for similar pairs, pushed below a margin for dissimilar ones."""

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.cosine_embedding_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


@_formula_from(F.margin_ranking_loss)
class MarginRankingLoss(_Loss):
    """Should input1 rank above (1) or below (-1) input2, by a margin?"""

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.margin_ranking_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


@_formula_from(F.multi_margin_loss)
class MultiMarginLoss(_WeightedLoss):
    """Multi-class hinge loss: the right class must beat each wrong class by a margin."""

    def __init__(self, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        if p not in (1, 2):
            raise ValueError(f"only p == 1 and p == 2 supported (got p={p})")
        if weight is not None and weight.ndim != 1:
            raise ValueError(f"MultiMarginLoss: expected weight to be None or 1D tensor, got {weight.ndim}D instead")
        self.p = p
        self.margin = margin

    def forward(self, input, target):
        return F.multi_margin_loss(input, target, p=self.p, margin=self.margin, weight=self.weight,
                                   reduction=self.reduction)


@_formula_from(F.triplet_margin_loss)
class TripletMarginLoss(_Loss):
    """The anchor must be closer to the positive than to the negative, by a margin (p-norm distances)."""

    def __init__(self, margin=1.0, p=2.0, eps=1e-6, swap=False, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginLoss: expected margin to be greater than 0, got {margin} instead")
        self.margin = margin
        self.p = p
        self.eps = eps
        self.swap = swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_loss(anchor, positive, negative, margin=self.margin, p=self.p, eps=self.eps,
                                     swap=self.swap, reduction=self.reduction)


@_formula_from(F.triplet_margin_with_distance_loss)
class TripletMarginWithDistanceLoss(_Loss):
    """TripletMarginLoss with any distance function (default: a PairwiseDistance module, as torch)."""

    def __init__(self, *, distance_function=None, margin=1.0, swap=False, reduction="mean"):
        super().__init__(None, None, reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, got {margin} "
                             "instead")
        self.distance_function = distance_function if distance_function is not None else PairwiseDistance()
        self.margin = margin
        self.swap = swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_with_distance_loss(anchor, positive, negative,
                                                   distance_function=self.distance_function, margin=self.margin,
                                                   swap=self.swap, reduction=self.reduction)


@_formula_from(F.ctc_loss)
class CTCLoss(_Loss):
    """Connectionist Temporal Classification loss, for unaligned sequence targets."""

    def __init__(self, blank=0, reduction="mean", zero_infinity=False):
        super().__init__(None, None, reduction)
        self.blank = blank
        self.zero_infinity = zero_infinity

    def forward(self, log_probs, targets, input_lengths, target_lengths):
        return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank, self.reduction,
                          self.zero_infinity)
