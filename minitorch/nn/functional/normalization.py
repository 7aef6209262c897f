"""Normalisation layers in functional form, composed from mean, var and elementwise ops.

    x_hat = (x - mean) / sqrt(var + eps),      y = weight * x_hat + bias

- batch_norm: mean and (biased) var per channel, over the batch and spatial dims; in training
  it also updates the running estimates (with the *unbiased* var, as torch); in evaluation it
  uses them instead of the batch's statistics.
- layer_norm: mean and var over the last dims (``normalized_shape``) of each sample.
"""
from ..._functions._operands import check_tensors
from ...autograd.grad_mode import no_grad

__all__ = ["batch_norm", "layer_norm", "group_norm", "normalize"]


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


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the last ``len(normalized_shape)`` dims of each sample."""
    check_tensors("layer_norm", input=input)
    normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    count = len(normalized_shape)
    if tuple(input.shape[input.ndim - count:]) != normalized_shape or input.ndim < count:
        raise RuntimeError(f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in normalized_shape)}], but got input of size"
                           f"{list(input.shape)}")
    _check_parameter_dtypes(input, weight=weight, bias=bias)
    dims = tuple(range(input.ndim - count, input.ndim))
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


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """x / max(||x||_p, eps) along ``dim``: unit vectors."""
    return input / input.norm(p=p, dim=dim, keepdim=True).clamp(min=eps)
