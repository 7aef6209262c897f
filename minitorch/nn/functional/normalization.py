"""Normalisation layers in functional form, composed from mean, var and elementwise ops.

    x_hat = (x - mean) / sqrt(var + eps),      y = weight * x_hat + bias

- batch_norm: mean and (biased) var per channel, over the batch and spatial dims; in training
  it also updates the running estimates (with the *unbiased* var, as torch); in evaluation it
  uses them instead of the batch's statistics.
- instance_norm: mean and var per sample and channel, over the spatial dims only.
- layer_norm: mean and var over the last dims (``normalized_shape``) of each sample.
- rms_norm: no centring, only the root mean square: y = x / sqrt(mean(x^2) + eps) * weight.
- local_response_norm: each value divided by (k + alpha * mean of x^2 over ``size`` neighbouring
  channels)^beta.
"""
import math

from ..._dtype_info import finfo
from ..._functions._operands import check_tensors
from ...autograd.grad_mode import no_grad
from .padding import pad
from .pooling import avg_pool2d

__all__ = ["batch_norm", "instance_norm", "layer_norm", "group_norm", "rms_norm", "local_response_norm", "normalize"]


def _check_parameter_dtypes(input, **parameters):
    """As torch, normalisation needs its parameters (weight, bias, running statistics) in the
    input's dtype: a model moved with .double() takes double inputs."""
    for name, t in parameters.items():
        if t is not None and t.dtype != input.dtype:
            raise RuntimeError(f"mixed dtype ({input.device.type.upper()}): expect parameter to have scalar type of "
                               f"{input.dtype.scalar_type} (the input is {input.dtype.scalar_type} but {name} is "
                               f"{t.dtype.scalar_type}: convert the input, e.g. input.to({t.dtype}), or the model)")


def _channel_view(t, ndim):
    """A per-channel (C,) tensor shaped (1, C, 1, ..., 1) to broadcast against (N, C, *)."""
    return t.view((1, -1) + (1,) * (ndim - 2))


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Normalise each channel (dim 1) of ``input`` (N, C, *) by batch or running statistics."""
    check_tensors("batch_norm", input=input)
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"batch_norm\" not implemented for '{input.dtype.scalar_type}': it needs a "
                                  "floating-point input (convert with input.float())")
    channels = input.shape[1] if input.ndim > 1 else 0
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        if t is not None and t.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t.numel()}")
    _check_parameter_dtypes(input, running_mean=running_mean, running_var=running_var, weight=weight, bias=bias)
    dims = (0,) + tuple(range(2, input.ndim))
    if training:
        count = input.numel() // max(channels, 1)
        if count <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}")
        mean, var = input.mean(dims), input.var(dims, correction=0)
        if running_mean is not None:
            with no_grad():
                running_mean.mul_(1 - momentum).add_(mean.detach() * momentum)
                running_var.mul_(1 - momentum).add_(var.detach() * (momentum * count / (count - 1)))
    elif running_mean is None or running_var is None:
        raise RuntimeError("batch_norm in evaluation mode (training=False) needs running_mean and running_var")
    else:
        mean, var = running_mean, running_var
    out = (input - _channel_view(mean, input.ndim)) * _channel_view((var + eps).rsqrt(), input.ndim)
    if weight is not None:
        out = out * _channel_view(weight, input.ndim)
    if bias is not None:
        out = out + _channel_view(bias, input.ndim)
    return out


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-5):
    """Normalise each channel of each sample of ``input`` (N, C, *) over its spatial dims.

    With ``use_input_stats`` the statistics are the sample's own, and the running estimates (if given)
    move towards their average over the batch, as torch: running_mean = (1 - momentum) * running_mean
    + momentum * mean_n(mean_nc), running_var likewise with the unbiased var. Otherwise the running
    estimates are used, as batch_norm in evaluation."""
    check_tensors("instance_norm", input=input)
    channels = input.shape[1] if input.ndim > 1 else 0
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        if t is not None and t.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements (one per channel) not {t.numel()}")
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be None or neither be None")
    _check_parameter_dtypes(input, running_mean=running_mean, running_var=running_var, weight=weight, bias=bias)
    dims = tuple(range(2, input.ndim))
    if use_input_stats:
        count = math.prod(input.shape[2:])
        if count == 1:
            raise ValueError(f"Expected more than 1 spatial element when training, got input size {input.shape}")
        mean, var = input.mean(dims, keepdim=True), input.var(dims, correction=0, keepdim=True)
        if running_mean is not None:
            with no_grad():
                running_mean.mul_(1 - momentum).add_(mean.detach().mean(0).reshape(-1) * momentum)
                unbiased = var.detach().mean(0).reshape(-1) * (count / (count - 1))
                running_var.mul_(1 - momentum).add_(unbiased * momentum)
    elif running_mean is None:
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    else:
        mean, var = _channel_view(running_mean, input.ndim), _channel_view(running_var, input.ndim)
    out = (input - mean) * (var + eps).rsqrt()
    if weight is not None:
        out = out * _channel_view(weight, input.ndim)
    if bias is not None:
        out = out + _channel_view(bias, input.ndim)
    return out


def _normalized_dims(input, normalized_shape):
    """The last dims of ``input`` that must equal ``normalized_shape`` (torch's error otherwise)."""
    normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    count = len(normalized_shape)
    if tuple(input.shape[input.ndim - count:]) != normalized_shape or input.ndim < count:
        raise RuntimeError(f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in normalized_shape)}], but got input of size"
                           f"{list(input.shape)}")
    return tuple(range(input.ndim - count, input.ndim))


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the last ``len(normalized_shape)`` dims of each sample."""
    check_tensors("layer_norm", input=input)
    dims = _normalized_dims(input, normalized_shape)
    _check_parameter_dtypes(input, weight=weight, bias=bias)
    mean, var = input.mean(dims, keepdim=True), input.var(dims, correction=0, keepdim=True)
    out = (input - mean) * (var + eps).rsqrt()
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Normalise each group of ``C / num_groups`` channels of each sample."""
    check_tensors("group_norm", input=input)
    n, channels = input.shape[0], input.shape[1]
    if channels % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {list(input.shape)} and num_groups={num_groups}")
    _check_parameter_dtypes(input, weight=weight, bias=bias)
    groups = input.reshape(n, num_groups, -1)
    mean, var = groups.mean(-1, keepdim=True), groups.var(-1, correction=0, keepdim=True)
    out = ((groups - mean) * (var + eps).rsqrt()).reshape(input.shape)
    if weight is not None:
        out = out * _channel_view(weight, input.ndim)
    if bias is not None:
        out = out + _channel_view(bias, input.ndim)
    return out


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """y = x / sqrt(mean(x^2) + eps) * weight, the mean over the last dims ``normalized_shape``
    (Zhang & Sennrich, 2019): layer_norm without the centring and the bias. eps=None means
    finfo(input.dtype).eps."""
    check_tensors("rms_norm", input=input)
    dims = _normalized_dims(input, normalized_shape)
    _check_parameter_dtypes(input, weight=weight)
    eps = finfo(input.dtype).eps if eps is None else eps
    out = input * ((input * input).mean(dims, keepdim=True) + eps).rsqrt()
    return out if weight is None else out * weight


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """y_c = x_c / (k + alpha * mean of x^2 over channels c - size//2 .. c + (size-1)//2)^beta, the
    channels beyond the ends counting as zeros (Krizhevsky et al., 2012). Composed from avg_pool2d over
    the channel dim of (N, 1, C, rest), so gradients come free."""
    check_tensors("local_response_norm", input=input)
    if input.ndim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {input.ndim} dimensions)")
    if input.numel() == 0:
        return input
    squares = (input * input).reshape(input.shape[0], 1, input.shape[1], -1)
    squares = pad(squares, (0, 0, size // 2, (size - 1) // 2))
    mean = avg_pool2d(squares, (size, 1), stride=1).reshape(input.shape)
    return input / (mean * alpha + k).pow(beta)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """x / max(||x||_p, eps) along ``dim``: unit vectors."""
    return input / input.norm(p=p, dim=dim, keepdim=True).clamp(min=eps)
