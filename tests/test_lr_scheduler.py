"""Every learning-rate scheduler against torch: the same lr (and momentum) sequences, state_dict round
trips that resume the same sequence, and torch's errors for bad input."""
import copy
import warnings

import pytest
import torch
from oracle import raises

import minitorch


def make_optimizer(lib, name="SGD"):
    """Two param groups with different learning rates (and momentum or betas to cycle)."""
    groups = [{"params": [lib.zeros(2, requires_grad=True)]}, {"params": [lib.zeros(3, requires_grad=True)], "lr": 0.5}]
    if name == "SGD":
        return lib.optim.SGD(groups, lr=0.1, momentum=0.9)
    return lib.optim.Adam(groups, lr=0.1)


SCHEDULERS = {
    "LambdaLR": lambda s, o: s.LambdaLR(o, lambda epoch: 0.95 ** epoch),
    "LambdaLR-per-group": lambda s, o: s.LambdaLR(o, [lambda e: 1 / (1 + e), lambda e: 0.9 ** e]),
    "MultiplicativeLR": lambda s, o: s.MultiplicativeLR(o, lambda epoch: 0.9),
    "StepLR": lambda s, o: s.StepLR(o, step_size=7, gamma=0.5),
    "MultiStepLR": lambda s, o: s.MultiStepLR(o, milestones=[5, 12, 12, 30], gamma=0.3),
    "ConstantLR": lambda s, o: s.ConstantLR(o, factor=0.25, total_iters=8),
    "LinearLR": lambda s, o: s.LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=15),
    "ExponentialLR": lambda s, o: s.ExponentialLR(o, gamma=0.93),
    "PolynomialLR": lambda s, o: s.PolynomialLR(o, total_iters=20, power=2.0),
    "CosineAnnealingLR": lambda s, o: s.CosineAnnealingLR(o, T_max=10, eta_min=0.01),
    "CosineAnnealingWarmRestarts": lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=0.001),
    "CyclicLR-triangular": lambda s, o: s.CyclicLR(o, base_lr=0.01, max_lr=[0.1, 0.2], step_size_up=4),
    "CyclicLR-triangular2": lambda s, o: s.CyclicLR(o, 0.01, 0.1, step_size_up=3, step_size_down=5, mode="triangular2"),
    "CyclicLR-exp_range": lambda s, o: s.CyclicLR(o, 0.01, 0.1, step_size_up=4, mode="exp_range", gamma=0.97),
    "CyclicLR-scale_fn": lambda s, o: s.CyclicLR(o, 0.01, 0.1, step_size_up=4, scale_fn=lambda x: 0.5 ** x,
                                                 scale_mode="iterations", cycle_momentum=False),
    "OneCycleLR-cos": lambda s, o: s.OneCycleLR(o, max_lr=[1.0, 2.0], total_steps=40),
    "OneCycleLR-linear-3phase": lambda s, o: s.OneCycleLR(o, max_lr=1.0, epochs=4, steps_per_epoch=10,
                                                          anneal_strategy="linear", three_phase=True, pct_start=0.25),
    "ChainedScheduler": lambda s, o: s.ChainedScheduler([s.ConstantLR(o, factor=0.5, total_iters=4),
                                                         s.ExponentialLR(o, gamma=0.9)]),
    "SequentialLR": lambda s, o: s.SequentialLR(o, [s.LinearLR(o, start_factor=0.1, total_iters=5),
                                                    s.CosineAnnealingLR(o, T_max=20)], milestones=[5]),
    "SequentialLR-3": lambda s, o: s.SequentialLR(o, [s.ConstantLR(o, factor=0.1, total_iters=2),
                                                      s.ExponentialLR(o, gamma=0.9), s.StepLR(o, 3)],
                                                  milestones=[4, 10]),
}
STEPS = 40


def lr_sequence(lib, key, optimizer_name="SGD", steps=STEPS):
    """(lrs, momenta) after construction and after each step."""
    optimizer = make_optimizer(lib, optimizer_name)
    scheduler = SCHEDULERS[key](lib.optim.lr_scheduler, optimizer)
    seen = []
    for _ in range(steps):
        seen.append((list(scheduler.get_last_lr()), _momenta(optimizer)))
        optimizer.step()
        scheduler.step()
    return seen


def _momenta(optimizer):
    return [group.get("momentum", group.get("betas")) for group in optimizer.param_groups]


def assert_same_sequence(mine, theirs):
    assert len(mine) == len(theirs)
    for step, (m, t) in enumerate(zip(mine, theirs)):
        assert m[0] == pytest.approx(t[0], rel=1e-12, abs=1e-15), f"lr at step {step}"
        assert m[1] == t[1] or m[1] == pytest.approx(t[1], rel=1e-12), f"momentum at step {step}"


def assert_close_lists(mine, theirs):
    assert len(mine) == len(theirs)
    for m, t in zip(mine, theirs):
        assert m == pytest.approx(t, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("key", SCHEDULERS)
def test_lr_sequence_matches_torch(key):
    assert_same_sequence(lr_sequence(minitorch, key), lr_sequence(torch, key))


@pytest.mark.parametrize("key", ["CyclicLR-triangular", "OneCycleLR-cos", "StepLR"])
def test_beta1_cycling_with_adam_matches_torch(key):
    assert_same_sequence(lr_sequence(minitorch, key, "Adam"), lr_sequence(torch, key, "Adam"))


def test_chainable_schedulers_compose_like_torch():
    sequences = []
    for lib in (minitorch, torch):
        optimizer = make_optimizer(lib)
        s = lib.optim.lr_scheduler
        first, second = s.StepLR(optimizer, step_size=3, gamma=0.5), s.ExponentialLR(optimizer, gamma=0.9)
        lrs = []
        for _ in range(15):
            optimizer.step()
            first.step()
            second.step()
            lrs.append([g["lr"] for g in optimizer.param_groups])
        sequences.append(lrs)
    assert_close_lists(*sequences)


@pytest.mark.parametrize("key", ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR",
                                 "PolynomialLR", "ConstantLR"])
def test_closed_form_with_epoch_argument_matches_torch(key):
    sequences = []
    for lib in (minitorch, torch):
        optimizer = make_optimizer(lib)
        scheduler = SCHEDULERS[key](lib.optim.lr_scheduler, optimizer)
        lrs = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for epoch in [3, 9, 4, 15, 30, 12]:
                optimizer.step()
                scheduler.step(epoch)
                lrs.append(scheduler.get_last_lr())
        sequences.append(lrs)
    assert_close_lists(*sequences)


def test_cosine_warm_restarts_with_fractional_epochs_matches_torch():
    sequences = []
    for lib in (minitorch, torch):
        optimizer = make_optimizer(lib)
        scheduler = lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=3, T_mult=2)
        lrs = []
        for epoch in range(12):
            for i in range(4):
                optimizer.step()
                scheduler.step(epoch + i / 4)
                lrs.append(scheduler.get_last_lr())
        sequences.append(lrs)
    assert_close_lists(*sequences)


@pytest.mark.parametrize("kwargs", [dict(), dict(mode="max", threshold_mode="abs", threshold=0.1, cooldown=2),
                                    dict(patience=2, factor=0.5, min_lr=[0.02, 0.1], eps=1e-3)])
def test_reduce_lr_on_plateau_matches_torch(kwargs):
    metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.85] * 4
    sequences = []
    for lib in (minitorch, torch):
        optimizer = make_optimizer(lib)
        scheduler = lib.optim.lr_scheduler.ReduceLROnPlateau(optimizer, **{"patience": 3, **kwargs})
        lrs = []
        for metric in metrics:
            optimizer.step()
            scheduler.step(metric)
            lrs.append(scheduler.get_last_lr())
        sequences.append(lrs)
    assert_close_lists(*sequences)
    assert sequences[0][-1] != sequences[0][0], "the metric sequence should trigger a reduction"


@pytest.mark.parametrize("key", ["StepLR", "LambdaLR", "CosineAnnealingWarmRestarts", "CyclicLR-triangular2",
                                 "OneCycleLR-cos", "SequentialLR", "ChainedScheduler", "MultiStepLR"])
def test_state_dict_round_trip_resumes_the_same_sequence(key):
    optimizer = make_optimizer(minitorch)
    scheduler = SCHEDULERS[key](minitorch.optim.lr_scheduler, optimizer)
    for _ in range(13):
        optimizer.step()
        scheduler.step()
    saved_optimizer, saved_scheduler = copy.deepcopy(optimizer.state_dict()), copy.deepcopy(scheduler.state_dict())
    expected = []
    for _ in range(15):
        optimizer.step()
        scheduler.step()
        expected.append(scheduler.get_last_lr())

    resumed_optimizer = make_optimizer(minitorch)
    resumed = SCHEDULERS[key](minitorch.optim.lr_scheduler, resumed_optimizer)
    resumed_optimizer.load_state_dict(saved_optimizer)
    resumed.load_state_dict(saved_scheduler)
    got = []
    for _ in range(15):
        resumed_optimizer.step()
        resumed.step()
        got.append(resumed.get_last_lr())
    assert got == expected


def test_scheduler_step_before_optimizer_step_warns():
    optimizer = make_optimizer(minitorch)
    scheduler = minitorch.optim.lr_scheduler.StepLR(optimizer, 2)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        scheduler.step()


def test_get_lr_outside_step_warns():
    scheduler = minitorch.optim.lr_scheduler.StepLR(make_optimizer(minitorch), 2)
    with pytest.warns(UserWarning, match="get_last_lr"):
        scheduler.get_lr()


def test_one_cycle_past_total_steps_raises():
    optimizer = make_optimizer(minitorch)
    scheduler = minitorch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1.0, total_steps=3)
    for _ in range(3):
        optimizer.step()
        scheduler.step()
    with raises(ValueError, "Tried to step 4 times. The specified number of total steps is 3"):
        scheduler.step()


@pytest.mark.parametrize("build, exc, message", [
    (lambda s, o: s.StepLR("not an optimizer", 3), TypeError, "str is not an Optimizer"),
    (lambda s, o: s.LambdaLR(o, [lambda e: 1.0]), ValueError, "Expected 2 lr_lambdas, but got 1"),
    (lambda s, o: s.ConstantLR(o, factor=1.5), ValueError, "between 0 and 1"),
    (lambda s, o: s.LinearLR(o, start_factor=0), ValueError, "Starting multiplicative factor"),
    (lambda s, o: s.StepLR(o, 3, last_epoch=5), KeyError, "initial_lr"),
    (lambda s, o: s.OneCycleLR(o, max_lr=1.0), ValueError, "You must define either total_steps OR"),
    (lambda s, o: s.OneCycleLR(o, max_lr=1.0, total_steps=0), ValueError, "Expected positive integer total_steps"),
    (lambda s, o: s.OneCycleLR(o, max_lr=1.0, total_steps=5, anneal_strategy="x"), ValueError, "anneal_strategy"),
    (lambda s, o: s.OneCycleLR(o, max_lr=[1.0], total_steps=5), ValueError, "max_lr must have the same length"),
    (lambda s, o: s.CyclicLR(o, 0.1, 1.0, mode="bad"), ValueError, "mode is invalid and scale_fn is None"),
    (lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=0), ValueError, "Expected positive integer T_0, but got 0"),
    (lambda s, o: s.ReduceLROnPlateau(o, factor=1.0), ValueError, "Factor should be < 1.0"),
    (lambda s, o: s.ReduceLROnPlateau(o, mode="middle"), ValueError, "mode middle is unknown"),
    (lambda s, o: s.SequentialLR(o, [s.StepLR(o, 2)], milestones=[3]), ValueError, "number of milestones"),
    (lambda s, o: s.ChainedScheduler([]), ValueError, "expects at least one scheduler"),
])
def test_bad_input_raises_torchs_error(build, exc, message):
    with raises(exc, message):
        build(minitorch.optim.lr_scheduler, make_optimizer(minitorch))
    with pytest.raises(exc):
        build(torch.optim.lr_scheduler, make_optimizer(torch))


def test_cycle_momentum_needs_momentum():
    optimizer = minitorch.optim.Adagrad([minitorch.zeros(2, requires_grad=True)])
    with raises(ValueError, "optimizer must support momentum or beta1"):
        minitorch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1.0, total_steps=10)


def test_reduce_lr_on_plateau_epoch_argument_is_deprecated_as_torch():
    messages = []
    for lib in (minitorch, torch):
        scheduler = lib.optim.lr_scheduler.ReduceLROnPlateau(lib.optim.SGD([lib.ones(1, requires_grad=True)], lr=0.1))
        with pytest.warns(UserWarning, match="The epoch parameter in `scheduler.step\\(\\)` was not necessary") as record:
            scheduler.step(1.0, epoch=3)
        messages.append(str(record[0].message).split(" https")[0].split(" Please open")[0])
        assert scheduler.last_epoch == 3
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            scheduler.step(1.0)  # without an epoch: no warning
    assert messages[0] == messages[1]


@pytest.mark.parametrize("name, kwargs", [
    ("StepLR", dict(step_size=2)), ("CosineAnnealingLR", dict(T_max=5)), ("OneCycleLR", dict(max_lr=0.1, total_steps=10)),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=3)), ("ReduceLROnPlateau", dict(patience=0)),
    ("CosineAnnealingWarmRestarts", dict(T_0=3))])
def test_a_tensor_lr_is_filled_in_place_as_torch(name, kwargs):
    """torch writes a new rate into a Tensor lr in place (so whoever holds it sees the rate), and
    get_last_lr returns copies; the rates equal torch's, float32 rounding included."""
    runs = []
    for lib in (minitorch, torch):
        lr = lib.tensor(0.05)
        optimizer = lib.optim.SGD([lib.ones(2, requires_grad=True)], lr=lr, momentum=0.9)
        scheduler = getattr(lib.optim.lr_scheduler, name)(optimizer, **kwargs)
        rates = []
        for _ in range(6):
            optimizer.step()
            scheduler.step(1.0) if name == "ReduceLROnPlateau" else scheduler.step()
            rates.append(lr.item())
            assert optimizer.param_groups[0]["lr"] is lr and scheduler.get_last_lr()[0] is not lr
        runs.append(rates)
    assert runs[0] == runs[1] and len(set(runs[0])) > 1


def _order_warnings(lib, custom_optimizer, step_before_scheduler):
    """The 'scheduler.step() before optimizer.step()' warnings of one short run."""
    class HandWrittenSGD(lib.optim.Optimizer):
        def __init__(self, params, lr=0.1):
            super().__init__(params, {"lr": lr})

        @lib.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        p -= group["lr"] * p.grad

    w = lib.ones(3, requires_grad=True)
    optimizer = HandWrittenSGD([w]) if custom_optimizer else lib.optim.SGD([w], lr=0.1)
    if step_before_scheduler:
        optimizer.step()  # a step from before the scheduler does not count
    scheduler = lib.optim.lr_scheduler.StepLR(optimizer, 1, 0.5)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if not step_before_scheduler:
            (w ** 2).sum().backward()
            optimizer.step()
        scheduler.step()
    return [str(w.message)[:40] for w in caught]


@pytest.mark.parametrize("custom_optimizer,step_before_scheduler", [(True, False), (False, False), (False, True)])
def test_the_order_warning_comes_exactly_when_torchs_does(custom_optimizer, step_before_scheduler):
    mine = _order_warnings(minitorch, custom_optimizer, step_before_scheduler)
    assert mine == _order_warnings(torch, custom_optimizer, step_before_scheduler)
    assert bool(mine) == step_before_scheduler


def test_the_old_base_class_name_can_be_subclassed_as_in_older_tutorials():
    class Halving(minitorch.optim.lr_scheduler._LRScheduler):
        def get_lr(self):
            return [base / 2 ** self.last_epoch for base in self.base_lrs]
    optimizer = minitorch.optim.SGD([minitorch.ones(1, requires_grad=True)], lr=1.0)
    scheduler = Halving(optimizer)
    optimizer.step()
    scheduler.step()
    assert scheduler.get_last_lr() == [0.5]
