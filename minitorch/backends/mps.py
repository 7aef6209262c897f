"""torch.backends.mps: Apple's GPU backend, which minitorch does not have."""


def is_available():
    """False: minitorch runs on numpy (CPU) or cupy (NVIDIA GPUs) only."""
    return False


def is_built():
    """False: minitorch was not built with MPS."""
    return False
