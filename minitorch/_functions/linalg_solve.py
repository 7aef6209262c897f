"""Square systems: det, slogdet, inv and solve, with their gradients.

All four rest on the differential of the inverse, d(A^{-1}) = -A^{-1} dA A^{-1}, and on
Jacobi's formula d(det A) = det(A) tr(A^{-1} dA). With L a loss and G = dL/d(output):

    inv:     Y = A^{-1}            dL/dA = -Y^T G Y^T
    solve:   X = A^{-1} B          dL/dB = A^{-T} G,   dL/dA = -(dL/dB) X^T
    det:     d = det A             dL/dA = G d A^{-T}           (the cofactor matrix times G)
    slogdet: l = log|det A|        dL/dA = G A^{-T}

Reference: M. Giles, "An extended collection of matrix derivative results for forward and reverse
mode algorithmic differentiation" (2008), sections 2.2.1-2.2.3; torch's FunctionsManual.cpp
(linalg_det_backward, slogdet_backward, linalg_solve_backward). Every backward is written with
Tensor ops (inv, solve, matmul), so it is itself differentiable.
"""
import collections

from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from ._operands import broadcast_shapes
from .linalg_checks import check_matrix, check_same_dtype, lapack, singular_message, solver_singular_message
from .reduce import _product_of_others


class Inv(Function):
    """Y = A^{-1}.   dL/dA = -Y^T (dL/dY) Y^T   (Giles 2008, 2.2.3)."""

    @staticmethod
    def forward(ctx, A):
        xp = array_module(A.array)
        Y = Tensor._make(lapack(lambda: xp.linalg.inv(A.array), [A.array], singular_message("linalg.inv")))
        ctx.save_for_backward(Y)
        return Y

    @staticmethod
    def backward(ctx, grad):
        Y, = ctx.saved_tensors
        return -(Y.mT @ grad @ Y.mT)


class Solve(Function):
    """X = A^{-1} B for A: (..., n, n) and B: (..., n, k), batch dims broadcast.
    dL/dB = A^{-T} (dL/dX) (one more solve, with the transpose),  dL/dA = -(dL/dB) X^T
    (Giles 2008, 2.2.3); each summed over the batch dims it was broadcast along."""

    @staticmethod
    def forward(ctx, A, B):
        xp = array_module(A.array)
        X = Tensor._make(lapack(lambda: xp.linalg.solve(A.array, B.array), [A.array, B.array],
                                solver_singular_message("linalg.solve")))
        ctx.save_for_backward(A, X)
        ctx.shapes = A.array.shape, B.array.shape
        return X

    @staticmethod
    def backward(ctx, grad):
        A, X = ctx.saved_tensors
        shape_A, shape_B = ctx.shapes
        gB = Solve.apply(A.mT, grad)
        gA = _summed_to(-(gB @ X.mT), shape_A) if ctx.needs_input_grad[0] else None
        return gA, _summed_to(gB, shape_B)


def _summed_to(grad, shape):
    """Sum a gradient over the batch dims its input was broadcast along."""
    return grad.sum_to_size(shape) if tuple(grad.shape) != shape else grad


class Det(Function):
    """d = det A.   dL/dA = G d A^{-T}  (Jacobi's formula; Giles 2008, 2.2.2).

    For a singular A, d A^{-T} is still defined: it is the cofactor matrix. With the SVD
    A = U S V^T it equals det(U) det(V) U diag(prod_{j != i} s_j) V^T, which needs no inverse
    (first derivatives only). Here minitorch differs from torch 2.x on purpose: for an exactly
    singular A torch returns zeros (its FunctionsManual.cpp leaves the singular case as a TODO, see
    pytorch issue 80761), while the cofactor matrix is the true derivative (gradcheck agrees).
    """

    @staticmethod
    def forward(ctx, A):
        d = Tensor._make(array_module(A.array).linalg.det(A.array))
        ctx.save_for_backward(A, d)
        return d

    @staticmethod
    def backward(ctx, grad):
        A, d = ctx.saved_tensors
        scale = grad.unsqueeze(-1).unsqueeze(-1)
        if bool((d != 0).all()):
            return scale * d.unsqueeze(-1).unsqueeze(-1) * Inv.apply(A).mT
        return scale * _cofactor_by_svd(A)


def _cofactor_by_svd(A):
    """The cofactor matrix of A (det A times A^{-T} when A is invertible), from the SVD of A."""
    xp = array_module(A.array)
    U, S, Vh = xp.linalg.svd(A.array)
    sign = xp.linalg.det(U) * xp.linalg.det(Vh)
    others = _product_of_others(Tensor._make(S), -1).array
    return Tensor._make(sign[..., None, None] * (U * others[..., None, :]) @ Vh)


class SlogdetResult(collections.namedtuple("SlogdetResult", ["sign", "logabsdet"])):
    """``torch.return_types.linalg_slogdet``: (sign, logabsdet) with det A = sign * exp(logabsdet)."""


class Slogdet(Function):
    """(sign, l) with det A = sign e^l and l = log |det A|.   dL/dA = (dL/dl) A^{-T}
    (Giles 2008, 2.2.2: d log|det A| = tr(A^{-1} dA)). The sign is piecewise constant: its gradient
    is zero (as in torch, it still requires grad for a real A)."""

    @staticmethod
    def forward(ctx, A):
        sign, logabsdet = array_module(A.array).linalg.slogdet(A.array)
        ctx.save_for_backward(A)
        return sign, logabsdet

    @staticmethod
    def backward(ctx, grad_sign, grad_logabsdet):
        A, = ctx.saved_tensors
        return grad_logabsdet.unsqueeze(-1).unsqueeze(-1) * Inv.apply(A).mT


# ----------------------------------------------------------------------------- public functions
def inv(A):
    """The inverse of each square matrix in A: (..., n, n). LinAlgError when one is singular."""
    check_matrix(A, "linalg.inv", square=True)
    return Inv.apply(A)


def det(A):
    """The determinant of each square matrix in A: (..., n, n) -> (...)."""
    check_matrix(A, "linalg.det", square=True)
    return Det.apply(A)


def slogdet(A):
    """(sign, log|det A|) of each square matrix in A, stable where det itself would under/overflow."""
    check_matrix(A, "linalg.slogdet", square=True)
    return SlogdetResult(*Slogdet.apply(A))


def logdet(input):
    """log(det A): NaN where det A < 0 and -inf where it is 0, as torch.logdet."""
    sign, logabsdet = slogdet(input)
    return logabsdet.masked_fill(sign < 0, float("nan"))


def _is_vector_rhs(A, B):
    """torch's rule: B is a (batch of) vector(s) when it is 1-D or has A's shape without the last dim."""
    return B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


def solve(A, B, *, left=True):
    """X with A X = B (or X A = B when ``left=False``), A: (..., n, n), B: (..., n, k) or (..., n)."""
    check_matrix(A, "linalg.solve", square=True)
    check_same_dtype(A, B, "linalg.solve")
    if _is_vector_rhs(A, B):
        A = A if left else A.mT
        _check_rhs(A, B, B.shape[-1], str(B.shape[-1]))
        broadcast_shapes(A.shape[:-2], B.shape[:-1])
        return Solve.apply(A, B.unsqueeze(-1)).squeeze(-1)
    if B.ndim < 2:
        raise RuntimeError(f"linalg.solve: B must be a vector or a matrix, got shape {list(B.shape)}")
    if not left:
        return solve(A.mT, B.mT).mT
    _check_rhs(A, B, B.shape[-2], "x".join(str(s) for s in B.shape[-2:]))
    broadcast_shapes(A.shape[:-2], B.shape[:-2])
    return Solve.apply(A, B)


def _check_rhs(A, B, rows, shown):
    n = A.shape[-1]
    if rows != n:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B ({n}x{n} and "
                           f"{shown}): B needs {n} rows, one per equation (A has shape {list(A.shape)}, "
                           f"B has shape {list(B.shape)})")


inverse = inv  # torch.inverse / Tensor.inverse
