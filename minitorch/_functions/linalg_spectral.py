"""Spectral decompositions: svd/svdvals, eigh/eigvalsh (symmetric), eig/eigvals (general).

Gradients (real case). With E_ij = s_j^2 - s_i^2 (svd) or lambda_j - lambda_i (eigh), and the
diagonal of E set to 1 (it is never used: the matrices divided by E have a zero diagonal):

    eigh  A = V diag(l) V^T:
        dL/dA = V (diag(dL/dl) + skew(V^T dL/dV) / E) V^T,      skew(X) = (X - X^T) / 2
    svd   A = U diag(s) V^T (k = min(m, n) columns):
        J = (skew2(U^T dL/dU) diag(s) + diag(s) skew2(V^T dL/dV)) / E + diag(dL/ds),  skew2(X) = X - X^T
        dL/dA = U J V^T  + (I - U U^T) (dL/dU) diag(1/s) V^T          (only when m > n)
                         + U diag(1/s) (dL/dV)^T (I - V V^T)          (only when m < n)

References: M. Giles (2008), section 3.1 (eigh); J. Townsend, "Differentiating the singular value
decomposition" (2016); M. Seeger et al., "Auto-differentiating linear algebra" (2017); torch's
FunctionsManual.cpp (svd_backward, linalg_eig_backward).

Ill-defined cases, as in torch: eigenvectors and singular vectors are only defined up to sign
(and, for a repeated eigenvalue or singular value, up to a rotation of their subspace). When the
loss depends only on the values (eigvalsh, svdvals, matrix norms), the gradient uses only the
diag(dL/ds) term and is always well defined. When it depends on the vectors and two values are
equal, E has a zero off the diagonal and the gradient is inf/NaN: torch documents that such a
gradient "will be numerically unstable"/not defined, and returns the same. For svd with
``full_matrices=True`` the extra columns of U (rows of V^T) are arbitrary bases: their gradient
is ignored, as torch does. A loss that changes when a vector's sign flips has no well-defined
gradient; torch does not check that in the real case, and neither does minitorch.
"""
import collections

from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from .linalg_checks import check_matrix, convergence_message, lapack
from .linalg_structure import diag_embed

_COMPLEX_OF = {"float32": "complex64", "float64": "complex128"}


class SVDResult(collections.namedtuple("SVDResult", ["U", "S", "Vh"])):
    """``torch.return_types.linalg_svd``: A = U diag(S) Vh."""


class EighResult(collections.namedtuple("EighResult", ["eigenvalues", "eigenvectors"])):
    """``torch.return_types.linalg_eigh``: A = V diag(L) V^T, eigenvalues in ascending order."""


class EigResult(collections.namedtuple("EigResult", ["eigenvalues", "eigenvectors"])):
    """``torch.return_types.linalg_eig``: A V = V diag(L), complex."""


def _gap_matrix(values):
    """E_ij = values_j - values_i, with 1 on the diagonal (the numerators there are zero)."""
    gaps = values.unsqueeze(-2) - values.unsqueeze(-1)
    return gaps + diag_embed(values * 0 + 1)


class SVD(Function):
    """(U, S, Vh) = svd(A).  Backward: see the module docstring (torch's svd_backward)."""

    @staticmethod
    def forward(ctx, A, full_matrices):
        xp = array_module(A.array)
        U, S, Vh = lapack(lambda: xp.linalg.svd(A.array, full_matrices=full_matrices), [A.array],
                          convergence_message("linalg.svd"))
        U, S, Vh = Tensor._make(U), Tensor._make(S), Tensor._make(Vh)
        ctx.save_for_backward(U, S, Vh)
        ctx.set_materialize_grads(False)
        return U, S, Vh

    @staticmethod
    def backward(ctx, gU, gS, gVh):
        U, S, Vh = ctx.saved_tensors
        k = S.shape[-1]
        if U.shape[-1] != k:  # full_matrices: the extra columns are arbitrary, their gradient is ignored
            U, gU = U.narrow(-1, 0, k), None if gU is None else gU.narrow(-1, 0, k)
        if Vh.shape[-2] != k:
            Vh, gVh = Vh.narrow(-2, 0, k), None if gVh is None else gVh.narrow(-2, 0, k)
        return svd_backward(gU, gS, gVh, U, S, Vh), None


def svd_backward(gU, gS, gVh, U, S, Vh):
    """dL/dA for the reduced SVD A = U diag(S) Vh (module docstring)."""
    m, n = U.shape[-2], Vh.shape[-1]
    if gU is None and gVh is None:  # only the values are used: U diag(dL/ds) V^T, always defined
        return (U * gS.unsqueeze(-2)) @ Vh
    inner = 0
    if gU is not None:
        UtgU = U.mT @ gU
        inner = (UtgU - UtgU.mT) * S.unsqueeze(-2)
    if gVh is not None:
        VtgV = Vh @ gVh.mT
        inner = inner + S.unsqueeze(-1) * (VtgV - VtgV.mT)
    inner = inner / _gap_matrix(S * S)
    if gS is not None:
        inner = inner + diag_embed(gS)
    if m > n and gU is not None:
        gU_over_s = gU / S.unsqueeze(-2)
        return (U @ inner + gU_over_s - U @ (U.mT @ gU_over_s)) @ Vh
    if m < n and gVh is not None:
        gVh_over_s = gVh / S.unsqueeze(-1)
        return U @ (inner @ Vh + gVh_over_s - (gVh_over_s @ Vh.mT) @ Vh)
    return U @ inner @ Vh


class Eigh(Function):
    """(L, V) = eigh(A) for symmetric A (only the ``UPLO`` triangle is read), L ascending.
    dL/dA = V (diag(dL/dL) + skew(V^T dL/dV) / E) V^T (module docstring; Giles 2008, 3.1)."""

    @staticmethod
    def forward(ctx, A, UPLO):
        xp = array_module(A.array)
        L, V = (Tensor._make(a) for a in lapack(lambda: xp.linalg.eigh(A.array, UPLO=UPLO), [A.array],
                                                 convergence_message("linalg.eigh")))
        ctx.save_for_backward(L, V)
        ctx.set_materialize_grads(False)
        return L, V

    @staticmethod
    def backward(ctx, gL, gV):
        L, V = ctx.saved_tensors
        if gV is None:
            return (V * gL.unsqueeze(-2)) @ V.mT, None
        VtgV = V.mT @ gV
        inner = 0.5 * (VtgV - VtgV.mT) / _gap_matrix(L)
        if gL is not None:
            inner = inner + diag_embed(gL)
        return V @ inner @ V.mT, None


class Eig(Function):
    """(L, V) = eig(A): complex eigenvalues and unit-norm eigenvectors of a general square A.
    Values only: its results are complex, and minitorch's engine refuses to differentiate complex
    tensors (see eig's docstring)."""

    @staticmethod
    def forward(ctx, A):
        xp = array_module(A.array)
        complex_dtype = _COMPLEX_OF.get(A.array.dtype.name, A.array.dtype.name)
        L, V = lapack(lambda: xp.linalg.eig(A.array), [A.array], convergence_message("linalg.eig"))
        return L.astype(complex_dtype), V.astype(complex_dtype)


# ----------------------------------------------------------------------------- public functions
def svd(A, full_matrices=True, *, driver=None):
    """(U, S, Vh) with A = U diag(S) Vh; S descending. ``full_matrices=False`` gives the reduced form."""
    check_matrix(A, "linalg.svd")
    return SVDResult(*SVD.apply(A, full_matrices))


def svdvals(A, *, driver=None):
    """The singular values of A, descending (differentiable wherever A is)."""
    check_matrix(A, "linalg.svdvals")
    if A.requires_grad:
        return SVD.apply(A, False)[1]
    xp = array_module(A.array)
    return Tensor._make(lapack(lambda: xp.linalg.svd(A.array, compute_uv=False), [A.array],
                               convergence_message("linalg.svdvals")))


def _check_uplo(UPLO):
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")


def eigh(A, UPLO="L"):
    """(eigenvalues ascending, eigenvectors as columns) of each symmetric A; reads only the UPLO triangle."""
    check_matrix(A, "linalg.eigh", square=True)
    _check_uplo(UPLO)
    return EighResult(*Eigh.apply(A, UPLO))


def eigvalsh(A, UPLO="L"):
    """The eigenvalues of each symmetric A, ascending."""
    check_matrix(A, "linalg.eigvalsh", square=True)
    _check_uplo(UPLO)
    if A.requires_grad:
        return Eigh.apply(A, UPLO)[0]
    xp = array_module(A.array)
    return Tensor._make(lapack(lambda: xp.linalg.eigvalsh(A.array, UPLO=UPLO), [A.array],
                               convergence_message("linalg.eigvalsh")))


def eig(A):
    """(eigenvalues, eigenvectors) of a general square A, always complex (complex64 for float32 input).

    Eigenvectors have unit norm (LAPACK geev, as torch). Gradients are not supported: minitorch has no
    complex autograd, so a backward through eig raises NotImplementedError (for a symmetric matrix,
    linalg.eigh is real and differentiable). The CPU is needed, as cupy has no general eigensolver.
    """
    check_matrix(A, "linalg.eig", square=True)
    if not hasattr(array_module(A.array).linalg, "eig"):
        raise RuntimeError(f"linalg.eig: not available for {A.device} tensors (cupy has no general eigensolver); "
                           "compute it on the CPU: linalg.eig(A.cpu())")
    return EigResult(*Eig.apply(A))


def eigvals(A):
    """The (complex) eigenvalues of a general square A."""
    return eig(A)[0]
