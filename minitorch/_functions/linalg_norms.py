"""Matrix norms, and linalg.norm which picks a vector or a matrix norm.

    'fro'     sqrt(sum_ij a_ij^2)               (the vector 2-norm of the entries)
    'nuc'     sum_i s_i                          (s: the singular values)
    2 / -2    max_i s_i / min_i s_i
    1 / -1    max / min over columns of sum_i |a_ij|
    inf/-inf  max / min over rows of sum_j |a_ij|

Each is composed from vector_norm, svdvals, abs, sum and amax/amin, so the gradients come from
those; for the spectral norms that is U diag(dL/ds) V^T, well defined even for repeated singular
values. Ties in amax/amin share the gradient evenly, as in torch.
"""
from .linalg_checks import check_matrix
from .linalg_spectral import svdvals
from .reduce import vector_norm

MATRIX_ORDS = ("fro", "nuc", 1, -1, 2, -2, float("inf"), -float("inf"))


def _matrix_dims(A, dim):
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(dims) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {', '.join(str(d) for d in dims)}")
    d0, d1 = A._wrap_dim(dims[0]), A._wrap_dim(dims[1])
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dims[0]}, {dims[1]})")
    return d0, d1


def _keep(result, dims, keepdim):
    if keepdim:
        for d in sorted(dims):
            result = result.unsqueeze(d)
    return result


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """The matrix norm ``ord`` (see the module docstring) of the matrices spanned by the two dims ``dim``."""
    check_matrix(A, "linalg.matrix_norm")
    if ord not in MATRIX_ORDS:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported. Use one of 'fro', 'nuc', 1, -1, 2, -2, "
                           "inf, -inf (or linalg.vector_norm for other p-norms)")
    d0, d1 = _matrix_dims(A, dim)
    if dtype is not None:
        A = A.to(dtype)
    if ord == "fro":
        return vector_norm(A, 2, (d0, d1), keepdim)
    if ord in ("nuc", 2, -2):
        rest = [d for d in range(A.ndim) if d not in (d0, d1)]
        values = svdvals(A.permute(rest + [d0, d1]))
        result = values.sum(-1) if ord == "nuc" else (values.amax(-1) if ord == 2 else values.amin(-1))
        return _keep(result, (d0, d1), keepdim)
    summed, across = (d0, d1) if abs(ord) == 1 else (d1, d0)  # 1: column sums (over rows); inf: row sums
    sums = A.abs().sum(summed, keepdim=True)
    result = sums.amax(across, keepdim=True) if ord > 0 else sums.amin(across, keepdim=True)
    return result if keepdim else result.squeeze((d0, d1))


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """linalg.norm: a vector norm over one dim (or all, when ord and dim are None), a matrix norm over two.

    With ``ord`` given and ``dim=None``, A must be 1-D (vector norm) or 2-D (matrix norm).
    """
    dims = (dim,) if isinstance(dim, int) else (None if dim is None else tuple(dim))
    if ord is None:
        if dims is not None and len(dims) == 2:
            return matrix_norm(A, "fro", dims, keepdim, dtype=dtype)
        return vector_norm(A, 2, dims, keepdim, dtype=dtype)
    if dims is None:
        if A.ndim not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                               f"Got {A.ndim}D.")
        dims = tuple(range(A.ndim))
    if len(dims) == 2 or isinstance(ord, str):
        return matrix_norm(A, ord, dims, keepdim, dtype=dtype)
    return vector_norm(A, ord, dims, keepdim, dtype=dtype)
