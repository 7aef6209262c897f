"""Lazy modules (nn.LazyLinear, LazyConv*, LazyBatchNorm*, LazyInstanceNorm*) against torch: after the dry run
the same weights give the same outputs and gradients; shapes, init ranges, class, reprs, state_dict and
errors as torch's; the parameters are materialised in place, so an optimizer built before the dry run trains."""
import copy
import math

import numpy as np
import pytest
import torch

import minitorch
from oracle import arrays, assert_close, module_twins, raises

# name: (make(nn), dry-run input shape, test input shape)
LAZY = {
    "linear": (lambda nn: nn.LazyLinear(3), (2, 4), (5, 4)),
    "linear_3d_input_no_bias": (lambda nn: nn.LazyLinear(3, bias=False), (2, 5, 4), (3, 2, 4)),
    "conv1d": (lambda nn: nn.LazyConv1d(4, 3, padding=1), (2, 3, 7), (2, 3, 7)),
    "conv1d_unbatched": (lambda nn: nn.LazyConv1d(4, 3), (3, 7), (3, 6)),
    "conv2d_groups": (lambda nn: nn.LazyConv2d(4, 3, stride=2, groups=2), (2, 6, 7, 7), (1, 6, 5, 5)),
    "conv3d": (lambda nn: nn.LazyConv3d(2, 2, bias=False), (1, 3, 4, 4, 4), (2, 3, 3, 4, 4)),
    "conv_transpose1d": (lambda nn: nn.LazyConvTranspose1d(4, 3, stride=2), (2, 3, 5), (2, 3, 5)),
    "conv_transpose2d_unbatched": (lambda nn: nn.LazyConvTranspose2d(6, 3, groups=3, padding=1), (3, 4, 4),
                                   (3, 5, 4)),
    "conv_transpose3d_groups": (lambda nn: nn.LazyConvTranspose3d(4, (2, 3, 2), stride=(2, 1, 1), padding=(0, 1, 0),
                                                                  output_padding=(1, 0, 0), groups=2),
                                (1, 4, 2, 3, 2), (2, 4, 3, 2, 2)),
    "batchnorm1d": (lambda nn: nn.LazyBatchNorm1d(), (4, 3), (6, 3)),
    "batchnorm2d_momentum_none": (lambda nn: nn.LazyBatchNorm2d(momentum=None), (2, 3, 4, 4), (2, 3, 4, 4)),
    "batchnorm3d_no_affine": (lambda nn: nn.LazyBatchNorm3d(affine=False), (2, 3, 2, 3, 3), (2, 3, 2, 3, 3)),
    "instancenorm1d": (lambda nn: nn.LazyInstanceNorm1d(), (2, 3, 5), (2, 3, 6)),
    "instancenorm2d_no_stats": (lambda nn: nn.LazyInstanceNorm2d(track_running_stats=False), (2, 3, 4, 4),
                                (2, 3, 4, 5)),
    "instancenorm3d_affine": (lambda nn: nn.LazyInstanceNorm3d(affine=True), (2, 3, 2, 3, 2), (2, 3, 3, 2, 2)),
}


def _lib(nn):
    return torch if nn is torch.nn else minitorch


def _dry_run(make, shape):
    """``make`` for module_twins: the lazy layer, already materialised by one forward on zeros."""
    def made(nn):
        layer = make(nn)
        layer(_lib(nn).zeros(*shape))
        return layer
    return made


@pytest.mark.parametrize("name", LAZY)
def test_after_the_dry_run_outputs_and_gradients_match_torch(name):
    make, dry_shape, shape = LAZY[name]
    module_twins(_dry_run(make, dry_shape), arrays(shape, seed=1), modes=(True, False))


@pytest.mark.parametrize("name", LAZY)
def test_repr_class_and_shapes_before_and_after_as_torch(name):
    make, dry_shape, _ = LAZY[name]
    mine, theirs = make(minitorch.nn), make(torch.nn)
    assert repr(mine) == repr(theirs)
    assert type(mine).__name__ == type(theirs).__name__ and mine.has_uninitialized_params()
    mine(minitorch.zeros(*dry_shape)), theirs(torch.zeros(*dry_shape))
    assert repr(mine) == repr(theirs)
    assert type(mine).__name__ == type(theirs).__name__ and not type(mine).__name__.startswith("Lazy")
    assert type(mine) is getattr(minitorch.nn, type(theirs).__name__)
    assert not hasattr(mine, "has_uninitialized_params")
    mine_state, their_state = mine.state_dict(), theirs.state_dict()
    assert list(mine_state) == list(their_state)
    for key, value in their_state.items():
        assert mine_state[key].shape == value.shape and str(mine_state[key].dtype) == str(value.dtype), key
        assert type(mine_state[key]) is minitorch.Tensor
    for (key, param), (_, expected) in zip(mine.named_parameters(), theirs.named_parameters()):
        assert type(param) is minitorch.nn.Parameter and param.requires_grad, key


@pytest.mark.parametrize("make, shape, fan_in", [
    (lambda nn: nn.LazyLinear(40), (3, 50), 50),
    (lambda nn: nn.LazyConv2d(30, (3, 2), groups=2), (2, 8, 5, 5), 4 * 3 * 2),
    (lambda nn: nn.LazyConvTranspose1d(12, 5, groups=3), (1, 6, 5), 4 * 5),
    (lambda nn: nn.LazyConvTranspose3d(12, (3, 2, 2), groups=3), (1, 6, 2, 2, 2), 4 * 3 * 2 * 2),
])
def test_weights_and_biases_are_initialised_as_the_ordinary_layer(make, shape, fan_in):
    """U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the weight (kaiming_uniform_, a=sqrt 5) and the bias (seeded: a
    dozen biases all under 0.8 of the bound happen about once in 15 draws)."""
    minitorch.manual_seed(0)
    layer = make(minitorch.nn)
    layer(minitorch.zeros(*shape))
    expected = make(torch.nn)
    expected(torch.zeros(*shape))
    bound = 1 / math.sqrt(fan_in)
    for name in ("weight", "bias"):
        values = getattr(layer, name).detach().numpy()
        assert values.shape == tuple(getattr(expected, name).shape)
        assert np.abs(values).max() <= bound and np.abs(values).max() > 0.8 * bound, name
        assert values.std() > 0.4 * bound, name


def test_norm_layers_start_from_ones_zeros_and_fresh_statistics():
    layer = minitorch.nn.LazyBatchNorm2d(dtype=minitorch.float64).eval()
    layer(minitorch.zeros(2, 5, 3, 3, dtype=minitorch.float64))
    assert layer.weight.tolist() == [1.0] * 5 and layer.bias.tolist() == [0.0] * 5
    assert layer.running_mean.tolist() == [0.0] * 5 and layer.running_var.tolist() == [1.0] * 5
    assert layer.num_batches_tracked.item() == 0
    assert all(t.dtype == minitorch.float64 for t in (layer.weight, layer.running_mean, layer.running_var))
    assert type(layer.running_mean) is minitorch.Tensor and not layer.running_mean.requires_grad


def test_dtype_and_device_come_from_the_factory_arguments():
    layer = minitorch.nn.LazyLinear(3, dtype=minitorch.float64, device="cpu")
    assert layer.weight.dtype == minitorch.float64 and layer.weight.device == minitorch.device("cpu")
    layer(minitorch.zeros(2, 4, dtype=minitorch.float64))
    assert layer.weight.dtype == minitorch.float64 and layer.bias.dtype == minitorch.float64
    assert layer.weight.device == minitorch.device("cpu")


def test_materialising_keeps_the_same_parameter_objects():
    layer = minitorch.nn.LazyConv1d(2, 3)
    before = list(layer.parameters())
    assert [type(p) for p in before] == [minitorch.nn.UninitializedParameter] * 2
    layer(minitorch.zeros(1, 4, 5))
    after = list(layer.parameters())
    assert [id(p) for p in after] == [id(p) for p in before]
    assert [type(p) for p in after] == [minitorch.nn.Parameter] * 2


def _train(lib, layer, optimizer, steps=3):
    x = lib.tensor(arrays((6, 4), np.float32, seed=2))
    y = lib.tensor(arrays((6, 3), np.float32, seed=3))
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((layer(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


@pytest.mark.parametrize("optimizer", [
    lambda lib, params: lib.optim.SGD(params, lr=0.1, momentum=0.9),
    lambda lib, params: lib.optim.Adam(params, lr=0.05),
])
@pytest.mark.parametrize("built_before_dry_run", [True, False])
def test_an_optimizer_built_before_or_after_the_dry_run_trains_as_torch(built_before_dry_run, optimizer):
    torch.manual_seed(0)
    layers = {lib: lib.nn.LazyLinear(3) for lib in (torch, minitorch)}
    optimizers = {}
    for lib, layer in layers.items():
        if built_before_dry_run:
            optimizers[lib] = optimizer(lib, layer.parameters())
        layer(lib.zeros(1, 4))
        if not built_before_dry_run:
            optimizers[lib] = optimizer(lib, layer.parameters())
    layers[minitorch].load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in layers[torch].state_dict().items()})
    mine, theirs = (_train(lib, layers[lib], optimizers[lib]) for lib in (minitorch, torch))
    np.testing.assert_allclose(mine, theirs, rtol=1e-5)
    assert mine[-1] < mine[0]
    assert_close(layers[minitorch].weight, layers[torch].weight, what="weight after training")


def test_state_dict_before_the_dry_run_holds_the_uninitialized_tensors():
    layer = minitorch.nn.LazyBatchNorm1d()
    state = layer.state_dict()
    assert list(state) == list(torch.nn.LazyBatchNorm1d().state_dict())
    assert state["weight"] is layer.weight and state["running_mean"] is layer.running_mean
    assert type(state["running_var"]) is minitorch.nn.UninitializedBuffer
    assert state["num_batches_tracked"].item() == 0


@pytest.mark.parametrize("make, source, shape", [
    (lambda nn: nn.LazyLinear(3), lambda nn: nn.Linear(4, 3), (2, 4)),
    (lambda nn: nn.LazyConv1d(3, 2), lambda nn: nn.Conv1d(4, 3, 2), (2, 4, 5)),
    (lambda nn: nn.LazyBatchNorm1d(), lambda nn: nn.BatchNorm1d(5), (2, 5)),
])
def test_loading_a_checkpoint_materialises_from_its_shapes(make, source, shape):
    """As torch: the module keeps its lazy class (and its 0 size, except LazyLinear) until a forward."""
    torch.manual_seed(0)
    checkpoint = source(torch.nn).state_dict()
    mine, theirs = make(minitorch.nn), make(torch.nn)
    result = mine.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in checkpoint.items()})
    theirs.load_state_dict(checkpoint)
    assert repr(result) == "<All keys matched successfully>"
    assert repr(mine) == repr(theirs) and not mine.has_uninitialized_params()
    for key, value in checkpoint.items():
        assert_close(mine.state_dict()[key], value, what=key)
    x = arrays(shape, np.float32, seed=4)
    assert_close(mine(minitorch.tensor(x)), theirs(torch.tensor(x)), what="output")
    assert repr(mine) == repr(theirs) and type(mine).__name__ == type(theirs).__name__


def test_exported_as_torch_nn_and_nn_parameter():
    nn = minitorch.nn
    assert nn.UninitializedParameter is nn.parameter.UninitializedParameter
    assert nn.UninitializedBuffer is nn.parameter.UninitializedBuffer
    param, buffer = nn.UninitializedParameter(), nn.UninitializedBuffer()
    assert repr(param) == repr(torch.nn.UninitializedParameter()) == "<UninitializedParameter>"
    assert repr(buffer) == repr(torch.nn.UninitializedBuffer()) == "<UninitializedBuffer>"
    assert isinstance(param, nn.Parameter) and param.requires_grad and param.is_leaf and param.grad is None
    assert not buffer.requires_grad and param.dtype == minitorch.float32


def _same_error(fn, exc, *fragments):
    """``fn(lib)`` raises ``exc`` in torch and in minitorch, minitorch's message naming ``fragments``."""
    with pytest.raises(exc):
        fn(torch)
    with raises(exc, *fragments):
        fn(minitorch)


def test_the_shape_of_an_uninitialized_parameter_is_a_runtime_error():
    _same_error(lambda lib: lib.nn.LazyLinear(3).weight.shape, RuntimeError, "uninitialized parameter",
                "Call `forward`")


@pytest.mark.parametrize("op", [
    lambda lib, w: w + 1,
    lambda lib, w: w.sum(),
    lambda lib, w: w.detach(),
    lambda lib, w: w.numel(),
    lambda lib, w: lib.nn.functional.linear(lib.ones(2, 4), w),
])
def test_using_an_uninitialized_parameter_in_an_op_is_a_value_error(op):
    _same_error(lambda lib: op(lib, lib.nn.LazyLinear(3).weight), ValueError, "uninitialized parameter",
                "UninitializedParameter", "dummy batch")


def test_uninitialized_buffer_in_an_op_is_a_value_error():
    _same_error(lambda lib: lib.nn.LazyBatchNorm1d().running_mean * 2, ValueError, "UninitializedBuffer")


def test_loading_an_uninitialized_state_into_an_initialized_module_is_a_runtime_error():
    _same_error(lambda lib: lib.nn.Linear(4, 3).load_state_dict(lib.nn.LazyLinear(3).state_dict()), RuntimeError,
                "Can't access the shape of an uninitialized parameter")


@pytest.mark.parametrize("make, shape, exc, fragments", [
    (lambda nn: nn.LazyConv2d(4, 3), (1, 2, 3, 5, 5), RuntimeError,
     ("Expected 3D (unbatched) or 4D (batched) input to LazyConv2d", "[1, 2, 3, 5, 5]")),
    (lambda nn: nn.LazyConv1d(4, 3, groups=2), (2, 3, 5), ValueError, ("in_channels must be divisible by groups",)),
    (lambda nn: nn.LazyInstanceNorm1d(affine=True), (3, 6), ValueError,
     ("expected input's size at dim=0 to match num_features (6), but got: 3",)),
    (lambda nn: nn.LazyBatchNorm2d(), (2, 3, 4), ValueError, ("expected 4D input (got 3D input)",)),
    (lambda nn: nn.LazyConvTranspose3d(4, 3), (2, 3, 5), RuntimeError,
     ("Expected 4D (unbatched) or 5D (batched) input to LazyConvTranspose3d", "[2, 3, 5]")),
    (lambda nn: nn.LazyInstanceNorm3d(), (2, 3, 4), ValueError, ("expected 4D or 5D input (got 3D input)",)),
])
def test_a_bad_first_input_raises_as_torch(make, shape, exc, fragments):
    """(As torch, LazyInstanceNorm takes num_features from dim 1, also of an unbatched input, which then fails.)"""
    _same_error(lambda lib: make(lib.nn)(lib.zeros(*shape)), exc, *fragments)


def test_a_dtype_mismatch_on_the_dry_run_is_a_runtime_error():
    _same_error(lambda lib: lib.nn.LazyLinear(3)(lib.zeros(2, 4, dtype=lib.float64)), RuntimeError, "dtype")


def test_module_to_before_the_dry_run_sets_what_is_materialised():
    """``model.to(dtype)`` / ``double()`` before the first forward, as torch: the parameters stay uninitialized
    (the same objects), the buffers are replaced by uninitialized ones, the dry run then uses the new dtype."""
    models = {lib: lib.nn.Sequential(lib.nn.LazyConv2d(3, 2), lib.nn.LazyBatchNorm2d()) for lib in (torch, minitorch)}
    weight = models[minitorch][0].weight
    for lib, model in models.items():
        model.double()
        assert type(model[1].running_mean).__name__ == "UninitializedBuffer"
        assert type(model[0].weight).__name__ == "UninitializedParameter"
        assert model[0].weight.dtype == lib.float64 and model[1].running_var.dtype == lib.float64
        model(lib.zeros(2, 4, 5, 5, dtype=lib.float64))
    assert models[minitorch][0].weight is weight
    assert repr(models[minitorch]) == repr(models[torch])
    for (key, value), (_, expected) in zip(models[minitorch].state_dict().items(), models[torch].state_dict().items()):
        assert str(value.dtype) == str(expected.dtype) and value.shape == expected.shape, key


def test_a_deep_copy_before_the_dry_run_is_materialised_on_its_own():
    layer = minitorch.nn.LazyLinear(3, dtype=minitorch.float64)
    twin = copy.deepcopy(layer)
    assert twin.weight is not layer.weight and repr(twin.weight) == "<UninitializedParameter>"
    twin(minitorch.zeros(2, 4, dtype=minitorch.float64))
    assert type(twin) is minitorch.nn.Linear and twin.weight.dtype == minitorch.float64
    assert type(layer) is minitorch.nn.LazyLinear and layer.has_uninitialized_params()
    layer(minitorch.zeros(2, 5, dtype=minitorch.float64))
    assert layer.weight.shape == (3, 5)


def test_a_sequential_of_lazy_layers_loads_a_checkpoint_and_matches_torch():
    torch.manual_seed(0)
    trained = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    model = minitorch.nn.Sequential(minitorch.nn.LazyLinear(8), minitorch.nn.ReLU(), minitorch.nn.LazyLinear(2))
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    model.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in trained.state_dict().items()})
    x = arrays((3, 4), np.float32, seed=5)
    assert_close(model(minitorch.tensor(x)), trained(torch.tensor(x)), what="output")
    assert repr(model) == repr(trained)


def test_a_lazy_modules_state_dict_loads_into_another_lazy_module_as_torch():
    for lib in (torch, minitorch):
        source, target = lib.nn.LazyLinear(3), lib.nn.LazyLinear(3)
        target.load_state_dict(source.state_dict())
        assert target.has_uninitialized_params()
        assert target(lib.ones(2, 5)).shape == (2, 3)
