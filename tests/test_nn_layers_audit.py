"""Regressions found by comparing every nn layer argument with torch: values, the gradients of the input
and of every parameter (float32 and float64), and torch's exception classes for bad arguments."""
import collections

import numpy as np
import pytest
import torch

import minitorch
from oracle import arrays, assert_close, module_twins

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@pytest.mark.parametrize("conv, shape", [("Conv1d", (2, 3, 9)), ("Conv2d", (2, 3, 7, 6)), ("Conv2d", (3, 7, 6))])
def test_conv_padding_valid_with_a_padding_mode(conv, shape, mode):
    """padding='valid' with padding_mode reflect/replicate/circular used to crash inside F.pad."""
    module_twins(lambda nn: getattr(nn, conv)(3, 4, 3, padding="valid", padding_mode=mode), arrays(shape))


@pytest.mark.parametrize("fn, kwargs, exc", [
    ("conv2d", dict(stride=0), RuntimeError),
    ("conv2d", dict(padding=-1), RuntimeError),
    ("conv2d", dict(dilation=0), RuntimeError),
    ("conv2d", dict(padding="full"), RuntimeError),
    ("conv2d", dict(padding="same", stride=2), RuntimeError),
    ("conv2d", dict(padding=(1, 1, 1)), RuntimeError),
    ("conv2d", dict(stride=[1, 1, 1]), RuntimeError),
    ("conv1d", dict(stride=(1, 1)), RuntimeError),
    ("conv1d", dict(stride=0), RuntimeError),
    ("conv1d", dict(padding="foo"), RuntimeError),
])
def test_functional_conv_bad_arguments_raise_torchs_class(fn, kwargs, exc):
    shape, kernel = ((1, 4, 6, 6), (6, 4, 3, 3)) if fn == "conv2d" else ((1, 4, 6), (6, 4, 3))
    for lib in (torch, minitorch):
        with pytest.raises(exc):
            getattr(lib.nn.functional, fn)(lib.randn(*shape), lib.randn(*kernel), **kwargs)


@pytest.mark.parametrize("weight, bias", [((6, 4, 3), None), ((6, 4), None), ((6, 4, 3, 3), (5,)), ((6, 4, 3, 3), (6, 1))])
def test_conv2d_weight_or_bias_of_a_wrong_shape_is_a_runtime_error_naming_it(weight, bias):
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError) as info:
            lib.nn.functional.conv2d(lib.randn(1, 4, 6, 6), lib.randn(*weight), None if bias is None else lib.randn(*bias))
    assert "weight" in str(info.value) and str(list(weight if bias is None else bias)) in str(info.value)


def test_conv1d_too_small_input_reports_one_dimensional_sizes():
    with pytest.raises(RuntimeError, match=r"size per channel: \(2\)\. Kernel size: \(3\)"):
        minitorch.nn.Conv1d(4, 6, 3)(minitorch.randn(2, 4, 2))


@pytest.mark.parametrize("kwargs", [dict(kernel_size=2, stride=1, padding=1), dict(kernel_size=3, stride=2, padding=1,
                                                                                  ceil_mode=True)])
def test_max_pool2d_window_of_only_minus_inf_picks_an_input_position(kwargs):
    """A window whose values are all -inf (padding included) has its index and gradient at its first input
    position, as torch; it used to pick a padded position (a negative index, and a lost gradient)."""
    x = np.full((1, 2, 4, 5), -np.inf)
    x[0, 1, 1, 1] = 3.0
    module_twins(lambda nn: nn.MaxPool2d(return_indices=True, **kwargs), x)


@pytest.mark.parametrize("fn, args, kwargs", [
    ("max_pool2d", (2,), dict(stride=0)), ("max_pool2d", (0, 1), {}), ("max_pool2d", (2,), dict(stride=-1)),
    ("max_pool2d", (2,), dict(dilation=0)), ("max_pool2d", (2,), dict(padding=-1)), ("max_pool2d", ((2, 2, 2),), {}),
    ("max_pool2d", (2, (1, 1, 1)), {}), ("max_pool2d", (2,), dict(padding=(1, 1, 1))),
    ("avg_pool2d", (2,), dict(stride=0)), ("avg_pool2d", (0, 1), {}), ("avg_pool2d", (2, 1, -1), {}),
    ("avg_pool2d", ((2, 2, 2),), {}), ("avg_pool2d", (2,), dict(divisor_override=0)),
])
def test_pooling_bad_arguments_raise_runtime_error_as_torch(fn, args, kwargs):
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError):
            getattr(lib.nn.functional, fn)(lib.randn(1, 1, 6, 6), *args, **kwargs)


def test_avg_pool2d_of_a_2d_input_raises_index_error_as_torch():
    for lib in (torch, minitorch):
        with pytest.raises(IndexError):
            lib.nn.functional.avg_pool2d(lib.randn(6, 6), 2)


def test_batch_norm_of_integers_is_not_implemented_as_torch():
    for lib in (torch, minitorch):
        with pytest.raises(NotImplementedError, match="batch_norm"):
            lib.nn.BatchNorm1d(4)(lib.ones(3, 4, dtype=lib.int64))


@pytest.mark.parametrize("strict", [True, False])
def test_batch_norm_state_dict_without_num_batches_tracked_loads_as_torch(strict):
    """Checkpoints from before num_batches_tracked existed lack it: torch keeps the current count."""
    results = []
    for lib in (torch, minitorch):
        model = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3))
        model(lib.randn(4, 2))
        state = collections.OrderedDict((k, v) for k, v in model.state_dict().items() if "num_batches" not in k)
        keys = model.load_state_dict(state, strict=strict)
        results.append((keys.missing_keys, keys.unexpected_keys, int(model[1].num_batches_tracked)))
        assert "num_batches_tracked" not in "".join(state)  # the caller's dict is left as it was
    assert results[0] == results[1] == ([], [], 1)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("padding_idx", [None, 1, -1])
def test_embedding_scale_grad_by_freq_matches_torch(padding_idx, dtype):
    """Each row's gradient is divided by how often its index occurs in the batch (it raised NotImplementedError)."""
    idx = np.array([[1, 2, 4, 2], [4, 3, 2, 1]], dtype=np.int64)
    module_twins(lambda nn: nn.Embedding(5, 3, padding_idx=padding_idx, scale_grad_by_freq=True), idx, dtype=dtype)


def test_embedding_scale_grad_by_freq_with_a_frozen_table_has_no_gradient():
    table = minitorch.nn.Embedding.from_pretrained(minitorch.randn(5, 3), scale_grad_by_freq=True)
    assert not table(minitorch.tensor([1, 1, 2])).requires_grad


@pytest.mark.parametrize("weight, padding_idx, exc", [((5, 3), 7, AssertionError), ((5, 3), -6, AssertionError),
                                                       ((5,), None, RuntimeError), ((5, 3, 2), None, RuntimeError)])
def test_functional_embedding_bad_weight_or_padding_idx_raises_as_torch(weight, padding_idx, exc):
    for lib in (torch, minitorch):
        with pytest.raises(exc):
            lib.nn.functional.embedding(lib.tensor([1]), lib.randn(*weight), padding_idx=padding_idx)


@pytest.mark.parametrize("p", [0.3, 0.5])
def test_dropout_of_integers_raises_as_torch_instead_of_truncating_the_scale(p):
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError, match="can't be cast"):
            lib.nn.functional.dropout(lib.ones(8, dtype=lib.int64), p)
        assert lib.nn.functional.dropout(lib.ones(3, dtype=lib.int64), p, training=False).dtype == lib.int64


def test_hardtanh_module_with_min_above_max_raises_assertion_error_as_torch():
    for lib in (torch, minitorch):
        with pytest.raises(AssertionError, match="must be greater than min_val"):
            lib.nn.Hardtanh(1.0, -1.0)


@pytest.mark.parametrize("make, exc", [(lambda lib: lib.tensor(1.0), RuntimeError),
                                       (lambda lib: lib.tensor([[1, 2]]), NotImplementedError)])
def test_glu_of_a_scalar_or_of_integers_raises_as_torch(make, exc):
    for lib in (torch, minitorch):
        with pytest.raises(exc):
            lib.nn.functional.glu(make(lib))


@pytest.mark.parametrize("name, kwargs", [("elu_", dict(alpha=0.5)), ("leaky_relu_", dict(negative_slope=0.2)),
                                          ("hardtanh_", dict(min_val=-0.5, max_val=0.5))])
def test_inplace_functional_activations_exist_and_write_into_the_input(name, kwargs):
    x = arrays((3, 4))
    mine, theirs = minitorch.tensor(x), torch.tensor(x)
    assert getattr(minitorch.nn.functional, name)(mine, **kwargs) is mine
    getattr(torch.nn.functional, name)(theirs, **kwargs)
    assert_close(mine, theirs)
