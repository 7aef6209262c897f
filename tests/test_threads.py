"""minitorch's CPU threads: get/set_num_threads as torch's, the work split, and optimizer steps that
spread their parameter updates over threads giving exactly the one-thread result."""
import threading

import numpy as np
import pytest
import torch
from test_optim_api import NAMES

import minitorch
from minitorch._threads import balanced_shares, run_in_parallel

PER_PARAMETER = sorted(set(NAMES) - {"LBFGS"})  # LBFGS updates all parameters as one vector
OPTIONS = {"SGD": dict(momentum=0.9, nesterov=True, weight_decay=0.01), "Adam": dict(amsgrad=True, weight_decay=0.01),
           "Muon": dict(momentum=0.9), "LBFGS": {}}


@pytest.fixture
def threads():
    """Set minitorch's thread count inside a test; the default comes back afterwards."""
    default = minitorch.get_num_threads()
    yield minitorch.set_num_threads
    minitorch.set_num_threads(default)


def test_the_default_is_the_usable_cpus_and_set_num_threads_changes_it(threads):
    assert minitorch.get_num_threads() >= 1
    threads(3)
    assert minitorch.get_num_threads() == 3


@pytest.mark.parametrize("count", [0, -1, 2.5, "2", True])
def test_set_num_threads_refuses_what_torch_refuses(count, threads):
    errors = []
    for set_num_threads in (threads, torch.set_num_threads):
        with pytest.raises(RuntimeError) as info:
            set_num_threads(count)
        errors.append(str(info.value))
    assert errors[0].startswith(errors[1])


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_balanced_shares_place_every_item_once_and_evenly(count):
    sizes = [262144, 512, 262144, 512, 262144, 512, 65536, 256, 131072, 15168]
    shares, loads = balanced_shares(sizes, count)
    assert sorted(i for share in shares for i in share) == list(range(len(sizes)))
    assert loads == [sum(sizes[i] for i in share) for share in shares] == sorted(loads, reverse=True)
    assert loads[0] - loads[-1] <= max(sizes)
    assert len(shares) == min(count, len(sizes))


def test_large_work_runs_on_several_threads_and_small_work_on_the_caller(threads):
    threads(2)
    seen = set()
    run_in_parallel(lambda _: seen.add(threading.get_ident()), [0, 1], [1 << 20, 1 << 20])
    assert len(seen) == 2
    seen.clear()
    run_in_parallel(lambda _: seen.add(threading.get_ident()), [0, 1], [10, 10])
    assert seen == {threading.get_ident()}
    run_in_parallel(lambda _: seen.add(threading.get_ident()), [0, 1], [1 << 20, 1000])  # one item outweighs
    assert seen == {threading.get_ident()}


def test_an_error_in_a_worker_thread_reaches_the_caller(threads):
    threads(2)
    done = []

    def work(item):
        if item == "bad":
            raise ValueError("bad item")
        done.append(item)
    with pytest.raises(ValueError, match="bad item"):
        run_in_parallel(work, ["good", "bad"], [1 << 20, 1 << 20])
    assert done == ["good"]


def train(name, thread_count, steps=3):
    """The parameters after ``steps`` steps on a model large enough to be split over threads, and
    the threads that updated them."""
    minitorch.set_num_threads(thread_count)
    rng = np.random.default_rng(0)
    shapes = [(512, 512), (512,), (512, 512), (512,), (64, 64)]
    params = [minitorch.tensor(rng.standard_normal(shape), requires_grad=True) for shape in shapes]
    optimizer = getattr(minitorch.optim, name)([p for p in params if p.ndim == 2] if name == "Muon" else params,
                                               **OPTIONS.get(name, {}))
    update, seen = optimizer._update, set()

    def recording_update(*args):
        seen.add(threading.get_ident())
        update(*args)
    optimizer._update = recording_update
    for _ in range(steps):
        for p in params:
            p.grad = minitorch.tensor(rng.standard_normal(p.shape))
        optimizer.step()
    return [p.detach().numpy() for p in params], len(seen)


@pytest.mark.parametrize("name", PER_PARAMETER)
def test_a_step_over_threads_equals_the_step_on_one_thread(name, threads):
    (parallel, thread_count), (serial, _) = train(name, 2), train(name, 1)
    assert thread_count == 2
    for mine, reference in zip(parallel, serial):
        np.testing.assert_array_equal(mine, reference)


def test_a_repeated_parameter_warns_as_torch_and_is_updated_twice(threads):
    threads(2)
    p = minitorch.zeros(1 << 18, requires_grad=True)
    p.grad = minitorch.ones(1 << 18)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        optimizer = minitorch.optim.SGD([p, p], lr=1.0)
    optimizer.step()
    assert (p.detach() == -2).all()
