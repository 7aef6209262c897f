"""Devices and their array modules: "cpu" -> numpy, "cuda" -> cupy.

This is the one place cupy is imported, and only when a "cuda" device is first asked for.
Every primitive asks ``array_module(array)`` for its ``xp`` instead of importing numpy for
math, so the same code runs on both backends.
"""
import numpy

_cupy = None
_cupy_error = None


class device:
    """Where a tensor's memory lives: ``device("cpu")``, ``device("cuda")``, ``device("cuda:1")``."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int):
            type, index = "cuda", type
        elif ":" in type:
            type, _, number = type.partition(":")
            if not number.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{number}'")
            index = int(number)
        if type not in ("cpu", "cuda"):
            raise RuntimeError(f"Expected one of cpu, cuda device type at start of device string: {type}")
        self.type = type
        self.index = index

    def __repr__(self):
        suffix = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{suffix})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))


CPU = device("cpu")


def cupy():
    """The cupy module, imported on first use; a clear RuntimeError when CUDA is unusable."""
    global _cupy, _cupy_error
    if _cupy is None and _cupy_error is None:
        try:
            import cupy as cp
            if cp.cuda.runtime.getDeviceCount() < 1:
                raise RuntimeError("cupy found no CUDA device")
            _cupy = cp
        except Exception as err:  # ImportError, or a CUDA driver/runtime error from cupy
            _cupy_error = f"{type(err).__name__}: {err}"
    if _cupy is None:
        raise RuntimeError(
            "CUDA is not available: " + _cupy_error + ". A 'cuda' device needs an NVIDIA GPU and cupy: "
            "install the gpu extra (pip install 'minitorch-course[gpu]'). "
            "Use device='cpu', or check minitorch.cuda.is_available() first.")
    return _cupy


def cuda_is_available():
    """True when cupy imports and sees at least one CUDA device."""
    try:
        cupy()
        return True
    except RuntimeError:
        return False


def array_module(array):
    """numpy for a numpy array, cupy for a cupy array: the ``xp`` every primitive computes with."""
    return numpy if type(array) is numpy.ndarray else _cupy


def device_of(array):
    """The device an array lives on."""
    if type(array) is numpy.ndarray:
        return CPU
    return device("cuda", array.device.id)


def as_device(d):
    """Normalise a device given as a string, an int or a device; ``"cuda"`` means the current GPU."""
    d = d if isinstance(d, device) else device(d)
    if d.type == "cuda" and d.index is None:
        d = device("cuda", cupy().cuda.runtime.getDevice())
    return d


def to_device(array, target):
    """Copy ``array`` to the device ``target`` (a no-op when it already lives there)."""
    if target.type == "cpu":
        return array if type(array) is numpy.ndarray else array.get()
    cp = cupy()
    if target.index >= cp.cuda.runtime.getDeviceCount():
        raise RuntimeError(f"CUDA error: invalid device ordinal: {target} "
                           f"(this machine has {cp.cuda.runtime.getDeviceCount()} GPU(s))")
    with cp.cuda.Device(target.index):
        return cp.asarray(array)


def array_on(device_, data, dtype):
    """Build an array of numpy dtype ``dtype`` from ``data`` on ``device_`` (host data is copied over)."""
    if device_.type == "cpu":
        return numpy.asarray(data, dtype=dtype)
    cp = cupy()
    with cp.cuda.Device(device_.index):
        return cp.asarray(data, dtype=dtype)


def xp_for(device_):
    """The array module for a device."""
    return numpy if device_.type == "cpu" else cupy()


def add_at(array, key, values):
    """array[key] += values, where repeated indices add up (numpy's add.at, cupyx's scatter_add)."""
    if type(array) is numpy.ndarray:
        numpy.add.at(array, key, values)
    else:
        import cupyx
        cupyx.scatter_add(array, key, values)
