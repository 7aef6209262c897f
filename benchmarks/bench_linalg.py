"""minitorch.linalg against raw numpy and torch (CPU): solve, svd and inv.

    python benchmarks/bench_linalg.py

Shapes: one 256x256 matrix and a batch of 64 matrices of 32x32 (float64; solve has 16 right-hand
sides). Each call is timed with timeit (``repeat`` rounds of ``number`` calls, interleaved); the printout gives
only ratios of the min and of the median time per call, relative to raw numpy on the same arrays.
Target: minitorch within 1.2x of raw numpy (it calls the same numpy.linalg routine, so the gap is
the cost of wrapping the result in a Tensor and recording it).
"""
import statistics
import timeit

import numpy as np
import torch

import minitorch

TARGET = 1.2
SHAPES = {"256x256": ((), 256), "64x(32x32)": ((64,), 32)}  # (batch dims, n)


def matrices(batch, n):
    """Well-conditioned n x n matrices (with batch dims) and right-hand sides with 16 columns."""
    rng = np.random.default_rng(0)
    A = rng.standard_normal(batch + (n, n)) + n ** 0.5 * np.eye(n)
    return A, rng.standard_normal(batch + (n, 16))


def timings(fns, repeat=9):
    """(min, median) seconds per call of each function. The rounds of the functions are interleaved
    (numpy, minitorch, torch, numpy, ...), so that a busy machine slows all of them alike."""
    timers = [timeit.Timer(fn) for fn in fns]
    numbers = [max(1, timer.autorange()[0] // 4) for timer in timers]
    samples = [[] for _ in fns]
    for _ in range(repeat):
        for timer, number, times in zip(timers, numbers, samples):
            times.append(timer.timeit(number) / number)
    return [(min(times), statistics.median(times)) for times in samples]


def contenders(op, A, B):
    """The same operation three ways: raw numpy, minitorch, torch."""
    mA, mB = minitorch.from_numpy(A), minitorch.from_numpy(B)
    tA, tB = torch.from_numpy(A), torch.from_numpy(B)
    return {
        "solve": (lambda: np.linalg.solve(A, B), lambda: minitorch.linalg.solve(mA, mB),
                  lambda: torch.linalg.solve(tA, tB)),
        "svd": (lambda: np.linalg.svd(A), lambda: minitorch.linalg.svd(mA), lambda: torch.linalg.svd(tA)),
        "inv": (lambda: np.linalg.inv(A), lambda: minitorch.linalg.inv(mA), lambda: torch.linalg.inv(tA)),
    }[op]


def main():
    print(f"minitorch.linalg vs raw numpy and torch (CPU, float64, {torch.get_num_threads()} torch threads); "
          "ratios of time per call, numpy = 1")
    print(f"  {'op':<6} {'shape':<11} {'minitorch/numpy min':>20} {'median':>8} {'torch/numpy min':>16} "
          f"{'median':>8}   within {TARGET}x")
    worst = 0.0
    for op in ("solve", "svd", "inv"):
        for label, shape in SHAPES.items():
            numpy_fn, minitorch_fn, torch_fn = contenders(op, *matrices(*shape))
            (np_min, np_med), (mt_min, mt_med), (th_min, th_med) = timings((numpy_fn, minitorch_fn, torch_fn))
            ratio = mt_min / np_min
            worst = max(worst, ratio)
            print(f"  {op:<6} {label:<11} {ratio:>20.2f} {mt_med / np_med:>8.2f} {th_min / np_min:>16.2f} "
                  f"{th_med / np_med:>8.2f}   {'yes' if ratio <= TARGET else 'NO'}")
    print(f"  worst minitorch/numpy ratio (min): {worst:.2f}  (target {TARGET})")


if __name__ == "__main__":
    main()
