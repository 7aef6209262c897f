"""nn.Module's API against torch's: registration, traversal, state_dict, hooks, modes, devices, repr."""
import collections

import numpy as np
import pytest
import torch

import minitorch
from oracle import raises


class Net:
    """The same small model for both libraries."""

    @staticmethod
    def make(lib):
        nn = lib.nn

        class Model(nn.Module):
            def __init__(self):
                super().__init__()
                self.features = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
                                              nn.MaxPool2d(2))
                self.heads = nn.ModuleList([nn.Linear(16, 3) for _ in range(2)])
                self.extra = nn.ModuleDict({"drop": nn.Dropout(0.1), "act": nn.GELU("tanh")})
                self.scale = nn.Parameter(lib.ones(1))
                self.register_buffer("steps", lib.zeros(1), persistent=False)

            def forward(self, x):
                x = self.features(x).flatten(1)
                return self.heads[0](self.extra["act"](x)) * self.scale
        return Model()


def test_repr_matches_torch():
    assert repr(Net.make(minitorch)) == repr(Net.make(torch))
    for make in [lambda nn: nn.LayerNorm((3, 4), elementwise_affine=False),
                 lambda nn: nn.Conv2d(4, 4, 3, padding="same", groups=2, padding_mode="reflect", bias=False),
                 lambda nn: nn.Embedding(3, 4, padding_idx=0, max_norm=1.0),
                 lambda nn: nn.BatchNorm1d(3, momentum=None, affine=False),
                 lambda nn: nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(inplace=True)),
                 lambda nn: nn.ModuleList([nn.ReLU(), nn.ReLU(), nn.Tanh(), nn.ReLU()]),
                 lambda nn: nn.Softplus(2, 3), lambda nn: nn.LeakyReLU(0.2, True), lambda nn: nn.Hardswish(True),
                 lambda nn: nn.AvgPool2d(3, 2, 1), lambda nn: nn.MaxPool2d(3, 2, 1, ceil_mode=True),
                 lambda nn: nn.Unflatten(1, (2, 2)), lambda nn: nn.Bilinear(2, 3, 4, bias=False),
                 lambda nn: nn.Conv1d(3, 4, 3, stride=2, dilation=2), lambda nn: nn.Softmax(),
                 lambda nn: nn.ModuleList(), lambda nn: nn.Mish(True), lambda nn: nn.GroupNorm(2, 4)]:
        assert repr(make(minitorch.nn)) == repr(make(torch.nn))


def test_parameter_repr_and_type():
    p = minitorch.nn.Parameter(minitorch.tensor([1.0, 2.0]))
    assert repr(p) == repr(torch.nn.Parameter(torch.tensor([1.0, 2.0])))
    assert isinstance(p, minitorch.Tensor) and p.requires_grad and p.is_leaf
    assert type(p * 2) is minitorch.Tensor


def test_names_and_traversal_match_torch():
    mine, theirs = Net.make(minitorch), Net.make(torch)
    assert [n for n, _ in mine.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in mine.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in mine.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in mine.named_children()] == [n for n, _ in theirs.named_children()]
    assert list(mine.state_dict()) == list(theirs.state_dict())
    assert [tuple(p.shape) for p in mine.parameters()] == [tuple(p.shape) for p in theirs.parameters()]
    assert [n for n, _ in mine.named_parameters(recurse=False)] == ["scale"]
    assert mine.get_submodule("features.0") is mine.features[0]


def test_shared_parameters_are_listed_once():
    nn = minitorch.nn
    layer = nn.Linear(2, 2)
    model = nn.Sequential(layer, nn.ReLU(), layer)
    assert len(list(model.parameters())) == 2
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]  # as torch: both names


def test_state_dict_round_trip_and_forward_equal_to_torch():
    mine, theirs = Net.make(minitorch).eval(), Net.make(torch).eval()
    result = mine.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    assert repr(result) == "<All keys matched successfully>"
    x = np.random.default_rng(0).standard_normal((2, 1, 4, 4)).astype(np.float32)
    np.testing.assert_allclose(mine(minitorch.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-5, atol=1e-6)
    state = mine.state_dict()
    assert not any(t.requires_grad for t in state.values())
    assert isinstance(state, collections.OrderedDict)


def test_load_state_dict_errors_like_torch():
    expected = ('Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: "bias". \n\t'
                'Unexpected key(s) in state_dict: "foo". \n\tsize mismatch for weight: copying a param with shape '
                'torch.Size([3, 3]) from checkpoint, the shape in current model is torch.Size([3, 2]).')
    with pytest.raises(RuntimeError) as info:
        minitorch.nn.Linear(2, 3).load_state_dict({"weight": minitorch.ones(3, 3), "foo": minitorch.ones(1)})
    assert str(info.value) == expected
    result = minitorch.nn.Linear(2, 3).load_state_dict({}, strict=False)
    assert result.missing_keys == ["weight", "bias"] and result.unexpected_keys == []


def test_assignment_registration_and_errors():
    nn = minitorch.nn
    model = nn.Linear(2, 3)
    with raises(TypeError, "cannot assign 'torch.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None "
                           "expected)"):
        model.weight = minitorch.ones(3, 2)
    model.bias = None
    assert [n for n, _ in model.named_parameters()] == ["weight"]
    model.extra = nn.Parameter(minitorch.zeros(1))
    assert "extra" in dict(model.named_parameters())
    del model.extra
    assert "extra" not in dict(model.named_parameters())
    with raises(KeyError, "attribute 'weight' already exists"):
        model.register_buffer("weight", minitorch.zeros(1))
    with raises(AttributeError, "'Linear' object has no attribute 'nope'"):
        model.nope
    with raises(IndexError, "index 3 is out of range"):
        nn.Sequential(nn.ReLU())[3]


def test_containers_behave_like_lists_and_dicts():
    nn = minitorch.nn
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert isinstance(seq[1:], nn.Sequential) and len(seq[1:]) == 2 and seq[-1] is seq[2]
    seq.append(nn.Sigmoid())
    assert len(seq) == 4 and [type(m).__name__ for m in seq] == ["Linear", "ReLU", "Linear", "Sigmoid"]
    assert seq(minitorch.ones(5, 2)).shape == (5, 1)
    layers = nn.ModuleList([nn.Linear(2, 2)])
    layers.append(nn.Linear(2, 2))
    layers.extend([nn.ReLU()])
    assert len(layers) == 3 and len(list(layers.parameters())) == 4
    heads = nn.ModuleDict({"a": nn.Linear(2, 2)})
    heads["b"] = nn.ReLU()
    assert list(heads.keys()) == ["a", "b"] and "b" in heads and len(heads) == 2


def test_forward_hooks():
    nn = minitorch.nn
    layer = nn.Linear(2, 2)
    seen = []
    pre = layer.register_forward_pre_hook(lambda module, args: (args[0] * 0,))
    post = layer.register_forward_hook(lambda module, args, output: seen.append(output.shape) or output + 1)
    out = layer(minitorch.ones(3, 2))
    np.testing.assert_allclose(out.detach().numpy(), (layer.bias + 1).detach().expand(3, 2).numpy())
    assert seen == [(3, 2)]
    pre.remove(), post.remove()
    assert layer(minitorch.zeros(1, 2)).shape == (1, 2) and len(seen) == 1


def test_train_eval_apply_zero_grad_requires_grad():
    model = Net.make(minitorch)
    model.eval()
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    with raises(ValueError, "training mode is expected to be boolean"):
        model.train("yes")
    out = model(minitorch.ones(2, 1, 4, 4)).sum()
    out.backward()
    assert all(p.grad is not None for p in model.heads[0].parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    model.requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())
    names = []
    model.apply(lambda m: names.append(type(m).__name__))
    assert names[-1] == "Model" and names[0] == "Conv2d"


def test_to_dtype_keeps_parameter_objects_and_integer_buffers():
    model = minitorch.nn.Sequential(minitorch.nn.Linear(2, 2), minitorch.nn.BatchNorm1d(2))
    weight = model[0].weight
    model.double()
    assert model[0].weight is weight and weight.dtype == minitorch.float64
    assert model[1].running_mean.dtype == minitorch.float64
    assert model[1].num_batches_tracked.dtype == minitorch.int64
    model.to(minitorch.float32)
    assert weight.dtype == minitorch.float32
    assert model.cpu() is model
    with raises(TypeError, "nn.Module.to only accepts floating point or complex dtypes, but got desired "
                           "dtype=torch.int64"):
        model.to(minitorch.int64)


@pytest.mark.skipif(not minitorch.cuda.is_available(), reason="needs a CUDA GPU and cupy")
def test_module_to_cuda_and_back():
    model = minitorch.nn.Sequential(minitorch.nn.Conv2d(1, 2, 3), minitorch.nn.Flatten(), minitorch.nn.Linear(8, 2))
    model.cuda()
    assert all(p.device.type == "cuda" for p in model.parameters())
    out = model(minitorch.ones(1, 1, 4, 4, device="cuda"))
    out.sum().backward()
    assert model[0].weight.grad.device.type == "cuda"
    model.cpu()
    assert all(p.device.type == "cpu" for p in model.parameters())


def test_replacing_a_submodule_or_parameter_keeps_its_place_as_in_torch():
    """Adapting a model (a new first layer for 1-channel images) must not reorder its modules,
    parameters or state_dict."""
    def names(lib):
        net = lib.nn.Sequential()
        net.add_module("conv1", lib.nn.Conv2d(3, 8, 3))
        net.add_module("fc", lib.nn.Linear(8, 4))
        net.add_module("head", lib.nn.Linear(4, 2))
        net.conv1 = lib.nn.Conv2d(1, 8, 3)
        net.fc.weight = lib.nn.Parameter(lib.zeros(4, 8))
        return [name for name, _ in net.named_children()], list(net.state_dict())
    assert names(minitorch) == names(torch)
    assert names(minitorch)[0] == ["conv1", "fc", "head"]


def _hooked_backward(lib, case):
    """What a module's full backward hooks see, and the gradients that result, for one of four cases:
    0 plain, 1 no input needs grad, 2 a hook that scales grad_input, 3 a pre-hook that scales grad_output."""
    class TwoInputs(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = lib.nn.Linear(3, 2)

        def forward(self, x, scale, y):
            return self.a(x) * scale + y.sum(), self.a(y)

    def record(grads):
        return [None if g is None else g.detach().numpy().tolist() for g in grads]

    model, seen = TwoInputs(), []
    with lib.no_grad():
        model.a.weight.copy_(lib.arange(6.0).reshape(2, 3) / 10)
        model.a.bias.zero_()
    model.register_full_backward_hook(lambda m, grad_input, grad_output: seen.append(
        (record(grad_input), record(grad_output))))
    if case == 2:
        model.register_full_backward_hook(lambda m, grad_input, _: tuple(None if g is None else g * 10
                                                                         for g in grad_input))
    if case == 3:
        model.register_full_backward_pre_hook(lambda m, grad_output: (grad_output[0] * 3, grad_output[1]))
    x, y = lib.ones(4, 3, requires_grad=case != 1), lib.ones(4, 3)
    out, other = model(x, 2.0, y)
    (out.sum() + other.sum()).backward()
    return seen, None if x.grad is None else x.grad.numpy().tolist(), model.a.weight.grad.numpy().tolist()


@pytest.mark.parametrize("case", range(4))
@pytest.mark.filterwarnings("ignore:Full backward hook is firing")
def test_full_backward_hooks_see_and_replace_gradients_as_in_torch(case):
    mine, theirs = _hooked_backward(minitorch, case), _hooked_backward(torch, case)
    assert mine[0] == theirs[0] and mine[1] == theirs[1]
    np.testing.assert_allclose(mine[2], theirs[2], rtol=1e-6)


def test_forward_pre_hook_with_kwargs_may_replace_args_and_kwargs():
    for lib in (torch, minitorch):
        class Scaled(lib.nn.Module):
            def forward(self, x, scale=1.0):
                return x * scale
        model = Scaled()
        model.register_forward_pre_hook(lambda m, args, kwargs: ((args[0] + 1,), {"scale": kwargs["scale"] * 2}),
                                        with_kwargs=True)
        assert model(lib.ones(2), scale=3.0).tolist() == [12.0, 12.0]


@pytest.mark.parametrize("target", ["1.running_var", "1.weight", "1.nothing", "0.running_var"])
def test_get_buffer_finds_buffers_by_dotted_path_as_torch(target):
    def lookup(lib):
        model = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.BatchNorm1d(2))
        try:
            return model.get_buffer(target).tolist()
        except AttributeError as error:
            return str(error)
    assert lookup(minitorch) == lookup(torch)


def test_removing_a_kwargs_hook_forgets_that_it_took_kwargs():
    """The id stayed in the with_kwargs set after remove(): a leak for modules that add and remove hooks."""
    m = minitorch.nn.Linear(2, 2)
    handles = [m.register_forward_pre_hook(lambda mod, args, kwargs: None, with_kwargs=True),
               m.register_forward_hook(lambda mod, args, kwargs, out: None, with_kwargs=True)]
    for handle in handles:
        handle.remove()
    assert not m._forward_pre_hooks and not m._forward_hooks
    assert not m._forward_pre_hooks_with_kwargs and not m._forward_hooks_with_kwargs
