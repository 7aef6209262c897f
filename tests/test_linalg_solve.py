"""minitorch.linalg square systems against torch: inv, det, slogdet, solve (values, gradients, errors)."""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from oracle import check, gradcheck, raises

LinAlgError = minitorch.linalg.LinAlgError
batches = st.lists(st.integers(1, 3), min_size=0, max_size=2).map(tuple)


def well_conditioned(shape, dtype=np.float64, seed=0):
    """Random square matrices with a dominant diagonal (so float32 results agree closely)."""
    rng = np.random.default_rng(seed)
    n = shape[-1]
    return (rng.uniform(-1, 1, shape) + 2 * n ** 0.5 * np.eye(n)).astype(dtype)


def random(shape, dtype=np.float64, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


F32 = dict(atol=1e-4, rtol=1e-4)


@given(batch=batches, n=st.integers(1, 4), dtype=st.sampled_from([np.float64, np.float32]))
def test_inv_det_slogdet_match_torch(batch, n, dtype):
    A = well_conditioned(batch + (n, n), dtype)
    tol = F32 if dtype == np.float32 else {}
    check(lambda t, a: t.linalg.inv(a), A, **tol)
    check(lambda t, a: t.linalg.det(a), A, **tol)
    check(lambda t, a: tuple(t.linalg.slogdet(a)), A, **tol)


def test_det_of_a_general_matrix_and_negative_determinant():
    A = random((3, 4, 4))
    check(lambda t, a: t.linalg.det(a), A)
    check(lambda t, a: t.linalg.slogdet(a).logabsdet, A)
    check(lambda t, a: t.logdet(a @ a.mT + t.eye(4, dtype=t.float64)), A)


def test_det_gradient_of_a_singular_matrix_is_its_cofactor_matrix():
    """torch 2.x returns zeros here (a known gap, pytorch issue 80761); the cofactor matrix is the derivative."""
    A = minitorch.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=minitorch.float64, requires_grad=True)
    minitorch.linalg.det(A).backward()
    np.testing.assert_allclose(A.grad.numpy(), [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)
    singular = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 5.0]])
    gradcheck(lambda t, a: t.linalg.det(a), np.stack([singular, well_conditioned((3, 3))]))


@given(batch=batches, n=st.integers(1, 4), k=st.integers(1, 3), dtype=st.sampled_from([np.float64, np.float32]))
def test_solve_matches_torch(batch, n, k, dtype):
    A, B = well_conditioned(batch + (n, n), dtype), random(batch + (n, k), dtype)
    tol = F32 if dtype == np.float32 else {}
    check(lambda t, a, b: t.linalg.solve(a, b), A, B, **tol)
    check(lambda t, a, b: t.linalg.solve(a, b), A, random(batch + (n,), dtype), **tol)  # a batch of vectors
    check(lambda t, a, b: t.linalg.solve(a, b, left=False), A, random(batch + (k, n), dtype), **tol)


def test_solve_broadcasts_batch_dims_and_sums_their_gradients():
    A = well_conditioned((2, 1, 3, 3))
    check(lambda t, a, b: t.linalg.solve(a, b), A, random((4, 3, 2)))
    check(lambda t, a, b: t.linalg.solve(a, b), well_conditioned((3, 3)), random((5, 3, 2)))
    check(lambda t, a, b: t.linalg.solve(a, b), A, random((3,)))


def test_gradcheck_square_systems():
    A = well_conditioned((2, 3, 3))
    gradcheck(lambda t, a: t.linalg.inv(a), A)
    gradcheck(lambda t, a: t.linalg.det(a), random((2, 3, 3)))
    gradcheck(lambda t, a: t.linalg.slogdet(a).logabsdet, random((3, 3)))
    gradcheck(lambda t, a, b: t.linalg.solve(a, b), A, random((2, 3, 2)))
    gradcheck(lambda t, a, b: t.linalg.solve(a, b, left=False), A, random((2, 2, 3)))


def test_second_derivatives_of_inv_solve_det():
    A = minitorch.tensor(well_conditioned((3, 3)), requires_grad=True)
    B = minitorch.tensor(random((3, 2)), requires_grad=True)
    for fn in (minitorch.linalg.inv, minitorch.linalg.det, lambda a: minitorch.linalg.solve(a, B)):
        assert minitorch.autograd.gradgradcheck(fn, (A,))


def test_methods_and_namespace_aliases():
    A = well_conditioned((3, 3))
    check(lambda t, a: a.inverse(), A)
    check(lambda t, a: t.det(a) + a.det(), A)
    check(lambda t, a: a.logdet(), A)


# ----------------------------------------------------------------------------- bad input
def test_non_square_and_non_float_input_raise_runtime_error_naming_the_shape():
    A = minitorch.zeros(2, 3)
    for fn, name in ((minitorch.linalg.inv, "linalg.inv"), (minitorch.linalg.det, "linalg.det"),
                     (minitorch.linalg.slogdet, "linalg.slogdet")):
        with raises(RuntimeError, name, "square matrices", "2 by 3"):
            fn(A)
    with raises(RuntimeError, "linalg.inv", "floating point", "int64"):
        minitorch.linalg.inv(minitorch.zeros(2, 2, dtype=minitorch.int64))
    with raises(RuntimeError, "at least 2 dimensions"):
        minitorch.linalg.det(minitorch.zeros(3))


def test_singular_inv_raises_linalg_error_with_torchs_message():
    with raises(LinAlgError, "linalg.inv: The diagonal element 2 is zero", "singular"):
        minitorch.linalg.inv(minitorch.tensor([[1.0, 2.0], [2.0, 4.0]]))
    batch = minitorch.stack([minitorch.eye(3), minitorch.zeros(3, 3)])
    with raises(LinAlgError, "(Batch element 1): The diagonal element 1 is zero"):
        minitorch.linalg.inv(batch)
    with pytest.raises(torch.linalg.LinAlgError, match="Batch element 1"):
        torch.linalg.inv(torch.stack([torch.eye(3), torch.zeros(3, 3)]))


def test_linalg_error_is_a_runtime_error_and_numpys_never_escapes():
    assert issubclass(LinAlgError, RuntimeError)
    with pytest.raises(LinAlgError) as info:
        minitorch.linalg.solve(minitorch.zeros(3, 3), minitorch.ones(3, 1))
    assert not isinstance(info.value, np.linalg.LinAlgError)
    assert "singular" in str(info.value)


def test_solve_shape_mismatch_names_both_shapes():
    with raises(RuntimeError, "linalg.solve: Incompatible shapes of A and B", "3x3 and 2x1"):
        minitorch.linalg.solve(minitorch.eye(3), minitorch.zeros(2, 1))
    with raises(RuntimeError, "same dtype", "float32", "float64"):
        minitorch.linalg.solve(minitorch.eye(3), minitorch.zeros(3, 1, dtype=minitorch.float64))
    with raises(RuntimeError, "size"):
        minitorch.linalg.solve(minitorch.zeros(2, 3, 3) + minitorch.eye(3), minitorch.zeros(4, 3, 1))
