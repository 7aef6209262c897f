"""Least squares and the pseudo-inverse: lstsq, pinv, matrix_rank.

For A: (..., m, n), the pseudo-inverse A^+ = V diag(1/s_i) U^H (from the SVD A = U S V^H, keeping
only the singular values above a tolerance; ^H is the conjugate transpose, ^T for real A) gives
the minimum-norm least-squares solution X = A^+ B of A X ~ B. Singular values at or below
``max(atol, rtol * s_max)`` count as zero; their number is what ``matrix_rank`` reports.

Gradient of P = A^+ (Golub & Pereyra 1973, "The differentiation of pseudo-inverses and nonlinear
least squares problems"; the form used in torch's FunctionsManual.cpp pinv_backward):

    dL/dA = -P^T G P^T + (I - A P)^T G^T P P^T + P^T P G^T (I - P A)^T       with G = dL/dP

It holds where the rank of A does not change near A (the pseudo-inverse jumps where it does).
lstsq's solution X = A^+ B gets its gradient from the same formula with G = (dL/dX) B^T, and
dL/dB = (A^+)^T dL/dX, as torch's linalg_lstsq_backward.
"""
import collections

from .. import _dtype
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from ._operands import broadcast_shapes
from .linalg_checks import check_matrix, check_same_dtype, convergence_message, lapack
from .linalg_structure import adjoint_array

DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def pinv_backward(grad, P, A):
    """dL/dA for P = pinv(A) (see the module docstring), written out with the smaller products first."""
    m, n = A.shape[-2], A.shape[-1]
    Pt, Gt = P.mT, grad.mT
    if m <= n:
        K = Gt @ P
        KPt = K @ Pt
        return -(P @ K).mT + KPt - (A @ P) @ KPt + (Pt @ P) @ (Gt - K @ A)
    K = P @ Gt
    PtK = Pt @ K
    return -(K @ P).mT + (Gt - A @ K) @ P @ Pt + PtK - PtK @ P @ A


def _tolerance(S, m, n, atol, rtol, xp):
    """max(atol, rtol * s_max) per matrix; rtol defaults to eps * max(m, n) unless atol > 0 was given."""
    if rtol is None:
        rtol = 0.0 if atol is not None and atol > 0 else xp.finfo(S.dtype).eps * max(m, n)
    largest = S.max(axis=-1, keepdims=True) if S.shape[-1] else xp.zeros(S.shape[:-1] + (1,), S.dtype)
    return xp.maximum(atol or 0.0, rtol * largest)


class Pinv(Function):
    """P = A^+ (Moore-Penrose pseudo-inverse).  dL/dA: see pinv_backward and the module docstring."""

    @staticmethod
    def forward(ctx, A, atol, rtol, hermitian):
        xp = array_module(A.array)
        m, n = A.array.shape[-2:]
        if hermitian:
            w, V = lapack(lambda: xp.linalg.eigh(A.array), [A.array], convergence_message("linalg.pinv"))
            keep = xp.abs(w) > _tolerance(xp.abs(w), m, n, atol, rtol, xp)
            P = (V * xp.where(keep, 1 / xp.where(keep, w, 1), 0)[..., None, :]) @ adjoint_array(V)
        else:
            U, S, Vh = lapack(lambda: xp.linalg.svd(A.array, full_matrices=False), [A.array],
                              convergence_message("linalg.pinv"))
            keep = S > _tolerance(S, m, n, atol, rtol, xp)
            inverse = xp.where(keep, 1 / xp.where(keep, S, 1), 0)
            P = (adjoint_array(Vh) * inverse[..., None, :]) @ adjoint_array(U)
        P = Tensor._make(P.astype(A.array.dtype, copy=False))
        ctx.save_for_backward(A, P)
        return P

    @staticmethod
    def backward(ctx, grad):
        A, P = ctx.saved_tensors
        return pinv_backward(grad, P, A), None, None, None


class LstsqResult(collections.namedtuple("LstsqResult", ["solution", "residuals", "rank", "singular_values"])):
    """``torch.return_types.linalg_lstsq``."""


class LstsqSolution(Function):
    """X = A^+ B (minimum-norm least-squares solution; for driver 'gels' A must have full rank), with
    the rank and singular values of A as non-differentiable extra outputs.
    dL/dA = pinv_backward((dL/dX) B^T, A^+, A),  dL/dB = (A^+)^T dL/dX  (torch's linalg_lstsq_backward)."""

    @staticmethod
    def forward(ctx, A, B, rcond):
        xp = array_module(A.array)
        U, S, Vh = lapack(lambda: xp.linalg.svd(A.array, full_matrices=False), [A.array],
                          convergence_message("linalg.lstsq"))
        keep = S > _tolerance(S, *A.array.shape[-2:], None, rcond, xp)
        inverse = xp.where(keep, 1 / xp.where(keep, S, 1), 0)
        X = adjoint_array(Vh) @ (inverse[..., :, None] * (adjoint_array(U) @ B.array))
        ctx.save_for_backward(A, B)
        ctx.shapes = A.array.shape, B.array.shape
        ctx.set_materialize_grads(False)
        singular_values = Tensor._make(S)
        ctx.mark_non_differentiable(singular_values)
        return X.astype(A.array.dtype, copy=False), keep.sum(axis=-1).astype(_dtype.int64.numpy), singular_values

    @staticmethod
    def backward(ctx, grad, grad_rank, grad_singular_values):
        A, B = ctx.saved_tensors
        shape_A, shape_B = ctx.shapes
        P = Pinv.apply(A, None, None, False)
        gA = pinv_backward(grad @ B.mT, P, A) if ctx.needs_input_grad[0] else None
        gB = P.mT @ grad if ctx.needs_input_grad[1] else None
        gA = gA.sum_to_size(shape_A) if gA is not None and tuple(gA.shape) != shape_A else gA
        gB = gB.sum_to_size(shape_B) if gB is not None and tuple(gB.shape) != shape_B else gB
        return gA, gB, None


# ----------------------------------------------------------------------------- public functions
def pinv(A, *, atol=None, rtol=None, hermitian=False, rcond=None):
    """The pseudo-inverse of each matrix in A: (..., m, n) -> (..., n, m). ``rcond`` is the old name of rtol."""
    check_matrix(A, "linalg.pinv")
    rtol = rcond if rtol is None else rtol
    if hermitian and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.pinv(hermitian=True): A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    return Pinv.apply(A, atol, rtol, hermitian)


def matrix_rank(A, *, atol=None, rtol=None, hermitian=False, tol=None):
    """The number of singular values (|eigenvalues| if hermitian) above max(atol, rtol * largest)."""
    check_matrix(A, "linalg.matrix_rank")
    atol = tol if atol is None else atol
    xp = array_module(A.array)
    m, n = A.shape[-2:]
    if hermitian:
        values = xp.abs(lapack(lambda: xp.linalg.eigvalsh(A.array), [A.array],
                               convergence_message("linalg.matrix_rank")))
    else:
        values = lapack(lambda: xp.linalg.svd(A.array, compute_uv=False), [A.array],
                        convergence_message("linalg.matrix_rank"))
    rank = (values > _tolerance(values, m, n, atol, rtol, xp)).sum(axis=-1)
    return Tensor._make(rank.astype(_dtype.int64.numpy))


def lstsq(A, B, rcond=None, *, driver=None):
    """Least-squares solution X of A X ~ B, with torch's (solution, residuals, rank, singular_values).

    As torch on the CPU: ``driver`` is one of 'gelsy' (default), 'gels' (QR, full rank assumed),
    'gelsd', 'gelss' (SVD). ``rank`` is given except for 'gels'; ``singular_values`` only for
    'gelsd'/'gelss'; ``residuals`` (the squared norm of each column of A X - B) when m > n, every
    matrix has full rank and the driver is not 'gelsy'. Empty tensors stand for what is not given.
    All drivers compute the minimum-norm solution through the SVD here.
    """
    driver = "gelsy" if driver is None else driver
    if driver not in DRIVERS:
        raise RuntimeError(f"torch.linalg.lstsq: parameter `driver` should be one of ({', '.join(DRIVERS)}), "
                           f"got {driver!r}")
    check_matrix(A, "torch.linalg.lstsq")
    check_same_dtype(A, B, "torch.linalg.lstsq")
    vector = B.ndim == A.ndim - 1
    rhs = B.unsqueeze(-1) if vector else B
    if rhs.shape[-2] != A.shape[-2]:
        raise RuntimeError(f"torch.linalg.lstsq: input.size(-2) should match other.size(-2): A has shape "
                           f"{list(A.shape)} ({A.shape[-2]} equations), B has shape {list(B.shape)}")
    broadcast_shapes(A.shape[:-2], rhs.shape[:-2])
    m, n = A.shape[-2:]
    X, rank, singular_values = LstsqSolution.apply(A, rhs, rcond)
    xp = array_module(A.array)
    empty = Tensor._make(xp.zeros((0,), dtype=xp.finfo(A.array.dtype).dtype))  # real, also for complex A
    real = X.abs() if X.is_complex() else X  # (residuals are real: squared moduli)
    residuals = real.reshape(-1).narrow(0, 0, 0)  # empty, but on X's graph (it requires grad in torch too)
    if m > n and driver != "gelsy" and (driver == "gels" or bool((rank.array == n).all())):
        error = A @ X - rhs
        residuals = ((error.abs() if error.is_complex() else error) ** 2).sum(-2)  # (..., k); k = 1 for a vector B
    return LstsqResult(X.squeeze(-1) if vector else X, residuals,
                       rank if driver != "gels" else Tensor._make(rank.array.reshape(-1)[:0]),
                       singular_values if driver in ("gelsd", "gelss") else empty)
