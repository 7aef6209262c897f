"""Convolutions as one matrix product over unfolded windows (im2col).

For input (N, C, H, W) and weight (O, C/groups, kH, kW):

    columns = unfold(input)                  # (N, C*kH*kW, L): one column per output position
    output  = weight.view(O, -1) @ columns   # (N, O, L), then viewed as (N, O, oH, oW)

With ``groups`` the channels are cut into ``groups`` blocks, each convolved with its own
O/groups filters: the same product, batched over the groups. conv1d is conv2d on a height-1 image.
Gradients come from unfold's (an overlap-add) and matmul's.
"""
from ..._functions._operands import check_tensors
from ..._functions.conv import fold, output_size, pair, unfold
from .padding import pad

__all__ = ["conv1d", "conv2d", "unfold", "fold"]


def _check_input(input, weight, bias, groups, name, spatial):
    check_tensors(name, input=input, weight=weight)
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
    for kind, parameter in (("weight", weight), ("bias", bias)):
        if parameter is not None and parameter.dtype is not input.dtype:
            raise RuntimeError(f"Input type ({input.dtype.scalar_type.lower()}) and {kind} type "
                               f"({parameter.dtype.scalar_type.lower()}) should be the same")


def _same_padding(input, kernel, dilation, stride):
    """padding="same": total d*(k-1) per dim; an odd total puts the extra zero at the end, as torch."""
    if any(s != 1 for s in stride):
        raise ValueError("padding='same' is not supported for strided convolutions")
    totals = [d * (k - 1) for d, k in zip(dilation, kernel)]
    extra = []
    for total in reversed(totals):
        extra += [0, total % 2]
    if any(extra):
        input = pad(input, extra)
    return input, tuple(total // 2 for total in totals)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation, as in torch) of (N, C, H, W) or (C, H, W) input."""
    _check_input(input, weight, bias, groups, "conv2d", 2)
    unbatched = input.ndim == 3
    x = input.unsqueeze(0) if unbatched else input
    kernel, stride, dilation = tuple(weight.shape[2:]), pair(stride, "stride"), pair(dilation, "dilation")
    if padding == "same":
        x, padding = _same_padding(x, kernel, dilation, stride)
    elif padding == "valid":
        padding = (0, 0)
    elif isinstance(padding, str):
        raise ValueError(f"Invalid padding string '{padding}', should be one of {{'valid', 'same'}}")
    padding = pair(padding, "padding")
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
    _check_input(input, weight, bias, groups, "conv1d", 1)
    single = (lambda v: v[0] if isinstance(v, (tuple, list)) else v)
    padding = padding if isinstance(padding, str) else (0, single(padding))
    out = conv2d(input.unsqueeze(-2), weight.unsqueeze(-2), bias, (1, single(stride)), padding,
                 (1, single(dilation)), groups)
    return out.squeeze(-2)
