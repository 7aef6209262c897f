"""Every elementwise op and operator against torch: values and gradients, broadcasting, float32/float64."""
import operator

import numpy as np
import pytest
from hypothesis import given, strategies as st

import minitorch
from oracle import arrays, check, gradcheck, raises, shapes

FLOATS = [np.float32, np.float64]

# name -> (function of (lib, x), domain low, domain high)
UNARY = {
    "neg": (lambda t, x: -x, -2, 2), "exp": (lambda t, x: t.exp(x), -2, 2), "expm1": (lambda t, x: x.expm1(), -2, 2),
    "log": (lambda t, x: t.log(x), 0.1, 3), "log1p": (lambda t, x: x.log1p(), -0.5, 3),
    "log2": (lambda t, x: t.log2(x), 0.1, 3), "log10": (lambda t, x: x.log10(), 0.1, 3),
    "sqrt": (lambda t, x: t.sqrt(x), 0.1, 3), "rsqrt": (lambda t, x: x.rsqrt(), 0.1, 3),
    "abs": (lambda t, x: t.abs(x), -2, 2), "abs_op": (lambda t, x: abs(x), -2, 2),
    "sin": (lambda t, x: t.sin(x), -3, 3), "cos": (lambda t, x: x.cos(), -3, 3), "tan": (lambda t, x: t.tan(x), -1, 1),
    "tanh": (lambda t, x: t.tanh(x), -3, 3), "sigmoid": (lambda t, x: t.sigmoid(x), -5, 5),
    "relu": (lambda t, x: t.relu(x), -2, 2), "square": (lambda t, x: t.square(x), -2, 2),
    "reciprocal": (lambda t, x: x.reciprocal(), 0.2, 3), "sign": (lambda t, x: t.sign(x), -2, 2),
    "floor": (lambda t, x: t.floor(x), -3, 3), "ceil": (lambda t, x: x.ceil(), -3, 3),
    "round": (lambda t, x: t.round(x), -3, 3), "trunc": (lambda t, x: t.trunc(x), -3, 3),
    "frac": (lambda t, x: t.frac(x), -3, 3), "pos": (lambda t, x: +x, -2, 2),
    "pow_scalar": (lambda t, x: x ** 3, -2, 2), "pow_half": (lambda t, x: x ** 0.5, 0.1, 3),
    "rpow": (lambda t, x: 2 ** x, -2, 2), "clamp": (lambda t, x: t.clamp(x, -0.5, 0.7), -2, 2),
    "clamp_min": (lambda t, x: x.clamp(min=0.1), -2, 2), "clip_max": (lambda t, x: t.clip(x, max=0.3), -2, 2),
    "round_decimals": (lambda t, x: t.round(x, decimals=2), -3, 3),
}

BINARY = {
    "add": lambda t, x, y: x + y, "sub": lambda t, x, y: x - y, "mul": lambda t, x, y: x * y,
    "div": lambda t, x, y: x / y, "pow": lambda t, x, y: x.abs() ** y,
    "maximum": lambda t, x, y: t.maximum(x, y), "minimum": lambda t, x, y: t.minimum(x, y),
    "add_alpha": lambda t, x, y: t.add(x, y, alpha=2.5), "sub_alpha": lambda t, x, y: t.sub(x, y, alpha=0.5),
    "mul_fn": lambda t, x, y: t.mul(x, y), "div_fn": lambda t, x, y: t.div(x, y),
    "where": lambda t, x, y: t.where(x > y, x, y),
    "remainder": lambda t, x, y: x % y, "fmod": lambda t, x, y: t.fmod(x, y),
    "floor_divide": lambda t, x, y: x // y,
}

NON_SMOOTH_BINARY = {"remainder", "fmod", "floor_divide"}


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("dtype", FLOATS)
@given(shape=shapes())
def test_unary_matches_torch(name, dtype, shape):
    fn, low, high = UNARY[name]
    check(fn, arrays(shape, dtype, low=low, high=high))


def _away_from_zero(a):
    return np.where(np.abs(a) < 0.3, 0.3 + np.abs(a), a).astype(a.dtype)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", FLOATS)
@given(shape=shapes(max_dims=3), data=st.data())
def test_binary_matches_torch_with_broadcasting(name, dtype, shape, data):
    other = data.draw(st.lists(st.sampled_from([1, None]), min_size=0, max_size=len(shape)).map(
        lambda keep: tuple(1 if k == 1 else s for k, s in zip(keep, shape[len(shape) - len(keep):]))))
    x, y = arrays(shape, dtype, seed=1), _away_from_zero(arrays(other, dtype, seed=2))
    check(BINARY[name], x, y, grad=name not in NON_SMOOTH_BINARY)
    check(BINARY[name], y, x, grad=name not in NON_SMOOTH_BINARY)


@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow,
                                operator.floordiv, operator.mod])
@pytest.mark.parametrize("number", [2, 2.5, -1.5])
def test_operators_with_python_numbers_both_sides(op, number):
    x = np.array([[0.5, 1.5, 2.0], [3.0, 1.25, 0.75]])
    smooth = op not in (operator.floordiv, operator.mod)
    check(lambda t, a: op(a, number), x, grad=smooth)
    check(lambda t, a: op(number, a), x, grad=smooth)


@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
                                operator.mod, operator.pow])
@pytest.mark.parametrize("number", [3, -2])
def test_integer_tensor_arithmetic(op, number):
    x = np.array([-7, -1, 0, 4, 9])
    if op is operator.pow:
        number = abs(number)
    check(lambda t, a: op(a, number), x)
    check(lambda t, a: op(number, a) if op is not operator.pow else op(a, 2), x + 10 * (x == 0))


def test_integer_tensor_with_integer_tensor():
    x, y = np.array([7, -7, 9, 0]), np.array([2, 2, -4, 3])
    for op in [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv, operator.mod]:
        check(lambda t, a, b: op(a, b), x, y)
    check(lambda t, a, b: t.fmod(a, b), x, y)
    check(lambda t, a, b: t.div(a, b, rounding_mode="trunc"), x, y)
    check(lambda t, a, b: t.div(a, b, rounding_mode="floor"), x, y)


@pytest.mark.parametrize("dtype", FLOATS)
def test_div_rounding_modes_on_floats(dtype):
    x, y = np.array([7.5, -7.5, 3.0, -1.0], dtype), np.array([2.0, 2.0, -4.0, 3.0], dtype)
    for mode in ["trunc", "floor"]:
        check(lambda t, a, b: t.div(a, b, rounding_mode=mode), x, y)


@pytest.mark.parametrize("fn", [lambda t, x: t.exp(x), lambda t, x: t.sqrt(x), lambda t, x: t.sigmoid(x),
                                lambda t, x: t.sin(x), lambda t, x: x / 2, lambda t, x: t.log(x),
                                lambda t, x: t.tanh(x), lambda t, x: x.reciprocal(), lambda t, x: x.rsqrt()])
def test_integer_inputs_give_floats(fn):
    check(fn, np.array([1, 2, 4]))


@pytest.mark.parametrize("fn", [lambda t, x: t.abs(x), lambda t, x: -x, lambda t, x: t.relu(x),
                                lambda t, x: t.clamp(x, -1, 2), lambda t, x: t.sign(x), lambda t, x: x.square(),
                                lambda t, x: t.clamp(x, min=0.5), lambda t, x: t.maximum(x, x.flip(0))])
def test_integer_inputs_keep_integer_ops(fn):
    check(fn, np.array([-3, -1, 0, 2, 5]))


def test_clamp_with_tensor_bounds():
    x, lo, hi = arrays((3, 4), seed=1), arrays((4,), seed=2, low=-1, high=0), arrays((3, 1), seed=3, low=0, high=1)
    check(lambda t, a, b, c: t.clamp(a, b, c), x, lo, hi)
    check(lambda t, a, b: t.clamp(a, min=b), x, lo)
    check(lambda t, a, c: t.clamp(a, max=c), x, hi)


def test_clamp_min_and_max_with_tensor_bounds_and_without_a_bound():
    x, lo = arrays((3, 4), seed=1), arrays((4,), seed=2, low=-1, high=0)
    check(lambda t, a, b: t.clamp_min(a, b), x, lo)
    check(lambda t, a, b: a.clamp_max(b), x, lo)
    for no_bound in (lambda t: t.clamp(), lambda t: t.clamp_min(None), lambda t: t.clamp_max(None)):
        with raises(RuntimeError, "At least one of 'min' or 'max' must not be None"):
            no_bound(minitorch.ones(2))


def test_where_with_scalars_and_broadcasting():
    x = arrays((2, 3), seed=4)
    check(lambda t, a: t.where(a > 0, a, 0.0), x)
    check(lambda t, a: t.where(a > 0, 1.0, a), x)
    check(lambda t, a, b: t.where(a[0] > 0, a, b), x, arrays((3,), seed=5))


@pytest.mark.parametrize("name", ["eq", "ne", "lt", "le", "gt", "ge"])
def test_comparisons(name):
    x, y = np.array([[1.0, 2.0, 3.0]]), np.array([[2.0], [1.0]])
    check(lambda t, a, b: getattr(t, name)(a, b), x, y, grad=False)
    check(lambda t, a: getattr(a, name)(2.0), x, grad=False)
    symbol = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt,
              "ge": operator.ge}[name]
    check(lambda t, a, b: symbol(a, b), x, y, grad=False)
    check(lambda t, a: symbol(2, a), x, grad=False)


def test_logical_and_bitwise_ops():
    a, b = np.array([True, False, True, False]), np.array([True, True, False, False])
    for fn in [lambda t, x, y: x & y, lambda t, x, y: x | y, lambda t, x, y: x ^ y, lambda t, x, y: ~x,
               lambda t, x, y: t.logical_and(x, y), lambda t, x, y: t.logical_or(x, y),
               lambda t, x, y: t.logical_xor(x, y), lambda t, x, y: t.logical_not(x)]:
        check(fn, a, b)
    i, j = np.array([12, 5, -3]), np.array([10, 3, 7])
    for fn in [lambda t, x, y: x & y, lambda t, x, y: x | y, lambda t, x, y: x ^ y, lambda t, x, y: ~x,
               lambda t, x, y: t.logical_and(x, y)]:
        check(fn, i, j)


def test_isnan_isinf_isfinite_isclose_allclose_equal():
    x = np.array([1.0, np.nan, np.inf, -np.inf, 0.0])
    for name in ["isnan", "isinf", "isfinite"]:
        check(lambda t, a: getattr(t, name)(a), x, grad=False)
    a, b = np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0 + 1e-7, 3.1])
    check(lambda t, p, q: t.isclose(p, q), a, b, grad=False)
    assert minitorch.allclose(minitorch.tensor(a), minitorch.tensor(a + 1e-9))
    assert not minitorch.allclose(minitorch.tensor(a), minitorch.tensor(b))
    assert minitorch.equal(minitorch.tensor(a), minitorch.tensor(a))
    assert not minitorch.equal(minitorch.tensor(a), minitorch.tensor(a[:2]))


def test_special_values_match_torch():
    x = np.array([0.0, -0.0, 1e-30, 50.0, -50.0, np.inf, -np.inf], dtype=np.float32)
    for fn in [lambda t, a: t.sigmoid(a), lambda t, a: t.tanh(a), lambda t, a: t.exp(-a.abs()),
               lambda t, a: t.relu(a), lambda t, a: t.abs(a), lambda t, a: t.sign(a)]:
        check(fn, x, grad=False)


def test_gradients_at_kinks_follow_torch():
    x = np.array([-1.0, 0.0, 1.0])
    for fn in [lambda t, a: t.relu(a), lambda t, a: t.abs(a), lambda t, a: t.clamp(a, 0.0, 1.0),
               lambda t, a: t.maximum(a, t.zeros(3, dtype=a.dtype)), lambda t, a: t.minimum(a, a.detach()),
               lambda t, a: a ** 2.0, lambda t, a: t.sqrt(a.abs() + 1), lambda t, a: a ** 0.0]:
        check(fn, x)
    check(lambda t, a, b: a ** b, np.array([0.0, 0.0, 2.0]), np.array([2.0, 0.5, 3.0]))


# ----------------------------------------------------------------------------- gradcheck (float64)
@pytest.mark.parametrize("name", [n for n in UNARY if n not in {"sign", "floor", "ceil", "round", "trunc",
                                                                 "round_decimals", "frac"}])
def test_unary_gradcheck(name):
    fn, low, high = UNARY[name]
    x = arrays((2, 3), low=low, high=high, seed=7)
    gradcheck(fn, x)
    minitorch_x = minitorch.tensor(x, requires_grad=True)
    assert minitorch.autograd.gradgradcheck(lambda a: fn(minitorch, a), (minitorch_x,))


@pytest.mark.parametrize("name", [n for n in BINARY if n not in NON_SMOOTH_BINARY])
def test_binary_gradcheck(name):
    x, y = arrays((2, 3), seed=8), _away_from_zero(arrays((3,), seed=9))
    gradcheck(BINARY[name], x, y)
    inputs = (minitorch.tensor(x, requires_grad=True), minitorch.tensor(y, requires_grad=True))
    assert minitorch.autograd.gradgradcheck(lambda a, b: BINARY[name](minitorch, a, b), inputs)


# ----------------------------------------------------------------------------- bad input
def test_broadcasting_error_names_both_shapes():
    with raises(RuntimeError, "size of tensor a (3) must match the size of tensor b (4)", "[2, 3]", "[4]"):
        minitorch.ones(2, 3) + minitorch.ones(4)
    with raises(RuntimeError, "[2, 3]", "[2]"):
        minitorch.maximum(minitorch.ones(2, 3), minitorch.ones(2))
    with raises(RuntimeError, "must match"):
        minitorch.where(minitorch.ones(3) > 0, minitorch.ones(3), minitorch.ones(2))


def test_bad_operands():
    with raises(TypeError, "str"):
        minitorch.ones(2) + "a"
    with raises(RuntimeError, "boolean"):
        minitorch.where(minitorch.ones(2), minitorch.ones(2), minitorch.ones(2))
    with raises(RuntimeError, "At least one of 'min' or 'max'"):
        minitorch.clamp(minitorch.ones(2))
    with raises(RuntimeError, "bitwise_and", "Float"):
        minitorch.ones(2) & minitorch.ones(2)
    with raises(ValueError, "rounding_mode"):
        minitorch.div(minitorch.ones(2), 2, rounding_mode="up")


def test_bool_tensors_in_arithmetic_follow_torch():
    check(lambda t, a: a.sign(), np.array([True, False]))
    check(lambda t, a: a + a, np.array([True, False]))
    check(lambda t, a: a * 3, np.array([True, False]))
    check(lambda t, a: a.sum(), np.array([True, True]))
