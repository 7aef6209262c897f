"""im2col and col2im (torch's ``unfold`` and ``fold``): the primitives behind convolution and pooling.

``unfold`` cuts every sliding kH x kW window (with padding, stride and dilation) out of an image
batch (N, C, H, W) and lays them side by side as columns: (N, C*kH*kW, L), L windows. A
convolution is then one matrix product, ``weight.view(out, -1) @ columns``, and a pooling is a
max or a mean over each column, so both get their gradients from ops that already have them.

The two are adjoint linear maps, so each is the other's backward:

- unfold copies each input pixel into every window that covers it; its backward ``fold`` sums
  the gradients of those copies back into the pixel (an overlap-add);
- fold's backward is unfold.

The windows are read without copying the image kH*kW times first, through a strided view
(``as_strided``, as in numpy's ``sliding_window_view``); only the final columns are written.
"""
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function


def output_size(size, kernel, dilation, padding, stride):
    """How many windows fit along one dim: floor((size + 2p - d(k - 1) - 1) / s) + 1."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def _unfold_array(x, kernel, dilation, padding, stride):
    xp = array_module(x)
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = kernel, dilation, padding, stride
    if ph or pw:
        x = xp.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    x = xp.ascontiguousarray(x)
    n, c, h, w = x.shape
    oh, ow = output_size(h, kh, dh, 0, sh), output_size(w, kw, dw, 0, sw)
    s_n, s_c, s_h, s_w = x.strides
    windows = xp.lib.stride_tricks.as_strided(
        x, shape=(n, c, kh, kw, oh, ow), strides=(s_n, s_c, s_h * dh, s_w * dw, s_h * sh, s_w * sw))
    return windows.reshape(n, c * kh * kw, oh * ow)


def _fold_array(columns, size, kernel, dilation, padding, stride):
    xp = array_module(columns)
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = kernel, dilation, padding, stride
    n = columns.shape[0]
    c = columns.shape[1] // (kh * kw)
    h, w = size[0] + 2 * ph, size[1] + 2 * pw
    oh, ow = output_size(h, kh, dh, 0, sh), output_size(w, kw, dw, 0, sw)
    blocks = columns.reshape(n, c, kh, kw, oh, ow)
    image = xp.zeros((n, c, h, w), dtype=columns.dtype)
    for i in range(kh):
        for j in range(kw):
            image[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw] += blocks[:, :, i, j]
    return image[:, :, ph:ph + size[0], pw:pw + size[1]]


class Unfold(Function):
    """columns = im2col(x): each window becomes a column.   dL/dx = fold(dL/dcolumns) (overlap-add)."""

    @staticmethod
    def forward(ctx, x, kernel, dilation, padding, stride):
        ctx.args, ctx.size = (kernel, dilation, padding, stride), x.array.shape[2:]
        return _unfold_array(x.array, kernel, dilation, padding, stride)

    @staticmethod
    def backward(ctx, grad):
        return (Fold.apply(grad, ctx.size, *ctx.args),) + (None,) * 4


class Fold(Function):
    """image = col2im(columns): each column is added back into its window.   dL/dcolumns = unfold(dL/dimage)."""

    @staticmethod
    def forward(ctx, columns, size, kernel, dilation, padding, stride):
        ctx.args = (kernel, dilation, padding, stride)
        return _fold_array(columns.array, size, kernel, dilation, padding, stride)

    @staticmethod
    def backward(ctx, grad):
        return (Unfold.apply(grad, *ctx.args),) + (None,) * 5


def pair(value, name="kernel_size"):
    """An int or a pair of ints as a pair of ints, as torch's _pair."""
    if isinstance(value, int):
        return (value, value)
    value = tuple(value)
    if len(value) != 2 or not all(isinstance(v, int) for v in value):
        raise TypeError(f"{name} must be an int or a tuple of two ints, got {value}")
    return value


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """im2col: (N, C, H, W) -> (N, C*kH*kW, L), one column per sliding window (torch.nn.functional.unfold)."""
    if not isinstance(input, Tensor) or input.ndim != 4:
        shape = list(input.shape) if isinstance(input, Tensor) else type(input).__name__
        raise RuntimeError(f"Input Error: Only 4D input Tensors are supported (got {shape})")
    kernel, dilation, padding, stride = (pair(kernel_size), pair(dilation, "dilation"), pair(padding, "padding"),
                                         pair(stride, "stride"))
    for dim, size in enumerate(input.shape[2:]):
        if output_size(size, kernel[dim], dilation[dim], padding[dim], stride[dim]) < 1:
            raise RuntimeError(
                f"Calculated padded input size per channel: ({input.shape[2] + 2 * padding[0]} x "
                f"{input.shape[3] + 2 * padding[1]}). Kernel size: ({dilation[0] * (kernel[0] - 1) + 1} x "
                f"{dilation[1] * (kernel[1] - 1) + 1}). Kernel size can't be greater than actual input size")
    return Unfold.apply(input, kernel, dilation, padding, stride)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """col2im: (N, C*kH*kW, L) -> (N, C, H, W), overlapping windows summed (torch.nn.functional.fold)."""
    kernel = pair(kernel_size)
    if input.ndim != 3 or input.shape[1] % (kernel[0] * kernel[1]):
        raise RuntimeError(f"Expected 3D input of shape (N, C * {kernel[0]} * {kernel[1]}, L) for fold, but got "
                           f"input of size: {list(input.shape)}")
    return Fold.apply(input, pair(output_size, "output_size"), kernel, pair(dilation, "dilation"),
                      pair(padding, "padding"), pair(stride, "stride"))
