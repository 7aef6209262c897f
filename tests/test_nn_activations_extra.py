"""PReLU, RReLU, Softshrink, Hardshrink, Softmax2d, Threshold and the in-place functional forms
(selu_, celu_, threshold_, rrelu_) against torch: values, dtypes and gradients (at the kinks
too), gradcheck away from the kinks, reprs, the in-place writes, RReLU's random slopes, errors."""
import numpy as np
import pytest
import torch

import minitorch
from oracle import arrays, assert_close, check, gradcheck, raises

DTYPES = [np.float32, np.float64]


def with_kinks(shape, kinks, dtype, seed=0):
    """A random array of ``shape`` whose first elements are the function's kinks (exactly)."""
    x = arrays(shape, dtype, seed=seed)
    flat = x.reshape(-1)
    flat[:len(kinks)] = kinks
    return x


def away_from_kinks(shape, kinks, seed=0, gap=0.1):
    """A float64 array with every element at least ``gap`` from each kink, for gradcheck."""
    x = arrays(shape, np.float64, seed=seed)
    for kink in kinks:
        near = np.abs(x - kink) < gap
        x[near] = kink + np.where(x[near] >= kink, gap, -gap)
    return x


# name: (fn(lib, x), the kinks)
FUNCTIONS = {
    "softshrink": (lambda t, x: t.nn.functional.softshrink(x), (-0.5, 0.0, 0.5)),
    "softshrink_lambd": (lambda t, x: t.nn.functional.softshrink(x, 1.25), (-1.25, 1.25)),
    "softshrink_zero": (lambda t, x: t.nn.functional.softshrink(x, 0.0), (0.0,)),
    "hardshrink": (lambda t, x: t.nn.functional.hardshrink(x), (-0.5, 0.0, 0.5)),
    "hardshrink_lambd": (lambda t, x: t.nn.functional.hardshrink(x, lambd=1.25), (-1.25, 1.25)),
    "rrelu_eval": (lambda t, x: t.nn.functional.rrelu(x), (0.0,)),
    "rrelu_eval_bounds": (lambda t, x: t.nn.functional.rrelu(x, 0.1, 0.3, training=False), (0.0,)),
    "threshold": (lambda t, x: t.nn.functional.threshold(x, 0.5, -3.0), (0.5,)),
    "softmax2d_4d": (lambda t, x: t.nn.Softmax2d()(x.reshape(2, 3, 2, 5)), ()),
    "softmax2d_3d": (lambda t, x: t.nn.Softmax2d()(x.reshape(3, 4, 5)), ()),
    "module_softshrink": (lambda t, x: t.nn.Softshrink(0.3)(x), (-0.3, 0.3)),
    "module_hardshrink": (lambda t, x: t.nn.Hardshrink()(x), (-0.5, 0.5)),
    "module_rrelu_eval": (lambda t, x: t.nn.RReLU(0.2, 0.4).eval()(x), (0.0,)),
    "module_threshold": (lambda t, x: t.nn.Threshold(0.1, 20.0)(x), (0.1,)),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", FUNCTIONS)
def test_activation_matches_torch_at_random_points_and_kinks(name, dtype):
    fn, kinks = FUNCTIONS[name]
    check(fn, with_kinks((60,), kinks, dtype))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_activation_gradcheck_away_from_kinks(name):
    fn, kinks = FUNCTIONS[name]
    gradcheck(fn, away_from_kinks((60,), kinks))


def test_rrelu_in_evaluation_is_exactly_leaky_relu_with_the_mean_slope():
    x = with_kinks((200,), (0.0,), np.float32)
    mine = minitorch.nn.RReLU(0.1, 0.3).eval()(minitorch.tensor(x))
    theirs = torch.nn.RReLU(0.1, 0.3).eval()(torch.tensor(x))
    np.testing.assert_array_equal(mine.numpy(), theirs.numpy())


# ----------------------------------------------------------------------------- PReLU
PRELU_CASES = {  # name: (input shape, weight shape)
    "shared": ((2, 4, 5), (1,)),
    "per_channel_3d": ((2, 4, 5), (4,)),
    "per_channel_4d": ((2, 3, 2, 2), (3,)),
    "per_channel_2d": ((5, 4), (4,)),
    "one_d_input": ((6,), (1,)),
    "zero_dim_weight": ((2, 4, 3), ()),
    "zero_dim_input": ((), (1,)),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", PRELU_CASES)
def test_prelu_matches_torch_with_the_weight_gradient(name, dtype):
    x_shape, w_shape = PRELU_CASES[name]
    x = with_kinks(x_shape, (0.0,), dtype) if x_shape else np.array(-0.7, dtype)
    w = arrays(w_shape, dtype, seed=1, low=0.05, high=0.5)
    check(lambda t, x, w: t.nn.functional.prelu(x, w), x, w)


@pytest.mark.parametrize("name", PRELU_CASES)
def test_prelu_gradcheck_in_float64(name):
    x_shape, w_shape = PRELU_CASES[name]
    x = away_from_kinks(x_shape, (0.0,)) if x_shape else np.array(-0.7)
    gradcheck(lambda t, x, w: t.nn.functional.prelu(x, w), x, arrays(w_shape, seed=1))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_prelu_module_learns_one_slope_per_channel_as_torch(dtype):
    theirs = torch.nn.PReLU(3, init=0.1).to(getattr(torch, dtype))
    mine = minitorch.nn.PReLU(3, init=0.1).to(getattr(minitorch, dtype))
    assert mine.weight.shape == theirs.weight.shape and mine.weight.dtype == getattr(minitorch, dtype)
    assert_close(mine.weight, theirs.weight)
    x = with_kinks((2, 3, 4, 4), (0.0,), np.dtype(dtype))
    check(lambda t, x: (mine if t is minitorch else theirs)(x), x)
    assert_close(mine.weight.grad, theirs.weight.grad, what="weight gradient")
    assert [n for n, _ in mine.named_parameters()] == ["weight"]


def test_prelu_module_takes_dtype_and_the_init_value():
    layer = minitorch.nn.PReLU(init=-0.5, dtype=minitorch.float64)
    assert layer.weight.dtype == minitorch.float64 and layer.weight.tolist() == [-0.5]
    assert layer.weight.requires_grad


# ----------------------------------------------------------------------------- RReLU in training
def test_rrelu_in_training_draws_slopes_in_range_and_uses_them_in_the_gradient():
    minitorch.manual_seed(0)
    x = minitorch.tensor(np.concatenate([-np.linspace(0.1, 3, 5000), np.linspace(0.1, 3, 100)]),
                         dtype=minitorch.float32, requires_grad=True)
    y = minitorch.nn.functional.rrelu(x, 0.1, 0.3, training=True)
    assert y.dtype == minitorch.float32
    y.sum().backward()
    slopes = (y / x).detach().numpy()
    negative = x.detach().numpy() < 0
    eps = np.finfo(np.float32).eps
    assert slopes[negative].min() >= 0.1 - eps and slopes[negative].max() <= 0.3 + eps
    assert slopes[negative].min() < 0.11 and slopes[negative].max() > 0.29  # the whole range is used
    assert abs(slopes[negative].mean() - 0.2) < 0.005
    np.testing.assert_array_equal(slopes[~negative], 1.0)
    np.testing.assert_allclose(x.grad.numpy(), slopes, rtol=1e-6)


def test_rrelu_module_is_random_in_training_and_reproducible_with_a_seed():
    layer = minitorch.nn.RReLU()
    x = -minitorch.ones(50)
    minitorch.manual_seed(3)
    first = layer(x)
    minitorch.manual_seed(3)
    assert (layer(x) == first).all()
    assert len(np.unique(first.numpy())) > 1
    assert (layer.eval()(x) == -(1 / 8 + 1 / 3) / 2).all()


def test_rrelu_in_place_in_training_writes_the_drawn_slopes_into_the_input():
    x = minitorch.tensor([-2.0, -1.0, 3.0])
    assert minitorch.nn.functional.rrelu_(x, 0.2, 0.4, training=True) is x
    slopes = x.numpy()[:2] / np.array([-2.0, -1.0])
    assert ((slopes >= 0.2 - 1e-7) & (slopes <= 0.4 + 1e-7)).all() and x[2].item() == 3.0
    layer = minitorch.nn.RReLU(inplace=True)
    y = minitorch.tensor([-1.0, 1.0])
    assert layer(y) is y and y[0].item() < 0


# ----------------------------------------------------------------------------- in place, integers, repr
IN_PLACE = {  # name: (torch's in-place function, keyword arguments)
    "threshold_": ("threshold_", dict(threshold=0.2, value=-1.0)),
    "selu_": ("selu_", {}),
    "celu_": ("celu_", dict(alpha=0.7)),
    "rrelu_eval": ("rrelu_", dict(lower=0.1, upper=0.2)),
}


@pytest.mark.parametrize("name", IN_PLACE)
def test_in_place_functional_forms_write_into_the_input(name):
    function, kwargs = IN_PLACE[name]
    x = arrays((3, 4))
    mine, theirs = minitorch.tensor(x), torch.tensor(x)
    assert getattr(minitorch.nn.functional, function)(mine, **kwargs) is mine
    getattr(torch.nn.functional, function)(theirs, **kwargs)
    assert_close(mine, theirs)


@pytest.mark.parametrize("make", [lambda t: t.nn.Threshold(0.5, -3.0, inplace=True),
                                  lambda t: t.nn.RReLU(0.1, 0.3, inplace=True).eval()])
def test_in_place_modules_match_torch_with_the_gradient_of_a_leaf_through_them(make):
    x = with_kinks((20,), (0.0, 0.5), np.float64)
    check(lambda t, x: make(t)(x * 1), x)


def test_in_place_modules_write_into_their_input():
    for layer in (minitorch.nn.Threshold(0.0, 5.0, inplace=True), minitorch.nn.RReLU(inplace=True)):
        x = minitorch.tensor([-1.0, 2.0])
        assert layer(x) is x and x[1].item() == 2.0


def test_threshold_of_integers_keeps_the_dtype_and_truncates_the_numbers_as_torch():
    x = np.array([0, -1, 1, 5])
    check(lambda t, x: t.nn.functional.threshold(x, -0.5, 9.7), x, grad=False)
    check(lambda t, x: t.nn.functional.threshold(x, 1, 7), x, grad=False)


def test_threshold_keeps_nan_and_gives_it_the_gradient_as_torch():
    check(lambda t, x: t.nn.functional.threshold(x, 0.0, 5.0), np.array([np.nan, 1.0, -1.0, np.inf, -np.inf]))


@pytest.mark.parametrize("name", ["softshrink", "hardshrink", "rrelu_eval"])
def test_nan_and_infinities_match_torch(name):
    fn, _ = FUNCTIONS[name]
    check(fn, np.array([np.nan, np.inf, -np.inf, -0.0, 0.5]))
    check(lambda t, x, w: t.nn.functional.prelu(x, w), np.array([np.nan, np.inf, -np.inf, -1.0]), np.array([0.3]))


REPRS = [lambda nn: nn.PReLU(), lambda nn: nn.PReLU(3, 0.1), lambda nn: nn.RReLU(),
         lambda nn: nn.RReLU(0.1, 0.3, True), lambda nn: nn.Softshrink(), lambda nn: nn.Softshrink(1),
         lambda nn: nn.Hardshrink(0.25), lambda nn: nn.Softmax2d(), lambda nn: nn.Threshold(0.1, 20),
         lambda nn: nn.Threshold(0.1, 20.0, inplace=True)]


@pytest.mark.parametrize("make", REPRS)
def test_repr_matches_torch(make):
    assert repr(make(minitorch.nn)) == repr(make(torch.nn))


@pytest.mark.parametrize("name", ["prelu", "rrelu", "rrelu_", "softshrink", "hardshrink", "threshold", "threshold_",
                                  "selu_", "celu_", "softsign", "tanhshrink", "logsigmoid", "mish", "hardsigmoid",
                                  "hardswish", "selu", "celu", "glu", "softmin"])
def test_functional_names_exist_as_in_torch(name):
    assert hasattr(torch.nn.functional, name) and hasattr(minitorch.nn.functional, name)


# ----------------------------------------------------------------------------- errors
ERRORS = {  # name: (fn(lib), exception class, a fragment of torch's message)
    "prelu_channel_mismatch": (lambda t: t.nn.functional.prelu(t.ones(2, 3, 4), t.ones(2)), RuntimeError,
                               "Found parameter numbers = 2 and channel size = 3."),
    "prelu_module_mismatch": (lambda t: t.nn.PReLU(2)(t.ones(4, 3)), RuntimeError, "channel size = 3"),
    "prelu_1d_input_many_weights": (lambda t: t.nn.functional.prelu(t.ones(3), t.ones(3)), RuntimeError,
                                    "channel size = 1"),
    "prelu_zero_dim_input": (lambda t: t.nn.functional.prelu(t.tensor(1.0), t.ones(3)), RuntimeError,
                             "Not allow zero-dim input tensor."),
    "prelu_2d_weight": (lambda t: t.nn.functional.prelu(t.ones(2, 3), t.ones(3, 1)), RuntimeError,
                        "Expected `weight` to be a scalar or 1D tensor, but got: ndim = 2"),
    "prelu_dtypes": (lambda t: t.nn.functional.prelu(t.ones(2, 3), t.ones(3, dtype=t.float64)), RuntimeError,
                     "Type promoting not supported. Got Float and Double"),
    "prelu_integers": (lambda t: t.nn.functional.prelu(t.ones(2, 3, dtype=t.int64), t.ones(1, dtype=t.int64)),
                       NotImplementedError, "'Long'"),
    "prelu_numpy_weight": (lambda t: t.nn.functional.prelu(t.ones(2, 3), np.ones(3, np.float32)), TypeError,
                           "argument 'weight' (position 2) must be Tensor"),
    "softshrink_negative": (lambda t: t.nn.functional.softshrink(t.ones(3), -1), RuntimeError,
                            "lambda must be in range [0, 3.40282e+38] for input dtype Float, but found -1"),
    "softshrink_negative_double": (lambda t: t.nn.Softshrink(-0.25)(t.ones(3, dtype=t.float64)), RuntimeError,
                                   "lambda must be in range [0, 1.79769e+308] for input dtype Double, but found -0.25"),
    "softshrink_integers": (lambda t: t.nn.functional.softshrink(t.arange(3)), NotImplementedError, "'Long'"),
    "hardshrink_integers": (lambda t: t.nn.functional.hardshrink(t.arange(3)), NotImplementedError, "'Long'"),
    "rrelu_bounds": (lambda t: t.nn.functional.rrelu(t.ones(3), 0.5, 0.1), RuntimeError,
                     "Lower bound should be less than or equal to the upper bound"),
    "rrelu_bounds_training": (lambda t: t.nn.RReLU(0.5, 0.1)(t.ones(3)), RuntimeError, "Lower bound"),
    "rrelu_integers_training": (lambda t: t.nn.functional.rrelu(t.arange(3), training=True), NotImplementedError,
                                "'Long'"),
    "softmax2d_2d": (lambda t: t.nn.Softmax2d()(t.ones(2, 3)), ValueError,
                     "Softmax2d: expected input to be 3D or 4D, got 2D instead"),
    "softmax2d_5d": (lambda t: t.nn.Softmax2d()(t.ones(1, 2, 3, 4, 5)), ValueError, "got 5D instead"),
}


@pytest.mark.parametrize("name", ERRORS)
def test_bad_arguments_raise_as_torch(name):
    fn, exc, fragment = ERRORS[name]
    for lib in (torch, minitorch):
        with raises(exc, fragment):
            fn(lib)


def test_hardshrink_takes_a_negative_lambd_as_torch_keeping_every_value():
    check(lambda t, x: t.nn.functional.hardshrink(x, -1.0), arrays((10,)))
