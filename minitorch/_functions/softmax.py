"""softmax and log_softmax along a dim: fused primitives, for numerical stability.

log_softmax(x)_i = x_i - logsumexp(x) = (x_i - m) - log sum_j exp(x_j - m), with m = max_j x_j,
so no exp ever overflows. softmax = exp(log_softmax).

Backward, with p = softmax(x) and g = dL/dy:
  log_softmax:  dL/dx = g - p * sum_j g_j
  softmax:      dL/dx = p * (g - sum_j g_j p_j)
"""
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from ._operands import check_tensors


def _log_softmax_array(x, dim):
    xp = array_module(x)
    shifted = x - x.max(axis=dim, keepdims=True)
    return shifted - xp.log(xp.exp(shifted).sum(axis=dim, keepdims=True))


class LogSoftmax(Function):
    """y = x - logsumexp(x) along ``dim``.   dL/dx = g - softmax(x) * sum(g)."""

    @staticmethod
    def forward(ctx, x, dim):
        y = Tensor._make(_log_softmax_array(x.array, dim))
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad - y.exp() * grad.sum(ctx.dim, keepdim=True), None


class Softmax(Function):
    """y = exp(x) / sum exp(x) along ``dim``.   dL/dx = y * (g - sum(g * y))."""

    @staticmethod
    def forward(ctx, x, dim):
        y = Tensor._make(array_module(x.array).exp(_log_softmax_array(x.array, dim)))
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return y * (grad - (grad * y).sum(ctx.dim, keepdim=True)), None


def _prepare(input, dim, dtype, name):
    check_tensors(name, input=input)
    if dim is None:
        raise TypeError(f"{name}() missing the dim argument: say which dim sums to 1 (usually dim=-1 or dim=1)")
    if dtype is not None:
        input = input.to(dtype)
    if input.array.dtype.kind not in "fc":  # as torch: integers must be converted first (or pass dtype=)
        raise NotImplementedError(f'"{name}" not implemented for \'{input.dtype.scalar_type}\': it needs a '
                                  f"floating-point tensor (convert with input.float(), or pass dtype=torch.float32)")
    return input, input._wrap_dim(dim)


def softmax(input, dim=None, dtype=None):
    """Probabilities along ``dim``: exp(x_i) / sum_j exp(x_j)."""
    x, dim = _prepare(input, dim, dtype, "softmax")
    return Softmax.apply(x, dim)


def log_softmax(input, dim=None, dtype=None):
    """log(softmax(x)) along ``dim``, computed stably."""
    x, dim = _prepare(input, dim, dtype, "log_softmax")
    return LogSoftmax.apply(x, dim)
