"""The functional forms of the basic layers: linear, bilinear, dropout, embedding, one_hot."""
import numpy as np

from ... import _dtype, _random
from ..._functions._operands import check_tensors
from ..._functions.elementwise import where
from ..._functions.indexing import embedding_rows
from ..._functions.linear import Linear
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad

__all__ = ["linear", "bilinear", "dropout", "embedding", "one_hot"]


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
    return Linear.apply(input, weight, bias)


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


def dropout(input, p=0.5, training=True, inplace=False):
    """In training: zero each element with probability p and scale the rest by 1 / (1 - p), so the
    expected value is unchanged; in evaluation: the identity."""
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    if p == 1:
        result = input * 0
    else:
        keep = _random.generator().random(tuple(input.shape)) >= p
        mask = Tensor._make((keep / (1 - p)).astype(input.dtype.numpy)).to(input.device)
        result = input * mask
    return input.copy_(result) if inplace else result


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Row ``i`` of ``weight`` for every index ``i`` in ``input``: output shape input.shape + (dim,).
    The row at ``padding_idx`` gets no gradient; ``max_norm`` renormalises the looked-up rows in place."""
    if not isinstance(input, Tensor) or input.dtype not in (_dtype.int64, _dtype.int32):
        got = f"torch.{type(input).__name__}" if not isinstance(input, Tensor) else f"torch.{input.dtype.scalar_type}Tensor"
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {got} instead (while checking arguments for embedding)")
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding: scale_grad_by_freq and sparse gradients are not implemented in "
                                  "minitorch (gradients are dense and unscaled)")
    if input.numel() and (int(input.max()) >= weight.shape[0] or int(input.min()) < 0):
        raise IndexError(f"index out of range in self (embedding has {weight.shape[0]} rows, indices must be in "
                         f"[0, {weight.shape[0] - 1}], got values from {int(input.min())} to {int(input.max())})")
    if max_norm is not None:
        _renorm_rows(weight, input, max_norm, norm_type)
    rows = embedding_rows(weight, input)
    if padding_idx is None:
        return rows
    padding_idx = padding_idx % weight.shape[0]
    return where((input != padding_idx).unsqueeze(-1), rows, weight.detach()[input])


def _renorm_rows(weight, input, max_norm, norm_type):
    with no_grad():
        used = np.unique(input.cpu().numpy())
        rows = weight[Tensor._make(used).to(weight.device)]
        norms = rows.norm(p=norm_type, dim=-1, keepdim=True)
        scale = where(norms > max_norm, max_norm / (norms + 1e-7), norms * 0 + 1)
        weight[Tensor._make(used).to(weight.device)] = rows * scale


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

