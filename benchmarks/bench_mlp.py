"""MLP training-step benchmark (issue 4): 784-256-128-10, batch 128, float32, cross-entropy, SGD momentum.

Run:  python benchmarks/bench_mlp.py
Times one training step (forward, backward, optimizer step) in minitorch, in torch (CPU) and in a
hand-written numpy version of the same network and update, in one run; then the peak memory
growth (resident set size) over 500 steps, each framework in its own fresh process.
Targets: step time <= 0.9x torch's and <= 1.15x the hand-written numpy's; memory growth <= 2x numpy's.
"""
import json
import resource
import subprocess
import sys

import numpy as np

from _timing import best_time_in_fresh_process, row

SIZES = (784, 256, 128, 10)
BATCH, LR, MOMENTUM = 128, 0.01, 0.9


def initial_weights(seed=0):
    """The same starting weights for every framework: (W, b) per layer, W of shape (out, in) as nn.Linear."""
    rng = np.random.default_rng(seed)
    layers = []
    for fan_in, fan_out in zip(SIZES, SIZES[1:]):
        bound = 1 / np.sqrt(fan_in)
        layers.append((rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32),
                       rng.uniform(-bound, bound, fan_out).astype(np.float32)))
    return layers


def batch(seed=1):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((BATCH, SIZES[0])).astype(np.float32), rng.integers(0, SIZES[-1], BATCH)


class NumpyMLP:
    """The same network trained by hand: forward, backward and SGD-with-momentum written in numpy."""

    def __init__(self):
        self.params = [p.copy() for layer in initial_weights() for p in layer]
        self.velocity = [np.zeros_like(p) for p in self.params]

    def step(self, x, y):
        w1, b1, w2, b2, w3, b3 = self.params
        h1 = np.maximum(x @ w1.T + b1, 0)
        h2 = np.maximum(h1 @ w2.T + b2, 0)
        logits = h2 @ w3.T + b3
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_p[np.arange(len(y)), y].mean()
        d_logits = np.exp(log_p)
        d_logits[np.arange(len(y)), y] -= 1
        d_logits /= len(y)
        d_h2 = (d_logits @ w3) * (h2 > 0)
        d_h1 = (d_h2 @ w2) * (h1 > 0)
        grads = [d_h1.T @ x, d_h1.sum(0), d_h2.T @ h1, d_h2.sum(0), d_logits.T @ h2, d_logits.sum(0)]
        for p, g, v in zip(self.params, grads, self.velocity):
            v *= MOMENTUM
            v += g
            p -= LR * v
        return float(loss)


def framework_step(lib):
    """A training step written once against the torch API, for torch and for minitorch."""
    nn, F = lib.nn, lib.nn.functional
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    with lib.no_grad():
        for layer, (w, b) in zip([m for m in model if isinstance(m, nn.Linear)], initial_weights()):
            layer.weight.copy_(lib.tensor(w))
            layer.bias.copy_(lib.tensor(b))
    optimizer = lib.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    x_array, y_array = batch()
    x, y = lib.tensor(x_array), lib.tensor(y_array)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()
    return step


def make_step(name):
    if name == "numpy":
        model, (x, y) = NumpyMLP(), batch()
        return lambda: model.step(x, y)
    if name == "torch":
        import torch
        torch.set_num_threads(2)
        return framework_step(torch)
    import minitorch
    return framework_step(minitorch)


def peak_rss_kib():
    """This process's peak resident set size in KiB. VmHWM (Linux) starts afresh in a new program;
    ru_maxrss would carry over the peak of the parent that started it."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def memory_growth(name, steps=500):
    """Peak RSS growth in KiB from just before the model is built to the end of ``steps`` steps,
    measured in a fresh process (the framework is imported first, so its import does not count)."""
    framework = {"numpy": "numpy", "torch": "torch", "minitorch": "minitorch"}[name]
    code = (f"import sys; sys.path.insert(0, {str(__file__.rsplit('/', 1)[0])!r}); import bench_mlp; "
            f"import {framework}; before = bench_mlp.peak_rss_kib(); "
            f"step = bench_mlp.make_step({name!r}); "
            f"[step() for _ in range({steps})]; "
            "print(bench_mlp.peak_rss_kib() - before)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return max(int(out.split()[-1]), 1)


def main():
    print("MLP training step 784-256-128-10, batch 128, float32, cross-entropy, SGD momentum")
    steps = {name: make_step(name) for name in ("minitorch", "torch", "numpy")}
    losses = {name: step() for name, step in steps.items()}
    print("  first-step losses agree:", json.dumps({k: round(v, 5) for k, v in losses.items()}))
    times = {name: float("inf") for name in steps}
    for _ in range(5):  # the frameworks take turns, so a busy moment hits them alike; best round each
        for name in steps:
            times[name] = min(times[name], best_time_in_fresh_process("bench_mlp", f"make_step({name!r})"))
    print("  best step times (ms):", json.dumps({name: round(t * 1e3, 3) for name, t in times.items()}))
    row("step time, minitorch / torch", f"{times['minitorch'] / times['torch']:.2f}x", "<= 0.90x")
    row("step time, minitorch / hand-written numpy", f"{times['minitorch'] / times['numpy']:.2f}x", "<= 1.15x")
    row("step time, torch / hand-written numpy", f"{times['torch'] / times['numpy']:.2f}x")
    growth = {name: memory_growth(name) for name in steps}
    print("  peak memory growth (KiB):", json.dumps(growth))
    row("peak memory growth over 500 steps, minitorch / numpy", f"{growth['minitorch'] / growth['numpy']:.2f}x",
        "<= 2.00x")
    row("peak memory growth over 500 steps, torch / numpy", f"{growth['torch'] / growth['numpy']:.1f}x")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
