"""Every loss of torch.nn.functional, one family per file:

    loss_regression.py      l1, mse, huber, smooth_l1, poisson_nll, gaussian_nll, kl_div
    loss_classification.py  nll, cross_entropy, binary_cross_entropy(_with_logits), multilabel_soft_margin
    loss_ranking.py         margin_ranking, hinge_embedding, soft_margin, cosine_embedding, multi_margin,
                            multilabel_margin, triplet_margin(_with_distance) (distances: distance.py)
    loss_sequence.py        ctc_loss

``reduction=`` ('none' | 'mean' | 'sum') and the deprecated ``size_average``/``reduce`` flags are
handled in ``minitorch/nn/_reduction.py``.
"""
from .loss_classification import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy,
                                  multilabel_soft_margin_loss, nll_loss)
from .loss_ranking import (cosine_embedding_loss, hinge_embedding_loss, margin_ranking_loss, multi_margin_loss,
                           multilabel_margin_loss, soft_margin_loss, triplet_margin_loss,
                           triplet_margin_with_distance_loss)
from .loss_regression import (gaussian_nll_loss, huber_loss, kl_div, l1_loss, mse_loss, poisson_nll_loss,
                              smooth_l1_loss)
from .loss_sequence import ctc_loss

__all__ = ["l1_loss", "mse_loss", "huber_loss", "smooth_l1_loss", "poisson_nll_loss", "gaussian_nll_loss", "kl_div",
           "nll_loss", "cross_entropy", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "multilabel_soft_margin_loss", "margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss",
           "cosine_embedding_loss", "multi_margin_loss", "multilabel_margin_loss", "triplet_margin_loss",
           "triplet_margin_with_distance_loss", "ctc_loss"]
