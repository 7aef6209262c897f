"""Convolutions as one matrix product over unfolded windows (im2col).

For input (N, C, H, W) and weight (O, C/groups, kH, kW):

    columns = unfold(input)                  # (N, C*kH*kW, L): one column per output position
    output  = weight.view(O, -1) @ columns   # (N, O, L), then viewed as (N, O, oH, oW)

With ``groups`` the channels are cut into ``groups`` blocks, each convolved with its own
O/groups filters: the same product, batched over the groups. conv1d is conv2d on a height-1 image.
Gradients come from unfold's (an overlap-add) and matmul's.
"""
from ..._functions._operands import check_tensors
from ..._functions.conv import fold, output_size, unfold
from .padding import pad

__all__ = ["conv1d", "conv2d", "unfold", "fold"]


def _conv_tuple(value, name, spatial):
    """An int, or a list of one int per spatial dim, as a tuple (torch's error for any other length)."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * spatial
    if len(values) != spatial:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {spatial} values to match the "
                           f"convolution dimensions, but got {name}={list(values)}")
    return values


def _check_conv(input, weight, bias, stride, padding, dilation, groups, name, spatial):
    """Check a convolution's arguments where the learner passed them, with torch's errors; returns
    stride, padding ("same" or a tuple) and dilation as tuples of ``spatial`` ints."""
    check_tensors(name, input=input, weight=weight)
    if isinstance(padding, str) and padding not in ("same", "valid"):
        raise RuntimeError(f"Invalid padding string: '{padding}' (expected 'valid', 'same' or ints)")
    stride, dilation = _conv_tuple(stride, "stride", spatial), _conv_tuple(dilation, "dilation", spatial)
    padding = (0,) * spatial if padding == "valid" else padding if padding == "same" else \
        _conv_tuple(padding, "padding", spatial)
    if any(s <= 0 for s in stride):
        raise RuntimeError(f"non-positive stride is not supported, but got stride={list(stride)}")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
    if padding == "same" and any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    if padding != "same" and any(p < 0 for p in padding):
        raise RuntimeError(f"negative padding is not supported, but got padding={list(padding)}")
    if weight.ndim != spatial + 2:
        raise RuntimeError(f"Expected {spatial + 2}D weight (out_channels, in_channels / groups, *kernel_size) for "
                           f"{name}, but got weight of size {list(weight.shape)}")
    if input.ndim not in (spatial + 1, spatial + 2):
        raise RuntimeError(f"Expected {spatial + 1}D (unbatched) or {spatial + 2}D (batched) input to {name}, but "
                           f"got input of size: {list(input.shape)}")
    channels = input.shape[-spatial - 1]
    if channels != weight.shape[1] * groups:
        shape = list(input.shape) if input.ndim == spatial + 2 else [1] + list(input.shape)
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, expected input{shape} to "
                           f"have {weight.shape[1] * groups} channels, but got {channels} channels instead")
    if weight.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but "
                           f"got weight of size {list(weight.shape)} instead")
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != weight.shape[0]):
        raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be 1-dimensional with "
                           f"{weight.shape[0]} elements, but got bias of size {list(bias.shape)} instead")
    for kind, parameter in (("weight", weight), ("bias", bias)):
        if parameter is not None and parameter.dtype is not input.dtype:
            raise RuntimeError(f"Input type ({input.dtype.scalar_type.lower()}) and {kind} type "
                               f"({parameter.dtype.scalar_type.lower()}) should be the same")
    if padding != "same":
        _check_fits(input.shape[-spatial:], weight.shape[2:], dilation, padding)
    return stride, padding, dilation


def _check_fits(size, kernel, dilation, padding):
    """torch's error when the (dilated) kernel is larger than the padded input."""
    padded = [s + 2 * p for s, p in zip(size, padding)]
    spans = [d * (k - 1) + 1 for d, k in zip(dilation, kernel)]
    if any(s < k for s, k in zip(padded, spans)):
        raise RuntimeError(f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel "
                           f"size: ({' x '.join(map(str, spans))}). Kernel size can't be greater than actual input "
                           "size")


def _same_padding(input, kernel, dilation):
    """padding="same": total d*(k-1) per dim; an odd total puts the extra zero at the end, as torch."""
    totals = [d * (k - 1) for d, k in zip(dilation, kernel)]
    extra = []
    for total in reversed(totals):
        extra += [0, total % 2]
    if any(extra):
        input = pad(input, extra)
    return input, tuple(total // 2 for total in totals)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation, as in torch) of (N, C, H, W) or (C, H, W) input."""
    stride, padding, dilation = _check_conv(input, weight, bias, stride, padding, dilation, groups, "conv2d", 2)
    return _conv2d(input, weight, bias, stride, padding, dilation, groups, unbatched=input.ndim == 3)


def _conv2d(input, weight, bias, stride, padding, dilation, groups, unbatched):
    """conv2d on checked arguments (stride, dilation: pairs; padding: a pair or "same")."""
    x = input.unsqueeze(0) if unbatched else input
    kernel = tuple(weight.shape[2:])
    if padding == "same":
        x, padding = _same_padding(x, kernel, dilation)
    columns = unfold(x, kernel, dilation, padding, stride)
    n, out_channels = x.shape[0], weight.shape[0]
    oh, ow = (output_size(x.shape[2 + i], kernel[i], dilation[i], padding[i], stride[i]) for i in range(2))
    if groups == 1:
        out = weight.reshape(out_channels, -1) @ columns
    else:
        grouped = columns.view(n, groups, -1, oh * ow)
        out = weight.reshape(groups, out_channels // groups, -1) @ grouped
    out = out.reshape(n, out_channels, oh, ow)
    if bias is not None:
        out = out + bias.view(1, -1, 1, 1)
    return out.squeeze(0) if unbatched else out


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution of (N, C, L) or (C, L) input: conv2d on a height-1 image."""
    stride, padding, dilation = _check_conv(input, weight, bias, stride, padding, dilation, groups, "conv1d", 1)
    padding = padding if padding == "same" else (0,) + padding
    out = _conv2d(input.unsqueeze(-2), weight.unsqueeze(-2), bias, (1,) + stride, padding, (1,) + dilation, groups,
                  unbatched=input.ndim == 2)
    return out.squeeze(-2)
