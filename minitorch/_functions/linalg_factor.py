"""Triangular factorisations: Cholesky (A = L L^H) and QR (A = Q R), with their gradients.

Both backward passes follow one recipe: differentiate the factorisation (dA = dL L^T + L dL^T,
or dA = dQ R + Q dR), use the structure of the factors (L and R triangular, Q^T Q = I) to solve
for dL or (dQ, dR), then transpose that linear map to get dL/dA. The triangle-and-mirror helpers
below (keep one triangle, halve or mirror across the diagonal) are where that structure enters.
"""
import collections

from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from .linalg_checks import check_matrix, lapack, not_positive_definite_message
from .linalg_solve import Inv, Solve
from .linalg_structure import adjoint_array, diag_embed, diagonal, tril, triu
from .shape import cat

QR_MODES = ("reduced", "complete", "r")


def _lower_half_diagonal(X):
    """tril(X) with its diagonal halved: the map Phi of Murray (2016)."""
    return tril(X) - 0.5 * diag_embed(diagonal(X, 0, -2, -1))


class Cholesky(Function):
    """L = cholesky(A), lower triangular with A = L L^H (only A's lower triangle is read). With
    ``upper``, as torch, A's upper triangle is read and U = L^H is returned, A = U^H U: that is the
    lower factor of A^H (whose lower triangle is A's upper one), conjugate-transposed.

        dL/dA = 1/2 (S + S^T),   S = L^{-T} Phi(L^T dL/dL) L^{-1}

    where Phi keeps the lower triangle and halves the diagonal. Reference: I. Murray, "Differentiation
    of the Cholesky decomposition" (2016), arXiv:1602.07527, eq. 10; torch's cholesky_backward, which
    also symmetrises the result (the gradient is taken over symmetric matrices). For ``upper``,
    dL/dL = (dL/dU)^T, and the gradient for A^T is the same symmetric matrix. (Real A only:
    minitorch's autograd refuses complex tensors.)
    """

    @staticmethod
    def forward(ctx, A, upper):
        xp = array_module(A.array)
        a = adjoint_array(A.array) if upper else A.array
        L = Tensor._make(lapack(lambda: xp.linalg.cholesky(a), [a], not_positive_definite_message("linalg.cholesky")))
        ctx.save_for_backward(L)
        ctx.upper = upper
        return adjoint_array(L.array).copy() if upper else L

    @staticmethod
    def backward(ctx, grad):
        L, = ctx.saved_tensors
        grad = grad.mT if ctx.upper else grad
        L_inv = Inv.apply(L)
        S = L_inv.mT @ _lower_half_diagonal(L.mT @ grad) @ L_inv
        return 0.5 * (S + S.mT), None


class QRResult(collections.namedtuple("QRResult", ["Q", "R"])):
    """``torch.return_types.linalg_qr``."""


class QR(Function):
    """(Q, R) = qr(A): Q with orthonormal columns, R upper triangular, A = Q R.

    For m >= n (A = Q R with R square and invertible), with M = (dL/dR) R^T - Q^T (dL/dQ):

        dL/dA = (dL/dQ + Q copyutl(M)) R^{-T},   copyutl(M) = triu(M) + triu(M, 1)^T

    (copyutl mirrors the upper triangle of M into a symmetric matrix; torch's linalg_qr_backward
    calls it syminvadj(triu(M))). For m < n, write A = [X | Y] and R = [U | V]: X = Q U is
    a square QR and Y = Q V gives V = Q^T Y, so dL/dY = Q dL/dV, and X's backward runs with
    dL/dQ + Y (dL/dV)^T. References: M. Seeger et al., "Auto-differentiating linear algebra" (2017);
    H.-J. Liao et al., "Differentiable programming tensor networks" (2019); torch's FunctionsManual.cpp.
    Q is determined only up to the signs of its columns; LAPACK's choice (shared by numpy and torch)
    makes the factorisation unique for full-rank A, and the gradient is that of this choice.
    """

    @staticmethod
    def forward(ctx, A, mode):
        xp = array_module(A.array)
        if mode == "r":
            R = xp.linalg.qr(A.array, mode="r")
            ctx.mode = mode
            return xp.zeros((0,), dtype=A.array.dtype), R
        Q, R = (Tensor._make(a) for a in xp.linalg.qr(A.array, mode=mode))
        ctx.save_for_backward(Q, R)
        ctx.mode = mode
        ctx.set_materialize_grads(False)
        return Q, R

    @staticmethod
    def backward(ctx, gQ, gR):
        if ctx.mode == "r":
            raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
                               "Please use linalg.qr(A, mode='reduced') if you are going to differentiate "
                               "through linalg.qr.")
        Q, R = ctx.saved_tensors
        m, n = Q.shape[-2], R.shape[-1]
        if ctx.mode == "complete" and m > n:
            raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")
        if m >= n:
            return _square_or_tall_qr_backward(gQ, gR, Q, R), None
        U, V = R.narrow(-1, 0, m), R.narrow(-1, m, n - m)
        Y = Q @ V
        gU = gV = None
        if gR is not None:
            gU, gV = gR.narrow(-1, 0, m), gR.narrow(-1, m, n - m)
            gQ = Y @ gV.mT if gQ is None else gQ + Y @ gV.mT
        gX = _square_or_tall_qr_backward(gQ, gU, Q, U)
        gY = Q @ gV if gV is not None else Y * 0
        return cat([gX, gY], -1), None


def _square_or_tall_qr_backward(gQ, gR, Q, R):
    """dL/dA for A = Q R with R square (m >= n): see the QR docstring."""
    M = gR @ R.mT if gR is not None else None
    if gQ is not None:
        M = -(Q.mT @ gQ) if M is None else M - Q.mT @ gQ
    b = Q @ (triu(M) + triu(M, 1).mT)
    if gQ is not None:
        b = b + gQ
    return Solve.apply(R, b.mT).mT


# ----------------------------------------------------------------------------- public functions
def cholesky(A, *, upper=False):
    """L with A = L L^H for each Hermitian (symmetric, if real) positive-definite A, from A's lower triangle;
    with ``upper``, U with A = U^H U, from A's upper triangle."""
    check_matrix(A, "linalg.cholesky", square=True)
    return Cholesky.apply(A, upper)


def qr(A, mode="reduced"):
    """(Q, R) with A = Q R: mode 'reduced' (Q: m x k, R: k x n, k = min(m, n)), 'complete'
    (Q: m x m, R: m x n) or 'r' (R only; Q is an empty tensor)."""
    if mode not in QR_MODES:
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', "
                           "or 'complete'")
    check_matrix(A, "linalg.qr")
    return QRResult(*QR.apply(A, mode))
