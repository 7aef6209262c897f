"""Products built from matmul: matrix_power, matrix_exp, multi_dot, cross, vecdot.

All but ``matrix_exp`` are compositions of matmul, inv and elementwise ops, so their gradients
come from those. ``matrix_exp`` is its own primitive: its forward is a truncated Taylor series
with scaling and squaring, and its backward uses the block-matrix identity

    exp([[A^T, G], [0, A^T]]) = [[exp(A^T), D], [0, exp(A^T)]],   D = dL/dA for G = dL/d(exp A)

(the Frechet derivative of exp at A^T in direction G; R. Mathias, "A chain rule for matrix
functions and applications" (1996); Najfeld & Havel, "Derivatives of the matrix exponential and
their computation" (1995); torch's linalg_matrix_exp_differential). Being an exp itself, that
backward is differentiable again.
"""
import math

from .._backend import array_module
from .._tensor import Tensor
from ..autograd.function import Function
from ._operands import broadcast_shapes
from .linalg_checks import check_matrix
from .elementwise import where
from .linalg_solve import inv
from .linalg_structure import conj
from .shape import cat

TAYLOR_DEGREE = 18  # with ||A / 2^s||_1 <= 1/2 the truncation error is below 0.5^19 / 19! ~ 1e-22


def _expm(a, xp):
    """exp(a) for a batch of square matrices: Taylor series of a / 2^s, then squared s times."""
    norms = xp.abs(a).sum(axis=-2).max(axis=-1) if a.size else xp.zeros(1)
    largest = float(norms.max())
    squarings = max(0, math.ceil(math.log2(largest)) + 1) if math.isfinite(largest) and largest > 0.5 else 0
    scaled = a / (2.0 ** squarings)
    identity = xp.eye(a.shape[-1], dtype=a.dtype)
    result = identity
    for k in range(TAYLOR_DEGREE, 0, -1):  # Horner: I + X (I + X/2 (I + X/3 (...)))
        result = identity + (scaled @ result) / k
    for _ in range(squarings):
        result = result @ result
    return result


class MatrixExp(Function):
    """Y = exp(A) = sum_k A^k / k!.   dL/dA = the top-right block of exp([[A^T, G], [0, A^T]])
    with G = dL/dY (module docstring)."""

    @staticmethod
    def forward(ctx, A):
        ctx.save_for_backward(A)
        return _expm(A.array, array_module(A.array))

    @staticmethod
    def backward(ctx, grad):
        A, = ctx.saved_tensors
        n = A.shape[-1]
        At = A.mT
        block = cat([cat([At, grad], -1), cat([At * 0, At], -1)], -2)
        return MatrixExp.apply(block).narrow(-2, 0, n).narrow(-1, n, n)


# ----------------------------------------------------------------------------- public functions
def matrix_exp(A):
    """The matrix exponential exp(A) = I + A + A^2/2! + ... of each square matrix in A."""
    check_matrix(A, "linalg.matrix_exp", square=True)
    return MatrixExp.apply(A)


def matrix_power(A, n):
    """A^n for an integer n by repeated squaring; n = 0 gives the identity, n < 0 powers of inv(A).

    Integer matrices are accepted as in torch (their powers stay integers; n < 0 needs inv, so a float).
    """
    check_matrix(A, "linalg.matrix_power", square=True, floating=False)
    if not isinstance(n, int):
        raise TypeError(f"linalg.matrix_power: n must be an int, got {type(n).__name__}")
    if n == 0:  # the identity, on A's graph with a zero gradient (A * 0 + I would give nan for nan/inf in A)
        xp = array_module(A.array)
        identity = Tensor._make(xp.eye(A.shape[-1], dtype=A.array.dtype))
        return where(Tensor._make(xp.zeros(A.shape, dtype=bool)), A, identity)
    base = inv(A) if n < 0 else A
    result, n = None, abs(n)
    while n:
        if n & 1:
            result = base if result is None else result @ base
        n >>= 1
        if n:
            base = base @ base
    return result


def cross(input, other, *, dim=-1):
    """The cross product of 3-vectors along ``dim`` (inputs of the same rank broadcast):
    c = roll(a, -1) * roll(b, -2) - roll(a, -2) * roll(b, -1), i.e. c_0 = a_1 b_2 - a_2 b_1, ..."""
    if input.ndim != other.ndim:
        raise RuntimeError(f"linalg.cross: inputs must have the same number of dimensions (got shapes "
                           f"{list(input.shape)} and {list(other.shape)}; unsqueeze the smaller one)")
    shape = broadcast_shapes(input.shape, other.shape)
    input, other = input.expand(shape), other.expand(shape)
    d = input._wrap_dim(dim)
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got {input.shape[d]} and "
                           f"{other.shape[d]}")
    return input.roll(-1, d) * other.roll(-2, d) - input.roll(-2, d) * other.roll(-1, d)


def vecdot(x, y, *, dim=-1):
    """The dot product of x and y along ``dim`` (broadcast): sum_i conj(x_i) y_i (conj only matters for
    complex x)."""
    return (conj(x) * y).sum(dim)


def multi_dot(tensors):
    """The product of a chain of matrices, multiplied in the order that costs the fewest operations.

    The first may be 1-D (a row vector) and the last 1-D (a column vector); the others are 2-D.
    The order is the classic matrix-chain dynamic programme (Cormen et al., 15.2).
    """
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    first_vector, last_vector = tensors[0].ndim == 1, tensors[-1].ndim == 1
    mats = [tensors[0].unsqueeze(0) if first_vector else tensors[0]] + tensors[1:-1] + \
           [tensors[-1].unsqueeze(-1) if last_vector else tensors[-1]]
    for i, t in enumerate(mats):
        if t.ndim != 2:
            which = "first" if i == 0 else ("last" if i == len(mats) - 1 else f"{i}th")
            raise RuntimeError(f"multi_dot(): the {which} tensor must be {'1D or ' if which != f'{i}th' else ''}2D "
                               f"but got {tensors[i].ndim}D")
    for i in range(len(mats) - 1):
        if mats[i].shape[1] != mats[i + 1].shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes {list(tensors[i].shape)} and "
                               f"{list(tensors[i + 1].shape)} cannot be multiplied")
    sizes = [m.shape[0] for m in mats] + [mats[-1].shape[1]]
    result = _chain(mats, _best_split(sizes), 0, len(mats) - 1)
    if first_vector:
        result = result.squeeze(0)
    if last_vector:
        result = result.squeeze(-1)
    return result


def _best_split(sizes):
    """split[i][j]: where to split the product of matrices i..j so that it costs the fewest multiplications."""
    n = len(sizes) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j], split[i][j] = min((cost[i][k] + cost[k + 1][j] + sizes[i] * sizes[k + 1] * sizes[j + 1], k)
                                          for k in range(i, j))
    return split


def _chain(mats, split, i, j):
    if i == j:
        return mats[i]
    k = split[i][j]
    return _chain(mats, split, i, k) @ _chain(mats, split, k + 1, j)
