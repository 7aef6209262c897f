"""Products with an added term (addmm, addmv, addr, addbmm, baddbmm), pairwise distances (cdist), grids
(meshgrid, cartesian_prod) and block-diagonal matrices: compositions of matmul, norms, expand and cat,
so every gradient comes from those primitives.
"""
import warnings

from .. import _dtype
from .._backend import array_module
from .._creation import zeros
from .._tensor import Tensor
from .matmul import bmm, mm, mv, outer
from .reduce import vector_norm
from .shape import cat, stack


def _plus_scaled(input, beta, product, alpha):
    """beta * input + alpha * product. With beta = 0, input is ignored (even NaN or inf in it), as torch;
    it still gets a (zero) gradient."""
    if alpha != 1:
        product = product * alpha
    if beta == 0:
        everywhere = Tensor._make(array_module(input.array).ones(input.array.shape, dtype=bool))
        return product + input.masked_fill(everywhere, 0)
    return product + (input if beta == 1 else input * beta)


def _check_matrix(name, t):
    if t.ndim != 2:
        raise RuntimeError(f"{name} must be a matrix, got {t.ndim}-D tensor (shape {list(t.shape)})")


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta * input + alpha * (mat1 @ mat2): the affine map of a linear layer in one call."""
    _check_matrix("mat1", mat1)
    _check_matrix("mat2", mat2)
    return _plus_scaled(input, beta, mm(mat1, mat2), alpha)


def addmv(input, mat, vec, *, beta=1, alpha=1):
    """beta * input + alpha * (mat @ vec)."""
    return _plus_scaled(input, beta, mv(mat, vec), alpha)


def addr(input, vec1, vec2, *, beta=1, alpha=1):
    """beta * input + alpha * outer(vec1, vec2)."""
    return _plus_scaled(input, beta, outer(vec1, vec2), alpha)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta * input + alpha * (batch1 @ batch2), batch by batch."""
    return _plus_scaled(input, beta, bmm(batch1, batch2), alpha)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta * input + alpha * sum_b batch1[b] @ batch2[b] (the batch products added up)."""
    return _plus_scaled(input, beta, bmm(batch1, batch2).sum(0), alpha)


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The p-norm distance between every row of x1 (..., P, M) and every row of x2 (..., R, M): (..., P, R).

    Computed directly as ||x1_i - x2_j||_p over an (..., P, R, M) difference. (torch may use
    ||a||^2 + ||b||^2 - 2 a.b for p = 2 on large inputs: faster, slightly less accurate.)"""
    if x1.ndim < 2 or x2.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1.ndim}D, X2 got: {x2.ndim}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]} "
                           f"(shapes {list(x1.shape)} and {list(x2.shape)})")
    if p < 0:
        raise RuntimeError(f"cdist only supports non-negative p values, got p={p}")
    if not x1.dtype.is_floating_point or not x2.dtype.is_floating_point:
        raise RuntimeError(f"cdist only supports floating-point dtypes, X1 got: {x1.dtype.scalar_type}, X2 got: "
                           f"{x2.dtype.scalar_type}")
    return vector_norm(x1.unsqueeze(-2) - x2.unsqueeze(-3), p, dim=-1)


def _tensor_list(tensors):
    """``f(a, b)`` and ``f([a, b])`` both, as torch."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return list(tensors[0])
    return list(tensors)


def meshgrid(*tensors, indexing=None):
    """Coordinate grids from 1-D tensors: with indexing='ij', output k has shape (n_0, n_1, ...) and
    varies along dim k. 'xy' (numpy's and matplotlib's convention) swaps the first two dims.
    The outputs are expanded views, as torch's."""
    tensors = _tensor_list(tensors)
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}")
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got a "
                               f"{t.ndim}-D tensor of shape {list(t.shape)}")
        if t.dtype is not tensors[0].dtype or t.device != tensors[0].device:
            raise RuntimeError(f"meshgrid expects all tensors to have the same dtype and device, got "
                               f"{[str(x.dtype) for x in tensors]} on {[str(x.device) for x in tensors]}")
    swap = indexing == "xy" and len(tensors) >= 2
    if swap:
        tensors[0], tensors[1] = tensors[1], tensors[0]
    sizes = [t.numel() for t in tensors]
    grids = [t.reshape([-1 if d == k else 1 for d in range(len(tensors))]).expand(sizes)
             for k, t in enumerate(tensors)]
    if swap:  # 'xy' is 'ij' on the first two inputs swapped, with the first two outputs swapped back
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def cartesian_prod(*tensors):
    """Every combination of one element from each 1-D tensor, as the rows of an (N, k) tensor
    (like itertools.product). One tensor is returned as it is."""
    tensors = _tensor_list(tensors)
    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    return stack([g.reshape(-1) for g in meshgrid(*tensors, indexing="ij")], dim=1)


def block_diag(*tensors):
    """The tensors as blocks on the diagonal of one matrix, zeros elsewhere (0-d and 1-D tensors count as
    1 x 1 and 1 x n blocks). The dtype is the promotion of all of them."""
    blocks = []
    for i, t in enumerate(tensors):
        if t.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                               f"{t.ndim} dimensions (shape {list(t.shape)})")
        blocks.append(t.reshape(1, -1) if t.ndim < 2 else t)
    if not blocks:
        return zeros(1, 0)  # what torch.block_diag() gives
    dtype = blocks[0].dtype
    for b in blocks[1:]:
        dtype = _dtype.promote_types(dtype, b.dtype)
    width = sum(b.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        b = b.to(dtype)
        right = width - left - b.shape[1]
        rows.append(cat([b.new_zeros(b.shape[0], left), b, b.new_zeros(b.shape[0], right)], dim=1))
        left += b.shape[1]
    return cat(rows, dim=0)
