"""``Tensor.unfold(dim, size, step)``: every window of ``size`` elements along ``dim``, ``step`` apart, as a
view (no copy: the windows overlap in memory, as torch's).

For x of shape (5,), x.unfold(0, 2, 1) has shape (4, 2): rows [x0 x1], [x1 x2], [x2 x3], [x3 x4].
The view only changes strides: along ``dim`` a step of ``step`` elements, and a new last dim of
``size`` elements with the old stride of ``dim``. An element in k windows gets the sum of the
k gradients: dL/dx_i = sum over windows w and offsets j with w * step + j = i of dL/dy[w, j].
"""
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from .shape import make_view


def _windows(array, dim, size, step):
    xp = array_module(array)
    count = (array.shape[dim] - size) // step + 1
    shape = array.shape[:dim] + (count,) + array.shape[dim + 1:] + (size,)
    strides = array.strides[:dim] + (array.strides[dim] * step,) + array.strides[dim + 1:] + (array.strides[dim],)
    return xp.lib.stride_tricks.as_strided(array, shape, strides)


class Unfold(Function):
    """y[..., w, ..., j] = x[..., w * step + j, ...].   dL/dx = for each offset j, dL/dy[..., j] added
    at positions w * step + j along ``dim`` (index_add, so the backward is itself differentiable)."""

    @staticmethod
    def forward(ctx, x, dim, size, step):
        ctx.shape, ctx.dim, ctx.size, ctx.step = x.array.shape, dim, size, step
        return make_view(x, _windows(x.array, dim, size, step), lambda base: Unfold.apply(base, dim, size, step))

    @staticmethod
    def backward(ctx, grad):
        xp = array_module(grad.array)
        dim, step = ctx.dim, ctx.step
        out = Tensor._make(xp.zeros(ctx.shape, dtype=grad.array.dtype))
        starts = xp.arange(grad.shape[dim]) * step
        for j in range(ctx.size):
            out = out.index_add(dim, Tensor._make(starts + j), grad.select(-1, j))
        return out, None, None, None


def unfold(self, dimension, size, step):
    """Windows of ``size`` elements along ``dimension``, ``step`` apart, as a new last dim (a view)."""
    dim = self._wrap_dim(dimension)
    if self.ndim == 0:  # a 0-d tensor has one window of one element, as torch
        return unfold(self.reshape(1), 0, size, step).reshape(1)
    x = self
    if size > x.shape[dim]:
        raise RuntimeError(f"maximum size for tensor at dimension {dim} is {x.shape[dim]} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    return Unfold.apply(x, dim, size, step)
