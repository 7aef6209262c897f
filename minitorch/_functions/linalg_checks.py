"""What every linear-algebra op checks, and how a failed factorisation is reported.

``LinAlgError`` (``minitorch.linalg.LinAlgError``) is raised, as torch does, when the numbers
themselves make the problem unsolvable: a singular matrix for ``inv``/``solve``, a matrix that is
not positive-definite for ``cholesky``. numpy reports these as ``numpy.linalg.LinAlgError`` with
a terse message, and cupy by default returns NaNs; ``lapack`` turns both into torch's message,
which names the failing batch element and the failing pivot or leading minor. Finding those is
done only after a failure, on a host copy, so the successful path pays nothing.
"""
import numpy

from .._backend import array_module


class LinAlgError(RuntimeError):
    """A linear-algebra routine failed because of its input's values (singular, not positive-definite)."""


def check_matrix(A, name, square=False, arg="A", floating=True):
    """A tensor of shape (..., m, n), square when asked, floating or complex unless ``floating=False``;
    torch's messages otherwise."""
    if A.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor {arg} must have at least 2 dimensions. "
                           f"Got shape {list(A.shape)}")
    if floating and not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got {A.dtype} "
                           f"(convert it first, e.g. {arg}.double())")
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{name}: {arg} must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")


def check_same_dtype(A, B, name):
    if A.dtype is not B.dtype:
        raise RuntimeError(f"{name}: Expected A and B to have the same dtype, but found A of type {A.dtype} and "
                           f"B of type {B.dtype} instead (convert one, e.g. B.to(A.dtype))")


def host(array):
    """A numpy copy of ``array`` (only used to explain an error)."""
    return array if type(array) is numpy.ndarray else array.get()


def lapack(compute, inputs, explain):
    """``compute()``, with a failure turned into LinAlgError(explain(host inputs)).

    numpy raises its own LinAlgError; cupy returns non-finite values instead, so on the GPU a
    result with NaN or inf from finite inputs counts as a failure too.
    """
    try:
        result = compute()
    except numpy.linalg.LinAlgError:
        raise LinAlgError(explain(*(host(a) for a in inputs))) from None
    first = result[0] if isinstance(result, tuple) else result
    if type(first) is not numpy.ndarray:
        xp = array_module(first)
        if not bool(xp.isfinite(first).all()) and all(bool(xp.isfinite(a).all()) for a in inputs):
            raise LinAlgError(explain(*(host(a) for a in inputs)))
    return result


def _batch_prefix(index, batched):
    return f"(Batch element {index}): " if batched else ""


def _first_failure(matrices, find):
    """(flat batch index, what ``find`` reported) for the first matrix where ``find`` reports something."""
    flat = matrices.reshape((-1,) + matrices.shape[-2:])
    for index, matrix in enumerate(flat):
        found = find(matrix.astype(numpy.complex128 if matrix.dtype.kind == "c" else numpy.float64))
        if found:
            return index, found
    return 0, matrices.shape[-1]


def zero_pivot(matrix):
    """The 1-based column where LU with partial pivoting (LAPACK getrf) meets a zero pivot, or 0."""
    a = matrix.copy()
    n = a.shape[0]
    for k in range(n):
        p = k + int(numpy.argmax(numpy.abs(a[k:, k])))
        if a[p, k] == 0:
            return k + 1
        a[[k, p]] = a[[p, k]]
        a[k + 1:, k:] -= numpy.outer(a[k + 1:, k] / a[k, k], a[k, k:])
    return 0


def bad_leading_minor(matrix):
    """The order of the first leading minor that is not positive-definite (LAPACK potrf's info), or 0."""
    n = matrix.shape[0]
    for k in range(1, n + 1):
        try:
            numpy.linalg.cholesky(matrix[:k, :k])
        except numpy.linalg.LinAlgError:
            return k
    return 0


def singular_message(name):
    """explain() for inv: names the batch element and the zero diagonal element of U in A = PLU."""
    def explain(A, *others):
        index, pivot = _first_failure(A, zero_pivot)
        return (f"{name}: {_batch_prefix(index, A.ndim > 2)}The diagonal element {pivot} is zero, the inversion "
                "could not be completed because the input matrix is singular.")
    return explain


def solver_singular_message(name):
    def explain(A, *others):
        index, pivot = _first_failure(A, zero_pivot)
        return (f"torch.{name}: {_batch_prefix(index, A.ndim > 2)}The solver failed because the input matrix is "
                f"singular (pivot {pivot} of its LU factorisation is zero).")
    return explain


def not_positive_definite_message(name):
    def explain(A, *others):
        index, order = _first_failure(A, bad_leading_minor)
        return (f"{name}: {_batch_prefix(index, A.ndim > 2)}The factorization could not be completed because the "
                f"input is not positive-definite (the leading minor of order {order} is not positive-definite).")
    return explain


def convergence_message(name):
    def explain(A, *others):
        return (f"{name}: The algorithm failed to converge because the input matrix (shape {list(A.shape)}) is "
                "ill-conditioned or has too many repeated values (or contains NaN/inf).")
    return explain
