"""Channel dropout (nn.Dropout1d/2d/3d, F.dropout1d/2d/3d), nn.init.dirac_ and minitorch.multinomial's
argument checks, against torch.

Dropout is random, and minitorch's generator is not torch's, so its masks are compared with torch's
by structure (which dims share one draw, the warnings and errors for each input shape) and checked
statistically (fraction of channels dropped, scale, gradients)."""
import warnings

import numpy as np
import pytest
import torch

import minitorch
from oracle import raises

FUNCTIONS = ["dropout1d", "dropout2d", "dropout3d"]
MODULES = ["Dropout1d", "Dropout2d", "Dropout3d"]


def run(lib, name, shape, training=True, p=0.5, draws=20):
    """The outcome of dropping ``ones(shape)`` ``draws`` times: the output shape, the dims along which
    the mask never varies, the values seen, and the warnings; or the error raised."""
    fn = getattr(lib.nn.functional, name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            lib.manual_seed(0)
            x = lib.ones(shape)
            outputs = np.stack([fn(x, p, training).numpy() for _ in range(draws)])
            shared = tuple(d for d in range(len(shape)) if (np.ptp(outputs, axis=d + 1) == 0).all())
            result = (outputs.shape[1:], shared, sorted(np.unique(outputs).tolist()))
        except Exception as error:  # noqa: BLE001 (comparing the failure itself)
            result = (type(error).__name__, str(error))
    return result, sorted({(w.category.__name__, str(w.message)) for w in caught})


SHAPES = [(), (3,), (2, 3), (2, 3, 4), (2, 3, 4, 5), (2, 3, 4, 5, 2), (2, 3, 4, 5, 2, 2)]


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("training", [True, False])
def test_mask_structure_warnings_and_errors_match_torch(name, shape, training):
    """Which dims are one channel (share a draw), and torch's warnings and errors for each number of dims
    (e.g. dropout2d reads a 3-D input as (N, C, L) and warns, dropout1d refuses 1-D and 4-D inputs)."""
    assert run(minitorch, name, shape, training) == run(torch, name, shape, training)


@pytest.mark.parametrize("name, shape, channel_dims", [
    ("dropout1d", (300, 40, 5), 2), ("dropout1d", (12000, 4), 1), ("dropout2d", (300, 40, 2, 3), 2),
    ("dropout3d", (300, 40, 2, 2, 2), 2), ("dropout3d", (12000, 2, 2, 2), 1)])
def test_whole_channels_are_dropped_with_probability_p_and_the_rest_scaled(name, shape, channel_dims):
    """``channel_dims``: 2 for a batched input (N, C, ...), 1 for an unbatched one (C, ...)."""
    minitorch.manual_seed(0)
    p = 0.3
    x = minitorch.rand(*shape) + 0.5
    y = getattr(minitorch.nn.functional, name)(x, p).numpy()
    ratio = (y / x.numpy()).reshape(int(np.prod(shape[:channel_dims])), -1)  # one row per channel
    dropped_rows = (ratio == 0).all(axis=1)
    assert ((ratio == 0).any(axis=1) == dropped_rows).all()  # a channel is dropped whole or not at all
    np.testing.assert_allclose(ratio[~dropped_rows], 1 / (1 - p), rtol=1e-6)  # the others scaled by 1/(1-p)
    dropped = dropped_rows.mean()
    assert abs(dropped - p) < 0.02, dropped  # 12,000 channels: the std of the fraction is 0.004


@pytest.mark.parametrize("name, shape", [("dropout1d", (4, 6, 5)), ("dropout1d", (6, 5)), ("dropout2d", (4, 6, 3, 3)),
                                         ("dropout3d", (4, 6, 2, 2, 2)), ("dropout3d", (6, 2, 2, 2))])
def test_gradient_is_the_mask_times_the_scale(name, shape):
    minitorch.manual_seed(1)
    p = 0.4
    x = (minitorch.rand(*shape, dtype=minitorch.float64) + 0.5).requires_grad_()
    y = getattr(minitorch.nn.functional, name)(x, p)
    upstream = minitorch.randn(*shape, dtype=minitorch.float64)
    y.backward(upstream)
    mask = y.detach().numpy() / x.detach().numpy()
    assert set(np.round(np.unique(mask), 12)) == {0.0, round(1 / (1 - p), 12)}
    np.testing.assert_allclose(x.grad.numpy(), upstream.numpy() * mask, rtol=1e-12)


@pytest.mark.parametrize("name", MODULES)
def test_modules_drop_in_training_and_are_the_identity_in_eval(name):
    shape = {"Dropout1d": (8, 16, 4), "Dropout2d": (8, 16, 3, 3), "Dropout3d": (8, 16, 2, 2, 2)}[name]
    layer = getattr(minitorch.nn, name)(p=0.5)
    x = minitorch.ones(*shape)
    minitorch.manual_seed(0)
    y = layer(x)
    assert 0 < (y == 0).float().mean().item() < 1 and set(np.unique(y.numpy())) == {0.0, 2.0}
    assert layer.eval()(x) is x
    assert getattr(minitorch.nn.functional, name.lower())(x, 0.5, training=False) is x
    assert getattr(minitorch.nn.functional, name.lower())(x, 0.0) is x


@pytest.mark.parametrize("name", FUNCTIONS)
def test_extreme_p_and_reproducibility(name):
    fn = getattr(minitorch.nn.functional, name)
    shape = {"dropout1d": (4, 6, 3), "dropout2d": (4, 6, 2, 2), "dropout3d": (4, 6, 2, 2, 2)}[name]
    x = minitorch.randn(*shape)
    np.testing.assert_array_equal(fn(x, 1.0).numpy(), np.zeros(shape, np.float32))
    minitorch.manual_seed(5)
    first = fn(x, 0.5).numpy()
    second = fn(x, 0.5).numpy()
    minitorch.manual_seed(5)
    np.testing.assert_array_equal(fn(x, 0.5).numpy(), first)  # the same seed, the same channels dropped
    assert not np.array_equal(first, second)  # and new channels on every call


@pytest.mark.parametrize("name, shape", [("dropout1d", (4, 6, 3)), ("dropout1d", (6, 3)), ("dropout2d", (4, 6, 3, 3)),
                                         ("dropout3d", (4, 6, 2, 2, 2)), ("dropout3d", (6, 2, 2, 2))])
def test_inplace_writes_into_the_input(name, shape):
    minitorch.manual_seed(2)
    x = minitorch.ones(*shape)
    y = getattr(minitorch.nn.functional, name)(x, 0.5, inplace=True)
    assert y is x and set(np.unique(x.numpy())) == {0.0, 2.0}
    z = minitorch.ones(*shape)
    assert getattr(minitorch.nn, "Dropout" + name[-2:])(0.5, inplace=True)(z) is z


@pytest.mark.parametrize("name", MODULES)
@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_p_outside_0_1_raises_value_error_like_torch(name, p):
    message = f"dropout probability has to be between 0 and 1, but got {p}"
    with raises(ValueError, message):
        getattr(minitorch.nn, name)(p)
    with raises(ValueError, message):
        getattr(minitorch.nn.functional, name.lower())(minitorch.ones(2, 3, 4, 5), p)
    with pytest.raises(ValueError, match="dropout probability"):
        getattr(torch.nn, name)(p)


@pytest.mark.parametrize("name", MODULES)
def test_repr_matches_torch(name):
    for args in [(), (0.2,), (0.3, True)]:
        assert repr(getattr(minitorch.nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))


def test_channel_dropout_in_a_conv_net_trains():
    minitorch.manual_seed(0)
    nn = minitorch.nn
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Dropout2d(0.25), nn.Flatten(),
                          nn.Linear(8 * 4 * 4, 1))
    x, target = minitorch.randn(16, 1, 4, 4), minitorch.randn(16, 1)
    opt = minitorch.optim.Adam(model.parameters(), lr=0.01)
    first = None
    for _ in range(60):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), target)
        loss.backward()
        opt.step()
        first = first if first is not None else loss.item()
    model.eval()
    assert nn.functional.mse_loss(model(x), target).item() < first / 2


# ---------------------------------------------------------------------------------- dirac_
@pytest.mark.parametrize("shape, groups", [((4, 4, 3), 1), ((2, 5, 4), 1), ((6, 4, 3, 3), 2), ((3, 16, 5, 5), 1),
                                           ((3, 24, 5, 5), 3), ((6, 6, 4, 4), 3), ((4, 2, 1, 1), 1),
                                           ((8, 2, 2, 3, 4), 4), ((5, 3, 3, 3, 3), 1)], ids=str)
def test_dirac_values_equal_torch(shape, groups):
    mine = minitorch.nn.init.dirac_(minitorch.randn(*shape), groups).numpy()
    theirs = torch.nn.init.dirac_(torch.randn(*shape), groups).numpy()
    np.testing.assert_array_equal(mine, theirs)


def test_dirac_fills_in_place_without_recording_a_graph():
    weight = minitorch.nn.Parameter(minitorch.randn(4, 4, 3, 3, dtype=minitorch.float64))
    result = minitorch.nn.init.dirac_(weight)
    assert result is weight and weight.is_leaf and weight.grad_fn is None and weight.requires_grad
    assert weight.dtype == minitorch.float64


def test_a_dirac_convolution_is_the_identity():
    conv = minitorch.nn.Conv2d(3, 3, 3, padding=1, bias=False)
    minitorch.nn.init.dirac_(conv.weight)
    x = minitorch.randn(2, 3, 5, 5)
    np.testing.assert_allclose(conv(x).detach().numpy(), x.numpy(), atol=1e-6)


@pytest.mark.parametrize("shape, groups", [((4, 4), 1), ((4,), 1), ((4, 4, 3, 3, 3, 3), 1), ((5, 4, 3), 2),
                                           ((6, 4, 3, 3), 4)])
def test_dirac_errors_match_torch(shape, groups):
    with pytest.raises(ValueError) as theirs:
        torch.nn.init.dirac_(torch.empty(*shape), groups)
    with raises(ValueError, str(theirs.value)):
        minitorch.nn.init.dirac_(minitorch.empty(*shape), groups)


# ---------------------------------------------------------------------------------- multinomial
INF, NAN = float("inf"), float("nan")


@pytest.mark.parametrize("data, num_samples, replacement", [
    ([0.5, -0.1, 0.6], 1, False), ([0.5, INF, 0.6], 1, False), ([0.5, NAN, 0.6], 1, True), ([1.0, -INF], 2, False),
    ([[0.5, 0.1], [0.5, -1.0]], 1, False),
    ([0.0, 0.0], 1, False), ([0.0, 0.0], 1, True), ([[1.0, 0.0], [0.0, 0.0]], 2, False),
    ([0.5, -0.1, 0.6], 2, True), ([0.5, INF, 0.6], 2, True), ([0.5, NAN, 0.6], 2, True), ([0.0, 0.0], 2, True),
    ([[0.0, 0.0], [1.0, -1.0]], 2, True), ([[1.0, 1.0], [1.0, INF]], 3, True),
    ([1.0, 1.0], 3, False), ([1.0, -1.0], 3, False), (1.0, 1, False), ([[[1.0, 1.0]]], 1, False),
    ([1.0, 1.0], 0, False), ([1.0, 1.0], -1, True), ([1, 2], 1, False), ([True, False], 1, False),
    ([1.0, 1.0], 1.0, False), ([1.0, 1.0], True, False),
], ids=str)
def test_multinomial_rejects_what_torch_rejects_with_its_message(data, num_samples, replacement):
    with pytest.raises(Exception) as theirs:
        torch.multinomial(torch.tensor(data), num_samples, replacement)
    with raises(type(theirs.value), str(theirs.value)):
        minitorch.multinomial(minitorch.tensor(data), num_samples, replacement)


def test_multinomial_takes_only_a_tensor():
    with raises(TypeError, "multinomial(): argument 'input' (position 1) must be Tensor, not list"):
        minitorch.multinomial([0.5, 0.5], 1)


@pytest.mark.parametrize("data, num_samples, replacement", [
    ([1.0, 2.0, 3.0], 2, False), ([[1.0, 0.0, 3.0], [0.0, 1.0, 1.0]], 2, False), ([0.1, 0.9], 5, True),
    ([1.0, -0.0], 1, False), ([1e-30, 0.0], 1, False), (np.ones((0, 3), np.float32), 2, False),
    ([[1.0, 2.0]], 1, True),
], ids=str)
def test_multinomial_accepts_what_torch_accepts(data, num_samples, replacement):
    mine = minitorch.multinomial(minitorch.tensor(data), num_samples, replacement)
    theirs = torch.multinomial(torch.tensor(data), num_samples, replacement)
    assert mine.shape == theirs.shape and mine.dtype == minitorch.int64
    assert minitorch.tensor(data).multinomial(num_samples, replacement).shape == theirs.shape  # the method form


def test_multinomial_without_replacement_goes_on_with_zero_weight_categories_as_torch():
    weights = [[0.0, 3.0, 0.0, 0.0, 1.0], [2.0, 0.0, 0.0, 5.0, 0.0]]
    for num_samples in (2, 4, 5):
        mine = minitorch.multinomial(minitorch.tensor(weights), num_samples).numpy()
        theirs = torch.multinomial(torch.tensor(weights), num_samples).numpy()
        for row_mine, row_theirs, row in zip(mine, theirs, weights):
            nonzero = int(np.count_nonzero(row))
            assert len(set(row_mine)) == num_samples  # each category at most once
            assert set(row_mine[:nonzero]) == set(row_theirs[:nonzero]) == set(np.flatnonzero(row)[:num_samples])
            assert set(row_mine[nonzero:]) <= set(np.flatnonzero(np.asarray(row) == 0))
            assert set(row_theirs[nonzero:]) <= set(np.flatnonzero(np.asarray(row) == 0))


def test_multinomial_is_reproducible_and_follows_the_weights():
    weights = minitorch.tensor([[1.0, 0.0, 3.0], [0.0, 2.0, 2.0]])
    minitorch.manual_seed(11)
    first = minitorch.multinomial(weights, 4000, replacement=True).numpy()
    minitorch.manual_seed(11)
    np.testing.assert_array_equal(minitorch.multinomial(weights, 4000, replacement=True).numpy(), first)
    assert not (first[0] == 1).any() and not (first[1] == 0).any()
    assert abs((first[0] == 2).mean() - 0.75) < 0.03 and abs((first[1] == 1).mean() - 0.5) < 0.03
