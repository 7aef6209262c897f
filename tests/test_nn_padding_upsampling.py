"""Padding layers, F.interpolate / Upsample, the pixel shuffles and Fold / Unfold against torch:
values, dtypes and input gradients in float32 and float64 over a grid of arguments, gradcheck in
float64 on small cases, reprs equal to torch's, and torch's exception class (and message) for bad input."""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import assume, given, strategies as st

import minitorch
from oracle import arrays, check, gradcheck

DTYPES = [np.float32, np.float64]


def same_error(fn, *arrays_in, message=True):
    """``fn(lib, *tensors)`` raises the same exception class in both libraries (and, by default, the same message)."""
    def run(lib):
        inputs = [lib.tensor(a) if isinstance(a, np.ndarray) else a for a in arrays_in]
        with pytest.raises(Exception) as info:
            fn(lib, *inputs)
        return info.value
    theirs, mine = run(torch), run(minitorch)
    assert type(mine) is type(theirs), f"{type(mine).__name__}: {mine} != torch's {type(theirs).__name__}: {theirs}"
    if message:
        assert str(mine) == str(theirs)


# ---------------------------------------------------------------------------------------------- padding

PAD_KINDS = ["ZeroPad", "ConstantPad", "ReflectionPad", "ReplicationPad", "CircularPad"]
PADDINGS = {1: [2, (1, 2), (0, 3), (-1, 2), (2, -2)],
            2: [1, (1, 2, 0, 3), (2, 0, -1, 1), (-1, -1, 2, 2)],
            3: [1, (1, 0, 2, 1, 0, 2), (0, 1, -1, 2, 1, -1)]}
SHAPES = {1: [(3, 5), (2, 3, 5)], 2: [(2, 4, 5), (2, 2, 4, 5)], 3: [(2, 3, 4, 5), (1, 2, 3, 4, 5)]}


def pad_layer(nn, kind, rank, padding):
    layer = getattr(nn, f"{kind}{rank}d")
    return layer(padding, 1.5) if kind == "ConstantPad" else layer(padding)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", PAD_KINDS)
@pytest.mark.parametrize("rank", [1, 2, 3])
def test_padding_layers_match_torch(kind, rank, dtype):
    for padding in PADDINGS[rank]:
        for shape in SHAPES[rank]:
            check(lambda lib, x: pad_layer(lib.nn, kind, rank, padding)(x), arrays(shape, dtype))


@pytest.mark.parametrize("kind", PAD_KINDS)
def test_padding_layers_repr(kind):
    for rank in (1, 2, 3):
        for padding in PADDINGS[rank] + [[1] * 2 * rank]:
            assert repr(pad_layer(minitorch.nn, kind, rank, padding)) == repr(pad_layer(torch.nn, kind, rank, padding))


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
def test_pad_gradcheck(mode):
    for shape, padding in (((2, 4), (2, 1)), ((1, 3, 4), (1, 2, -1, 2)), ((1, 3, 3, 4), (1, 0, 2, 1, 1, 2))):
        gradcheck(lambda lib, x: lib.nn.functional.pad(x, padding, mode), arrays(shape))


@given(st.sampled_from(["constant", "reflect", "replicate", "circular"]), st.integers(1, 3),
       st.lists(st.integers(-1, 3), min_size=6, max_size=6), st.lists(st.integers(2, 5), min_size=4, max_size=4))
def test_pad_hypothesis(mode, spatial, padding, shape):
    """Random paddings (negative ones included) of random (N, C, *spatial) shapes, every mode."""
    shape, padding = tuple(shape[:spatial + 1]), tuple(padding[:2 * spatial])
    x = arrays(shape, np.float64)
    dims = list(zip(reversed(shape), padding[::2], padding[1::2]))  # (size, before, after), last dim first
    if mode == "circular":
        # Wrapping more than once around what negative padding keeps: torch's answer depends on the memory
        # layout (an error, or values read from elsewhere); we always raise. Left out here.
        assume(all(max(a, b) <= s + min(a, 0) + min(b, 0) for s, a, b in dims))
    fails = {"constant": lambda s, a, b: s + a + b < 0,
             "reflect": lambda s, a, b: max(a, b) >= s or s + a + b < 1,
             "replicate": lambda s, a, b: s + a + b < 1,
             "circular": lambda s, a, b: False}[mode]
    if any(fails(*dim) for dim in dims):
        same_error(lambda lib, x: lib.nn.functional.pad(x, padding, mode), x, message=False)
    else:
        check(lambda lib, x: lib.nn.functional.pad(x, padding, mode), x)


def test_constant_pad_keeps_integer_dtype():
    check(lambda lib, x: lib.nn.ConstantPad2d((1, 2, 0, 1), 3)(x), arrays((2, 3, 4), np.int64), grad=False)


@pytest.mark.parametrize("make, shape", [
    (lambda nn: nn.ReflectionPad1d(3), (2, 3)),  # padding >= input size
    (lambda nn: nn.ReflectionPad2d((1, 1, 4, 0)), (2, 4, 5)),
    (lambda nn: nn.ReflectionPad3d((0, 0, 0, 0, 3, 1)), (1, 3, 4, 5)),
    (lambda nn: nn.ReflectionPad2d(1), (4, 4)),  # wrong rank
    (lambda nn: nn.ReplicationPad1d(1), (2, 2, 4, 4)),
    (lambda nn: nn.ReflectionPad3d(1), (4, 4, 4)),
    (lambda nn: nn.ReplicationPad1d(1), (4,)),
    (lambda nn: nn.CircularPad1d(1), (4,)),  # ValueError, from the layer itself
    (lambda nn: nn.CircularPad2d(1), (2, 2, 2, 4, 4)),
    (lambda nn: nn.CircularPad1d(4), (2, 3)),  # wraps more than once
    (lambda nn: nn.CircularPad1d(-2), (2, 3)),  # removes more than the dim
    (lambda nn: nn.ReplicationPad1d((-2, -2)), (2, 4)),  # empty result
    (lambda nn: nn.ReflectionPad1d((-3, -1)), (2, 4)),
    (lambda nn: nn.ReflectionPad1d(1), (2, 0)),  # empty input
    (lambda nn: nn.ZeroPad2d(1), (4,)),  # more padding than dims
    (lambda nn: nn.ReflectionPad1d((1, 2, 3)), (2, 4)),  # odd length
])
def test_padding_errors_match_torch(make, shape):
    same_error(lambda lib, x: make(lib.nn)(x), np.zeros(shape, np.float32))


def test_pad_errors_match_torch():
    x = np.zeros((2, 3, 4), np.float32)
    same_error(lambda lib, x: lib.nn.functional.pad(x, (1, 1), "reflect", value=2.0), x)
    same_error(lambda lib, x: lib.nn.functional.pad(x, (1, 1), "wrap"), x, message=False)
    same_error(lambda lib, x: lib.nn.functional.pad(x, (1, 1, 1, 1, 1, 1, 1, 1), "replicate"), x)
    same_error(lambda lib, x: lib.nn.functional.pad(x, (-5, -1)), x, message=False)


# ------------------------------------------------------------------------------------------ interpolate

def check_resize(fn, x):
    """check() against torch; but where torch's backward disagrees with its own forward (torch fails
    its own gradcheck: e.g. nearest or bicubic with a scale_factor that leaves a size unchanged), the
    values are checked against torch and the gradients by gradcheck."""
    theirs = torch.tensor(x.astype(np.float64), requires_grad=True)
    if torch.autograd.gradcheck(lambda t: fn(torch, t), (theirs,), raise_exception=False):
        check(fn, x)
    else:
        check(fn, x, grad=False)
        gradcheck(fn, x)


SPATIAL = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}
INTERPOLATIONS = [(mode, spatial) for mode in ("nearest", "nearest-exact") for spatial in (1, 2, 3)] + \
    [(mode, spatial) for mode, spatial in SPATIAL.items()] + [("area", 1), ("area", 2)]
INPUT_SHAPES = {1: (2, 3, 7), 2: (2, 2, 5, 6), 3: (1, 2, 3, 4, 5)}
SCALES = [0.5, 0.7, 1.1, 1.5, 2.3, 1 / 3]
SIZES = {1: [1, 3, 7, 14, 17], 2: [(2, 9), (5, 6), (10, 12), (1, 1), (7, 3)], 3: [(2, 5, 4), (6, 8, 10), (3, 4, 5)]}


def aligns(mode):
    return [None] if mode in ("nearest", "nearest-exact", "area") else [False, True]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode, spatial", INTERPOLATIONS)
def test_interpolate_size_matches_torch(mode, spatial, dtype):
    x = arrays(INPUT_SHAPES[spatial], dtype)
    for size in SIZES[spatial]:
        for align_corners in aligns(mode):
            check(lambda lib, x: lib.nn.functional.interpolate(x, size, mode=mode, align_corners=align_corners), x)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode, spatial", INTERPOLATIONS)
def test_interpolate_scale_factor_matches_torch(mode, spatial, dtype):
    """scale_factor with and without recompute_scale_factor: the index rules use 1 / scale_factor
    or in / out, which differ when the size times the factor is not a whole number."""
    x = arrays(INPUT_SHAPES[spatial], dtype)
    for scale in SCALES:
        for recompute in ([None] if mode == "area" else [None, True]):
            for align_corners in aligns(mode):
                check_resize(lambda lib, x: lib.nn.functional.interpolate(x, scale_factor=scale, mode=mode,
                                                                          align_corners=align_corners,
                                                                          recompute_scale_factor=recompute), x)


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "bilinear", "bicubic"])
def test_interpolate_per_dim_scale_factors(mode):
    x = arrays((1, 2, 9, 8), np.float32)
    for scales in ((1.1, 2.0), (0.6, 2.5), (1.0, 0.99), (2.3, 1.7)):
        check_resize(lambda lib, x: lib.nn.functional.interpolate(x, scale_factor=scales, mode=mode), x)


@pytest.mark.parametrize("mode, spatial", [("nearest", 2), ("nearest-exact", 1), ("linear", 1), ("bilinear", 2),
                                           ("bicubic", 2), ("trilinear", 3), ("area", 2)])
def test_interpolate_gradcheck(mode, spatial):
    shape = {1: (1, 2, 4), 2: (1, 1, 3, 4), 3: (1, 1, 2, 3, 2)}[spatial]
    for kwargs in ({"scale_factor": 1.7}, {"size": (5, 2, 3)[:spatial]}):
        for align_corners in aligns(mode):
            gradcheck(lambda lib, x: lib.nn.functional.interpolate(x, mode=mode, align_corners=align_corners,
                                                                   **kwargs), arrays(shape))


@given(st.sampled_from(["nearest", "nearest-exact", "bilinear", "bicubic"]), st.integers(1, 12), st.integers(1, 12),
       st.booleans())
def test_interpolate_hypothesis(mode, height, width, align_corners):
    x = arrays((1, 2, 4, 5), np.float64)
    align_corners = align_corners if mode in ("bilinear", "bicubic") else None
    check(lambda lib, x: lib.nn.functional.interpolate(x, (height, width), mode=mode, align_corners=align_corners), x)


def test_interpolate_uint8_nearest():
    check(lambda lib, x: lib.nn.functional.interpolate(x, scale_factor=1.5), arrays((1, 2, 3, 4), np.uint8, high=200),
          grad=False)


@pytest.mark.parametrize("call", [
    lambda F, x: F.interpolate(x, size=3, scale_factor=2.0),
    lambda F, x: F.interpolate(x),
    lambda F, x: F.interpolate(x, size=(2, 2)),
    lambda F, x: F.interpolate(x, scale_factor=(2.0, 2.0)),
    lambda F, x: F.interpolate(x, size=(3.0,)),
    lambda F, x: F.interpolate(x, size=(3.0,), recompute_scale_factor=True),
    lambda F, x: F.interpolate(x, size=0),
    lambda F, x: F.interpolate(x, scale_factor=0.1),
    lambda F, x: F.interpolate(x, size=3, mode="nearest", align_corners=True),
    lambda F, x: F.interpolate(x, size=3, recompute_scale_factor=True),
    lambda F, x: F.interpolate(x, size=3, mode="bilinear"),
    lambda F, x: F.interpolate(x, size=3, mode="trilinear"),
    lambda F, x: F.interpolate(x, size=3, mode="bicubic"),
    lambda F, x: F.interpolate(x, size=3, mode="cubic"),
    lambda F, x: F.interpolate(x, size=3, mode="linear", antialias=True),
    lambda F, x: F.interpolate(x[0], size=3),
    lambda F, x: F.interpolate(x[:, :0], size=3, mode="linear"),
])
def test_interpolate_errors_match_torch(call):
    same_error(lambda lib, x: call(lib.nn.functional, x), arrays((2, 3, 4), np.float32))


def test_interpolate_errors_on_images_match_torch():
    x = arrays((1, 2, 4, 5), np.float32)
    same_error(lambda lib, x: lib.nn.functional.interpolate(x, size=(0, 3), mode="bilinear"), x)
    same_error(lambda lib, x: lib.nn.functional.interpolate(x, size=3, mode="linear"), x)
    same_error(lambda lib, x: lib.nn.functional.interpolate(x.long(), size=3, mode="bilinear"), x, message=False)


UPSAMPLERS = [
    lambda nn: nn.Upsample(scale_factor=2),
    lambda nn: nn.Upsample(size=(3, 7), mode="bilinear"),
    lambda nn: nn.Upsample(scale_factor=(1.5, 2.5), mode="bicubic", align_corners=True),
    lambda nn: nn.Upsample(scale_factor=1.7, mode="nearest-exact", recompute_scale_factor=True),
    lambda nn: nn.Upsample(size=(4, 4), mode="area"),
    lambda nn: nn.UpsamplingNearest2d(scale_factor=3),
    lambda nn: nn.UpsamplingNearest2d(size=(7, 9)),
    lambda nn: nn.UpsamplingBilinear2d(scale_factor=2.5),
    lambda nn: nn.UpsamplingBilinear2d(size=(6, 3)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("index", range(len(UPSAMPLERS)))
def test_upsample_layers_match_torch(index, dtype):
    make = UPSAMPLERS[index]
    check(lambda lib, x: make(lib.nn)(x), arrays((2, 3, 5, 4), dtype))
    assert repr(make(minitorch.nn)) == repr(make(torch.nn))


def test_upsample_repr_of_missing_scale():
    for make in (lambda nn: nn.Upsample(scale_factor=0), lambda nn: nn.Upsample((2, 3)),
                 lambda nn: nn.Upsample(scale_factor=(2, 3), mode="bilinear")):
        assert repr(make(minitorch.nn)) == repr(make(torch.nn))


@pytest.mark.parametrize("name, kwargs", [("upsample", {"scale_factor": 2, "mode": "linear"}),
                                          ("upsample_nearest", {"size": 5}),
                                          ("upsample_bilinear", {"scale_factor": 1.5})])
def test_deprecated_upsample_functions_warn_and_match_torch(name, kwargs):
    x = arrays((1, 2, 3) if kwargs.get("mode") == "linear" or "size" in kwargs else (1, 2, 3, 4), np.float64)
    for lib in (torch, minitorch):
        with pytest.warns(UserWarning, match=f"`nn.functional.{name}` is deprecated"):
            getattr(lib.nn.functional, name)(lib.tensor(x), **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda lib, x: getattr(lib.nn.functional, name)(x, **kwargs), x)


# ------------------------------------------------------------------------------------------ pixel shuffle

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape, factor", [((2, 8, 3, 4), 2), ((18, 2, 3), 3), ((2, 3, 4, 2, 2), 2), ((3, 2, 2), 1)])
def test_pixel_shuffle_matches_torch(shape, factor, dtype):
    x = arrays(shape, dtype)
    check(lambda lib, x: lib.nn.functional.pixel_shuffle(x, factor), x)
    check(lambda lib, x: lib.nn.PixelShuffle(factor)(x), x)
    shuffled = torch.nn.functional.pixel_shuffle(torch.tensor(x), factor).numpy()
    check(lambda lib, x: lib.nn.functional.pixel_unshuffle(x, factor), shuffled)
    check(lambda lib, x: lib.nn.PixelUnshuffle(factor)(x), shuffled)


def test_pixel_shuffle_gradcheck_and_reprs():
    gradcheck(lambda lib, x: lib.nn.functional.pixel_shuffle(x, 2), arrays((1, 4, 2, 3)))
    gradcheck(lambda lib, x: lib.nn.functional.pixel_unshuffle(x, 2), arrays((1, 1, 4, 2)))
    assert repr(minitorch.nn.PixelShuffle(3)) == repr(torch.nn.PixelShuffle(3))
    assert repr(minitorch.nn.PixelUnshuffle(2)) == repr(torch.nn.PixelUnshuffle(2))
    check(lambda lib, x: lib.nn.functional.pixel_shuffle(x, 2), arrays((8, 3, 3), np.int64), grad=False)


@pytest.mark.parametrize("call, shape", [
    (lambda F, x: F.pixel_shuffle(x, 2), (4, 3)),
    (lambda F, x: F.pixel_shuffle(x, 2), (5, 3, 3)),
    (lambda F, x: F.pixel_shuffle(x, 0), (8, 3, 3)),
    (lambda F, x: F.pixel_shuffle(x, -2), (8, 3, 3)),
    (lambda F, x: F.pixel_shuffle(x, 2.0), (8, 3, 3)),
    (lambda F, x: F.pixel_unshuffle(x, 2), (4, 3)),
    (lambda F, x: F.pixel_unshuffle(x, 2), (2, 5, 4)),
    (lambda F, x: F.pixel_unshuffle(x, 2), (2, 6, 5)),
    (lambda F, x: F.pixel_unshuffle(x, 0), (2, 6, 6)),
])
def test_pixel_shuffle_errors_match_torch(call, shape):
    same_error(lambda lib, x: call(lib.nn.functional, x), np.zeros(shape, np.float32))


# -------------------------------------------------------------------------------------------- fold / unfold

WINDOWS = [dict(kernel_size=2), dict(kernel_size=(2, 3), dilation=(1, 2), padding=1, stride=(2, 1)),
           dict(kernel_size=3, padding=(0, 2), stride=2), dict(kernel_size=(1, 2), dilation=2, stride=(1, 3)),
           dict(kernel_size=(3, 3), dilation=(2, 1), padding=(2, 1), stride=(3, 2))]


def block_count(size, kernel_size, dilation=1, padding=0, stride=1):
    pair = (lambda v: tuple(v) if isinstance(v, tuple) else (v, v))
    return [(s + 2 * p - d * (k - 1) - 1) // st + 1 for s, k, d, p, st in
            zip(size, pair(kernel_size), pair(dilation), pair(padding), pair(stride))]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("index", range(len(WINDOWS)))
def test_unfold_and_fold_match_torch(index, dtype):
    window = WINDOWS[index]
    for shape in ((2, 3, 7, 8), (3, 7, 8)):
        x = arrays(shape, dtype)
        check(lambda lib, x: lib.nn.functional.unfold(x, **window), x)
        check(lambda lib, x: lib.nn.Unfold(**window)(x), x)
        blocks = block_count(shape[-2:], **window)
        kernel = window["kernel_size"] if isinstance(window["kernel_size"], tuple) else (window["kernel_size"],) * 2
        columns = arrays(shape[:-3] + (shape[-3] * kernel[0] * kernel[1], blocks[0] * blocks[1]), dtype)
        check(lambda lib, c: lib.nn.functional.fold(c, shape[-2:], **window), columns)
        check(lambda lib, c: lib.nn.Fold(shape[-2:], **window)(c), columns)


def test_fold_unfold_gradcheck_and_reprs():
    window = dict(kernel_size=(2, 2), dilation=(1, 2), padding=1, stride=(2, 1))
    gradcheck(lambda lib, x: lib.nn.functional.unfold(x, **window), arrays((1, 2, 4, 5)))
    gradcheck(lambda lib, c: lib.nn.functional.fold(c, (4, 5), **window), arrays((1, 8, 3 * 5)))
    gradcheck(lambda lib, c: lib.nn.functional.fold(c, (4, 5), **window), arrays((8, 3 * 5)))
    for make in (lambda nn: nn.Fold((4, 5), 2), lambda nn: nn.Fold(3, (1, 2), 1, 0, 1),
                 lambda nn: nn.Unfold(2, dilation=(1, 2), padding=1, stride=2), lambda nn: nn.Unfold((3, 1))):
        assert repr(make(minitorch.nn)) == repr(make(torch.nn))


def test_fold_unfold_empty_batch():
    check(lambda lib, x: lib.nn.functional.unfold(x, 2), np.zeros((0, 3, 5, 5)))
    check(lambda lib, c: lib.nn.functional.fold(c, (5, 5), 2), np.zeros((0, 12, 16)))


@pytest.mark.parametrize("call, shape", [
    (lambda F, x: F.unfold(x, 2), (1, 3, 5, 5, 5)),
    (lambda F, x: F.unfold(x, 6), (1, 3, 5, 5)),
    (lambda F, x: F.unfold(x, 0), (1, 3, 5, 5)),
    (lambda F, x: F.unfold(x, 2, stride=0), (1, 3, 5, 5)),
    (lambda F, x: F.unfold(x, 2, dilation=0), (1, 3, 5, 5)),
    (lambda F, x: F.unfold(x, 2, padding=-1), (1, 3, 5, 5)),
    (lambda F, x: F.unfold(x, (2, 2, 2)), (1, 3, 5, 5)),
    (lambda F, x: F.unfold(x, 2), (1, 0, 5, 5)),
    (lambda F, x: F.unfold(x.long(), 2), (1, 3, 5, 5)),
    (lambda F, x: F.fold(x, (5, 5), 2), (1, 12, 15)),
    (lambda F, x: F.fold(x, (5, 5), 2), (1, 13, 16)),
    (lambda F, x: F.fold(x, (5, 5), 2), (12,)),
    (lambda F, x: F.fold(x, (5, 5), 2), (1, 1, 12, 16)),
    (lambda F, x: F.fold(x, (5, 5), 0), (1, 12, 16)),
    (lambda F, x: F.fold(x, (5, 5), 2, stride=0), (1, 12, 16)),
    (lambda F, x: F.fold(x, (5, 5), 2, padding=-1), (1, 12, 16)),
    (lambda F, x: F.fold(x, (1, 1), 2), (1, 12, 16)),
    (lambda F, x: F.fold(x, (5, 5, 5), 2), (1, 12, 16)),
    (lambda F, x: F.fold(x.long(), (5, 5), 2), (1, 12, 16)),
])
def test_fold_unfold_errors_match_torch(call, shape):
    same_error(lambda lib, x: call(lib.nn.functional, x), np.zeros(shape, np.float32))
