"""minitorch.cuda: is a GPU usable here?"""
from . import _backend


def is_available():
    """True when cupy is installed and sees an NVIDIA GPU."""
    return _backend.cuda_is_available()


def device_count():
    return _backend.cupy().cuda.runtime.getDeviceCount() if is_available() else 0


def current_device():
    return _backend.cupy().cuda.runtime.getDevice()


def synchronize(device=None):
    """Wait for all GPU work to finish (needed before timing GPU code)."""
    if is_available():
        _backend.cupy().cuda.Device().synchronize()


def manual_seed(seed):
    """Random numbers are drawn on the CPU and moved, so the global seed covers the GPU too."""
    from ._random import manual_seed as seed_all
    seed_all(seed)


manual_seed_all = manual_seed
