"""EmbeddingBag and F.embedding_bag against torch; nll_loss's second derivative; ctc_loss with target
labels equal to the blank."""
import warnings

import numpy as np
import pytest
import torch

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from oracle import assert_close, check

LIBS = [minitorch, torch]


# ---- nll_loss: its gradient is differentiable (create_graph=True)

def test_nll_loss_gradient_is_differentiable_and_its_derivative_is_zero():
    results = []
    for lib in LIBS:
        x = lib.tensor(np.random.default_rng(0).standard_normal((4, 3)), requires_grad=True)
        g, = lib.autograd.grad(lib.nn.functional.nll_loss(x, lib.tensor([0, 2, 1, 2])), x, create_graph=True)
        assert g.requires_grad and g.grad_fn.name() == "NllLossBackwardBackward0"
        (g * g).sum().backward()
        results.append((g, x.grad))
    assert_close(results[0][0], results[1][0])
    assert_close(results[0][1], results[1][1])
    assert not results[0][1].numpy().any()


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore_index", [-100, 1])
@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 2, 2)])
def test_nll_loss_first_and_second_derivatives(reduction, weighted, ignore_index, shape):
    rng = np.random.default_rng(1)
    x0 = rng.standard_normal(shape)
    target = rng.integers(0, shape[1], (shape[0],) + shape[2:])
    weight = rng.uniform(0.5, 2.0, shape[1]) if weighted else None
    loss_shape = target.shape if reduction == "none" else ()
    u0, c0 = rng.standard_normal(loss_shape), rng.standard_normal(shape)
    results = []
    for lib in LIBS:
        x, u = lib.tensor(x0, requires_grad=True), lib.tensor(u0, requires_grad=True)
        loss = lib.nn.functional.nll_loss(x, lib.tensor(target), None if weight is None else lib.tensor(weight),
                                          ignore_index=ignore_index, reduction=reduction)
        g, = lib.autograd.grad(loss, x, u, create_graph=True)
        (g * g * lib.tensor(c0)).sum().backward()
        results.append((loss, g, x.grad, u.grad, g.grad_fn.name()))
    for mine, theirs in zip(results[0][:4], results[1][:4]):
        assert_close(mine, theirs)
    if len(shape) == 2 or reduction != "none":  # (torch's 4-D 'none' ends in a view)
        assert results[0][4] == results[1][4]


def test_nll_loss_gradgradcheck():
    rng = np.random.default_rng(2)
    target, weight = minitorch.tensor(rng.integers(0, 4, 6)), minitorch.tensor(rng.uniform(0.5, 2, 4))
    x = minitorch.tensor(rng.standard_normal((6, 4)), requires_grad=True)
    for reduction in ("none", "mean", "sum"):
        assert minitorch.autograd.gradgradcheck(
            lambda x: F.nll_loss(x, target, weight, ignore_index=2, reduction=reduction), (x,))


def test_nll_loss_input_changed_in_place_is_an_error_as_in_torch():
    for lib in LIBS:
        x = lib.randn(3, 4, requires_grad=True)
        y = x * 1
        loss = lib.nn.functional.nll_loss(y, lib.tensor([0, 1, 3]))
        y.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            loss.backward()


# ---- ctc_loss: a target label equal to the blank is computed as torch does

def _ctc_case(rng, dtype):
    t_max, batch, n_classes = rng.integers(1, 8), rng.integers(1, 4), rng.integers(2, 5)
    blank = int(rng.integers(0, n_classes))
    scores = rng.standard_normal((t_max, batch, n_classes))
    log_probs = (scores - np.log(np.exp(scores).sum(2, keepdims=True))).astype(dtype)
    longest = int(rng.integers(1, 5))
    targets = rng.integers(0, n_classes, (batch, longest))
    if rng.random() < 0.5:
        targets[:] = blank
    target_lengths = rng.integers(0, longest + 1, batch)
    input_lengths = rng.integers(0, t_max + 1, batch)
    return log_probs, targets, input_lengths, target_lengths, blank


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("zero_infinity", [False, True])
@pytest.mark.parametrize("concatenated", [False, True])
def test_ctc_loss_with_labels_equal_to_the_blank(dtype, reduction, zero_infinity, concatenated):
    rng = np.random.default_rng(3)
    for _ in range(40):
        log_probs, targets, input_lengths, target_lengths, blank = _ctc_case(rng, dtype)
        if concatenated:
            targets = np.concatenate([row[:n] for row, n in zip(targets, target_lengths)])

        def ctc(lib, log_probs):
            return lib.nn.functional.ctc_loss(log_probs, lib.tensor(targets), lib.tensor(input_lengths),
                                              lib.tensor(target_lengths), blank=blank, reduction=reduction,
                                              zero_infinity=zero_infinity)
        theirs = ctc(torch, torch.tensor(log_probs))
        finite = bool(torch.isfinite(theirs).all())  # (an infinite loss has a nan gradient in both)
        check(ctc, log_probs, grad=finite, atol=1e-4 if dtype == np.float32 else None)


def test_ctc_loss_blank_labels_give_torch_values():
    log_probs = np.log(np.full((3, 1, 2), 0.5))
    for blank in (0, 1):
        check(lambda lib, lp: lib.nn.functional.ctc_loss(lp, lib.tensor([[blank]]), lib.tensor([3]),
                                                         lib.tensor([1]), blank=blank), log_probs)


@pytest.mark.parametrize("label", [-1, 3, 7])
def test_ctc_loss_labels_out_of_range_still_raise(label):
    log_probs = minitorch.randn(5, 2, 3).log_softmax(2)
    with pytest.raises(RuntimeError, match=f"target label {label} is not allowed"):
        F.ctc_loss(log_probs, minitorch.tensor([[1, label], [1, 2]]), minitorch.tensor([5, 5]),
                   minitorch.tensor([2, 2]))


# ---- F.embedding_bag: values and gradients against torch

BAG_INPUTS = {  # name: (input, offsets, include_last_offset)
    "2d": (np.array([[1, 2, 4], [4, 4, 0], [3, 3, 3]]), None, False),
    "1d": (np.array([1, 2, 4, 4, 3, 0, 6, 6]), np.array([0, 2, 2, 5]), False),
    "1d_last_offset": (np.array([1, 2, 4, 4, 3, 0, 6, 6]), np.array([0, 3, 3, 6, 8]), True),
    "1d_empty_first_and_last": (np.array([5, 1, 4]), np.array([0, 0, 3]), False),
    "1d_one_bag": (np.array([6, 0, 0, 2]), np.array([0]), False),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("bags", sorted(BAG_INPUTS))
@pytest.mark.parametrize("padding_idx", [None, 4, -1])
def test_embedding_bag_values_and_gradients(dtype, mode, bags, padding_idx):
    input, offsets, include_last_offset = BAG_INPUTS[bags]
    weight = np.random.default_rng(4).standard_normal((7, 3)).astype(dtype)

    def bag(lib, weight):
        return lib.nn.functional.embedding_bag(lib.tensor(input), weight, None if offsets is None else
                                               lib.tensor(offsets), mode=mode, padding_idx=padding_idx,
                                               include_last_offset=include_last_offset)
    check(bag, weight)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bags", sorted(BAG_INPUTS))
@pytest.mark.parametrize("padding_idx", [None, 4])
def test_embedding_bag_per_sample_weights(dtype, bags, padding_idx):
    input, offsets, include_last_offset = BAG_INPUTS[bags]
    rng = np.random.default_rng(5)
    weight, psw = rng.standard_normal((7, 3)).astype(dtype), rng.standard_normal(input.shape).astype(dtype)

    def bag(lib, weight, psw):
        return lib.nn.functional.embedding_bag(lib.tensor(input), weight, None if offsets is None else
                                               lib.tensor(offsets), mode="sum", per_sample_weights=psw,
                                               padding_idx=padding_idx, include_last_offset=include_last_offset)
    check(bag, weight, psw)


@pytest.mark.parametrize("mode", ["sum", "mean"])
@pytest.mark.parametrize("input", [[1, 1, 2], [1, 2, 2], [1, 1, 1, 2, 3, 3], [3, 0, 1, 1, 2, 5, 5, 5]])
def test_embedding_bag_scale_grad_by_freq_as_torch(mode, input):
    weight = np.random.default_rng(6).standard_normal((6, 2))
    check(lambda lib, w: lib.nn.functional.embedding_bag(lib.tensor(input), w, lib.tensor([0, 2]), mode=mode,
                                                         scale_grad_by_freq=True, padding_idx=5), weight)


def test_embedding_bag_max_gives_the_gradient_to_the_first_of_tied_rows():
    weight = np.array([[1.0, 2.0], [1.0, 3.0], [0.0, 3.0]])
    for input in ([0, 1, 2], [2, 1, 0], [1, 1, 0]):
        check(lambda lib, w: lib.nn.functional.embedding_bag(lib.tensor(input), w, lib.tensor([0]), mode="max"),
              weight)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_last_offset_short_of_the_end_as_torch_generic_kernel(mode):
    # the last bag runs on to the end of input (torch's float32 fast path, sum/mean without padding_idx, differs)
    weight = np.random.default_rng(7).standard_normal((5, 3))
    for offsets in ([0, 2, 4], [0, 2, 2], [0, 0]):
        check(lambda lib, w: lib.nn.functional.embedding_bag(lib.tensor([1, 2, 4, 4, 3, 0]), w,
                                                             lib.tensor(offsets), mode=mode,
                                                             include_last_offset=True), weight)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_max_norm_renormalises_the_table_as_torch(mode):
    weight = 3 * np.random.default_rng(8).standard_normal((5, 3))
    tables = []
    for lib in LIBS:
        w = lib.tensor(weight, requires_grad=True)
        out = lib.nn.functional.embedding_bag(lib.tensor([1, 2, 2, 4]), w, lib.tensor([0, 1]), max_norm=1.5,
                                              norm_type=1.0, mode=mode)
        out.sum().backward()
        tables.append((out, w, w.grad))
    for mine, theirs in zip(*tables):
        assert_close(mine, theirs)


# (indices with no offsets at all are left out: torch reads garbage there, or crashes)
@pytest.mark.parametrize("input, offsets", [([], [0, 0]), ([], []), (np.zeros((0, 3), int), None)])
def test_embedding_bag_with_no_indices_or_no_bags(input, offsets):
    weight = np.random.default_rng(9).standard_normal((4, 2))
    for mode in ("sum", "mean", "max"):
        check(lambda lib, w: lib.nn.functional.embedding_bag(
            lib.tensor(np.array(input, dtype=np.int64)), w, None if offsets is None else
            lib.tensor(np.array(offsets, dtype=np.int64)), mode=mode), weight)


def test_embedding_bag_int32_indices_and_offsets():
    weight = np.random.default_rng(10).standard_normal((4, 2)).astype(np.float32)
    check(lambda lib, w: lib.nn.functional.embedding_bag(lib.tensor([1, 3, 3], dtype=lib.int32), w,
                                                         lib.tensor([0, 1], dtype=lib.int32)), weight)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_gradcheck(mode):
    rng = np.random.default_rng(11)
    weight = minitorch.tensor(rng.standard_normal((5, 3)), requires_grad=True)
    input, offsets = minitorch.tensor([0, 3, 3, 1, 4, 2]), minitorch.tensor([0, 2, 2, 5])
    assert minitorch.autograd.gradcheck(
        lambda w: F.embedding_bag(input, w, offsets, mode=mode, padding_idx=4), (weight,))
    if mode == "sum":
        psw = minitorch.tensor(rng.standard_normal(6), requires_grad=True)
        assert minitorch.autograd.gradcheck(
            lambda w, p: F.embedding_bag(input, w, offsets, mode=mode, per_sample_weights=p), (weight, psw))


def test_embedding_bag_old_argument_order_warns_and_swaps():
    weight = np.random.default_rng(12).standard_normal((4, 2))
    outputs = []
    for lib in LIBS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            outputs.append(lib.nn.functional.embedding_bag(lib.tensor(weight), lib.tensor([[0, 3]])))
        assert any("Argument order of nn.functional.embedding_bag was changed" in str(w.message) for w in caught)
    assert_close(*outputs)


# ---- errors: the same exception class as torch

ERROR_CASES = {
    "offsets with 2-D input": dict(input=[[1, 2]], offsets=[0]),
    "no offsets with 1-D input": dict(input=[1, 2]),
    "3-D input": dict(input=[[[1, 2]]]),
    "2-D offsets": dict(input=[1, 2], offsets=[[0]]),
    "first offset not 0": dict(input=[1, 2], offsets=[1]),
    "last offset past the end": dict(input=[1, 2], offsets=[0, 3]),
    "bad mode": dict(input=[[1, 2]], mode="median"),
    "per_sample_weights in mean mode": dict(input=[[1, 2]], per_sample_weights=[[1.0, 2.0]]),
    "per_sample_weights of the wrong shape": dict(input=[[1, 2]], mode="sum", per_sample_weights=[1.0, 2.0]),
    "per_sample_weights of another dtype": dict(input=[[1, 2]], mode="sum", per_sample_weights=[[1.0, 2.0]],
                                                psw_dtype="float32"),
    "float indices": dict(input=[[1.0, 2.0]]),
    "float offsets": dict(input=[1, 2], offsets=[0.0]),
    "index too large": dict(input=[[1, 5]]),
    "negative index": dict(input=[[1, -1]]),
    "padding_idx too large": dict(input=[[1, 2]], padding_idx=5),
    "padding_idx too small": dict(input=[[1, 2]], padding_idx=-6),
    "1-D weight": dict(input=[[1, 2]], weight_shape=(5,)),
    "max with scale_grad_by_freq": dict(input=[[1, 2]], mode="max", scale_grad_by_freq=True),
    "max with sparse": dict(input=[[1, 2]], mode="max", sparse=True),
    "bags of length 0": dict(input=np.zeros((2, 0), int)),
}


def _call_with(lib, input, offsets=None, per_sample_weights=None, psw_dtype="float64", weight_dtype="float64",
               weight_shape=(5, 2), **options):
    weight = lib.tensor(np.ones(weight_shape, dtype=weight_dtype))
    psw = None if per_sample_weights is None else lib.tensor(np.array(per_sample_weights, dtype=psw_dtype))
    return lib.nn.functional.embedding_bag(lib.tensor(np.asarray(input)), weight, None if offsets is None else
                                           lib.tensor(offsets), per_sample_weights=psw, **options)


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_embedding_bag_errors_as_torch(case):
    with pytest.raises(Exception) as theirs:
        _call_with(torch, **ERROR_CASES[case])
    with pytest.raises(theirs.type):
        _call_with(minitorch, **ERROR_CASES[case])


def test_embedding_bag_sparse_gradients_raise_clearly():
    with pytest.raises(NotImplementedError, match="sparse gradients are not implemented"):
        F.embedding_bag(minitorch.tensor([[1, 2]]), minitorch.randn(4, 2), sparse=True)
    with pytest.raises(NotImplementedError, match="sparse"):
        nn.EmbeddingBag(4, 2, sparse=True)(minitorch.tensor([[1, 2]]))


# ---- nn.EmbeddingBag

MODULE_OPTIONS = [{}, {"mode": "sum"}, {"mode": "max", "padding_idx": 2}, {"padding_idx": -1},
                  {"max_norm": 2.0, "norm_type": 1.0, "scale_grad_by_freq": True, "sparse": True,
                   "include_last_offset": True}]


@pytest.mark.parametrize("options", MODULE_OPTIONS)
def test_embedding_bag_module_repr_and_attributes(options):
    mine, theirs = nn.EmbeddingBag(10, 3, **options), torch.nn.EmbeddingBag(10, 3, **options)
    assert repr(mine) == repr(theirs)
    for name in ("num_embeddings", "embedding_dim", "max_norm", "norm_type", "scale_grad_by_freq", "mode",
                 "sparse", "include_last_offset", "padding_idx"):
        assert getattr(mine, name) == getattr(theirs, name), name
    assert list(mine.state_dict()) == list(theirs.state_dict()) == ["weight"]


def test_embedding_bag_module_init_is_standard_normal_with_a_zero_padding_row():
    minitorch.manual_seed(0)
    bag = nn.EmbeddingBag(2000, 50, padding_idx=3)
    weight = bag.weight.detach().numpy()
    assert bag.weight.requires_grad and bag.weight.dtype is minitorch.float32
    assert not weight[3].any()
    assert abs(weight.mean()) < 0.01 and abs(weight.std() - 1) < 0.01
    assert nn.EmbeddingBag(3, 2, dtype=minitorch.float64).weight.dtype is minitorch.float64


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_module_forward_matches_torch(mode):
    table = np.random.default_rng(13).standard_normal((6, 4)).astype(np.float32)
    results = []
    for lib in LIBS:
        bag = lib.nn.EmbeddingBag(6, 4, mode=mode, padding_idx=0, _weight=lib.tensor(table))
        psw = lib.tensor([0.5, -1.0, 2.0, 1.5, 1.0]) if mode == "sum" else None
        out = bag(lib.tensor([1, 0, 5, 5, 2]), lib.tensor([0, 3]), per_sample_weights=psw)
        out.pow(2).sum().backward()
        results.append((out, bag.weight.grad))
    for mine, theirs in zip(*results):
        assert_close(mine, theirs)


def test_embedding_bag_module_errors_as_torch():
    for lib in LIBS:
        with pytest.raises(AssertionError, match="padding_idx must be within num_embeddings"):
            lib.nn.EmbeddingBag(4, 2, padding_idx=4)
        with pytest.raises(AssertionError, match="Shape of weight does not match"):
            lib.nn.EmbeddingBag(4, 2, _weight=lib.zeros(3, 2))
        with pytest.raises(AssertionError, match="Embeddings parameter is expected to be 2-dimensional"):
            lib.nn.EmbeddingBag.from_pretrained(lib.zeros(3))


@pytest.mark.parametrize("freeze", [True, False])
def test_embedding_bag_from_pretrained(freeze):
    table = np.random.default_rng(14).standard_normal((5, 3))
    mine = nn.EmbeddingBag.from_pretrained(minitorch.tensor(table), freeze=freeze, mode="max", padding_idx=1)
    theirs = torch.nn.EmbeddingBag.from_pretrained(torch.tensor(table), freeze=freeze, mode="max", padding_idx=1)
    assert repr(mine) == repr(theirs)
    assert mine.weight.requires_grad == theirs.weight.requires_grad == (not freeze)
    assert_close(mine(minitorch.tensor([[1, 2], [3, 1]])), theirs(torch.tensor([[1, 2], [3, 1]])))
