"""Conv1d, Conv2d, Conv3d and the transposes ConvTranspose1d, ConvTranspose2d, ConvTranspose3d: learned filters
slid over the input (see nn/functional/conv.py for the math)."""
import math

from ... import _creation
from .. import functional as F, init
from .._ntuple import ntuple
from ..functional.conv import transposed_output_size
from ..parameter import Parameter
from .module import Module

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]

_PADDING_MODES = ["zeros", "reflect", "replicate", "circular"]


class _ConvNd(Module):
    _spatial = 0

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
                 padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        n = self._spatial
        if not isinstance(groups, int) or groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}")
            if padding == "same" and any(s != 1 for s in ntuple(stride, n)):
                raise ValueError("padding='same' is not supported for strided convolutions")
        else:
            padding = ntuple(padding, n)
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"padding_mode must be one of {_PADDING_MODES}, but got padding_mode='{padding_mode}'")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = ntuple(kernel_size, n), ntuple(stride, n)
        self.padding, self.dilation, self.output_padding = padding, ntuple(dilation, n), (0,) * n
        self.groups, self.padding_mode, self.transposed = groups, padding_mode, False
        self.weight = Parameter(_creation.empty(*self._weight_shape(), device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(_creation.empty(out_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def _weight_shape(self):
        return (self.out_channels, self.in_channels // self.groups) + self.kernel_size

    def reset_parameters(self):
        """As torch: weight from kaiming_uniform_(a=sqrt 5), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and
        bias from the same range, with fan_in = weight.shape[1] * prod(kernel_size): in_channels / groups
        * prod(kernel_size) for a convolution, out_channels / groups * prod(kernel_size) for a transposed one."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def _mode_padding(self):
        """For reflect/replicate/circular: F.pad's (left, right, top, bottom) for this layer's padding."""
        if self.padding == "valid":
            pairs = [(0, 0)] * len(self.kernel_size)
        elif self.padding == "same":
            totals = [d * (k - 1) for d, k in zip(self.dilation, self.kernel_size)]
            pairs = [(t // 2, t - t // 2) for t in totals]
        else:
            pairs = [(p, p) for p in self.padding]
        return [side for pair in reversed(pairs) for side in pair]

    def _conv(self, input, padding):
        raise NotImplementedError

    def forward(self, input):
        if self.padding_mode == "zeros":
            return self._conv(input, self.padding)
        return self._conv(F.pad(input, self._mode_padding(), mode=self.padding_mode), 0)

    def extra_repr(self):
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * len(self.padding):
            text += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.dilation):
            text += f", dilation={self.dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class Conv1d(_ConvNd):
    """1-D convolution over (N, C_in, L) -> (N, C_out, L_out)."""

    _spatial = 1

    def _conv(self, input, padding):
        return F.conv1d(input, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)


class Conv2d(_ConvNd):
    """2-D convolution over (N, C_in, H, W) -> (N, C_out, H_out, W_out)."""

    _spatial = 2

    def _conv(self, input, padding):
        return F.conv2d(input, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)


class Conv3d(_ConvNd):
    """3-D convolution over (N, C_in, D, H, W) -> (N, C_out, D_out, H_out, W_out)."""

    _spatial = 3

    def _conv(self, input, padding):
        return F.conv3d(input, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)


class _ConvTransposeNd(_ConvNd):
    """A transposed convolution: weight (in_channels, out_channels / groups, *kernel_size); padding
    removes rows/columns from the output, output_padding adds them back at its end."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {type(self).__name__}')
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, device, dtype)
        self.output_padding, self.transposed = ntuple(output_padding, self._spatial), True

    def _weight_shape(self):
        return (self.in_channels, self.out_channels // self.groups) + self.kernel_size

    def _output_padding(self, input, output_size):
        """The output_padding that gives the requested ``output_size`` (spatial sizes, optionally led by the
        batch and channel sizes), as torch: each size must lie in [smallest, smallest + stride - 1]."""
        if output_size is None:
            return self.output_padding
        n = self._spatial
        leading = input.ndim - n
        output_size = tuple(output_size)
        if len(output_size) == leading + n:
            output_size = output_size[leading:]
        if len(output_size) != n:
            raise ValueError(f"ConvTranspose{n}D: for {input.ndim}D input, output_size must have {n} or {leading + n} "
                             f"elements (got {len(output_size)})")
        smallest = [transposed_output_size(size, k, s, p, 0, d) for size, k, s, p, d in
                    zip(input.shape[leading:], self.kernel_size, self.stride, self.padding, self.dilation)]
        largest = [size + s - 1 for size, s in zip(smallest, self.stride)]
        if any(not lo <= size <= hi for size, lo, hi in zip(output_size, smallest, largest)):
            raise ValueError(f"requested an output size of {output_size}, but valid sizes range from {smallest} to "
                             f"{largest} (for an input of torch.Size({list(input.shape[leading:])}))")
        return tuple(size - lo for size, lo in zip(output_size, smallest))

    def forward(self, input, output_size=None):
        return self._conv_transpose(input, self._output_padding(input, output_size))


class ConvTranspose1d(_ConvTransposeNd):
    """1-D transposed convolution over (N, C_in, L) -> (N, C_out, L_out), the gradient of Conv1d with respect
    to its input: L_out = (L - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding + 1."""

    _spatial = 1

    def _conv_transpose(self, input, output_padding):
        return F.conv_transpose1d(input, self.weight, self.bias, self.stride, self.padding, output_padding,
                                  self.groups, self.dilation)


class ConvTranspose2d(_ConvTransposeNd):
    """2-D transposed convolution over (N, C_in, H, W) -> (N, C_out, H_out, W_out), the gradient of Conv2d with
    respect to its input (an upsampling by the stride), each output size as in ConvTranspose1d."""

    _spatial = 2

    def _conv_transpose(self, input, output_padding):
        return F.conv_transpose2d(input, self.weight, self.bias, self.stride, self.padding, output_padding,
                                  self.groups, self.dilation)


class ConvTranspose3d(_ConvTransposeNd):
    """3-D transposed convolution over (N, C_in, D, H, W) -> (N, C_out, D_out, H_out, W_out), the gradient of
    Conv3d with respect to its input, each output size as in ConvTranspose1d."""

    _spatial = 3

    def _conv_transpose(self, input, output_padding):
        return F.conv_transpose3d(input, self.weight, self.bias, self.stride, self.padding, output_padding,
                                  self.groups, self.dilation)
