"""ConvTranspose1d/2d/3d, adaptive max/avg pooling in 1-D and 2-D, LP pooling, InstanceNorm1d/2d/3d, RMSNorm,
LocalResponseNorm, Conv3d, MaxPool3d, AvgPool3d and BatchNorm3d against torch: values, the gradients of the input and of every parameter (float32 and
float64), running statistics, gradcheck, initialisation bounds, reprs and torch's exception classes."""
import itertools
import math

import numpy as np
import pytest
import torch

import minitorch
from oracle import arrays, assert_close, gradcheck, module_twins

DTYPES = ["float32", "float64"]


def both_raise(exc, fn):
    """``fn(lib)`` raises ``exc`` in torch and in minitorch."""
    for lib in (torch, minitorch):
        with pytest.raises(exc):
            fn(lib)


# ---------------------------------------------------------------------------------------------- ConvTranspose

TRANSPOSE_GRID = [(stride, padding, output_padding, groups, dilation)
                  for stride, padding, output_padding, groups, dilation in
                  itertools.product([1, 2, 3], [0, 1, 2], [0, 1, 2], [1, 2], [1, 2])
                  if output_padding < max(stride, dilation)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("stride, padding, output_padding, groups, dilation", TRANSPOSE_GRID)
def test_conv_transpose2d_matches_torch(stride, padding, output_padding, groups, dilation, dtype):
    module_twins(lambda nn: nn.ConvTranspose2d(4, 6, (3, 2), stride, padding, output_padding, groups, bias=groups == 1,
                                        dilation=dilation), arrays((2, 4, 4, 5)), dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("stride, padding, output_padding, groups, dilation", TRANSPOSE_GRID)
def test_conv_transpose1d_matches_torch(stride, padding, output_padding, groups, dilation, dtype):
    module_twins(lambda nn: nn.ConvTranspose1d(4, 2, 3, stride, padding, output_padding, groups, bias=groups == 2,
                                        dilation=dilation), arrays((3, 4, 5)), dtype=dtype)


@pytest.mark.parametrize("conv, shape", [("ConvTranspose1d", (4, 7)), ("ConvTranspose2d", (4, 5, 3))])
def test_conv_transpose_of_unbatched_input_matches_torch(conv, shape):
    module_twins(lambda nn: getattr(nn, conv)(4, 3, 3, stride=2, padding=1, output_padding=1), arrays(shape))


@pytest.mark.parametrize("output_size", [(11, 9), (12, 10), [2, 3, 12, 9], (11, 10)])
def test_conv_transpose2d_output_size_picks_the_output_padding(output_size):
    mine, _ = module_twins(lambda nn: nn.ConvTranspose2d(4, 3, 3, stride=2), arrays((2, 4, 5, 4)), output_size=output_size)
    assert mine.output_padding == (0, 0)  # the layer's own output_padding is left as it was


@pytest.mark.parametrize("output_size", [[7], [8], [3, 9]])
def test_conv_transpose1d_output_size_of_unbatched_input(output_size):
    module_twins(lambda nn: nn.ConvTranspose1d(4, 3, 3, stride=3, padding=1), arrays((4, 3)), output_size=output_size)


@pytest.mark.parametrize("output_size", [(20, 20), (10, 11), (12,), (1, 12, 12)])
def test_conv_transpose2d_impossible_output_size_is_a_value_error(output_size):
    both_raise(ValueError, lambda lib: lib.nn.ConvTranspose2d(4, 3, 3, stride=2)(lib.randn(1, 4, 5, 5),
                                                                                   output_size=output_size))


def test_conv_transpose2d_impossible_output_size_names_the_valid_range():
    with pytest.raises(ValueError, match=r"valid sizes range from \[11, 11\] to \[12, 12\]"):
        minitorch.nn.ConvTranspose2d(4, 3, 3, stride=2)(minitorch.randn(1, 4, 5, 5), output_size=(20, 20))


@pytest.mark.parametrize("kwargs", [dict(), dict(stride=2, padding=1, output_padding=1), dict(groups=2, dilation=2)])
def test_conv_transpose_gradcheck(kwargs):
    x, w, b = arrays((1, 4, 3, 3)), arrays((4, 2 // kwargs.get("groups", 1), 2, 3), seed=1), arrays((2,), seed=2)
    gradcheck(lambda lib, x, w, b: lib.nn.functional.conv_transpose2d(x, w, b, **kwargs), x, w, b)
    gradcheck(lambda lib, x, w, b: lib.nn.functional.conv_transpose1d(x[..., 0, :], w[..., 0, :], b, **kwargs),
              x, w, b)


def test_conv_transpose2d_is_the_gradient_of_conv2d():
    """conv_transpose2d(g, W) = d<conv2d(x, W), g>/dx: the transpose of the convolution."""
    x = minitorch.tensor(arrays((2, 4, 7, 6)), requires_grad=True)
    w, g = minitorch.tensor(arrays((3, 4, 3, 3), seed=1)), minitorch.tensor(arrays((2, 3, 4, 3), seed=2))
    F = minitorch.nn.functional
    F.conv2d(x, w, stride=2, padding=1).backward(g)
    assert_close(F.conv_transpose2d(g, w, stride=2, padding=1, output_padding=(0, 1)), x.grad)


@pytest.mark.parametrize("conv, args", [("ConvTranspose2d", (4, 6, (3, 2))), ("ConvTranspose1d", (6, 4, 5)),
                                        ("ConvTranspose2d", (4, 6, 3, 1, 0, 0, 2))])
def test_conv_transpose_init_is_kaiming_uniform_over_out_channels_per_group(conv, args):
    """fan_in is weight.shape[1] * prod(kernel) = out_channels / groups * prod(kernel_size), as torch."""
    layer = getattr(minitorch.nn, conv)(*args)
    reference = getattr(torch.nn, conv)(*args)
    assert layer.weight.shape == reference.weight.shape and layer.bias.shape == reference.bias.shape
    bound = 1 / math.sqrt(layer.weight.shape[1] * math.prod(layer.weight.shape[2:]))
    for values in (layer.weight.detach().numpy(), layer.bias.detach().numpy()):
        assert np.abs(values).max() <= bound
    weights = np.concatenate([getattr(minitorch.nn, conv)(*args).weight.detach().numpy().ravel()
                              for _ in range(20)])
    assert np.abs(weights).max() > 0.9 * bound and abs(weights.mean()) < 0.1 * bound


@pytest.mark.parametrize("conv, args, kwargs", [
    ("ConvTranspose2d", (4, 6, 3), dict(stride=2, padding=1, output_padding=1, groups=2, bias=False, dilation=2)),
    ("ConvTranspose1d", (4, 6, 3), {}),
    ("ConvTranspose2d", (4, 6, (3, 1)), dict(stride=(2, 1), output_padding=(1, 0))),
    ("ConvTranspose1d", (2, 2, 2), dict(padding=1, dilation=3, output_padding=2)),
])
def test_conv_transpose_repr_matches_torch(conv, args, kwargs):
    assert repr(getattr(minitorch.nn, conv)(*args, **kwargs)) == repr(getattr(torch.nn, conv)(*args, **kwargs))


@pytest.mark.parametrize("fn, x, w, kwargs, exc", [
    ("conv_transpose2d", (1, 4, 5, 5), (4, 3, 3, 3), dict(stride=2, output_padding=2), RuntimeError),
    ("conv_transpose2d", (1, 4, 5, 5), (4, 3, 3, 3), dict(output_padding=1), RuntimeError),
    ("conv_transpose1d", (1, 4, 5), (4, 3, 3), dict(stride=2, dilation=2, output_padding=2), RuntimeError),
    ("conv_transpose2d", (1, 5, 5, 5), (4, 3, 3, 3), {}, RuntimeError),
    ("conv_transpose2d", (1, 4, 5, 5), (4, 3, 3, 3), dict(groups=3), RuntimeError),
    ("conv_transpose2d", (1, 4, 5, 5), (4, 3, 3), {}, RuntimeError),
    ("conv_transpose2d", (5, 5), (4, 3, 3, 3), {}, RuntimeError),
    ("conv_transpose2d", (1, 4, 5, 5), (4, 3, 3, 3), dict(padding=-1), RuntimeError),
    ("conv_transpose2d", (1, 4, 5, 5), (4, 3, 3, 3), dict(stride=0), RuntimeError),
    ("conv_transpose2d", (1, 4, 5, 5), (4, 3, 3, 3), dict(dilation=0), RuntimeError),
    ("conv_transpose2d", (1, 4, 5, 5), (4, 3, 3, 3), dict(padding=4), RuntimeError),
    ("conv_transpose2d", (1, 4, 5, 5), (4, 3, 3, 3), dict(padding=(1, 1, 1)), RuntimeError),
    ("conv_transpose1d", (1, 4, 5), (4, 3, 3), dict(padding="same"), TypeError),
])
def test_conv_transpose_bad_arguments_raise_torchs_class(fn, x, w, kwargs, exc):
    both_raise(exc, lambda lib: getattr(lib.nn.functional, fn)(lib.randn(*x), lib.randn(*w), **kwargs))


def test_conv_transpose_errors_name_what_was_wrong():
    F = minitorch.nn.functional
    with pytest.raises(RuntimeError, match=r"output padding must be smaller than either stride or dilation"):
        F.conv_transpose2d(minitorch.randn(1, 4, 5, 5), minitorch.randn(4, 3, 3, 3), stride=2, output_padding=2)
    with pytest.raises(RuntimeError, match=r"expected input\[1, 5, 5, 5\] to have 4 channels, but got 5"):
        F.conv_transpose2d(minitorch.randn(1, 5, 5, 5), minitorch.randn(4, 3, 3, 3))
    with pytest.raises(RuntimeError, match=r"expected bias to be 1-dimensional with 3 elements, but got bias of "
                                           r"size \[4\]"):
        F.conv_transpose2d(minitorch.randn(1, 4, 5, 5), minitorch.randn(4, 3, 3, 3), minitorch.randn(4))
    with pytest.raises(RuntimeError, match=r"Input type \(float\) and weight type \(double\)"):
        F.conv_transpose2d(minitorch.randn(1, 4, 5, 5), minitorch.randn(4, 3, 3, 3, dtype=minitorch.float64))


@pytest.mark.parametrize("kwargs, exc", [(dict(padding_mode="reflect"), ValueError), (dict(groups=4), ValueError),
                                         (dict(groups=0), ValueError)])
def test_conv_transpose_module_bad_arguments_raise_torchs_class(kwargs, exc):
    both_raise(exc, lambda lib: lib.nn.ConvTranspose2d(4, 6, 3, **kwargs))


# ------------------------------------------------------------------------------------------- adaptive pooling

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("output_size", [1, 3, 4, (2, 5), (None, 3), (7, 9), (5, None), (9, 11)])
@pytest.mark.parametrize("shape", [(2, 3, 7, 9), (3, 7, 9)])
def test_adaptive_pool2d_matches_torch(shape, output_size, dtype):
    x = arrays(shape)
    module_twins(lambda nn: nn.AdaptiveMaxPool2d(output_size, return_indices=True), x, dtype=dtype)
    module_twins(lambda nn: nn.AdaptiveMaxPool2d(output_size), x, dtype=dtype)
    module_twins(lambda nn: nn.AdaptiveAvgPool2d(output_size), x, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("output_size", [1, 3, 4, (5,), [6], 7, 10])
@pytest.mark.parametrize("shape", [(2, 3, 7), (3, 7)])
def test_adaptive_pool1d_matches_torch(shape, output_size, dtype):
    x = arrays(shape)
    module_twins(lambda nn: nn.AdaptiveMaxPool1d(output_size, return_indices=True), x, dtype=dtype)
    module_twins(lambda nn: nn.AdaptiveMaxPool1d(output_size), x, dtype=dtype)
    module_twins(lambda nn: nn.AdaptiveAvgPool1d(output_size), x, dtype=dtype)


def test_adaptive_windows_follow_torchs_floor_ceil_rule():
    """Output i of a length-L dim pools [floor(i*L/out), ceil((i+1)*L/out)): for L=5, out=3, [0,2), [1,4), [3,5)."""
    x = minitorch.tensor([[[1.0, 2.0, 3.0, 4.0, 5.0]]])
    assert minitorch.nn.functional.adaptive_avg_pool1d(x, 3).tolist() == [[[1.5, 3.0, 4.5]]]
    values, indices = minitorch.nn.functional.adaptive_max_pool1d(x, 3, return_indices=True)
    assert values.tolist() == [[[2.0, 4.0, 5.0]]] and indices.tolist() == [[[1, 3, 4]]]


@pytest.mark.parametrize("fn, args", [
    ("adaptive_max_pool2d_with_indices", ((2, 3),)), ("adaptive_max_pool1d_with_indices", (3,)),
    ("max_pool2d_with_indices", (3, 2, 1)), ("max_pool1d_with_indices", (2,)),
])
def test_with_indices_functions_return_values_and_indices(fn, args):
    shape = (2, 3, 7, 6) if "2d" in fn else (2, 3, 7)
    out = [getattr(lib.nn.functional, fn)(lib.tensor(arrays(shape)), *args) for lib in (minitorch, torch)]
    assert isinstance(out[0], tuple) and len(out[0]) == 2
    for mine, theirs in zip(*out):
        assert_close(mine, theirs)


@pytest.mark.parametrize("kwargs", [dict(output_size=(2, 3)), dict(output_size=2)])
def test_adaptive_pool_gradcheck(kwargs):
    gradcheck(lambda lib, x: lib.nn.functional.adaptive_max_pool2d(x, **kwargs), arrays((1, 2, 5, 4)))
    gradcheck(lambda lib, x: lib.nn.functional.adaptive_avg_pool2d(x, **kwargs), arrays((1, 2, 5, 4)))
    gradcheck(lambda lib, x: lib.nn.functional.adaptive_max_pool1d(x, 3), arrays((2, 5)))


@pytest.mark.parametrize("fn, shape, output_size", [
    ("adaptive_max_pool2d", (5, 5), 2), ("adaptive_avg_pool2d", (5,), 2), ("adaptive_max_pool2d", (1, 0, 5), 2),
    ("adaptive_max_pool1d", (5,), 2), ("adaptive_avg_pool1d", (5,), 2), ("adaptive_avg_pool1d", (1, 5, 5), (2, 2)),
    ("adaptive_max_pool1d", (1, 2, 5, 5), 2),
])
def test_adaptive_pool_bad_input_is_a_runtime_error(fn, shape, output_size):
    both_raise(RuntimeError, lambda lib: getattr(lib.nn.functional, fn)(lib.randn(*shape), output_size))


@pytest.mark.parametrize("fn", ["adaptive_max_pool1d", "adaptive_avg_pool1d"])
def test_adaptive_pool1d_output_size_none_is_a_type_error(fn):
    both_raise(TypeError, lambda lib: getattr(lib.nn.functional, fn)(lib.randn(2, 5), None))


@pytest.mark.parametrize("layer, args", [("AdaptiveMaxPool2d", ((2, None),)), ("AdaptiveMaxPool1d", (3,)),
                                         ("AdaptiveAvgPool1d", (3,)), ("AdaptiveMaxPool2d", (2, True)),
                                         ("LPPool1d", (2, 3)), ("LPPool2d", (1.5, (2, 3), 1, True))])
def test_pooling_repr_matches_torch(layer, args):
    assert repr(getattr(minitorch.nn, layer)(*args)) == repr(getattr(torch.nn, layer)(*args))


# ---------------------------------------------------------------------------------------------------- LP pool

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("norm_type, kernel_size, stride, ceil_mode", [
    (2, 2, None, False), (2, 3, 2, True), (1, (2, 3), 1, False), (3, (3, 2), (2, 1), True), (1.5, 2, 1, False)])
def test_lp_pool_matches_torch(norm_type, kernel_size, stride, ceil_mode, dtype):
    x = arrays((2, 3, 7, 6), low=0.2, high=2.0)  # positive: an odd power's negative sum becomes 0, root undefined
    module_twins(lambda nn: nn.LPPool2d(norm_type, kernel_size, stride, ceil_mode), x, dtype=dtype)
    single = (lambda v: v[0] if isinstance(v, tuple) else v)
    module_twins(lambda nn: nn.LPPool1d(norm_type, single(kernel_size), single(stride), ceil_mode), x[0], dtype=dtype)


def test_lp_pool_of_norm_two_has_signed_input_gradients_as_torch():
    module_twins(lambda nn: nn.LPPool2d(2, 2), arrays((1, 2, 4, 4)))


def test_lp_pool_gradcheck():
    gradcheck(lambda lib, x: lib.nn.functional.lp_pool2d(x, 2.0, 2, 1), arrays((1, 2, 4, 3), low=0.5))
    gradcheck(lambda lib, x: lib.nn.functional.lp_pool1d(x, 3.0, 2), arrays((2, 5), low=0.5))


# --------------------------------------------------------------------------------------------- InstanceNorm

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("affine, track, momentum", [(False, False, 0.1), (True, False, 0.1), (True, True, 0.1),
                                                      (False, True, 0.5), (True, True, None)])
@pytest.mark.parametrize("layer, shape", [("InstanceNorm1d", (3, 4, 6)), ("InstanceNorm1d", (4, 5)),
                                          ("InstanceNorm2d", (2, 4, 3, 5)), ("InstanceNorm2d", (4, 3, 2)),
                                          ("InstanceNorm3d", (2, 4, 3, 2, 3)), ("InstanceNorm3d", (4, 2, 3, 2))])
def test_instance_norm_matches_torch_in_training_then_evaluation(layer, shape, affine, track, momentum, dtype):
    module_twins(lambda nn: getattr(nn, layer)(4, eps=1e-3, momentum=momentum, affine=affine, track_running_stats=track),
          arrays(shape), dtype=dtype, modes=(True, True, False))


def test_instance_norm_without_bias_as_torch():
    module_twins(lambda nn: nn.InstanceNorm2d(4, affine=True, bias=False), arrays((2, 4, 3, 3)))


def test_functional_instance_norm_updates_given_running_stats_as_torch():
    x = arrays((3, 2, 5))
    stats = {}
    for lib in (torch, minitorch):
        mean, var = lib.zeros(2, dtype=lib.float64), lib.ones(2, dtype=lib.float64)
        out = lib.nn.functional.instance_norm(lib.tensor(x), mean, var, momentum=0.3)
        stats[lib.__name__] = (out, mean, var)
    for mine, theirs in zip(stats["minitorch"], stats["torch"]):
        assert_close(mine, theirs)


def test_instance_norm_gradcheck():
    w, b = arrays((3,), seed=1), arrays((3,), seed=2)
    gradcheck(lambda lib, x, w, b: lib.nn.functional.instance_norm(x, weight=w, bias=b), arrays((2, 3, 4)), w, b)
    gradcheck(lambda lib, x, w, b: lib.nn.functional.instance_norm(x, weight=w, bias=b), arrays((1, 3, 2, 2, 3)), w, b)


@pytest.mark.parametrize("make, shape, exc", [
    (lambda nn: nn.InstanceNorm1d(3), (2, 3, 4, 5), ValueError),
    (lambda nn: nn.InstanceNorm2d(3), (3, 4), ValueError),
    (lambda nn: nn.InstanceNorm1d(3, affine=True), (2, 4, 5), ValueError),
    (lambda nn: nn.InstanceNorm1d(3), (2, 3, 1), ValueError),
    (lambda nn: nn.InstanceNorm3d(3), (2, 3, 4), ValueError),
    (lambda nn: nn.InstanceNorm3d(3, affine=True), (2, 4, 2, 2, 2), ValueError),
])
def test_instance_norm_bad_input_raises_torchs_class(make, shape, exc):
    both_raise(exc, lambda lib: make(lib.nn)(lib.randn(*shape)))


def test_instance_norm_bad_functional_arguments_raise_torchs_class():
    both_raise(RuntimeError, lambda lib: lib.nn.functional.instance_norm(lib.randn(2, 3, 4), use_input_stats=False))
    both_raise(ValueError, lambda lib: lib.nn.functional.instance_norm(lib.randn(2, 3, 4), lib.zeros(3), None))
    both_raise(RuntimeError, lambda lib: lib.nn.functional.instance_norm(lib.randn(2, 3, 4), weight=lib.ones(4)))


def test_instance_norm_warns_when_channels_do_not_match_without_affine():
    with pytest.warns(UserWarning, match="does not match num_features"):
        minitorch.nn.InstanceNorm1d(3)(minitorch.randn(2, 4, 5))


@pytest.mark.parametrize("args, kwargs", [((3,), {}), ((3,), dict(affine=True, track_running_stats=True)),
                                          ((5,), dict(eps=1e-3, momentum=None, affine=True, bias=False))])
@pytest.mark.parametrize("layer", ["InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"])
def test_instance_norm_parameters_buffers_and_repr_match_torch(layer, args, kwargs):
    mine, theirs = getattr(minitorch.nn, layer)(*args, **kwargs), getattr(torch.nn, layer)(*args, **kwargs)
    assert repr(mine) == repr(theirs)
    assert list(mine.state_dict()) == list(theirs.state_dict())


# ------------------------------------------------------------------------------------------------- 3-D layers

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("stride, padding, dilation, groups", [
    (1, 0, 1, 1), (2, 1, 1, 2), ((2, 1, 3), (2, 0, 1), (1, 2, 1), 1), (1, "same", 2, 2), (1, "valid", 1, 1),
    (3, 2, 2, 2)])
@pytest.mark.parametrize("shape", [(2, 4, 5, 6, 7), (4, 5, 6, 7)])
def test_conv3d_matches_torch(shape, stride, padding, dilation, groups, dtype):
    module_twins(lambda nn: nn.Conv3d(4, 6, (3, 2, 3), stride, padding, dilation, groups, bias=groups == 1), arrays(shape),
          dtype=dtype)


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_conv3d_padding_modes_match_torch(mode):
    module_twins(lambda nn: nn.Conv3d(2, 3, 3, padding=1, padding_mode=mode), arrays((1, 2, 4, 5, 3)))
    module_twins(lambda nn: nn.Conv3d(2, 3, (2, 3, 3), padding="same", padding_mode=mode), arrays((1, 2, 4, 5, 3)))


def test_conv3d_gradcheck_init_and_repr():
    x, w, b = arrays((1, 2, 3, 4, 3)), arrays((2, 1, 2, 2, 2), seed=1), arrays((2,), seed=2)
    gradcheck(lambda lib, x, w, b: lib.nn.functional.conv3d(x, w, b, stride=(1, 2, 1), padding=1, groups=2), x, w, b)
    layer = minitorch.nn.Conv3d(4, 6, (3, 2, 1), groups=2)
    bound = 1 / math.sqrt(2 * 3 * 2 * 1)
    assert np.abs(layer.weight.detach().numpy()).max() <= bound and layer.weight.shape == (6, 2, 3, 2, 1)
    for args, kwargs in (((4, 6, 3), {}), ((2, 4, (1, 2, 3)), dict(stride=2, padding=1, groups=2, bias=False))):
        assert repr(minitorch.nn.Conv3d(*args, **kwargs)) == repr(torch.nn.Conv3d(*args, **kwargs))


@pytest.mark.parametrize("fn, x, w, kwargs", [
    ("conv3d", (1, 4, 5, 5, 5), (6, 4, 3, 3), {}), ("conv3d", (5, 5, 5), (6, 4, 3, 3, 3), {}),
    ("conv3d", (1, 5, 5, 5, 5), (6, 4, 3, 3, 3), {}), ("conv3d", (1, 4, 5, 5, 2), (6, 4, 3, 3, 3), {}),
    ("conv3d", (1, 4, 5, 5, 5), (6, 4, 3, 3, 3), dict(stride=(1, 1))),
])
def test_conv3d_bad_arguments_raise_runtime_error_as_torch(fn, x, w, kwargs):
    both_raise(RuntimeError, lambda lib: getattr(lib.nn.functional, fn)(lib.randn(*x), lib.randn(*w), **kwargs))


TRANSPOSE3D_GRID = [(1, 0, 0, 1, 1), (2, 1, 1, 2, 1), (3, 2, 2, 1, 2), (2, 0, 1, 2, 2), (1, 1, 1, 1, 2),
                    ((2, 1, 3), (1, 0, 2), (1, 0, 2), 2, (1, 2, 1)), ((1, 3, 2), (0, 2, 1), (0, 2, 1), 1, (2, 1, 1))]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("stride, padding, output_padding, groups, dilation", TRANSPOSE3D_GRID)
def test_conv_transpose3d_matches_torch(stride, padding, output_padding, groups, dilation, dtype):
    module_twins(lambda nn: nn.ConvTranspose3d(4, 6, (2, 3, 2), stride, padding, output_padding, groups,
                                               bias=groups == 1, dilation=dilation), arrays((2, 4, 3, 2, 3)),
                 dtype=dtype)


@pytest.mark.parametrize("output_size", [None, (6, 7, 5), [3, 6, 8, 6]])
def test_conv_transpose3d_of_unbatched_input_and_output_size_match_torch(output_size):
    module_twins(lambda nn: nn.ConvTranspose3d(4, 3, 3, stride=2, padding=1), arrays((4, 3, 4, 3)),
                 output_size=output_size)


def test_conv_transpose3d_gradcheck_init_and_repr():
    x, w, b = arrays((1, 4, 2, 3, 2)), arrays((4, 1, 2, 2, 3), seed=1), arrays((2,), seed=2)
    gradcheck(lambda lib, x, w, b: lib.nn.functional.conv_transpose3d(x, w, b, stride=(2, 1, 2), padding=(1, 0, 1),
                                                                      output_padding=(1, 0, 0), groups=2), x, w, b)
    layer = minitorch.nn.ConvTranspose3d(4, 6, (3, 2, 1), groups=2)
    bound = 1 / math.sqrt(3 * 3 * 2 * 1)  # fan_in: out_channels / groups * prod(kernel_size)
    assert np.abs(layer.weight.detach().numpy()).max() <= bound and layer.weight.shape == (4, 3, 3, 2, 1)
    for args, kwargs in (((4, 6, 3), {}), ((4, 6, (3, 2, 2)), dict(stride=2, padding=1, output_padding=1, groups=2,
                                                                    bias=False, dilation=2))):
        assert repr(minitorch.nn.ConvTranspose3d(*args, **kwargs)) == repr(torch.nn.ConvTranspose3d(*args, **kwargs))


@pytest.mark.parametrize("x, w, kwargs", [
    ((1, 4, 3, 3, 3), (4, 3, 3, 3), {}), ((1, 5, 3, 3, 3), (4, 3, 3, 3, 3), {}),
    ((1, 4, 1, 3, 3), (4, 3, 1, 3, 3), dict(padding=(1, 0, 0))),
    ((1, 4, 3, 3, 3), (4, 3, 3, 3, 3), dict(stride=2, output_padding=(0, 2, 0))),
])
def test_conv_transpose3d_bad_arguments_raise_runtime_error_as_torch(x, w, kwargs):
    both_raise(RuntimeError, lambda lib: lib.nn.functional.conv_transpose3d(lib.randn(*x), lib.randn(*w), **kwargs))


def test_conv_transpose3d_too_small_output_names_all_three_sizes():
    with pytest.raises(RuntimeError, match=r"input size per channel: \(1 x 3 x 3\)\. Calculated output size per "
                                           r"channel: \(-1 x 3 x 3\)"):
        minitorch.nn.functional.conv_transpose3d(minitorch.randn(1, 2, 1, 3, 3), minitorch.randn(2, 1, 1, 1, 1),
                                                 padding=(1, 0, 0))


def test_conv_transpose3d_impossible_output_size_is_a_value_error():
    both_raise(ValueError, lambda lib: lib.nn.ConvTranspose3d(2, 3, 3, stride=2)(lib.randn(1, 2, 3, 3, 3),
                                                                                   output_size=(9, 9, 9)))


POOL3D_GRID = [(2, None, 0, 1, False), ((3, 2, 2), 1, 1, 1, True), (3, (2, 1, 2), (1, 0, 1), (2, 1, 1), False),
               ((2, 3, 2), 2, (1, 1, 0), 1, True)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kernel_size, stride, padding, dilation, ceil_mode", POOL3D_GRID)
@pytest.mark.parametrize("shape", [(2, 3, 5, 6, 7), (3, 5, 6, 7)])
def test_max_pool3d_matches_torch(shape, kernel_size, stride, padding, dilation, ceil_mode, dtype):
    module_twins(lambda nn: nn.MaxPool3d(kernel_size, stride, padding, dilation, True, ceil_mode), arrays(shape),
          dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("count_include_pad, divisor_override", [(True, None), (False, None), (True, 5)])
@pytest.mark.parametrize("kernel_size, stride, padding, dilation, ceil_mode", POOL3D_GRID)
def test_avg_pool3d_matches_torch(kernel_size, stride, padding, dilation, ceil_mode, count_include_pad,
                                  divisor_override, dtype):
    module_twins(lambda nn: nn.AvgPool3d(kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override),
          arrays((2, 3, 5, 6, 7)), dtype=dtype)


def test_pool3d_gradcheck_and_repr():
    gradcheck(lambda lib, x: lib.nn.functional.max_pool3d(x, 2, 1, 1), arrays((1, 2, 3, 4, 3)))
    gradcheck(lambda lib, x: lib.nn.functional.avg_pool3d(x, 2, 1, 1, True, False), arrays((1, 2, 3, 4, 3)))
    for layer, args in (("MaxPool3d", (2,)), ("MaxPool3d", ((2, 1, 2), 1, 1, 2, False, True)), ("AvgPool3d", (2,)),
                        ("AvgPool3d", (3, 2, 1))):
        assert repr(getattr(minitorch.nn, layer)(*args)) == repr(getattr(torch.nn, layer)(*args))


@pytest.mark.parametrize("fn, shape, args, kwargs", [
    ("max_pool3d", (3, 4, 5), (2,), {}), ("avg_pool3d", (3, 4, 5), (2,), {}),
    ("max_pool3d", (1, 3, 4, 5, 5), (2,), dict(stride=0)), ("max_pool3d", (1, 3, 4, 5, 5), ((2, 2),), {}),
    ("max_pool3d", (1, 3, 4, 5, 5), (2,), dict(padding=2)), ("avg_pool3d", (1, 3, 4, 5, 5), (2,), dict(padding=2)),
    ("max_pool3d", (1, 3, 1, 5, 5), (2,), {}), ("avg_pool3d", (1, 3, 4, 5, 5), (2,), dict(divisor_override=0)),
])
def test_pool3d_bad_arguments_raise_runtime_error_as_torch(fn, shape, args, kwargs):
    both_raise(RuntimeError, lambda lib: getattr(lib.nn.functional, fn)(lib.randn(*shape), *args, **kwargs))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kwargs", [dict(), dict(momentum=None, affine=False), dict(track_running_stats=False)])
def test_batch_norm3d_matches_torch_in_training_then_evaluation(kwargs, dtype):
    module_twins(lambda nn: nn.BatchNorm3d(3, **kwargs), arrays((2, 3, 2, 3, 4)), dtype=dtype, modes=(True, True, False))


def test_batch_norm3d_repr_and_bad_input():
    assert repr(minitorch.nn.BatchNorm3d(3, eps=1e-3)) == repr(torch.nn.BatchNorm3d(3, eps=1e-3))
    both_raise(ValueError, lambda lib: lib.nn.BatchNorm3d(3)(lib.randn(2, 3, 4, 5)))


# ----------------------------------------------------------------------------------------- RMSNorm and LRN

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("normalized_shape, eps, affine", [(5, None, True), ((4, 5), 1e-3, True), ([5], 0.5, False),
                                                           ((3, 4, 5), None, False)])
def test_rms_norm_matches_torch(normalized_shape, eps, affine, dtype):
    module_twins(lambda nn: nn.RMSNorm(normalized_shape, eps, affine), arrays((3, 4, 5)), dtype=dtype)
    if affine:  # a weight other than ones, so that its effect is seen
        module_twins(lambda nn: _scaled(nn.RMSNorm(normalized_shape, eps, affine)), arrays((2, 3, 4, 5)), dtype=dtype)


def _scaled(layer):
    """A layer whose weight is not all ones (torch's random numbers, copied into minitorch by ``twins``)."""
    if isinstance(layer, torch.nn.Module):
        with torch.no_grad():
            layer.weight.uniform_(0.5, 1.5)
    return layer


def test_rms_norm_default_eps_is_the_dtypes_machine_epsilon():
    x = minitorch.tensor([[0.0, 0.0, 0.0]])
    assert minitorch.nn.RMSNorm(3)(x).tolist() == [[0.0, 0.0, 0.0]]
    tiny = np.full((1, 2), 1e-4, dtype=np.float32)
    assert_close(minitorch.nn.functional.rms_norm(minitorch.tensor(tiny), (2,)),
                 torch.nn.functional.rms_norm(torch.tensor(tiny), (2,)))


def test_rms_norm_gradcheck():
    gradcheck(lambda lib, x, w: lib.nn.functional.rms_norm(x, (4,), w, 1e-3), arrays((3, 4)), arrays((4,), seed=1))


def test_rms_norm_wrong_shape_is_a_runtime_error_naming_both_shapes():
    both_raise(RuntimeError, lambda lib: lib.nn.functional.rms_norm(lib.randn(2, 3), (4,)))
    with pytest.raises(RuntimeError, match=r"normalized_shape=\[4\].*\[2, 3\]"):
        minitorch.nn.RMSNorm(4)(minitorch.randn(2, 3))


@pytest.mark.parametrize("args", [(3,), ((3, 4), 1e-3, False), ([5],)])
def test_rms_norm_parameters_and_repr_match_torch(args):
    mine, theirs = minitorch.nn.RMSNorm(*args), torch.nn.RMSNorm(*args)
    assert repr(mine) == repr(theirs)
    assert [(k, tuple(v.shape)) for k, v in mine.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size, alpha, beta, k", [(1, 1e-4, 0.75, 1.0), (2, 0.1, 0.6, 2.0), (3, 0.5, 0.75, 1.0),
                                                  (6, 1.0, 1.5, 0.5)])
@pytest.mark.parametrize("shape", [(2, 5, 4), (2, 5, 3, 4), (1, 4, 2, 3, 2)])
def test_local_response_norm_matches_torch(shape, size, alpha, beta, k, dtype):
    module_twins(lambda nn: nn.LocalResponseNorm(size, alpha, beta, k), arrays(shape), dtype=dtype)


def test_local_response_norm_gradcheck_repr_and_bad_input():
    gradcheck(lambda lib, x: lib.nn.functional.local_response_norm(x, 3, 0.5), arrays((2, 4, 3)))
    assert repr(minitorch.nn.LocalResponseNorm(3, k=2)) == repr(torch.nn.LocalResponseNorm(3, k=2))
    both_raise(ValueError, lambda lib: lib.nn.functional.local_response_norm(lib.randn(2, 3), 2))


def test_new_layers_are_in_the_public_namespaces():
    names = ["Conv3d", "MaxPool3d", "AvgPool3d", "BatchNorm3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
             "AdaptiveAvgPool1d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d",
             "LPPool1d", "LPPool2d", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "RMSNorm",
             "LocalResponseNorm"]
    assert all(hasattr(minitorch.nn, name) for name in names)
    functions = ["conv3d", "max_pool3d", "avg_pool3d", "max_pool3d_with_indices", "conv_transpose1d", "conv_transpose2d",
                 "conv_transpose3d", "adaptive_avg_pool1d", "adaptive_max_pool1d",
                 "adaptive_max_pool2d", "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
                 "max_pool1d_with_indices", "max_pool2d_with_indices", "lp_pool1d", "lp_pool2d", "instance_norm",
                 "rms_norm", "local_response_norm"]
    assert all(hasattr(minitorch.nn.functional, name) for name in functions)
