"""Decompositions against torch: cholesky, qr, svd/svdvals, eigh/eigvalsh, eig/eigvals.

Singular vectors and eigenvectors are defined only up to sign, so they are compared through
gauge-invariant quantities: reconstructions, projectors U U^T, |U^T U_torch|, and losses whose
gradient does not depend on the sign choice.
"""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from oracle import check, gradcheck, raises

batches = st.lists(st.integers(1, 3), min_size=0, max_size=2).map(tuple)
dtypes = st.sampled_from([np.float64, np.float32])
F32 = dict(atol=2e-4, rtol=2e-4)


def random(shape, dtype=np.float64, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def spd(shape, dtype=np.float64, seed=0):
    """Symmetric positive-definite matrices."""
    a = random(shape, np.float64, seed)
    return (a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)


def symmetric(shape, dtype=np.float64, seed=0):
    a = random(shape, np.float64, seed)
    return ((a + np.swapaxes(a, -1, -2)) / 2).astype(dtype)


def tol(dtype):
    return F32 if dtype == np.float32 else {}


# ----------------------------------------------------------------------------- cholesky
@given(batch=batches, n=st.integers(1, 4), dtype=dtypes, upper=st.booleans())
def test_cholesky_matches_torch(batch, n, dtype, upper):
    check(lambda t, a: t.linalg.cholesky(a, upper=upper), spd(batch + (n, n), dtype), **tol(dtype))


def test_cholesky_gradcheck_over_symmetric_inputs_and_second_derivative():
    gradcheck(lambda t, a: t.linalg.cholesky((a + a.mT) / 2), spd((2, 3, 3)))
    gradcheck(lambda t, a: t.linalg.cholesky((a + a.mT) / 2, upper=True), spd((3, 3)))
    A = minitorch.tensor(spd((3, 3)), requires_grad=True)
    assert minitorch.autograd.gradgradcheck(lambda a: minitorch.linalg.cholesky((a + a.mT) / 2), (A,))


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_reads_the_triangle_torch_reads(upper):
    """upper=True reads A's upper triangle (A = U^T U), upper=False the lower one, as torch: with a
    non-symmetric A only that triangle counts, in the values and in the (symmetrised) gradient."""
    A = spd((2, 3, 3)) + np.triu(random((3, 3), seed=1), 1) / 2  # the upper triangle no longer mirrors the lower
    check(lambda t, a: t.linalg.cholesky(a, upper=upper), A)


def test_cholesky_upper_fails_where_the_upper_triangle_is_not_positive_definite_as_torch():
    A = [[4.0, 100.0], [1.0, 3.0]]  # lower triangle: positive-definite; upper: not
    check(lambda t, a: t.linalg.cholesky(a), np.array(A))
    with pytest.raises(RuntimeError):
        torch.linalg.cholesky(torch.tensor(A), upper=True)
    with raises(minitorch.linalg.LinAlgError, "linalg.cholesky", "leading minor of order 2 is not positive-definite"):
        minitorch.linalg.cholesky(minitorch.tensor(A), upper=True)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_of_complex_hermitian_matrices_matches_torch(dtype, upper):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((2, 3, 3)) + 1j * rng.standard_normal((2, 3, 3))
    A = (a @ np.swapaxes(a, -1, -2).conj() + 3 * np.eye(3)).astype(dtype)
    tolerance = 1e-10 if dtype == np.complex128 else 1e-4
    check(lambda t, x: t.linalg.cholesky(x, upper=upper), A, grad=False, atol=tolerance, rtol=tolerance)


def test_cholesky_not_positive_definite_raises_naming_the_minor_and_batch_element():
    with raises(minitorch.linalg.LinAlgError, "linalg.cholesky", "leading minor of order 2 is not positive-definite"):
        minitorch.linalg.cholesky(minitorch.tensor([[1.0, 2.0], [2.0, 1.0]]))
    batch = minitorch.stack([minitorch.eye(2), -minitorch.eye(2)])
    with raises(minitorch.linalg.LinAlgError, "(Batch element 1)", "order 1"):
        minitorch.linalg.cholesky(batch)
    with raises(RuntimeError, "square matrices", "2 by 3"):
        minitorch.linalg.cholesky(minitorch.zeros(2, 3))


# ----------------------------------------------------------------------------- qr
@given(batch=batches, m=st.integers(1, 5), n=st.integers(1, 5), dtype=dtypes)
def test_qr_matches_torch_values_and_gradients(batch, m, n, dtype):
    A = random(batch + (m, n), dtype)
    check(lambda t, a: tuple(t.linalg.qr(a)), A, **tol(dtype))
    if m <= n:
        check(lambda t, a: tuple(t.linalg.qr(a, mode="complete")), A, **tol(dtype))


def test_qr_modes_and_gradcheck():
    for shape in ((4, 3), (3, 3), (2, 3, 5)):
        gradcheck(lambda t, a: tuple(t.linalg.qr(a)), random(shape))
    check(lambda t, a: t.linalg.qr(a, mode="complete").Q, random((5, 3)), grad=False)
    check(lambda t, a: t.linalg.qr(a, mode="r").R, random((5, 3)), grad=False)
    assert minitorch.linalg.qr(minitorch.randn(4, 2), mode="r").Q.shape == (0,)


def test_qr_backward_errors_match_torch():
    x = minitorch.randn(4, 2, requires_grad=True)
    with raises(RuntimeError, "depends on Q, which is not computed when mode='r'"):
        minitorch.linalg.qr(x, mode="r").R.sum().backward()
    with raises(RuntimeError, "not differentiable when mode='complete' and nrows > ncols"):
        minitorch.linalg.qr(x, mode="complete").Q.sum().backward()
    with raises(RuntimeError, "unrecognized mode 'foo'"):
        minitorch.linalg.qr(x, mode="foo")


# ----------------------------------------------------------------------------- svd
def _svd_invariants(t, a, full_matrices=False):
    """Quantities unchanged when a singular pair (u_i, v_i) flips sign: S, U S Vh, U_1 Vh_1, V V^T."""
    U, S, Vh = t.linalg.svd(a, full_matrices=full_matrices)
    k = S.shape[-1]
    U, Vh = U[..., :, :k], Vh[..., :k, :]
    return S, (U * S.unsqueeze(-2)) @ Vh, U[..., :, :1] @ Vh[..., :1, :], Vh.mT @ Vh


@given(batch=batches, m=st.integers(1, 4), n=st.integers(1, 4), dtype=dtypes, full=st.booleans())
def test_svd_gauge_invariant_values_and_gradients_match_torch(batch, m, n, dtype, full):
    check(lambda t, a: _svd_invariants(t, a, full), random(batch + (m, n), dtype), **tol(dtype))


def test_svd_vectors_agree_with_torch_up_to_sign():
    a = random((3, 5, 4))
    U, S, Vh = minitorch.linalg.svd(minitorch.tensor(a), full_matrices=False)
    tU, tS, tVh = torch.linalg.svd(torch.tensor(a), full_matrices=False)
    overlap = np.abs(np.swapaxes(U.numpy(), -1, -2) @ tU.numpy())
    np.testing.assert_allclose(overlap, np.broadcast_to(np.eye(4), overlap.shape), atol=1e-10)
    assert minitorch.linalg.svd(minitorch.randn(5, 3)).U.shape == (5, 5)


def test_svdvals_and_gradcheck():
    check(lambda t, a: t.linalg.svdvals(a), random((2, 3, 5)))
    check(lambda t, a: t.linalg.svdvals(a), random((4, 2)), grad=False)
    for shape in ((4, 3), (3, 4), (2, 3, 3)):
        gradcheck(lambda t, a: _svd_invariants(t, a), random(shape))


def test_svdvals_gradient_is_defined_for_repeated_singular_values():
    """As in torch, a loss of the values alone has a gradient even where values repeat (here: I)."""
    check(lambda t, a: t.linalg.svdvals(a), np.eye(3))
    check(lambda t, a: t.linalg.matrix_norm(a, "nuc"), np.eye(3))


# ----------------------------------------------------------------------------- eigh
def _eigh_invariants(t, a, UPLO="L"):
    L, V = t.linalg.eigh(a, UPLO=UPLO)
    return L, (V * L.exp().unsqueeze(-2)) @ V.mT, V[..., :, :1] @ V[..., :, :1].mT


@given(batch=batches, n=st.integers(1, 4), dtype=dtypes, UPLO=st.sampled_from(["L", "U"]))
def test_eigh_gauge_invariant_values_and_gradients_match_torch(batch, n, dtype, UPLO):
    A = symmetric(batch + (n, n), dtype)
    check(lambda t, a: _eigh_invariants(t, a, UPLO), A, **tol(dtype))
    check(lambda t, a: t.linalg.eigvalsh(a, UPLO=UPLO), A, **tol(dtype))


def test_eigh_reads_only_one_triangle():
    a = random((3, 3))
    for UPLO in ("L", "U"):
        check(lambda t, x: t.linalg.eigvalsh(x, UPLO=UPLO), a, grad=False)


def test_eigh_gradcheck_and_repeated_eigenvalues():
    gradcheck(lambda t, a: _eigh_invariants(t, (a + a.mT) / 2), random((2, 3, 3)))
    gradcheck(lambda t, a: t.linalg.eigvalsh((a + a.mT) / 2), random((3, 3)))
    check(lambda t, a: t.linalg.eigvalsh(a), np.eye(3))  # repeated values: still defined
    with raises(RuntimeError, "UPLO", "'L' or 'U'"):
        minitorch.linalg.eigh(minitorch.eye(3), UPLO="X")
    with raises(RuntimeError, "linalg.eigh", "square matrices"):
        minitorch.linalg.eigh(minitorch.zeros(2, 3))


# ----------------------------------------------------------------------------- eig
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_eig_values_match_torch_as_complex(dtype):
    a = random((2, 4, 4), dtype)
    L, V = minitorch.linalg.eig(minitorch.tensor(a))
    tL, tV = torch.linalg.eig(torch.tensor(a))
    assert str(L.dtype) == str(tL.dtype) and str(V.dtype) == str(tV.dtype)
    order, torch_order = np.argsort(L.numpy(), axis=-1), np.argsort(tL.numpy(), axis=-1)
    np.testing.assert_allclose(np.take_along_axis(L.numpy(), order, -1),
                               np.take_along_axis(tL.numpy(), torch_order, -1), atol=1e-4)
    np.testing.assert_allclose(a.astype(L.numpy().dtype) @ V.numpy(), V.numpy() * L.numpy()[..., None, :], atol=1e-4)
    np.testing.assert_allclose(np.sort_complex(minitorch.linalg.eigvals(minitorch.tensor(a[0])).numpy()),
                               np.sort_complex(torch.linalg.eigvals(torch.tensor(a[0])).numpy()), atol=1e-4)


def test_eig_backward_raises_a_clear_error():
    x = minitorch.randn(3, 3, requires_grad=True)
    values = minitorch.linalg.eigvals(x)  # the values themselves are computed, as in torch
    with raises(NotImplementedError, "does not differentiate complex tensors", "SumBackward0"):
        values.sum().backward()
