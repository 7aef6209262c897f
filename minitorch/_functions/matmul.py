"""Matrix products: matmul (``@``) and the strict forms mm, bmm, mv, dot, vdot, inner, outer, tensordot.

For C = A B, with L a loss:  dL/dA = dL/dC B^T  and  dL/dB = A^T dL/dC.
Batched products apply this per batch; an operand that was broadcast over batch dims gets
its gradient summed back over them. 1-D operands are treated, as in torch, as a row (on the
left) or a column (on the right) whose extra dim is removed from the result.
``inner`` and ``tensordot`` are einsums (einsum.py); ``vdot`` conjugates its first operand.
"""
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from ._operands import broadcast_shapes
from .einsum import einsum
from .inplace import write_out
from .linalg_structure import conj


def _dims(shape):
    return "x".join(str(s) for s in shape)


class MatMul(Function):
    """C = A @ B for A: (..., n, k) and B: (..., k, m).   dL/dA = dL/dC @ B^T,  dL/dB = A^T @ dL/dC."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(b if ctx.needs_input_grad and ctx.needs_input_grad[0] else None,
                              a if ctx.needs_input_grad and ctx.needs_input_grad[1] else None)
        ctx.shapes = a.array.shape, b.array.shape
        return array_module(a.array).matmul(a.array, b.array)

    @staticmethod
    def backward(ctx, grad):
        b, a = ctx.saved_tensors
        shape_a, shape_b = ctx.shapes
        ga = gb = None
        if ctx.needs_input_grad[0]:
            ga = grad @ b.mT
            ga = ga.sum_to_size(shape_a) if ga.shape != shape_a else ga
        if ctx.needs_input_grad[1]:
            gb = a.mT @ grad
            gb = gb.sum_to_size(shape_b) if gb.shape != shape_b else gb
        return ga, gb


class Mm(MatMul):
    """2-D @ 2-D (mm): a MatMul; torch names its node MmBackward0."""


class Bmm(MatMul):
    """bmm: a MatMul of (b, n, k) and (b, k, m); torch names its node BmmBackward0."""


def _check_same_dtype(a, b, name):
    if a.dtype is not b.dtype:
        raise RuntimeError(f"{name}: expected both operands to have the same dtype, but got {a.dtype} and "
                           f"{b.dtype} (convert one, e.g. b.to(a.dtype))")


def matmul(input, other, *, out=None):
    """torch.matmul: 1-D x 1-D dot, 2-D x 2-D matrix product, 1-D operands as row/column, batched (...) dims
    broadcast."""
    return write_out(_matmul(input, other), out, "matmul")


def _matmul(input, other):
    a, b = input, other
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        raise TypeError(f"matmul expects two Tensors, got {type(a).__name__} and {type(b).__name__}")
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D")
    _check_same_dtype(a, b, "matmul")
    k_a = a.shape[-1]
    k_b = b.shape[-2] if b.ndim > 1 else b.shape[0]
    if k_a != k_b:
        if a.ndim == 1 and b.ndim == 1:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] to "
                               "have the same number of elements, but got {} and {} elements respectively"
                               .format(a.shape[0], b.shape[0]))
        left = _dims(a.shape if a.ndim > 1 else (1,) + tuple(a.shape))
        right = _dims(b.shape if b.ndim > 1 else tuple(b.shape) + (1,))
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({left} and {right}): the last dim of the "
                           f"first ({k_a}) must equal the {'first' if b.ndim == 1 else 'second-to-last'} dim of the "
                           f"second ({k_b})")
    if a.ndim > 2 or b.ndim > 2:
        broadcast_shapes(a.shape[:-2] if a.ndim > 1 else (), b.shape[:-2] if b.ndim > 1 else ())
    if a.ndim == 1 and b.ndim == 1:
        return (a * b).sum(dtype=a.dtype)  # in the operands' dtype (sum alone widens integers to int64)
    if a.ndim == 1:
        return MatMul.apply(a.unsqueeze(0), b).squeeze(-2)
    if b.ndim == 1:
        return MatMul.apply(a, b.unsqueeze(-1)).squeeze(-1)
    return (Mm if a.ndim == 2 and b.ndim == 2 else MatMul).apply(a, b)


def mm(input, mat2):
    """Matrix product of two 2-D tensors (no broadcasting)."""
    if input.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(f"mm: expected 2D tensors, got {input.ndim}D and {mat2.ndim}D (shapes {list(input.shape)} "
                           f"and {list(mat2.shape)}); use matmul or @ for other cases")
    return matmul(input, mat2)


def bmm(input, mat2):
    """Batched matrix product of (b, n, k) and (b, k, m) tensors."""
    if input.ndim != 3 or mat2.ndim != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor and batch2 must be a 3D tensor (got shapes "
                           f"{list(input.shape)} and {list(mat2.shape)})")
    if input.shape[0] != mat2.shape[0]:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got {input.shape[0]} and "
                           f"{mat2.shape[0]}")
    _check_same_dtype(input, mat2, "bmm")
    if mat2.shape[1] != input.shape[2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{input.shape[0]}, {input.shape[2]}] but got: [{mat2.shape[0]}, {mat2.shape[1]}].")
    return Bmm.apply(input, mat2)


def mv(input, vec):
    """Matrix (n, m) times vector (m,)."""
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.ndim}D matrix and {vec.ndim}D vector")
    return matmul(input, vec)


def dot(input, other):
    """Inner product of two 1-D tensors of the same length."""
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors")
    return matmul(input, other)


def vdot(input, other):
    """sum_i conj(a_i) b_i for two 1-D tensors: dot with the first conjugated (dot itself for real tensors)."""
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors")
    return dot(conj(input), other)


def inner(input, other):
    """out[i.., j..] = sum_k a[i.., k] b[j.., k]: the product summed over the last dim of both, of shape
    a.shape[:-1] + b.shape[:-1] (a tensordot, so an einsum). A 0-d operand just multiplies the other."""
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                           f"{list(input.shape)} and {list(other.shape)}")
    if input.ndim == 1 and other.ndim == 1:
        return dot(input, other)
    _check_same_dtype(input, other, "inner")
    return tensordot(input, other, dims=([-1], [-1]))


def outer(input, vec2):
    """outer(u, v)[i, j] = u[i] * v[j]."""
    if input.ndim != 1 or vec2.ndim != 1:
        raise RuntimeError(f"outer: expected 1D tensors, got {input.ndim}D and {vec2.ndim}D")
    return input.unsqueeze(1) * vec2.unsqueeze(0)


ger = outer


def tensordot(a, b, dims=2):
    """Sum the products over the paired dims (``dims`` = n: a's last n with b's first n)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.ndim, b.ndim):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims_a, dims_b = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        dims_a, dims_b = [[d] if isinstance(d, int) else list(d) for d in dims]
        if len(dims_a) != len(dims_b):
            raise RuntimeError(f"both dimension lists should have same length (got {dims_a} and {dims_b})")
        dims_a, dims_b = [a._wrap_dim(d) for d in dims_a], [b._wrap_dim(d) for d in dims_b]
    sub_a = list(letters[:a.ndim])
    sub_b = list(letters[a.ndim:a.ndim + b.ndim])
    for da, db in zip(dims_a, dims_b):
        sub_b[db] = sub_a[da]
    out = [c for i, c in enumerate(sub_a) if i not in dims_a] + [c for i, c in enumerate(sub_b) if i not in dims_b]
    return einsum("".join(sub_a) + "," + "".join(sub_b) + "->" + "".join(out), a, b)
