"""minitorch.optim.swa_utils (AveragedModel, the averaging functions, SWALR, update_bn) and the global
optimizer step hooks, against torch: the same averaged weights and buffers, lr sequences, BatchNorm
statistics and hook order, and torch's errors for bad arguments."""
import importlib

import numpy as np
import pytest
import torch
from oracle import assert_close, raises

import minitorch


def make_model(lib, dtype="float32"):
    """A small net with a BatchNorm (float parameters, float and int64 buffers)."""
    nn = lib.nn
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2)).to(getattr(lib, dtype))


def twin_models(dtype="float32"):
    """The same model in both libraries: torch's weights and buffers copied into minitorch's."""
    torch.manual_seed(0)
    theirs = make_model(torch, dtype)
    mine = make_model(minitorch, dtype)
    mine.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    return mine, theirs


def train_a_little(mine, theirs, seed, input_shape=(6, 3)):
    """Move both models to the same new weights and running statistics."""
    rng = np.random.default_rng(seed)
    for (_, m), (_, t) in zip(mine.named_parameters(), theirs.named_parameters()):
        values = rng.standard_normal(tuple(t.shape)).astype(str(t.dtype).split(".")[1])
        with torch.no_grad():
            t.copy_(torch.tensor(values))
        with minitorch.no_grad():
            m.copy_(minitorch.tensor(values))
    x = rng.standard_normal(input_shape).astype(str(theirs[0].weight.dtype).split(".")[1])
    theirs(torch.tensor(x)), mine(minitorch.tensor(x))


def assert_same_state(mine, theirs):
    mine_state, their_state = mine.state_dict(), theirs.state_dict()
    assert list(mine_state) == list(their_state)
    for key, expected in their_state.items():
        assert_close(mine_state[key], expected, what=key)


AVERAGING = {
    "swa-default": lambda s: {},
    "swa-avg_fn": lambda s: {"avg_fn": s.get_swa_avg_fn()},
    "ema-avg_fn": lambda s: {"avg_fn": s.get_ema_avg_fn(0.9)},
    "ema-multi_avg_fn": lambda s: {"multi_avg_fn": s.get_ema_multi_avg_fn(0.8)},
    "swa-multi_avg_fn": lambda s: {"multi_avg_fn": s.get_swa_multi_avg_fn()},
    "custom-avg_fn": lambda s: {"avg_fn": lambda a, p, n: 0.5 * a + 0.5 * p},
}


@pytest.mark.parametrize("name,use_buffers", [(name, use_buffers) for name in AVERAGING for use_buffers in (False, True)
                                               if (name, use_buffers) != ("swa-multi_avg_fn", True)])  # (see below)
def test_averaged_model_matches_torch(name, use_buffers):
    mine, theirs = twin_models()
    mine_avg = minitorch.optim.swa_utils.AveragedModel(mine, use_buffers=use_buffers,
                                                       **AVERAGING[name](minitorch.optim.swa_utils))
    their_avg = torch.optim.swa_utils.AveragedModel(theirs, use_buffers=use_buffers,
                                                    **AVERAGING[name](torch.optim.swa_utils))
    for step in range(5):
        train_a_little(mine, theirs, seed=step)
        mine_avg.update_parameters(mine), their_avg.update_parameters(theirs)
        assert_same_state(mine_avg, their_avg)
    assert_close(mine_avg.n_averaged, their_avg.n_averaged, what="n_averaged")
    x = np.random.default_rng(9).standard_normal((5, 3)).astype(np.float32)
    mine_avg.eval(), their_avg.eval()
    assert_close(mine_avg(minitorch.tensor(x)), their_avg(torch.tensor(x)).detach(), what="forward")


def test_averaged_model_float64_is_the_running_mean():
    mine, theirs = twin_models("float64")
    mine_avg, their_avg = minitorch.optim.swa_utils.AveragedModel(mine), torch.optim.swa_utils.AveragedModel(theirs)
    seen = []
    for step in range(4):
        train_a_little(mine, theirs, seed=10 + step)
        seen.append(mine[0].weight.detach().numpy().copy())
        mine_avg.update_parameters(mine), their_avg.update_parameters(theirs)
    assert_same_state(mine_avg, their_avg)
    np.testing.assert_allclose(mine_avg.module[0].weight.detach().numpy(), np.mean(seen, axis=0), rtol=1e-12)


def test_averaged_model_is_a_deep_copy_on_the_device():
    mine, _ = twin_models()
    averaged = minitorch.optim.swa_utils.AveragedModel(mine, device="cpu")
    assert all(a is not p for a, p in zip(averaged.module.parameters(), mine.parameters()))
    assert averaged.n_averaged.dtype == minitorch.int64 and int(averaged.n_averaged) == 0
    assert list(dict(averaged.named_buffers())) == list(dict(torch.optim.swa_utils.AveragedModel(
        make_model(torch)).named_buffers()))
    with minitorch.no_grad():
        mine[0].weight.fill_(3.0)
    assert not (averaged.module[0].weight.detach().numpy() == 3.0).any()


def test_swa_multi_avg_fn_refuses_integer_buffers():
    """With use_buffers=True the int64 num_batches_tracked reaches addcdiv_, which torch refuses."""
    for lib, (model, _) in ((minitorch, twin_models()), (torch, twin_models()[::-1])):
        averaged = lib.optim.swa_utils.AveragedModel(model, multi_avg_fn=lib.optim.swa_utils.get_swa_multi_avg_fn(),
                                                     use_buffers=True)
        averaged.update_parameters(model)
        with raises(RuntimeError, "Integer division with addcdiv is no longer supported"):
            averaged.update_parameters(model)


@pytest.mark.parametrize("lib", [minitorch, torch], ids=["minitorch", "torch"])
def test_averaged_model_errors(lib):
    swa = lib.optim.swa_utils
    with raises(AssertionError, "Only one of avg_fn and multi_avg_fn should be provided"):
        swa.AveragedModel(make_model(lib), avg_fn=swa.get_swa_avg_fn(), multi_avg_fn=swa.get_swa_multi_avg_fn())
    for make in (swa.get_ema_avg_fn, swa.get_ema_multi_avg_fn):
        with raises(ValueError, "Invalid decay value 1.5 provided. Please provide a value in [0,1] range."):
            make(1.5)
        with raises(ValueError, "Invalid decay value -0.1 provided"):
            make(-0.1)


# ---------------------------------------------------------------------- SWALR
def make_optimizer(lib, lr=(0.1, 0.5)):
    groups = [{"params": [lib.zeros(2, requires_grad=True)], "lr": lr[0]},
              {"params": [lib.zeros(3, requires_grad=True)], "lr": lr[1]}]
    return lib.optim.SGD(groups, lr=0.1, momentum=0.9)


def swalr_sequence(lib, steps=30, **kwargs):
    optimizer = make_optimizer(lib)
    scheduler = lib.optim.swa_utils.SWALR(optimizer, **kwargs)
    seen = [scheduler.get_last_lr()]
    for _ in range(steps):
        optimizer.step()
        scheduler.step()
        seen.append(scheduler.get_last_lr())
    return seen


@pytest.mark.parametrize("swa_lr", [0.05, [0.01, 1.0]])
@pytest.mark.parametrize("anneal_epochs", [0, 1, 5, 10, 40])
@pytest.mark.parametrize("anneal_strategy", ["cos", "linear"])
def test_swalr_matches_torch(anneal_strategy, anneal_epochs, swa_lr):
    kwargs = dict(swa_lr=swa_lr, anneal_epochs=anneal_epochs, anneal_strategy=anneal_strategy)
    np.testing.assert_allclose(swalr_sequence(minitorch, **kwargs), swalr_sequence(torch, **kwargs), rtol=1e-12)


def test_swalr_after_another_schedule_matches_torch():
    """SWALR anneals from whatever rate the previous schedule left in the groups."""
    seen = {}
    for lib in (minitorch, torch):
        optimizer = make_optimizer(lib)
        first = lib.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.8)
        for _ in range(4):
            optimizer.step()
            first.step()
        swa = lib.optim.swa_utils.SWALR(optimizer, swa_lr=0.02, anneal_epochs=6)
        seen[lib] = [swa.get_last_lr()]
        for _ in range(10):
            optimizer.step()
            swa.step()
            seen[lib].append(swa.get_last_lr())
    np.testing.assert_allclose(seen[minitorch], seen[torch], rtol=1e-12)


def test_swalr_state_dict_round_trip():
    results = {}
    for lib in (minitorch, torch):
        optimizer = make_optimizer(lib)
        scheduler = lib.optim.swa_utils.SWALR(optimizer, swa_lr=0.05, anneal_epochs=12, anneal_strategy="linear")
        for _ in range(5):
            optimizer.step()
            scheduler.step()
        saved = scheduler.state_dict()
        resumed = lib.optim.swa_utils.SWALR(make_optimizer(lib), swa_lr=0.3, anneal_strategy="cos")
        resumed.optimizer.load_state_dict(optimizer.state_dict())
        resumed.load_state_dict(saved)
        lrs = []
        for _ in range(10):
            resumed.optimizer.step()
            resumed.step()
            lrs.append(resumed.get_last_lr())
        results[lib] = (sorted(saved), lrs, resumed.anneal_func(0.5))
    assert results[minitorch][0] == results[torch][0]
    np.testing.assert_allclose(results[minitorch][1], results[torch][1], rtol=1e-12)
    assert results[minitorch][2] == results[torch][2] == 0.5  # linear again after loading


@pytest.mark.parametrize("lib", [minitorch, torch], ids=["minitorch", "torch"])
def test_swalr_errors(lib):
    swalr = lib.optim.swa_utils.SWALR
    with raises(ValueError, "anneal_strategy must be one of 'cos' or 'linear', instead got exp"):
        swalr(make_optimizer(lib), 0.05, anneal_strategy="exp")
    with raises(ValueError, "anneal_epochs must be equal or greater than 0, got -1"):
        swalr(make_optimizer(lib), 0.05, anneal_epochs=-1)
    with raises(ValueError, "anneal_epochs must be equal or greater than 0, got 2.0"):
        swalr(make_optimizer(lib), 0.05, anneal_epochs=2.0)
    with raises(ValueError, "swa_lr must have the same length as optimizer.param_groups. swa_lr has 3 values, "
                            "param_groups has 2."):
        swalr(make_optimizer(lib), [0.1, 0.2, 0.3])
    with raises(KeyError, "initial_lr"):
        swalr(make_optimizer(lib), 0.05, last_epoch=3)


def test_swalr_get_lr_outside_step_warns():
    scheduler = minitorch.optim.swa_utils.SWALR(make_optimizer(minitorch), 0.05)
    with pytest.warns(UserWarning, match="get_last_lr"):
        scheduler.get_lr()


# ---------------------------------------------------------------------- update_bn
def bn_model(lib):
    """BatchNorm2d and BatchNorm1d, and an InstanceNorm with running statistics, which update_bn leaves alone."""
    nn = lib.nn
    return nn.Sequential(nn.Conv2d(2, 3, 1), nn.BatchNorm2d(3, momentum=0.3), nn.ReLU(),
                         nn.InstanceNorm2d(3, track_running_stats=True), nn.Flatten(), nn.Linear(12, 4),
                         nn.BatchNorm1d(4))


def twin_bn_models():
    torch.manual_seed(1)
    theirs, mine = bn_model(torch), bn_model(minitorch)
    mine.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    return mine, theirs


INPUT = (2, 2, 2)  # channels, height, width
BATCHES = [np.random.default_rng(i).standard_normal((7 - i, *INPUT)).astype(np.float32) for i in range(4)]


@pytest.mark.parametrize("form", ["tensors", "tuples", "dataloader"])
def test_update_bn_matches_torch(form):
    mine, theirs = twin_bn_models()
    x = np.random.default_rng(7).standard_normal((8, *INPUT)).astype(np.float32)
    mine(minitorch.tensor(x)), theirs(torch.tensor(x))  # statistics that update_bn must forget
    mine.eval(), theirs.eval()

    def loader(lib):
        if form == "tensors":
            return [lib.tensor(b) for b in BATCHES]
        if form == "tuples":
            return [(lib.tensor(b), lib.zeros(len(b))) for b in BATCHES]
        data = np.concatenate(BATCHES)
        dataset = lib.utils.data.TensorDataset(lib.tensor(data), lib.zeros(len(data)))
        return lib.utils.data.DataLoader(dataset, batch_size=5)

    assert minitorch.optim.swa_utils.update_bn(loader(minitorch), mine, device="cpu") is None
    torch.optim.swa_utils.update_bn(loader(torch), theirs, device="cpu")
    assert_same_state(mine, theirs)
    assert not mine.training and not mine[1].training
    assert [mine[1].momentum, mine[6].momentum] == [theirs[1].momentum, theirs[6].momentum] == [0.3, 0.1]


def test_update_bn_on_an_averaged_model_matches_torch():
    mine, theirs = twin_bn_models()
    mine_avg, their_avg = minitorch.optim.swa_utils.AveragedModel(mine), torch.optim.swa_utils.AveragedModel(theirs)
    for seed in range(3):
        train_a_little(mine, theirs, seed, input_shape=(6, *INPUT))
        mine_avg.update_parameters(mine), their_avg.update_parameters(theirs)
    minitorch.optim.swa_utils.update_bn([minitorch.tensor(b) for b in BATCHES], mine_avg)
    torch.optim.swa_utils.update_bn([torch.tensor(b) for b in BATCHES], their_avg)
    assert_same_state(mine_avg, their_avg)
    assert mine_avg.training


def test_update_bn_without_batchnorm_changes_nothing():
    model = minitorch.nn.Sequential(minitorch.nn.Linear(3, 2))
    model.eval()
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    minitorch.optim.swa_utils.update_bn([minitorch.tensor(b) for b in BATCHES], model)
    assert not model.training
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), before[key])


# ---------------------------------------------------------------------- global step hooks
@pytest.fixture
def global_hooks():
    """Register global hooks through this fixture: they are removed again after the test."""
    handles = []

    def register(lib, kind, hook):
        module = importlib.import_module(f"{lib.__name__}.optim.optimizer")  # (torch.optim hides .optimizer)
        handles.append(getattr(module, f"register_optimizer_step_{kind}_hook")(hook))
        return handles[-1]

    yield register
    for handle in handles:
        handle.remove()


def hook_order(lib, register):
    """The order in which global and per-optimizer hooks run around two optimizers' steps."""
    events = []

    def recorder(name):
        def hook(optimizer, args, kwargs):
            assert args[0] is optimizer and kwargs == {}
            events.append(f"{name}:{type(optimizer).__name__}")
        return hook

    register(lib, "pre", recorder("global-pre-1"))
    register(lib, "post", recorder("global-post-1"))
    p = lib.zeros(2, requires_grad=True)
    p.grad = lib.ones(2)
    optimizers = [lib.optim.SGD([p], lr=0.1), lib.optim.Adam([p], lr=0.1)]
    for optimizer in optimizers:
        optimizer.register_step_pre_hook(recorder("own-pre"))
        optimizer.register_step_post_hook(recorder("own-post"))
    register(lib, "pre", recorder("global-pre-2"))
    register(lib, "post", recorder("global-post-2"))
    for optimizer in optimizers:
        optimizer.step()
    return events


def test_global_step_hooks_order_matches_torch(global_hooks):
    mine = hook_order(minitorch, global_hooks)
    assert mine == hook_order(torch, global_hooks)
    assert mine[:6] == ["global-pre-1:SGD", "global-pre-2:SGD", "own-pre:SGD", "own-post:SGD", "global-post-1:SGD",
                        "global-post-2:SGD"]


def test_global_step_hooks_run_for_every_optimizer_and_are_removable(global_hooks):
    calls = []
    pre = global_hooks(minitorch, "pre", lambda opt, args, kwargs: calls.append(("pre", type(opt).__name__)))
    post = global_hooks(minitorch, "post", lambda opt, args, kwargs: calls.append(("post", type(opt).__name__)))
    p = minitorch.zeros(2, requires_grad=True)
    lbfgs = minitorch.optim.LBFGS([p], lr=0.1, max_iter=2)  # an optimizer with its own step()

    def closure():
        lbfgs.zero_grad()
        loss = ((p - 1.0) ** 2).sum()
        loss.backward()
        return loss

    lbfgs.step(closure)
    p.grad = minitorch.ones(2)
    minitorch.optim.RMSprop([p]).step()
    assert calls == [("pre", "LBFGS"), ("post", "LBFGS"), ("pre", "RMSprop"), ("post", "RMSprop")]
    pre.remove()
    minitorch.optim.SGD([p], lr=0.1).step()
    assert calls[-1] == ("post", "SGD") and calls[-2] == ("post", "RMSprop")
    post.remove()
    minitorch.optim.SGD([p], lr=0.1).step()
    assert len(calls) == 5


def test_global_pre_hook_can_replace_the_arguments(global_hooks):
    results = {}
    for lib in (minitorch, torch):
        p = lib.tensor([1.0, 2.0], requires_grad=True)
        optimizer = lib.optim.SGD([p], lr=0.5)

        def closure():
            optimizer.zero_grad()
            loss = (p ** 2).sum()
            loss.backward()
            return loss

        global_hooks(lib, "pre", lambda opt, args, kwargs: ((args[0], closure), kwargs))
        loss = optimizer.step()
        results[lib] = (float(loss.detach()), p.detach().numpy().tolist())
        global_hooks(lib, "pre", lambda opt, args, kwargs: "not a pair")
        with raises(RuntimeError, "must return None or a tuple of (new_args, new_kwargs), but got not a pair"):
            optimizer.step()
    assert results[minitorch] == results[torch] == (5.0, [0.0, 0.0])


def test_global_hook_functions_live_where_torch_has_them():
    from minitorch.optim.optimizer import __all__ as mine
    from torch.optim.optimizer import __all__ as theirs
    assert sorted(mine) == sorted(theirs)
    assert "swa_utils" in minitorch.optim.__all__


def test_instance_norm_is_not_a_batch_norm_as_in_torch():
    """Both derive from _NormBase; code that looks for BatchNorm layers (update_bn) skips InstanceNorm in both."""
    for lib in (torch, minitorch):
        from_module = lib.nn.modules.batchnorm
        assert not isinstance(lib.nn.InstanceNorm2d(3), from_module._BatchNorm)
        assert isinstance(lib.nn.InstanceNorm2d(3), from_module._NormBase)
        assert isinstance(lib.nn.BatchNorm2d(3), from_module._NormBase)
