"""Optimizer benchmark (issue 5): the time of one optimizer step for a model with 10 parameter
tensors totalling 1M float32 elements, SGD with momentum and Adam, minitorch vs torch (foreach=True).

Run:  python benchmarks/bench_optim.py
Both libraries run in the same process on the same data; the output is the ratio
minitorch time / torch time (lower is better). Target: within 1.5x of torch.
"""
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


def step_time(lib, name, kwargs, threads=None):
    params = make_model(lib)
    extra = dict(foreach=True) if lib is torch else {}
    optimizer = getattr(lib.optim, name)(params, **kwargs, **extra)
    optimizer.step()  # the first step allocates the state
    if threads is None:
        return best_time(optimizer.step, repeat=15, number=5)
    default = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        return best_time(optimizer.step, repeat=15, number=5)
    finally:
        torch.set_num_threads(default)


def main():
    total = sum(int(np.prod(s)) for s in SHAPES)
    print(f"optimizer step, {len(SHAPES)} float32 tensors, {total:,} elements; torch {torch.__version__} "
          f"({torch.get_num_threads()} threads, foreach=True); ratio = minitorch / torch")
    for label, (name, kwargs) in CONFIGS.items():
        mine, theirs = step_time(minitorch, name, kwargs), step_time(torch, name, kwargs)
        row(f"{label}: {mine * 1e3:.2f} ms vs {theirs * 1e3:.2f} ms", f"{mine / theirs:.2f}x", TARGET)
    print("numpy runs each array op on one core; the same against torch limited to one thread:")
    for label, (name, kwargs) in CONFIGS.items():
        mine, theirs = step_time(minitorch, name, kwargs), step_time(torch, name, kwargs, threads=1)
        row(f"{label}: {mine * 1e3:.2f} ms vs {theirs * 1e3:.2f} ms", f"{mine / theirs:.2f}x", TARGET)


if __name__ == "__main__":
    main()
