"""Resizing images: F.interpolate (and its deprecated names) and the pixel shuffles.

interpolate resizes each spatial dim on its own (the methods are separable). Along one dim of
input size ``n`` and output size ``m``, each output position ``i`` reads a source position ``src(i)``:

    align_corners=False (half-pixel centres):  src = (i + 0.5) * scale - 0.5,   scale = n / m
    align_corners=True  (corner pixels align):  src = i * (n - 1) / (m - 1)

(with a ``scale_factor`` and no ``recompute_scale_factor``, ``scale = 1 / scale_factor``: torch's
rule, which differs from n / m when n * scale_factor is not a whole number). Then

- nearest:        out[i] = x[floor(i * scale)]                (the legacy rule, no half-pixel shift)
- nearest-exact:  out[i] = x[floor((i + 0.5) * scale)]        (the nearest centre)
- linear:         out[i] = (1 - t) x[j] + t x[j + 1],         j = floor(src), t = src - j
- cubic:          out[i] = sum_k w_k(t) x[clamp(j - 1 + k)],  k = 0..3, Keys' kernel with a = -0.75

so every mode is a sum of ``index_select``s of the input times per-position weights. The indices
and weights are computed once on the host, in the input's precision as torch does, and the
gradient comes free: index_select's backward adds each output gradient, times its weight, back
into the input position it was read from.

pixel_shuffle moves channel blocks into space: (*, C r^2, H, W) -> (*, C, H r, W r); pixel_unshuffle
undoes it. Both are a reshape, a permute and a reshape.
"""
import warnings

import numpy as np

from ..._tensor import Tensor
from .._ntuple import ntuple
from .pooling import adaptive_avg_pool2d

__all__ = ["interpolate", "upsample", "upsample_nearest", "upsample_bilinear", "pixel_shuffle", "pixel_unshuffle"]

_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"
_RANK_OF_MODE = {"linear": 3, "bilinear": 4, "trilinear": 5, "bicubic": 4}


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """torch.nn.functional.interpolate for (N, C, W), (N, C, H, W) and (N, C, D, H, W) input."""
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    sizes, scales = _output_sizes(input, size, scale_factor, recompute_scale_factor)
    if antialias:
        if mode in ("bilinear", "bicubic", "lanczos") and input.ndim == 4:
            raise NotImplementedError("interpolate: antialias=True is not implemented in minitorch")
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a "
                         "4-D tensor as input")
    _check_mode(input, mode)
    _check_sizes(input, sizes)
    if mode == "area":
        return _area(input, sizes)
    result = input
    for i, (out_size, scale) in enumerate(zip(sizes, scales)):
        taps = _taps(input.shape[2 + i], out_size, scale, mode, align_corners, input.dtype.numpy, input.ndim)
        result = _resample(result, 2 + i, taps)
    return result


def _output_sizes(input, size, scale_factor, recompute):
    """The output's spatial sizes and the scales handed to the index rules (None: use in / out)."""
    spatial = input.ndim - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        sizes = list(ntuple(size, spatial))
        if len(sizes) != spatial:
            raise ValueError(f"Input and output must have the same number of spatial dimensions, but got input with "
                             f"spatial dimensions of {list(input.shape[2:])} and output size of {size}. Please "
                             "provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, "
                             "...,oK) format.")
        if not all(isinstance(s, (int, np.integer)) for s in sizes):
            raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or Tuple[int, int, int], "
                            f"but got size with types {[type(s) for s in sizes]}")
        if recompute:
            raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
        return sizes, [None] * spatial
    if scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    factors = list(ntuple(scale_factor, spatial))
    if len(factors) != spatial:
        raise ValueError(f"Input and scale_factor must have the same number of spatial dimensions, but got input "
                         f"with spatial dimensions of {list(input.shape[2:])} and scale_factor of shape "
                         f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                         "scale_factor in (s1, s2, ...,sK) format.")
    sizes = [int(n * f) for n, f in zip(input.shape[2:], factors)]  # truncated, as torch
    return sizes, [None] * spatial if recompute else factors


def _check_mode(input, mode):
    """The mode must exist and fit the input's rank (linear: 3-D, bilinear/bicubic: 4-D, trilinear: 5-D)."""
    known = mode in ("nearest", "nearest-exact", "area") or mode in _RANK_OF_MODE
    if input.ndim not in (3, 4, 5) or not known or (mode == "bicubic" and input.ndim != 4):
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for "
                                  f"the modes: {_MODES} (got {mode})")
    needed = _RANK_OF_MODE.get(mode, input.ndim)
    if needed != input.ndim:
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs {needed}D input")
    if mode == "area" and input.ndim == 5:
        raise NotImplementedError("interpolate: mode='area' on 5-D input needs adaptive_avg_pool3d, which minitorch "
                                  "does not have")
    nearest_uint8 = mode.startswith("nearest") and input.dtype.numpy == np.uint8  # (images; torch allows it)
    if not (input.dtype.is_floating_point or nearest_uint8):
        raise NotImplementedError(f"interpolate: mode={mode!r} needs a floating point input (or uint8 for the "
                                  f"nearest modes), but got {input.dtype}")


def _check_sizes(input, sizes):
    """torch's errors for an empty input or a non-positive output size."""
    names = "DHW"[-len(sizes):]
    shape = input.shape[2:]
    if min(shape) < 1 or min(sizes) < 1:
        separator = " and " if len(sizes) == 1 else " "
        raise RuntimeError("Input and output sizes should be greater than 0, but got input "
                           f"({', '.join(f'{n}: {s}' for n, s in zip(names, shape))}){separator}output "
                           f"({', '.join(f'{n}: {s}' for n, s in zip(names, sizes))})")
    if input.shape[1] == 0:
        raise RuntimeError(f"Non-empty {input.ndim}D data tensor expected but got a tensor with sizes "
                           f"{list(input.shape)}")


def _area(input, sizes):
    """mode='area': the mean over the adaptive pooling windows of adaptive_avg_pool2d."""
    if input.ndim == 3:
        return adaptive_avg_pool2d(input.unsqueeze(-2), (1, sizes[0])).squeeze(-2)
    return adaptive_avg_pool2d(input, tuple(sizes))


def _scale(in_size, out_size, scale_factor, align_corners, real):
    """torch's area_pixel_compute_scale, in the precision ``real`` that torch uses for the input."""
    if align_corners:
        return real(in_size - 1) / real(out_size - 1) if out_size > 1 else real(0)
    if scale_factor is not None and scale_factor > 0:
        return real(1.0 / scale_factor)
    return real(in_size) / real(out_size)


def _taps(in_size, out_size, scale_factor, mode, align_corners, dtype, rank):
    """The (index, weight) pairs of one dim: out[i] = sum over pairs of weight[i] * x[index[i]]
    (weight None: 1). Two shortcuts are torch's: its linear kernels and its 4-D nearest kernel
    copy a dim whose size is unchanged, whatever the scale_factor. (One is not followed: for some
    image sizes torch's 4-D nearest reads i // 2 where a scale_factor near 2 exactly doubles a size.)"""
    real = np.float64 if dtype == np.float64 else np.float32  # torch computes the positions in this precision
    scale = _scale(in_size, out_size, scale_factor, align_corners, real)
    i = np.arange(out_size).astype(real)
    unchanged = [(np.arange(out_size), None)]
    if mode == "nearest":
        return unchanged if rank == 4 and in_size == out_size else [(_floor(i * scale, in_size), None)]
    if mode == "nearest-exact":
        return [(_floor(np.maximum(scale * (i + real(0.5)) - real(0.5), 0) + real(0.5), in_size), None)]
    src = scale * i if align_corners else scale * (i + real(0.5)) - real(0.5)
    if mode == "bicubic":
        j = _floor(src, in_size)
        t = np.clip(src - j, 0, 1)
        return [(np.clip(j - 1 + k, 0, in_size - 1), w.astype(dtype)) for k, w in enumerate(_cubic_weights(t))]
    if in_size == out_size:
        return unchanged
    src = np.maximum(src, 0)
    j = _floor(src, in_size)
    t = np.clip(src - j, 0, 1)
    return [(j, (1 - t).astype(dtype)), (np.minimum(j + 1, in_size - 1), t.astype(dtype))]


def _floor(src, size):
    """floor(src) as an index, at most size - 1 (torch floors in single precision: floorf)."""
    return np.minimum(np.floor(src.astype(np.float32)).astype(np.int64), size - 1)


def _cubic_weights(t, a=-0.75):
    """Keys' cubic convolution weights of the taps at distances 1 + t, t, 1 - t and 2 - t."""
    near = (lambda x: ((a + 2) * x - (a + 3)) * x * x + 1)  # |x| <= 1
    far = (lambda x: ((a * x - 5 * a) * x + 8 * a) * x - 4 * a)  # 1 < |x| < 2
    return far(t + 1), near(t), near(1 - t), far(2 - t)


def _resample(x, dim, taps):
    """sum over taps of x.index_select(dim, index) * weight (the weight broadcast along ``dim``)."""
    result = None
    for index, weight in taps:
        term = x.index_select(dim, Tensor._make(index.astype(np.int64)).to(x.device))
        if weight is not None:
            term = term * Tensor._make(weight.reshape((-1,) + (1,) * (x.ndim - 1 - dim))).to(x.device)
        result = term if result is None else result + term
    return result


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated: F.interpolate."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """Deprecated: F.interpolate(..., mode="nearest")."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Deprecated: F.interpolate(..., mode="bilinear", align_corners=True)."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


def _check_factor(input, factor, name, what):
    if isinstance(factor, bool) or not isinstance(factor, (int, np.integer)):
        raise TypeError(f"{name}(): argument '{what}' (position 2) must be int, not {type(factor).__name__}")
    if input.ndim < 3:
        raise RuntimeError(f"{name} expects input to have at least 3 dimensions, but got input with {input.ndim} "
                           "dimension(s)")
    if factor <= 0:
        raise RuntimeError(f"{name} expects a positive {what}, but got {factor}")


def pixel_shuffle(input, upscale_factor):
    """(*, C r^2, H, W) -> (*, C, H r, W r): out[c, h r + i, w r + j] = x[c r^2 + i r + j, h, w]."""
    _check_factor(input, upscale_factor, "pixel_shuffle", "upscale_factor")
    r = upscale_factor
    *batch, channels, height, width = input.shape
    if channels % (r * r):
        raise RuntimeError("pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={channels} is not divisible by {r * r}")
    n = len(batch)
    blocks = input.reshape(*batch, channels // (r * r), r, r, height, width)
    blocks = blocks.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)  # (*, C, H, r, W, r)
    return blocks.reshape(*batch, channels // (r * r), height * r, width * r)


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H r, W r) -> (*, C r^2, H, W), the inverse of pixel_shuffle."""
    _check_factor(input, downscale_factor, "pixel_unshuffle", "downscale_factor")
    r = downscale_factor
    *batch, channels, height, width = input.shape
    for what, size, dim in (("height", height, -2), ("width", width, -1)):
        if size % r:
            raise RuntimeError(f"pixel_unshuffle expects {what} to be divisible by downscale_factor, but "
                               f"input.size({dim})={size} is not divisible by {r}")
    n = len(batch)
    blocks = input.reshape(*batch, channels, height // r, r, width // r, r)
    blocks = blocks.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)  # (*, C, r, r, H/r, W/r)
    return blocks.reshape(*batch, channels * r * r, height // r, width // r)

