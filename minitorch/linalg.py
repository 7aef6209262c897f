"""minitorch.linalg: linear algebra with torch's names, signatures and gradients.

This module only hands names on. Each family lives in its own file under ``_functions/``:

    linalg_solve.py     det, slogdet, inv, solve                 (square systems)
    linalg_lstsq.py     lstsq, pinv, matrix_rank                  (least squares, pseudo-inverse)
    linalg_factor.py    cholesky, qr                              (triangular factorisations)
    linalg_spectral.py  svd, svdvals, eigh, eigvalsh, eig, eigvals
    linalg_products.py  matrix_power, matrix_exp, multi_dot, cross, vecdot
    linalg_norms.py     norm, matrix_norm (vector_norm is in reduce.py)
    linalg_structure.py diagonal (and trace, diag, diag_embed, tril, triu, kron on minitorch.*)
    linalg_checks.py    LinAlgError and the input checks every op shares

``LinAlgError`` (a RuntimeError) is raised when the values make a problem unsolvable: a singular
matrix in inv/solve, a matrix that is not positive-definite in cholesky.
"""
from ._functions.linalg_checks import LinAlgError
from ._functions.linalg_factor import cholesky, qr
from ._functions.linalg_lstsq import lstsq, matrix_rank, pinv
from ._functions.linalg_norms import matrix_norm, norm
from ._functions.linalg_products import cross, matrix_exp, matrix_power, multi_dot, vecdot
from ._functions.linalg_solve import det, inv, slogdet, solve
from ._functions.linalg_spectral import eig, eigh, eigvals, eigvalsh, svd, svdvals
from ._functions.linalg_structure import diagonal as _diagonal
from ._functions.reduce import vector_norm


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """The diagonal (i, i + offset) of the matrices in A (dims dim1, dim2), as its last dim (a view)."""
    return _diagonal(A, offset, dim1, dim2)


__all__ = ["LinAlgError", "cholesky", "cross", "det", "diagonal", "eig", "eigh", "eigvals", "eigvalsh", "inv",
           "lstsq", "matrix_exp", "matrix_norm", "matrix_power", "matrix_rank", "multi_dot", "norm", "pinv", "qr",
           "slogdet", "solve", "svd", "svdvals", "vecdot", "vector_norm"]
