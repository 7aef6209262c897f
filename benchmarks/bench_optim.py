"""Optimizer benchmark (issue 5): the time of one optimizer step for a model with 10 parameter
tensors totalling 1M float32 elements, SGD with momentum and Adam, minitorch vs torch (foreach=True).

Run:  python benchmarks/bench_optim.py
Each library is timed in its own fresh process (best of 10 x 5 steps), the two taking turns three
times so that a busy moment on a shared machine hits both alike; the output is the ratio
minitorch time / torch time (lower is better). Both first use all their threads (torch: its OpenMP
threads inside each op; minitorch: one parameter update per thread, see ``minitorch/_threads.py``),
then one thread each. Target: within 1.5x of torch.
"""
import os

import numpy as np

from _timing import best_time_in_fresh_process, row

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


def make_step(library, name, threads=None):
    """The ``step`` of a ready optimizer (its state allocated by a first step) in ``library``,
    which runs on ``threads`` threads (None: the library's default)."""
    lib = __import__(library)
    if threads is not None:
        lib.set_num_threads(threads)
    optimizer_name, kwargs = CONFIGS[name]
    extra = dict(foreach=True) if library == "torch" else {}
    optimizer = getattr(lib.optim, optimizer_name)(make_model(lib), **kwargs, **extra)
    optimizer.step()
    return optimizer.step


def step_times(name, threads=None, turns=3):
    """(minitorch, torch) best seconds per step, each library in its own fresh process, taking turns."""
    times = {"minitorch": float("inf"), "torch": float("inf")}
    for _ in range(turns):
        for library in times:
            call = f"make_step({library!r}, {name!r}, {threads!r})"
            times[library] = min(times[library], best_time_in_fresh_process("bench_optim", call))
    return times["minitorch"], times["torch"]


def main():
    import torch
    total = sum(int(np.prod(s)) for s in SHAPES)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"optimizer step, {len(SHAPES)} float32 tensors, {total:,} elements; torch {torch.__version__} "
          f"(foreach=True); ratio = minitorch / torch; load average {load}")
    for threads in (None, 1):
        print(f"{'default threads (torch: %d)' % torch.get_num_threads() if threads is None else 'one thread each'}:")
        for name in CONFIGS:
            mine, theirs = step_times(name, threads)
            row(f"{name}: {mine * 1e3:.2f} ms vs {theirs * 1e3:.2f} ms", f"{mine / theirs:.2f}x", TARGET)


if __name__ == "__main__":
    main()
