"""nn.init: each initialiser draws from the distribution torch's documentation gives (checked with
fixed seeds on large tensors: mean, std and bounds, and a Kolmogorov-Smirnov distance), and layers
start from torch's default distributions."""
import math

import numpy as np
import pytest
import torch

import minitorch
from minitorch.nn import init
from oracle import raises


def ks_distance(sample, cdf):
    """The largest gap between the sample's empirical CDF and ``cdf``."""
    sample = np.sort(sample.ravel())
    n = len(sample)
    theoretical = cdf(sample)
    return max(np.max(np.arange(1, n + 1) / n - theoretical), np.max(theoretical - np.arange(n) / n))


def normal_cdf(std, mean=0.0):
    return lambda x: 0.5 * (1 + np.vectorize(math.erf)((x - mean) / (std * math.sqrt(2))))


def uniform_cdf(low, high):
    return lambda x: np.clip((x - low) / (high - low), 0, 1)


KS_LIMIT = 1.63 / math.sqrt(20_000)  # the 1% critical value for n = 20,000


def draw(fn, shape=(100, 200), **kwargs):
    minitorch.manual_seed(0)
    return fn(minitorch.empty(*shape), **kwargs).numpy()


@pytest.mark.parametrize("fn, kwargs, cdf", [
    (init.uniform_, dict(a=-2.0, b=3.0), uniform_cdf(-2, 3)),
    (init.normal_, dict(mean=1.0, std=0.5), normal_cdf(0.5, 1.0)),
    (init.xavier_uniform_, dict(gain=2.0), uniform_cdf(-2 * math.sqrt(6 / 300), 2 * math.sqrt(6 / 300))),
    (init.xavier_normal_, {}, normal_cdf(math.sqrt(2 / 300))),
    (init.kaiming_uniform_, dict(a=math.sqrt(5)), uniform_cdf(-1 / math.sqrt(200), 1 / math.sqrt(200))),
    (init.kaiming_normal_, dict(mode="fan_out", nonlinearity="relu"), normal_cdf(math.sqrt(2 / 100))),
])
def test_initialisers_follow_their_distribution(fn, kwargs, cdf):
    assert ks_distance(draw(fn, **kwargs), cdf) < KS_LIMIT


def test_trunc_normal_stays_in_bounds_with_the_truncated_moments():
    values = draw(init.trunc_normal_, mean=0.0, std=1.0, a=-1.0, b=2.0)
    assert values.min() >= -1.0 and values.max() <= 2.0
    reference = torch.nn.init.trunc_normal_(torch.empty(200_000), 0.0, 1.0, -1.0, 2.0).numpy()
    assert abs(values.mean() - reference.mean()) < 0.02 and abs(values.std() - reference.std()) < 0.02


def test_orthogonal_gives_orthonormal_rows_or_columns():
    wide = draw(init.orthogonal_, shape=(3, 5), gain=2.0)
    np.testing.assert_allclose(wide @ wide.T, 4 * np.eye(3), atol=1e-5)
    tall = draw(init.orthogonal_, shape=(6, 2, 2))
    flat = tall.reshape(6, 4)
    np.testing.assert_allclose(flat.T @ flat, np.eye(4), atol=1e-5)


def test_deterministic_initialisers_match_torch():
    for name, args in [("constant_", (0.3,)), ("ones_", ()), ("zeros_", ()), ("eye_", ())]:
        mine = getattr(init, name)(minitorch.empty(3, 4), *args)
        theirs = getattr(torch.nn.init, name)(torch.empty(3, 4), *args)
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())


def test_calculate_gain_matches_torch():
    for args in [("linear",), ("conv2d",), ("sigmoid",), ("tanh",), ("relu",), ("leaky_relu",),
                 ("leaky_relu", 0.2), ("selu",)]:
        assert init.calculate_gain(*args) == pytest.approx(torch.nn.init.calculate_gain(*args))
    with raises(ValueError, "Unsupported nonlinearity softsign"):
        init.calculate_gain("softsign")


def test_init_is_reproducible_and_not_tracked():
    minitorch.manual_seed(3)
    a = minitorch.nn.Linear(4, 3)
    minitorch.manual_seed(3)
    b = minitorch.nn.Linear(4, 3)
    np.testing.assert_array_equal(a.weight.detach().numpy(), b.weight.detach().numpy())
    assert a.weight.is_leaf and a.weight.grad_fn is None


def test_layers_start_from_torchs_default_ranges():
    minitorch.manual_seed(0)
    linear = minitorch.nn.Linear(50, 400)
    bound = 1 / math.sqrt(50)
    assert ks_distance(linear.weight.detach().numpy(), uniform_cdf(-bound, bound)) < KS_LIMIT
    assert np.abs(linear.bias.detach().numpy()).max() <= bound
    conv = minitorch.nn.Conv2d(8, 200, 5)
    bound = 1 / math.sqrt(8 * 25)
    assert ks_distance(conv.weight.detach().numpy(), uniform_cdf(-bound, bound)) < 1.63 / math.sqrt(40_000)
    embedding = minitorch.nn.Embedding(1000, 20)
    assert ks_distance(embedding.weight.detach().numpy(), normal_cdf(1.0)) < KS_LIMIT


def test_fan_errors_match_torch():
    with raises(ValueError, "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"):
        init.xavier_uniform_(minitorch.empty(3))
    with raises(ValueError, "Only tensors with 2 dimensions are supported"):
        init.eye_(minitorch.empty(2, 2, 2))


@pytest.mark.parametrize("name", ["uniform_", "normal_", "trunc_normal_", "xavier_uniform_", "xavier_normal_",
                                  "kaiming_uniform_", "kaiming_normal_", "orthogonal_"])
def test_random_initialisers_refuse_integer_tensors_as_torch(name):
    """torch raises for an int tensor; filling it with truncated draws would leave it (mostly) zeros."""
    with pytest.raises(NotImplementedError) as expected:
        getattr(torch.nn.init, name)(torch.zeros(3, 4, dtype=torch.int64))
    kernel = str(expected.value).split(" not implemented")[0]
    with raises(NotImplementedError, kernel, "not implemented for 'Long'", "torch.int64", ".float()"):
        getattr(init, name)(minitorch.zeros(3, 4, dtype=minitorch.int64))
    assert init.constant_(minitorch.zeros(2, dtype=minitorch.int64), 2).tolist() == [2, 2]  # as torch
