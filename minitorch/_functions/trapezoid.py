"""The trapezoidal rule: trapezoid (trapz) and cumulative_trapezoid, integrating samples y along ``dim``.

With sample points x (or a constant spacing dx), each interval contributes
(x_{k+1} - x_k) * (y_k + y_{k+1}) / 2; trapezoid sums the intervals, cumulative_trapezoid keeps
their running sums. Composed from narrow, diff, mul, sum and cumsum, as torch writes them, so
the gradients are theirs: dI/dy_k = (dx_{k-1} + dx_k) / 2, dI/dx_k = (y_{k-1} - y_{k+1}) / 2 inside.
"""
from .._tensor import Tensor, type_name
from .shape import narrow, select


def _sample_dim(name, y, dim):
    if y.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions ({name} integrates samples "
                         "along a dim: y needs at least one)")
    return y._wrap_dim(dim)


def _check_not_bool(name, *tensors):
    which = "`x` or `y`" if len(tensors) > 1 else "`y`"
    if any(t.dtype.scalar_type == "Bool" for t in tensors):
        raise RuntimeError(f"{name}: received a bool input for {which}, but bool is not supported")


def _spacing(name, y, x, dim):
    """x's differences along ``dim``, shaped to broadcast against y's intervals (as numpy: a 1-D x lies
    along ``dim``; an x with fewer dims is padded with leading 1s)."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument 'x' must be Tensor, not {type_name(x)} (for a constant spacing, "
                        f"pass it by keyword: torch.{name}(y, dx={x!r}))")
    _check_not_bool(name, y, x)
    if x.ndim == 1:
        if x.shape[0] != y.shape[dim]:
            raise RuntimeError(f"{name}: There must be one `x` value for each sample point (x has {x.shape[0]}, "
                               f"y has {y.shape[dim]} along dim {dim})")
        x = x.view([x.shape[0] if d == dim else 1 for d in range(y.ndim)])
    elif x.ndim < y.ndim:
        x = x.view((1,) * (y.ndim - x.ndim) + tuple(x.shape))
    left, right = _interval_ends(x, dim)
    return right - left


def _interval_ends(t, dim):
    """t[:-1] and t[1:] along ``dim`` (both empty when t is)."""
    n = t.shape[dim]
    return narrow(t, dim, 0, max(n - 1, 0)), narrow(t, dim, min(n, 1), max(n - 1, 0))


def _pair_sums(y, dim):
    """y_k + y_{k+1} for each interval along ``dim``."""
    left, right = _interval_ends(y, dim)
    return left + right


def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The integral of y along ``dim`` by the trapezoidal rule, at points ``x`` or with spacing ``dx`` (1):
    sum_k (x_{k+1} - x_k) (y_k + y_{k+1}) / 2, or dx (sum_k y_k - (y_0 + y_last) / 2)."""
    dim = _sample_dim("trapezoid", y, dim)
    if y.shape[dim] == 0:  # no samples: 0, as numpy
        return y.new_zeros(y.shape[:dim] + y.shape[dim + 1:])
    if x is not None:
        return (_spacing("trapezoid", y, x, dim) * _pair_sums(y, dim)).sum(dim) / 2.0
    _check_not_bool("trapezoid", y)
    dx = 1 if dx is None else float(dx)
    return (y.sum(dim) - (select(y, dim, 0) + select(y, dim, -1)) * 0.5) * dx


def trapz(y, x=None, *, dx=None, dim=-1):
    """The older name of :func:`trapezoid`."""
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The running integral of y along ``dim`` (one fewer element there): the cumsum of the intervals
    (x_{k+1} - x_k) (y_k + y_{k+1}) / 2 (with a constant spacing dx, default 1)."""
    dim = _sample_dim("cumulative_trapezoid", y, dim)
    if x is not None:
        return ((_spacing("cumulative_trapezoid", y, x, dim) * _pair_sums(y, dim)) / 2.0).cumsum(dim)
    _check_not_bool("cumulative_trapezoid", y)
    dx = 1 if dx is None else float(dx)
    return (dx / 2.0 * _pair_sums(y, dim)).cumsum(dim)
