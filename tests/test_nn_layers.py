"""Every layer against torch: the same weights copied in, values and gradients in float32 and float64,
then gradcheck in float64 and torch's errors for bad input."""
import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import minitorch
from oracle import arrays, check, raises

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")  # torch's own performance note

LAYERS = {
    "linear": (lambda nn: nn.Linear(4, 3), (5, 4)),
    "linear_3d_input": (lambda nn: nn.Linear(4, 3), (2, 5, 4)),
    "linear_no_bias": (lambda nn: nn.Linear(4, 3, bias=False), (5, 4)),
    "bilinear": (lambda nn: nn.Bilinear(4, 3, 2), (5, 4), (5, 3)),
    "relu": (lambda nn: nn.ReLU(), (5, 4)),
    "leaky_relu": (lambda nn: nn.LeakyReLU(0.2), (5, 4)),
    "elu": (lambda nn: nn.ELU(0.5), (5, 4)),
    "gelu": (lambda nn: nn.GELU(), (5, 4)),
    "gelu_tanh": (lambda nn: nn.GELU("tanh"), (5, 4)),
    "silu": (lambda nn: nn.SiLU(), (5, 4)),
    "sigmoid": (lambda nn: nn.Sigmoid(), (5, 4)),
    "tanh": (lambda nn: nn.Tanh(), (5, 4)),
    "softplus": (lambda nn: nn.Softplus(2.0, 3.0), (5, 4)),
    "softmax": (lambda nn: nn.Softmax(dim=1), (5, 4)),
    "log_softmax": (lambda nn: nn.LogSoftmax(dim=0), (5, 4)),
    "hardtanh": (lambda nn: nn.Hardtanh(-0.5, 0.7), (5, 4)),
    "selu": (lambda nn: nn.SELU(), (5, 4)),
    "celu": (lambda nn: nn.CELU(0.7), (5, 4)),
    "mish": (lambda nn: nn.Mish(), (5, 4)),
    "hardswish": (lambda nn: nn.Hardswish(), (5, 4)),
    "hardsigmoid": (lambda nn: nn.Hardsigmoid(), (5, 4)),
    "logsigmoid": (lambda nn: nn.LogSigmoid(), (5, 4)),
    "softmin": (lambda nn: nn.Softmin(0), (5, 4)),
    "glu": (lambda nn: nn.GLU(), (5, 4)),
    "identity": (lambda nn: nn.Identity(), (5, 4)),
    "flatten": (lambda nn: nn.Flatten(), (2, 4, 3, 3)),
    "unflatten": (lambda nn: nn.Unflatten(1, (2, 3)), (2, 6)),
    "layer_norm": (lambda nn: nn.LayerNorm(4), (5, 4)),
    "layer_norm_2d": (lambda nn: nn.LayerNorm((3, 4)), (2, 3, 4)),
    "group_norm": (lambda nn: nn.GroupNorm(2, 4), (2, 4, 3, 3)),
    "batch_norm_1d": (lambda nn: nn.BatchNorm1d(4), (5, 4)),
    "batch_norm_1d_length": (lambda nn: nn.BatchNorm1d(4), (5, 4, 3)),
    "batch_norm_2d": (lambda nn: nn.BatchNorm2d(4), (5, 4, 3, 3)),
    "conv2d": (lambda nn: nn.Conv2d(3, 4, 3), (2, 3, 6, 5)),
    "conv2d_stride_pad_dilation_groups": (
        lambda nn: nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(2, 1), groups=2), (2, 4, 7, 6)),
    "conv2d_same_even_kernel": (lambda nn: nn.Conv2d(3, 4, 4, padding="same"), (2, 3, 6, 5)),
    "conv2d_reflect": (lambda nn: nn.Conv2d(3, 4, 3, padding=1, padding_mode="reflect"), (2, 3, 6, 5)),
    "conv2d_replicate": (lambda nn: nn.Conv2d(3, 4, 3, padding=2, padding_mode="replicate"), (2, 3, 6, 5)),
    "conv2d_circular_same": (lambda nn: nn.Conv2d(3, 4, 3, padding="same", padding_mode="circular"), (2, 3, 6, 5)),
    "conv2d_unbatched": (lambda nn: nn.Conv2d(3, 4, 3, bias=False), (3, 6, 5)),
    "conv1d": (lambda nn: nn.Conv1d(3, 4, 3, stride=2, padding=1), (2, 3, 9)),
    "conv1d_same": (lambda nn: nn.Conv1d(3, 4, 4, padding="same", dilation=2), (2, 3, 9)),
    "max_pool2d": (lambda nn: nn.MaxPool2d(2), (2, 3, 6, 5)),
    "max_pool2d_ceil_pad": (lambda nn: nn.MaxPool2d(3, 2, 1, ceil_mode=True), (2, 3, 7, 6)),
    "max_pool2d_dilation": (lambda nn: nn.MaxPool2d(2, 1, 1, dilation=2), (2, 3, 7, 6)),
    "avg_pool2d": (lambda nn: nn.AvgPool2d(2), (2, 3, 6, 5)),
    "avg_pool2d_pad": (lambda nn: nn.AvgPool2d(3, 2, 1), (2, 3, 7, 6)),
    "avg_pool2d_ceil_exclude_pad": (lambda nn: nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False),
                                    (2, 3, 7, 6)),
    "avg_pool2d_ceil_include_pad": (lambda nn: nn.AvgPool2d(3, 2, 1, ceil_mode=True), (2, 3, 8, 6)),
    "avg_pool2d_divisor": (lambda nn: nn.AvgPool2d(2, divisor_override=3), (2, 3, 6, 6)),
    "max_pool1d": (lambda nn: nn.MaxPool1d(3, 2, 1), (2, 3, 8)),
    "avg_pool1d": (lambda nn: nn.AvgPool1d(3, 2, 1), (2, 3, 8)),
    "adaptive_avg_pool2d": (lambda nn: nn.AdaptiveAvgPool2d((2, 3)), (2, 3, 7, 8)),
}


def twin_layers(make, dtype):
    """The same layer in torch and minitorch, minitorch's loaded from torch's state_dict."""
    theirs, mine = make(torch.nn).to(getattr(torch, dtype)), make(minitorch.nn).to(getattr(minitorch, dtype))
    mine.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    return mine, theirs


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", LAYERS)
def test_layer_matches_torch(name, dtype):
    make, *shapes = LAYERS[name]
    mine, theirs = twin_layers(make, dtype)
    inputs = [arrays(shape, dtype, seed=i) for i, shape in enumerate(shapes)]
    check(lambda lib, *xs: (mine if lib is minitorch else theirs)(*xs), *inputs)
    for (key, value), (_, expected) in zip(mine.state_dict().items(), theirs.state_dict().items()):
        np.testing.assert_allclose(value.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6, err_msg=key)


@pytest.mark.parametrize("name", ["linear", "bilinear", "gelu", "elu", "softplus", "layer_norm", "batch_norm_1d",
                                  "conv2d_stride_pad_dilation_groups", "conv2d_reflect", "conv1d", "max_pool2d",
                                  "avg_pool2d_ceil_exclude_pad", "group_norm"])
def test_layer_gradcheck(name):
    make, *shapes = LAYERS[name]
    layer = make(minitorch.nn).double()
    inputs = tuple(minitorch.tensor(arrays(s, np.float64, seed=i), requires_grad=True) for i, s in enumerate(shapes))
    params = tuple(layer.parameters())
    n = len(inputs)
    assert minitorch.autograd.gradcheck(lambda *xs: layer(*xs[:n]), inputs + params)


@given(st.integers(1, 3), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2), st.integers(1, 2))
def test_conv2d_hypothesis(kernel, stride, padding, dilation, groups):
    x = arrays((2, 2 * groups, 7, 6), np.float64)
    w = arrays((2 * groups, 2, kernel, kernel), np.float64, seed=1)
    b = arrays((2 * groups,), np.float64, seed=2)
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, stride, padding, dilation, groups), x, w, b)


@given(st.integers(1, 3), st.integers(1, 3), st.booleans())
def test_max_pool2d_hypothesis(kernel, stride, ceil_mode):
    x = arrays((2, 3, 7, 6), np.float64)
    check(lambda lib, x: lib.nn.functional.max_pool2d(x, kernel, stride, kernel // 2, ceil_mode=ceil_mode), x)


def test_max_pool2d_return_indices():
    x = arrays((2, 3, 7, 6), np.float32)
    check(lambda lib, x: lib.nn.functional.max_pool2d(x, 3, 2, 1, return_indices=True)[1], x, grad=False)


def test_unfold_fold_match_torch():
    x = arrays((2, 3, 6, 5), np.float64)
    check(lambda lib, x: lib.nn.functional.unfold(x, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)), x)
    cols = arrays((2, 3 * 4, 12), np.float64)
    check(lambda lib, c: lib.nn.functional.fold(c, (7, 8), 2, stride=2, padding=0), cols)


def test_double_backward_through_conv():
    x = minitorch.tensor(arrays((1, 2, 5, 5), np.float64), requires_grad=True)
    w = minitorch.tensor(arrays((3, 2, 3, 3), np.float64, seed=1), requires_grad=True)
    assert minitorch.autograd.gradgradcheck(lambda x, w: minitorch.nn.functional.conv2d(x, w, padding=1), (x, w))


@pytest.mark.parametrize("input_shape", [(5, 4), (2, 3, 4), (4,)])
@pytest.mark.parametrize("with_bias", [True, False])
@pytest.mark.parametrize("needs", [(True, True, True), (False, True, True), (True, False, False), (True, True, False)])
def test_double_backward_through_linear(input_shape, with_bias, needs):
    """Second derivatives through the fused Linear and its fused gradients (LinearGradients), for every
    combination of inputs that require grad; the Hessian-vector product of a loss agrees with torch."""
    arrays_in = [arrays(input_shape, np.float64), arrays((3, 4), np.float64, seed=1), arrays((3,), np.float64, seed=2)]
    if not with_bias:
        arrays_in, needs = arrays_in[:2], needs[:2]
    inputs = [minitorch.tensor(a, requires_grad=n) for a, n in zip(arrays_in, needs)]
    assert minitorch.autograd.gradgradcheck(lambda *xs: minitorch.nn.functional.linear(*xs).tanh(), inputs)

    def hvp(lib):
        tensors = [lib.tensor(a, requires_grad=True) for a in arrays_in]
        loss = (lib.nn.functional.linear(*tensors) ** 2).sum()
        grads = lib.autograd.grad(loss, tensors, create_graph=True)
        second = lib.autograd.grad(sum((g * g).sum() for g in grads), tensors)
        return [t.detach().numpy() for t in second]
    for mine, theirs in zip(hvp(minitorch), hvp(torch)):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
def test_pad_matches_torch(mode):
    x = arrays((2, 3, 5, 4), np.float64)
    check(lambda lib, x: lib.nn.functional.pad(x, (1, 2, 2, 1), mode=mode), x)
    check(lambda lib, x: lib.nn.functional.pad(x, (-1, 2), value=3.5), x)


def test_embedding_matches_torch_with_padding_idx():
    weight = arrays((6, 3), np.float64)
    index = np.array([[0, 2, 5], [2, 2, 1]])
    check(lambda lib, w, i: lib.nn.functional.embedding(i, w, padding_idx=2), weight, index)
    theirs = torch.nn.Embedding(6, 3, padding_idx=1)
    mine = minitorch.nn.Embedding(6, 3, padding_idx=1)
    assert (mine.weight[1] == 0).all() and mine.weight.shape == theirs.weight.shape


def test_embedding_max_norm_renormalises_rows_like_torch():
    weight = arrays((5, 3), np.float64, low=-3, high=3)
    mine, theirs = minitorch.tensor(weight.copy()), torch.tensor(weight.copy())
    index = np.array([0, 3, 3])
    minitorch.nn.functional.embedding(minitorch.tensor(index), mine, max_norm=1.0)
    torch.nn.functional.embedding(torch.tensor(index), theirs, max_norm=1.0)
    np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-6)


def test_one_hot_matches_torch():
    index = np.array([[0, 3], [2, 1]])
    check(lambda lib, i: lib.nn.functional.one_hot(i), index, grad=False)
    check(lambda lib, i: lib.nn.functional.one_hot(i, 6), index, grad=False)


def test_dropout_zeroes_and_rescales_in_training_only():
    minitorch.manual_seed(0)
    layer = minitorch.nn.Dropout(0.25)
    x = minitorch.ones(4000, requires_grad=True)
    y = layer(x)
    kept = (y != 0).float().mean().item()
    assert 0.72 < kept < 0.78
    assert set(np.unique(y.detach().numpy())) <= {0.0, np.float32(1 / 0.75)}
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())
    layer.eval()
    assert layer(x) is x


def test_batch_norm_running_stats_and_eval_match_torch():
    mine, theirs = twin_layers(lambda nn: nn.BatchNorm1d(3, momentum=None), "float64")
    for seed in range(3):
        x = arrays((6, 3), np.float64, seed=seed)
        mine(minitorch.tensor(x)), theirs(torch.tensor(x))
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(mine.state_dict()[key].numpy(), value.numpy(), rtol=1e-10)
    mine.eval(), theirs.eval()
    x = arrays((4, 3), np.float64, seed=9)
    np.testing.assert_allclose(mine(minitorch.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-10)


def test_inplace_activation_writes_into_input():
    x = minitorch.tensor([-1.0, 2.0])
    assert minitorch.nn.ReLU(inplace=True)(x) is x and x.tolist() == [0.0, 2.0]
    y = minitorch.tensor([-1.0, 2.0])
    minitorch.nn.functional.leaky_relu(y, 0.5, inplace=True)
    assert y.tolist() == [-0.5, 2.0]


INPLACE_ACTIVATIONS = ["ReLU", "ReLU6", "LeakyReLU", "ELU", "SELU", "CELU", "SiLU", "Mish", "Hardtanh", "Hardsigmoid",
                       "Hardswish"]


@pytest.mark.parametrize("name", INPLACE_ACTIVATIONS)
def test_inplace_activation_inside_a_network_backpropagates_like_torch(name):
    """inplace=True overwrites the layer's input, whose values the gradient may need: the gradients
    must still be torch's (the network's first layer is what the in-place write sits on)."""
    x, w = arrays((3, 4), np.float64, seed=1), arrays((6, 4), np.float64, seed=2)

    def network(lib, x, w):
        hidden = lib.nn.functional.linear(x, w)
        return getattr(lib.nn, name)(inplace=True)(hidden) * 2
    check(network, x, w)


@pytest.mark.parametrize("name", ["hardtanh", "relu6", "hardsigmoid", "hardswish"])
def test_piecewise_activations_have_torchs_gradient_at_their_corners(name):
    """Integers hit the corners (hardtanh at +-1, relu6 at 0 and 6, hardsigmoid/hardswish at +-3),
    where torch's gradient is the one from strictly inside or outside, not clamp's 1."""
    check(lambda lib, x: getattr(lib.nn.functional, name)(x), np.arange(-4.0, 8.0))


@pytest.mark.parametrize("name", ["leaky_relu", "elu", "selu", "celu", "gelu", "silu", "mish", "softplus",
                                  "logsigmoid", "hardsigmoid", "hardswish"])
def test_activations_torch_has_no_integer_kernel_for_raise_not_implemented(name):
    with pytest.raises(NotImplementedError):
        getattr(torch.nn.functional, name)(torch.tensor([-1, 2]))
    with raises(NotImplementedError, "Long", "input.float()"):
        getattr(minitorch.nn.functional, name)(minitorch.tensor([-1, 2]))


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_of_integers_needs_a_float_or_a_dtype_as_in_torch(name):
    with raises(NotImplementedError, "Long", "dtype="):
        getattr(minitorch.nn.functional, name)(minitorch.tensor([1, 2]), 0)
    check(lambda lib, x: getattr(lib.nn.functional, name)(x, 0, dtype=lib.float64), np.array([1, 2, 5]))


def test_softmax_without_dim_warns_like_torch():
    x = minitorch.ones(2, 3)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        y = minitorch.nn.functional.softmax(x)
    assert y.sum(1).tolist() == pytest.approx([1.0, 1.0])


def test_erf_matches_torch():
    x = np.linspace(-6, 6, 1001)
    check(lambda lib, x: lib.erf(x) if lib is torch else minitorch._functions.special.erf(x), x)
    x32 = x.astype(np.float32)
    check(lambda lib, x: lib.erf(x) if lib is torch else minitorch._functions.special.erf(x), x32)


# ----------------------------------------------------------------------------- bad input
def test_linear_wrong_in_features():
    with raises(RuntimeError, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"):
        minitorch.nn.Linear(4, 5)(minitorch.ones(2, 3))
    with raises(RuntimeError, "mat1 and mat2 shapes cannot be multiplied (14x3 and 4x5)"):
        minitorch.nn.Linear(4, 5)(minitorch.ones(2, 7, 3))


def test_linear_dtype_mismatch():
    with raises(RuntimeError, "expected m1 and m2 to have the same dtype, but got: double != float"):
        minitorch.nn.Linear(3, 5)(minitorch.ones(2, 3, dtype=minitorch.float64))


def test_linear_of_a_0d_tensor_says_both_need_a_dimension_as_torch():
    for lib in (torch, minitorch):
        with raises(RuntimeError, "both arguments to linear need to be at least 1D, but they are 0D and 2D"):
            lib.nn.functional.linear(lib.tensor(1.0), lib.ones(3, 2))


@pytest.mark.parametrize("sizes", [(3, 5), [3, -1]])
def test_unflatten_sizes_that_do_not_multiply_up_raise_torchs_message(sizes):
    for lib in (torch, minitorch):
        with raises(RuntimeError, f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim 1 "
                                  "(50) in the input tensor"):
            lib.nn.Unflatten(1, sizes)(lib.ones(2, 50))


def test_conv_with_a_weight_or_bias_of_another_dtype_names_both_dtypes():
    with raises(RuntimeError, "Input type (double) and weight type (float) should be the same"):
        minitorch.nn.Conv2d(1, 1, 2)(minitorch.ones(1, 1, 4, 4, dtype=minitorch.float64))
    for lib in (torch, minitorch):
        with raises(RuntimeError, "Input type (float) and bias type (double) should be the same"):
            lib.nn.functional.conv2d(lib.ones(1, 1, 4, 4), lib.ones(1, 1, 2, 2), lib.ones(1, dtype=lib.float64))


def test_conv_channel_mismatch_message_is_torchs():
    with raises(RuntimeError, "Given groups=1, weight of size [4, 3, 3, 3], expected input[1, 2, 5, 5] to have 3 "
                              "channels, but got 2 channels instead"):
        minitorch.nn.Conv2d(3, 4, 3)(minitorch.ones(1, 2, 5, 5))
    with raises(RuntimeError, "Given groups=1, weight of size [4, 3, 3], expected input[1, 2, 5] to have 3 "
                              "channels, but got 2 channels instead"):
        minitorch.nn.Conv1d(3, 4, 3)(minitorch.ones(1, 2, 5))
    with raises(RuntimeError, "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
                              "[5, 5]"):
        minitorch.nn.Conv2d(3, 4, 3)(minitorch.ones(5, 5))
    with raises(RuntimeError, "Kernel size can't be greater than actual input size"):
        minitorch.nn.Conv2d(3, 4, 3)(minitorch.ones(1, 3, 2, 2))


def test_layer_construction_errors_match_torch():
    with raises(ValueError, "in_channels must be divisible by groups"):
        minitorch.nn.Conv2d(3, 4, 3, groups=2)
    with raises(ValueError, "padding='same' is not supported for strided convolutions"):
        minitorch.nn.Conv2d(3, 4, 3, stride=2, padding="same")
    with raises(ValueError, "dropout probability has to be between 0 and 1, but got 1.5"):
        minitorch.nn.Dropout(1.5)


def test_bad_input_to_layers():
    with raises(RuntimeError, "pad should be at most half of effective kernel size, but got pad=2, kernel_size=3"):
        minitorch.nn.MaxPool2d(3, padding=2)(minitorch.ones(1, 1, 5, 5))
    with raises(ValueError, "Expected more than 1 value per channel when training, got input size "
                            "torch.Size([1, 3])"):
        minitorch.nn.BatchNorm1d(3)(minitorch.ones(1, 3))
    with raises(RuntimeError, "running_mean should contain 4 elements not 3"):
        minitorch.nn.BatchNorm1d(3)(minitorch.ones(2, 4))
    with raises(RuntimeError, "Given normalized_shape=[3], expected input with shape [*, 3], but got input of "
                              "size[2, 4]"):
        minitorch.nn.LayerNorm(3)(minitorch.ones(2, 4))
    with raises(IndexError, "index out of range in self"):
        minitorch.nn.Embedding(3, 2)(minitorch.tensor([3]))
    with raises(RuntimeError, "'indices' to have one of the following scalar types: Long, Int; but got "
                              "torch.FloatTensor"):
        minitorch.nn.Embedding(3, 2)(minitorch.tensor([1.0]))
    with raises(RuntimeError, "bilinear(): input2 size does not match weight size: got 4 but expected 3"):
        minitorch.nn.Bilinear(2, 3, 4)(minitorch.ones(5, 2), minitorch.ones(5, 4))
    with raises(RuntimeError, "Padding length must be divisible by 2"):
        minitorch.nn.functional.pad(minitorch.ones(2, 3), (1, 2, 3))


def test_one_hot_bad_input():
    with raises(RuntimeError, "one_hot is only applicable to index tensor of type LongTensor."):
        minitorch.nn.functional.one_hot(minitorch.tensor([1.0]))
    with raises(RuntimeError, "Class values must be smaller than num_classes."):
        minitorch.nn.functional.one_hot(minitorch.tensor([3]), 2)
    with raises(RuntimeError, "Class values must be non-negative."):
        minitorch.nn.functional.one_hot(minitorch.tensor([-1]))


@pytest.mark.parametrize("make", [lambda nn: nn.LayerNorm(2), lambda nn: nn.BatchNorm1d(2),
                                  lambda nn: nn.GroupNorm(1, 2)])
def test_normalisation_with_parameters_of_another_dtype_raises_as_torch(make):
    with pytest.raises(RuntimeError, match="mixed dtype"):
        make(torch.nn).double()(torch.ones(3, 2))
    with raises(RuntimeError, "mixed dtype", "Float", "Double"):
        make(minitorch.nn).double()(minitorch.ones(3, 2))
