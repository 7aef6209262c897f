"""torch's conveniences on top of minitorch's ops: shape conveniences, counting,
integration, legacy linear algebra and complex parts, each against torch (values, dtypes, gradients, errors)."""
import warnings

import numpy as np
import pytest
import torch

import minitorch
from oracle import arrays, assert_close, check, gradcheck, raises

X = arrays((2, 3, 4), seed=0)
M = arrays((4, 3), seed=1)


def _first(out):
    return out[0] if isinstance(out, tuple) else out


# ----------------------------------------------------------------------------- 1. shape conveniences
SHAPES = {
    "ravel": lambda t, x: x.transpose(0, 2).ravel(), "ravel_fn": lambda t, x: t.ravel(x),
    "moveaxis": lambda t, x: t.moveaxis(x, (0, 1), (2, 0)), "moveaxis_method": lambda t, x: x.moveaxis(-1, 0),
    "fliplr": lambda t, x: t.fliplr(x), "flipud": lambda t, x: x.flipud(),
    "rot90": lambda t, x: t.rot90(x), "rot90_k2": lambda t, x: x.rot90(2, (1, 2)),
    "rot90_k3": lambda t, x: t.rot90(x, 3, [2, 0]), "rot90_neg": lambda t, x: t.rot90(x, -3, (1, 0)),
    "rot90_k4": lambda t, x: t.rot90(x, 4),
    "atleast_1d": lambda t, x: t.atleast_1d(x[0, 0, 0]), "atleast_1d_many": lambda t, x: t.atleast_1d(x[0, 0, 0], x),
    "atleast_2d": lambda t, x: t.atleast_2d(x[0, 0]), "atleast_2d_list": lambda t, x: t.atleast_2d([x[0, 0, 0], x[0]]),
    "atleast_3d_0d": lambda t, x: t.atleast_3d(x[0, 0, 0]), "atleast_3d_1d": lambda t, x: t.atleast_3d(x[0, 0]),
    "atleast_3d_2d": lambda t, x: t.atleast_3d(x[0]), "atleast_3d_3d": lambda t, x: t.atleast_3d((x,)),
    "broadcast_tensors": lambda t, x: t.broadcast_tensors(x[:, :1], x[0, 0], x),
    "tensor_split_int": lambda t, x: t.tensor_split(x, 3, dim=2), "tensor_split_more": lambda t, x: x.tensor_split(5, 1),
    "tensor_split_list": lambda t, x: t.tensor_split(x, [1, 3, 9, -1, 2], dim=-1),
    "tensor_split_sections_kw": lambda t, x: t.tensor_split(x, sections=2, dim=1),
    "tensor_split_indices_kw": lambda t, x: x.tensor_split(indices=(1,), dim=0),
    "tensor_split_tensor0d": lambda t, x: t.tensor_split(x, t.tensor(3), 2),
    "tensor_split_tensor1d": lambda t, x: t.tensor_split(x, t.tensor([1, 2]), 1),
    "hsplit": lambda t, x: t.hsplit(x, 3), "hsplit_list": lambda t, x: x.hsplit([1]),
    "hsplit_1d": lambda t, x: t.hsplit(x[0, 0], 2), "vsplit": lambda t, x: t.vsplit(x, [1]),
    "dsplit": lambda t, x: x.dsplit(2), "dstack": lambda t, x: t.dstack([x, x * 2]),
    "dstack_low": lambda t, x: t.dstack([x[0, 0], x[1, 1]]), "dstack_2d": lambda t, x: t.dstack((x[0], x[1])),
    "column_stack": lambda t, x: t.column_stack([x[0, 0], x[0].t()[:, :2], x[1, 0]]),
    "row_stack": lambda t, x: t.row_stack([x[0, 0], x[0]]), "hstack_0d": lambda t, x: t.hstack([x[0, 0, 0], x[0, 0]]),
    "vstack_0d": lambda t, x: t.vstack([x[0, 0, 0], x[0, 0, :1]]),
    "diagflat": lambda t, x: t.diagflat(x[0, :2]), "diagflat_offset": lambda t, x: x[0, 0].diagflat(-2),
    "narrow_copy": lambda t, x: t.narrow_copy(x, 1, 1, 2), "narrow_copy_method": lambda t, x: x.narrow_copy(-1, -3, 2),
}


@pytest.mark.parametrize("name", SHAPES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_shape_conveniences_match_torch(name, dtype):
    check(SHAPES[name], X.astype(dtype))


@pytest.mark.parametrize("name", SHAPES)
def test_shape_conveniences_gradcheck(name):
    gradcheck(lambda t, x: _first(SHAPES[name](t, x)), X)


def test_shape_conveniences_keep_integer_dtypes_and_views():
    check(lambda t, x: (t.rot90(x, 1, (0, 2)), t.column_stack([x[0, 0], x[1, 0]]), t.dstack([x[0]])),
          arrays((2, 3, 4), np.int64))
    x = minitorch.zeros(6, 2)
    pieces = minitorch.tensor_split(x, 4)
    pieces[1][0, 0] = 7  # the pieces are views, as torch's
    assert x[2, 0].item() == 7
    assert minitorch.atleast_2d(x) is x and minitorch.ravel(x).shape == (12,)


def test_argwhere_matches_torch():
    a = np.array([[1, 0, 2], [0, 0, 3]])
    check(lambda t, x: (t.argwhere(x), x.argwhere(), t.argwhere(x[0, 1]), t.argwhere(x[0, 0])), a, grad=False)
    check(lambda t, x: t.argwhere(x > 0), X, grad=False)


SHAPE_ERRORS = [
    (lambda t: t.fliplr(t.zeros(3)), RuntimeError, "Input must be >= 2-d."),
    (lambda t: t.flipud(t.tensor(1.0)), RuntimeError, "Input must be >= 1-d."),
    (lambda t: t.rot90(t.zeros(3)), RuntimeError, "expected total dims >= 2"),
    (lambda t: t.rot90(t.zeros(3, 3), 1, (0, 0)), RuntimeError, "expected rotation dims to be different"),
    (lambda t: t.rot90(t.zeros(3, 3), 1, (0, 1, 1)), RuntimeError, "expected total rotation dims == 2"),
    (lambda t: t.rot90(t.zeros(3, 3), 1, (0, 2)), IndexError, "Dimension out of range"),
    (lambda t: t.atleast_1d(3), TypeError, ""),
    (lambda t: t.broadcast_tensors(t.zeros(2), t.zeros(3)), RuntimeError, "must match the size"),
    (lambda t: t.tensor_split(t.zeros(7), 0), RuntimeError, "number of sections must be larger than 0"),
    (lambda t: t.tensor_split(t.tensor(1.0), 2), RuntimeError, "expected at least a 1-dimensional tensor"),
    (lambda t: t.tensor_split(t.zeros(7), t.tensor([1.0])), RuntimeError, "to have dtype of long"),
    (lambda t: t.tensor_split(t.zeros(7), t.tensor([[1]])), RuntimeError, "zero-dimensional or one-dimensional"),
    (lambda t: t.tensor_split(t.zeros(7), 2, 1), IndexError, "Dimension out of range"),
    (lambda t: t.hsplit(t.zeros(4, 6), 4), RuntimeError, "is not divisible by the split_size 4"),
    (lambda t: t.hsplit(t.tensor(1.0), 1), RuntimeError, "requires a tensor with at least 1 dimension"),
    (lambda t: t.vsplit(t.zeros(6), 2), RuntimeError, "requires a tensor with at least 2 dimension"),
    (lambda t: t.dsplit(t.zeros(4, 6), 3), RuntimeError, "requires a tensor with at least 3 dimension"),
    (lambda t: t.dstack([]), RuntimeError, "dstack expects a non-empty TensorList"),
    (lambda t: t.column_stack(t.zeros(3)), TypeError, "must be tuple of Tensors, not Tensor"),
    (lambda t: t.narrow_copy(t.zeros(2, 3), 1, 2, 2), RuntimeError, "exceeds dimension size"),
]


@pytest.mark.parametrize("case", range(len(SHAPE_ERRORS)))
def test_shape_convenience_errors_match_torch(case):
    make, exc, fragment = SHAPE_ERRORS[case]
    with pytest.raises(exc):
        make(torch)
    with raises(exc, fragment):
        make(minitorch)


# ----------------------------------------------------------------------------- 3. counting and integration
COUNTS = np.array([0, 1, 1, 3, 7, 3])


@pytest.mark.parametrize("weights", [None, np.float32, np.float64, np.int64, np.int32, bool])
@pytest.mark.parametrize("minlength", [0, 12])
def test_bincount_matches_torch(weights, minlength):
    w = None if weights is None else arrays((6,), weights, seed=2, low=0, high=3)
    if w is None:
        check(lambda t, i: t.bincount(i, minlength=minlength), COUNTS, grad=False)
    else:
        check(lambda t, i, w: i.bincount(w, minlength), COUNTS, w, grad=False)
    check(lambda t, i: t.bincount(i), COUNTS.astype(np.int32)[:0], grad=False)


def test_bincount_of_weights_that_require_grad_refuses_backward_as_torch():
    for lib in (torch, minitorch):
        w = lib.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], requires_grad=True)
        out = lib.bincount(lib.tensor(COUNTS), w)
        assert out.requires_grad
        with pytest.raises(RuntimeError):
            out.sum().backward()


@pytest.mark.parametrize("make, exc", [
    (lambda t: t.bincount(t.tensor([-1, 2])), RuntimeError), (lambda t: t.bincount(t.tensor([[1, 2]])), RuntimeError),
    (lambda t: t.bincount(t.tensor([1.0, 2.0])), NotImplementedError),
    (lambda t: t.bincount(t.tensor([True])), NotImplementedError),
    (lambda t: t.bincount(t.tensor([1, 2]), t.tensor([1.0])), RuntimeError),
    (lambda t: t.bincount(t.tensor([1, 2]), minlength=-1), RuntimeError),
    (lambda t: t.histc(t.tensor([1, 2]), bins=4), NotImplementedError),
    (lambda t: t.histc(t.tensor([1.0, 2.0]), bins=4, min=3, max=1), RuntimeError),
    (lambda t: t.histc(t.tensor([1.0, 2.0]), bins=0), RuntimeError),
    (lambda t: t.histc(t.tensor([1.0, float("inf")]), bins=3), RuntimeError),
    (lambda t: t.tril_indices(-1, 3), RuntimeError), (lambda t: t.triu_indices(3, 3, dtype=t.float32), NotImplementedError),
    (lambda t: t.vander(t.ones(2, 2)), RuntimeError), (lambda t: t.vander(t.ones(2), N=-1), RuntimeError),
    (lambda t: t.is_nonzero(t.tensor([1.0, 2.0])), RuntimeError), (lambda t: t.is_nonzero(t.tensor([])), RuntimeError),
    (lambda t: t.dist(t.tensor([1, 2]), t.tensor([1, 2])), RuntimeError),
    (lambda t: t.dist(t.ones(3), t.ones(2)), RuntimeError),
    (lambda t: t.trapezoid(t.tensor(1.0)), IndexError), (lambda t: t.trapezoid(t.ones(2, 3), t.ones(2)), RuntimeError),
    (lambda t: t.trapezoid(t.tensor([True, False])), RuntimeError), (lambda t: t.trapezoid(t.ones(3), 2.0), TypeError),
    (lambda t: t.cumulative_trapezoid(t.ones(3), t.ones(2)), RuntimeError),
    (lambda t: t.trapezoid(t.ones(2, 3), dim=2), IndexError),
])
def test_counting_errors_match_torch(make, exc):
    with pytest.raises(exc):
        make(torch)
    with pytest.raises(exc):
        make(minitorch)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bins, low, high", [(4, 0, 0), (7, -1, 1), (3, 0.5, 5), (1, 0, 0), (10, -3, 3)])
def test_histc_matches_torch(dtype, bins, low, high):
    x = arrays((50,), dtype, seed=3)
    check(lambda t, a: t.histc(a, bins, low, high), x, grad=False)
    check(lambda t, a: a.histc(bins=bins, min=low, max=high), x.reshape(5, 10), grad=False)
    check(lambda t, a: t.histc(a, bins), np.full(4, 2.0, dtype), grad=False)
    check(lambda t, a: t.histc(a, bins), np.zeros(0, dtype), grad=False)
    check(lambda t, a: t.histc(a, 3, 0, 1), np.array([0, 1 / 3, 2 / 3, 1, 1.5, -1], dtype), grad=False)


def test_histc_has_no_gradient_as_torch():
    for lib in (torch, minitorch):
        assert not lib.histc(lib.tensor([1.0, 2.0], requires_grad=True), bins=2).requires_grad


@pytest.mark.parametrize("row, col, offset", [(3, 4, 0), (3, 4, 1), (4, 3, -1), (0, 3, 0), (3, 3, 5), (5, 2, -7)])
@pytest.mark.parametrize("dtype", [None, "int32"])
def test_triangle_indices_match_torch(row, col, offset, dtype):
    for name in ("tril_indices", "triu_indices"):
        kwargs = {} if dtype is None else {"dtype": getattr(torch, dtype)}
        theirs = getattr(torch, name)(row, col, offset, **kwargs)
        kwargs = {} if dtype is None else {"dtype": getattr(minitorch, dtype)}
        assert_close(getattr(minitorch, name)(row, col, offset, **kwargs), theirs)


@pytest.mark.parametrize("N, increasing", [(None, False), (None, True), (2, False), (5, True), (0, False), (1, True)])
def test_vander_matches_torch(N, increasing):
    x = np.array([1.5, -2.0, 0.0, 0.5])
    # (torch's own backward of vander fails with an in-place version error: values against torch, gradients gradcheck)
    check(lambda t, a: t.vander(a, N, increasing), x, grad=False)
    check(lambda t, a: t.vander(a, N=N, increasing=increasing), x.astype(np.float32), grad=False)
    check(lambda t, a: a.cumprod(0), x)  # the op vander's gradient comes from, zeros included
    check(lambda t, a: t.vander(a, N, increasing), np.array([1, -2, 3], np.int32), grad=False)
    check(lambda t, a: t.vander(a, N, increasing), np.array([True, False]), grad=False)
    gradcheck(lambda t, a: t.vander(a, N, increasing), x)


def test_is_nonzero_matches_torch():
    for value in ([0.0], [1.5], 0, float("nan"), [[True]]):
        assert minitorch.is_nonzero(minitorch.tensor(value)) == torch.is_nonzero(torch.tensor(value))
        assert minitorch.tensor(value).is_nonzero() == torch.tensor(value).is_nonzero()


@pytest.mark.parametrize("p", [2, 1, 0, 3.5, float("inf"), -float("inf"), 0.5])
def test_dist_matches_torch(p):
    a, b = arrays((2, 3), seed=4), arrays((3,), seed=5)
    check(lambda t, x, y: t.dist(x, y, p), a, b, grad=p != 0)  # (torch's backward of the 0-"norm" fails)
    check(lambda t, x, y: x.dist(y, p=p), a.astype(np.float32), b.astype(np.float32), grad=p != 0)
    check(lambda t, x, y: t.dist(x, y, t.tensor(p)), a, b.astype(np.float32), grad=p != 0)
    if p not in (0, 0.5):  # (the 0- and p<1-norm are not differentiable at 0, nor smooth near it)
        gradcheck(lambda t, x, y: t.dist(x, y, p), a, b)


Y = arrays((3, 5), seed=6)
POINTS = np.array([0.0, 0.5, 1.5, 1.7, 3.0])
TRAPEZOIDS = {
    "plain": lambda t, y, x: t.trapezoid(y), "dx": lambda t, y, x: t.trapezoid(y, dx=0.5, dim=0),
    "x": lambda t, y, x: t.trapezoid(y, x), "x_2d": lambda t, y, x: t.trapezoid(y, y * 0 + x),
    "x_padded": lambda t, y, x: t.trapezoid(y, x.unsqueeze(0)), "x_dim0": lambda t, y, x: t.trapezoid(y, x[:3], dim=0),
    "trapz": lambda t, y, x: t.trapz(y, x), "trapz_dx": lambda t, y, x: t.trapz(y, dx=2),
    "dx_tensor": lambda t, y, x: t.trapezoid(y, dx=t.tensor(2.0)),
    "cumulative": lambda t, y, x: t.cumulative_trapezoid(y), "cumulative_x": lambda t, y, x: t.cumulative_trapezoid(y, x),
    "cumulative_dx": lambda t, y, x: t.cumulative_trapezoid(y, dx=3, dim=0),
    "cumulative_x_2d": lambda t, y, x: t.cumulative_trapezoid(y, y, dim=-2),
    "one_sample": lambda t, y, x: (t.trapezoid(y[:, :1]), t.cumulative_trapezoid(y[:, :1])),
    "no_samples": lambda t, y, x: (t.trapezoid(y[:, :0]), t.cumulative_trapezoid(y[:, :0])),
}


@pytest.mark.parametrize("name", TRAPEZOIDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_trapezoid_matches_torch(name, dtype):
    check(TRAPEZOIDS[name], Y.astype(dtype), POINTS.astype(dtype))


@pytest.mark.parametrize("name", [n for n in TRAPEZOIDS if n != "no_samples"])
def test_trapezoid_gradcheck(name):
    gradcheck(lambda t, y, x: _first(TRAPEZOIDS[name](t, y, x)), Y, POINTS)


def test_trapezoid_of_integers_matches_torch():
    y, x = np.array([1, 2, 4]), np.array([0, 1, 3])
    check(lambda t, a, b: (t.trapezoid(a), t.trapezoid(a, dx=2), t.trapezoid(a, b), t.cumulative_trapezoid(a),
                           t.trapezoid(a.float(), b), t.trapezoid(a[:0]), t.trapezoid(a.double(), b)), y, x)


# ----------------------------------------------------------------------------- 4. legacy linear algebra
def _spd(n, seed, batch=()):
    a = arrays(batch + (n, n), seed=seed)
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def _lower(n, seed, batch=()):
    return np.linalg.cholesky(_spd(n, seed, batch))


def _svd_invariant(t, a, some):
    U, S, V = t.svd(a, some=some)
    k = S.shape[-1]  # (the signs of singular vectors are arbitrary: compare U diag(S) V^H and |V|)
    return (U[..., :k] * S.unsqueeze(-2)) @ V[..., :k].mT, S, V.abs()


LEGACY = {
    "svd": (lambda t, a: _svd_invariant(t, a, True), (M,)),
    "svd_full": (lambda t, a: _svd_invariant(t, a, False), (M.T.copy(),)),
    "svd_method_batch": (lambda t, a: _first(a.svd()), (arrays((2, 3, 3), seed=7),)),
    "svd_values_only": (lambda t, a: t.svd(a, compute_uv=False), (M,)),
    "qr": (lambda t, a: t.qr(a), (M,)), "qr_complete": (lambda t, a: a.qr(some=False), (M.T.copy(),)),
    "cholesky": (lambda t, a: t.cholesky((a + a.mT) / 2), (_spd(3, 8),)),  # (symmetrised: gradcheck moves one entry)
    "cholesky_upper": (lambda t, a: ((a + a.mT) / 2).cholesky(upper=True), (_spd(3, 9, (2,)),)),
    "cholesky_solve": (lambda t, b, l: t.cholesky_solve(b, l), (arrays((3, 2), seed=10), _lower(3, 11))),
    "cholesky_solve_upper": (lambda t, b, u: b.cholesky_solve(u, upper=True),
                             (arrays((2, 3, 2), seed=12), _lower(3, 13).T.copy())),
    "cholesky_inverse": (lambda t, l: t.cholesky_inverse(l), (_lower(3, 14),)),
    "cholesky_inverse_upper": (lambda t, u: u.cholesky_inverse(True), (np.swapaxes(_lower(3, 15, (2,)), -1, -2).copy(),)),
    "pinverse": (lambda t, a: t.pinverse(a), (M,)), "pinverse_rcond": (lambda t, a: a.pinverse(rcond=0.3), (M,)),
    "cross": (lambda t, a, b: t.cross(a, b, dim=1), (arrays((2, 3), seed=16), arrays((2, 3), seed=17))),
    "cross_default": (lambda t, a, b: a.cross(b), (arrays((3, 3), seed=18), arrays((3, 3), seed=19))),
    "cross_broadcast": (lambda t, a, b: t.cross(a, b), (arrays((4, 3, 1), seed=20), arrays((4, 3, 5), seed=21))),
}


@pytest.mark.parametrize("name", LEGACY)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_legacy_linalg_matches_torch(name, dtype):
    fn, inputs = LEGACY[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(fn, *(a.astype(dtype) for a in inputs), atol=1e-4 if dtype == np.float32 else None,
              rtol=1e-3 if dtype == np.float32 else None)


@pytest.mark.parametrize("name", [n for n in LEGACY if not n.startswith("svd") and n != "pinverse_rcond"])
def test_legacy_linalg_gradcheck(name):  # (a truncated pinv's gradient is torch's formula, not its derivative)
    fn, inputs = LEGACY[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gradcheck(lambda t, *xs: _first(fn(t, *xs)), *inputs)


def test_legacy_svd_returns_v_and_zero_factors_without_uv():
    a = minitorch.tensor(M)
    U, S, V = minitorch.svd(a)
    assert_close(U @ minitorch.diag(S) @ V.mT, a)
    assert type(minitorch.svd(a)).__name__ == "svd" and minitorch.svd(a).V.shape == (3, 3)
    out = minitorch.svd(a, compute_uv=False)
    assert out.U.shape == (4, 4) and out.V.shape == (3, 3) and not out.U.abs().sum().item()


@pytest.mark.parametrize("call", ["qr", "cholesky", "cross"])
def test_deprecated_legacy_forms_warn_as_torch(call):  # (torch warns once per process, so only ours is tried)
    args = {"qr": (minitorch.eye(3),), "cholesky": (minitorch.eye(3),), "cross": (minitorch.eye(3), minitorch.eye(3))}
    with pytest.warns(UserWarning, match="deprecated"):
        getattr(minitorch, call)(*args[call])


@pytest.mark.parametrize("make, exc", [
    (lambda t: t.cholesky(t.ones(3)), RuntimeError), (lambda t: t.svd(t.ones(3)), RuntimeError),
    (lambda t: t.cholesky_solve(t.ones(3), t.eye(3)), RuntimeError),
    (lambda t: t.cholesky_solve(t.ones(2, 2), t.eye(3)), RuntimeError),
    (lambda t: t.cholesky_solve(t.ones(3, 2), t.eye(3, dtype=t.float64)), RuntimeError),
    (lambda t: t.cholesky_inverse(t.ones(3)), RuntimeError), (lambda t: t.cholesky_inverse(t.ones(3, 2)), RuntimeError),
    (lambda t: t.cholesky_inverse(t.eye(3, dtype=t.int64)), NotImplementedError),
    (lambda t: t.cross(t.ones(2, 4), t.ones(2, 4)), RuntimeError),
    (lambda t: t.cross(t.ones(2, 3), t.ones(2, 3), dim=0), RuntimeError),
    (lambda t: t.cholesky(-t.eye(2)), minitorch.linalg.LinAlgError),
])
def test_legacy_linalg_errors_match_torch(make, exc):
    theirs = torch.linalg.LinAlgError if exc is minitorch.linalg.LinAlgError else exc
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(theirs):
            make(torch)
        with pytest.raises(exc):
            make(minitorch)


# ----------------------------------------------------------------------------- 5. complex parts (values only)
Z = np.array([[1 + 2j, 3 - 4j, -1.5 + 0j], [0j, -2 - 1j, 0.5j]])


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_parts_match_torch(dtype):
    check(lambda t, z: (z.real, t.real(z), z.imag, t.imag(z), t.conj(z) + 0, z.conj() + 0, t.angle(z), z.angle(),
                        t.view_as_real(z), t.view_as_real(z[:, 1:]), z.real.t()), Z.astype(dtype), grad=False)
    real = np.ascontiguousarray(Z.view(np.float64).reshape(2, 3, 2)).astype(np.float32 if dtype == np.complex64
                                                                            else np.float64)
    check(lambda t, x: (t.view_as_complex(x), t.view_as_complex(x[1:]), t.complex(x[..., 0], x[..., 1]),
                        t.complex(x[0, :, 0], x[:, :1, 1]), t.polar(x[..., 0].abs(), x[..., 1])), real, grad=False,
          atol=1e-6, rtol=1e-6)  # (float32 cos/sin: numpy's and torch's may differ in the last bit)


def test_real_and_imag_are_views_that_write_through():
    for lib in (torch, minitorch):
        z = lib.tensor([1 + 2j, 3 - 4j])
        z.real[0] = 5
        z.imag[1] = 7
        lib.view_as_real(z)[1, 0] = -1
        z.imag = lib.tensor([0.5, 0.25])
        assert z.tolist() == [5 + 0.5j, -1 + 0.25j]
        c = lib.view_as_complex(lib.tensor([[1.0, 2.0], [3.0, 4.0]]))
        lib.view_as_real(c)[0, 1] = 9
        assert c.tolist() == [1 + 9j, 3 + 4j]


def test_parts_of_a_real_tensor_as_torch():
    for lib in (torch, minitorch):
        x = lib.tensor([1.0, -2.0], requires_grad=True)
        assert x.real is x and lib.real(x) is x and lib.conj(x) is x and x.conj() is x
        with pytest.raises(RuntimeError, match="imag is not implemented for tensors with non-complex dtypes"):
            x.imag
        with pytest.raises(RuntimeError):
            lib.imag(lib.tensor([1, 2]))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, bool])
def test_angle_of_real_tensors_matches_torch(dtype):
    x = np.array([-1.5, 0.0, 2.0, -0.0, np.nan, -np.inf, np.inf]) if dtype in (np.float32, np.float64) else \
        np.array([-1, 0, 2, 1]).astype(dtype)
    check(lambda t, a: t.angle(a), x.astype(dtype))


def test_complex_results_refuse_backward():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    for z in (minitorch.complex(x, x * 2), minitorch.polar(x, x), minitorch.view_as_complex(x.reshape(1, 2))):
        assert z.requires_grad and z.dtype.is_complex
        for out in (z.real.sum(), z.imag.sum(), z.angle().sum(), minitorch.view_as_real(z).sum()):
            with pytest.raises(NotImplementedError, match="does not differentiate complex tensors"):
                out.backward()


@pytest.mark.parametrize("make", [
    lambda t: t.view_as_real(t.ones(2)), lambda t: t.view_as_complex(t.ones(2, 3)),
    lambda t: t.view_as_complex(t.ones(2, 2, dtype=t.int64)), lambda t: t.view_as_complex(t.ones(2, 2).t()),
    lambda t: t.view_as_complex(t.tensor(1.0)), lambda t: t.complex(t.ones(2), t.ones(2, dtype=t.float64)),
    lambda t: t.complex(t.ones(2, dtype=t.int64), t.ones(2, dtype=t.int64)),
    lambda t: t.polar(t.tensor([1, 2]), t.tensor([0, 1])), lambda t: t.complex(t.ones(2), t.ones(3)),
])
def test_complex_parts_errors_match_torch(make):
    with pytest.raises(RuntimeError):
        make(torch)
    with pytest.raises(RuntimeError):
        make(minitorch)
