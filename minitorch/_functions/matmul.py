"""Matrix products: matmul (``@``) and the strict forms mm, bmm, mv, dot, outer; einsum.

For C = A B, with L a loss:  dL/dA = dL/dC B^T  and  dL/dB = A^T dL/dC.
Batched products apply this per batch; an operand that was broadcast over batch dims gets
its gradient summed back over them. 1-D operands are treated, as in torch, as a row (on the
left) or a column (on the right) whose extra dim is removed from the result.
"""
from .. import _dtype
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from ._operands import broadcast_shapes
from .inplace import write_out


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
        return (a * b).sum()
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


vdot = inner = dot


def outer(input, vec2):
    """outer(u, v)[i, j] = u[i] * v[j]."""
    if input.ndim != 1 or vec2.ndim != 1:
        raise RuntimeError(f"outer: expected 1D tensors, got {input.ndim}D and {vec2.ndim}D")
    return input.unsqueeze(1) * vec2.unsqueeze(0)


ger = outer


class Einsum(Function):
    """y = einsum(equation, *operands).  The gradient for operand k is itself an einsum: contract
    dL/dy with every other operand, writing the result with operand k's subscripts. Repeated
    subscripts within one operand (a diagonal, 'ii->i') are handled by writing into a zero
    tensor's diagonal."""

    @staticmethod
    def forward(ctx, inputs_subs, output_subs, *operands):
        ctx.inputs_subs, ctx.output_subs = inputs_subs, output_subs
        ctx.save_for_backward(*operands)
        equation = ",".join(inputs_subs) + "->" + output_subs
        return array_module(operands[0].array).einsum(equation, *(o.array for o in operands), optimize=True)

    @staticmethod
    def backward(ctx, grad):
        operands = ctx.saved_tensors
        grads = [None, None]
        for k, subs in enumerate(ctx.inputs_subs):
            if not ctx.needs_input_grad[k + 2]:
                grads.append(None)
                continue
            others = [s for j, s in enumerate(ctx.inputs_subs) if j != k]
            other_ops = [o for j, o in enumerate(operands) if j != k]
            unique = "".join(dict.fromkeys(subs))
            # Subscripts of operand k that appear nowhere else were summed out: broadcast them back.
            present = set(ctx.output_subs).union(*others) if others else set(ctx.output_subs)
            missing = [c for c in unique if c not in present]
            g = einsum(",".join([ctx.output_subs] + others) + "->" + "".join(c for c in unique if c not in missing),
                       grad, *other_ops)
            if missing:
                sizes = {c: operands[k].shape[subs.index(c)] for c in unique}
                g = _insert_dims(g, unique, missing, sizes)
            grads.append(_undiagonal(g, unique, subs, operands[k].shape))
        return tuple(grads)


def _insert_dims(g, unique, missing, sizes):
    """Put back, by broadcasting, the dims that were summed out (their gradient is the same everywhere)."""
    g = g.reshape([1 if c in missing else sizes[c] for c in unique])
    return g.expand([sizes[c] for c in unique])


def _undiagonal(g, unique, subs, shape):
    """Map a gradient indexed by unique subscripts back to the operand's subscripts.

    For 'ii' (a diagonal) the gradient is g[i] on the diagonal and 0 elsewhere: g is laid out
    along the first occurrence of each subscript (``unique`` keeps that order), broadcast over the
    repeats, and masked to where the repeated subscripts are equal."""
    if len(unique) == len(subs):
        return g
    first = [subs.index(c) == p for p, c in enumerate(subs)]
    g = g.reshape([n if is_first else 1 for n, is_first in zip(shape, first)]).expand(shape)
    return g * einsum_eye(subs, unique, shape, g)


def einsum_eye(subs, unique, shape, like):
    """A 0/1 tensor with ones where repeated subscripts are equal (the diagonal mask)."""
    xp = array_module(like.array)
    mask = xp.ones(shape, dtype=like.array.dtype)
    for c in unique:
        positions = [i for i, s in enumerate(subs) if s == c]
        for p in positions[1:]:
            index_a = xp.arange(shape[positions[0]]).reshape([-1 if i == positions[0] else 1 for i in range(len(shape))])
            index_b = xp.arange(shape[p]).reshape([-1 if i == p else 1 for i in range(len(shape))])
            mask = mask * (index_a == index_b)
    return Tensor._make(mask)


def einsum(equation, *operands):
    """Einstein summation, e.g. einsum('ij,jk->ik', a, b) is a @ b. ``...`` is supported."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    inputs_subs, output_subs = _parse_equation(equation.replace(" ", ""), operands)
    for k, (subs, op) in enumerate(zip(inputs_subs, operands)):
        if len(subs) != op.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(subs)}) does not match "
                               f"the number of dimensions ({op.ndim}) for operand {k}")
    sizes = {}
    for subs, op in zip(inputs_subs, operands):
        for c, n in zip(subs, op.shape):
            if sizes.setdefault(c, n) != n and n != 1 and sizes[c] != 1:
                raise RuntimeError(f"einsum(): operands do not broadcast with remapped shapes (subscript {c!r} has "
                                   f"sizes {sizes[c]} and {n})")
    common = _dtype.result_type(*operands)
    operands = [o if o.dtype is common else o.to(common) for o in operands]
    return Einsum.apply(tuple(inputs_subs), output_subs, *operands)


def _parse_equation(equation, operands):
    """Split 'ij,jk->ik' into (['ij', 'jk'], 'ik'), expanding '...' into spare letters."""
    lhs, arrow, rhs = equation.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != len(operands):
        raise ValueError("einsum(): more operands were provided than specified in the equation"
                         if len(operands) > len(inputs) else "einsum(): fewer operands were provided than specified "
                         "in the equation")
    spare = iter(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in equation)
    ellipsis_letters = ""
    if "..." in equation:
        n = max(op.ndim - (len(s) - 3) for s, op in zip(inputs, operands) if "..." in s)
        ellipsis_letters = "".join(next(spare) for _ in range(n))
        inputs = [s.replace("...", ellipsis_letters[n - (op.ndim - (len(s) - 3)):]) if "..." in s else s
                  for s, op in zip(inputs, operands)]
    if not arrow:
        counts = {}
        for c in "".join(inputs):
            counts[c] = counts.get(c, 0) + 1
        rhs = ellipsis_letters + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ellipsis_letters))
    else:
        rhs = rhs.replace("...", ellipsis_letters)
    return inputs, rhs


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
