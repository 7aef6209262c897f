"""Small data sets for the lessons: real ones shipped inside the package, and 2-D toy problems.

Nothing is downloaded: the real data sit compressed in ``minitorch/datasets_data/`` (with their
licence and citation in LICENSE and README.md there). Every function returns minitorch tensors:
float32 features and int64 class labels (or float32 regression targets), ready for
``TensorDataset``::

    x, y = minitorch.datasets.load_digits()            # (1797, 64) float32, (1797,) int64
    loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)

The generators take ``seed=`` (an int, for the same data on every run) or ``generator=`` (a
``minitorch.Generator``); with neither they draw from minitorch's global generator, so a
``minitorch.manual_seed`` earlier in the notebook makes them reproducible too.
"""
import gzip
import importlib.resources
import math

import numpy as np

from . import _random
from ._creation import tensor

__all__ = ["load_digits", "load_iris", "load_auto_mpg", "make_spirals", "make_moons", "make_circles", "make_blobs",
           "make_linear_regression", "make_polynomial_regression"]


# ----------------------------------------------------------------------------- shipped data
def _read_csv(name, skip_header):
    """The rows of a gzipped csv in datasets_data, as a float64 array."""
    with importlib.resources.files("minitorch").joinpath("datasets_data", name).open("rb") as raw:
        with gzip.open(raw, "rt") as text:
            return np.loadtxt(text, delimiter=",", skiprows=1 if skip_header else 0, ndmin=2)


def _features_and_labels(features, labels, label_dtype="int64"):
    return tensor(features.astype(np.float32)), tensor(labels.astype(label_dtype))


def load_digits(images=False):
    """1,797 handwritten digits as 8x8 grey images with pixel values 0..16, and their labels 0..9.

    Returns ``(features, labels)``: features (1797, 64) float32, or (1797, 1, 8, 8) with
    ``images=True`` (for convolutions); labels (1797,) int64.

    Source: Alpaydin, E. & Kaynak, C. (1998). Optical Recognition of Handwritten Digits [Dataset].
    UCI Machine Learning Repository, https://doi.org/10.24432/C50P49 (the test set, as distributed
    with scikit-learn). Licence: CC BY 4.0.
    """
    rows = _read_csv("digits.csv.gz", skip_header=False)
    features = rows[:, :64].reshape(-1, 1, 8, 8) if images else rows[:, :64]
    return _features_and_labels(features, rows[:, 64])


def load_iris():
    """150 iris flowers: 4 measurements in cm (sepal length, sepal width, petal length, petal width)
    and the species 0 = setosa, 1 = versicolor, 2 = virginica.

    Returns ``(features, labels)``: (150, 4) float32 and (150,) int64.

    Source: Fisher, R. A. (1936). Iris [Dataset]. UCI Machine Learning Repository,
    https://doi.org/10.24432/C56C76. Licence: CC BY 4.0.
    """
    rows = _read_csv("iris.csv.gz", skip_header=True)
    return _features_and_labels(rows[:, :4], rows[:, 4])


AUTO_MPG_FEATURES = ("cylinders", "displacement", "horsepower", "weight", "acceleration", "model_year", "origin")


def load_auto_mpg():
    """392 cars from 1970-82: predict fuel consumption (miles per US gallon) from 7 features,
    ``AUTO_MPG_FEATURES``: cylinders, displacement (cubic inches), horsepower, weight (lbs),
    acceleration (s from 0 to 60 mph), model year (70..82), origin (1 USA, 2 Europe, 3 Japan).

    Returns ``(features, target)``: (392, 7) float32 (unscaled: standardise them before training)
    and (392,) float32 miles per gallon.

    Source: Quinlan, R. (1993). Auto MPG [Dataset]. UCI Machine Learning Repository,
    https://doi.org/10.24432/C5859H (the 392 rows without missing values). Licence: CC BY 4.0.
    """
    rows = _read_csv("auto_mpg.csv.gz", skip_header=True)
    return _features_and_labels(rows[:, 1:], rows[:, 0], label_dtype="float32")


# ----------------------------------------------------------------------------- generated data
def _rng(seed, generator):
    """A numpy generator: from ``seed`` if given, else the given or the global minitorch generator."""
    return np.random.default_rng(seed) if seed is not None else _random.generator(generator)


def _check_count(value, name, minimum=0):
    """A generator's size argument: a whole number of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")


def _check_std(value, name):
    """A standard deviation: a finite number >= 0 (or an array of them)."""
    array = np.asarray(value)
    if array.dtype.kind not in "iuf" or not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"{name} is a standard deviation: it must be a number >= 0, got {value!r}")
    return array


def _split_counts(n_samples, n_classes):
    """n_samples shared out among classes as evenly as possible (the first classes get the extras)."""
    return [n_samples // n_classes + (1 if i < n_samples % n_classes else 0) for i in range(n_classes)]


def make_spirals(n_samples=300, n_classes=2, noise=0.2, turns=1.5, seed=None, generator=None):
    """Interleaved spiral arms in the plane, one per class: not separable by any line.

    Arm k at parameter t in [0, 1]: radius t, angle 2 pi (turns * t + k / n_classes), plus
    Gaussian noise of std ``noise * 0.1`` on each coordinate. Returns (n, 2) float32, (n,) int64.
    """
    _check_count(n_samples, "n_samples"), _check_count(n_classes, "n_classes", 1), _check_std(noise, "noise")
    rng = _rng(seed, generator)
    points, labels = [], []
    for k, count in enumerate(_split_counts(n_samples, n_classes)):
        t = np.linspace(0.05, 1, count)
        angle = 2 * math.pi * (turns * t + k / n_classes)
        arm = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1)
        points.append(arm + rng.normal(0, noise * 0.1, arm.shape))
        labels.append(np.full(count, k))
    return _features_and_labels(np.concatenate(points), np.concatenate(labels))


def make_moons(n_samples=200, noise=0.1, seed=None, generator=None):
    """Two interleaving half circles (class 0 on top, class 1 below and shifted), plus Gaussian noise
    of std ``noise``, as scikit-learn's make_moons. Returns (n, 2) float32, (n,) int64."""
    _check_count(n_samples, "n_samples"), _check_std(noise, "noise")
    rng = _rng(seed, generator)
    n_top, n_bottom = _split_counts(n_samples, 2)
    top_angle, bottom_angle = np.linspace(0, math.pi, n_top), np.linspace(0, math.pi, n_bottom)
    top = np.stack([np.cos(top_angle), np.sin(top_angle)], axis=1)
    bottom = np.stack([1 - np.cos(bottom_angle), 0.5 - np.sin(bottom_angle)], axis=1)
    points = np.concatenate([top, bottom]) + rng.normal(0, noise, (n_samples, 2))
    return _features_and_labels(points, np.repeat([0, 1], [n_top, n_bottom]))


def make_circles(n_samples=200, noise=0.05, factor=0.5, seed=None, generator=None):
    """A small circle (class 1, radius ``factor``) inside a big one (class 0, radius 1), plus noise."""
    _check_count(n_samples, "n_samples"), _check_std(noise, "noise")
    if not 0 <= factor < 1:
        raise ValueError(f"factor is the inner circle's radius, in [0, 1): got {factor!r}")
    rng = _rng(seed, generator)
    n_outer, n_inner = _split_counts(n_samples, 2)
    outer = np.linspace(0, 2 * math.pi, n_outer, endpoint=False)
    inner = np.linspace(0, 2 * math.pi, n_inner, endpoint=False)
    points = np.concatenate([np.stack([np.cos(outer), np.sin(outer)], 1),
                             factor * np.stack([np.cos(inner), np.sin(inner)], 1)])
    points = points + rng.normal(0, noise, points.shape)
    return _features_and_labels(points, np.repeat([0, 1], [n_outer, n_inner]))


def make_blobs(n_samples=200, centers=3, n_features=2, cluster_std=1.0, center_box=(-5.0, 5.0), seed=None,
               generator=None):
    """Gaussian clusters: ``centers`` is a count (drawn uniformly in ``center_box``) or an array of
    centres (n_centers, n_features); each point is its centre plus N(0, cluster_std^2) noise, where
    ``cluster_std`` is one number or one per centre. Returns (n, n_features) float32 and (n,) int64
    cluster labels."""
    _check_count(n_samples, "n_samples"), _check_count(n_features, "n_features", 1)
    std = _check_std(cluster_std, "cluster_std")
    rng = _rng(seed, generator)
    if isinstance(centers, (int, np.integer)):
        _check_count(centers, "centers", 1)
        centers = rng.uniform(center_box[0], center_box[1], (centers, n_features))
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or len(centers) == 0:
        raise ValueError(f"centers must be a count or an array of shape (n_centers, n_features), got shape "
                         f"{list(centers.shape)}")
    if std.ndim > 1 or std.size not in (1, len(centers)):
        raise ValueError(f"cluster_std must be one number or one per centre ({len(centers)}), got {cluster_std!r}")
    counts = _split_counts(n_samples, len(centers))
    labels = np.repeat(np.arange(len(centers)), counts)
    spread = std[labels, None] if std.ndim == 1 else std
    points = centers[labels] + rng.normal(0, 1, (n_samples, centers.shape[1])) * spread
    return _features_and_labels(points, labels)


def make_linear_regression(n_samples=100, n_features=1, noise=0.1, weight=None, bias=0.0, seed=None,
                           generator=None):
    """y = x . weight + bias + N(0, noise^2), with x ~ U(-1, 1)^n_features and, unless given, weight
    ~ N(0, 1)^n_features. Returns (x (n, n_features) float32, y (n,) float32, weight (n_features,)
    float32): the true weight, to compare with what a model learns."""
    _check_count(n_samples, "n_samples"), _check_count(n_features, "n_features", 1), _check_std(noise, "noise")
    rng = _rng(seed, generator)
    weight = rng.normal(0, 1, n_features) if weight is None else np.asarray(weight, dtype=np.float64).reshape(-1)
    if len(weight) != n_features:
        raise ValueError(f"weight needs one number per feature ({n_features}), got {len(weight)}")
    x = rng.uniform(-1, 1, (n_samples, n_features))
    y = x @ weight + bias + rng.normal(0, noise, n_samples)
    return tensor(x.astype(np.float32)), tensor(y.astype(np.float32)), tensor(weight.astype(np.float32))


def make_polynomial_regression(n_samples=100, coefficients=(0.5, -1.0, 2.0), noise=0.1, x_range=(-1.0, 1.0),
                               seed=None, generator=None):
    """y = c0 + c1 x + c2 x^2 + ... + N(0, noise^2), x ~ U(x_range) (sorted, for plotting).
    Returns (x (n, 1) float32, y (n,) float32)."""
    _check_count(n_samples, "n_samples"), _check_std(noise, "noise")
    if len(coefficients) == 0:
        raise ValueError("coefficients must hold at least one number (c0, the constant)")
    rng = _rng(seed, generator)
    x = np.sort(rng.uniform(x_range[0], x_range[1], n_samples))
    y = np.polynomial.polynomial.polyval(x, np.asarray(coefficients, dtype=np.float64))
    y = y + rng.normal(0, noise, n_samples)
    return tensor(x[:, None].astype(np.float32)), tensor(y.astype(np.float32))
