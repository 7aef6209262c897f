"""torch code runs unchanged on minitorch.optim: the constructors' full signatures, the implementation
flags (foreach/fused/capturable/differentiable), Tensor learning rates and betas, and the hooks,
each checked against torch."""
import inspect

import numpy as np
import pytest
import torch
from test_optim import run_trajectory
from test_optim_api import NAMES

import minitorch

FUSED = ["SGD", "Adam", "AdamW", "Adagrad"]
WITH_FOREACH = sorted(set(NAMES) - {"LBFGS", "Muon"})
WITH_DIFFERENTIABLE = sorted(set(WITH_FOREACH) - {"Adafactor"})
LR = {"SGD": 1e-2, "Adagrad": 0.05, "Adadelta": 1.0, "RMSprop": 1e-3, "Rprop": 1e-3, "ASGD": 1e-2, "LBFGS": 0.5}


def optimize(lib, name, steps=15, problem="mlp", between_steps=None, **kwargs):
    """The parameters after each of ``steps`` steps of ``lib.optim.<name>(params, **kwargs)``."""
    return run_trajectory(lib, name, kwargs, problem, steps, between_steps)


def assert_same(mine, theirs, rtol=1e-6, atol=1e-9):
    for step, (m_params, t_params) in enumerate(zip(mine, theirs)):
        for m, t in zip(m_params, t_params):
            np.testing.assert_allclose(m, t, rtol=rtol, atol=atol, err_msg=f"after step {step + 1}")


def same_error(make):
    """``make(lib)`` raises the same exception class with the same message in minitorch and torch."""
    errors = []
    for lib in (minitorch, torch):
        with pytest.raises(Exception) as info:
            make(lib)
        errors.append(info.value)
    mine, theirs = errors
    assert type(mine).__name__ == type(theirs).__name__ and str(mine) == str(theirs), (mine, theirs)
    return mine


# ---------------------------------------------------------------- signatures and stored flags
@pytest.mark.parametrize("name", NAMES)
def test_constructor_signature_is_torchs(name):
    def described(cls):
        return [(p.name, p.default, p.kind) for p in inspect.signature(cls.__init__).parameters.values()]
    assert described(getattr(minitorch.optim, name)) == described(getattr(torch.optim, name))


@pytest.mark.parametrize("name", WITH_FOREACH)
def test_param_groups_store_the_flags_as_torch(name):
    flags = dict(foreach=True) if name not in FUSED else dict(fused=True)
    groups = []
    for lib in (minitorch, torch):
        optimizer = getattr(lib.optim, name)([lib.ones(2, 2, requires_grad=True)], **flags)
        groups.append({k: v for k, v in optimizer.state_dict()["param_groups"][0].items()})
    assert list(groups[0]) == list(groups[1]) and groups[0] == groups[1]


# ---------------------------------------------------------------- foreach, fused, capturable, differentiable
@pytest.mark.parametrize("name", WITH_FOREACH)
def test_foreach_and_fused_change_nothing(name):
    lr = dict(lr=LR.get(name, 1e-2))
    plain = optimize(minitorch, name, **lr)
    for flags in [dict(foreach=True), dict(foreach=False)] + ([dict(fused=True)] if name in FUSED else []):
        mine = optimize(minitorch, name, **lr, **flags)
        assert_same(mine, plain, rtol=0, atol=0)
        assert_same(mine, optimize(torch, name, **lr, **flags))


@pytest.mark.parametrize("name", sorted(set(WITH_DIFFERENTIABLE) - {"SGD", "Adagrad"}))
def test_capturable_is_accepted_and_ignored(name):
    """torch needs GPU tensors for capturable=True (CUDA graphs) and refuses CPU ones at the first
    step; minitorch has no CUDA graphs, so the flag changes nothing."""
    lr = dict(lr=LR.get(name, 1e-2))
    assert_same(optimize(minitorch, name, capturable=True, **lr), optimize(minitorch, name, **lr), rtol=0, atol=0)


@pytest.mark.parametrize("name", WITH_DIFFERENTIABLE)
def test_differentiable_raises_not_implemented_naming_the_argument(name):
    w = minitorch.ones(2, 2, requires_grad=True)
    for params in ([w], [w * 2]):  # the use case: a non-leaf parameter computed from meta-parameters
        with pytest.raises(NotImplementedError, match="differentiable=True"):
            getattr(minitorch.optim, name)(params, differentiable=True)


@pytest.mark.parametrize("name", FUSED)
def test_fused_conflicts_raise_torchs_errors(name):
    def build(lib, **flags):
        getattr(lib.optim, name)([lib.ones(2, 2, requires_grad=True)], **flags)
    assert "cannot be `True` together" in str(same_error(lambda lib: build(lib, fused=True, foreach=True)))
    same_error(lambda lib: build(lib, fused=True, differentiable=True))


@pytest.mark.parametrize("name", FUSED)
def test_fused_needs_floating_point_parameters_at_the_step(name):
    def step(lib):
        p = lib.ones(2, dtype=lib.int64)
        p.grad = lib.ones(2, dtype=lib.int64)
        getattr(lib.optim, name)([p], fused=True).step()
    with pytest.raises(RuntimeError, match="`fused=True` requires all the params to be floating point Tensors") as info:
        step(minitorch)
    assert "torch.int64 and cpu" in str(info.value)
    with pytest.raises(RuntimeError, match="`fused=True` requires all the params to be floating point Tensors"):
        step(torch)


def test_fused_step_count_is_float32_as_torch():
    minitorch.set_default_dtype(minitorch.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for lib in (minitorch, torch):
            for name in ["Adam", "Adagrad"]:
                p = lib.ones(2, requires_grad=True)
                p.grad = lib.ones(2)
                optimizer = getattr(lib.optim, name)([p], fused=True)
                optimizer.step()
                assert str(optimizer.state[p]["step"].dtype) == "torch.float32"
    finally:
        minitorch.set_default_dtype(minitorch.float32)
        torch.set_default_dtype(torch.float32)


# ---------------------------------------------------------------- Tensor learning rates and betas
@pytest.mark.parametrize("name", NAMES)
def test_tensor_lr_follows_torchs_trajectory(name):
    lr, steps = LR.get(name, 1e-2), 3 if name == "Muon" else 15  # torch's bfloat16 Muon is slow on CPUs
    mine = optimize(minitorch, name, steps, lr=minitorch.tensor(lr))
    assert_same(mine, optimize(torch, name, steps, lr=torch.tensor(lr)), atol=1e-6 if name == "Muon" else 1e-9)


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_a_tensor_lr_changed_in_place_is_read_at_the_next_step(name):
    def decay(optimizer, step):
        if step == 5:
            optimizer.param_groups[0]["lr"].mul_(0.1)
    mine = optimize(minitorch, name, lr=minitorch.tensor(1e-2), between_steps=decay)
    assert_same(mine, optimize(torch, name, lr=torch.tensor(1e-2), between_steps=decay))


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_tensor_betas_follow_torchs_trajectory(name):
    """torch computes with float32 betas partly in float32 (``1 - beta2``, ``1 - beta1 ** t``) and
    partly in the parameter's dtype (``lerp(m, g, 1 - beta1)``); minitorch keeps all of it in float32,
    so the steps differ by float32 rounding: elements near zero need an absolute tolerance."""
    mine = optimize(minitorch, name, betas=(minitorch.tensor([0.8]), minitorch.tensor(0.99)), lr=1e-2)
    assert_same(mine, optimize(torch, name, betas=(torch.tensor([0.8]), torch.tensor(0.99)), lr=1e-2), atol=1e-8)


@pytest.mark.parametrize("make", [
    lambda lib: lib.optim.SGD([lib.ones(2, requires_grad=True)], lr=lib.tensor([0.1, 0.2])),
    lambda lib: lib.optim.Adam([lib.ones(2, requires_grad=True)], lr=lib.tensor(-0.01)),
    lambda lib: lib.optim.Muon([lib.ones(2, 2, requires_grad=True)], lr=lib.tensor(-0.01)),
    lambda lib: lib.optim.Adam([lib.ones(2, requires_grad=True)], lr=lib.tensor(0.01), foreach=True),
    lambda lib: lib.optim.AdamW([lib.ones(2, requires_grad=True)], betas=(lib.tensor(0.9), 0.999)),
    lambda lib: lib.optim.Adam([lib.ones(2, requires_grad=True)], betas=(0, 0.999)),
    lambda lib: lib.optim.Adam([lib.ones(2, requires_grad=True)], betas=(lib.tensor(0.9), lib.tensor(0.9)),
                               foreach=True),
], ids=["two-element lr", "negative tensor lr", "negative tensor lr (Muon)", "tensor lr with foreach",
        "float and tensor betas", "an int beta", "tensor betas with foreach"])
def test_bad_tensor_hyper_parameters_raise_torchs_errors(make):
    assert isinstance(same_error(make), ValueError)


def test_a_two_element_beta_is_ambiguous_as_in_torch():
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match="Boolean value of Tensor with .* is ambiguous"):
            lib.optim.Adam([lib.ones(2, requires_grad=True)], betas=(lib.tensor([0.9, 0.8]), lib.tensor(0.9)))


def test_tensor_lr_with_foreach_is_fine_when_capturable():
    minitorch.optim.Adam([minitorch.ones(2, requires_grad=True)], lr=minitorch.tensor(0.01), foreach=True,
                         capturable=True)


# ---------------------------------------------------------------- hooks
def hooked_run(lib, name="SGD"):
    """Register every kind of hook, step, save and load: the calls the hooks saw, in order."""
    calls = []
    w = lib.ones(2, requires_grad=True)
    optimizer = getattr(lib.optim, name)([w], lr=0.1, momentum=0.9) if name == "SGD" else \
        getattr(lib.optim, name)([w], lr=0.1)

    def closure():
        optimizer.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    def pre_step(opt, args, kwargs):
        calls.append(("pre_step", opt is optimizer, len(args), args[0] is optimizer, sorted(kwargs)))
        return (args, {"closure": closure}) if len(args) == 1 and not kwargs else None

    def on_state_dict(opt, state_dict):
        calls.append(("state_dict_post", sorted(state_dict)))
        state_dict["extra"] = "kept"

    def replace_lr(opt, state_dict):
        calls.append(("load_pre", sorted(state_dict)))
        state_dict = dict(state_dict)
        state_dict["param_groups"] = [dict(g, lr=0.5) for g in state_dict["param_groups"]]
        return state_dict

    handles = [optimizer.register_step_pre_hook(pre_step),
               optimizer.register_step_post_hook(lambda opt, args, kwargs: calls.append(("post_step", len(args)))),
               optimizer.register_state_dict_pre_hook(lambda opt: calls.append("state_dict_pre first"), prepend=True),
               optimizer.register_state_dict_post_hook(on_state_dict),
               optimizer.register_load_state_dict_pre_hook(replace_lr),
               optimizer.register_load_state_dict_post_hook(lambda opt: calls.append("load_post")),
               optimizer.register_load_state_dict_post_hook(lambda opt: calls.append("load_post first"), prepend=True)]
    optimizer.register_state_dict_pre_hook(lambda opt: calls.append("state_dict_pre second"))
    loss = optimizer.step()  # the pre-hook hands step a closure
    calls.append(("loss", float(loss.detach()), w.tolist()))
    state_dict = optimizer.state_dict()
    calls.append(("extra", state_dict.get("extra")))
    optimizer.load_state_dict(state_dict)
    calls.append(("lr after load", optimizer.param_groups[0]["lr"]))
    for handle in handles:
        handle.remove()
    optimizer.step(closure)
    optimizer.load_state_dict(optimizer.state_dict())
    calls.append(("lr after removing", optimizer.param_groups[0]["lr"]))
    return calls


@pytest.mark.parametrize("name", ["SGD", "Adam", "LBFGS"])
def test_hooks_are_called_as_torch_calls_them(name):
    mine, theirs = hooked_run(minitorch, name), hooked_run(torch, name)
    assert len(mine) == len(theirs) > 10
    for m, t in zip(mine, theirs):
        if isinstance(m, tuple) and m[0] == "loss":
            assert m[1] == pytest.approx(t[1]) and m[2] == pytest.approx(t[2])
        else:
            assert m == t


def test_a_step_pre_hook_must_return_none_or_args_and_kwargs():
    for lib in (minitorch, torch):
        optimizer = lib.optim.SGD([lib.ones(2, requires_grad=True)], lr=0.1)
        optimizer.register_step_pre_hook(lambda opt, args, kwargs: "oops")
        with pytest.raises(RuntimeError, match=r"must return None or a tuple of \(new_args, new_kwargs\), but got oops"):
            optimizer.step()


def test_a_removed_hook_is_not_called_and_a_handle_works_as_a_context_manager():
    calls = []
    optimizer = minitorch.optim.SGD([minitorch.ones(2, requires_grad=True)], lr=0.1)
    with optimizer.register_step_post_hook(lambda *args: calls.append("post")):
        optimizer.step()
    optimizer.step()
    assert calls == ["post"]


def test_a_subclass_that_writes_its_own_step_gets_the_step_hooks():
    class SignDescent(minitorch.optim.Optimizer):
        def __init__(self, params, lr=0.1):
            super().__init__(params, dict(lr=lr))

        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    p.data -= group["lr"] * p.grad.sign()

    calls = []
    w = minitorch.ones(2, requires_grad=True)
    w.grad = minitorch.tensor([1.0, -1.0])
    optimizer = SignDescent([w])
    optimizer.register_step_pre_hook(lambda opt, args, kwargs: calls.append("pre"))
    optimizer.register_step_post_hook(lambda opt, args, kwargs: calls.append("post"))
    optimizer.step()
    assert calls == ["pre", "post"] and w.tolist() == pytest.approx([0.9, 1.1])
