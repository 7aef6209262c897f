"""The ops learners reach for beyond the core, against torch: trig/hyperbolic and their inverses, erf/erfc,
exp2, lerp, logaddexp, xlogy, copysign, ... (values, gradients, gradcheck, in-place forms, bad input)."""
import math

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import minitorch
from oracle import arrays, check, gradcheck, raises, shapes

FLOATS = [np.float32, np.float64]

# name -> (function of (lib, x), domain low, domain high)
UNARY = {
    "sinh": (lambda t, x: t.sinh(x), -3, 3), "cosh": (lambda t, x: x.cosh(), -3, 3),
    "asin": (lambda t, x: t.asin(x), -0.9, 0.9), "acos": (lambda t, x: x.acos(), -0.9, 0.9),
    "atan": (lambda t, x: t.atan(x), -4, 4), "asinh": (lambda t, x: x.asinh(), -4, 4),
    "acosh": (lambda t, x: t.acosh(x), 1.1, 4), "atanh": (lambda t, x: x.atanh(), -0.9, 0.9),
    "arcsin": (lambda t, x: t.arcsin(x), -0.9, 0.9), "arctanh": (lambda t, x: x.arctanh(), -0.9, 0.9),
    "deg2rad": (lambda t, x: t.deg2rad(x), -360, 360), "rad2deg": (lambda t, x: x.rad2deg(), -4, 4),
    "erf": (lambda t, x: t.erf(x), -4, 4), "erfc": (lambda t, x: x.erfc(), -4, 4),
    "exp2": (lambda t, x: t.exp2(x), -4, 4), "nan_to_num": (lambda t, x: t.nan_to_num(x), -2, 2),
    "clamp_min": (lambda t, x: t.clamp_min(x, 0.3), -2, 2), "clamp_max": (lambda t, x: x.clamp_max(-0.2), -2, 2),
    "float_power": (lambda t, x: t.float_power(x, 3), -2, 2),
    "copysign_number": (lambda t, x: t.copysign(x, -1.5), -2, 2),
    "xlogy_number": (lambda t, x: t.xlogy(x, 3.0), -2, 2), "xlogy_number_x": (lambda t, x: t.xlogy(2, x), 0.1, 3),
}

BINARY = {
    "atan2": (lambda t, y, x: t.atan2(y, x), -2, 2), "arctan2": (lambda t, y, x: y.arctan2(x), -2, 2),
    "hypot": (lambda t, x, y: t.hypot(x, y), -2, 2), "logaddexp": (lambda t, x, y: t.logaddexp(x, y), -3, 3),
    "logaddexp2": (lambda t, x, y: x.logaddexp2(y), -3, 3), "xlogy": (lambda t, x, y: t.xlogy(x, y), 0.1, 3),
    "copysign": (lambda t, x, y: t.copysign(x, y), -2, 2), "lerp_tensor": (lambda t, x, y: t.lerp(x, y, y.sin()), -2, 2),
    "lerp_number": (lambda t, x, y: x.lerp(y, 0.3), -2, 2), "float_power": (lambda t, x, y: x.abs().float_power(y), -2, 2),
    "addcmul": (lambda t, x, y: t.addcmul(x, y, x.cos(), value=0.5), -2, 2),
    "addcdiv": (lambda t, x, y: x.addcdiv(x, y, value=-2), 0.3, 2),
    "true_divide": (lambda t, x, y: x.true_divide(y), 0.3, 2),
}


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("dtype", FLOATS)
@given(shape=shapes())
def test_unary_matches_torch(name, dtype, shape):
    fn, low, high = UNARY[name]
    check(fn, arrays(shape, dtype, low=low, high=high))


@pytest.mark.parametrize("name", UNARY)
def test_unary_gradcheck(name):
    fn, low, high = UNARY[name]
    gradcheck(fn, arrays((2, 3), low=low, high=high))


def _broadcast_partner(shape, data):
    keep = data.draw(st.lists(st.booleans(), max_size=len(shape)))
    return tuple(s if k else 1 for k, s in zip(keep, shape[len(shape) - len(keep):]))


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", FLOATS)
@given(shape=shapes(max_dims=3), data=st.data())
def test_binary_matches_torch_with_broadcasting(name, dtype, shape, data):
    fn, low, high = BINARY[name]
    x, y = arrays(shape, dtype, seed=1, low=low, high=high), arrays(_broadcast_partner(shape, data), dtype, seed=2,
                                                                     low=low, high=high)
    check(fn, x, y)
    check(fn, y, x)


@pytest.mark.parametrize("name", BINARY)
def test_binary_gradcheck(name):
    fn, low, high = BINARY[name]
    gradcheck(fn, arrays((2, 3), seed=1, low=low, high=high), arrays((3,), seed=2, low=low, high=high))


def test_integer_inputs_give_floats_as_torch():
    ints = np.array([1, 2, 0])
    for fn in [lambda t, x: t.sinh(x), lambda t, x: t.asin(x), lambda t, x: t.deg2rad(x), lambda t, x: t.erf(x),
               lambda t, x: t.erfc(x), lambda t, x: t.exp2(x), lambda t, x: t.float_power(x, 2),
               lambda t, x: t.atan2(x, x), lambda t, x: t.xlogy(x, x), lambda t, x: t.copysign(x, -1.0),
               lambda t, x: t.nan_to_num(x), lambda t, x: t.heaviside(x, x), lambda t, x: t.addcmul(x, x, x),
               lambda t, x: t.signbit(x - 1)]:
        check(fn, ints, grad=False)


def test_special_values():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-30, 30.0, -30.0])
    for fn in [lambda t, a: t.erf(a), lambda t, a: t.erfc(a), lambda t, a: t.signbit(a), lambda t, a: t.asinh(a),
               lambda t, a: t.nan_to_num(a), lambda t, a: t.nan_to_num(a, nan=1.5, posinf=2.0, neginf=-2.0),
               lambda t, a: t.copysign(a.abs() + 1, a), lambda t, a: t.xlogy(a, a.abs()),
               lambda t, a: t.xlogy(a * 0, a), lambda t, a: t.heaviside(a, a.abs()),
               lambda t, a: t.logaddexp(a, a), lambda t, a: t.hypot(a, a.flip(0))]:
        check(fn, x, grad=False)
    check(lambda t, a: t.nan_to_num(a), x.astype(np.float32))
    check(lambda t, a: t.copysign(a, a.flip(0)), np.array([0.0, -0.0, 1.0, -2.0]))


def test_xlogy_gradient_is_zero_where_x_is_zero():
    check(lambda t, x, y: t.xlogy(x, y), np.array([0.0, 0.0, 2.0]), np.array([0.0, 1.5, 3.0]))


def test_erfc_keeps_its_tiny_values():
    check(lambda t, a: t.erfc(a), np.array([5.0, 8.0, 12.0, 26.0]))


def test_logaddexp_and_hypot_do_not_overflow():
    check(lambda t, x, y: t.logaddexp(x, y), np.array([1000.0, -1000.0]), np.array([999.0, -np.inf]))
    check(lambda t, x, y: t.hypot(x, y), np.array([1e200, 3.0]), np.array([1e200, 4.0]))


def test_in_place_forms():
    for name, extra in [("sinh_", ()), ("atan2_", "other"), ("erf_", ()), ("lerp_", "lerp"), ("clamp_min_", (0.0,)),
                        ("addcmul_", "pair"), ("copysign_", "other"), ("nan_to_num_", ()), ("subtract_", "other"),
                        ("true_divide_", "other")]:
        x = np.array([[0.5, -1.0], [2.0, 0.1]])
        args = {"other": lambda t: (t.tensor([1.0, -3.0], dtype=t.float64),),
                "lerp": lambda t: (t.tensor([1.0, -3.0], dtype=t.float64), 0.25),
                "pair": lambda t: (t.tensor([1.0, -3.0]), t.tensor(2.0))}.get(extra, lambda t: extra)
        check(lambda t, a: getattr(a.clone(), name)(*args(t)), x)
    with raises(RuntimeError, "Float", "Long"):
        minitorch.tensor([1, 2]).sinh_()


def test_more_ops_bad_input():
    x = minitorch.tensor([1.0, 2.0])
    with raises(TypeError, "atan2(): argument 'other' (position 2) must be Tensor, not float"):
        minitorch.atan2(x, 2.0)
    with raises(TypeError, "logaddexp(): argument 'other'"):
        minitorch.logaddexp(x, 1.0)
    with raises(NotImplementedError, "hypot", "Long"):
        minitorch.hypot(minitorch.tensor([3]), minitorch.tensor([4]))
    with raises(RuntimeError, "expected dtype float for `end` but got dtype double"):
        minitorch.lerp(x, x.double(), 0.5)
    with raises(RuntimeError, "expected dtype float for `weight`"):
        minitorch.lerp(x, x, x.double())
    with raises(RuntimeError, "heaviside is not yet implemented for tensors with different dtypes"):
        minitorch.heaviside(x, x.double())
    with raises(RuntimeError, "Integer division with addcdiv is no longer supported"):
        minitorch.addcdiv(x, minitorch.tensor([1]), minitorch.tensor([2]))
    with raises(RuntimeError, "The size of tensor a (2) must match the size of tensor b (3)"):
        minitorch.atan2(x, minitorch.zeros(3))
    with raises(RuntimeError, "The size of tensor a"):
        minitorch.lerp(x, x, minitorch.zeros(3))


# ----------------------------------------------------------------------------- products with an added term
PRODUCTS = {
    "addmm": (lambda t, i, a, b: t.addmm(i, a, b), [(3,), (2, 4), (4, 3)]),
    "addmm_scaled": (lambda t, i, a, b: i.addmm(a, b, beta=0.5, alpha=-2), [(2, 3), (2, 4), (4, 3)]),
    "addmv": (lambda t, i, a, b: t.addmv(i, a, b, alpha=3), [(2,), (2, 4), (4,)]),
    "addr": (lambda t, i, a, b: t.addr(i, a, b), [(2, 4), (2,), (4,)]),
    "baddbmm": (lambda t, i, a, b: t.baddbmm(i, a, b, beta=2), [(1, 2, 3), (5, 2, 4), (5, 4, 3)]),
    "addbmm": (lambda t, i, a, b: i.addbmm(a, b), [(2, 3), (5, 2, 4), (5, 4, 3)]),
}


@pytest.mark.parametrize("name", PRODUCTS)
@pytest.mark.parametrize("dtype", FLOATS)
def test_products_with_added_term(name, dtype):
    fn, shape_list = PRODUCTS[name]
    check(fn, *[arrays(s, dtype, seed=k) for k, s in enumerate(shape_list)])
    gradcheck(fn, *[arrays(s, seed=k) for k, s in enumerate(shape_list)])


def test_beta_zero_ignores_input_even_nan():
    check(lambda t, i, a, b: t.addmm(i, a, b, beta=0), np.array([np.nan, np.inf, 1.0]), arrays((2, 2)),
          arrays((2, 3)))
    check(lambda t, i, a, b: i.clone().addmm_(a, b, alpha=0.5), arrays((2, 3)), arrays((2, 2)), arrays((2, 3)))


# ----------------------------------------------------------------------------- cdist, grids, block_diag
@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, 0.5, math.inf])
@given(batch=shapes(max_dims=1, max_side=3), p_rows=st.integers(1, 4), r_rows=st.integers(1, 4),
       m=st.integers(1, 3))
def test_cdist(p, batch, p_rows, r_rows, m):
    check(lambda t, a, b: t.cdist(a, b, p=p), arrays(batch + (p_rows, m), seed=1), arrays((r_rows, m), seed=2))


def test_cdist_gradcheck_and_zero_distance():
    gradcheck(lambda t, a, b: t.cdist(a, b), arrays((3, 2), seed=1), arrays((2, 3, 2), seed=2))
    gradcheck(lambda t, a, b: t.cdist(a, b, p=3), arrays((3, 2), seed=1), arrays((4, 2), seed=2))
    same = arrays((3, 2))
    check(lambda t, a, b: t.cdist(a, b), same, same.copy())


@pytest.mark.parametrize("indexing", ["ij", "xy"])
@given(sizes=st.lists(st.integers(0, 4), min_size=1, max_size=3))
def test_meshgrid_and_cartesian_prod(indexing, sizes):
    inputs = [arrays((n,), seed=k) for k, n in enumerate(sizes)]
    check(lambda t, *xs: t.meshgrid(*xs, indexing=indexing), *inputs)
    check(lambda t, *xs: t.meshgrid(list(xs), indexing=indexing), *inputs)
    check(lambda t, *xs: t.cartesian_prod(*xs), *inputs)


def test_meshgrid_without_indexing_warns_as_torch():
    with pytest.warns(UserWarning, match="indexing argument"):
        grid = minitorch.meshgrid(minitorch.arange(2), minitorch.arange(3))
    assert grid[0].shape == (2, 3)


def test_block_diag():
    check(lambda t, a, b, c: t.block_diag(a, b, c), arrays((2, 3)), np.array(2.0), arrays((3,), seed=1))
    check(lambda t, a, b: t.block_diag(a, b), np.array([[1, 2]]), arrays((2, 2), np.float32))
    assert minitorch.block_diag().shape == torch.block_diag().shape


# ----------------------------------------------------------------------------- scans, NaN reductions, diff
@pytest.mark.parametrize("name", ["cummax", "cummin"])
@given(shape=shapes(), data=st.data())
def test_cummax_cummin(name, shape, data):
    dim = data.draw(st.integers(-max(len(shape), 1), max(len(shape), 1) - 1))
    ties = np.asarray(np.random.default_rng(len(shape)).integers(0, 4, shape), dtype=np.float64)
    check(lambda t, x: getattr(t, name)(x, dim), ties)
    check(lambda t, x: getattr(x, name)(dim), ties.astype(np.int64))


def test_cummax_with_nan_and_gradcheck():
    x = np.array([[1.0, 3.0, 3.0, 2.0, np.nan, 5.0, np.nan], [0.0, -1.0, 2.0, 2.0, 1.0, 4.0, 4.0]])
    check(lambda t, a: t.cummax(a, 1), x)
    check(lambda t, a: t.cummin(a, 1), x)
    gradcheck(lambda t, a: t.cummax(a, 0).values, arrays((5, 2)))


@pytest.mark.parametrize("dtype", FLOATS)
@given(shape=shapes(), data=st.data())
def test_logcumsumexp(dtype, shape, data):
    dim = data.draw(st.integers(-max(len(shape), 1), max(len(shape), 1) - 1))
    check(lambda t, x: t.logcumsumexp(x, dim), arrays(shape, dtype, low=-5, high=5))


def test_logcumsumexp_extremes_and_gradcheck():
    check(lambda t, x: t.logcumsumexp(x, 0), np.array([-1000.0, 0.0, 1000.0, -np.inf]))
    gradcheck(lambda t, x: t.logcumsumexp(x, 1), arrays((2, 4)))
    x = minitorch.tensor(arrays((4,)), requires_grad=True)
    assert minitorch.autograd.gradgradcheck(lambda a: minitorch.logcumsumexp(a, 0), (x,))


@given(shape=shapes(), keepdim=st.booleans(), data=st.data())
def test_nansum_nanmean_aminmax(shape, keepdim, data):
    x = arrays(shape)
    x[np.random.default_rng(1).random(shape) < 0.3] = np.nan
    dim = data.draw(st.one_of(st.none(), st.integers(-max(len(shape), 1), max(len(shape), 1) - 1)))
    check(lambda t, a: t.nansum(a, dim, keepdim), x)
    check(lambda t, a: a.nanmean(dim=dim, keepdim=keepdim), x)
    check(lambda t, a: t.aminmax(a, dim=dim, keepdim=keepdim), arrays(shape, np.int64))
    if dim is None:
        check(lambda t, a: t.aminmax(a), arrays(shape))
    else:
        check(lambda t, a: a.aminmax(dim=dim, keepdim=keepdim), arrays(shape))


@given(shape=shapes(min_dims=1), n=st.integers(0, 3), data=st.data())
def test_diff(shape, n, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    edge = tuple(2 if d == dim % len(shape) else s for d, s in enumerate(shape))
    check(lambda t, x: t.diff(x, n, dim), arrays(shape))
    check(lambda t, x, p, a: x.diff(n=n, dim=dim, prepend=p, append=a), arrays(shape), arrays(edge, seed=1),
          arrays(edge, seed=2))
    check(lambda t, x: t.diff(x, n, dim), arrays(shape, np.bool_))


# ----------------------------------------------------------------------------- tensor methods
def test_type_names_and_conversions():
    for dtype in ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]:
        assert minitorch.zeros(1, dtype=getattr(minitorch, dtype)).type() == \
            torch.zeros(1, dtype=getattr(torch, dtype)).type()
    check(lambda t, x: x.type(t.float64), arrays((2, 3), np.float32))
    check(lambda t, x: x.type("torch.LongTensor"), arrays((2, 3)), grad=False)
    with raises(ValueError, "invalid type", "torch.FloatTensor"):
        minitorch.zeros(1).type("torch.Floaty")


@pytest.mark.parametrize("shape, wrap", [((3, 4), False), ((7, 3), True), ((7, 3), False), ((3, 3, 3), False),
                                         ((2, 5), True)])
def test_fill_diagonal_(shape, wrap):
    check(lambda t, x: x.clone().fill_diagonal_(2.5, wrap=wrap), arrays(shape))
    check(lambda t, x: x.clone().fill_diagonal_(7, wrap=wrap), arrays(shape, np.int64), grad=False)


def test_index_fill_and_index_copy():
    index = np.array([2, 0])
    check(lambda t, x, i: t.index_fill(x, 1, i, -1.5), arrays((2, 3)), index)
    check(lambda t, x, i, v: x.index_fill(0, i, v), arrays((3, 2)), index, np.array(4.0))
    check(lambda t, x, i, s: t.index_copy(x, 0, i, s), arrays((3, 2)), index, arrays((2, 2), seed=1))
    check(lambda t, x, i, s: x.clone().index_copy_(1, i, s), arrays((2, 3)), index, arrays((2, 2), seed=1))
    check(lambda t, x, i: x.clone().index_fill_(0, i, 0), arrays((3, 2)), index)
    gradcheck(lambda t, x, s: t.index_copy(x, 0, t.tensor([2, 0]), s), arrays((3, 2)), arrays((2, 2), seed=1))


@given(shape=shapes(min_dims=1), data=st.data())
def test_unfold_is_a_view_with_summed_gradients(shape, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    size = data.draw(st.integers(0, shape[dim]))
    step = data.draw(st.integers(1, 3))
    check(lambda t, x: x.unfold(dim, size, step), arrays(shape))


def test_unfold_shares_memory_and_gradchecks():
    x = minitorch.arange(6.0)
    windows = x.unfold(0, 3, 1)
    x[2] = 100.0
    assert windows[:, 0].tolist() == [0.0, 1.0, 100.0, 3.0]
    gradcheck(lambda t, a: a.unfold(1, 2, 1), arrays((2, 4)))
    check(lambda t, a: a.unfold(0, 1, 1), np.array(5.0))


def test_matrix_and_scan_bad_input():
    with raises(RuntimeError, "mat1 must be a matrix, got 1-D tensor"):
        minitorch.addmm(minitorch.ones(2), minitorch.ones(2), minitorch.ones(2, 2))
    with raises(RuntimeError, "X1 and X2 must have the same number of columns. X1: 3 X2: 4"):
        minitorch.cdist(minitorch.ones(2, 3), minitorch.ones(2, 4))
    with raises(RuntimeError, "cdist only supports at least 2D tensors, X1 got: 1D"):
        minitorch.cdist(minitorch.ones(2), minitorch.ones(2, 2))
    with raises(RuntimeError, "cdist only supports floating-point dtypes, X1 got: Long"):
        minitorch.cdist(minitorch.ones(2, 2, dtype=minitorch.long), minitorch.ones(2, 2, dtype=minitorch.long))
    with raises(RuntimeError, "meshgrid expects all tensors to have the same dtype"):
        minitorch.meshgrid(minitorch.ones(2), minitorch.ones(2, dtype=minitorch.float64), indexing="ij")
    with raises(RuntimeError, "Expect a 1D vector, but got shape [2, 2]"):
        minitorch.cartesian_prod(minitorch.ones(2, 2))
    with raises(RuntimeError, "Input tensors must have 2 or fewer dimensions. Input 1 has 3 dimensions"):
        minitorch.block_diag(minitorch.ones(2), minitorch.ones(1, 1, 1))
    with raises(RuntimeError, "diff expects input to be at least one-dimensional"):
        minitorch.diff(minitorch.tensor(1.0))
    with raises(RuntimeError, "nanmean(): expected input to have floating point or complex dtype but got Long"):
        minitorch.nanmean(minitorch.tensor([1, 2]))
    with raises(RuntimeError, "maximum size for tensor at dimension 1 is 5 but size is 6"):
        minitorch.zeros(2, 5).unfold(1, 6, 1)
    with raises(RuntimeError, "step is 0 but must be > 0"):
        minitorch.zeros(2, 5).unfold(1, 2, 0)
    with raises(RuntimeError, "all dimensions of input must be of equal length"):
        minitorch.zeros(2, 3, 2).fill_diagonal_(1)
    with raises(RuntimeError, "Number of indices (2) should be equal to source.size(dim) (3)"):
        minitorch.zeros(3, 2).index_copy(0, minitorch.tensor([0, 2]), minitorch.ones(3, 2))
    with raises(IndexError, "index 5 is out of bounds for dimension 0 with size 3"):
        minitorch.zeros(3, 2).index_fill(0, minitorch.tensor([0, 5]), 1)


@pytest.mark.parametrize("call", [lambda t, x: x.repeat_interleave(2), lambda t, x: x.repeat_interleave(3, dim=1),
                                  lambda t, x: x.repeat_interleave(t.tensor([1, 0, 2]), dim=0),
                                  lambda t, x: t.repeat_interleave(x, t.tensor([2]), dim=-1)])
def test_repeat_interleave_matches_torch(call):
    check(call, arrays((3, 2), np.float64, seed=4))
    gradcheck(call, arrays((3, 2), np.float64, seed=5))


def test_repeat_interleave_of_counts_and_bad_repeats_as_torch():
    check(lambda t, counts: t.repeat_interleave(counts), np.array([1, 2, 0]), grad=False)
    for lib in (torch, minitorch):
        with raises(RuntimeError, "repeats must have the same size as input along dim"):
            lib.ones(2, 2).repeat_interleave(lib.tensor([1, 2, 3]), dim=0)
        with raises(RuntimeError, "Repeats must be non-negative"):
            lib.ones(2).repeat_interleave(-1)
