"""Conversions: to another dtype, to another device. Both are differentiable: the gradient is
converted back (to the input's dtype, to the input's device)."""
from .. import _backend, _dtype
from .._tensor import Tensor
from ..autograd.function import Function


class Cast(Function):
    """y = x converted to ``dtype``.   dy/dx = 1: the gradient is converted back to x's dtype."""
    torch_op = "ToCopy"

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.input_dtype = x.dtype
        return x.array.astype(dtype.numpy)

    @staticmethod
    def backward(ctx, grad):
        return grad.to(ctx.input_dtype), None


class ToDevice(Function):
    """y = x copied to ``device``.   dy/dx = 1: the gradient is copied back to x's device."""

    @staticmethod
    def forward(ctx, x, device):
        ctx.input_device = x.device
        return _backend.to_device(x.array, device)

    @staticmethod
    def backward(ctx, grad):
        return grad.to(ctx.input_device), None


def _parse_to_args(tensor, args, kwargs):
    """to(dtype) / to(device) / to(device, dtype) / to(other) / to(dtype=..., device=...)."""
    device, dtype = kwargs.get("device"), kwargs.get("dtype")
    for arg in args:
        if isinstance(arg, Tensor):
            device, dtype = arg.device, arg.dtype
        elif isinstance(arg, (_dtype.dtype, type)) or hasattr(arg, "kind"):
            dtype = arg
        elif isinstance(arg, (str, _backend.device, int)):
            device = arg
        elif isinstance(arg, bool):
            continue
        else:
            raise TypeError(f"to() received an invalid combination of arguments: {arg!r}")
    return device, dtype


def to(tensor, *args, **kwargs):
    """A tensor with the requested dtype and/or device; the tensor itself when nothing changes."""
    device, dtype = _parse_to_args(tensor, args, kwargs)
    out = tensor
    if dtype is not None:
        dtype = _dtype.to_dtype(dtype)
        if dtype.numpy != out.array.dtype:
            out = Cast.apply(out, dtype)
    if device is not None:
        device = _backend.as_device(device)
        if device != out.device:
            out = ToDevice.apply(out, device)
    if kwargs.get("copy") and out is tensor:
        out = out.clone()
    return out


def type_as(tensor, other):
    return to(tensor, other.dtype)


def tensor_type(tensor, dtype=None, non_blocking=False, **kwargs):
    """``x.type()``: the legacy type name, e.g. 'torch.FloatTensor' ('torch.cuda.FloatTensor' on a GPU);
    ``x.type(dtype)``: ``x`` converted to ``dtype`` (a dtype, or such a name)."""
    if dtype is None:
        where = "cuda." if tensor.device.type == "cuda" else ""
        return f"torch.{where}{tensor.dtype.scalar_type}Tensor"
    if isinstance(dtype, str):
        names = {d.scalar_type: d for d in _dtype.ALL}
        parts = dtype.split(".")
        if len(parts) not in (2, 3) or parts[0] != "torch" or not parts[-1].endswith("Tensor") or \
                parts[-1][:-len("Tensor")] not in names or (len(parts) == 3 and parts[1] != "cuda"):
            raise ValueError(f"invalid type: {dtype!r} (expected a name such as 'torch.FloatTensor' or "
                             "'torch.cuda.LongTensor')")
        device = "cuda" if len(parts) == 3 else "cpu"
        return to(tensor, device, names[parts[-1][:-len("Tensor")]])
    return to(tensor, dtype)

