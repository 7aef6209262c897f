"""How many CPU threads minitorch may use, and running independent pieces of work on them.

numpy runs each array operation on one core. Where minitorch has several independent pieces of
array work, such as updating each parameter in an optimizer step, it can hand them to threads:
numpy releases Python's global interpreter lock while it loops over an array, so the threads
really run at the same time. torch does the same inside each of its operations, with
``torch.get_num_threads()`` threads; ``minitorch.set_num_threads(1)`` turns this off.
"""
import os
from concurrent.futures import ThreadPoolExecutor

_settings = {"threads": None, "pool": None}


def _usable_cpus():
    """The CPUs this process may run on (a container or ``taskset`` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def get_num_threads():
    """The number of threads minitorch uses for parallel CPU work (default: the usable CPUs)."""
    if _settings["threads"] is None:
        _settings["threads"] = _usable_cpus()
    return _settings["threads"]


def set_num_threads(count):
    """Use ``count`` threads for parallel CPU work (1 runs everything on the calling thread)."""
    if isinstance(count, bool) or not isinstance(count, int):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(count).__name__}")
    if count < 1:
        raise RuntimeError(f"set_num_threads expects a positive integer, but got {count}")
    if count != _settings["threads"] and _settings["pool"] is not None:
        _settings["pool"].shutdown()
        _settings["pool"] = None
    _settings["threads"] = count


def balanced_shares(sizes, count):
    """Split the indices of ``sizes`` into ``count`` lists whose total sizes are as even as a greedy
    split gets: the largest item goes to the lightest share, and so on (longest-processing-time-first).
    Returns (shares, their total sizes), the heaviest share first."""
    shares, loads = [[] for _ in range(count)], [0] * count
    for size, index in sorted(((size, i) for i, size in enumerate(sizes)), reverse=True):
        lightest = loads.index(min(loads))
        shares[lightest].append(index)
        loads[lightest] += size
    order = sorted((i for i in range(count) if shares[i]), key=lambda i: -loads[i])
    return [shares[i] for i in order], [loads[i] for i in order]


def run_in_parallel(work, items, sizes, min_elsewhere=1 << 17):
    """Call ``work(item)`` for every item, spread over ``get_num_threads()`` threads by ``sizes``.

    Handing work to a thread costs tens of microseconds, so unless the other threads would take at
    least ``min_elsewhere`` elements off the calling thread, everything runs on the calling thread
    (a model whose one big weight outweighs the rest gains nothing). ``work`` must only touch its own
    item's arrays. An exception in any thread is raised here, after every thread has finished."""
    shares = _worthwhile_shares(sizes, min(get_num_threads(), len(items)), min_elsewhere)
    if shares is None:
        for item in items:
            work(item)
        return
    if _settings["pool"] is None:
        _settings["pool"] = ThreadPoolExecutor(max_workers=get_num_threads() - 1, thread_name_prefix="minitorch")
    own_share, *other_shares = [[items[i] for i in share] for share in shares]
    futures = [_settings["pool"].submit(_run_share, work, share) for share in other_shares]
    try:
        _run_share(work, own_share)
    finally:
        for future in futures:
            future.result()


def _worthwhile_shares(sizes, threads, min_elsewhere):
    """The shares of a split that takes at least ``min_elsewhere`` elements off the calling thread, or None."""
    if threads < 2 or sum(sizes) - max(sizes) < min_elsewhere:  # not even the best split would (a quick check)
        return None
    shares, loads = balanced_shares(sizes, threads)
    return shares if sum(loads[1:]) >= min_elsewhere else None


def _run_share(work, share):
    for item in share:
        work(item)
