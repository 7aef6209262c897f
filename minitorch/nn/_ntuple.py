"""Layer arguments given as one int or one per spatial dim (``kernel_size=3`` or ``(3, 5)``), as torch's
``_ntuple``: the one rule that convolution, pooling, padding and fold layers share for reading them."""


def ntuple(value, n):
    """``value`` as a tuple: a single value repeated ``n`` times, a list or tuple as it is (its length
    is checked by the caller, with that op's own error)."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n
