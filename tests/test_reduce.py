"""Reductions against torch: dim as int/tuple/None, keepdim, values and gradients; softmax family."""
import warnings

import numpy as np
import pytest
from hypothesis import given, strategies as st

import minitorch
from oracle import arrays, check, gradcheck, raises, shapes

FLOATS = [np.float32, np.float64]

REDUCTIONS = {
    "sum": lambda t, x, d, k: x.sum(d, keepdim=k) if d is not None else t.sum(x),
    "mean": lambda t, x, d, k: t.mean(x, d, keepdim=k) if d is not None else x.mean(),
    "prod": lambda t, x, d, k: x.prod(d[0] if isinstance(d, tuple) else d, keepdim=k) if d is not None else x.prod(),
    "amax": lambda t, x, d, k: t.amax(x, d if d is not None else (), keepdim=k),
    "amin": lambda t, x, d, k: x.amin(d if d is not None else (), keepdim=k),
    "var": lambda t, x, d, k: t.var(x, d, keepdim=k),
    "std": lambda t, x, d, k: x.std(d, keepdim=k),
    "var_c0": lambda t, x, d, k: t.var(x, d, correction=0, keepdim=k),
    "std_unbiased_false": lambda t, x, d, k: t.std(x, d, unbiased=False, keepdim=k),
    "logsumexp": lambda t, x, d, k: t.logsumexp(x, d if d is not None else tuple(range(x.ndim)), keepdim=k),
    "norm": lambda t, x, d, k: t.norm(x, dim=d, keepdim=k),
    "norm_p1": lambda t, x, d, k: x.norm(p=1, dim=d, keepdim=k),
    "norm_p3": lambda t, x, d, k: x.norm(p=3, dim=d, keepdim=k),
    "norm_inf": lambda t, x, d, k: x.norm(p=float("inf"), dim=d, keepdim=k),
}
NEEDS_TWO = {"var", "std"}  # correction 1 over a single element is nan (with a warning in torch)


@st.composite
def shape_and_dims(draw, min_dims=1):
    shape = draw(shapes(min_dims=min_dims, max_dims=4, min_side=2, max_side=4))
    ndim = len(shape)
    dims = draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1),
                          st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple)))
    return shape, dims, draw(st.booleans())


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("dtype", FLOATS)
@given(case=shape_and_dims())
def test_reduction_matches_torch(name, dtype, case):
    shape, dims, keepdim = case
    if name == "prod" and isinstance(dims, tuple):
        dims = dims[0]
    if name == "norm" and isinstance(dims, tuple):
        dims = dims[:2]  # torch.norm's default "fro" takes at most 2 dims
    check(lambda t, x: REDUCTIONS[name](t, x, dims, keepdim), arrays(shape, dtype, seed=len(shape)))


@pytest.mark.parametrize("name", ["sum", "mean", "prod", "amax", "logsumexp", "norm"])
def test_reduction_of_a_0d_tensor(name):
    check(lambda t, x: REDUCTIONS[name](t, x, None, False), np.array(1.5))
    check(lambda t, x: REDUCTIONS[name](t, x, 0, True), np.array(1.5))


@pytest.mark.parametrize("largest", [True, False])
@given(case=shape_and_dims())
def test_max_min_along_dim_return_values_and_indices(largest, case):
    shape, dims, keepdim = case
    dim = dims if isinstance(dims, int) else 0
    name = "max" if largest else "min"
    x = arrays(shape, seed=3)
    out = check(lambda t, a: getattr(t, name)(a, dim, keepdim=keepdim), x)
    values, indices = out
    result = getattr(minitorch.tensor(x), name)(dim, keepdim)
    assert result.values.tolist() == values.tolist() and result.indices.tolist() == indices.tolist()
    check(lambda t, a: getattr(a, name)(), x)
    check(lambda t, a: getattr(t, "arg" + name)(a, dim, keepdim=keepdim), x)
    check(lambda t, a: getattr(a, "arg" + name)(), x)


def test_ties_in_max_and_amax_share_gradients_like_torch():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    check(lambda t, a: a.max(), x)
    check(lambda t, a: a.amax(1), x)
    check(lambda t, a: a.max(1)[0], x)
    check(lambda t, a: a.min(dim=0).values, x)
    check(lambda t, a: a.norm(p=float("inf")), x)


def test_prod_with_zeros():
    x = np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 4.0], [1.0, 2.0, 5.0]])
    check(lambda t, a: a.prod(), x)
    check(lambda t, a: a.prod(1), x)
    check(lambda t, a: a.prod(0, keepdim=True), x)
    gradcheck(lambda t, a: a.prod(1), x)


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@pytest.mark.parametrize("dtype", FLOATS)
@given(shape=shapes(min_dims=1, max_dims=3), data=st.data())
def test_cumulative_matches_torch(name, dtype, shape, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    check(lambda t, x: getattr(t, name)(x, dim), arrays(shape, dtype, seed=5))


def test_cumprod_with_zeros_and_gradcheck():
    x = np.array([[2.0, 0.0, 3.0, 0.5], [1.5, -1.0, 0.0, 0.0]])
    check(lambda t, a: a.cumprod(1), x)
    gradcheck(lambda t, a: a.cumprod(1), x)
    gradcheck(lambda t, a: a.cumprod(0), x)


@pytest.mark.parametrize("dim", [None, 0, 1, (0, 1)])
@pytest.mark.parametrize("keepdim", [False, True])
def test_all_any_count_nonzero(dim, keepdim):
    x = np.array([[True, False, True], [True, True, True]])
    for name in ["all", "any"]:
        if dim is None:
            check(lambda t, a: getattr(t, name)(a), x)
        else:
            check(lambda t, a: getattr(a, name)(dim, keepdim=keepdim), x)
    check(lambda t, a: t.count_nonzero(a, dim), x.astype(np.float64), grad=False)
    check(lambda t, a: (a > 0).all(), arrays((3, 2), seed=1), grad=False)


def test_integer_reductions_follow_torch_dtypes():
    x = np.array([[1, 2, 3], [4, 5, 6]])
    for fn in [lambda t, a: a.sum(), lambda t, a: a.sum(0), lambda t, a: a.prod(), lambda t, a: a.max(),
               lambda t, a: a.amax(1), lambda t, a: a.cumsum(1), lambda t, a: a.argmax(1), lambda t, a: a.min(0)]:
        check(fn, x)
    check(lambda t, a: a.sum(), np.array([True, True, False]))
    check(lambda t, a: a.sum(dtype=t.float64), x)
    check(lambda t, a: a.mean(dtype=t.float32), x)


def test_var_mean_std_mean_and_sum_to_size():
    x = arrays((3, 4), seed=2)
    check(lambda t, a: t.var_mean(a, 1), x)
    check(lambda t, a: t.std_mean(a, 0, keepdim=True), x)
    check(lambda t, a: a.sum_to_size(1, 4), x)
    check(lambda t, a: a.sum_to_size((3, 1)), x)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", FLOATS)
@given(shape=shapes(min_dims=1, max_dims=3), data=st.data())
def test_softmax_family_matches_torch(name, dtype, shape, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    check(lambda t, x: getattr(t, name)(x, dim), arrays(shape, dtype, seed=6, low=-5, high=5))
    check(lambda t, x: getattr(x, name)(dim=dim), arrays(shape, dtype, seed=7))


def test_softmax_and_logsumexp_do_not_overflow():
    x = np.array([[1000.0, 0.0, -1000.0], [-np.inf, 0.0, 1.0]], dtype=np.float32)
    check(lambda t, a: t.softmax(a, 1), x)
    check(lambda t, a: t.log_softmax(a, 1)[:, 1:], x)
    check(lambda t, a: t.logsumexp(a, 1), x)


# ----------------------------------------------------------------------------- gradcheck (float64)
@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("dims", [None, 1, (0, 2)])
def test_reduction_gradcheck(name, dims):
    if name == "prod" and isinstance(dims, tuple):
        dims = 0
    x = arrays((2, 3, 2), seed=11)
    gradcheck(lambda t, a: REDUCTIONS[name](t, a, dims, False), x)


def test_gradgradcheck_of_reductions():
    x = minitorch.tensor(arrays((2, 3), seed=12), requires_grad=True)
    for fn in [lambda a: a.var(1), lambda a: a.logsumexp(1), lambda a: a.norm(), lambda a: a.prod(1),
               lambda a: a.softmax(1), lambda a: a.log_softmax(0), lambda a: a.cumsum(1), lambda a: a.cumprod(1),
               lambda a: a.amax(1), lambda a: a.max(1).values]:
        assert minitorch.autograd.gradgradcheck(fn, (x,))


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "cumsum", "cumprod"])
def test_dim_ops_gradcheck(name):
    gradcheck(lambda t, a: getattr(a, name)(1), arrays((2, 4), seed=13))


# ----------------------------------------------------------------------------- bad input
def test_reduction_bad_input():
    x = minitorch.ones(2, 3)
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)"):
        x.sum(2)
    with raises(IndexError, "Dimension out of range"):
        x.max(-3)
    with raises(RuntimeError, "appears multiple times"):
        x.sum((1, 1))
    with raises(RuntimeError, "mean(): could not infer output dtype", "Long"):
        minitorch.tensor([1, 2]).mean()
    with raises(IndexError, "Expected reduction dim"):
        minitorch.zeros(0).max()
    with raises(TypeError, "dim"):
        minitorch.softmax(x)


@pytest.mark.parametrize("fn", [lambda t, x: x.max(0), lambda t, x: x.min(-1, keepdim=True), lambda t, x: x.argmax(0),
                                lambda t, x: x.cumsum(0), lambda t, x: x.cumprod(0), lambda t, x: x.softmax(0),
                                lambda t, x: x.prod(0), lambda t, x: x.amax(0, keepdim=True), lambda t, x: x.all(0),
                                lambda t, x: x.sum(0, keepdim=True), lambda t, x: x.logsumexp(0),
                                lambda t, x: x.norm(dim=0)])
def test_dim_0_of_a_0d_tensor(fn):
    check(fn, np.array(1.5))


def test_variance_of_one_element_warns_and_is_nan():
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy's about 0 / 0 (pytest.warns lets all through)
        check(lambda t, x: x.var(), np.array([2.0]), grad=False)


def test_var_std_accept_torchs_positional_unbiased_form():
    x = arrays((3, 4), seed=3)
    check(lambda t, a: a.var(0, False), x)
    check(lambda t, a: a.std(1, True, True), x)
    check(lambda t, a: t.var(a, False), x)
    check(lambda t, a: t.std_mean(a, 0, False), x)
    check(lambda t, a: a.var(1, correction=2), x)


def test_max_and_min_with_dim_print_like_torch():
    import torch
    for name in ["max", "min"]:
        mine = getattr(minitorch.tensor([[1.0, 5.0], [3.0, 2.0]]), name)(dim=1)
        theirs = getattr(torch.tensor([[1.0, 5.0], [3.0, 2.0]]), name)(dim=1)
        assert repr(mine) == repr(theirs)
