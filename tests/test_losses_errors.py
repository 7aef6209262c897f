"""Losses given bad input: torch's exception class, a message naming what is wrong; torch's
warnings where torch only warns; and the deprecated size_average / reduce flags."""
import warnings

import numpy as np
import pytest
import torch

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from oracle import raises


def t(values, dtype=None):
    return minitorch.tensor(values, dtype=dtype)


LOGITS = minitorch.randn(3, 5)


# ----------------------------------------------------------------------------- class-index targets
@pytest.mark.parametrize("loss", [F.cross_entropy, F.nll_loss])
def test_float_class_targets_name_the_dtype(loss):
    with raises(RuntimeError, "expected target dtype to be Long or Byte, but got Float", "target.long()"):
        loss(LOGITS, t([1.0, 2.0, 3.0]))


def test_int32_targets_are_refused_as_in_torch():
    with raises(RuntimeError, "but got Int"):
        F.cross_entropy(LOGITS, t([1, 2, 3], minitorch.int32))


def test_uint8_targets_are_accepted():
    assert F.nll_loss(LOGITS, t([1, 2, 3], minitorch.uint8)).shape == ()


@pytest.mark.parametrize("bad", [5, -1, 7])
def test_class_index_out_of_range(bad):
    with raises(IndexError, f"Target {bad} is out of bounds.", "[0, 4]"):
        F.cross_entropy(LOGITS, t([1, bad, 0]))


def test_ignore_index_may_be_out_of_range():
    assert np.isfinite(F.cross_entropy(LOGITS, t([1, -100, 0])).item())


def test_batch_sizes_must_match():
    with raises(ValueError, "Expected input batch_size (3) to match target batch_size (4)."):
        F.cross_entropy(LOGITS, t([1, 2, 3, 0]))


def test_one_hot_target_for_class_indices():
    with raises(RuntimeError, "multi-target not supported", "argmax"):
        F.nll_loss(LOGITS, minitorch.zeros(3, 2, dtype=minitorch.int64))


def test_spatial_target_shape():
    with raises(RuntimeError, "Expected target size [2, 4], got [2, 5]"):
        F.nll_loss(minitorch.randn(2, 3, 4), minitorch.zeros(2, 5, dtype=minitorch.int64))


def test_unbatched_input_needs_one_target():
    with raises(ValueError, "For 1D input, 1D target must have size 1, but got target size: 2"):
        F.cross_entropy(minitorch.randn(5), t([2, 1]))


def test_class_weight_size():
    with raises(RuntimeError, "weight tensor should be defined either for all 5 classes", "[4]"):
        F.cross_entropy(LOGITS, t([1, 2, 3]), weight=minitorch.ones(4))
    with raises(RuntimeError, "cross_entropy: weight tensor should be defined either for all 5 classes"):
        F.cross_entropy(LOGITS, minitorch.ones(3, 5), weight=minitorch.ones(4))


def test_probability_targets_must_be_float():
    with raises(RuntimeError, "Expected floating point type for target with class probabilities, got Long"):
        F.cross_entropy(LOGITS, minitorch.ones(3, 5, dtype=minitorch.int64))


def test_probability_targets_refuse_ignore_index():
    with raises(RuntimeError, "ignore_index is not supported for floating point target"):
        F.cross_entropy(LOGITS, minitorch.ones(3, 5) / 5, ignore_index=1)


@pytest.mark.parametrize("smoothing", [1.1, 2.0])  # (torch takes a negative one as 0: test_losses_audit.py)
def test_label_smoothing_range(smoothing):
    with raises(RuntimeError, f"label_smoothing must be between 0.0 and 1.0. Got: {smoothing}"):
        F.cross_entropy(LOGITS, t([1, 2, 3]), label_smoothing=smoothing)


@pytest.mark.filterwarnings("ignore:invalid value encountered")  # 0 / 0, as torch
def test_all_targets_ignored_gives_nan_like_torch():
    assert np.isnan(F.nll_loss(LOGITS, t([-100, -100, -100])).item())


# ----------------------------------------------------------------------------- binary targets
def test_bce_needs_probabilities():
    with raises(RuntimeError, "all elements of input should be between 0 and 1", "1.5", "BCEWithLogitsLoss"):
        F.binary_cross_entropy(t([1.5, 0.2]), t([1.0, 0.0]))
    with raises(RuntimeError, "all elements of target should be between 0 and 1"):
        F.binary_cross_entropy(t([0.5, 0.2]), t([2.0, 0.0]))


def test_bce_target_shape_and_dtype():
    with raises(ValueError, "Using a target size (torch.Size([1, 2])) that is different to the input size "
                            "(torch.Size([2]))"):
        F.binary_cross_entropy(t([0.5, 0.2]), t([[1.0, 0.0]]))
    with raises(RuntimeError, "Found dtype Long but expected Float", "target.float()"):
        nn.BCELoss()(t([0.5, 0.2]), t([1, 0]))
    with raises(ValueError, "Target size (torch.Size([1, 2])) must be the same as input size (torch.Size([2]))"):
        nn.BCEWithLogitsLoss()(t([0.5, 0.2]), t([[1.0, 0.0]]))


def test_bce_weight_must_broadcast():
    with raises(RuntimeError, "must match"):
        F.binary_cross_entropy(minitorch.rand(3, 2), minitorch.rand(3, 2), weight=minitorch.rand(3))


# ----------------------------------------------------------------------------- elementwise losses
@pytest.mark.parametrize("loss", [F.mse_loss, F.l1_loss, F.smooth_l1_loss, F.huber_loss])
def test_target_that_broadcasts_warns_with_the_fix(loss):
    with pytest.warns(UserWarning, match=r"Using a target size \(torch.Size\(\[4, 1\]\)\) that is different to "
                                         r"the input size \(torch.Size\(\[4\]\)\)") as record:
        loss(minitorch.randn(4), minitorch.randn(4, 1))
    assert "view_as(input)" in str(record[0].message)


def test_target_that_cannot_broadcast():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with raises(RuntimeError, "must match the size of tensor b"):
            F.mse_loss(minitorch.randn(4), minitorch.randn(3))


def test_integer_predictions():
    with raises(NotImplementedError, "not implemented for 'Long'", "input.float()"):
        F.mse_loss(t([1, 2]), t([1, 0]))


def test_elementwise_weight_shape():
    with raises(ValueError, "Weights and input must have the same size.", "[2]", "[3, 2]"):
        F.mse_loss(minitorch.rand(3, 2), minitorch.rand(3, 2), weight=minitorch.rand(2))


def test_beta_and_delta_ranges():
    with raises(RuntimeError, "smooth_l1_loss does not support negative values for beta."):
        F.smooth_l1_loss(minitorch.randn(3), minitorch.randn(3), beta=-1)
    with raises(RuntimeError, "huber_loss does not support non-positive values for delta."):
        nn.HuberLoss(delta=0)(minitorch.randn(3), minitorch.randn(3))


def test_gaussian_variance_checks():
    x = minitorch.randn(3, 5)
    with raises(ValueError, "var has negative entry/entries"):
        F.gaussian_nll_loss(x, x, -minitorch.ones(3, 5))
    with raises(ValueError, "var is of incorrect size", "[3, 4]", "[3, 5]"):
        F.gaussian_nll_loss(x, x, minitorch.ones(3, 4))
    with raises(ValueError, "x is not valid"):
        nn.GaussianNLLLoss(reduction="x")(x, x, minitorch.ones(3, 5))


@pytest.mark.parametrize("loss", [F.mse_loss, F.poisson_nll_loss, F.kl_div, F.soft_margin_loss])
def test_unknown_reduction(loss):
    with raises(ValueError, "avg is not a valid value for reduction"):
        loss(minitorch.rand(3), minitorch.rand(3), reduction="avg")


def test_kl_div_mean_warns_like_torch():
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        F.kl_div(minitorch.randn(3, 2), minitorch.rand(3, 2))


# ----------------------------------------------------------------------------- margin losses
def test_multi_margin_checks():
    x = minitorch.randn(3, 5)
    with raises(ValueError, "only p == 1 and p == 2 supported"):
        F.multi_margin_loss(x, t([1, 2, 3]), p=3)
    with raises(ValueError, "only p == 1 and p == 2 supported"):
        nn.MultiMarginLoss(p=3)
    with raises(RuntimeError, "target out of range", "5"):
        F.multi_margin_loss(x, t([1, 2, 5]))
    with raises(RuntimeError, "Expected target size [3], but got [2]. Input has shape [3, 5]."):
        F.multi_margin_loss(x, t([1, 2]))
    with raises(RuntimeError, "expected scalar type Long but found Float"):
        F.multi_margin_loss(x, t([1.0, 2.0, 3.0]))
    with raises(RuntimeError, "Expected non-empty vector or matrix", "[2, 3, 4]"):
        F.multi_margin_loss(minitorch.randn(2, 3, 4), t([1, 2]))


def test_multilabel_margin_checks():
    x = minitorch.randn(3, 5)
    with raises(RuntimeError, "argument #2 'target' is out of range", "found 5"):
        F.multilabel_margin_loss(x, t([[1, 2, 5, -1, 0]] * 3))
    with raises(RuntimeError, "inconsistent target size: [3, 3] for input of size: [3, 5]"):
        F.multilabel_margin_loss(x, t([[1, 2, 3]] * 3))
    with raises(RuntimeError, "expected scalar type Long but found Float"):
        F.multilabel_margin_loss(x, minitorch.ones(3, 5))


def test_pair_losses_check_dimensions():
    x = minitorch.randn(3, 5)
    with raises(RuntimeError, "0D or 1D target tensor expected"):
        F.cosine_embedding_loss(x, x, minitorch.ones(3, 1))
    with raises(RuntimeError, "1D target tensor expects 2D input tensors", "[5] and [5]"):
        F.cosine_embedding_loss(minitorch.randn(5), minitorch.randn(5), minitorch.ones(3))
    with raises(RuntimeError, "All input tensors should have same dimension", "torch.Size([3, 1])"):
        F.margin_ranking_loss(minitorch.randn(3), minitorch.randn(3), minitorch.ones(3, 1))


@pytest.mark.parametrize("loss", [F.triplet_margin_loss, F.triplet_margin_with_distance_loss])
def test_triplet_checks(loss):
    x = minitorch.randn(3, 5)
    with raises(ValueError, "margin must be greater than 0, got 0"):
        loss(x, x, x, margin=0)
    with raises(RuntimeError, "anchor 2D, positive 2D, and negative 1D inputs"):
        loss(x, x, x[0])


def test_triplet_modules_check_margin():
    with raises(ValueError, "expected margin to be greater than 0, got -1"):
        nn.TripletMarginLoss(margin=-1)
    with raises(ValueError, "expected margin to be greater than 0, got 0"):
        nn.TripletMarginWithDistanceLoss(margin=0)


# ----------------------------------------------------------------------------- CTC
def _ctc(**changes):
    args = dict(log_probs=minitorch.randn(5, 2, 4).log_softmax(2), targets=t([[1, 2], [1, 1]]),
                input_lengths=t([5, 5]), target_lengths=t([2, 2]))
    args.update(changes)
    return F.ctc_loss(**args)


def test_ctc_checks():
    with raises(RuntimeError, "Expected input_lengths to have value at most 5", "6"):
        _ctc(input_lengths=t([6, 5]))
    with raises(RuntimeError, "Expected tensor to have size at least 3 at dimension 1, but got size 2"):
        _ctc(target_lengths=t([3, 2]))
    with raises(RuntimeError, "input_lengths must be of size batch_size"):
        _ctc(input_lengths=t([5, 5, 5]))
    with raises(RuntimeError, "blank must be in label range"):
        _ctc(blank=4)
    with raises(RuntimeError, "target label 7 is not allowed"):
        _ctc(targets=t([[1, 7], [1, 1]]))
    with raises(RuntimeError, "ctc_loss expects log_probs of shape (T, N, C) or (T, C)"):
        _ctc(log_probs=minitorch.randn(5))


def test_ctc_accepts_lists_and_unbatched_input():
    lp = np.random.default_rng(0).standard_normal((5, 4))
    mine = F.ctc_loss(minitorch.tensor(lp).log_softmax(1), t([1, 2]), 5, 2)
    theirs = torch.nn.functional.ctc_loss(torch.tensor(lp).log_softmax(1), torch.tensor([1, 2]), torch.tensor(5),
                                          torch.tensor(2))
    np.testing.assert_allclose(mine.item(), theirs.item(), rtol=1e-10)
    assert _ctc(input_lengths=[5, 4], target_lengths=(2, 1)).shape == ()


def test_ctc_has_no_second_derivative():
    lp = minitorch.randn(5, 2, 4, requires_grad=True)
    loss = _ctc(log_probs=lp.log_softmax(2))
    grad, = minitorch.autograd.grad(loss, lp, create_graph=True)
    with raises(RuntimeError, "ctc_loss can be differentiated once, not twice"):
        grad.sum().backward()


# ----------------------------------------------------------------------------- legacy flags
@pytest.mark.parametrize("size_average,reduce,expected", [(None, False, "none"), (False, None, "sum"),
                                                          (True, True, "mean"), (False, False, "none")])
def test_legacy_flags_map_to_reduction_with_a_warning(size_average, reduce, expected):
    x, y = minitorch.randn(3, 4), minitorch.randn(3, 4)
    with pytest.warns(UserWarning, match=f"please use reduction='{expected}' instead"):
        old = F.mse_loss(x, y, size_average=size_average, reduce=reduce)
    np.testing.assert_array_equal(old.numpy(), F.mse_loss(x, y, reduction=expected).numpy())
    with pytest.warns(UserWarning, match=f"reduction='{expected}'"):
        module = nn.CrossEntropyLoss(size_average=size_average, reduce=reduce)
    assert module.reduction == expected


def test_elementwise_mean_is_a_deprecated_mean():
    x, y = minitorch.randn(3), minitorch.randn(3)
    with pytest.warns(UserWarning, match="elementwise_mean"):
        assert F.l1_loss(x, y, reduction="elementwise_mean").item() == F.l1_loss(x, y).item()


def test_nll_loss_2d_is_deprecated():
    with pytest.warns(FutureWarning, match="NLLLoss2d"):
        loss = nn.NLLLoss2d()
    x = minitorch.randn(2, 3, 4, 4).log_softmax(1)
    target = minitorch.randint(0, 3, (2, 4, 4))
    assert loss(x, target).item() == F.nll_loss(x, target).item()


def test_class_weight_cannot_require_grad_as_in_torch():
    weight = minitorch.rand(5, requires_grad=True)
    with raises(RuntimeError, "not differentiable with respect to argument 'weight'", "weight.detach()"):
        F.cross_entropy(LOGITS, t([1, 2, 3]), weight=weight)


@pytest.mark.parametrize("shapes", [((4,), (4, 1)), ((4, 1), (4,))])
def test_soft_margin_target_that_would_broadcast_past_the_input_raises_as_torch(shapes):
    (input_shape, target_shape) = shapes
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        torch.nn.functional.soft_margin_loss(torch.ones(*input_shape), torch.ones(*target_shape))
    with raises(RuntimeError, "doesn't match the broadcast shape [4, 4]", str(list(target_shape))):
        F.soft_margin_loss(minitorch.ones(*input_shape), minitorch.ones(*target_shape))


@pytest.mark.parametrize("dtypes", [("float32", "float64"), ("float64", "float32")])
@pytest.mark.parametrize("weights", [{}, {"pos_weight": [2.0]}, {"weight": [0.5, 1.0, 2.0]}])
def test_bce_with_logits_takes_a_target_of_another_float_dtype_as_torch(dtypes, weights):
    """torch computes the loss in place in 1 - target: it has the target's dtype (labels from numpy are float64)."""
    x, y = np.array([0.3, -1.2, 2.0]), np.array([0.0, 1.0, 1.0])
    results = {}
    for lib in (torch, minitorch):
        input = lib.tensor(x, dtype=getattr(lib, dtypes[0]), requires_grad=True)
        extra = {key: lib.tensor(value, dtype=lib.float64) for key, value in weights.items()}
        loss = lib.nn.functional.binary_cross_entropy_with_logits(input, lib.tensor(y, dtype=getattr(lib, dtypes[1])),
                                                                  **extra)
        loss.backward()
        results[lib] = (str(loss.dtype), loss.item(), str(input.grad.dtype), input.grad.tolist())
    assert results[minitorch][0] == results[torch][0] and results[minitorch][2] == results[torch][2]
    np.testing.assert_allclose(results[minitorch][1], results[torch][1], rtol=1e-6)
    np.testing.assert_allclose(results[minitorch][3], results[torch][3], rtol=1e-6)


def test_bce_with_logits_refuses_integer_targets_as_torch():
    with pytest.raises(RuntimeError, match="can't be cast"):
        torch.nn.functional.binary_cross_entropy_with_logits(torch.zeros(2), torch.tensor([0, 1]))
    with raises(RuntimeError, "can't be cast", "Long", "target.float()"):
        F.binary_cross_entropy_with_logits(minitorch.zeros(2), minitorch.tensor([0, 1]))


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_integer_scores_are_refused_as_in_torch(name):
    """Integer scores usually mean the labels were passed as the input."""
    with pytest.raises(NotImplementedError):
        getattr(torch.nn.functional, name)(torch.tensor([[1, 2]]), torch.tensor([0]))
    with raises(NotImplementedError, "Long", "input.float()"):
        getattr(F, name)(minitorch.tensor([[1, 2]]), minitorch.tensor([0]))


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_class_weights_of_another_dtype_are_refused_as_in_torch(name):
    for lib in (torch, minitorch):
        with raises(RuntimeError, "expected scalar type Float but found Double"):
            getattr(lib.nn.functional, name)(lib.zeros(3, 2), lib.tensor([0, 1, 1]),
                                             weight=lib.tensor([1.0, 2.0], dtype=lib.float64))


def test_kl_div_refuses_integer_targets_as_torch():
    for lib in (torch, minitorch):
        with raises(RuntimeError, "kl_div: Integral inputs not supported"):
            lib.nn.functional.kl_div(lib.zeros(3), lib.tensor([0, 1, 1]), reduction="batchmean")
