"""minitorch.datasets: the shipped data load with the right shapes, dtypes and known values; the
generators are reproducible and shaped as documented."""
import importlib.resources
import re

import numpy as np
import pytest

import minitorch
from minitorch import datasets


def test_digits():
    x, y = datasets.load_digits()
    assert x.shape == (1797, 64) and x.dtype == minitorch.float32
    assert y.shape == (1797,) and y.dtype == minitorch.int64
    assert y[:10].tolist() == list(range(10))
    assert np.bincount(y.numpy()).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert x.min().item() == 0 and x.max().item() == 16
    images, _ = datasets.load_digits(images=True)
    assert images.shape == (1797, 1, 8, 8)
    np.testing.assert_array_equal(images[5].flatten().numpy(), x[5].numpy())


def test_iris_and_auto_mpg():
    x, y = datasets.load_iris()
    assert x.shape == (150, 4) and np.bincount(y.numpy()).tolist() == [50, 50, 50]
    assert x[0].tolist() == pytest.approx([5.1, 3.5, 1.4, 0.2])
    x, y = datasets.load_auto_mpg()
    assert x.shape == (392, len(datasets.AUTO_MPG_FEATURES)) and y.shape == (392,) and y.dtype == minitorch.float32
    assert y[0].item() == 18 and x[0].tolist() == [8, 307, 130, 3504, 12, 70, 1]


def test_licence_and_readme_are_shipped():
    folder = importlib.resources.files("minitorch").joinpath("datasets_data")
    licence = folder.joinpath("LICENSE").read_text()
    assert "CC BY 4.0" in licence and "10.24432/C50P49" in licence
    assert "CC BY 4.0" in datasets.load_digits.__doc__


@pytest.mark.parametrize("make, kwargs", [
    (datasets.make_spirals, dict(n_samples=301, n_classes=3)), (datasets.make_moons, dict(n_samples=101)),
    (datasets.make_circles, dict(n_samples=101)), (datasets.make_blobs, dict(n_samples=101, centers=4)),
])
def test_classification_generators(make, kwargs):
    x, y = make(**kwargs, seed=1)
    n = kwargs["n_samples"]
    assert x.shape == (n, 2) and x.dtype == minitorch.float32 and y.shape == (n,) and y.dtype == minitorch.int64
    counts = np.bincount(y.numpy())
    assert counts.max() - counts.min() <= 1
    again, _ = make(**kwargs, seed=1)
    other, _ = make(**kwargs, seed=2)
    assert minitorch.equal(x, again) and not minitorch.equal(x, other)
    minitorch.manual_seed(5)
    a, _ = make(**kwargs)
    minitorch.manual_seed(5)
    b, _ = make(**kwargs)
    assert minitorch.equal(a, b)


def test_blobs_lie_around_their_centres():
    centres = [[0.0, 0.0], [10.0, 10.0]]
    x, y = datasets.make_blobs(1000, centers=centres, cluster_std=0.5, seed=0)
    for k, centre in enumerate(centres):
        points = x.numpy()[y.numpy() == k]
        np.testing.assert_allclose(points.mean(0), centre, atol=0.1)
        np.testing.assert_allclose(points.std(0), [0.5, 0.5], atol=0.05)


def test_regression_generators_recover_their_coefficients():
    x, y, w = datasets.make_linear_regression(2000, n_features=3, noise=0.1, bias=0.5, seed=0)
    assert x.shape == (2000, 3) and y.shape == (2000,) and w.shape == (3,)
    design = np.hstack([x.numpy(), np.ones((2000, 1))])
    solution = np.linalg.lstsq(design, y.numpy(), rcond=None)[0]
    np.testing.assert_allclose(solution, list(w.numpy()) + [0.5], atol=0.02)
    x, y = datasets.make_polynomial_regression(2000, coefficients=(1.0, -2.0, 3.0), noise=0.05, seed=0)
    assert x.shape == (2000, 1) and np.all(np.diff(x.numpy()[:, 0]) >= 0)
    np.testing.assert_allclose(np.polyfit(x.numpy()[:, 0], y.numpy(), 2)[::-1], [1.0, -2.0, 3.0], atol=0.02)


@pytest.mark.parametrize("make,kwargs,fragment", [
    (datasets.make_moons, {"noise": -1}, "noise"), (datasets.make_moons, {"n_samples": 10.5}, "n_samples"),
    (datasets.make_spirals, {"n_classes": 0}, "n_classes"), (datasets.make_circles, {"factor": 1.5}, "factor"),
    (datasets.make_blobs, {"centers": 0}, "centers"), (datasets.make_blobs, {"cluster_std": [1.0, 2.0]}, "one per centre"),
    (datasets.make_blobs, {"centers": np.zeros(3)}, "(n_centers, n_features)"),
    (datasets.make_linear_regression, {"n_features": 2, "weight": [1.0, 2.0, 3.0]}, "one number per feature"),
    (datasets.make_polynomial_regression, {"coefficients": ()}, "coefficients"),
])
def test_generators_explain_bad_arguments_instead_of_failing_inside_numpy(make, kwargs, fragment):
    with pytest.raises(ValueError, match=re.escape(fragment)):
        make(**kwargs)


def test_blobs_take_one_spread_per_centre():
    x, y = datasets.make_blobs(n_samples=3000, centers=[[0.0, 0.0], [10.0, 10.0]], cluster_std=[0.1, 2.0], seed=0)
    spreads = [x[y == k].numpy().std(0).mean() for k in (0, 1)]
    assert spreads == pytest.approx([0.1, 2.0], rel=0.1)
