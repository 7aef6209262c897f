"""torch's older linear-algebra names at the top level (torch.svd, torch.qr, torch.cholesky, ...),
each a thin wrapper over minitorch.linalg, so the gradients are those of the linalg ops.

    torch.svd(A, some)            linalg.svd(A, full_matrices=not some), with V = Vh^H (not Vh)
    torch.qr(A, some)             linalg.qr(A, "reduced" if some else "complete")
    torch.cholesky(A, upper)      linalg.cholesky(A, upper=upper)
    torch.cholesky_solve(B, L)    X with (L L^H) X = B: linalg.solve(L @ L^H, B)
    torch.cholesky_inverse(L)     (L L^H)^-1: linalg.inv(L @ L^H)
    torch.pinverse(A, rcond)      linalg.pinv(A, rtol=rcond)
    torch.cross(a, b, dim=None)   linalg.cross(a, b, dim), dim defaulting to the first dim of size 3

As torch, cholesky_solve and cholesky_inverse take L to be the triangular factor: the gradient
through L @ L^H is torch's, -(S + S^H) L for S = A^-1 dL/dX X^H (cholesky_solve) and
-A^-1 (G + G^H) A^-1 L (cholesky_inverse), and treats L as a full matrix, as torch's does.
"""
import warnings

from .. import _dtype
from .._creation import zeros
from .linalg_checks import check_matrix
from .linalg_factor import cholesky as _linalg_cholesky, qr as _linalg_qr
from .linalg_lstsq import pinv
from .linalg_products import cross as _linalg_cross
from .linalg_solve import inv, solve
from .linalg_spectral import svd as _linalg_svd, svdvals
from .return_types import return_type

SVD = return_type("svd", ("U", "S", "V"))
QR = return_type("qr", ("Q", "R"))


def svd(input, some=True, compute_uv=True):
    """(U, S, V) with input = U diag(S) V^H (V, where linalg.svd returns Vh = V^H). ``some``: the reduced
    U (m x k) and V (n x k), k = min(m, n). Without ``compute_uv``, U and V are zero (m x m, n x n) and
    only S has a gradient."""
    if not compute_uv:
        S = svdvals(input)
        batch, (m, n) = tuple(input.shape[:-2]), input.shape[-2:]
        return SVD(zeros(batch + (m, m), dtype=input.dtype, device=input.device), S,
                   zeros(batch + (n, n), dtype=input.dtype, device=input.device))
    U, S, Vh = _linalg_svd(input, full_matrices=not some)
    return SVD(U, S, Vh.mH)


def qr(input, some=True):
    """(Q, R) with input = Q R: reduced (``some``) or complete (Q square); torch warns that it is deprecated."""
    warnings.warn("torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch "
                  "release. Q, R = torch.qr(A, some) should be replaced with Q, R = torch.linalg.qr(A, 'reduced' "
                  "if some else 'complete')", UserWarning, stacklevel=2)
    return QR(*_linalg_qr(input, "reduced" if some else "complete"))


def cholesky(input, upper=False):
    """L (lower) with input = L L^H, or U with input = U^H U; torch warns that it is deprecated."""
    warnings.warn("torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future "
                  "PyTorch release. L = torch.cholesky(A) should be replaced with L = torch.linalg.cholesky(A), and "
                  "U = torch.cholesky(A, upper=True) with U = torch.linalg.cholesky(A).mH", UserWarning, stacklevel=2)
    return _linalg_cholesky(input, upper=upper)


def _gram(factor, upper):
    """A = L L^H from its lower Cholesky factor, or U^H U from its upper one."""
    return factor.mH @ factor if upper else factor @ factor.mH


def cholesky_solve(input, input2, upper=False):
    """X with A X = input (B), where A = L L^H (``upper``: U^H U) and ``input2`` is that triangular factor."""
    B, L = input, input2
    if B.ndim < 2:
        raise RuntimeError(f"b should have at least 2 dimensions, but has {B.ndim} dimensions instead")
    check_matrix(L, "cholesky_solve", square=True, arg="A")
    if B.dtype is not L.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type {B.dtype.scalar_type} "
                           f"and A of type {L.dtype.scalar_type} instead.")
    if B.shape[-2] != L.shape[-1]:
        raise RuntimeError(f"Incompatible matrix sizes for cholesky_solve: each A matrix is {L.shape[-2]} by "
                           f"{L.shape[-1]} but each b matrix is {B.shape[-2]} by {B.shape[-1]}")
    return solve(_gram(L, upper), B)


def cholesky_inverse(input, upper=False):
    """(L L^H)^-1 (``upper``: (U^H U)^-1) from the triangular factor ``input``."""
    if input.dtype is _dtype.bool_ or not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise NotImplementedError(f'"cholesky_inverse_out_cpu" not implemented for \'{input.dtype.scalar_type}\' '
                                  "(it needs a floating-point factor, e.g. from torch.linalg.cholesky)")
    check_matrix(input, "cholesky_inverse", square=True)
    return inv(_gram(input, upper))


def pinverse(input, rcond=1e-15):
    """The pseudo-inverse, singular values below rcond * (the largest) counted as zero: linalg.pinv."""
    return pinv(input, rtol=rcond)


def cross(input, other, dim=None):
    """The cross product of 3-vectors along ``dim``; without ``dim`` (deprecated, torch warns), the first
    dim of ``input`` that has size 3."""
    if dim is None:
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated. Please either pass the dim "
                      "explicitly or simply use torch.linalg.cross. The default value of dim will change to agree "
                      "with that of linalg.cross in a future release.", UserWarning, stacklevel=2)
        dim = next((d for d, size in enumerate(input.shape) if size == 3), None)
        if dim is None:
            raise RuntimeError(f"no dimension of size 3 in input (shape {list(input.shape)})")
    return _linalg_cross(input, other, dim=dim)
