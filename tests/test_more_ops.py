"""The ops learners reach for beyond the core, against torch: trig/hyperbolic and their inverses, erf/erfc,
exp2, lerp, logaddexp, xlogy, copysign, ... (values, gradients, gradcheck, in-place forms, bad input)."""
import math

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import minitorch
from oracle import arrays, assert_close, check, gradcheck, raises, shapes

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
