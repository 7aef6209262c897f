"""Losses at extreme values (where the naive formulas overflow), second derivatives, random shapes,
and the Module details (buffers, dtype moves, repr)."""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from oracle import check, shapes


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_with_huge_logits(dtype):
    logits = np.array([[1000.0, 0.0, -1000.0], [-5e4, 5e4, 0.0]], dtype=dtype)
    out = check(lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor([2, 0])), logits)
    assert np.isfinite(out[0].item())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_logits_losses_far_from_zero(dtype):
    x = np.array([-1000.0, -100.0, -30.0, 0.0, 30.0, 100.0, 1000.0], dtype=dtype)
    y = np.array([1.0, 0.0, 1.0, 0.5, 0.0, 1.0, 0.0], dtype=dtype)
    check(lambda lib, x, y: lib.nn.functional.binary_cross_entropy_with_logits(x, y, reduction="none"), x, y)
    check(lambda lib, x: lib.nn.functional.binary_cross_entropy_with_logits(
        x, lib.tensor(y), pos_weight=lib.tensor(3.0, dtype=x.dtype), reduction="none"), x)
    check(lambda lib, x: lib.nn.functional.multilabel_soft_margin_loss(x.reshape(1, -1), lib.tensor(y[None])), x)


def test_bce_at_certain_probabilities_is_clamped_at_100():
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.5])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    out = check(lambda lib, p: lib.nn.functional.binary_cross_entropy(p, lib.tensor(y), reduction="none"), p)
    np.testing.assert_allclose(out[0].detach().numpy()[:2], [100.0, 100.0])


def test_soft_margin_does_not_overflow():
    x = minitorch.tensor([-1000.0, 1000.0])
    loss = F.soft_margin_loss(x, minitorch.tensor([1.0, 1.0]), reduction="none")
    np.testing.assert_allclose(loss.numpy(), [1000.0, 0.0])


SECOND_ORDER = {
    "mse": lambda lib, x, y: lib.nn.functional.mse_loss(x, y),
    "huber": lambda lib, x, y: lib.nn.functional.huber_loss(x, y, delta=0.7),
    "cross_entropy": lambda lib, x, y: lib.nn.functional.cross_entropy(x, lib.tensor([0, 2, 1]),
                                                                       label_smoothing=0.1),
    "soft_cross_entropy": lambda lib, x, y: lib.nn.functional.cross_entropy(x, y.softmax(1)),
    # class indices without label smoothing: the fused CrossEntropy and its fused CrossEntropyGradient
    "fused_cross_entropy": lambda lib, x, y: lib.nn.functional.cross_entropy(x, lib.tensor([0, 2, 1])),
    "fused_cross_entropy_weighted_ignored": lambda lib, x, y: lib.nn.functional.cross_entropy(
        x, lib.tensor([0, -100, 3]), weight=y[0].exp().detach(), ignore_index=-100),
    "fused_cross_entropy_none": lambda lib, x, y: (lib.nn.functional.cross_entropy(
        x, lib.tensor([1, 2, 3]), reduction="none") * y[:, 0]).sum(),
    "fused_cross_entropy_sum_3d": lambda lib, x, y: lib.nn.functional.cross_entropy(
        x.reshape(3, 2, 2), lib.tensor([[0, 1], [1, 1], [0, 0]]), reduction="sum"),
    "nll": lambda lib, x, y: lib.nn.functional.nll_loss(x.log_softmax(1), lib.tensor([0, 2, 1])),
    "bce_with_logits": lambda lib, x, y: lib.nn.functional.binary_cross_entropy_with_logits(x, y.sigmoid()),
    "bce": lambda lib, x, y: lib.nn.functional.binary_cross_entropy(x.sigmoid(), y.sigmoid()),
    "kl_div": lambda lib, x, y: lib.nn.functional.kl_div(x.log_softmax(1), y.softmax(1), reduction="batchmean"),
    "gaussian_nll": lambda lib, x, y: lib.nn.functional.gaussian_nll_loss(x, y, x.exp()),
    "triplet": lambda lib, x, y: lib.nn.functional.triplet_margin_loss(x, y, x.flip(0), margin=5.0),
    "cosine": lambda lib, x, y: lib.nn.functional.cosine_embedding_loss(x, y, lib.tensor([1, -1, 1])),
}


@pytest.mark.parametrize("name", list(SECOND_ORDER))
def test_hessian_vector_products_match_torch(name):
    """d/dx (grad_x L . v): the gradient of a composed loss is itself differentiable."""
    rng = np.random.default_rng(1)
    x, y, v = (rng.standard_normal((3, 4)) for _ in range(3))

    def hvp(lib, x, y):
        loss = SECOND_ORDER[name](lib, x, y)
        grad, = lib.autograd.grad(loss, x, create_graph=True)
        return (grad * lib.tensor(v)).sum()
    check(hvp, x, y)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_fused_cross_entropy_is_twice_differentiable(reduction):
    """gradgradcheck through CrossEntropy and CrossEntropyGradient, with respect to the scores and,
    through an upstream weight, with respect to the gradient arriving at the loss."""
    rng = np.random.default_rng(2)
    x = minitorch.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    scale = minitorch.tensor(rng.standard_normal(4 if reduction == "none" else ()), requires_grad=True)
    target = minitorch.tensor([0, 2, -1, 1])

    def loss(x, scale):
        return F.cross_entropy(x, target, ignore_index=-1, reduction=reduction) * scale
    assert minitorch.autograd.gradgradcheck(loss, (x, scale))


def test_ctc_gradient_with_respect_to_log_probs_is_torchs():
    """torch's CTC gradient includes exp(log_probs) (see _functions/ctc.py); so does ours."""
    lp = torch.randn(6, 2, 5, dtype=torch.float64).log_softmax(2).numpy()
    check(lambda lib, lp: lib.nn.functional.ctc_loss(lp, lib.tensor([[1, 2, 2], [3, 4, 0]]), lib.tensor([6, 5]),
                                                     lib.tensor([3, 2]), reduction="sum"), lp)


@given(shapes(min_dims=2, max_dims=4, max_side=4))
def test_cross_entropy_on_random_shapes(shape):
    rng = np.random.default_rng(0)
    logits = rng.standard_normal(shape)
    target = rng.integers(0, shape[1], (shape[0],) + shape[2:])
    check(lambda lib, x, y: lib.nn.functional.cross_entropy(x, y, reduction="none"), logits, target)
    check(lambda lib, x, y: lib.nn.functional.cross_entropy(x, y.softmax(1)), logits, rng.standard_normal(shape))


@given(shapes(max_dims=3), st.sampled_from(["mse_loss", "l1_loss", "smooth_l1_loss", "kl_div", "poisson_nll_loss"]))
def test_elementwise_losses_on_random_shapes(shape, name):
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0.1, 2, shape), rng.uniform(0.1, 2, shape)
    check(lambda lib, x, y: getattr(lib.nn.functional, name)(x, y, reduction="sum"), x, y)


def test_weights_are_buffers_that_move_with_the_module():
    loss = nn.CrossEntropyLoss(weight=minitorch.tensor([1.0, 2.0, 3.0]))
    assert list(loss.state_dict()) == ["weight"]
    assert loss.double().weight.dtype == minitorch.float64
    assert repr(loss) == repr(torch.nn.CrossEntropyLoss(weight=torch.ones(3))) == "CrossEntropyLoss()"
    bce = nn.BCEWithLogitsLoss(pos_weight=minitorch.tensor([2.0]))
    assert list(bce.state_dict()) == ["pos_weight"]
    assert list(nn.MSELoss().parameters()) == []


def test_modules_keep_their_options():
    loss = nn.CrossEntropyLoss(ignore_index=3, reduction="sum", label_smoothing=0.25)
    assert (loss.ignore_index, loss.reduction, loss.label_smoothing) == (3, "sum", 0.25)
    ctc = nn.CTCLoss(blank=2, zero_infinity=True)
    assert (ctc.blank, ctc.zero_infinity, ctc.reduction) == (2, True, "mean")


def test_tensor_where_method_is_torchs():
    """x.where(condition, y) is torch.where(condition, x, y) (a core fix made with the losses)."""
    x, y = np.array([1.0, 2.0, 3.0]), np.array([-1.0, -2.0, -3.0])
    check(lambda lib, x, y: x.where(lib.tensor([True, False, True]), y), x, y)


@pytest.mark.skipif(not minitorch.cuda.is_available(), reason="needs a CUDA GPU and cupy")
@pytest.mark.parametrize("name", ["cross_entropy", "bce", "ctc", "multilabel_margin", "kl_div"])
def test_losses_on_the_gpu_match_the_cpu(name):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 3, 4))
    calls = {
        "cross_entropy": lambda x: F.cross_entropy(x[0], minitorch.tensor([0, 2, 1], device=x.device),
                                                   label_smoothing=0.1),
        "bce": lambda x: F.binary_cross_entropy(x.sigmoid(), (x > 0).to(x.dtype)),
        "ctc": lambda x: F.ctc_loss(x.log_softmax(2), minitorch.tensor([[1, 2], [3, 3], [1, 0]], device=x.device),
                                    [6, 5, 4], [2, 2, 1]),
        "multilabel_margin": lambda x: F.multilabel_margin_loss(
            x[0], minitorch.tensor([[1, -1, 0, 0], [3, 2, -1, 0], [0, 1, 2, 3]], device=x.device)),
        "kl_div": lambda x: F.kl_div(x.log_softmax(2), x.softmax(2).detach(), reduction="batchmean"),
    }
    results = []
    for device in ("cpu", "cuda"):
        leaf = minitorch.tensor(x, device=device, requires_grad=True)
        loss = calls[name](leaf)
        loss.backward()
        results.append((loss.item(), leaf.grad.cpu().numpy()))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-9)
    np.testing.assert_allclose(results[1][1], results[0][1], rtol=1e-9, atol=1e-12)


def test_ctc_with_empty_inputs_and_targets():
    lp = np.random.default_rng(0).standard_normal((5, 3, 4))
    check(lambda lib, lp: lib.nn.functional.ctc_loss(lp.log_softmax(2), lib.tensor([[1, 2], [1, 1], [2, 3]]),
                                                     lib.tensor([0, 0, 5]), lib.tensor([0, 1, 2]), reduction="none"),
          lp)


def test_pairwise_distance_matches_torch():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((3, 4)), rng.standard_normal((4,))
    for p, keepdim in [(2.0, False), (1.0, True), (3.0, False)]:
        check(lambda lib, x, y: lib.nn.functional.pairwise_distance(x, y, p=p, keepdim=keepdim), x, y)
