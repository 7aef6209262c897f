"""Indexing against torch: basic, advanced, boolean masks, __setitem__, gather/scatter, index_select, masked_fill."""
import numpy as np
import pytest

import minitorch
from oracle import arrays, check, gradcheck, raises

X = arrays((3, 4, 5), seed=0)

GETS = {
    "int": lambda t, x: x[1], "neg_int": lambda t, x: x[-1, -2], "slice": lambda t, x: x[1:, :3],
    "step": lambda t, x: x[::2, 1::2], "neg_slice": lambda t, x: x[-2:, :-1], "ellipsis": lambda t, x: x[..., 2],
    "none": lambda t, x: x[None, 1, :, None], "mixed": lambda t, x: x[0, 1:3, 4],
    "list": lambda t, x: x[[0, 2, 2]], "tensor": lambda t, x: x[t.tensor([1, 0, 1])],
    "two_lists": lambda t, x: x[[0, 1], [2, 3]], "broadcast_idx": lambda t, x: x[t.tensor([[0], [2]]), t.tensor([1, 3])],
    "idx_then_slice": lambda t, x: x[[2, 0], 1:3], "slice_then_idx": lambda t, x: x[:, [3, 1, 3]],
    "separated": lambda t, x: x[[0, 1], :, [4, 0]], "neg_idx": lambda t, x: x[t.tensor([-1, -3])],
    "mask": lambda t, x: x[x > 0], "row_mask": lambda t, x: x[t.tensor([True, False, True])],
    "mask_2d": lambda t, x: x[x[:, :, 0] > 0], "mask_and_slice": lambda t, x: x[:, t.tensor([True, False, True, True])],
    "0d_index": lambda t, x: x[t.tensor(1)], "bool_scalar": lambda t, x: x[True],
    "ellipsis_idx": lambda t, x: x[..., [0, 4]], "int32_index": lambda t, x: x[t.tensor([2, 1], dtype=t.int32)],
    "repeated": lambda t, x: x[[1, 1, 1], [0, 0, 2]],
    # integers are applied before index tensors (torch), not counted among them (numpy), which moves dims:
    "int_slice_list": lambda t, x: x[0, :, [1, 2]], "slice_int_list": lambda t, x: x[:, 1, [0, 3]],
    "list_int_list": lambda t, x: x[[0, 1], 2, [1, 4]], "int_ellipsis_list": lambda t, x: x[1, ..., [4, 0]],
    "none_int_list_slice": lambda t, x: x[None, 2, [1, 3], 1:3], "int_mask": lambda t, x: x[1, x[1, :, 0] > 0],
}


@pytest.mark.parametrize("name", GETS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_getitem_matches_torch(name, dtype):
    check(GETS[name], X.astype(dtype))


@pytest.mark.parametrize("name", GETS)
def test_getitem_gradcheck(name):
    gradcheck(GETS[name], X[:, :3, :3].copy() if name in () else X)


def test_getitem_gradgradcheck():
    x = minitorch.tensor(arrays((3, 4), seed=1), requires_grad=True)
    for fn in [lambda a: a[1:, ::2] ** 2, lambda a: a[[0, 0, 2]] ** 2, lambda a: a[a > 0] ** 2]:
        assert minitorch.autograd.gradgradcheck(fn, (x,))


def test_integer_and_bool_tensors_index_like_torch():
    check(lambda t, x: x[[1, 0]], np.array([[1, 2], [3, 4]]))
    check(lambda t, x: x[x > 2], np.array([[1, 2], [3, 4]]))
    check(lambda t, x: x[1:], np.array([True, False, True]))


SETS = {
    "int_scalar": lambda t, x, v: x.__setitem__(1, 0.5),
    "slice_tensor": lambda t, x, v: x.__setitem__((slice(None), 0), v[:, 0]),
    "broadcast": lambda t, x, v: x.__setitem__(slice(1, None), v[0, 0, :]),
    "mask_scalar": lambda t, x, v: x.__setitem__(x > 0, 0.0),
    "mask_values": lambda t, x, v: x.__setitem__(x > 0, v[x > 0]),
    "list": lambda t, x, v: x.__setitem__([0, 2], v[:2]),
    "tensor_idx": lambda t, x, v: x.__setitem__((t.tensor([0, 1]), t.tensor([1, 2])), v[0, :2]),
    "ellipsis": lambda t, x, v: x.__setitem__((Ellipsis, 1), v[..., 2]),
    "0d_value": lambda t, x, v: x.__setitem__((0, 0, 0), v[1, 1, 1]),
    "int_slice_list": lambda t, x, v: x.__setitem__((0, slice(None), [1, 2]), v[0, :, :2]),
    "slice_int_list": lambda t, x, v: x.__setitem__((slice(None), 1, [0, 3]), v[:, 1, 1:3]),
}


@pytest.mark.parametrize("name", SETS)
def test_setitem_values_and_gradients_match_torch(name):
    def fn(t, x, v):
        y = x * 1  # a non-leaf, so it may be written in place
        SETS[name](t, y, v * 2)
        return y
    check(fn, X, arrays((3, 4, 5), seed=2))


def test_setitem_with_int_values_casts_to_the_tensor_dtype():
    def fn(t, x):
        x[0] = t.tensor([7, 8, 9, 10])
        x[1, 1] = True
        return x
    check(fn, X[:, :, 0].copy(), grad=False)
    check(lambda t, x: x.__setitem__(0, 2.7) or x, np.array([1, 2, 3]))


def test_setitem_through_a_view_reaches_the_base_and_its_gradient():
    def fn(t, x, v):
        y = x.clone()
        row = y[1]
        row[1:3] = v
        return y * y
    check(fn, arrays((3, 4), seed=3), arrays((2,), seed=4))


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_gather_scatter_index_select(dim):
    x = arrays((3, 4), seed=5)
    index = np.array([[2, 0, 1], [1, 1, 0]]) if dim == 0 else np.array([[3, 0], [1, 1], [2, 2]])
    distinct = np.array([[2, 0, 1], [1, 2, 0]]) if dim == 0 else np.array([[3, 0], [1, 2], [0, 2]])
    check(lambda t, a, i: t.gather(a, dim, i), x, index)
    check(lambda t, a, i: a.gather(dim, i), x, index)
    check(lambda t, a, i, s: t.scatter(a, dim, i, s), x, distinct, arrays(distinct.shape, seed=6))
    check(lambda t, a, i, s: a.scatter_add(dim, i, s), x, index, arrays(index.shape, seed=8))
    check(lambda t, a, i: a.scatter(dim, i, 2.5), x, index)
    check(lambda t, a, i: t.scatter(a, dim, i, value=-1.0), x, index)
    check(lambda t, a: t.index_select(a, dim, t.tensor([2, 0, 2])), x)
    check(lambda t, a, s: a.index_add(dim, t.tensor([1, 0, 1]), s), x, arrays((3, 4) if dim == 0 else (3, 3), seed=9))


def test_scatter_with_a_larger_src_uses_its_leading_block():
    # torch 2.13's own backward fails here (ScatterBackward0 returns a gradient of index's shape for src),
    # so values are compared with torch and gradients with finite differences.
    x, src = arrays((2, 3), seed=1), arrays((3, 4), seed=2)
    check(lambda t, a, s: a.scatter(1, t.tensor([[0, 1], [2, 0]]), s), x, src, grad=False)
    gradcheck(lambda t, a, s: a.scatter(1, t.tensor([[0, 1], [2, 0]]), s), x, src)
    check(lambda t, a: a.gather(0, t.tensor([[1, 0]])), x)


def test_gather_scatter_gradcheck():
    x, s = arrays((3, 4), seed=9), arrays((3, 2), seed=10)
    index = np.array([[0, 3], [1, 1], [2, 0]])
    distinct = np.array([[0, 3], [1, 2], [2, 0]])
    gradcheck(lambda t, a: a.gather(1, t.tensor(index)), x)
    gradcheck(lambda t, a, b: a.scatter(1, t.tensor(distinct), b), x, s)
    gradcheck(lambda t, a, b: a.scatter(1, t.tensor(distinct[:2, :1]), b), x, s)
    gradcheck(lambda t, a, b: a.scatter_add(1, t.tensor(index), b), x, s)
    gradcheck(lambda t, a: a.index_select(0, t.tensor([2, 2, 0])), x)
    gradcheck(lambda t, a, b: a.index_add(1, t.tensor([2, 2]), b), x, s)
    gradcheck(lambda t, a: a.masked_fill(a > 0, 1.5), x)


def test_masked_fill_masked_select_nonzero_where_take():
    x = arrays((3, 4), seed=11)
    check(lambda t, a: a.masked_fill(a > 0, 0.0), x)
    check(lambda t, a: t.masked_fill(a, a[0] > 0, -1.0), x)
    check(lambda t, a: a.masked_fill(a < 0, t.tensor(3.0, dtype=a.dtype)), x)
    check(lambda t, a: t.masked_select(a, a > 0.5), x)
    check(lambda t, a: a.masked_select(a[:, :1] > 0), x)
    check(lambda t, a: (a > 0).nonzero(), x)
    check(lambda t, a: t.nonzero(a > 0, as_tuple=True), x)
    check(lambda t, a: t.where(a > 0), x)
    check(lambda t, a: t.take(a, t.tensor([0, 5, 11])), x)
    check(lambda t, a: t.take_along_dim(a, t.tensor([[0], [2], [1]]), 1), x)
    check(lambda t, a: a.clone().masked_fill_(a > 0, 2), x)


# ----------------------------------------------------------------------------- bad input
def test_index_out_of_range_raises_index_error():
    x = minitorch.ones(3, 4)
    with raises(IndexError, "index 3 is out of bounds for dimension 0 with size 3"):
        x[3]
    with raises(IndexError, "index 4 is out of bounds for dimension 1 with size 4"):
        x[0, 4]
    with raises(IndexError, "index 5 is out of bounds for dimension 0 with size 3"):
        x[[0, 5]]
    with raises(IndexError, "index -4 is out of bounds"):
        x[minitorch.tensor([-4])]
    with raises(IndexError, "too many indices for tensor of dimension 2"):
        x[0, 0, 0]
    with raises(IndexError, "The shape of the mask [3] at index 1 does not match"):
        x[:, minitorch.tensor([True, False, True])]
    with raises(IndexError, "tensors used as indices must be long, int, byte or bool"):
        x[minitorch.tensor([0.0])]
    with raises(IndexError, "out of bounds"):
        x[3] = 1.0
    with raises(ValueError, "step must be greater than zero"):
        x[::-1]


def test_gather_scatter_bad_input():
    x = minitorch.ones(3, 4)
    with raises(RuntimeError, "gather(): Expected dtype int32/int64 for index"):
        x.gather(1, minitorch.tensor([[0.0]]))
    assert x.gather(1, minitorch.tensor([[0]], dtype=minitorch.int32)).tolist() == [[1.0]]
    with raises(RuntimeError, "index 4 is out of bounds for dimension 1 with size 4"):
        x.gather(1, minitorch.tensor([[4]]))
    with raises(RuntimeError, "same number of dimensions"):
        x.gather(1, minitorch.tensor([0]))
    with raises(RuntimeError, "expected index [4, 1] to be smaller than self [3, 4] apart from dimension 1"):
        x.gather(1, minitorch.zeros(4, 1, dtype=minitorch.int64))
    with raises(RuntimeError, "to be smaller than src [1, 1]"):
        x.scatter(1, minitorch.zeros(2, 1, dtype=minitorch.int64), minitorch.ones(1, 1))
    with raises(RuntimeError, "Expected self.dtype to be equal to src.dtype"):
        x.scatter(1, minitorch.tensor([[0]]), minitorch.ones(1, 1, dtype=minitorch.float64))
    with raises(IndexError, "Dimension out of range"):
        x.index_select(2, minitorch.tensor([0]))
    with raises(RuntimeError, "masked_fill_ only supports boolean masks"):
        x.masked_fill(minitorch.ones(3, 4), 0.0)
    with raises(RuntimeError, "must match"):
        x.masked_fill(minitorch.ones(3, dtype=minitorch.bool), 0.0)
    with raises(RuntimeError, "shape mismatch", "[5]", "[4]"):
        x[0] = minitorch.ones(5)


def test_writing_a_value_that_requires_grad_into_a_plain_tensor_records_it():
    """b = zeros(3); b[0] = a[1] * 2: b now depends on a (torch's CopySlices), directly or through a view."""
    def fn(t, a):
        b = t.zeros(3, dtype=a.dtype)
        b[0] = a[1] * 2
        c = t.zeros(3, dtype=a.dtype)
        c[1:][1] = a[2]
        return b * c.sum() + b
    check(fn, np.array([1.0, 2.0, 3.0]))
