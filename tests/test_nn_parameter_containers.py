"""nn.ParameterList and nn.ParameterDict against torch's: registration (names, state_dict, to/double),
the list and dict API, conversion of plain tensors to Parameters, reprs, errors, and training."""
import collections
import copy

import numpy as np
import pytest
import torch

import minitorch


def outcome(fn, lib):
    """``fn(lib)``, or the class and message of what it raised: so a script runs in both libraries."""
    try:
        return fn(lib)
    except Exception as error:  # noqa: BLE001 (comparing the failure itself)
        return type(error).__name__, str(error)


def same_in_both(fn):
    mine, theirs = outcome(fn, minitorch), outcome(fn, torch)
    assert mine == theirs
    return mine


def kinds(values):
    return [type(v).__name__ for v in values]


def arrays(values):
    return [np.asarray(v.detach().numpy()).tolist() if hasattr(v, "detach") else v for v in values]


# ---------------------------------------------------------------------------------- reprs
@pytest.mark.parametrize("build", [
    lambda t: t.nn.ParameterList(),
    lambda t: t.nn.ParameterList([t.ones(2)]),
    lambda t: t.nn.ParameterList([t.ones(2), t.nn.Parameter(t.zeros(3, 4).double()), t.tensor(1.0)]),
    lambda t: t.nn.ParameterList([t.ones(2), 3, None, t.nn.Linear(1, 2)]),
    lambda t: t.nn.ParameterDict(),
    lambda t: t.nn.ParameterDict({"w": t.ones(2, 3)}),
    lambda t: t.nn.ParameterDict({"w": t.ones(2, 3), "b": t.zeros(3).double(), "s": "text", "m": t.nn.ReLU()}),
])
def test_repr_matches_torch(build):
    assert repr(build(minitorch)) == repr(build(torch))


def test_repr_nested_in_a_model_matches_torch():
    def build(t):
        model = t.nn.Module()
        model.pl = t.nn.ParameterList([t.ones(2, 2), t.zeros(2)])
        model.pd = t.nn.ParameterDict({"right": t.ones(3), "left": t.ones(1)})
        return model
    assert repr(build(minitorch)) == repr(build(torch))


# ---------------------------------------------------------------------------------- registration
class Net:
    """The same small model, holding both containers, for both libraries."""

    @staticmethod
    def make(lib):
        class Model(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.layers = lib.nn.ParameterList([lib.ones(3, 2) * 0.5, lib.nn.Parameter(lib.zeros(3))])
                self.heads = lib.nn.ParameterDict({"out": lib.ones(1, 3) * 0.1, "bias": lib.zeros(1)})
                self.layers.append(lib.nn.Linear(3, 3))  # a module inside the list is registered as a child
                self.heads["scale"] = lib.tensor([2.0])

            def forward(self, x):
                h = lib.tanh(x @ self.layers[0].T + self.layers[1])
                h = self.layers[2](h)
                return (h @ self.heads["out"].T + self.heads["bias"]) * self.heads["scale"]
        return Model()


def test_parameters_and_state_dict_names_match_torch():
    mine, theirs = Net.make(minitorch), Net.make(torch)
    assert [n for n, _ in mine.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(mine.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in mine.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [tuple(p.shape) for p in mine.parameters()] == [tuple(p.shape) for p in theirs.parameters()]
    assert "layers.0" in mine.state_dict() and "heads.scale" in mine.state_dict()


def test_plain_tensors_become_parameters_other_values_stay_as_they_are():
    def script(t):
        pl = t.nn.ParameterList([t.ones(2), 3, None, t.nn.Parameter(t.ones(1), requires_grad=False)])
        pl.append(t.zeros(2))
        pl.extend([t.ones(3), "x"])
        pl[1] = t.ones(4)  # a plain attribute slot can take a tensor (made a Parameter)
        pd = t.nn.ParameterDict({"a": t.ones(2), "b": 1.5})
        pd["c"] = t.zeros(1)
        pd.update([("d", t.ones(1))])
        return (kinds(pl), [getattr(p, "requires_grad", None) for p in pl], [n for n, _ in pl.named_parameters()],
                kinds(pd.values()), [n for n, _ in pd.named_parameters()])
    result = same_in_both(script)
    assert result[0][0] == "Parameter"


def test_to_and_double_convert_every_entry_and_keep_the_objects():
    model = Net.make(minitorch)
    before = list(model.parameters())
    model.double()
    assert all(p.dtype == minitorch.float64 for p in model.parameters())
    assert [id(p) for p in model.parameters()] == [id(p) for p in before]
    assert model.layers[0] is before[0] and model.heads["out"].dtype == minitorch.float64
    model.to(minitorch.float32)
    assert all(p.dtype == minitorch.float32 for p in model.parameters())


def test_a_model_using_them_trains_like_torch():
    mine, theirs = Net.make(minitorch), Net.make(torch)
    mine.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((8, 2)).astype(np.float32), rng.standard_normal((8, 1)).astype(np.float32)
    losses = []
    for lib, model in ((minitorch, mine), (torch, theirs)):
        opt = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        run = []
        for _ in range(5):
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(model(lib.tensor(x)), lib.tensor(y))
            loss.backward()
            opt.step()
            run.append(loss.item())
        losses.append(run)
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-5)
    assert losses[0][-1] < losses[0][0]
    for (name, a), (_, b) in zip(mine.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6, err_msg=name)


def test_state_dict_loads_into_a_fresh_model_and_deepcopy_copies_the_values():
    source, target = Net.make(minitorch), Net.make(minitorch)
    with minitorch.no_grad():
        source.layers[0].add_(1.0)
        source.heads["out"].mul_(3.0)
    assert str(target.load_state_dict(source.state_dict())) == "<All keys matched successfully>"
    assert arrays([target.layers[0], target.heads["out"]]) == arrays([source.layers[0], source.heads["out"]])
    assert arrays([target.layers[0]]) != arrays([Net.make(minitorch).layers[0]])
    clone = copy.deepcopy(source.layers)
    assert clone[0] is not source.layers[0] and arrays([clone[0]]) == arrays([source.layers[0]])
    assert isinstance(clone[0], minitorch.nn.Parameter)


# ---------------------------------------------------------------------------------- ParameterList
def test_parameter_list_indexing_slicing_iteration_match_torch():
    def script(t):
        pl = t.nn.ParameterList([t.full((i + 1,), float(i)) for i in range(5)])
        sliced = pl[1:5:2]
        return (len(pl), arrays([pl[0], pl[-1], pl[3]]), arrays(pl), type(sliced).__name__, arrays(sliced),
                len(pl[::-1]), arrays(pl[::-1]), len(pl[7:]), [n for n, _ in sliced.named_parameters()])
    same_in_both(script)
    pl = minitorch.nn.ParameterList([minitorch.ones(1), minitorch.ones(2)])
    assert pl[1:][0] is pl[1]  # a slice holds the same Parameter objects
    assert [k for k in dir(pl) if k.isdigit()] == []


def test_parameter_list_append_extend_iadd_match_torch():
    def script(t):
        pl = t.nn.ParameterList()
        same = pl.append(t.ones(1)) is pl and pl.extend([t.ones(2)]) is pl
        pl += (t.ones(3) for _ in range(2))
        pl += t.nn.ParameterList([t.ones(4)])
        return same, len(pl), [tuple(p.shape) for p in pl], [n for n, _ in pl.named_parameters()]
    same_in_both(script)


def test_parameter_list_has_the_methods_torch_has_and_no_others():
    for name in ["append", "extend", "__iadd__", "__getitem__", "__setitem__", "__len__", "__iter__",
                 "insert", "pop", "__delitem__", "__add__", "__contains__"]:
        assert hasattr(minitorch.nn.ParameterList, name) == hasattr(torch.nn.ParameterList, name), name


@pytest.mark.parametrize("script", [
    lambda t: t.nn.ParameterList([t.ones(1)])[1],
    lambda t: t.nn.ParameterList([t.ones(1)])[-2],
    lambda t: t.nn.ParameterList([t.ones(1)])["0"],
    lambda t: t.nn.ParameterList(t.ones(2)),
    lambda t: t.nn.ParameterList(3),
    lambda t: t.nn.ParameterList().extend(t.ones(2)),
    lambda t: t.nn.ParameterList([t.ones(1)]).__setitem__(0, 3),
    lambda t: t.nn.ParameterList([t.ones(1)]).__setitem__(1, t.ones(1)),
    lambda t: t.nn.ParameterList([t.ones(1)])(t.ones(1)),
    lambda t: t.nn.ParameterList([t.ones(2, dtype=t.int64)]),
])
def test_parameter_list_errors_match_torch(script):
    mine, theirs = outcome(script, minitorch), outcome(script, torch)
    assert isinstance(theirs, tuple)  # torch raises here
    assert mine[0] == theirs[0]
    if mine[0] != "RuntimeError":  # (tensor dtype messages are worded by each library)
        assert mine == theirs


# ---------------------------------------------------------------------------------- ParameterDict
def test_parameter_dict_order_follows_torch():
    def script(t):
        pairs = [("z", t.ones(1)), ("a", t.ones(2)), ("m", t.ones(3))]
        return (list(t.nn.ParameterDict(dict(pairs))), list(t.nn.ParameterDict(collections.OrderedDict(pairs))),
                list(t.nn.ParameterDict(pairs)), list(t.nn.ParameterDict(t.nn.ParameterDict(pairs))),
                [n for n, _ in t.nn.ParameterDict(dict(pairs)).named_parameters()])
    assert same_in_both(script)[0] == ["a", "m", "z"]  # a plain dict is added in sorted key order


def test_parameter_dict_api_matches_torch():
    def script(t):
        d = t.nn.ParameterDict({"z": t.ones(1), "a": t.ones(2), "m": 4})
        log = [list(d), list(reversed(d)), list(d.keys()), kinds(d.values()), [k for k, _ in d.items()],
               "a" in d, "q" in d, len(d), d.get("q", 5), d.get("q"), arrays([d.get("a")])]
        log.append(arrays([d.pop("a")]))
        log.append(list(d.state_dict()))
        log.append(arrays([d.setdefault("n", t.zeros(3)), d.setdefault("n", 7)]))
        key, value = d.popitem()
        log.append((key, kinds([value]), list(d)))
        duplicate = d.copy()
        log.append((list(duplicate), duplicate["z"] is d["z"], type(duplicate).__name__))
        fresh = d.fromkeys(["x", "y"], t.ones(2))
        log.append((list(fresh), kinds(fresh.values()), list(d.fromkeys(["k"]).values())))
        merged = d | t.nn.ParameterDict({"q": t.ones(5)})
        log.append((list(merged), list(d)))
        d |= {"w": t.ones(6)}
        log.append(list(d))
        same = d.update([("v", t.ones(1))]) is None
        del d["w"]
        log.append((same, list(d), [n for n, _ in d.named_parameters()]))
        d.clear()
        log.append((len(d), list(d.parameters()), repr(d)))
        return log
    same_in_both(script)


@pytest.mark.parametrize("script", [
    lambda t: t.nn.ParameterDict({"a": t.ones(1)})[1],
    lambda t: t.nn.ParameterDict({"a": t.ones(1)})["b"],
    lambda t: t.nn.ParameterDict().__setitem__(3, t.ones(1)),
    lambda t: t.nn.ParameterDict({"keys": t.ones(1)}),
    lambda t: t.nn.ParameterDict({"": t.ones(1)}),
    lambda t: t.nn.ParameterDict(3),
    lambda t: t.nn.ParameterDict([("a", t.ones(1)), 3]),
    lambda t: t.nn.ParameterDict([("a", t.ones(1)), ("b", 1, 2)]),
    lambda t: t.nn.ParameterDict().popitem(),
    lambda t: t.nn.ParameterDict().pop("x"),
    lambda t: t.nn.ParameterDict().__delitem__("x"),
    lambda t: t.nn.ParameterDict({"a": t.ones(1)})(t.ones(1)),
    lambda t: t.nn.ParameterDict({"a": t.ones(1)}).__setitem__("a", 3),
])
def test_parameter_dict_errors_match_torch(script):
    mine, theirs = outcome(script, minitorch), outcome(script, torch)
    assert isinstance(theirs, tuple)
    assert mine == theirs


def test_parameter_dict_key_with_a_dot_is_refused():
    """torch refuses it with KeyError too (minitorch's message also repeats the name)."""
    with pytest.raises(KeyError, match='contain "\\."'):
        minitorch.nn.ParameterDict({"a.b": minitorch.ones(1)})
    with pytest.raises(KeyError, match='contain "\\."'):
        torch.nn.ParameterDict({"a.b": torch.ones(1)})
