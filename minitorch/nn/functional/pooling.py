"""Pooling: a max or a mean over each sliding window, from the same unfolded windows as conv.

Each channel is pooled on its own: (N, C, H, W) is viewed as N*C one-channel images, unfolded
to (N*C, kH*kW, L), and reduced over the window axis. The gradient of max goes to the element
that was the maximum; the gradient of the mean is spread evenly over the window.

``ceil_mode`` adds one more window at the end when a partial window remains; the missing values
are -inf for max (they never win) and are left out of the mean's divisor.
"""
import math

from ..._creation import ones
from ..._functions._operands import check_tensors
from ..._functions.conv import unfold
from ..._functions.elementwise import where
from ..._functions.shape import stack
from .padding import pad

__all__ = ["max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool2d"]


def _pooled_size(size, kernel, stride, padding, dilation, ceil_mode):
    """torch's output size, including ceil_mode's rule that the last window must start inside the input."""
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    out = (math.ceil(span / stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def _pool_pair(value, what, name):
    """kernel_size/stride/padding/dilation as a pair of ints, with torch's error for other lengths."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(values) == 1:
        values = values * 2
    if len(values) != 2:
        omitted = "be omitted, " if what == "stride" else ""
        raise RuntimeError(f"{name}: {what} must either {omitted}a single int, or a tuple of two ints, but got "
                           f"{what}={value}")
    return values


def _pool_args(kernel_size, stride, padding, dilation, name):
    """The four window arguments as checked pairs (stride defaults to the kernel size)."""
    kernel = _pool_pair(kernel_size, "kernel_size", name)
    stride = kernel if stride is None or stride == [] else _pool_pair(stride, "stride", name)
    padding, dilation = _pool_pair(padding, "padding", name), _pool_pair(dilation, "dilation", name)
    for what, (a, b) in (("kernel size", kernel), ("stride", stride), ("dilation", dilation)):
        if a < 1 or b < 1:
            raise RuntimeError(f"{name}: {what} should be greater than zero, but got {what}=({a}, {b})")
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
    single = (lambda v: v[0] if isinstance(v, (tuple, list)) else v)
    result = max_pool2d(input.unsqueeze(-2), (1, single(kernel_size)), None if stride is None else (1, single(stride)),
                        (0, single(padding)), (1, single(dilation)), ceil_mode, return_indices)
    if return_indices:
        return result[0].squeeze(-2), result[1].squeeze(-2)
    return result.squeeze(-2)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """avg_pool2d on a height-1 image."""
    single = (lambda v: v[0] if isinstance(v, (tuple, list)) else v)
    return avg_pool2d(input.unsqueeze(-2), (1, single(kernel_size)), None if stride is None else (1, single(stride)),
                      (0, single(padding)), ceil_mode, count_include_pad).squeeze(-2)


def adaptive_avg_pool2d(input, output_size):
    """Mean over the windows [floor(i*H/oH), ceil((i+1)*H/oH)) that tile the input into ``output_size``."""
    height, width = input.shape[-2:]
    out_h, out_w = (output_size, output_size) if isinstance(output_size, int) else tuple(output_size)
    out_h, out_w = out_h or height, out_w or width  # None keeps that dim's size
    rows = []
    for i in range(out_h):
        top, bottom = (i * height) // out_h, -(-(i + 1) * height // out_h)
        row = [input[..., top:bottom, (j * width) // out_w:-(-(j + 1) * width // out_w)].mean((-2, -1))
               for j in range(out_w)]
        rows.append(stack(row, -1))
    return stack(rows, -2)

