"""linalg against torch: lstsq, pinv, matrix_rank, norms, matrix_exp/power, products and structure ops."""
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
INF = float("inf")


def random(shape, dtype=np.float64, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def tol(dtype):
    return F32 if dtype == np.float32 else {}


# ----------------------------------------------------------------------------- least squares
@given(batch=batches, m=st.integers(1, 5), n=st.integers(1, 4), k=st.integers(1, 2),
       driver=st.sampled_from([None, "gelsy", "gels", "gelsd", "gelss"]), dtype=dtypes)
def test_lstsq_matches_torch_fields_values_and_gradients(batch, m, n, k, driver, dtype):
    if driver == "gels" and m < n:
        n = m  # gels assumes full rank; the minimum-norm wide case is the other drivers'
    A, B = random(batch + (m, n), dtype), random(batch + (m, k), dtype, seed=1)
    check(lambda t, a, b: tuple(t.linalg.lstsq(a, b, driver=driver)), A, B, **tol(dtype))


def test_lstsq_vector_right_hand_side_broadcasting_and_gradcheck():
    check(lambda t, a, b: tuple(t.linalg.lstsq(a, b, driver="gelsd")), random((5, 3)), random((5,)))
    check(lambda t, a, b: t.linalg.lstsq(a, b).solution, random((2, 5, 3)), random((2, 5)))
    check(lambda t, a, b: t.linalg.lstsq(a, b).solution, random((2, 5, 3)), random((1, 5, 2)))
    gradcheck(lambda t, a, b: t.linalg.lstsq(a, b).solution, random((5, 3)), random((5, 2)))
    gradcheck(lambda t, a, b: t.linalg.lstsq(a, b).solution, random((2, 4)), random((2, 1)))


def test_lstsq_rank_deficient_gives_the_minimum_norm_solution():
    A = random((6, 2)) @ random((2, 4))  # rank 2
    check(lambda t, a, b: tuple(t.linalg.lstsq(a, b, driver="gelsd")), A, random((6, 2)), grad=False)


def test_lstsq_bad_input():
    with raises(RuntimeError, "driver", "gels, gelsy, gelsd, gelss"):
        minitorch.linalg.lstsq(minitorch.zeros(3, 2), minitorch.zeros(3, 1), driver="foo")
    with raises(RuntimeError, "input.size(-2) should match other.size(-2)", "[3, 2]", "[4, 4]"):
        minitorch.linalg.lstsq(minitorch.zeros(3, 2), minitorch.zeros(4, 4))


@given(batch=batches, m=st.integers(1, 4), n=st.integers(1, 4), dtype=dtypes)
def test_pinv_matches_torch(batch, m, n, dtype):
    check(lambda t, a: t.linalg.pinv(a), random(batch + (m, n), dtype), **tol(dtype))


def test_pinv_hermitian_tolerances_and_gradcheck():
    sym = random((3, 3)) + random((3, 3)).T
    check(lambda t, a: t.linalg.pinv((a + a.mT) / 2, hermitian=True), sym)
    low_rank = random((4, 2)) @ random((2, 4))
    check(lambda t, a: t.linalg.pinv(a, rtol=1e-6), low_rank, grad=False)
    check(lambda t, a: t.linalg.pinv(a, atol=0.5), random((4, 3)), grad=False)
    for shape in ((4, 3), (3, 4), (2, 3, 3)):
        gradcheck(lambda t, a: t.linalg.pinv(a), random(shape))


def test_matrix_rank_matches_torch():
    low_rank = random((2, 5, 2)) @ random((2, 2, 4))
    for kwargs in ({}, {"hermitian": True}, {"atol": 1.0}, {"rtol": 0.5}):
        a = low_rank @ np.swapaxes(low_rank, -1, -2) if kwargs.get("hermitian") else low_rank
        check(lambda t, x: t.linalg.matrix_rank(x, **kwargs), a, grad=False)
    check(lambda t, x: t.linalg.matrix_rank(x), np.ones((3, 3)), grad=False)


# ----------------------------------------------------------------------------- norms
@given(batch=batches, m=st.integers(1, 4), n=st.integers(1, 4), dtype=dtypes,
       ord=st.sampled_from(["fro", "nuc", 1, -1, 2, -2, INF, -INF]), keepdim=st.booleans())
def test_matrix_norm_every_ord_matches_torch(batch, m, n, dtype, ord, keepdim):
    A = random(batch + (m, n), dtype)
    check(lambda t, a: t.linalg.matrix_norm(a, ord, keepdim=keepdim), A, **tol(dtype))


def test_matrix_norm_over_other_dims_and_dtype():
    A = random((3, 4, 2))
    for ord in ("fro", "nuc", 1, 2, -INF):
        check(lambda t, a: t.linalg.matrix_norm(a, ord, dim=(0, 2), keepdim=True), A)
        check(lambda t, a: t.linalg.matrix_norm(a, ord, dim=(2, 0)), A)
    check(lambda t, a: t.linalg.matrix_norm(a, dtype=t.float64), random((3, 3), np.float32))
    gradcheck(lambda t, a: t.linalg.matrix_norm(a, "nuc"), random((3, 4)))
    gradcheck(lambda t, a: t.linalg.matrix_norm(a, 2), random((2, 3, 3)))


@pytest.mark.parametrize("ord, dim", [(None, None), (None, 1), (None, (0, 1)), (2, None), ("fro", None),
                                      ("nuc", None), (INF, None), (3, 0), (0.5, 1), (-1, (1, 0))])
def test_norm_dispatches_like_torch(ord, dim):
    check(lambda t, a: t.linalg.norm(a, ord, dim), random((3, 4)))
    if ord is None or not isinstance(ord, str):
        check(lambda t, a: t.linalg.norm(a[0], ord, None if dim is None or dim == (0, 1) or dim == (1, 0) else 0),
              random((3, 4)))
    check(lambda t, a: t.linalg.vector_norm(a, 3, dim=(0, 1), keepdim=True), random((2, 3, 4)))


def test_norm_bad_input():
    with raises(RuntimeError, "linalg.matrix_norm: Order 3 not supported"):
        minitorch.linalg.matrix_norm(minitorch.zeros(3, 3), ord=3)
    with raises(RuntimeError, "dim must be a 2-tuple. Got 0"):
        minitorch.linalg.matrix_norm(minitorch.zeros(3, 3), dim=(0,))
    with raises(RuntimeError, "at least 2 dimensions"):
        minitorch.linalg.matrix_norm(minitorch.zeros(3))
    with raises(RuntimeError, "input must be 1D or 2D. Got 3D"):
        minitorch.linalg.norm(minitorch.zeros(3, 3, 3), ord=2)
    with raises(RuntimeError, "dim must be a 2-tuple"):
        minitorch.linalg.norm(minitorch.zeros(3, 3), ord="fro", dim=0)


# ----------------------------------------------------------------------------- matrix functions
@given(batch=batches, n=st.integers(1, 4), dtype=dtypes, scale=st.sampled_from([0.1, 1.0, 4.0]))
def test_matrix_exp_matches_torch(batch, n, dtype, scale):
    check(lambda t, a: t.linalg.matrix_exp(a), scale * random(batch + (n, n), dtype),
          **(dict(atol=1e-3, rtol=1e-4) if dtype == np.float32 else dict(rtol=1e-7, atol=1e-8)))


def test_matrix_exp_gradcheck_second_derivative_and_method():
    gradcheck(lambda t, a: t.linalg.matrix_exp(a), random((2, 3, 3)))
    A = minitorch.tensor(random((2, 2)), requires_grad=True)
    assert minitorch.autograd.gradgradcheck(minitorch.linalg.matrix_exp, (A,))
    check(lambda t, a: a.matrix_exp() + t.matrix_exp(a), random((3, 3)))


@pytest.mark.parametrize("n", [0, 1, 2, 3, 6, -1, -3])
def test_matrix_power_matches_torch(n):
    A = random((2, 3, 3)) + 3 * np.eye(3)
    check(lambda t, a: t.linalg.matrix_power(a, n), A)
    check(lambda t, a: a.matrix_power(n), A[0])
    gradcheck(lambda t, a: t.linalg.matrix_power(a, n), A[0])


def test_matrix_power_zero_is_the_identity_even_with_nan_or_inf():
    A = np.array([[[np.nan, 1.0], [np.inf, 2.0]], [[-np.inf, 0.0], [3.0, np.nan]]])
    check(lambda t, a: t.linalg.matrix_power(a, 0), A)  # values I, gradient zero (torch's too)
    check(lambda t, a: t.linalg.matrix_power(a, 0), A[0].astype(np.float32))
    gradcheck(lambda t, a: t.linalg.matrix_power(a, 0), random((2, 3, 3)))


@pytest.mark.parametrize("dtype", [np.int64, np.int32])
@pytest.mark.parametrize("n", [0, 1, 2, 5])
def test_matrix_power_of_integer_matrices_matches_torch(dtype, n):
    A = np.array([[[1, 2], [3, 4]], [[0, -1], [1, 1]]], dtype=dtype)
    check(lambda t, a: t.linalg.matrix_power(a, n), A)
    check(lambda t, a: a.matrix_power(n), A[0])


def test_matrix_power_bad_input():
    with raises(RuntimeError, "linalg.matrix_power", "square matrices", "3 by 2"):
        minitorch.linalg.matrix_power(minitorch.zeros(3, 2), 2)


# ----------------------------------------------------------------------------- products
def test_cross_vecdot_multi_dot():
    check(lambda t, a, b: t.linalg.cross(a, b), random((4, 3)), random((4, 3), seed=1))
    check(lambda t, a, b: t.linalg.cross(a, b, dim=0), random((3, 2)), random((3, 1), seed=1))
    check(lambda t, a, b: t.linalg.cross(a, b), random((2, 1, 3)), random((1, 4, 3), seed=1))
    check(lambda t, a, b: t.linalg.vecdot(a, b), random((4, 3)), random((3,), seed=1))
    check(lambda t, a, b: t.linalg.vecdot(a, b, dim=0), random((3, 2)), random((3, 2), seed=1))
    mats = [random((2, 5)), random((5, 3)), random((3, 7)), random((7, 1))]
    check(lambda t, *ms: t.linalg.multi_dot(ms), *mats)
    check(lambda t, *ms: t.linalg.multi_dot(ms), random((5,)), random((5, 3)), random((3,)))
    check(lambda t, *ms: t.linalg.multi_dot(ms), random((5,)), random((5, 3)))


def test_vecdot_gradients_and_gradcheck():
    check(lambda t, a, b: t.linalg.vecdot(a, b), random((2, 1, 3)), random((4, 3), seed=1))
    gradcheck(lambda t, a, b: t.linalg.vecdot(a, b, dim=0), random((3, 2)), random((3, 1), seed=1))


def test_products_bad_input():
    with raises(RuntimeError, "linalg.cross: inputs dimension -1 must have length 3. Got 2 and 2"):
        minitorch.linalg.cross(minitorch.zeros(3, 2), minitorch.zeros(3, 2))
    with raises(RuntimeError, "linalg.cross: inputs must have the same number of dimensions"):
        minitorch.linalg.cross(minitorch.zeros(2, 3), minitorch.zeros(3))
    with raises(RuntimeError, "expected at least 2 tensors but got 1"):
        minitorch.linalg.multi_dot([minitorch.zeros(3, 2)])
    with raises(RuntimeError, "tensors 0 and 1 with shapes [3, 2] and [3, 2] cannot be multiplied"):
        minitorch.linalg.multi_dot([minitorch.zeros(3, 2), minitorch.zeros(3, 2)])


# ----------------------------------------------------------------------------- structure
@given(shape=st.lists(st.integers(1, 4), min_size=2, max_size=4).map(tuple), offset=st.integers(-3, 3),
       dtype=dtypes)
def test_diagonal_tril_triu_diag_embed_match_torch(shape, offset, dtype):
    A = random(shape, dtype)
    check(lambda t, a: t.diagonal(a, offset, 0, -1), A)
    check(lambda t, a: t.linalg.diagonal(a, offset=offset), A)
    check(lambda t, a: (t.tril(a, offset), t.triu(a, offset), a.tril(), a.triu(-1)), A)
    check(lambda t, a: t.diag_embed(a, offset, 0, -1), A)
    check(lambda t, a: a.diag_embed(offset), A)


def test_diag_trace_kron_match_torch():
    for offset in (-1, 0, 2):
        check(lambda t, a: t.diag(a, offset), random((4,)))
        check(lambda t, a: t.diag(a, offset), random((3, 4)))
    check(lambda t, a: t.trace(a) + a.trace(), random((3, 4)))
    check(lambda t, a, b: t.kron(a, b), random((2, 3)), random((4, 2), seed=1))
    check(lambda t, a, b: t.kron(a, b), random((2, 3)), random((4,), seed=1))
    check(lambda t, a, b: a.kron(b), random((2, 1, 3)), random((2, 2), seed=1))


def test_structure_ops_gradcheck_and_double_backward():
    gradcheck(lambda t, a: t.diagonal(a, 1, -1, 0), random((3, 2, 4)))
    gradcheck(lambda t, a: t.diag_embed(a, -1), random((2, 3)))
    gradcheck(lambda t, a: t.tril(a, 1) * t.triu(a), random((3, 4)))
    gradcheck(lambda t, a, b: t.kron(a, b), random((2, 2)), random((2, 3)))
    A = minitorch.tensor(random((3, 3)), requires_grad=True)
    assert minitorch.autograd.gradgradcheck(lambda a: (minitorch.diagonal(a) ** 2).sum() * minitorch.tril(a), (A,))


def test_diagonal_is_a_writable_view_like_torchs():
    a, t = minitorch.zeros(3, 3), torch.zeros(3, 3)
    a.diagonal().fill_(1.0)
    t.diagonal().fill_(1.0)
    np.testing.assert_array_equal(a.numpy(), t.numpy())


def test_structure_bad_input():
    with raises(RuntimeError, "trace: expected a matrix, but got tensor with dim 3"):
        minitorch.trace(minitorch.zeros(3, 2, 2))
    with raises(RuntimeError, "diag(): Supports 1D or 2D tensors. Got 3D"):
        minitorch.diag(minitorch.zeros(3, 2, 2))
    with raises(RuntimeError, "diagonal dimensions cannot be identical"):
        minitorch.diagonal(minitorch.zeros(3, 3), 0, 1, -1)
    with raises(RuntimeError, "tril", "at least 2 dimensions"):
        minitorch.tril(minitorch.zeros(3))


@pytest.mark.parametrize("p", [0.5, 0.25])
def test_vector_norm_below_one_has_torchs_zero_gradient_at_zero_elements(p):
    """|x|^(p-1) is infinite at x = 0 for p < 1: torch's gradient there is 0, not nan."""
    check(lambda t, a: t.linalg.vector_norm(a, p), np.array([0.0, 1.0, -2.0]))
    check(lambda t, a: t.linalg.vector_norm(a, p, dim=1), np.array([[0.0, 0.0], [3.0, 0.0]]))


def test_cat_of_no_tensors_is_a_value_error_as_in_torch():
    for lib in (torch, minitorch):
        with raises(ValueError, "expected a non-empty list of Tensors"):
            lib.cat([])


# ----------------------------------------------------------------------------- complex values (no gradients)
C128 = dict(grad=False, atol=1e-10, rtol=1e-10)
C64 = dict(grad=False, atol=1e-4, rtol=1e-4)


def crandom(shape, dtype=np.complex128, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


def ctol(dtype):
    return C64 if dtype == np.complex64 else C128


def resolved(t, y):
    """torch's conjugate views (x.mH, x.conj()) must be resolved before numpy() reads them."""
    return y.resolve_conj() if t is torch else y


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_complex_vecdot_conjugates_x_as_torch(dtype):
    check(lambda t, a, b: t.linalg.vecdot(a, b), crandom((4, 3), dtype), crandom((3,), dtype, 1), **ctol(dtype))
    check(lambda t, a, b: t.linalg.vecdot(a, b, dim=0), crandom((3, 2), dtype), crandom((3, 2), dtype, 1),
          **ctol(dtype))


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_conjugate_transposes_of_complex_tensors_match_torch(dtype):
    check(lambda t, a: resolved(t, a.mH), crandom((2, 3, 4), dtype), **ctol(dtype))
    check(lambda t, a: resolved(t, a.adjoint()), crandom((2, 3, 4), dtype), **ctol(dtype))
    check(lambda t, a: resolved(t, a.H), crandom((3, 4), dtype), **ctol(dtype))


def test_conjugate_transposes_of_real_tensors_are_the_differentiable_transpose():
    for fn in (lambda t, a: a.mH, lambda t, a: a.adjoint(), lambda t, a: a[0].H):
        check(fn, random((2, 3, 4)))
        gradcheck(fn, random((2, 3, 4)))


def test_conjugate_transposes_bad_input_as_torch():
    with raises(RuntimeError, "tensor.mH is only supported on matrices or batches of matrices. Got 1-D tensor."):
        minitorch.ones(3).mH
    with raises(RuntimeError, "tensor.adjoint() is only supported on matrices or batches of matrices"):
        minitorch.ones(3).adjoint()
    with raises(RuntimeError, "tensor.H is only supported on matrices (2-D tensors). Got 3-D tensor.", "mH"):
        minitorch.ones(2, 2, 2).H
    with raises(RuntimeError, "Got 1-D tensor."):
        minitorch.ones(3).H


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (2, 3, 3)])
def test_complex_pinv_matches_torch(dtype, shape):
    check(lambda t, a: t.linalg.pinv(a), crandom(shape, dtype), **ctol(dtype))


def test_complex_hermitian_pinv_matches_torch():
    a = crandom((3, 3))
    check(lambda t, x: t.linalg.pinv(x, hermitian=True), a + a.conj().T, **C128)


@pytest.mark.parametrize("driver", [None, "gelsy", "gels", "gelsd", "gelss"])
@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_complex_lstsq_matches_torch_every_field(driver, dtype):
    A, B = crandom((2, 5, 3), dtype), crandom((2, 5, 2), dtype, seed=1)
    check(lambda t, a, b: tuple(t.linalg.lstsq(a, b, driver=driver)), A, B, **ctol(dtype))
    check(lambda t, a, b: t.linalg.lstsq(a, b).solution, A[0].T.copy(), B[0, :3, 0].copy(), **ctol(dtype))


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_norms_of_complex_tensors_are_real_as_torchs(dtype):
    z = crandom((2, 3, 4), dtype)
    for ord in (2, 1, 3, 0.5, 0, INF, -INF):
        check(lambda t, a: t.linalg.vector_norm(a, ord), z, **ctol(dtype))
        check(lambda t, a: t.linalg.vector_norm(a, ord, dim=(0, 2), keepdim=True), z, **ctol(dtype))
    for ord in ("fro", "nuc", 1, -1, 2, -2, INF, -INF):
        check(lambda t, a: t.linalg.matrix_norm(a, ord), z, **ctol(dtype))
    for ord, dim in ((None, None), (None, 1), (2, None), ("fro", None), (INF, 0)):
        check(lambda t, a: t.linalg.norm(a, ord, dim), z[0], **ctol(dtype))
    check(lambda t, a: t.norm(a), z, **ctol(dtype))
