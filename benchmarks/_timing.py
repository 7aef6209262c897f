"""Shared timing helpers for the benchmarks: best-of-N wall-clock timing, ratios only in output."""
import os
import statistics
import subprocess
import sys
import time


def best_time(fn, repeat=7, number=1):
    """The fastest of ``repeat`` runs of ``number`` calls, per call, in seconds (min is least noisy)."""
    fn()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def best_time_in_fresh_process(module, make_call, repeat=10, number=5):
    """``best_time`` of the function that ``module.make_call`` (source text, e.g. ``"make_step('torch')"``)
    returns, measured in a fresh Python process. Each framework gets its own process: torch's OpenMP
    threads keep spinning for a while after its own work, which would slow whatever ran next in a
    shared process (and minitorch's own threads most of all)."""
    code = (f"import sys; sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r}); import {module}; "
            f"from _timing import best_time; print(best_time({module}.{make_call}, repeat={repeat}, number={number}))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1])


def import_time(module, repeat=9):
    """Median seconds a fresh interpreter needs for ``import module``, minus the bare interpreter's start-up."""
    # Measure warm imports, as a learner sees them after the first: let Python cache bytecode
    # (some environments set PYTHONDONTWRITEBYTECODE, which would recompile every module every time).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def run(code):
        subprocess.run([sys.executable, "-c", code], check=True, env=env)  # warm-up writes the bytecode cache
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, env=env)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)
    baseline = run("pass")
    return max(run(f"import {module}") - baseline, 1e-6)


def row(label, value, target=None):
    """Print one result line: label, ratio, and the target when there is one."""
    goal = f"   (target {target})" if target else ""
    print(f"  {label:<58} {value}{goal}")
