"""Matrix products against torch: every case of matmul's 1-D/2-D/batched rules, mm bmm dot mv outer einsum."""
import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import minitorch
from oracle import arrays, check, gradcheck, raises

# (shape of a, shape of b): torch's documented cases, incl. batch broadcasting
CASES = [((3,), (3,)), ((2, 3), (3, 4)), ((3,), (3, 4)), ((2, 3), (3,)), ((5, 2, 3), (3,)), ((3,), (5, 3, 4)),
         ((5, 2, 3), (5, 3, 4)), ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((2, 1, 2, 3), (5, 3, 4)),
         ((1, 2, 3), (4, 3, 2)), ((1,), (1, 1)), ((0, 3), (3, 2)), ((2, 0), (0, 3))]


@pytest.mark.parametrize("shape_a,shape_b", CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matmul_cases_match_torch(shape_a, shape_b, dtype):
    a, b = arrays(shape_a, dtype, seed=1), arrays(shape_b, dtype, seed=2)
    check(lambda t, x, y: t.matmul(x, y), a, b)
    check(lambda t, x, y: x @ y, a, b)


@given(n=st.integers(1, 4), k=st.integers(1, 4), m=st.integers(1, 4), batch=st.lists(st.integers(1, 3), max_size=2))
def test_matmul_over_shapes(n, k, m, batch):
    check(lambda t, x, y: x @ y, arrays(tuple(batch) + (n, k), seed=3), arrays((k, m), seed=4))
    check(lambda t, x, y: x.matmul(y), arrays((n, k), seed=5), arrays(tuple(batch) + (k, m), seed=6))


@pytest.mark.parametrize("shape_a,shape_b", CASES[:10])
def test_matmul_gradcheck_and_gradgradcheck(shape_a, shape_b):
    a, b = arrays(shape_a, seed=7), arrays(shape_b, seed=8)
    gradcheck(lambda t, x, y: x @ y, a, b)
    inputs = (minitorch.tensor(a, requires_grad=True), minitorch.tensor(b, requires_grad=True))
    assert minitorch.autograd.gradgradcheck(lambda x, y: x @ y, inputs)


def test_strict_products():
    a, b, v, w = arrays((2, 3), seed=1), arrays((3, 4), seed=2), arrays((3,), seed=3), arrays((2,), seed=4)
    batch_a, batch_b = arrays((5, 2, 3), seed=5), arrays((5, 3, 4), seed=6)
    check(lambda t, x, y: t.mm(x, y), a, b)
    check(lambda t, x, y: x.mm(y), a, b)
    check(lambda t, x, y: t.bmm(x, y), batch_a, batch_b)
    check(lambda t, x, y: t.mv(x, y), a, v)
    check(lambda t, x, y: t.dot(x, y), v, v * 2)
    check(lambda t, x, y: x.dot(y), v, v)
    check(lambda t, x, y: t.outer(x, y), w, v)
    check(lambda t, x, y: t.inner(x, y), v, v)
    check(lambda t, x, y: t.ger(x, y), w, v)
    check(lambda t, x, y: t.tensordot(x, y, dims=1), a, b)
    check(lambda t, x, y: t.tensordot(x, y, dims=([1], [0])), a, b)
    for fn in [lambda t, x, y: t.bmm(x, y), lambda t, x, y: x @ y]:
        gradcheck(fn, batch_a, batch_b)


EINSUMS = [("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
           ("i,i->", [(3,), (3,)]), ("i,j->ij", [(2,), (3,)]), ("ij->ji", [(2, 3)]), ("ii->i", [(3, 3)]),
           ("ii", [(3, 3)]), ("ij->", [(2, 3)]), ("ij->j", [(2, 3)]), ("...ij,...jk->...ik", [(2, 2, 3), (3, 4)]),
           ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]), ("i,ij,j->", [(2,), (2, 3), (3,)]),
           ("ij,ij->ij", [(2, 3), (2, 3)]), ("ij, jk -> ik", [(2, 3), (3, 4)]), ("ijk->kji", [(2, 3, 4)])]


@pytest.mark.parametrize("equation,shapes", EINSUMS)
def test_einsum_matches_torch(equation, shapes):
    operands = [arrays(s, seed=i) for i, s in enumerate(shapes)]
    check(lambda t, *xs: t.einsum(equation, *xs), *operands)
    check(lambda t, *xs: t.einsum(equation, list(xs)), *[o.astype(np.float32) for o in operands])
    gradcheck(lambda t, *xs: t.einsum(equation, *xs), *operands)


def test_integer_matmul():
    check(lambda t, x, y: x @ y, np.array([[1, 2], [3, 4]]), np.array([[5], [6]]))


def test_matmul_bad_input_names_both_shapes():
    with raises(RuntimeError, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"):
        minitorch.ones(2, 3) @ minitorch.ones(4, 5)
    with raises(RuntimeError, "(1x3 and 4x5)"):
        minitorch.ones(3) @ minitorch.ones(4, 5)
    with raises(RuntimeError, "(2x3 and 4x1)"):
        minitorch.matmul(minitorch.ones(2, 3), minitorch.ones(4))
    with raises(RuntimeError, "inconsistent tensor size", "[3]", "[4]"):
        minitorch.dot(minitorch.ones(3), minitorch.ones(4))
    with raises(RuntimeError, "both arguments to matmul need to be at least 1D"):
        minitorch.tensor(2.0) @ minitorch.ones(2)
    with raises(RuntimeError, "expected both operands to have the same dtype", "float32", "float64"):
        minitorch.ones(2, 2) @ minitorch.ones(2, 2, dtype=minitorch.float64)
    with raises(RuntimeError, "must match the size", "[5]", "[4]"):
        minitorch.ones(5, 2, 3) @ minitorch.ones(4, 3, 2)
    with raises(RuntimeError, "mm: expected 2D tensors", "[2, 3, 4]"):
        minitorch.mm(minitorch.ones(2, 3, 4), minitorch.ones(4, 2))
    with raises(RuntimeError, "batch1 must be a 3D tensor"):
        minitorch.bmm(minitorch.ones(3, 4), minitorch.ones(4, 2))
    with raises(RuntimeError, "same number of batches, got 2 and 3"):
        minitorch.bmm(minitorch.ones(2, 3, 4), minitorch.ones(3, 4, 2))
    with raises(RuntimeError, "1D tensors expected"):
        minitorch.dot(minitorch.ones(2, 2), minitorch.ones(2))
    with raises(RuntimeError, "number of subscripts"):
        minitorch.einsum("ij,jk->ik", minitorch.ones(2, 3), minitorch.ones(3))
    with raises(RuntimeError, "subscript j has size 4 for operand 1 which does not broadcast", "size 3", "[4, 2]"):
        minitorch.einsum("ij,jk->ik", minitorch.ones(2, 3), minitorch.ones(4, 2))
    with raises(RuntimeError, "Expected all tensors to be on the same device") if False else raises(TypeError, "int"):
        minitorch.matmul(minitorch.ones(2), 3)


@pytest.mark.parametrize("dims", [([-1], [0]), ([2], [-2]), 1, ([2], [0])])
def test_tensordot_with_negative_or_listed_dims_matches_torch(dims):
    check(lambda t, a, b: t.tensordot(a, b, dims=dims), arrays((2, 3, 4), np.float64, seed=1),
          arrays((4, 5), np.float64, seed=2))


@pytest.mark.parametrize("dims", [([0, 2], [0]), -1, 4])
def test_tensordot_refuses_bad_dims_as_torch(dims):
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError):
            lib.tensordot(lib.ones(2, 3, 4), lib.ones(2, 4, 5), dims=dims)


# ----------------------------------------------------------------------------- dot, vdot, inner
def test_dot_keeps_the_integer_dtype_as_torch():
    a, b = np.array([1, 2, 3], dtype=np.int32), np.array([4, -5, 6], dtype=np.int32)
    for fn in (lambda t, x, y: t.dot(x, y), lambda t, x, y: x @ y, lambda t, x, y: t.inner(x, y),
               lambda t, x, y: t.vdot(x, y), lambda t, x, y: x.sum(dtype=t.int32) + y.sum(dtype=t.int32)):
        check(fn, a, b)
    check(lambda t, x, y: t.dot(x, y), a.astype(np.int64), b.astype(np.int64))


def test_vdot_conjugates_its_first_complex_operand_as_torch():
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((2, 4)) + 1j * rng.standard_normal((2, 4)))
    for dtype, tolerance in ((np.complex128, 1e-12), (np.complex64, 1e-5)):
        check(lambda t, x, y: t.vdot(x, y), a.astype(dtype), b.astype(dtype), grad=False, atol=tolerance,
              rtol=tolerance)
        check(lambda t, x, y: x.vdot(y), a.astype(dtype), b.astype(dtype), grad=False, atol=tolerance,
              rtol=tolerance)
    check(lambda t, x, y: t.vdot(x, y), arrays((4,), seed=1), arrays((4,), seed=2))  # real: dot, with gradients
    gradcheck(lambda t, x, y: t.vdot(x, y), arrays((4,), seed=1), arrays((4,), seed=2))


INNER_SHAPES = [((3,), (3,)), ((2, 3, 4), (5, 4)), ((4,), (2, 4)), ((2, 4), (4,)), ((), (2, 3)), ((2, 3), ()),
                ((2, 1, 3), (1, 2, 3))]


@pytest.mark.parametrize("shape_a,shape_b", INNER_SHAPES)
def test_inner_of_nd_tensors_matches_torch_with_gradients(shape_a, shape_b):
    a, b = arrays(shape_a, seed=1), arrays(shape_b, seed=2)
    check(lambda t, x, y: t.inner(x, y), a, b)
    check(lambda t, x, y: x.inner(y), a.astype(np.float32), b.astype(np.float32))
    gradcheck(lambda t, x, y: t.inner(x, y), a, b)


def test_inner_bad_input_names_both_shapes():
    with raises(RuntimeError, "inner() the last dimension must match", "[2, 3]", "[4]"):
        minitorch.inner(minitorch.ones(2, 3), minitorch.ones(4))
    with pytest.raises(RuntimeError):
        torch.inner(torch.ones(2, 3), torch.ones(4))


# ----------------------------------------------------------------------------- einsum: broadcasting and errors
EINSUM_BROADCASTS = [("ij,ij->ij", [(3, 1), (3, 4)]), ("ij,ij->i", [(3, 4), (3, 1)]), ("ij,jk->ik", [(2, 1), (3, 4)]),
                     ("i,i->i", [(1,), (3,)]), ("...ij,...jk->...ik", [(1, 2, 3), (5, 3, 4)]),
                     ("...i,...i->...", [(2, 1, 3), (4, 3)]), ("...i,...i", [(2, 1, 3), (4, 1)]),
                     ("bij,bjk->bik", [(1, 2, 3), (4, 3, 2)]), ("ii,i->i", [(3, 3), (1,)]),
                     ("ij->...i", [(2, 3)])]


@pytest.mark.parametrize("equation,shapes", EINSUM_BROADCASTS)
def test_einsum_size_one_dims_broadcast_with_torchs_values_and_gradients(equation, shapes):
    operands = [arrays(s, seed=i) for i, s in enumerate(shapes)]
    check(lambda t, *xs: t.einsum(equation, *xs), *operands)
    gradcheck(lambda t, *xs: t.einsum(equation, *xs), *operands)


EINSUM_ERRORS = [
    ("ij,jk->iz", [(2, 3), (3, 4)], "output subscript z does not appear in the equation for any input operand"),
    ("ij,jk", [(2, 3)], "fewer operands were provided than specified in the equation"),
    ("ij", [(2, 3), (3,)], "more operands were provided than specified in the equation"),
    ("ijk,jk", [(2, 3), (3, 4)], "the number of subscripts in the equation (3) does not match the number of "
                                 "dimensions (2) for operand 0 and no ellipsis was given"),
    ("...ij->...i", [(2,)], "the number of subscripts in the equation (2) is more than the number of dimensions (1) "
                            "for operand 0"),
    ("i1,j", [(2, 3), (3,)], "invalid subscript given at index 1 in the equation string"),
    ("ij->i->j", [(2, 3)], "invalid subscript given at index 5 in the equation string"),
    ("ij->ii", [(2, 3)], "output subscript i appears more than once in the output"),
    ("i.j", [(2, 3)], "found '.' for operand 0"),
    ("ii", [(2, 3)], "subscript i is repeated for operand 0 but the sizes don't match, 3 != 2"),
    ("i,i->i", [(2,), (3,)], "subscript i has size 3 for operand 1 which does not broadcast with previously seen "
                             "size 2"),
    ("...i,...i->...", [(2, 3), (4, 3)], "dimension 0 covered by"),
]


@pytest.mark.parametrize("equation,shapes,message", EINSUM_ERRORS)
def test_einsum_bad_equations_raise_torchs_error_naming_equation_and_shapes(equation, shapes, message):
    with pytest.raises(RuntimeError):
        torch.einsum(equation, *[torch.ones(s) for s in shapes])
    with raises(RuntimeError, "einsum(): " + message, repr(equation), ", ".join(str(list(s)) for s in shapes)):
        minitorch.einsum(equation, *[minitorch.ones(s) for s in shapes])


def test_einsum_without_operands_is_a_value_error_as_torch():
    with pytest.raises(ValueError):
        torch.einsum("ij")
    with raises(ValueError, "at least one operand"):
        minitorch.einsum("ij")
