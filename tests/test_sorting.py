"""Sorting and selection against torch: sort, argsort, msort, topk, kthvalue, median, nanmedian, mode,
unique, unique_consecutive, searchsorted, bucketize (values, indices, gradients, NaN, ties, bad input)."""
import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import minitorch
from oracle import arrays, assert_close, check, gradcheck, raises, shapes

FLOATS = [np.float32, np.float64]


def distinct(shape, dtype=np.float64, seed=0):
    """Values without ties (so that every index torch returns is the only right one)."""
    n = int(np.prod(shape, dtype=np.int64))
    return np.asarray((np.random.default_rng(seed).permutation(n).reshape(shape) * 0.37 - 3).astype(dtype))


def with_ties(shape, seed=0):
    return np.asarray(np.random.default_rng(seed).integers(0, 3, shape), dtype=np.float64)


def with_dim(draw_shape, data):
    dim = data.draw(st.integers(-max(len(draw_shape), 1), max(len(draw_shape), 1) - 1))
    return dim


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("descending", [False, True])
@given(shape=shapes(), data=st.data())
def test_sort_values_indices_and_gradient(dtype, descending, shape, data):
    dim = with_dim(shape, data)
    check(lambda t, x: t.sort(x, dim, descending), distinct(shape, dtype))
    check(lambda t, x: x.argsort(dim=dim, descending=descending), distinct(shape, dtype), grad=False)


@pytest.mark.parametrize("descending", [False, True])
@given(shape=shapes(min_dims=1), data=st.data())
def test_stable_sort_keeps_the_order_of_ties(descending, shape, data):
    dim = with_dim(shape, data)
    check(lambda t, x: t.sort(x, dim=dim, descending=descending, stable=True), with_ties(shape))
    check(lambda t, x: t.argsort(x, dim=dim, descending=descending, stable=True), with_ties(shape), grad=False)


@pytest.mark.parametrize("descending", [False, True])
def test_sort_puts_nan_last_ascending_first_descending(descending):
    x = np.array([[3.0, np.nan, 1.0, 3.0, np.nan, 2.0], [np.inf, -np.inf, 0.0, np.nan, -1.0, 5.0]])
    check(lambda t, a: t.sort(a, descending=descending, stable=True), x)


def test_sort_of_ints_bools_and_0d():
    check(lambda t, x: t.sort(x, dim=0), np.array([[3, 1], [0, 2], [-5, 9]]))
    check(lambda t, x: t.sort(x), np.array([True, False, True]))
    check(lambda t, x: t.sort(x), np.array(2.5))
    check(lambda t, x: t.msort(x), distinct((4, 3)))


def test_sort_graph_node_is_named_as_torch():
    x = minitorch.tensor([3.0, 1.0], requires_grad=True)
    assert x.sort().values.grad_fn.name() == torch.tensor([3.0, 1.0], requires_grad=True).sort()[0].grad_fn.name()
    assert repr(minitorch.sort(minitorch.tensor([2, 1]))) == repr(torch.sort(torch.tensor([2, 1])))


@pytest.mark.parametrize("largest", [True, False])
@given(shape=shapes(min_dims=1), data=st.data())
def test_topk(largest, shape, data):
    dim = with_dim(shape, data)
    k = data.draw(st.integers(0, shape[dim]))
    check(lambda t, x: t.topk(x, k, dim, largest), distinct(shape))
    check(lambda t, x: x.topk(k, dim=dim, largest=largest, sorted=True), distinct(shape, np.float32))


def test_topk_unsorted_gives_the_same_set():
    x = distinct((3, 6))
    mine = minitorch.topk(minitorch.tensor(x), 3, sorted=False).values.numpy()
    theirs = torch.topk(torch.tensor(x), 3, sorted=False).values.numpy()
    np.testing.assert_array_equal(np.sort(mine, -1), np.sort(theirs, -1))


@pytest.mark.parametrize("keepdim", [False, True])
@given(shape=shapes(min_dims=1), data=st.data())
def test_kthvalue(keepdim, shape, data):
    dim = with_dim(shape, data)
    k = data.draw(st.integers(1, shape[dim]))
    check(lambda t, x: t.kthvalue(x, k, dim, keepdim), distinct(shape))


@pytest.mark.parametrize("keepdim", [False, True])
@given(shape=shapes(min_dims=1), data=st.data())
def test_median_along_dim_is_the_lower_median(keepdim, shape, data):
    dim = with_dim(shape, data)
    check(lambda t, x: t.median(x, dim, keepdim), distinct(shape))
    check(lambda t, x: x.nanmedian(dim=dim, keepdim=keepdim), distinct(shape))


@given(shape=shapes())
def test_median_of_all_shares_the_gradient_between_ties(shape):
    check(lambda t, x: t.median(x), with_ties(shape))
    check(lambda t, x: t.nanmedian(x), with_ties(shape))
    check(lambda t, x: x.median(), arrays(shape, np.int64), grad=False)


def test_median_with_nan():
    x = np.array([[1.0, np.nan, 3.0, 0.0], [2.0, 1.0, np.nan, np.nan], [np.nan] * 4, [4.0, 3.0, 2.0, 1.0]])
    check(lambda t, a: t.median(a, 1), x)
    check(lambda t, a: t.nanmedian(a, 1), x[[0, 1, 3]])
    all_nan = minitorch.nanmedian(minitorch.tensor(x), 1).values  # torch's index there is arbitrary
    assert_close(all_nan, torch.nanmedian(torch.tensor(x), 1).values)
    check(lambda t, a: t.median(a), x)
    check(lambda t, a: t.nanmedian(a), x)


def test_mode():
    x = np.array([[1, 2, 2, 3, 3, 1, 5], [0, 0, 4, 4, 4, 0, 9]])
    check(lambda t, a: t.mode(a), x)
    check(lambda t, a: a.mode(0, keepdim=True), x.T.astype(np.float64))
    check(lambda t, a: t.mode(a), np.array(3.0))


@pytest.mark.parametrize("fn", ["sort", "topk", "kthvalue", "median", "mode"])
def test_selection_gradients_gradcheck(fn):
    args = {"sort": (1,), "topk": (2, 1), "kthvalue": (2, 1), "median": (1,), "mode": (1,)}[fn]
    gradcheck(lambda t, x: getattr(t, fn)(x, *args)[0], distinct((3, 4)))


def test_median_of_all_gradcheck():
    gradcheck(lambda t, x: t.median(x), distinct((3, 4)))
    gradcheck(lambda t, x: t.nanmedian(x), with_ties((3, 4)) + distinct((3, 4)) * 1e-3)


@given(shape=shapes(), sorted_=st.booleans(), inverse=st.booleans(), counts=st.booleans())
def test_unique(shape, sorted_, inverse, counts):
    x = np.random.default_rng(len(shape)).integers(-2, 3, shape)
    check(lambda t, a: t.unique(a, sorted=sorted_, return_inverse=inverse, return_counts=counts), x)
    check(lambda t, a: a.float().unique(return_inverse=inverse, return_counts=counts), x)
    check(lambda t, a: t.unique_consecutive(a, return_inverse=inverse, return_counts=counts), x)


def test_unique_keeps_every_nan_and_handles_empty():
    check(lambda t, a: t.unique(a, return_counts=True), np.array([3.0, 1.0, np.nan, np.nan, 1.0]), grad=False)
    check(lambda t, a: t.unique(a, return_inverse=True, return_counts=True), np.zeros((0, 3)), grad=False)
    check(lambda t, a: t.unique_consecutive(a), np.array([1, 1, 2, 1]))


@pytest.mark.parametrize("right", [False, True])
@given(n=st.integers(1, 6), values_shape=shapes(max_dims=3))
def test_searchsorted_and_bucketize(right, n, values_shape):
    seq = np.sort(with_ties((n,)))
    values = with_ties(values_shape, seed=1) + 0.5 * (np.arange(int(np.prod(values_shape))) % 2).reshape(values_shape)
    check(lambda t, s, v: t.searchsorted(s, v, right=right), seq, values, grad=False)
    check(lambda t, s, v: t.bucketize(v, s, right=right, out_int32=True), seq, values, grad=False)
    check(lambda t, s: t.searchsorted(s, 1.0, side="right" if right else "left"), seq, grad=False)


def test_searchsorted_batched_rows_and_sorter():
    seq = np.sort(with_ties((2, 3, 5)), axis=-1)
    values = with_ties((2, 3, 4), seed=3) + 0.5
    check(lambda t, s, v: t.searchsorted(s, v), seq, values, grad=False)
    check(lambda t, s, v: t.searchsorted(s, v, right=True), seq, values - 0.5, grad=False)
    unsorted = np.array([5.0, 1.0, 3.0])
    sorter = np.array([1, 2, 0])
    check(lambda t, s, v, i: t.searchsorted(s, v, sorter=i), unsorted, np.array([0.0, 2.0, 9.0]), sorter,
          grad=False)


def test_selection_bad_input():
    x = minitorch.zeros(2, 3)
    with raises(IndexError, "Dimension out of range", "got 2"):
        minitorch.sort(x, dim=2)
    with raises(RuntimeError, "k out of range", "k=4"):
        minitorch.topk(x, 4)
    with raises(RuntimeError, "kthvalue(): selected number k out of range", "1..3"):
        minitorch.kthvalue(x, 0)
    with raises(IndexError, "median(): Expected reduction dim 1 to have non-zero size"):
        minitorch.median(minitorch.zeros(2, 0), 1)
    with raises(RuntimeError, "boundaries tensor should be 1 dimension", "[1, 3]", "[2]"):
        minitorch.searchsorted(minitorch.tensor([[1, 3, 5]]), minitorch.tensor([3, 6]))
    with raises(RuntimeError, "side and right can't be set to opposites"):
        minitorch.searchsorted(minitorch.tensor([1, 3]), minitorch.tensor([3]), right=True, side="left")
    with raises(RuntimeError, "boundaries tensor must be 1 dimension", "dim(2)"):
        minitorch.bucketize(minitorch.tensor([1.0]), minitorch.zeros(2, 2))
    with raises(NotImplementedError, "dim=None"):
        minitorch.unique(x, dim=0)
    assert_close(minitorch.median(minitorch.zeros(0)), torch.median(torch.zeros(0)))
