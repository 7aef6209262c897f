"""Movement ops: reshape, permute, expand, and joining/splitting (cat, stack, split, chunk).

Views (``view``, ``reshape`` when possible, ``transpose``, ``permute``, ``expand``, ``squeeze``,
``unsqueeze``, ``narrow``, slicing) share memory with their base, exactly like torch: writing
through a view changes the base. They also share its version counter, and remember how to
re-create themselves from the base (``_view_fn``), so that an in-place write through a view
can be recorded on the base's graph.

Every movement is a permutation or a copy of elements, so each backward moves the gradient
back the inverse way: reshape back, permute by the inverse permutation, sum over what was
expanded, slice what was concatenated.
"""
from .. import _dtype
from .._backend import array_module
from .._tensor import Tensor, type_name
from ..autograd.function import Function


def make_view(base, array, view_fn):
    """A tensor over ``array`` (a view of ``base``'s memory) that shares base's version counter.

    ``view_fn`` re-creates this view from a tensor shaped like base; views of views compose.
    """
    view = Tensor._make(array)
    view._version_counter = base._version_counter
    if base._base is None:
        view._base, view._view_fn = base, view_fn
    else:
        parent_fn = base._view_fn
        view._base, view._view_fn = base._base, lambda root: view_fn(parent_fn(root))
    return view


def infer_shape(shape, numel):
    """Resolve one -1 in ``shape``; torch's errors for a second -1 or a size mismatch."""
    shape = tuple(int(s) for s in shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            if s < 0:
                raise RuntimeError(f"invalid shape dimension {s}")
            known *= s
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def shape_arg(args):
    """Accept both ``f(2, 3)`` and ``f((2, 3))``, as torch does."""
    if len(args) == 1 and not isinstance(args[0], int):
        return tuple(args[0])
    return tuple(args)


class View(Function):
    """y = x with a new shape (same elements in the same row-major order).  dL/dx = dL/dy reshaped back.
    A view when the memory layout allows (always for ``view``), otherwise (``reshape``) a copy.
    Named View as torch names it (ViewBackward0), for view, reshape, flatten...; squeeze and unsqueeze subclass it."""

    @staticmethod
    def forward(ctx, x, shape, must_view):
        ctx.shape = x.array.shape
        out = x.array.reshape(shape)
        is_copy = x.array.size > 0 and not array_module(out).may_share_memory(out, x.array)
        if is_copy and must_view:
            raise RuntimeError(
                f"view size is not compatible with input tensor's size and stride (at least one dimension spans "
                f"across two contiguous subspaces): viewing a tensor of shape {list(x.shape)} with strides "
                f"{list(x.stride())} as {list(shape)}. Use .reshape(...) instead (it copies when it must).")
        if is_copy:
            return out
        return make_view(x, out, lambda base: base.reshape(shape))

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None, None


class Squeeze(View):
    """squeeze(): a View; torch names its node SqueezeBackward0."""


class SqueezeDim(View):
    """squeeze(dim): a View; torch's overload 1 of squeeze (SqueezeBackward1)."""
    torch_op, overload = "Squeeze", 1


class SqueezeDims(View):
    """squeeze((dims...)): a View; torch's overload 2 of squeeze (SqueezeBackward2)."""
    torch_op, overload = "Squeeze", 2


class Unsqueeze(View):
    """unsqueeze(dim): a View; torch names its node UnsqueezeBackward0."""


class Permute(Function):
    """y = x with its dims reordered (a view).  dL/dx = dL/dy permuted by the inverse order."""

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return make_view(x, x.array.transpose(dims), lambda base: base.permute(dims))

    @staticmethod
    def backward(ctx, grad):
        inverse = [0] * len(ctx.dims)
        for i, d in enumerate(ctx.dims):
            inverse[d] = i
        return grad.permute(inverse), None


class Transpose(Permute):
    """transpose(dim0, dim1) (and swapaxes, mT): a Permute; torch names its node TransposeBackward0."""


class T(Permute):
    """x.t(): a Permute; torch names its node TBackward0."""


class Expand(Function):
    """y = x repeated along size-1 dims without copying (a read-only view with stride 0).
    dL/dx = dL/dy summed over the expanded dims."""

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.array.shape
        xp = array_module(x.array)
        return make_view(x, xp.broadcast_to(x.array, shape), lambda base: base.expand(shape))

    @staticmethod
    def backward(ctx, grad):
        return grad.sum_to_size(ctx.shape), None


class Slice(Function):
    """y = x[key] for basic keys (ints, slices, None, ...): a view.
    dL/dx = zeros shaped like x with dL/dy written at ``key``."""

    @staticmethod
    def forward(ctx, x, key):
        ctx.shape, ctx.key = x.array.shape, key
        # (a trailing ... makes numpy return a 0-d view, not a copied scalar, when the ints pick one element)
        view = x.array[key if Ellipsis in key else key + (Ellipsis,)]
        return make_view(x, view, lambda base: Slice.apply(base, key))

    @staticmethod
    def backward(ctx, grad):
        return SliceBackward.apply(grad, ctx.shape, ctx.key), None


class Select(Slice):
    """x[i] and select(dim, i): a Slice that picks by integers only; torch names its node SelectBackward0."""


class SliceBackward(Function):
    """Scatter a slice's gradient into zeros of the full shape.  Its own backward slices again,
    which makes slicing twice-differentiable."""

    @staticmethod
    def forward(ctx, grad, shape, key):
        ctx.key = key
        out = array_module(grad.array).zeros(shape, dtype=grad.array.dtype)
        out[key] = grad.array
        return out

    @staticmethod
    def backward(ctx, grad):
        return Slice.apply(grad, ctx.key).contiguous(), None, None


class Clone(Function):
    """y = a fresh copy of x (``clone``, ``contiguous``).  dL/dx = dL/dy."""

    @staticmethod
    def forward(ctx, x):
        return array_module(x.array).array(x.array, copy=True, order="C")

    @staticmethod
    def backward(ctx, grad):
        return grad


class Cat(Function):
    """y = the inputs joined along ``dim``.  dL/dx_k = the slice of dL/dy where x_k landed.
    Empty 1-D inputs are skipped, as torch (they get an empty gradient)."""

    @staticmethod
    def forward(ctx, dim, *tensors):
        joined = [t for t in tensors if not _skipped_by_cat(t)] or tensors[:1]
        ctx.dim, ctx.sizes = dim, [None if _skipped_by_cat(t) else t.array.shape[dim] for t in tensors]
        return array_module(joined[0].array).concatenate([t.array for t in joined], axis=dim)

    @staticmethod
    def backward(ctx, grad):
        grads, start = [None], 0
        for size, needed in zip(ctx.sizes, ctx.needs_input_grad[1:]):
            if size is None:
                grads.append(grad.reshape(-1)[:0] if needed else None)
                continue
            grads.append(grad.narrow(ctx.dim, start, size) if needed else None)
            start += size
        return tuple(grads)


def _skipped_by_cat(t):
    """torch.cat ignores 1-D tensors of size 0 (a legacy rule that lets ``cat([torch.tensor([]), x])`` work)."""
    return t.array.shape == (0,)


class Flip(Function):
    """y = x reversed along ``dims`` (a copy, as torch).  dL/dx = dL/dy flipped back."""

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return array_module(x.array).flip(x.array, axis=dims).copy()

    @staticmethod
    def backward(ctx, grad):
        return grad.flip(ctx.dims), None


class Stack(Cat):
    """stack: a Cat of the inputs unsqueezed at ``dim``; torch names its node StackBackward0."""


# ----------------------------------------------------------------------------- public functions
def reshape(input, *shape):
    """The same elements in a new shape; one size may be -1 (inferred). A view when possible."""
    return View.apply(input, infer_shape(shape_arg(shape), input.array.size), False)


def view(input, *shape):
    """Like reshape, but always a view; raises when the memory layout does not allow one."""
    if len(shape) == 1 and not isinstance(shape[0], (int, tuple, list)):
        return input.to(shape[0])
    return View.apply(input, infer_shape(shape_arg(shape), input.array.size), True)


def view_as(input, other):
    return view(input, other.shape)


def reshape_as(input, other):
    return reshape(input, other.shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dims ``start_dim..end_dim`` into one."""
    if input.ndim == 0:
        return reshape(input, 1)
    start, end = input._wrap_dim(start_dim), input._wrap_dim(end_dim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = input.shape
    return reshape(input, shape[:start] + (-1,) + shape[end + 1:])


def unflatten(input, dim, sizes):
    """Split dim ``dim`` into ``sizes`` (one of them may be -1: inferred), a view."""
    dim = input._wrap_dim(dim)
    shape = input.shape
    try:
        sizes = infer_shape(sizes, shape[dim])
    except RuntimeError:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
                           f"({shape[dim]}) in the input tensor") from None
    return view(input, shape[:dim] + sizes + shape[dim + 1:])


def permute(input, *dims):
    """Reorder the dims: ``x.permute(2, 0, 1)`` puts the last dim first (a view)."""
    dims = shape_arg(dims)
    if len(dims) != input.ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
                           f"length of the desired ordering of dimensions i.e. input.dim() = {input.ndim} is not "
                           f"equal to len(dims) = {len(dims)}")
    dims = tuple(input._wrap_dim(d) for d in dims)
    if sorted(dims) != list(range(input.ndim)):
        raise RuntimeError(f"permute(): duplicate dims are not allowed: {list(dims)}")
    return Permute.apply(input, dims)


def transpose(input, dim0, dim1):
    """Swap two dims (a view)."""
    d0, d1 = input._wrap_dim(dim0), input._wrap_dim(dim1)
    order = list(range(input.ndim))
    order[d0], order[d1] = order[d1], order[d0]
    return Transpose.apply(input, tuple(order))


swapaxes = swapdims = transpose


def t(input):
    """Transpose a matrix (a vector is returned as it is)."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return T.apply(input, (1, 0) if input.ndim == 2 else tuple(range(input.ndim)))


def movedim(input, source, destination):
    src = [input._wrap_dim(d) for d in ((source,) if isinstance(source, int) else source)]
    dst = [input._wrap_dim(d) for d in ((destination,) if isinstance(destination, int) else destination)]
    rest = [d for d in range(input.ndim) if d not in src]
    order = [None] * input.ndim
    for s, d in zip(src, dst):
        order[d] = s
    it = iter(rest)
    return Permute.apply(input, tuple(o if o is not None else next(it) for o in order))


def expand(input, *sizes):
    """Repeat size-1 dims to ``sizes`` without copying (-1 keeps a size); new dims go in front."""
    sizes = shape_arg(sizes)
    if len(sizes) < input.ndim:
        raise RuntimeError(f"expand(torch.FloatTensor{{{list(input.shape)}}}, size={list(sizes)}): the number of "
                           f"sizes provided ({len(sizes)}) must be greater or equal to the number of dimensions "
                           f"in the tensor ({input.ndim})")
    lead = len(sizes) - input.ndim
    shape = list(sizes)
    for i, old in enumerate(input.shape):
        new = sizes[lead + i]
        if new == -1:
            shape[lead + i] = old
        elif old != new and old != 1:
            raise RuntimeError(f"The expanded size of the tensor ({new}) must match the existing size ({old}) at "
                               f"non-singleton dimension {lead + i}.  Target sizes: {list(sizes)}.  Tensor sizes: "
                               f"{list(input.shape)}")
    if any(s == -1 for s in shape[:lead]):
        raise RuntimeError("The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension")
    shape = tuple(shape)
    return Expand.apply(input, shape) if shape != input.array.shape else input.view(shape)


def expand_as(input, other):
    return expand(input, other.shape)


def broadcast_to(input, shape):
    return expand(input, shape)


def squeeze(input, dim=None):
    """Remove size-1 dims (all, or only those in ``dim``)."""
    if dim is None:
        dims = [i for i, s in enumerate(input.shape) if s == 1]
    else:
        dims = [input._wrap_dim(d) for d in ((dim,) if isinstance(dim, int) else dim)]
        dims = [d for d in dims if input.shape[d] == 1]
    node = Squeeze if dim is None else SqueezeDim if isinstance(dim, int) else SqueezeDims
    return node.apply(input, tuple(s for i, s in enumerate(input.shape) if i not in dims), True)


def unsqueeze(input, dim):
    """Insert a size-1 dim at ``dim``."""
    dim = input._wrap_dim(dim, input.ndim + 1)
    shape = input.shape
    return Unsqueeze.apply(input, shape[:dim] + (1,) + shape[dim:], True)


def narrow(input, dim, start, length):
    """The slice ``start:start+length`` along ``dim`` (a view)."""
    dim = input._wrap_dim(dim)
    size = input.shape[dim]
    start = int(start)
    if start < 0:
        start += size
    if not 0 <= start <= size or length < 0 or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    key = (slice(None),) * dim + (slice(start, start + length),)
    return Slice.apply(input, key)


def select(input, dim, index):
    """The sub-tensor at ``index`` along ``dim``, with that dim removed (a view)."""
    dim = input._wrap_dim(dim)
    size = input.shape[dim]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} at "
                         f"dimension {dim}")
    return Select.apply(input, (slice(None),) * dim + (int(index),))


def clone(input, *, memory_format=None):
    """A copy with its own memory (gradients flow back to the original)."""
    return Clone.apply(input)


def contiguous(input, memory_format=None):
    """The tensor itself if its memory is row-major, else a row-major copy."""
    return input if input.array.flags.c_contiguous else Clone.apply(input)


def flip(input, *dims):
    """Reverse the order of elements along ``dims``: ``flip(x, (0, 1))`` or ``x.flip(0, 1)``."""
    dims = tuple(input._wrap_dim(d) for d in shape_arg(dims))
    return Flip.apply(input, dims)


def _check_sequence(name, tensors):
    """cat and stack take a list or tuple of tensors (a common slip: cat(a, b) instead of cat([a, b]))."""
    if isinstance(tensors, Tensor):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor (put them "
                        f"in a list: torch.{name}([a, b]))")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type_name(t)} ({name} joins "
                            "tensors: make one with torch.tensor(...) or torch.from_numpy(...))")


def cat(tensors, dim=0, *, out=None):
    """Join tensors along an existing dim; all other sizes must match."""
    _check_sequence("cat", tensors)
    tensors = list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    joined = [t for t in tensors if not _skipped_by_cat(t)] or tensors[:1]
    first = joined[0]
    dim = first._wrap_dim(dim)
    for i, t in enumerate(joined[1:], 1):
        if t.ndim != first.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {first.ndim} and {t.ndim}")
        for d in range(first.ndim):
            if d != dim and t.shape[d] != first.shape[d]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {dim}. Expected size "
                                   f"{first.shape[d]} but got size {t.shape[d]} for tensor number {i} in the list.")
    return Cat.apply(dim, *_in_common_dtype(tensors))


def _in_common_dtype(tensors):
    """The tensors converted to the dtype they promote to together (torch's rule for cat and stack)."""
    common = _dtype.result_type(*tensors)
    return [t if t.dtype is common else t.to(common) for t in tensors]


concat = concatenate = cat


def stack(tensors, dim=0, *, out=None):
    """Join same-shape tensors along a new dim."""
    _check_sequence("stack", tensors)
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(tensors[1:], 1):
        if t.shape != tensors[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at "
                               f"entry 0 and {list(t.shape)} at entry {i}")
    dim = tensors[0]._wrap_dim(dim, tensors[0].ndim + 1)
    return Stack.apply(dim, *[unsqueeze(t, dim) for t in _in_common_dtype(tensors)])


def hstack(tensors):
    """Join along columns: cat(atleast_1d(tensors), dim=1), or dim 0 when they are 1-D."""
    _check_sequence("hstack", tensors)
    tensors = [t.reshape(1) if t.ndim == 0 else t for t in tensors]
    return cat(tensors, 0 if tensors and tensors[0].ndim == 1 else 1)


def vstack(tensors):
    """Join along rows: cat(atleast_2d(tensors), dim=0)."""
    _check_sequence("vstack", tensors)
    return cat([t.reshape(1, -1) if t.ndim < 2 else t for t in tensors], 0)


def split(tensor, split_size_or_sections, dim=0):
    """Views of consecutive pieces along ``dim``: of equal size, or of the sizes listed."""
    dim = tensor._wrap_dim(dim)
    size = tensor.shape[dim]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step <= 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got split_size {step}")
        sections = [min(step, size - start) for start in range(0, size, step)] or [0]
    else:
        sections = list(split_size_or_sections)
        if sum(sections) != size:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size "
                               f"at dimension {dim}), but got split_sizes={sections}")
    pieces, start = [], 0
    for length in sections:
        pieces.append(narrow(tensor, dim, start, length))
        start += length
    return tuple(pieces)


def chunk(input, chunks, dim=0):
    """Split into ``chunks`` pieces of size ceil(n / chunks) (the last may be smaller)."""
    size = input.shape[input._wrap_dim(dim)]
    return split(input, max(1, -(-size // chunks)), dim)


def unbind(input, dim=0):
    dim = input._wrap_dim(dim)
    return tuple(select(input, dim, i) for i in range(input.shape[dim]))


def repeat(input, *sizes):
    """Tile the tensor ``sizes`` times along each dim (a copy)."""
    sizes = shape_arg(sizes)
    if len(sizes) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    x = input.reshape((1,) * (len(sizes) - input.ndim) + tuple(input.shape))
    expanded_shape, final_shape = [], []
    for r, s in zip(sizes, x.shape):
        expanded_shape += [r, s]
        final_shape.append(r * s)
    x = x.reshape([v for s in x.shape for v in (1, s)]).expand(expanded_shape)
    return clone(x).reshape(final_shape)  # always a copy, as torch (even for repeat(1, 1))


def tile(input, dims):
    dims = tuple(dims)
    return repeat(input, (1,) * (input.ndim - len(dims)) + dims)


def roll(input, shifts, dims=None):
    if dims is None:
        return roll(input.flatten(), shifts, 0).view(input.shape)
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    out = input
    for shift, dim in zip(shifts, dims):
        n = out.shape[dim]
        if n == 0:
            continue
        shift %= n
        if shift:
            out = cat([narrow(out, dim, n - shift, shift), narrow(out, dim, 0, n - shift)], dim)
    return out
