"""Convolutions as one matrix product over unfolded windows (im2col).

For input (N, C, H, W) and weight (O, C/groups, kH, kW):

    columns = unfold(input)                  # (N, C*kH*kW, L): one column per output position
    output  = weight.view(O, -1) @ columns   # (N, O, L), then viewed as (N, O, oH, oW)

With ``groups`` the channels are cut into ``groups`` blocks, each convolved with its own
O/groups filters: the same product, batched over the groups. conv1d is conv2d on a height-1 image;
conv3d is a sum of conv2d's, one per depth tap of the kernel. Gradients come from unfold's (an
overlap-add) and matmul's.

The transposed convolution runs the same two steps backwards (see conv_transpose2d): a matrix
product with the transposed filters, then ``fold`` (an overlap-add) instead of ``unfold``;
conv_transpose3d is conv_transpose2d on each input depth plane, then a 1-D fold along depth.
"""
from ..._functions._operands import check_tensors
from ..._functions.conv import fold, output_size, unfold
from .._ntuple import ntuple
from .padding import pad

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]


def _conv_tuple(value, name, spatial):
    """An int, or a list of one int per spatial dim, as a tuple (torch's error for any other length)."""
    values = ntuple(value, spatial)
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
    _check_steps(stride, dilation, padding)
    if padding == "same" and any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    _check_ranks(input, weight, name, spatial, "out_channels, in_channels / groups, *kernel_size")
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
    _check_dtypes(input, weight, bias)
    if padding != "same":
        _check_fits(input.shape[-spatial:], weight.shape[2:], dilation, padding)
    return stride, padding, dilation


def _check_steps(stride, dilation, padding):
    """torch's errors for a stride or a dilation that is not positive, and for a negative padding."""
    if any(s <= 0 for s in stride):
        raise RuntimeError(f"non-positive stride is not supported, but got stride={list(stride)}")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
    if padding != "same" and any(p < 0 for p in padding):
        raise RuntimeError(f"negative padding is not supported, but got padding={list(padding)}")


def _check_ranks(input, weight, name, spatial, weight_layout):
    """The weight has ``spatial + 2`` dims (``weight_layout`` names them); the input ``spatial + 1``
    (unbatched) or ``spatial + 2``."""
    if weight.ndim != spatial + 2:
        raise RuntimeError(f"Expected {spatial + 2}D weight ({weight_layout}) for {name}, but got weight of size "
                           f"{list(weight.shape)}")
    if input.ndim not in (spatial + 1, spatial + 2):
        raise RuntimeError(f"Expected {spatial + 1}D (unbatched) or {spatial + 2}D (batched) input to {name}, but "
                           f"got input of size: {list(input.shape)}")


def _check_dtypes(input, weight, bias):
    """The weight and the bias must have the input's dtype (torch does not promote here)."""
    for kind, parameter in (("weight", weight), ("bias", bias)):
        if parameter is not None and parameter.dtype is not input.dtype:
            raise RuntimeError(f"Input type ({input.dtype.scalar_type.lower()}) and {kind} type "
                               f"({parameter.dtype.scalar_type.lower()}) should be the same")


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


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-D convolution of (N, C, D, H, W) or (C, D, H, W) input with weight (O, C/groups, kD, kH, kW).

    Along depth it is a sum over the kernel's kD taps: output depth i reads input depth i*s + a*d - p
    with the filter slice W[:, :, a], so

        out[:, :, i] = sum_a conv2d(x[:, :, i*s + a*d - p], W[:, :, a])

    each conv2d run on all output depths at once (they are folded into the batch)."""
    stride, padding, dilation = _check_conv(input, weight, bias, stride, padding, dilation, groups, "conv3d", 3)
    x = input.unsqueeze(0) if input.ndim == 4 else input
    if padding == "same":
        x, padding = _same_padding(x, tuple(weight.shape[2:]), dilation)
    if padding[0]:
        x = pad(x, (0, 0, 0, 0, padding[0], padding[0]))
    n, depth = x.shape[0], output_size(x.shape[2], weight.shape[2], dilation[0], 0, stride[0])
    out = None
    for a in range(weight.shape[2]):
        start = a * dilation[0]
        planes = x[:, :, start:start + stride[0] * (depth - 1) + 1:stride[0]].transpose(1, 2)  # (N, oD, C, H, W)
        term = _conv2d(planes.reshape(n * depth, *planes.shape[2:]), weight[:, :, a], None, stride[1:], padding[1:],
                       dilation[1:], groups, unbatched=False)
        out = term if out is None else out + term
    out = out.reshape(n, depth, *out.shape[1:]).transpose(1, 2)
    if bias is not None:
        out = out + bias.view(1, -1, 1, 1, 1)
    return out.squeeze(0) if input.ndim == 4 else out


def _check_conv_transpose(input, weight, bias, stride, padding, output_padding, dilation, groups, name, spatial):
    """Check a transposed convolution's arguments with torch's errors; weight is (C_in, C_out/groups, *kernel).
    Returns stride, padding, output_padding and dilation as tuples of ``spatial`` ints."""
    check_tensors(name, input=input, weight=weight)
    if isinstance(padding, str):
        raise TypeError(f"{name}(): argument 'padding' must be tuple of ints, not str (a transposed convolution "
                        "has no 'same' or 'valid' padding)")
    stride, dilation = _conv_tuple(stride, "stride", spatial), _conv_tuple(dilation, "dilation", spatial)
    padding, output_padding = _conv_tuple(padding, "padding", spatial), \
        _conv_tuple(output_padding, "output_padding", spatial)
    _check_steps(stride, dilation, padding)
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        raise RuntimeError(f"output padding must be smaller than either stride or dilation, but got "
                           f"output_padding={list(output_padding)}, stride={list(stride)}, dilation={list(dilation)}")
    _check_ranks(input, weight, name, spatial, "in_channels, out_channels / groups, *kernel_size")
    if weight.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but "
                           f"got weight of size {list(weight.shape)} instead")
    channels = input.shape[-spatial - 1]
    if channels != weight.shape[0]:
        shape = list(input.shape) if input.ndim == spatial + 2 else [1] + list(input.shape)
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected input{shape} to have "
                           f"{weight.shape[0]} channels, but got {channels} channels instead")
    out_channels = weight.shape[1] * groups
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != out_channels):
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected bias to be "
                           f"1-dimensional with {out_channels} elements, but got bias of size {list(bias.shape)} "
                           "instead")
    _check_dtypes(input, weight, bias)
    return stride, padding, output_padding, dilation


def transposed_output_size(size, kernel, stride, padding, output_padding, dilation):
    """The transposed convolution's output length along one dim: (L - 1)s - 2p + d(k - 1) + output_padding + 1,
    the input length of the convolution it transposes (output_padding picks one of the s lengths it maps from)."""
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def _transposed_sizes(size, kernel, stride, padding, output_padding, dilation):
    """The output size per channel, with torch's error when a dim comes out empty."""
    sizes = [transposed_output_size(*args) for args in zip(size, kernel, stride, padding, output_padding, dilation)]
    if min(sizes) < 1:
        raise RuntimeError(f"Given input size per channel: ({' x '.join(map(str, size))}). Calculated output size per "
                           f"channel: ({' x '.join(map(str, sizes))}). Output size is too small")
    return sizes


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """2-D transposed convolution of (N, C_in, H, W) or (C_in, H, W) input x with weight W (C_in, C_out/groups,
    kH, kW): each input pixel scatters its filter-weighted taps into the output,

        out[o, i*s + a*d - p, j*s + b*d - p] += W[c, o, a, b] x[c, i, j]     (summed where taps overlap)

    It is the transpose (the adjoint) of conv2d with the same weight, which reads along the same taps,
    conv2d(y, W)[c, i, j] = sum_{o, a, b} W[c, o, a, b] y[o, i*s + a*d - p, j*s + b*d - p], so
    <conv2d(y, W), x> = <y, conv_transpose2d(x, W)>: conv_transpose2d(g, W) is conv2d's gradient dL/dy
    for the upstream gradient g, and it upsamples by the stride.

    Computed as columns = W^T x (a column of C_out*kH*kW taps per input pixel), then fold (col2im)
    overlap-adds the columns into the full image, of which p rows/columns are cut off each side,
    output_padding of them given back at the end. Gradients: dL/dx = conv2d(dL/dout, W) (fold's backward
    is unfold, then matmul's), dL/dW from the same matrix product, dL/db = dL/dout summed over N, H, W."""
    stride, padding, output_padding, dilation = _check_conv_transpose(
        input, weight, bias, stride, padding, output_padding, dilation, groups, "conv_transpose2d", 2)
    return _conv_transpose2d(input, weight, bias, stride, padding, output_padding, dilation, groups,
                             unbatched=input.ndim == 3)


def _conv_transpose2d(input, weight, bias, stride, padding, output_padding, dilation, groups, unbatched):
    """conv_transpose2d on checked arguments (all pairs of ints)."""
    x = input.unsqueeze(0) if unbatched else input
    n, in_channels, height, width = x.shape
    kernel = tuple(weight.shape[2:])
    sizes = _transposed_sizes((height, width), kernel, stride, padding, output_padding, dilation)
    filters = weight.reshape(groups, in_channels // groups, -1).transpose(1, 2)     # (g, O/g*kH*kW, C/g)
    columns = filters @ x.reshape(n, groups, in_channels // groups, height * width)  # (N, g, O/g*kH*kW, H*W)
    full = [transposed_output_size(size, k, s, 0, 0, d) for size, k, s, d in zip((height, width), kernel, stride,
                                                                                   dilation)]
    image = fold(columns.reshape(n, -1, height * width), full, kernel, dilation, 0, stride)
    beyond = [max(0, op - p) for op, p in zip(output_padding, padding)]  # output_padding past the full image
    if any(beyond):
        image = pad(image, (0, beyond[1], 0, beyond[0]))
    out = image[:, :, padding[0]:padding[0] + sizes[0], padding[1]:padding[1] + sizes[1]]
    if bias is not None:
        out = out + bias.view(1, -1, 1, 1)
    return out.squeeze(0) if unbatched else out


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """1-D transposed convolution of (N, C_in, L) or (C_in, L) input: conv_transpose2d on a height-1 image."""
    stride, padding, output_padding, dilation = _check_conv_transpose(
        input, weight, bias, stride, padding, output_padding, dilation, groups, "conv_transpose1d", 1)
    out = _conv_transpose2d(input.unsqueeze(-2), weight.unsqueeze(-2), bias, (1,) + stride, (0,) + padding,
                            (0,) + output_padding, (1,) + dilation, groups, unbatched=input.ndim == 2)
    return out.squeeze(-2)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """3-D transposed convolution of (N, C_in, D, H, W) or (C_in, D, H, W) input x with weight W (C_in,
    C_out/groups, kD, kH, kW), the transpose of conv3d:

        out[o, i*s + a*d - p, j, k] += conv_transpose2d(x[:, i], W[:, :, a])[o, j, k]     (each depth tap a)

    Computed in two overlap-adds: conv_transpose2d scatters each input depth plane (folded into the
    batch) over height and width with all kD taps at once (the taps stacked as extra output channels),
    then a 1-D fold scatters tap a of input plane i to output depth i*s + a*d, cut by p at both ends
    as in conv_transpose2d. Gradients come from conv_transpose2d's and fold's."""
    stride, padding, output_padding, dilation = _check_conv_transpose(
        input, weight, bias, stride, padding, output_padding, dilation, groups, "conv_transpose3d", 3)
    x = input.unsqueeze(0) if input.ndim == 4 else input
    n, in_channels, depth, height, width = x.shape
    taps, out_channels = weight.shape[2], weight.shape[1] * groups
    size = _transposed_sizes((depth, height, width), weight.shape[2:], stride, padding, output_padding, dilation)[0]
    planes = x.transpose(1, 2).reshape(n * depth, in_channels, height, width)
    spread = _conv_transpose2d(planes, weight.reshape(in_channels, -1, *weight.shape[3:]), None, stride[1:],
                               padding[1:], output_padding[1:], dilation[1:], groups, unbatched=False)
    oh, ow = spread.shape[2:]                                          # (N*D, C_out*kD, oH, oW)
    columns = spread.reshape(n, depth, out_channels * taps, oh * ow).permute(0, 3, 2, 1)
    full = transposed_output_size(depth, taps, stride[0], 0, 0, dilation[0])
    lines = fold(columns.reshape(n * oh * ow, out_channels * taps, depth), (full, 1), (taps, 1), (dilation[0], 1), 0,
                 (stride[0], 1))                                       # (N*oH*oW, C_out, full, 1)
    beyond = max(0, output_padding[0] - padding[0])                    # output_padding past the full depth
    if beyond:
        lines = pad(lines, (0, 0, 0, beyond))
    lines = lines[:, :, padding[0]:padding[0] + size, 0]
    out = lines.reshape(n, oh, ow, out_channels, size).permute(0, 3, 4, 1, 2)
    if bias is not None:
        out = out + bias.view(1, -1, 1, 1, 1)
    return out.squeeze(0) if input.ndim == 4 else out
