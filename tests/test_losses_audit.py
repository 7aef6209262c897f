"""Regression tests from an audit of every loss against torch: the corners where minitorch gave
another value, gradient, dtype or exception than torch (torch is the oracle in each)."""
import numpy as np
import pytest
import torch

import minitorch
from oracle import arrays, check

pytestmark = pytest.mark.filterwarnings("ignore:reduction. 'mean' divides", "ignore:size_average and reduce")


def same_exception(fn, *arrays_):
    """fn(lib, *tensors) raises the same exception class in torch and in minitorch; returns minitorch's."""
    errors = []
    for lib in (torch, minitorch):
        with pytest.raises(Exception) as info:
            fn(lib, *[lib.tensor(a) for a in arrays_])
        errors.append(info.value)
    assert type(errors[1]) is type(errors[0]), f"torch: {errors[0]!r}, minitorch: {errors[1]!r}"
    return errors[1]


# ----------------------------------------------------------------------------- every target ignored
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("shape", [(5,), (3, 5), (2, 5, 3)])
def test_every_target_ignored_gives_nan_and_zero_gradient(shape, weighted, smoothing):
    """'mean' over no targets is 0 / 0 = nan, but the gradient is 0 (torch's kernel skips ignored targets)."""
    target = np.full(shape[:1] + shape[2:] if len(shape) > 1 else (), 2)
    weight = np.linspace(0.5, 2.0, 5)

    def loss(lib, x):
        w = lib.tensor(weight) if weighted else None
        ce = lib.nn.functional.cross_entropy(x, lib.tensor(target), w, ignore_index=2, label_smoothing=smoothing)
        return ce + lib.nn.functional.nll_loss(x, lib.tensor(target), w, ignore_index=2)
    out = check(loss, arrays(shape))
    assert np.isnan(out[0].item())


# ----------------------------------------------------------------------------- binary cross-entropy
def test_bce_target_gradient_is_torchs_unclamped_minus_logit():
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.3])
    check(lambda lib, p, y: lib.nn.functional.binary_cross_entropy(p.detach(), y, reduction="none"),
          p, np.array([0.0, 1.0, 1.0, 0.0, 0.5]))


def test_bce_keeps_the_input_dtype_with_a_float64_weight():
    check(lambda lib, p, y: lib.nn.functional.binary_cross_entropy(p, y, lib.ones(4, dtype=lib.float64)),
          arrays(4, np.float32, low=0.1, high=0.9), arrays(4, np.float32, seed=1, low=0, high=1))


@pytest.mark.parametrize("target", [np.array([0, 1]), np.array([0.0, 1.0])])
@pytest.mark.parametrize("name", ["binary_cross_entropy", "binary_cross_entropy_with_logits"])
def test_bce_refuses_integer_input(name, target):
    same_exception(lambda lib, x, y: getattr(lib.nn.functional, name)(x, y), np.array([0, 1]), target)


# ----------------------------------------------------------------------------- regression losses
def test_kl_div_negative_target_is_nan_and_zero_target_has_torchs_nan_gradient():
    target = np.array([[0.0, 0.5, -0.2], [0.3, 0.0, 0.7]])
    check(lambda lib, x, y: lib.nn.functional.kl_div(x, y, reduction="none"), arrays((2, 3), low=-3, high=0), target)


@pytest.mark.parametrize("legacy", [dict(size_average=False), dict(reduce=False), dict(size_average=True)])
def test_kl_div_batchmean_divides_by_the_batch_even_with_legacy_flags(legacy):
    check(lambda lib, x, y: lib.nn.functional.kl_div(x, y, reduction="batchmean", **legacy),
          arrays((3, 4), low=-3, high=0), arrays((3, 4), seed=1, low=0.1, high=1))


@pytest.mark.parametrize("log_input", [True, False])
def test_poisson_full_gradient_at_zero_count_is_torchs(log_input):
    counts = np.array([0.0, 0.5, 1.0, 2.0, 7.0])
    check(lambda lib, x, y: lib.nn.functional.poisson_nll_loss(x, y, log_input=log_input, full=True),
          arrays(5, low=0.1, high=2), counts)


def test_huber_keeps_the_input_dtype_with_a_float64_target():
    """(torch's backward then fails on the mixed dtypes, so only the values are compared.)"""
    out = check(lambda lib, x, y: lib.nn.functional.huber_loss(x, y, reduction="none"),
                arrays((3, 4), np.float32), arrays((3, 4), np.float64, seed=1), grad=False)
    assert out[0].dtype == minitorch.float32


def test_gaussian_nll_var_must_be_a_tensor_or_a_float():
    same_exception(lambda lib, x, y: lib.nn.functional.gaussian_nll_loss(x, y, 1), arrays(3), arrays(3, seed=1))


# ----------------------------------------------------------------------------- cross-entropy options
@pytest.mark.parametrize("probabilities", [False, True])
def test_negative_label_smoothing_smooths_nothing(probabilities):
    target = arrays((3, 5), seed=1, low=0, high=1) if probabilities else np.array([1, 0, 4])
    check(lambda lib, x, w: lib.nn.functional.cross_entropy(x, lib.tensor(target), w.detach(), label_smoothing=-0.2),
          arrays((3, 5)), arrays(5, seed=2, low=0.5, high=2))


# ----------------------------------------------------------------------------- margin losses
def test_soft_margin_refuses_a_target_that_requires_grad():
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'target'"):
            lib.nn.functional.soft_margin_loss(lib.zeros(3), lib.ones(3, requires_grad=True))


def test_soft_margin_keeps_the_input_dtype():
    out = check(lambda lib, x, y: lib.nn.functional.soft_margin_loss(x, y.detach(), reduction="none"),
                arrays(4, np.float32), np.array([1.0, -1.0, 1.0, -1.0]))
    assert out[0].dtype == minitorch.float32


@pytest.mark.parametrize("name, target", [("multi_margin_loss", np.zeros(0, np.int64)),
                                          ("multilabel_margin_loss", np.zeros((0, 5), np.int64))])
def test_margin_losses_take_an_empty_batch(name, target):
    check(lambda lib, x: getattr(lib.nn.functional, name)(x, lib.tensor(target), reduction="none"), arrays((0, 5)))


@pytest.mark.parametrize("weight", [np.ones(4, np.float32), np.ones(5, np.float64)])
def test_multi_margin_weight_of_wrong_size_or_dtype(weight):
    error = same_exception(lambda lib, x, t, w: lib.nn.functional.multi_margin_loss(x, t, weight=w),
                           arrays((3, 5), np.float32), np.array([1, 0, 4]), weight)
    assert "weight" in str(error) or "Double" in str(error)


def test_multi_margin_weight_gets_no_gradient():
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'weight'"):
            lib.nn.functional.multi_margin_loss(lib.zeros(2, 3), lib.tensor([0, 1]),
                                                weight=lib.ones(3, requires_grad=True))


@pytest.mark.parametrize("name, target", [("multi_margin_loss", [1, 0]),
                                          ("multilabel_margin_loss", [[1, -1], [0, 1]])])
def test_margin_losses_refuse_integer_scores(name, target):
    same_exception(lambda lib, x, t: getattr(lib.nn.functional, name)(x, t), np.ones((2, 2), np.int64),
                   np.array(target))


@pytest.mark.parametrize("target", [[[1, -1, 9]], [[1, -2, 0]], [[-5, 0, 1]]])
def test_multilabel_margin_checks_every_target_entry(target):
    """torch checks the entries after the -1 terminator too, and -1 is the only negative allowed."""
    error = same_exception(lambda lib, x, t: lib.nn.functional.multilabel_margin_loss(x, t), arrays((1, 3)),
                           np.array(target))
    assert "out of range" in str(error)


# ----------------------------------------------------------------------------- CTC
def _ctc(lib, log_probs, targets, input_lengths, target_lengths):
    return lib.nn.functional.ctc_loss(log_probs, targets, input_lengths, target_lengths)


CTC_ARGS = [np.log(np.full((5, 2, 4), 0.25)), np.array([[1, 2], [3, 3]]), np.array([5, 5]), np.array([2, 2])]


@pytest.mark.parametrize("bad", [
    lambda a: [a[0], a[1], a[2].astype(np.float32), a[3]],   # float input_lengths
    lambda a: [a[0], a[1], a[2], a[3].astype(np.float32)],   # float target_lengths
    lambda a: [a[0].astype(np.int64), *a[1:]],               # integer log_probs
    lambda a: [a[0], a[1][None], *a[2:]],                    # 3-D targets
    lambda a: [a[0][:, :0], a[1][:0], a[2][:0], a[3][:0]],   # an empty batch
], ids=["float input_lengths", "float target_lengths", "int log_probs", "3-D targets", "empty batch"])
def test_ctc_bad_arguments_raise_torchs_exception(bad):
    same_exception(_ctc, *bad(CTC_ARGS))


def test_ctc_lengths_as_floats_in_a_list_are_a_type_error():
    for lib in (torch, minitorch):
        with pytest.raises(TypeError):
            lib.nn.functional.ctc_loss(lib.tensor(CTC_ARGS[0]), lib.tensor(CTC_ARGS[1]), [5.0, 5.0], [2, 2])


def test_ctc_float_targets_are_truncated_as_in_torch():
    check(lambda lib, lp: _ctc(lib, lp, lib.tensor(CTC_ARGS[1].astype(np.float32)), lib.tensor(CTC_ARGS[2]),
                               lib.tensor(CTC_ARGS[3])), CTC_ARGS[0])
