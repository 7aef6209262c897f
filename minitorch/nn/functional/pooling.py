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
from ..._functions.conv import pair, unfold
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


def _windows(input, kernel_size, stride, padding, dilation, ceil_mode, fill, name):
    """The input's windows as (N*C, kH*kW, oH*oW), with the explicit padding and ceil_mode's extra
    rows/columns filled with ``fill``; also the output shape."""
    check_tensors(name, input=input)
    if input.ndim not in (3, 4):
        raise RuntimeError(f"{name}: Expected 3D or 4D (batch mode) tensor for input, but got: {list(input.shape)}")
    kernel = pair(kernel_size)
    stride = kernel if stride is None or stride == [] else pair(stride, "stride")
    padding, dilation = pair(padding, "padding"), pair(dilation, "dilation")
    for p, k, d in zip(padding, kernel, dilation):
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p}, "
                               f"kernel_size={k} and dilation={d}")
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
    columns, shape, _ = _windows(input, kernel_size, stride, padding, dilation, ceil_mode, -math.inf,
                                 "max_pool2d")
    values, positions = columns.max(1)
    values = values.reshape(shape)
    if not return_indices:
        return values
    return values, _flat_indices(positions, input, shape, kernel_size, stride, padding, dilation)


def _flat_indices(positions, input, shape, kernel_size, stride, padding, dilation):
    """Where each maximum sits in its input plane, as the index h * W + w (torch's return_indices)."""
    kernel, dilation, padding = pair(kernel_size), pair(dilation, "dilation"), pair(padding, "padding")
    stride = kernel if stride is None else pair(stride, "stride")
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

