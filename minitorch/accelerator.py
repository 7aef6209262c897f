"""minitorch.accelerator: torch's device-neutral questions about the machine's accelerator.

minitorch knows one kind of accelerator, an NVIDIA GPU through cupy ("cuda"). So the tutorials' line

    device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"

gives "cuda" where cupy sees a GPU and "cpu" everywhere else, as torch's does on such machines.
"""
from . import _backend, cuda

__all__ = ["is_available", "current_accelerator", "device_count", "synchronize"]


def is_available():
    """True when a GPU is usable (see ``minitorch.cuda.is_available``)."""
    return cuda.is_available()


def current_accelerator():
    """The accelerator as a device (``device(type='cuda')``), or None when there is none."""
    return _backend.device("cuda") if is_available() else None


def device_count():
    """How many GPUs are usable (0 without one)."""
    return cuda.device_count()


def synchronize(device=None):
    """Wait for all GPU work to finish (nothing to wait for on the CPU)."""
    cuda.synchronize(device)
