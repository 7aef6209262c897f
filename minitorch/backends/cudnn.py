"""torch.backends.cudnn: NVIDIA's cuDNN library, which minitorch does not use (its convolutions are
matrix products). The flags scripts set are kept as plain attributes and change nothing."""

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available():
    """False: minitorch does not use cuDNN."""
    return False


def version():
    """None, as torch's without cuDNN."""
    return None
