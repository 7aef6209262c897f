"""Running (cumulative) ops beyond cumsum/cumprod, NaN-skipping reductions, and diff.

cummax, cummin and logcumsumexp are *scans*: y_i = x_0 (+) x_1 (+) ... (+) x_i for an associative
(+) (max, min, logaddexp). They are computed by doubling (Hillis & Steele, "Data parallel
algorithms", 1986): after step s every y_i combines the 2^s elements ending at i, so log2(n)
whole-array steps suffice and the same code runs on numpy and cupy.
"""
from .. import _dtype
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from . import return_types
from .indexing import GatherAlongDim
from .reduce import _expand_back, amax, amin, normalize_dims, sum
from .shape import cat


def _scan(array, axis, combine):
    """Inclusive scan of ``array`` along ``axis`` with the associative ``combine``, by doubling."""
    xp = array_module(array)
    out = xp.moveaxis(array, axis, -1).copy()
    shift = 1
    while shift < out.shape[-1]:
        out[..., shift:] = combine(out[..., shift:], out[..., :-shift])
        shift *= 2
    return xp.moveaxis(out, -1, axis)


class Cummax(GatherAlongDim):
    """values = x.gather(dim, indices) for cummax.  dL/dx_j = sum of dL/dvalues_i over the i whose index is j."""


class Cummin(GatherAlongDim):
    """values = x.gather(dim, indices) for cummin.  dL/dx_j = sum of dL/dvalues_i over the i whose index is j."""


def _running_extremum(input, dim, largest):
    """(values, indices): the running max (min) and the index of its last occurrence; a NaN, once seen,
    is the running value, as torch."""
    dim = input._wrap_dim(dim)
    x = input.reshape(1) if input.ndim == 0 else input
    xp = array_module(x.array)
    running = _scan(x.array, dim, xp.maximum if largest else xp.minimum)
    hit = running == x.array
    if x.array.dtype.kind == "f":
        hit = hit | xp.isnan(x.array)
    positions = xp.arange(x.shape[dim]).reshape([-1 if d == dim else 1 for d in range(x.ndim)])
    indices = Tensor._make(_scan(xp.where(hit, positions, 0), dim, xp.maximum).astype(_dtype.int64.numpy))
    values = (Cummax if largest else Cummin).apply(x, dim, indices)
    result = return_types.cummax if largest else return_types.cummin
    return result(values.reshape(input.shape), indices.reshape(input.shape))


def cummax(input, dim):
    """Running maximum along ``dim`` and where it was found: ``torch.return_types.cummax(values, indices)``."""
    return _running_extremum(input, dim, True)


def cummin(input, dim):
    """Running minimum along ``dim`` and where it was found."""
    return _running_extremum(input, dim, False)


class LogCumSumExp(Function):
    """y_i = log sum_{j <= i} exp(x_j), a scan with logaddexp (never overflows).
    dL/dx_j = sum_{i >= j} dL/dy_i exp(x_j - y_i). Computed as torch does, in log space with the
    positive and negative parts of dL/dy apart: exp(x_j + revlogcumsumexp(log g+ - y)_j) - (same for g-)."""

    @staticmethod
    def forward(ctx, x, dim):
        y = Tensor._make(_scan(x.array, dim, array_module(x.array).logaddexp))
        ctx.save_for_backward(x, y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        dim = ctx.dim
        log_zero = float(array_module(grad.array).finfo(grad.array.dtype).min)  # log 0, kept finite

        def from_the_end(t):
            return LogCumSumExp.apply(t.flip(dim), dim).flip(dim)

        log_abs = grad.abs().log()
        positive = log_abs.masked_fill(~(grad > 0), log_zero)
        negative = log_abs.masked_fill(~(grad < 0), log_zero)
        return (from_the_end(positive - y) + x).exp() - (from_the_end(negative - y) + x).exp(), None


def logcumsumexp(input, dim):
    """log(cumsum(exp(input))) along ``dim``, without overflow or underflow."""
    dim = input._wrap_dim(dim)
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"logcumsumexp(): expected a floating point input, got {input.dtype} (convert with "
                           ".float())")
    if input.ndim == 0:
        return LogCumSumExp.apply(input.reshape(1), 0).reshape(())
    return LogCumSumExp.apply(input, dim)


# ----------------------------------------------------------------------------- reductions that skip NaN
class NanSum(Function):
    """y = sum of the non-NaN x_i over ``dims``.   dy/dx_i = 1 where x_i is not NaN, else 0: the upstream
    gradient times that mask, as torch (so an infinite upstream gradient gives NaN at a NaN input)."""

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        return array_module(x.array).nansum(x.array, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return _expand_back(grad, x.shape, ctx.dims, ctx.keepdim) * (~x.isnan()).to(grad.dtype), None, None


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """The sum with NaNs counted as 0 (their gradient is 0)."""
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        return sum(input, dim, keepdim)
    return NanSum.apply(input, normalize_dims(input, dim), keepdim)


def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    """The mean of the non-NaN elements (NaN where all are NaN)."""
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                           f"{input.dtype.scalar_type}")
    counted = (~input.detach().isnan()).sum(dim, keepdim)
    return nansum(input, dim, keepdim) / counted


def aminmax(input, *, dim=None, keepdim=False):
    """(min, max) in one call: ``torch.return_types.aminmax(min, max)``."""
    if input.numel() == 0 and (dim is None or input.shape[input._wrap_dim(dim)] == 0):
        raise RuntimeError(f"aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                           f"identity (input shape {list(input.shape)})")
    dims = () if dim is None else dim
    return return_types.aminmax(amin(input, dims, keepdim), amax(input, dims, keepdim))


# ----------------------------------------------------------------------------- diff
def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The n-th forward difference along ``dim``: out_i = x_{i+1} - x_i, applied n times (xor for bools),
    after joining ``prepend`` and ``append`` to the ends."""
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    dim = input._wrap_dim(dim)
    if n == 0:
        return input
    x = cat([t for t in (prepend, input, append) if t is not None], dim)
    for _ in range(n):
        length = x.shape[dim]
        if length == 0:
            break
        later, earlier = x.narrow(dim, 1, length - 1), x.narrow(dim, 0, length - 1)
        x = later ^ earlier if x.dtype is _dtype.bool_ else later - earlier
    return x

