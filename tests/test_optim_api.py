"""The Optimizer contract (param_groups, state, zero_grad, closures, state_dict) and bad input,
checked against torch."""
import copy

import numpy as np
import pytest
import torch
from oracle import raises
from test_optim import CONFIGS, PROBLEMS, make_params

import minitorch

NAMES = sorted({name for name, _ in CONFIGS}) + ["LBFGS"]
FIRST_CONFIG = {name: kwargs for name, kwargs in reversed(CONFIGS)}
FIRST_CONFIG["LBFGS"] = dict(lr=0.5, max_iter=3)


def train(optimizer, params, loss_fn, lib, steps):
    def closure():
        optimizer.zero_grad()
        loss = loss_fn(lib, params)
        loss.backward()
        return loss
    for _ in range(steps):
        if isinstance(optimizer, (minitorch.optim.LBFGS, torch.optim.LBFGS)):
            optimizer.step(closure)
        else:
            closure()
            optimizer.step()


def build(lib, name, problem="mlp", dtype="float64"):
    arrays, loss_fn = PROBLEMS[problem]()
    params = make_params(lib, [a.astype(dtype) for a in arrays])
    trained = [p for p in params if p.ndim == 2] if name == "Muon" else params
    if dtype == "float32":  # the problems' data is float64: compute the loss in float64, as in test_optim
        float64_loss = loss_fn

        def loss_fn(lib, params):
            return float64_loss(lib, [p.double() for p in params]).float()
    return getattr(lib.optim, name)(trained, **FIRST_CONFIG[name]), params, loss_fn


# ---------------------------------------------------------------- state and state_dict
@pytest.mark.parametrize("name", NAMES)
def test_state_dict_matches_torch_format(name):
    dicts = []
    for lib in (minitorch, torch):
        optimizer, params, loss_fn = build(lib, name)
        train(optimizer, params, loss_fn, lib, 3)
        dicts.append(optimizer.state_dict())
    mine, theirs = dicts
    assert list(mine["state"]) == list(theirs["state"])  # integer indices, in the same order
    for index, state in theirs["state"].items():
        assert set(mine["state"][index]) == set(state)
        for key, value in state.items():
            my_value = mine["state"][index][key]
            if isinstance(value, torch.Tensor) and isinstance(my_value, minitorch.Tensor):
                assert str(my_value.dtype) == str(value.dtype), key
            if isinstance(value, (torch.Tensor, float, int)):  # LBFGS keeps some scalars as floats
                np.testing.assert_allclose(np.asarray(my_value), np.asarray(value), rtol=1e-6, atol=1e-9)
    for my_group, their_group in zip(mine["param_groups"], theirs["param_groups"]):
        assert my_group["params"] == their_group["params"]
        assert list(my_group) == list(their_group)  # the same keys (foreach, fused... too), in the same order
        assert all(my_group[k] == their_group[k] for k in my_group)


def resume(lib, name, dtype, steps=10):
    """Train 2 * ``steps`` steps without a break, and also: train ``steps``, save the optimizer's
    state_dict, load it into a fresh optimizer and train ``steps`` more. Both final parameters."""
    optimizer, params, loss_fn = build(lib, name, dtype=dtype)
    train(optimizer, params, loss_fn, lib, steps)
    saved_params = [p.detach().clone() for p in params]
    saved_state = copy.deepcopy(optimizer.state_dict())
    train(optimizer, params, loss_fn, lib, steps)

    resumed, resumed_params, _ = build(lib, name, dtype=dtype)
    for p, saved in zip(resumed_params, saved_params):
        p.data = saved.clone()
    resumed.load_state_dict(saved_state)
    train(resumed, resumed_params, loss_fn, lib, steps)
    return [p.detach().numpy() for p in params], [p.detach().numpy() for p in resumed_params]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", NAMES)
def test_resuming_from_a_state_dict_continues_as_torch(name, dtype):
    """Resuming continues the uninterrupted run: bit for bit wherever torch's is, and where torch's
    is not (it casts NAdam's float32 ``mu_product`` to float64 parameters' dtype on load), by the
    same last-bit drift. The resumed parameters match torch's resumed ones."""
    # float32 L-BFGS amplifies last-bit differences from torch (1e-3 after 20 steps, uninterrupted too)
    steps = 3 if name == "LBFGS" and dtype == "float32" else 10
    mine, mine_resumed = resume(minitorch, name, dtype, steps)
    theirs, theirs_resumed = resume(torch, name, dtype, steps)
    tolerance = dict(rtol=1e-6, atol=1e-9) if dtype == "float64" else dict(rtol=1e-4, atol=1e-5)
    for m, m_resumed, t, t_resumed in zip(mine, mine_resumed, theirs, theirs_resumed):
        assert np.array_equal(m, m_resumed) == np.array_equal(t, t_resumed)
        np.testing.assert_allclose(m_resumed, m, rtol=1e-12 if dtype == "float64" else 1e-6, atol=0)
        np.testing.assert_allclose(m_resumed, t_resumed, **tolerance)


@pytest.mark.parametrize("name", ["NAdam", "ASGD", "Adam"])
def test_loaded_state_takes_the_parameters_dtype_as_torch(name):
    """torch's load casts state to a floating-point parameter's dtype, except ``step``."""
    dtypes = []
    for lib in (minitorch, torch):
        optimizer, params, loss_fn = build(lib, name)
        train(optimizer, params, loss_fn, lib, 2)
        optimizer.load_state_dict(optimizer.state_dict())
        dtypes.append({key: str(value.dtype) for key, value in optimizer.state[params[0]].items()})
    assert dtypes[0] == dtypes[1]
    assert dtypes[0]["step"] == "torch.float32" and "torch.float64" in dtypes[0].values()


def test_load_state_dict_copies_and_checks_sizes():
    optimizer, params, loss_fn = build(minitorch, "Adam")
    train(optimizer, params, loss_fn, minitorch, 2)
    state = optimizer.state_dict()
    other = minitorch.optim.Adam(make_params(minitorch, PROBLEMS["mlp"]()[0]))
    other.load_state_dict(state)
    assert other.state[other.param_groups[0]["params"][0]]["exp_avg"].array is not state["state"][0]["exp_avg"].array
    with raises(ValueError, "different number of parameter groups"):
        minitorch.optim.Adam([{"params": params[:2]}, {"params": params[2:]}]).load_state_dict(state)
    with raises(ValueError, "doesn't match the size"):
        minitorch.optim.Adam(params[:3]).load_state_dict(state)


def test_scalar_state_is_a_float32_tensor_like_torch():
    optimizer, params, loss_fn = build(minitorch, "Adam")
    train(optimizer, params, loss_fn, minitorch, 3)
    step = optimizer.state[params[0]]["step"]
    assert isinstance(step, minitorch.Tensor) and step.dtype == minitorch.float32 and step.item() == 3.0


# ---------------------------------------------------------------- param_groups, zero_grad, skipping, closures
def test_param_groups_are_editable_between_steps_and_add_param_group():
    results = []
    for lib in (minitorch, torch):
        arrays, loss_fn = PROBLEMS["mlp"]()
        params = make_params(lib, arrays)
        optimizer = lib.optim.SGD([{"params": params[:2]}, {"params": params[2:3], "lr": 0.05}], lr=0.1,
                                  momentum=0.9)
        train(optimizer, params, loss_fn, lib, 3)
        optimizer.param_groups[0]["lr"] = 0.01
        optimizer.param_groups[1]["momentum"] = 0.5
        optimizer.add_param_group({"params": params[3:], "nesterov": True, "lr": 0.2})
        train(optimizer, params, loss_fn, lib, 3)
        assert optimizer.param_groups[2]["momentum"] == 0.9  # filled in from defaults
        results.append([p.detach().numpy().copy() for p in params])
    for m, t in zip(*results):
        np.testing.assert_allclose(m, t, rtol=1e-12, atol=1e-12)


def test_defaults_equal_torchs():
    for name in NAMES:
        p_mine, p_theirs = minitorch.zeros(2, 2, requires_grad=True), torch.zeros(2, 2, requires_grad=True)
        mine = getattr(minitorch.optim, name)([p_mine]).defaults
        theirs = getattr(torch.optim, name)([p_theirs]).defaults
        assert all(theirs[k] == v for k, v in mine.items()), name


def test_zero_grad_set_to_none_or_zeros():
    w = minitorch.ones(3, requires_grad=True)
    optimizer = minitorch.optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    optimizer.zero_grad(set_to_none=False)
    assert w.grad is not None and not w.grad.numpy().any()
    optimizer.zero_grad()
    assert w.grad is None


def test_parameters_without_grad_are_skipped():
    used, unused = minitorch.ones(3, requires_grad=True), minitorch.ones(3, requires_grad=True)
    optimizer = minitorch.optim.Adam([used, unused], lr=0.1)
    (used * used).sum().backward()
    optimizer.step()
    assert unused.tolist() == [1.0, 1.0, 1.0] and unused not in optimizer.state
    assert used.tolist()[0] < 1.0 and used in optimizer.state


def test_sgd_without_momentum_keeps_no_state_like_torch():
    w = minitorch.ones(3, requires_grad=True)
    optimizer = minitorch.optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    optimizer.step()
    assert optimizer.state_dict()["state"] == {}


def test_step_calls_the_closure_with_grad_enabled_and_returns_its_loss():
    w = minitorch.ones(3, requires_grad=True)
    optimizer = minitorch.optim.SGD([w], lr=0.1)

    def closure():
        assert minitorch.is_grad_enabled()
        optimizer.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss
    with minitorch.no_grad():
        loss = optimizer.step(closure)
    assert loss.item() == 3.0 and w.tolist()[0] == pytest.approx(0.8)


def test_step_bumps_the_parameter_version_so_stale_graphs_fail():
    w = minitorch.ones(3, requires_grad=True)
    optimizer = minitorch.optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    stale = (w * w).sum()
    optimizer.step()
    with pytest.raises(RuntimeError):
        stale.backward()


def test_named_parameters_are_accepted():
    w = minitorch.ones(3, requires_grad=True)
    optimizer = minitorch.optim.SGD([("weight", w)], lr=0.1)
    assert optimizer.param_groups[0]["param_names"] == ["weight"] and optimizer.param_groups[0]["params"] == [w]


def test_repr_lists_the_groups_as_torch():
    def text(lib):
        groups = [{"params": [lib.ones(2, requires_grad=True)]},
                  {"params": [lib.ones(1, requires_grad=True)], "lr": 0.5}]
        return repr(lib.optim.SGD(groups, lr=0.1, momentum=0.9))
    assert text(minitorch) == text(torch)


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("name", sorted(set(NAMES) - {"Adafactor", "Muon"}))
def test_negative_learning_rate(name):
    with raises(ValueError, "Invalid learning rate: -0.1"):
        getattr(minitorch.optim, name)([minitorch.ones(2, 2, requires_grad=True)], lr=-0.1)


@pytest.mark.parametrize("name", ["Adafactor", "Muon"])
def test_negative_learning_rate_newer_optimizers(name):
    with raises(ValueError, "Learning rate should be >= 0 but is: -0.1"):
        getattr(minitorch.optim, name)([minitorch.ones(2, 2, requires_grad=True)], lr=-0.1)


@pytest.mark.parametrize("name, kwargs, message", [
    ("SGD", dict(momentum=-0.5), "Invalid momentum value: -0.5"),
    ("SGD", dict(weight_decay=-1), "Invalid weight_decay value: -1"),
    ("SGD", dict(nesterov=True), "Nesterov momentum requires a momentum and zero dampening"),
    ("SGD", dict(nesterov=True, momentum=0.9, dampening=0.1), "dampening=0.1"),
    ("Adam", dict(betas=(1.0, 0.999)), "Invalid beta parameter at index 0: 1.0"),
    ("Adam", dict(betas=(0.9, -0.1)), "Invalid beta parameter at index 1: -0.1"),
    ("AdamW", dict(eps=-1e-8), "Invalid epsilon value: -1e-08"),
    ("NAdam", dict(momentum_decay=-1), "Invalid momentum_decay value: -1"),
    ("RMSprop", dict(alpha=-0.1), "Invalid alpha value: -0.1"),
    ("Adadelta", dict(rho=1.5), "Invalid rho value: 1.5"),
    ("Adagrad", dict(lr_decay=-1), "Invalid lr_decay value: -1"),
    ("Rprop", dict(etas=(1.2, 0.5)), "Invalid eta values: 1.2, 0.5"),
    ("Adafactor", dict(d=0.5), "Clipping threshold d should be >= 1 but is: 0.5"),
    ("Muon", dict(adjust_lr_fn="bad"), "Adjust learning rate function bad is not supported"),
])
def test_bad_hyper_parameters_raise_torchs_error(name, kwargs, message):
    with raises(ValueError, message):
        getattr(minitorch.optim, name)([minitorch.ones(2, 2, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError):
        getattr(torch.optim, name)([torch.ones(2, 2, requires_grad=True)], **kwargs)


def test_bad_parameter_lists():
    w = minitorch.ones(2, requires_grad=True)
    with raises(ValueError, "optimizer got an empty parameter list"):
        minitorch.optim.SGD([], lr=0.1)
    with raises(ValueError, "some parameters appear in more than one parameter group"):
        minitorch.optim.SGD([{"params": [w]}, {"params": [w]}], lr=0.1)
    with raises(TypeError, "iterable of Tensors or dicts"):
        minitorch.optim.SGD(w, lr=0.1)
    with raises(TypeError, "ordered collections"):
        minitorch.optim.SGD([{"params": {w}}], lr=0.1)
    with raises(TypeError, "optimizer can only optimize Tensors"):
        minitorch.optim.SGD([1.0], lr=0.1)
    with raises(ValueError, "can't optimize a non-leaf Tensor"):
        minitorch.optim.SGD([w * 2], lr=0.1)
    with raises(ValueError, "Muon only supports 2D parameters"):
        minitorch.optim.Muon([w])
    with raises(ValueError, "LBFGS doesn't support per-parameter options"):
        minitorch.optim.LBFGS([{"params": [w]}, {"params": [minitorch.ones(2, requires_grad=True)]}])


def test_lbfgs_needs_a_closure():
    optimizer = minitorch.optim.LBFGS([minitorch.ones(2, requires_grad=True)])
    with raises(TypeError, "closure"):
        optimizer.step()
