"""F.unfold and F.fold (im2col and col2im) with torch's argument checks and unbatched input.

The two linear maps, each the other's backward, are the primitives Unfold and Fold of
_functions/conv.py (convolution and pooling use them too):

    unfold: (N, C, H, W)      -> (N, C kH kW, L)    each sliding window becomes a column
    fold:   (N, C kH kW, L)   -> (N, C, H, W)       each column is added back into its window

with L = oH * oW windows, o = floor((size + 2 padding - dilation (kernel - 1) - 1) / stride) + 1
per spatial dim. Unbatched input, (C, H, W) for unfold and (C kH kW, L) for fold, is given a
batch dim of one and has it removed again.
"""
from ..._functions.conv import Fold, Unfold, output_size as _blocks
from .._ntuple import ntuple

__all__ = ["unfold", "fold"]


def _pair(value, name):
    """torch's _pair: an int twice, any other sequence as a tuple, which must have two entries."""
    values = ntuple(value, 2)
    if len(values) != 2:
        raise RuntimeError(f"It is expected {name} equals to 2, but got size {len(values)}")
    return values


def _window_args(kernel_size, dilation, padding, stride):
    """The four window arguments as checked pairs, with torch's errors."""
    kernel, dilation = _pair(kernel_size, "kernel_size"), _pair(dilation, "dilation")
    padding, stride = _pair(padding, "padding"), _pair(stride, "stride")
    for what, (h, w), low in (("kernel size", kernel, 1), ("stride", stride, 1), ("dilation", dilation, 1)):
        if min(h, w) < low:
            name = "kernel" if what == "kernel size" else what
            raise RuntimeError(f"{what} should be greater than zero, but got {name}_height: {h} {name}_width: {w}")
    if min(padding) < 0:
        raise RuntimeError(f"padding should be non-negative, but got pad_height: {padding[0]} pad_width: "
                           f"{padding[1]}")
    return kernel, dilation, padding, stride


def _check_floating(input, kernel_name):
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel_name}\" not implemented for '{input.dtype.scalar_type}'")


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """torch.nn.functional.unfold: (N, C, H, W) -> (N, C kH kW, L), or (C, H, W) -> (C kH kW, L)."""
    kernel, dilation, padding, stride = _window_args(kernel_size, dilation, padding, stride)
    if input.ndim not in (3, 4) or 0 in input.shape[-3:]:
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
                           f"dimensions for input, but got: {list(input.shape)}")
    blocks = [_blocks(s, k, d, p, st) for s, k, d, p, st in zip(input.shape[-2:], kernel, dilation, padding, stride)]
    if min(blocks) < 1:
        raise RuntimeError(f"Given input with spatial size {tuple(input.shape[-2:])}, kernel_size={kernel}, "
                           f"dilation={dilation}, padding={padding}, calculated shape of the array of sliding "
                           f"blocks as {tuple(blocks)}, but its components must be at least one.")
    _check_floating(input, "im2col_out_cpu")
    batched = input if input.ndim == 4 else input.unsqueeze(0)
    columns = Unfold.apply(batched, kernel, dilation, padding, stride)
    return columns if input.ndim == 4 else columns.squeeze(0)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """torch.nn.functional.fold: (N, C kH kW, L) -> (N, C, *output_size), or (C kH kW, L) -> (C, *output_size)."""
    size = _pair(output_size, "output_size")
    kernel, dilation, padding, stride = _window_args(kernel_size, dilation, padding, stride)
    if input.ndim not in (2, 3) or 0 in input.shape[-2:]:
        raise RuntimeError("Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
                           f"dimensions for input, but got: {list(input.shape)}")
    channel_dim = input.ndim - 2
    if input.shape[channel_dim] % (kernel[0] * kernel[1]):
        raise RuntimeError(f"Expected size of input's dimension {channel_dim} to be divisible by the product of "
                           f"kernel_size, but got input.size({channel_dim})={input.shape[channel_dim]} and "
                           f"kernel_size={kernel}.")
    blocks = [_blocks(s, k, d, p, st) for s, k, d, p, st in zip(size, kernel, dilation, padding, stride)]
    if blocks[0] * blocks[1] != input.shape[-1] or min(blocks) < 1:
        raise RuntimeError(f"Given output_size={size}, kernel_size={kernel}, dilation={dilation}, padding={padding}, "
                           f"stride={stride}, expected size of input's dimension {channel_dim + 1} to match the "
                           f"calculated number of sliding blocks {blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]}, "
                           f"but got input.size({channel_dim + 1})={input.shape[-1]}.")
    _check_floating(input, "col2im_out_cpu")
    batched = input if input.ndim == 3 else input.unsqueeze(0)
    image = Fold.apply(batched, size, kernel, dilation, padding, stride)
    return image if input.ndim == 3 else image.squeeze(0)
