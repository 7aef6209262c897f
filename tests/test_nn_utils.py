"""minitorch.nn.utils (gradient clipping, parameters <-> vector) and the list operations of Sequential and
ModuleList (pop, +), each against torch: the same model, the same gradients, the same results and errors."""
import warnings

import numpy as np
import pytest
import torch

import minitorch
from minitorch.nn.utils import clip_grad_norm_, clip_grad_value_, parameters_to_vector, vector_to_parameters
from oracle import arrays, assert_close, raises

DTYPES = ["float32", "float64"]


def twin_models(dtype="float32", scale=1.0):
    """The same small MLP in both libraries, backpropagated on the same batch; gradients scaled by ``scale``."""
    def make(nn):
        return nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2))
    theirs = make(torch.nn).to(getattr(torch, dtype))
    mine = make(minitorch.nn).to(getattr(minitorch, dtype))
    mine.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    x = arrays((5, 4), getattr(np, dtype))
    for lib, model in ((torch, theirs), (minitorch, mine)):
        (model(lib.tensor(x)) ** 2).sum().mul(scale).backward()
    return mine, theirs


def assert_same_grads(mine, theirs):
    for (name, p), q in zip(mine.named_parameters(), theirs.parameters()):
        if q.grad is None:
            assert p.grad is None, name
        else:
            assert_close(p.grad, q.grad, what=f"{name}.grad")


def set_grads(lib, grads, dtype="float32"):
    """Leaf tensors whose .grad are the given arrays (None: no gradient)."""
    params = []
    for g in grads:
        p = lib.zeros(3 if g is None else np.shape(g), dtype=getattr(lib, dtype), requires_grad=True)
        p.grad = None if g is None else lib.tensor(np.asarray(g, dtype=dtype))
        params.append(p)
    return params


# ---------------------------------------------------------------- clip_grad_norm_
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("norm_type", [2.0, 1, 3.0, float("inf"), "inf"])
@pytest.mark.parametrize("max_norm", [0.1, 1e6])  # clips / leaves alone (the factor is clamped to 1)
def test_clip_grad_norm_matches_torch(max_norm, norm_type, dtype):
    mine, theirs = twin_models(dtype, scale=10.0)
    before = [p.grad for p in mine.parameters()]
    total_mine = clip_grad_norm_(mine.parameters(), max_norm, norm_type)
    total_theirs = torch.nn.utils.clip_grad_norm_(theirs.parameters(), max_norm, norm_type)
    assert_close(total_mine, total_theirs, what="total norm")
    assert_same_grads(mine, theirs)
    assert all(p.grad is g for p, g in zip(mine.parameters(), before))  # scaled in place


def test_clip_grad_norm_result_has_norm_max_norm():
    mine, _ = twin_models(scale=100.0)
    total = clip_grad_norm_(mine.parameters(), 0.5)
    assert total.item() > 0.5
    after = np.sqrt(sum((p.grad.numpy().astype(np.float64) ** 2).sum() for p in mine.parameters()))
    np.testing.assert_allclose(after, 0.5, rtol=1e-5)


def test_clip_grad_norm_single_tensor_list_generator_and_missing_grads():
    grads = [[3.0, 4.0, 0.0], None, [[1.0, -2.0], [2.0, 0.0]]]
    for wrap in (list, tuple, iter, lambda ps: (p for p in ps)):
        mine, theirs = set_grads(minitorch, grads), set_grads(torch, grads)
        assert_close(clip_grad_norm_(wrap(mine), 2.0), torch.nn.utils.clip_grad_norm_(wrap(theirs), 2.0))
        for p, q in zip(mine, theirs):
            assert (p.grad is None) == (q.grad is None)
            if q.grad is not None:
                assert_close(p.grad, q.grad)
    mine, theirs = set_grads(minitorch, grads[:1]), set_grads(torch, grads[:1])
    assert_close(clip_grad_norm_(mine[0], 1.0, norm_type=1), torch.nn.utils.clip_grad_norm_(theirs[0], 1.0, 1))
    assert_close(mine[0].grad, theirs[0].grad)


def test_clip_grad_norm_with_no_gradients_at_all():
    mine, theirs = set_grads(minitorch, [None, None], "float64"), set_grads(torch, [None, None], "float64")
    total = clip_grad_norm_(mine, 1.0)
    assert_close(total, torch.nn.utils.clip_grad_norm_(theirs, 1.0))  # tensor(0.), float32 as torch's
    assert total.shape == () and all(p.grad is None for p in mine)
    with pytest.warns(UserWarning, match="empty generator"):
        torch.nn.utils.clip_grad_norm_((p for p in []), 1.0)
    with pytest.warns(UserWarning, match="empty generator, no gradient clipping will occur"):
        assert clip_grad_norm_((p for p in []), 1.0).item() == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clip_grad_norm_([], 1.0)  # an empty list is not a mistake: no warning (as torch)


def test_clip_grad_norm_mixed_dtypes_match_torch():
    grads = [np.array([1.0, 2.0, 3.0], np.float32), np.array([3.0, 4.0])]
    mine = [minitorch.zeros(3, requires_grad=True), minitorch.zeros(2, dtype=minitorch.float64, requires_grad=True)]
    theirs = [torch.zeros(3, requires_grad=True), torch.zeros(2, dtype=torch.float64, requires_grad=True)]
    for params, lib in ((mine, minitorch), (theirs, torch)):
        for p, g in zip(params, grads):
            p.grad = lib.tensor(g)
    assert_close(clip_grad_norm_(mine, 1.0), torch.nn.utils.clip_grad_norm_(theirs, 1.0))
    for p, q in zip(mine, theirs):
        assert_close(p.grad, q.grad)


@pytest.mark.filterwarnings("ignore:invalid value encountered in multiply")  # inf * 0, on purpose
def test_clip_grad_norm_nonfinite():
    grads = [[1.0, float("inf"), 2.0], [1.0, 2.0]]
    mine, theirs = set_grads(minitorch, grads), set_grads(torch, grads)
    with pytest.raises(RuntimeError):
        torch.nn.utils.clip_grad_norm_(theirs, 1.0, error_if_nonfinite=True)
    with raises(RuntimeError, "The total norm of order 2.0", "non-finite", "error_if_nonfinite=False"):
        clip_grad_norm_(mine, 1.0, error_if_nonfinite=True)
    assert_close(mine[1].grad, theirs[1].grad)  # nothing was scaled
    assert_close(clip_grad_norm_(mine, 1.0), torch.nn.utils.clip_grad_norm_(theirs, 1.0))  # inf
    for p, q in zip(mine, theirs):
        assert_close(p.grad, q.grad)  # scaled by 1 / inf: inf * 0 = nan, the rest 0
    nan = set_grads(minitorch, [[float("nan"), 1.0]])
    with raises(RuntimeError, "non-finite"):
        clip_grad_norm_(nan, 1.0, norm_type="inf", error_if_nonfinite=True)


@pytest.mark.parametrize("foreach", [None, False, True])
def test_clip_grad_norm_and_value_accept_foreach(foreach):
    mine, theirs = twin_models(scale=5.0)
    assert_close(clip_grad_norm_(mine.parameters(), 0.3, foreach=foreach),
                 torch.nn.utils.clip_grad_norm_(theirs.parameters(), 0.3, foreach=foreach))
    clip_grad_value_(mine.parameters(), 0.01, foreach=foreach)
    torch.nn.utils.clip_grad_value_(theirs.parameters(), 0.01, foreach=foreach)
    assert_same_grads(mine, theirs)


def test_total_norm_and_scaling_halves_match_torch():
    mine, theirs = twin_models(scale=3.0)
    grads = [p.grad for p in mine.parameters()]
    total = minitorch.nn.utils.get_total_norm(grads, 3.0)
    assert_close(total, torch.nn.utils.get_total_norm([p.grad for p in theirs.parameters()], 3.0))
    minitorch.nn.utils.clip_grads_with_norm_(mine.parameters(), 0.2, total)
    torch.nn.utils.clip_grads_with_norm_(theirs.parameters(), 0.2,
                                         torch.nn.utils.get_total_norm([p.grad for p in theirs.parameters()], 3.0))
    assert_same_grads(mine, theirs)


def test_clipping_does_not_record_a_graph():
    p = minitorch.zeros(3, requires_grad=True)
    p.grad = minitorch.tensor([3.0, 4.0, 0.0], requires_grad=True)  # (a create_graph=True gradient, say)
    total = clip_grad_norm_([p], 1.0)
    assert total.grad_fn is None and not total.requires_grad


@pytest.mark.parametrize("clip", ["norm", "value"])
def test_training_with_clipping_matches_torch(clip):
    """Five SGD steps with clipping between backward and step: the same weights as torch at the end."""
    mine, theirs = twin_models()
    x, y = arrays((8, 4), np.float32, seed=3), arrays((8, 2), np.float32, seed=4)
    for lib, model in ((minitorch, mine), (torch, theirs)):
        optimizer = lib.optim.SGD(model.parameters(), lr=0.5)
        for _ in range(5):
            optimizer.zero_grad()
            lib.nn.functional.mse_loss(model(lib.tensor(x)), lib.tensor(y)).mul(50).backward()
            if clip == "norm":
                lib.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
            else:
                lib.nn.utils.clip_grad_value_(model.parameters(), 0.05)
            optimizer.step()
    for p, q in zip(mine.parameters(), theirs.parameters()):
        assert_close(p, q, atol=1e-5, rtol=1e-4)


# ---------------------------------------------------------------- clip_grad_value_
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("clip_value", [0.05, 1, 1e6, -0.5])  # negative: torch clamps min then max, all -> max
def test_clip_grad_value_matches_torch(clip_value, dtype):
    mine, theirs = twin_models(dtype, scale=4.0)
    before = [p.grad for p in mine.parameters()]
    assert clip_grad_value_(mine.parameters(), clip_value) is None
    assert torch.nn.utils.clip_grad_value_(theirs.parameters(), clip_value) is None
    assert_same_grads(mine, theirs)
    assert all(p.grad is g for p, g in zip(mine.parameters(), before))


def test_clip_grad_value_single_tensor_and_missing_grads():
    grads = [[3.0, -4.0, 0.5], None]
    mine, theirs = set_grads(minitorch, grads), set_grads(torch, grads)
    clip_grad_value_(mine[0], 1.0)
    torch.nn.utils.clip_grad_value_(theirs[0], 1.0)
    clip_grad_value_(mine, 0.7)
    torch.nn.utils.clip_grad_value_(theirs, 0.7)
    assert_close(mine[0].grad, theirs[0].grad)
    assert mine[1].grad is None


# ---------------------------------------------------------------- parameters <-> vector
@pytest.mark.parametrize("dtype", DTYPES)
def test_parameters_to_vector_matches_torch_and_is_differentiable(dtype):
    mine, theirs = twin_models(dtype)
    vec_mine, vec_theirs = parameters_to_vector(mine.parameters()), torch.nn.utils.parameters_to_vector(
        theirs.parameters())
    assert_close(vec_mine, vec_theirs)
    weights = arrays(tuple(vec_theirs.shape), getattr(np, dtype), seed=7)
    for model in (mine, theirs):
        model.zero_grad()
    (vec_mine * minitorch.tensor(weights)).sum().backward()
    (vec_theirs * torch.tensor(weights)).sum().backward()
    assert_same_grads(mine, theirs)  # each parameter gets its own slice of ``weights`` back


def test_vector_to_parameters_matches_torch():
    vec = arrays((23,), np.float64)  # the MLP's 4*3 + 3 + 3*2 + 2 = 23 numbers, in float64
    mine, theirs = twin_models()
    vec_mine, vec_theirs = minitorch.tensor(vec), torch.tensor(vec)
    assert vector_to_parameters(vec_mine, mine.parameters()) is None
    torch.nn.utils.vector_to_parameters(vec_theirs, theirs.parameters())
    for p, q in zip(mine.parameters(), theirs.parameters()):
        assert_close(p.detach(), q.detach())  # values, shape, and dtype (now float64, as torch)
        assert isinstance(p, minitorch.nn.Parameter) and p.requires_grad
    vec_mine[0] = 100.0
    vec_theirs[0] = 100.0
    assert next(mine.parameters())[0, 0].item() == next(theirs.parameters())[0, 0].item() == 100.0  # shared


def test_vector_round_trip():
    mine, _ = twin_models()
    flat = parameters_to_vector(mine.parameters()).detach() * 2
    vector_to_parameters(flat.clone(), mine.parameters())
    np.testing.assert_allclose(parameters_to_vector(mine.parameters()).detach().numpy(), flat.numpy())


def test_parameter_vector_errors_like_torch():
    mine, theirs = twin_models()
    for bad, name in (([1.0, 2.0], "list"), (np.zeros(23), "numpy.ndarray")):
        with pytest.raises(TypeError, match=f"expected torch.Tensor, but got: {name}$"):
            torch.nn.utils.vector_to_parameters(bad, theirs.parameters())
        with raises(TypeError, f"expected torch.Tensor, but got: {name}"):
            vector_to_parameters(bad, mine.parameters())
    with pytest.raises(RuntimeError):
        torch.nn.utils.vector_to_parameters(torch.zeros(5), theirs.parameters())
    with raises(RuntimeError, "[3, 4]", "5"):  # too short a vector: the first view_as fails, naming shapes
        vector_to_parameters(minitorch.zeros(5), mine.parameters())
    with pytest.raises(ValueError):
        torch.nn.utils.parameters_to_vector([])
    with raises(ValueError, "non-empty list"):
        parameters_to_vector(iter([]))


def test_utils_is_reachable_every_way_torch_offers():
    import minitorch.nn.utils as utils
    from minitorch.nn.utils import clip_grad_norm_ as imported
    assert minitorch.nn.utils is utils and utils.clip_grad_norm_ is imported is clip_grad_norm_
    assert set(utils.__all__) <= set(torch.nn.utils.__all__)


# ---------------------------------------------------------------- Sequential / ModuleList: pop and +
def structure(container):
    """What a container holds, comparable across libraries: (name, class name) of each child."""
    return [(name, type(m).__name__) for name, m in container.named_children()]


def layers(nn):
    return [nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)]


@pytest.mark.parametrize("cls", ["Sequential", "ModuleList"])
@pytest.mark.parametrize("key", [0, 2, -1, -5, slice(1, 3), slice(None, None, 2), slice(3, 1)])
def test_pop_matches_torch(cls, key):
    def build(nn):
        return nn.Sequential(*layers(nn)) if cls == "Sequential" else nn.ModuleList(layers(nn))
    mine, theirs = build(minitorch.nn), build(torch.nn)
    got, expected = mine.pop(key), theirs.pop(key)
    assert structure(mine) == structure(theirs) and len(mine) == len(theirs)
    assert list(mine.state_dict()) == list(theirs.state_dict())  # renumbered: "0.weight", "1.weight", ...
    if isinstance(key, slice):
        assert type(got).__name__ == type(expected).__name__ and structure(got) == structure(expected)
    else:
        assert type(got).__name__ == type(expected).__name__


def test_pop_returns_the_module_itself_and_renumbers_named_sequential():
    import collections
    linear = minitorch.nn.Linear(2, 3)
    seq = minitorch.nn.Sequential(linear, minitorch.nn.ReLU())
    assert seq.pop(0) is linear and structure(seq) == [("0", "ReLU")]

    def named(nn):
        return nn.Sequential(collections.OrderedDict(first=nn.Linear(2, 3), act=nn.ReLU(), last=nn.Linear(3, 1)))
    mine, theirs = named(minitorch.nn), named(torch.nn)
    mine.pop(1)
    theirs.pop(1)
    assert structure(mine) == structure(theirs) == [("0", "Linear"), ("1", "Linear")]
    assert mine(minitorch.ones(4, 2)).shape == (4, 1)  # still runs, in order


@pytest.mark.parametrize("cls", ["Sequential", "ModuleList"])
def test_pop_errors_like_torch(cls):
    def build(nn):
        return nn.Sequential(*layers(nn)[:2]) if cls == "Sequential" else nn.ModuleList(layers(nn)[:2])
    mine, theirs = build(minitorch.nn), build(torch.nn)
    for key in (2, -3):
        with pytest.raises(IndexError):
            theirs.pop(key)
        with raises(IndexError, f"index {key} is out of range"):
            mine.pop(key)
    with pytest.raises(TypeError):
        theirs.pop()
    with pytest.raises(TypeError):
        mine.pop()
    assert len(mine) == len(theirs) == 2  # a failed pop removes nothing


def test_module_list_add_matches_torch():
    def build(nn):
        a, b = nn.ModuleList(layers(nn)[:2]), nn.ModuleList(layers(nn)[2:])
        return a, b, a + b, a + [nn.Sigmoid()], a + (m for m in b)
    mine, theirs = build(minitorch.nn), build(torch.nn)
    for got, expected in zip(mine, theirs):
        assert type(got).__name__ == "ModuleList" and structure(got) == structure(expected)
    a, b, total = mine[:3]
    assert total is not a and len(a) == 2 and len(b) == 3  # a new list; the operands are unchanged
    assert total[0] is a[0] and total[2] is b[0]  # holding the same modules (not copies)
    assert len(list(total.parameters())) == len(list(a.parameters())) + len(list(b.parameters()))
    with pytest.raises(TypeError):
        theirs[0] + 3
    with pytest.raises(TypeError):
        mine[0] + 3
    with pytest.raises(TypeError):
        theirs[0] + [torch.ones(2)]
    with raises(TypeError, "is not a Module subclass"):
        mine[0] + [minitorch.ones(2)]
