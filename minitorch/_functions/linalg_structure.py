"""Matrix structure: diagonals, triangles, trace, the Kronecker product and the conjugate transpose.

These ops pick or place elements without arithmetic, so each backward moves the gradient back
to where the element came from:

- ``diagonal`` reads the entries (i, i + offset) of two dims; its backward writes the gradient
  onto the diagonal of a zero tensor, which is exactly ``diag_embed``. The two are each
  other's backward, which makes both differentiable any number of times.
- ``tril``/``triu`` keep one triangle and zero the rest; the gradient keeps the same triangle.
- ``trace``, ``diag`` and ``kron`` are composed from the above and from elementwise products.
- ``adjoint`` (``x.mH``, ``x.H``) is the transpose followed by ``conj``, which flips the sign of
  the imaginary parts; a real tensor is its own conjugate, so for it the adjoint is ``x.mT``.
"""
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from .inplace import inplace
from .shape import make_view


def _diagonal_view(array, offset, dim1, dim2):
    """The entries (i, i + offset) of ``array`` along (dim1, dim2), as a writable strided view.

    The two dims are removed and the diagonal becomes the last dim (as numpy.diagonal), but unlike
    numpy's read-only result this view can be written through, as torch's ``diagonal`` can.
    """
    xp = array_module(array)
    n1, n2 = array.shape[dim1], array.shape[dim2]
    length = max(0, min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2))
    start = [0] * array.ndim
    if length:
        start[dim2 if offset >= 0 else dim1] = abs(offset)
    corner = array[tuple(slice(s, None) for s in start)]
    kept = [d for d in range(array.ndim) if d not in (dim1, dim2)]
    shape = tuple(array.shape[d] for d in kept) + (length,)
    strides = tuple(array.strides[d] for d in kept) + (array.strides[dim1] + array.strides[dim2],)
    return xp.lib.stride_tricks.as_strided(corner, shape, strides)


class Diagonal(Function):
    """y = the diagonal (i, i + offset) of dims (dim1, dim2), as the last dim (a view).
    dL/dx = zeros with dL/dy written on that diagonal (= diag_embed of dL/dy)."""

    @staticmethod
    def forward(ctx, x, offset, dim1, dim2):
        ctx.shape, ctx.where = x.array.shape, (offset, dim1, dim2)
        view = _diagonal_view(x.array, offset, dim1, dim2)
        return make_view(x, view, lambda base: Diagonal.apply(base, offset, dim1, dim2))

    @staticmethod
    def backward(ctx, grad):
        return EmbedDiagonal.apply(grad, ctx.shape, *ctx.where), None, None, None


class EmbedDiagonal(Function):
    """y = zeros of ``shape`` with x written on the diagonal (offset, dim1, dim2) (diag_embed).
    dL/dx = the diagonal of dL/dy."""

    @staticmethod
    def forward(ctx, x, shape, offset, dim1, dim2):
        ctx.where = (offset, dim1, dim2)
        out = array_module(x.array).zeros(shape, dtype=x.array.dtype)
        _diagonal_view(out, offset, dim1, dim2)[...] = x.array
        return out

    @staticmethod
    def backward(ctx, grad):
        return Diagonal.apply(grad, *ctx.where), None, None, None, None


class Triangle(Function):
    """y = the lower (tril) or upper (triu) triangle of the last two dims, zeros elsewhere.
    dL/dx = the same triangle of dL/dy (the other entries did not reach y)."""

    @staticmethod
    def forward(ctx, x, diagonal, lower):
        ctx.diagonal, ctx.lower = diagonal, lower
        xp = array_module(x.array)
        return (xp.tril if lower else xp.triu)(x.array, diagonal)

    @staticmethod
    def backward(ctx, grad):
        return Triangle.apply(grad, ctx.diagonal, ctx.lower), None, None


class Tril(Triangle):
    """tril: a Triangle; torch names its node TrilBackward0."""


class Triu(Triangle):
    """triu: a Triangle; torch names its node TriuBackward0."""


class Conj(Function):
    """y = conj(x) = Re x - i Im x.   dL/dx = conj(dL/dy) (in torch's convention for complex
    gradients; minitorch's autograd itself refuses complex tensors, see _tensor.py)."""

    @staticmethod
    def forward(ctx, x):
        return array_module(x.array).conj(x.array)

    @staticmethod
    def backward(ctx, grad):
        return Conj.apply(grad)


# ----------------------------------------------------------------------------- public functions
def conj(input):
    """The complex conjugate; a real tensor is its own conjugate and is returned as it is, as torch."""
    return Conj.apply(input) if input.dtype.is_complex else input


def adjoint(input, name="adjoint()"):
    """The conjugate transpose of the last two dims (``x.adjoint()``, ``x.mH``); ``x.mT`` for real x."""
    if input.ndim < 2:
        raise RuntimeError(f"tensor.{name} is only supported on matrices or batches of matrices. "
                           f"Got {input.ndim}-D tensor.")
    return conj(input.mT)


def adjoint_array(a):
    """a^H for an array (not a Tensor; for the forward passes of linalg ops): the conjugate transpose
    of the last two dims, or just the transpose when a is real."""
    t = array_module(a).swapaxes(a, -1, -2)
    return t.conj() if a.dtype.kind == "c" else t


def matrix_adjoint(input):
    """``x.H``: the conjugate transpose of a matrix (2-D only: for a batch of matrices use ``x.mH``)."""
    if input.ndim == 0:
        return conj(input)
    if input.ndim != 2:
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {input.ndim}-D tensor."
                           + (" For batches of matrices, consider using tensor.mH" if input.ndim > 2 else ""))
    return adjoint(input, "H")


def _two_dims(input, dim1, dim2, ndim=None):
    d1, d2 = input._wrap_dim(dim1, ndim), input._wrap_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


def diagonal(input, offset=0, dim1=0, dim2=1):
    """torch.diagonal: the entries (i, i + offset) of dims (dim1, dim2), appended as the last dim (a view)."""
    d1, d2 = _two_dims(input, dim1, dim2)
    return Diagonal.apply(input, int(offset), d1, d2)


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Place the last dim of ``input`` on the diagonal (offset) of two new dims (dim1, dim2)."""
    ndim = input.ndim + 1
    d1, d2 = _two_dims(input, dim1, dim2, ndim)
    size = input.shape[-1] + abs(offset)
    shape = list(input.shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, size)
    return EmbedDiagonal.apply(input, tuple(shape), int(offset), d1, d2)


def tril(input, diagonal=0):
    """The lower triangle (on and below ``diagonal``) of the last two dims; zeros above."""
    _check_matrix_dims(input, "tril")
    return Tril.apply(input, int(diagonal), True)


def triu(input, diagonal=0):
    """The upper triangle (on and above ``diagonal``) of the last two dims; zeros below."""
    _check_matrix_dims(input, "triu")
    return Triu.apply(input, int(diagonal), False)


def _check_matrix_dims(input, name):
    if input.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions, got shape {list(input.shape)}")


def trace(input):
    """The sum of the main diagonal of a 2-D tensor."""
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    return diagonal(input).sum()


def diag(input, diagonal=0):
    """1-D input: the square matrix with it on diagonal ``diagonal``; 2-D input: that diagonal, as 1-D."""
    if input.ndim == 1:
        return diag_embed(input, diagonal, 0, 1)
    if input.ndim == 2:
        return globals()["diagonal"](input, diagonal)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")


def kron(input, other):
    """Kronecker product: block (i, j) of the result is input[i, j] * other (for any number of dims).

    Both are padded with leading size-1 dims to the same rank n; then input is viewed with shape
    (a0, 1, a1, 1, ...) and other with (1, b0, 1, b1, ...), their broadcast product has shape
    (a0, b0, a1, b1, ...), and merging each pair gives (a0*b0, a1*b1, ...). Its gradient comes
    from the product and reshapes.
    """
    if not isinstance(input, Tensor) or not isinstance(other, Tensor):
        raise TypeError(f"kron expects two Tensors, got {type(input).__name__} and {type(other).__name__}")
    n = max(input.ndim, other.ndim)
    a_shape = (1,) * (n - input.ndim) + tuple(input.shape)
    b_shape = (1,) * (n - other.ndim) + tuple(other.shape)
    a = input.reshape([s for d in a_shape for s in (d, 1)])
    b = other.reshape([s for d in b_shape for s in (1, d)])
    return (a * b).reshape([x * y for x, y in zip(a_shape, b_shape)])


def fill_diagonal_(self, fill_value, wrap=False):
    """Write ``fill_value`` on the main diagonal, in place (all dims of equal length when more than 2).
    For a tall matrix, ``wrap=True`` starts the diagonal again every (columns + 1) rows, as torch."""
    if self.ndim < 2:
        raise RuntimeError(f"dimensions must larger than 1 (fill_diagonal_ got a {self.ndim}-D tensor)")
    if self.ndim > 2 and len(set(self.shape)) != 1:
        raise RuntimeError(f"all dimensions of input must be of equal length (got shape {list(self.shape)})")
    step, stride = 0, 1  # in row-major order, element (i, i, ...) is i * step elements from the start
    for size in reversed(self.shape):
        step, stride = step + stride, stride * size
    count = self.numel() if wrap and self.ndim == 2 else min(self.shape) * step
    on_diagonal = array_module(self.array).zeros(self.numel(), dtype=bool)
    on_diagonal[0:count:step] = True
    mask = Tensor._make(on_diagonal.reshape(self.shape))
    return inplace(self, lambda s: s.masked_fill(mask, fill_value), check_cast=False)

