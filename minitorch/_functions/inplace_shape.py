"""In-place shape methods: ``x.unsqueeze_(0)``, ``squeeze_``, ``t_``, ``transpose_`` (``swapdims_``,
``swapaxes_``) give the tensor itself a new shape.

They change where the tensor looks in its memory, not the values in it. Each one computes the
out-of-place view (shape.py) and moves the tensor onto it: the tensor's array becomes the view's
array (the same memory), its ``grad_fn`` the view's node, so its gradient is the view's
(dL/dold = dL/dnew moved back: reshaped for (un)squeeze, transposed back for t and transpose);
when the tensor is itself a view, its recipe from its base composes the new move. As torch,
the version counter is bumped, and a leaf that requires grad (or a view of one) is refused
while grad mode is on.
"""
from ..autograd.grad_mode import is_grad_enabled
from .inplace import _check_recordable
from .shape import squeeze, t, transpose, unsqueeze


def _move_onto(tensor, move):
    """Make ``tensor`` the view ``move(tensor)``: same memory, new shape (and graph node, when recorded)."""
    if is_grad_enabled():
        _check_recordable(tensor)
    moved = move(tensor)
    tensor.array = moved.array
    if moved.requires_grad:
        tensor._requires_grad, tensor.grad_fn, tensor._output_nr = True, moved.grad_fn, moved._output_nr
    if tensor._base is not None:
        tensor._view_fn = moved._view_fn
    tensor._bump_version()
    return tensor


def unsqueeze_(self, dim):
    """In-place :func:`unsqueeze`: insert a size-1 dim at ``dim``."""
    return _move_onto(self, lambda x: unsqueeze(x, dim))


def squeeze_(self, dim=None):
    """In-place :func:`squeeze`: remove size-1 dims (all, or those in ``dim``)."""
    return _move_onto(self, lambda x: squeeze(x, dim))


def t_(self):
    """In-place :func:`t`: transpose a matrix (a 0-d or 1-D tensor stays as it is)."""
    if self.ndim > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
    return _move_onto(self, t)


def transpose_(self, dim0, dim1):
    """In-place :func:`transpose`: swap dims ``dim0`` and ``dim1``."""
    return _move_onto(self, lambda x: transpose(x, dim0, dim1))


swapdims_ = swapaxes_ = transpose_
