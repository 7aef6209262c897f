"""Pooling: a max or a mean over each sliding window, from the same unfolded windows as conv.

Each channel is pooled on its own: (N, C, H, W) is viewed as N*C one-channel images, unfolded
to (N*C, kH*kW, L), and reduced over the window axis. The gradient of max goes to the element
that was the maximum; the gradient of the mean is spread evenly over the window.

``ceil_mode`` adds one more window at the end when a partial window remains; the missing values
are -inf for max (they never win) and are left out of the mean's divisor.

Adaptive pooling picks the windows from the wanted output size instead: output i of a dim of
length L pools [floor(i*L/out), ceil((i+1)*L/out)), so the windows tile the input (overlapping
by one when out does not divide L). Power-average (LP) pooling is (sum of x^p over a window)^(1/p).

3-D pooling is done in two passes, as a box's max (or mean) is the max (or mean) over depth of the
max (or mean) of each depth plane: 2-D pooling of every plane, then 1-D pooling along depth.
"""
import math

from ..._creation import ones
from ..._functions._operands import check_tensors
from ..._functions.conv import unfold
from ..._functions.elementwise import where
from ..._functions.shape import stack
from .._ntuple import ntuple
from .activation import relu
from .padding import pad

__all__ = ["max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices", "max_pool2d_with_indices",
           "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d", "avg_pool3d", "adaptive_avg_pool1d",
           "adaptive_avg_pool2d", "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool1d_with_indices",
           "adaptive_max_pool2d_with_indices", "lp_pool1d", "lp_pool2d"]


def _pooled_size(size, kernel, stride, padding, dilation, ceil_mode):
    """torch's output size, including ceil_mode's rule that the last window must start inside the input."""
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    out = (math.ceil(span / stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def _pool_pair(value, what, name, n=2):
    """kernel_size/stride/padding/dilation as ``n`` ints (a pair by default), with torch's error for other lengths."""
    values = ntuple(value, n)
    if len(values) == 1:
        values = values * n
    if len(values) != n:
        omitted = "be omitted, " if what == "stride" else ""
        raise RuntimeError(f"{name}: {what} must either {omitted}a single int, or a tuple of {('two', 'three')[n - 2]} "
                           f"ints, but got {what}={value}")
    return values


def _pool_args(kernel_size, stride, padding, dilation, name, n=2):
    """The four window arguments as checked ``n``-tuples (stride defaults to the kernel size)."""
    kernel = _pool_pair(kernel_size, "kernel_size", name, n)
    stride = kernel if stride is None or stride == [] else _pool_pair(stride, "stride", name, n)
    padding, dilation = _pool_pair(padding, "padding", name, n), _pool_pair(dilation, "dilation", name, n)
    for what, values in (("kernel size", kernel), ("stride", stride), ("dilation", dilation)):
        if min(values) < 1:
            raise RuntimeError(f"{name}: {what} should be greater than zero, but got {what}={values}")
    if min(padding) < 0:
        raise RuntimeError(f"{name}: pad must be non-negative, but got pad: {min(padding)}")
    for p, k, d in zip(padding, kernel, dilation):
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p}, "
                               f"kernel_size={k} and dilation={d}")
    return kernel, stride, padding, dilation


def _windows(input, kernel_size, stride, padding, dilation, ceil_mode, fill, name):
    """The input's windows as (N*C, kH*kW, oH*oW), with the explicit padding and ceil_mode's extra
    rows/columns filled with ``fill``; also the output shape and the checked window arguments."""
    check_tensors(name, input=input)
    if input.ndim not in (3, 4):
        error = IndexError if input.ndim < 3 and name == "avg_pool2d" else RuntimeError  # (torch's classes)
        raise error(f"{name}: Expected 3D or 4D (batch mode) tensor for input, but got: {list(input.shape)}")
    kernel, stride, padding, dilation = _pool_args(kernel_size, stride, padding, dilation, name)
    height, width = input.shape[-2:]
    out = [_pooled_size(s, k, st, p, d, ceil_mode) for s, k, st, p, d in
           zip((height, width), kernel, stride, padding, dilation)]
    if min(out) < 1:
        raise RuntimeError(f"Given input size: ({'x'.join(str(s) for s in input.shape[-3:])}). Calculated output "
                           f"size: ({input.shape[-3]}x{out[0]}x{out[1]}). Output size is too small")
    extra = [max(0, (o - 1) * s + d * (k - 1) + 1 - (size + 2 * p)) for o, s, d, k, size, p in
             zip(out, stride, dilation, kernel, (height, width), padding)]
    images = input.reshape(-1, 1, height, width)
    images = pad(images, (padding[1], padding[1] + extra[1], padding[0], padding[0] + extra[0]), value=fill)
    columns = unfold(images, kernel, dilation, 0, stride)
    return columns, tuple(input.shape[:-2]) + tuple(out), (kernel, stride, padding, dilation, extra)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum of each kH x kW window of each channel."""
    columns, shape, args = _windows(input, kernel_size, stride, padding, dilation, ceil_mode, -math.inf,
                                    "max_pool2d")
    values, positions = columns.max(1)
    if (args[2] != (0, 0) or any(args[4])) and bool((values == -math.inf).any()):
        positions = _first_real_if_all_minus_inf(values, positions, input, args)
        values = columns.gather(1, positions.unsqueeze(1)).squeeze(1)  # (so the gradient reaches the input)
    values = values.reshape(shape)
    if not return_indices:
        return values
    return values, _flat_indices(positions, input, shape, *args[:4])


def _first_real_if_all_minus_inf(values, positions, input, args):
    """A window whose values are all -inf has its maximum at its first *input* position, as torch
    (not at a padded position, which would take the gradient and give an index outside the input)."""
    kernel, stride, padding, dilation, extra = args
    real = ones(1, 1, *input.shape[-2:], dtype=input.dtype, device=input.device)
    real = pad(real, (padding[1], padding[1] + extra[1], padding[0], padding[0] + extra[0]))
    first_real = unfold(real, kernel, dilation, 0, stride).argmax(1)
    return where(values == -math.inf, first_real, positions)


def _flat_indices(positions, input, shape, kernel, stride, padding, dilation):
    """Where each maximum sits in its input plane, as the index h * W + w (torch's return_indices)."""
    width = input.shape[-1]
    out_w = shape[-1]
    positions = positions.reshape(shape)
    window = positions.reshape(-1, shape[-2] * out_w)
    rows = window.new_tensor(list(range(shape[-2] * out_w))) // out_w
    cols = window.new_tensor(list(range(shape[-2] * out_w))) % out_w
    h = rows * stride[0] - padding[0] + (window // kernel[1]) * dilation[0]
    w = cols * stride[1] - padding[1] + (window % kernel[1]) * dilation[1]
    return (h * width + w).reshape(shape)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean of each kH x kW window of each channel. The divisor counts the explicit zero padding
    when ``count_include_pad``; it never counts ceil_mode's extra positions."""
    columns, shape, (kernel, stride, padding, dilation, extra) = _windows(
        input, kernel_size, stride, padding, 1, ceil_mode, 0.0, "avg_pool2d")
    sums = columns.sum(1)
    if divisor_override is not None:
        if divisor_override == 0:
            raise RuntimeError("avg_pool2d: divisor must be not zero (divisor_override=0)")
        return (sums / divisor_override).reshape(shape)
    if not ceil_mode and (count_include_pad or padding == (0, 0)):
        return (sums / (kernel[0] * kernel[1])).reshape(shape)
    counted = ones(1, 1, *input.shape[-2:], dtype=input.dtype, device=input.device)
    if count_include_pad:
        counted = pad(counted, (padding[1], padding[1], padding[0], padding[0]), value=1.0)
        counted = pad(counted, (0, extra[1], 0, extra[0]))
    else:
        counted = pad(counted, (padding[1], padding[1] + extra[1], padding[0], padding[0] + extra[0]))
    divisor = unfold(counted, kernel, 1, 0, stride).sum(1)
    return (sums / divisor).reshape(shape)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """max_pool2d on a height-1 image."""
    single = (lambda v: ntuple(v, 1)[0])
    result = max_pool2d(input.unsqueeze(-2), (1, single(kernel_size)), None if stride is None else (1, single(stride)),
                        (0, single(padding)), (1, single(dilation)), ceil_mode, return_indices)
    if return_indices:
        return result[0].squeeze(-2), result[1].squeeze(-2)
    return result.squeeze(-2)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """avg_pool2d on a height-1 image."""
    single = (lambda v: ntuple(v, 1)[0])
    return avg_pool2d(input.unsqueeze(-2), (1, single(kernel_size)), None if stride is None else (1, single(stride)),
                      (0, single(padding)), ceil_mode, count_include_pad).squeeze(-2)


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """max_pool2d that always returns (values, indices)."""
    return max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """max_pool1d that always returns (values, indices)."""
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


def _pool3d_args(input, kernel_size, stride, padding, dilation, ceil_mode, name):
    """Check a 3-D pooling's input (4-D or 5-D) and window arguments; return them as triples."""
    check_tensors(name, input=input)
    if input.ndim not in (4, 5) or input.numel() == 0:
        raise RuntimeError(f"{name}: non-empty 4D or 5D (batch mode) tensor expected for input, but got: "
                           f"{list(input.shape)}")
    kernel, stride, padding, dilation = _pool_args(kernel_size, stride, padding, dilation, name, 3)
    out = [_pooled_size(*args, ceil_mode) for args in zip(input.shape[-3:], kernel, stride, padding, dilation)]
    if min(out) < 1:
        raise RuntimeError(f"Given input size: ({'x'.join(str(s) for s in input.shape[-4:])}). Calculated output "
                           f"size: ({'x'.join(str(s) for s in [input.shape[-4]] + out)}). Output size is too small")
    return kernel, stride, padding, dilation


def _depth_last(pooled):
    """(B, D, oH, oW) -> (B, oH*oW, D): each output position's values along depth, for 1-D pooling."""
    return pooled.permute(0, 2, 3, 1).reshape(pooled.shape[0], -1, pooled.shape[1])


def _depth_back(columns, lead, out_hw):
    """(B, oH*oW, oD) -> (*lead, oD, oH, oW), undoing _depth_last."""
    b, _, depth = columns.shape
    return columns.reshape(b, *out_hw, depth).permute(0, 3, 1, 2).reshape(*lead, depth, *out_hw)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum of each kD x kH x kW window: max_pool2d of every depth plane, then max_pool1d along
    depth. With ``return_indices``, each maximum's index d * H * W + h * W + w in its input volume."""
    kernel, stride, padding, dilation = _pool3d_args(input, kernel_size, stride, padding, dilation, ceil_mode,
                                                     "max_pool3d")
    depth, height, width = input.shape[-3:]
    planes, plane_indices = max_pool2d(input.reshape(-1, depth, height, width), kernel[1:], stride[1:], padding[1:],
                                       dilation[1:], ceil_mode, return_indices=True)
    values, depths = max_pool1d(_depth_last(planes), kernel[0], stride[0], padding[0], dilation[0], ceil_mode,
                                return_indices=True)
    lead, out_hw = tuple(input.shape[:-3]), tuple(planes.shape[-2:])
    if not return_indices:
        return _depth_back(values, lead, out_hw)
    indices = depths * (height * width) + _depth_last(plane_indices).gather(-1, depths)
    return _depth_back(values, lead, out_hw), _depth_back(indices, lead, out_hw)


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """max_pool3d that always returns (values, indices)."""
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean of each kD x kH x kW window: avg_pool2d of every depth plane, then the mean along depth
    (torch's divisor is the product of the window's extents along each dim, so it factors the same way).
    With ``divisor_override`` the window's sum is divided by it instead."""
    kernel, stride, padding, _ = _pool3d_args(input, kernel_size, stride, padding, 1, ceil_mode, "avg_pool3d")
    if divisor_override == 0:
        raise RuntimeError("avg_pool3d: divisor must be not zero (divisor_override=0)")
    depth, height, width = input.shape[-3:]
    planes = avg_pool2d(input.reshape(-1, depth, height, width), kernel[1:], stride[1:], padding[1:], ceil_mode,
                        count_include_pad, None if divisor_override is None else 1)
    columns = _depth_last(planes).unsqueeze(-2)  # (B, oH*oW, 1, D): a height-1 image along depth
    means = avg_pool2d(columns, (1, kernel[0]), (1, stride[0]), (0, padding[0]), ceil_mode, count_include_pad,
                       divisor_override).squeeze(-2)
    return _depth_back(means, tuple(input.shape[:-3]), tuple(planes.shape[-2:]))


def _adaptive_windows(size, out):
    """torch's windows along one dim: [floor(i*size/out), ceil((i+1)*size/out)) for each output i."""
    return [((i * size) // out, -(-(i + 1) * size // out)) for i in range(out)]


def _adaptive_input(input, output_size, spatial, name):
    """Check the input (spatial + 1 or spatial + 2 dims, no empty non-batch dim) and return the output
    size as a tuple of ``spatial`` ints (None keeps the input's size along that dim)."""
    check_tensors(name, input=input)
    if input.ndim not in (spatial + 1, spatial + 2):
        raise RuntimeError(f"{name}(): Expected {spatial + 1}D or {spatial + 2}D tensor, but got: "
                           f"{list(input.shape)}")
    for dim in range(input.ndim - spatial - 1, input.ndim):
        if input.shape[dim] == 0:
            raise RuntimeError(f"{name}(): Expected input to have non-zero size for non-batch dimensions, but input "
                               f"has sizes {list(input.shape)} with dimension {dim} being empty")
    sizes = ntuple(output_size, spatial)
    if len(sizes) != spatial:
        raise RuntimeError(f"{name}(): argument 'output_size' should contain {spatial} ints (got {len(sizes)})")
    return tuple(input.shape[i - spatial] if s is None else s for i, s in enumerate(sizes))


def adaptive_avg_pool2d(input, output_size):
    """Mean over the windows [floor(i*H/oH), ceil((i+1)*H/oH)) that tile the input into ``output_size``."""
    out_h, out_w = _adaptive_input(input, output_size, 2, "adaptive_avg_pool2d")
    height, width = input.shape[-2:]
    rows = []
    for top, bottom in _adaptive_windows(height, out_h):
        row = [input[..., top:bottom, left:right].mean((-2, -1)) for left, right in _adaptive_windows(width, out_w)]
        rows.append(stack(row, -1))
    return stack(rows, -2)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Maximum over the windows [floor(i*H/oH), ceil((i+1)*H/oH)) x [floor(j*W/oW), ceil((j+1)*W/oW));
    with ``return_indices`` also where each maximum is, as the index h * W + w in its input plane.
    The gradient goes to that element (max's gradient)."""
    out_h, out_w = _adaptive_input(input, output_size, 2, "adaptive_max_pool2d")
    height, width = input.shape[-2:]
    values, indices = [], []
    for top, bottom in _adaptive_windows(height, out_h):
        for left, right in _adaptive_windows(width, out_w):
            window = input[..., top:bottom, left:right]
            value, position = window.reshape(*window.shape[:-2], -1).max(-1)
            values.append(value)
            indices.append((top + position // (right - left)) * width + left + position % (right - left))
    shape = tuple(input.shape[:-2]) + (out_h, out_w)
    values = stack(values, -1).reshape(shape)
    return (values, stack(indices, -1).reshape(shape)) if return_indices else values


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    """adaptive_max_pool2d that always returns (values, indices)."""
    return adaptive_max_pool2d(input, output_size, return_indices=True)


def _check_1d_input(input, name):
    check_tensors(name, input=input)
    if input.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.ndim}-dimensional tensor for argument #1 "
                           f"'self' (while checking arguments for {name})")


def _single_output_size(output_size, name):
    """A 1-D output size: an int or a one-int sequence (None, which 2-D pooling allows, is not)."""
    sizes = ntuple(output_size, 1)
    if len(sizes) != 1:
        raise RuntimeError(f"{name}() argument 'output_size' should contain one int (got {len(sizes)})")
    if not isinstance(sizes[0], int):
        raise TypeError(f"{name}(): argument 'output_size' must be an int or a tuple of one int, not "
                        f"{type(sizes[0]).__name__}")
    return sizes[0]


def adaptive_avg_pool1d(input, output_size):
    """adaptive_avg_pool2d on a height-1 image: (N, C, L) or (C, L) -> (..., output_size)."""
    _check_1d_input(input, "adaptive_avg_pool1d")
    size = _single_output_size(output_size, "adaptive_avg_pool1d")
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1, size)).squeeze(-2)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """adaptive_max_pool2d on a height-1 image (its indices are then positions along L)."""
    _check_1d_input(input, "adaptive_max_pool1d")
    size = _single_output_size(output_size, "adaptive_max_pool1d")
    values, indices = adaptive_max_pool2d(input.unsqueeze(-2), (1, size), return_indices=True)
    return (values.squeeze(-2), indices.squeeze(-2)) if return_indices else values.squeeze(-2)


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    """adaptive_max_pool1d that always returns (values, indices)."""
    return adaptive_max_pool1d(input, output_size, return_indices=True)


def _lp_root(means, window, norm_type):
    """(window * mean of x^p)^(1/p) = (sum of x^p)^(1/p), as torch: a negative sum (odd p) becomes 0."""
    return (means.sign() * relu(means.abs())).mul(window).pow(1.0 / norm_type)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling: (sum over each kH x kW window of x^p)^(1/p), p = norm_type
    (p = 1: sum pooling; p -> inf: max pooling). Composed from avg_pool2d, so gradients come free."""
    kh, kw = _pool_pair(kernel_size, "kernel_size", "lp_pool2d")
    means = avg_pool2d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return _lp_root(means, kh * kw, norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling over windows of length ``kernel_size``: (sum of x^p)^(1/p)."""
    means = avg_pool1d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return _lp_root(means, kernel_size, norm_type)
