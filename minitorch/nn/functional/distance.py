"""How far apart, or how alike, are two vectors? cosine_similarity, pairwise_distance and pdist.

All three are composed from Tensor ops (vector_norm, division, sum, indexing), so autograd provides
the gradients; each docstring gives the gradient that results.
"""
from ... import _creation, _dtype
from ..._functions._operands import broadcast_shapes, check_tensors
from ..._functions.reduce import vector_norm
from ...autograd.grad_mode import no_grad

__all__ = ["cosine_similarity", "pairwise_distance", "pdist"]


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """The cosine of the angle between x1 and x2 along ``dim`` (x1 and x2 broadcast together first):

        cos = x1 . x2 / (max(||x1||, eps) max(||x2||, eps))

    Computed as torch does, (x1 / max(||x1||, eps)) . (x2 / max(||x2||, eps)): each vector is
    normalised before the dot product, so the result stays within [-1, 1] (up to rounding) and the
    product ||x1|| ||x2|| is never formed.

    Gradient (norms above eps): dcos/dx1 = x2 / (||x1|| ||x2||) - cos x1 / ||x1||^2, and symmetrically
    for x2. Where a norm is below eps, its value is eps but its gradient is still that of ||x|| (see
    _norm_at_least): the zero vector gets dcos/dx1 = x2 / (eps ||x2||).
    """
    check_tensors("cosine_similarity", x1=x1, x2=x2)
    common = _dtype.result_type(x1, x2)
    if not common.is_floating_point:
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is {common.scalar_type} "
                           f"(x1 is {x1.dtype}, x2 is {x2.dtype}: a cosine needs floats, use .float())")
    x1, x2 = [x if x.dtype.is_floating_point else x.to(common) for x in (x1, x2)]
    shape = broadcast_shapes(x1.shape, x2.shape)
    x1, x2 = [x if x.shape == shape else x.expand(shape) for x in (x1, x2)]
    return ((x1 / _norm_at_least(x1, dim, eps)) * (x2 / _norm_at_least(x2, dim, eps))).sum(dim)


def _norm_at_least(x, dim, eps):
    """max(||x||, eps) along ``dim`` (kept, for broadcasting), as torch computes it: the clamp is done
    in place under no_grad, so autograd never sees it and differentiates as if the value were ||x||.
    (The clone keeps vector_norm's saved output intact.)"""
    norm = vector_norm(x, 2, dim, keepdim=True).clone()
    with no_grad():
        norm.clamp_min_(eps)
    return norm


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """||x1 - x2 + eps||_p along the last dimension (x1 and x2 broadcast together first). The eps,
    added to every component of the difference, keeps the norm differentiable at x1 = x2.

    Gradient, with d = x1 - x2 + eps: d||d||_p/dx1 = sign(d) |d|^(p-1) / ||d||_p^(p-1) (d / ||d|| for p = 2),
    and the negative of that for x2.
    """
    last = max(x1.ndim, x2.ndim) - 1
    return vector_norm(x1 - x2 + eps, p, dim=last if last >= 0 else None, keepdim=keepdim)


def pdist(input, p=2):
    """The p-norm distance between every pair of rows of ``input`` (N, M): N (N - 1) / 2 distances,
    ||x_i - x_j||_p for i < j in the order (0, 1), (0, 2), ..., (1, 2), ...

    This is the upper triangle, without the diagonal, of vector_norm(x[:, None] - x[None], p, dim=2),
    and is computed that way. Gradient: dd_ij/dx_i = sign(x_i - x_j) |x_i - x_j|^(p-1) / d_ij^(p-1),
    minus that for x_j, and 0 for two identical rows (as torch).
    """
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D (input of shape "
                           f"{list(input.shape)}; pdist compares the rows of an (N, M) matrix)")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"pdist only supports floating-point dtypes (got {input.dtype})")
    if p < 0:
        raise RuntimeError(f"pdist only supports non-negative p values (got p={p})")
    rows = _creation.arange(input.shape[0], device=input.device)
    upper = rows.unsqueeze(1) < rows.unsqueeze(0)
    return vector_norm(input.unsqueeze(1) - input.unsqueeze(0), p, dim=2)[upper]
