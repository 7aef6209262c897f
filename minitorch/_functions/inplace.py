"""In-place ops (``add_``, ``mul_``, ``x[i] = v``, ...): compute out of place, then write the result
into the tensor's own memory, so that every view of it sees the change.

When the op is recorded, three things keep autograd right, as in torch:
- the op computes on a *snapshot* of the old values, so a node that saved the input (``mul_``
  saves it) still sees the values it was given;
- the tensor's version counter is bumped, so a node that saved the tensor *earlier* raises at
  backward instead of silently using the new values;
- the tensor is moved onto the new node (its ``grad_fn`` changes). When it is a view, its base
  is moved too, onto a ``WriteThroughView`` node (torch calls it CopySlices): the base's
  gradient then flows through the write into the view's region and around it elsewhere.
"""
from .. import _dtype
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from ..autograd.grad_mode import is_grad_enabled, no_grad


# A view that does not require grad of a base that does was made under no_grad (else the view op was recorded)
NO_GRAD_VIEW_MESSAGE = ("A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
                        "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
                        "code by moving both the view and the inplace either both inside the no_grad block (if you "
                        "don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).")


def inplace(tensor, compute, *others, check_cast=True):
    """Replace ``tensor``'s values by ``compute(tensor)``; ``others`` are the op's other operands."""
    grad_enabled = is_grad_enabled()
    if grad_enabled and not tensor.requires_grad and tensor._base is not None and tensor._base.requires_grad:
        raise RuntimeError(NO_GRAD_VIEW_MESSAGE)
    recording = grad_enabled and (tensor.requires_grad or any(
        isinstance(o, Tensor) and o.requires_grad for o in others))
    if recording:
        _check_recordable(tensor)
    if not tensor.array.flags.writeable:
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a "
                           "single memory location (it was made by expand()). Please clone() the tensor before "
                           "performing the operation.")
    _check_no_partial_overlap(tensor, others)
    source = _snapshot(tensor) if recording else tensor
    result = compute(source)
    if check_cast and not _dtype.can_cast(result.dtype, tensor.dtype):
        raise RuntimeError(f"result type {result.dtype.scalar_type} can't be cast to the desired output "
                           f"type {tensor.dtype.scalar_type} (in-place ops keep the tensor's dtype "
                           f"{tensor.dtype}; use the out-of-place form to get a new dtype)")
    if tuple(result.shape) != tuple(tensor.shape):
        raise RuntimeError(f"output with shape {list(tensor.shape)} doesn't match the broadcast shape "
                           f"{list(result.shape)}")
    tensor.array[...] = result.array
    tensor._bump_version()
    if recording and result.requires_grad:
        _rebase(tensor, result)
    return tensor


def _check_no_partial_overlap(tensor, others):
    """An operand may be the written-to tensor itself (x += x), but not another view of some of its
    memory (x[1:] += x[:-1]): the answer would depend on the order the elements are written in."""
    for other in others:
        if not isinstance(other, Tensor) or other.array is tensor.array:
            continue
        a, b = tensor.array, other.array
        if array_module(a).may_share_memory(a, b) and not _same_elements(a, b):
            raise RuntimeError("unsupported operation: some elements of the input tensor and the written-to tensor "
                               "refer to a single memory location. Please clone() the tensor before performing the "
                               "operation.")


def _same_elements(a, b):
    """Whether two arrays view exactly the same elements in the same order."""
    return a.shape == b.shape and a.strides == b.strides and \
        a.__array_interface__["data"][0] == b.__array_interface__["data"][0]


def write_out(result, out, name):
    """``torch.mul(a, b, out=c)``: the result's values written into ``out``, which is returned.

    As torch: ``out`` keeps its dtype (a lower category raises), is resized when its shape differs,
    and out= is refused when autograd would have to record it."""
    if out is None:
        return result
    if is_grad_enabled() and (result.requires_grad or out.requires_grad):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic differentiation, "
                           "but one of the arguments requires grad.")
    if not _dtype.can_cast(result.dtype, out.dtype):
        raise RuntimeError(f"result type {result.dtype.scalar_type} can't be cast to the desired output type "
                           f"{out.dtype.scalar_type}")
    if tuple(out.shape) != tuple(result.shape):
        out.array = result.array.astype(out.array.dtype)
    else:
        out.array[...] = result.array
    out._bump_version()
    return out


def _check_recordable(tensor):
    if tensor.requires_grad and tensor.grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation. Wrap the "
                           "update in `with torch.no_grad():` (as optimizers do), or work on a clone().")
    base = tensor._base
    if base is not None and base.requires_grad and base.grad_fn is None:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")


def _snapshot(tensor):
    """Same place in the graph, own copy of the values."""
    return Tensor._make(tensor.array.copy(), tensor.requires_grad, tensor.grad_fn, tensor._output_nr)


def _rebase(tensor, result):
    if tensor._base is None:
        tensor._requires_grad, tensor.grad_fn, tensor._output_nr = True, result.grad_fn, result._output_nr
        return
    base = tensor._base
    new_base = WriteThroughView.apply(base, result, tensor._view_fn)
    base._requires_grad, base.grad_fn, base._output_nr = True, new_base.grad_fn, 0
    regenerated = tensor._view_fn(base)
    tensor._requires_grad, tensor.grad_fn, tensor._output_nr = True, regenerated.grad_fn, regenerated._output_nr


class WriteThroughView(Function):
    """base' = base with the region ``view_fn(base)`` replaced by ``values`` (already written in memory).

    dL/dbase = dL/dbase' with zeros in the region (those old values were overwritten);
    dL/dvalues = view_fn(dL/dbase'), the gradient of the region."""

    @staticmethod
    def forward(ctx, base, values, view_fn):
        ctx.view_fn = view_fn
        return base.array

    @staticmethod
    def backward(ctx, grad):
        with no_grad():
            outside = Tensor._make(grad.array * 0 + 1)
            ctx.view_fn(outside).array[...] = 0
        return grad * outside, ctx.view_fn(grad), None
