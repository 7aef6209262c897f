"""Parameter: a Tensor that a Module treats as one of its learnable weights.

Assigning a Parameter to a module attribute (``self.weight = nn.Parameter(...)``) registers it:
it then appears in ``module.parameters()`` (what an optimizer updates) and in ``state_dict()``.
A plain Tensor assigned the same way is just an attribute. A Parameter requires grad by default.
"""
from .._creation import empty
from .._tensor import Tensor


class Parameter(Tensor):
    """``nn.Parameter(data, requires_grad=True)``: shares ``data``'s memory, is a leaf, requires grad."""

    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        data = empty(0) if data is None else data
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter expects a Tensor as data, got {type(data).__name__}")
        Tensor._init(self, data.array)
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()
