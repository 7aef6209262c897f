"""Optimizer benchmark (issue 5): the time of one optimizer step for a model with 10 parameter
tensors totalling 1M float32 elements, SGD with momentum and Adam, minitorch vs torch (foreach=True).

Run:  python benchmarks/bench_optim.py
Both libraries run in the same process on the same data, measured in alternation (the best of 15
rounds each) so that both see the same load on a shared machine; the output is the ratio
minitorch time / torch time (lower is better), with the load average. Target: within 1.5x of torch.
"""
import os

import numpy as np
import torch

import minitorch
from _timing import best_time, row

SHAPES = [(512, 512), (512,), (512, 512), (512,), (512, 512), (512,), (256, 256), (256,), (128, 1024), (15168,)]
TARGET = "<= 1.5x"
CONFIGS = {
    "SGD momentum=0.9": ("SGD", dict(lr=1e-3, momentum=0.9)),
    "SGD momentum=0.9, nesterov, weight_decay": ("SGD", dict(lr=1e-3, momentum=0.9, nesterov=True, weight_decay=1e-4)),
    "Adam": ("Adam", dict(lr=1e-3)),
    "AdamW amsgrad": ("AdamW", dict(lr=1e-3, amsgrad=True)),
}


def make_model(lib):
    """10 float32 parameters with fixed random values and gradients (the same for both libraries)."""
    rng = np.random.default_rng(0)
    params = []
    for shape in SHAPES:
        p = lib.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
        p.grad = lib.tensor(rng.standard_normal(shape).astype(np.float32))
        params.append(p)
    return params


def make_optimizer(lib, name, kwargs):
    extra = dict(foreach=True) if lib is torch else {}
    optimizer = getattr(lib.optim, name)(make_model(lib), **kwargs, **extra)
    optimizer.step()  # the first step allocates the state
    return optimizer


def step_times(name, kwargs, torch_threads=None, rounds=15):
    """(minitorch, torch) seconds per step: the best of ``rounds`` alternating measurements, so that
    both libraries see the same load on a shared machine."""
    mine, theirs = make_optimizer(minitorch, name, kwargs), make_optimizer(torch, name, kwargs)
    default = torch.get_num_threads()
    torch.set_num_threads(torch_threads or default)
    try:
        times = [(best_time(mine.step, repeat=1, number=5), best_time(theirs.step, repeat=1, number=5))
                 for _ in range(rounds)]
    finally:
        torch.set_num_threads(default)
    return min(t[0] for t in times), min(t[1] for t in times)


def main():
    total = sum(int(np.prod(s)) for s in SHAPES)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"optimizer step, {len(SHAPES)} float32 tensors, {total:,} elements; torch {torch.__version__} "
          f"({torch.get_num_threads()} threads, foreach=True); ratio = minitorch / torch; load average {load}")
    for label, (name, kwargs) in CONFIGS.items():
        mine, theirs = step_times(name, kwargs)
        row(f"{label}: {mine * 1e3:.2f} ms vs {theirs * 1e3:.2f} ms", f"{mine / theirs:.2f}x", TARGET)
    print("numpy runs each array op on one core; the same against torch limited to one thread:")
    for label, (name, kwargs) in CONFIGS.items():
        mine, theirs = step_times(name, kwargs, torch_threads=1)
        row(f"{label}: {mine * 1e3:.2f} ms vs {theirs * 1e3:.2f} ms", f"{mine / theirs:.2f}x", TARGET)


if __name__ == "__main__":
    main()
