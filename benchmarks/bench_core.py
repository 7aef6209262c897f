"""Core benchmark (issue 2): per-op overhead, 1024x1024 matmul forward+backward, import time.

Run:  python benchmarks/bench_core.py
Everything is measured in one run, side by side with torch (CPU) and raw numpy, and printed as
ratios. Targets (2 cores): matmul fwd+bwd >= 90% of numpy's matmul throughput; per-op overhead
(forward + backward) no higher than torch's; `import minitorch` <= 2x numpy's import time.
"""
import numpy as np
import torch

import minitorch
from _timing import best_time, import_time, row

torch.set_num_threads(max(1, torch.get_num_threads()))


OPS = {  # name -> op on two (2, 2) tensors x, w
    "mul": lambda x, w: x * w, "add": lambda x, w: x + w, "sub": lambda x, w: x - w, "div": lambda x, w: x / w,
    "exp": lambda x, w: x.exp(), "tanh": lambda x, w: x.tanh(), "relu": lambda x, w: x.relu(),
    "sigmoid": lambda x, w: x.sigmoid(), "matmul": lambda x, w: x @ w, "sum(dim)": lambda x, w: x.sum(1),
    "mean": lambda x, w: x.mean(), "transpose": lambda x, w: x.t(), "index": lambda x, w: x[0],
}


def per_op_overhead(lib):
    """Seconds for one op on tiny (2, 2) tensors, forward then backward, for each op in OPS."""
    x = lib.ones(2, 2, requires_grad=True)
    w = lib.full((2, 2), 0.5, requires_grad=True)
    result = {}
    for name, op in OPS.items():
        grad = lib.ones_like(op(x, w))
        result[name] = best_time(lambda: op(x, w).backward(grad), repeat=7, number=2000)
    return result


def numpy_forward_overhead():
    """Seconds for the bare numpy forward of the same ops, on arrays."""
    x = np.ones((2, 2), dtype=np.float32)
    w = np.full((2, 2), 0.5, dtype=np.float32)
    numpy_ops = {"mul": lambda: x * w, "add": lambda: x + w, "sub": lambda: x - w, "div": lambda: x / w,
                 "exp": lambda: np.exp(x), "tanh": lambda: np.tanh(x), "relu": lambda: np.maximum(x, 0),
                 "sigmoid": lambda: 1 / (1 + np.exp(-x)), "matmul": lambda: x @ w, "sum(dim)": lambda: x.sum(1),
                 "mean": lambda: x.mean(), "transpose": lambda: x.T, "index": lambda: x[0]}
    return {name: best_time(op, repeat=7, number=2000) for name, op in numpy_ops.items()}


def chain_overhead(lib, n_ops=200):
    """Seconds per op in a 200-op chain (y = y * w + x, repeated) with one backward at the end."""
    x = lib.ones(2, 2, requires_grad=True)
    w = lib.full((2, 2), 0.5, requires_grad=True)

    def step():
        y = x
        for _ in range(n_ops // 2):
            y = y * w + x
        y.sum().backward()
    return best_time(step, repeat=7, number=5) / n_ops


def geometric_mean(values):
    return float(np.exp(np.mean(np.log(list(values)))))


def matmul_gflops(lib, n=1024):
    """GFLOP/s of C = A @ B forward plus backward (dA = G B^T, dB = A^T G): 3 matmuls of 2 n^3 flops."""
    rng = np.random.default_rng(0)
    a0, b0 = (rng.standard_normal((n, n)).astype(np.float32) for _ in range(2))
    g = lib.tensor(rng.standard_normal((n, n)).astype(np.float32))
    a, b = lib.tensor(a0, requires_grad=True), lib.tensor(b0, requires_grad=True)

    def step():
        a.grad = b.grad = None
        (a @ b).backward(g)
    return 3 * 2 * n ** 3 / best_time(step, repeat=5) / 1e9


def numpy_matmul_gflops(n=1024):
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((n, n)).astype(np.float32) for _ in range(2))
    return 2 * n ** 3 / best_time(lambda: a @ b, repeat=5) / 1e9


def main():
    print("minitorch core benchmark (ratios; lower is better unless said)")
    mt_ops, th_ops, np_ops = per_op_overhead(minitorch), per_op_overhead(torch), numpy_forward_overhead()
    print("per-op overhead on (2, 2) tensors, one op forward + backward (minitorch / torch):")
    for name in OPS:
        row(f"{name}", f"{mt_ops[name] / th_ops[name]:.2f}x")
    row("geometric mean, minitorch / torch", f"{geometric_mean(mt_ops[k] / th_ops[k] for k in OPS):.2f}x",
        "<= 1.00x")
    row("geometric mean, minitorch / numpy bare forward", f"{geometric_mean(mt_ops[k] / np_ops[k] for k in OPS):.1f}x")
    row("geometric mean, torch / numpy bare forward", f"{geometric_mean(th_ops[k] / np_ops[k] for k in OPS):.1f}x")
    row("200-op chain, one backward at the end, minitorch / torch",
        f"{chain_overhead(minitorch) / chain_overhead(torch):.2f}x")
    mt_mm, th_mm, np_mm = matmul_gflops(minitorch), matmul_gflops(torch), numpy_matmul_gflops()
    print("1024x1024 float32 matmul forward + backward, throughput as a share of numpy's matmul (higher is better):")
    row("minitorch", f"{mt_mm / np_mm:.0%}", ">= 90%")
    row("torch", f"{th_mm / np_mm:.0%}")
    mt_imp, th_imp, np_imp = import_time("minitorch"), import_time("torch"), import_time("numpy")
    print("import time, relative to `import numpy`:")
    row("import minitorch / import numpy", f"{mt_imp / np_imp:.2f}x", "<= 2.00x")
    row("import torch / import numpy", f"{th_imp / np_imp:.1f}x")


if __name__ == "__main__":
    main()
