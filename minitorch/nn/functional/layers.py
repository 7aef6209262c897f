"""The functional forms of the basic layers: linear, bilinear, dropout (of elements or of whole
channels), one_hot. (embedding and embedding_bag are in sparse.py.)"""
import warnings

import numpy as np

from ... import _dtype, _random
from ..._functions._operands import check_tensors
from ..._functions.linear import linear_node
from ..._tensor import Tensor

__all__ = ["linear", "bilinear", "dropout", "dropout1d", "dropout2d", "dropout3d", "one_hot"]


def linear(input, weight, bias=None):
    """y = x W^T + b for x of shape (*, in_features), W (out_features, in_features), b (out_features,)."""
    try:
        x, w = input.array, weight.array  # (checked on the arrays: this runs for every layer of every step)
    except AttributeError:
        check_tensors("linear", input=input, weight=weight)  # a numpy array or a list instead of a Tensor
        raise
    if x.ndim == 0 or w.ndim == 0 or x.shape[-1] != w.shape[-1] or w.dtype != x.dtype or \
            (bias is not None and (bias.array.dtype != x.dtype or bias.array.shape != w.shape[:1])):
        _explain_linear_mismatch(input, weight, bias)
    return linear_node(x, bias).apply(input, weight, bias)


def _explain_linear_mismatch(input, weight, bias):
    """The error for inputs that ``linear`` cannot combine: shapes that do not multiply, or dtypes or
    a bias shape that differ from the weight's."""
    x, w = input.array, weight.array
    if x.ndim == 0 or w.ndim == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are {x.ndim}D and {w.ndim}D")
    if x.shape[-1] != w.shape[-1]:
        rows = x.size // x.shape[-1] if x.shape[-1] else 1
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{x.shape[-1]} "
                           f"and {w.shape[-1]}x{w.shape[0]})")
    for other in (weight, bias):
        if other is not None and other.array.dtype != x.dtype:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                               f"{input.dtype.scalar_type.lower()} != {other.dtype.scalar_type.lower()}")
    raise RuntimeError(f"linear: bias of shape {list(bias.shape)} does not match out_features "
                       f"{w.shape[0]} (expected shape [{w.shape[0]}])")


def bilinear(input1, input2, weight, bias=None):
    """y_k = x1^T A_k x2 + b_k, for A of shape (out, in1, in2): a weighted product of every pair."""
    for i, x in enumerate((input1, input2), start=1):
        if x.shape[-1] != weight.shape[i]:
            raise RuntimeError(f"bilinear(): input{i} size does not match weight size: got {x.shape[-1]} but "
                               f"expected {weight.shape[i]}")
    if input1.shape[:-1] != input2.shape[:-1]:
        raise RuntimeError(f"bilinear(): input batch dimensions do not match: got {list(input1.shape[:-1])} and "
                           f"{list(input2.shape[:-1])}")
    y = (input1.unsqueeze(-2).unsqueeze(-2) @ weight @ input2.unsqueeze(-2).unsqueeze(-1)).squeeze(-1).squeeze(-1)
    return y + bias if bias is not None else y


def check_dropout_probability(p):
    """p must be a probability, in [0, 1] (checked by the dropout functions and the dropout layers)."""
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _drop(input, p, noise_shape, inplace):
    """``input`` times a random mask of ``noise_shape`` (broadcast over the other dims): each entry is 0
    with probability p, else 1 / (1 - p). The mask is a constant, so the gradient is the mask too."""
    if p == 1:
        result = input * 0
    elif not input.dtype.is_floating_point:
        raise RuntimeError(f"result type Float can't be cast to the desired output type {input.dtype.scalar_type}: "
                           "dropout scales the kept values by 1 / (1 - p), so it needs a floating-point input")
    else:
        keep = _random.generator().random(noise_shape) >= p
        mask = Tensor._make((keep / (1 - p)).astype(input.dtype.numpy)).to(input.device)
        result = input * mask
    return input.copy_(result) if inplace else result


def dropout(input, p=0.5, training=True, inplace=False):
    """In training: zero each element with probability p and scale the rest by 1 / (1 - p), so the
    expected value is unchanged; in evaluation: the identity."""
    check_dropout_probability(p)
    if not training or p == 0:
        return input
    return _drop(input, p, tuple(input.shape), inplace)


def _feature_dropout(input, p, training, inplace, batched=True):
    """Dropout of whole channels: one draw per channel, shared by all of its positions. The channels
    are dims (N, C) of a batched input and dim C of an unbatched one, so the mask has shape
    (N, C, 1, 1, ...) or (C, 1, 1, ...)."""
    if not training or p == 0 or input.numel() == 0:
        return input
    channel_dims = 2 if batched else 1
    if p != 1 and input.ndim < channel_dims:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    noise_shape = tuple(input.shape[:channel_dims]) + (1,) * (input.ndim - channel_dims)
    return _drop(input, p, noise_shape, inplace)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) or (C, L) inputs with probability p, scaling the rest by
    1 / (1 - p): neighbouring positions are correlated, so dropping single elements barely regularises."""
    check_dropout_probability(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note that "
                           "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a "
                           "channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    return _feature_dropout(input, p, training, inplace, batched=input.ndim == 3)


def _warn_unusual_dims(name, ndim, expected):
    if ndim not in expected:
        spatial = {"dropout2d": 2, "dropout3d": 3}[name]
        warnings.warn(f"{name}: Received a {ndim}-D input to {name}, which is deprecated and will result in an "
                      "error in a future release. To retain the behavior and silence this warning, please use "
                      f"dropout instead. Note that {name} exists to provide channel-wise dropout on inputs with "
                      f"{spatial} spatial dimensions, a channel dimension, and an optional batch dimension (i.e. "
                      f"{expected[0]}D or {expected[1]}D inputs).", stacklevel=3)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, H, W) inputs with probability p, scaling the rest by 1 / (1 - p).
    As torch, a 3-D input is read as (N, C, L) (channel-wise 1-D dropout) with a warning, and other
    dims warn and still treat dims 0 and 1 as (N, C)."""
    check_dropout_probability(p)
    _warn_unusual_dims("dropout2d", input.ndim, (3, 4))
    if input.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
                      "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. "
                      "This behavior will change in a future release to interpret the input as one without a "
                      "batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, "
                      "please switch to using dropout1d instead.", stacklevel=2)
    return _feature_dropout(input, p, training, inplace)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) inputs with probability p, scaling the
    rest by 1 / (1 - p). Any other number of dims warns and is read as unbatched, channels first."""
    check_dropout_probability(p)
    _warn_unusual_dims("dropout3d", input.ndim, (4, 5))
    return _feature_dropout(input, p, training, inplace, batched=input.ndim == 5)


def one_hot(tensor, num_classes=-1):
    """(*) int64 class indices -> (*, num_classes) int64 with a 1 at each index."""
    if not isinstance(tensor, Tensor) or tensor.dtype is not _dtype.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if tensor.numel() and int(tensor.min()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        num_classes = int(tensor.max()) + 1 if tensor.numel() else 0
    elif tensor.numel() and int(tensor.max()) >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    classes = Tensor._make(np.arange(num_classes)).to(tensor.device)
    return (tensor.unsqueeze(-1) == classes).long()
