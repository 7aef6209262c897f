"""einsum: Einstein summation, e.g. einsum('ij,jk->ik', a, b) is a @ b.

The equation is checked as torch checks it (letters only, one subscript per dim, output letters
taken from the inputs, sizes that agree or broadcast), so a mistake is reported with the
equation and the operand shapes rather than as numpy's error. ``...`` stands for the dims not
named, aligned from the right across operands as in broadcasting; it is written out here as
spare letters, so the Function below only ever sees plain subscripts.

A subscript of size 1 in one operand broadcasts against a larger size in another. Such an
operand is expanded before the Function, so expand's backward sums its gradient back over
the broadcast dims, and the Function's backward only meets operands of matching sizes.
"""
import string

from .. import _dtype
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function


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


# ----------------------------------------------------------------------------- public function
def einsum(equation, *operands):
    """Einstein summation, e.g. einsum('ij,jk->ik', a, b) is a @ b. ``...`` is supported."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise ValueError("einsum(): must specify the equation string and at least one operand, or at least one "
                         "operand and its subscripts list")
    inputs_subs, output_subs, ellipsis = _parse_equation(equation, operands)
    sizes = _subscript_sizes(inputs_subs, operands, ellipsis, equation)
    common = _dtype.result_type(*operands)
    operands = [o if o.dtype is common else o.to(common) for o in operands]
    operands = [_broadcast(o, [sizes[c] for c in subs]) for o, subs in zip(operands, inputs_subs)]
    return Einsum.apply(tuple(inputs_subs), output_subs, *operands)


def _broadcast(operand, shape):
    return operand if tuple(operand.shape) == tuple(shape) else operand.expand(shape)


def _error(message, equation, operands):
    shapes = ", ".join(str(list(o.shape)) for o in operands)
    return RuntimeError(f"einsum(): {message} (equation {equation!r}, operand shapes {shapes})")


def _parse_equation(equation, operands):
    """Split 'ij,jk->ik' into (['ij', 'jk'], 'ik'), checked; '...' becomes spare letters (also returned)."""
    lhs, arrow, rhs = equation.partition("->")
    for i, c in enumerate(equation):
        if arrow and i in (len(lhs), len(lhs) + 1):
            continue  # the one '->'
        if not (c in string.ascii_letters or c in ". " or (c == "," and i < len(lhs))):
            raise _error(f"invalid subscript given at index {i} in the equation string, subscripts must be in "
                         "[a-zA-Z]", equation, operands)
    inputs, rhs = lhs.replace(" ", "").split(","), rhs.replace(" ", "")
    if len(inputs) != len(operands):
        raise _error(f"{'more' if len(operands) > len(inputs) else 'fewer'} operands were provided than specified "
                     "in the equation", equation, operands)
    for k, (subs, op) in enumerate(zip(inputs, operands)):
        _check_subscripts(subs, op, f"operand {k}", equation, operands)
    spare = iter(c for c in string.ascii_uppercase + string.ascii_lowercase if c not in equation)
    n = max((op.ndim - (len(s) - 3) for s, op in zip(inputs, operands) if "..." in s), default=0)
    ellipsis = "".join(next(spare) for _ in range(n))
    inputs = [s.replace("...", ellipsis[n - (op.ndim - (len(s) - 3)):]) for s, op in zip(inputs, operands)]
    if not arrow:
        counts = "".join(inputs)
        return inputs, ellipsis + "".join(sorted(c for c in set(counts) if counts.count(c) == 1
                                                 and c not in ellipsis)), ellipsis
    _check_subscripts(rhs, None, "the output", equation, operands)
    for c in rhs.replace("...", ""):
        if c not in lhs:
            raise _error(f"output subscript {c} does not appear in the equation for any input operand", equation,
                         operands)
        if rhs.count(c) > 1:
            raise _error(f"output subscript {c} appears more than once in the output", equation, operands)
    return inputs, rhs.replace("...", ellipsis), ellipsis


def _check_subscripts(subs, operand, what, equation, operands):
    """At most one '...' and, for an operand, one letter per dim (at most one per dim with '...')."""
    if subs.count(".") not in (0, 3) or (subs.count(".") == 3 and "..." not in subs):
        raise _error(f"found '.' for {what} that is not part of a single ellipsis '...' (subscripts {subs!r})",
                     equation, operands)
    if operand is None:
        return
    letters = len(subs.replace("...", ""))
    if "..." not in subs and letters != operand.ndim:
        raise _error(f"the number of subscripts in the equation ({letters}) does not match the number of "
                     f"dimensions ({operand.ndim}) for {what} and no ellipsis was given", equation, operands)
    if letters > operand.ndim:
        raise _error(f"the number of subscripts in the equation ({letters}) is more than the number of "
                     f"dimensions ({operand.ndim}) for {what}", equation, operands)


def _subscript_sizes(inputs_subs, operands, ellipsis, equation):
    """The size of each subscript: equal within an operand, equal or 1 (broadcast) across operands."""
    sizes = {}
    for k, (subs, op) in enumerate(zip(inputs_subs, operands)):
        own = {}
        for c, n in zip(subs, op.shape):
            if own.setdefault(c, n) != n:
                raise _error(f"subscript {c} is repeated for operand {k} but the sizes don't match, {n} != {own[c]}",
                             equation, operands)
        for c, n in own.items():
            seen = sizes.setdefault(c, n)
            if seen != n and 1 not in (seen, n):
                what = (f"dimension {ellipsis.index(c)} covered by the ellipsis" if c in ellipsis
                        else f"subscript {c}")
                raise _error(f"{what} has size {n} for operand {k} which does not broadcast with previously seen "
                             f"size {seen}", equation, operands)
            sizes[c] = n if seen == 1 else seen
    return sizes
