"""cosine_similarity, pairwise_distance, pdist and their modules against torch: values and gradients in
float32 and float64 (broadcasting included), gradcheck in float64, near-zero and huge vectors, torch's
errors for bad input, and the triplet loss with these as its distance function."""
import numpy as np
import pytest
import torch

import minitorch
from oracle import arrays, assert_close, check, gradcheck, raises

DTYPES = [np.float32, np.float64]

COSINE_CASES = {  # x1 shape, x2 shape, dim
    "rows": ((5, 4), (5, 4), 1),
    "columns": ((5, 4), (5, 4), 0),
    "vectors": ((4,), (4,), 0),
    "broadcast_batch": ((3, 4), (5, 1, 4), -1),
    "broadcast_inner": ((2, 3, 4), (3, 1), 1),
    "one_against_many": ((1, 4), (6, 4), 1),
    "broadcast_along_dim": ((2, 1, 3), (2, 4, 3), 1),  # x1's dim has size 1: broadcast before the norm
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", COSINE_CASES)
def test_cosine_similarity_matches_torch(case, dtype):
    shape1, shape2, dim = COSINE_CASES[case]
    x1, x2 = arrays(shape1, dtype), arrays(shape2, dtype, seed=1)
    check(lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b, dim=dim), x1, x2)
    check(lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b, dim, 0.5), x1, x2)  # eps positional


def test_cosine_similarity_default_dim_is_1_and_mixed_dtypes_promote():
    x1, x2 = arrays((3, 4, 2), np.float32), arrays((3, 4, 2), np.float64, seed=1)
    out = check(lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b), x1, x2)
    assert out[0].shape == (3, 2) and out[0].dtype == minitorch.float64


def test_cosine_similarity_integer_input_meets_float_input():
    ints = arrays((3, 4), np.int64, low=-3, high=3)
    floats = arrays((3, 4), np.float32, seed=1)
    out = check(lambda lib, a: lib.nn.functional.cosine_similarity(lib.tensor(ints), a), floats)
    assert out[0].dtype == minitorch.float32


@pytest.mark.parametrize("dtype", DTYPES)
def test_cosine_similarity_clamps_each_norm_not_their_product(dtype):
    """torch 2.x divides by max(||x1||, eps) max(||x2||, eps). With both norms 1e-5 > eps = 1e-8, the
    cosine of two parallel vectors is 1; clamping the product (1e-10) to eps would give 0.01.
    (Values only: at the maximum the true gradient is 0 and both libraries return rounding noise.)"""
    x1 = np.array([[3e-6, 4e-6], [6e-6, 8e-6]], dtype=dtype)
    out = check(lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b), x1, x1 * 2, grad=False)
    np.testing.assert_allclose(out[0].numpy(), [1.0, 1.0], rtol=1e-5)


@pytest.mark.parametrize("dtype", DTYPES)
def test_cosine_similarity_with_norms_below_eps(dtype):
    """A norm under eps counts as eps, but its gradient is still that of ||x|| (torch clamps under
    no_grad): the gradient of the tiny vector below is not x2 / (eps ||x2||)."""
    tiny = np.array([[1e-4, 2e-4, 0.0], [0.0, 0.0, 0.0]], dtype=dtype)  # norms 2.2e-4 and 0, below eps
    other = np.array([[1.0, 2.0, 3.0], [1.0, -1.0, 2.0]], dtype=dtype)
    out = check(lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b, eps=1e-3), tiny, other, rtol=1e-4)
    assert out[0][1].item() == 0.0
    x1 = minitorch.tensor(tiny, requires_grad=True)
    minitorch.nn.functional.cosine_similarity(x1, minitorch.tensor(other), eps=1e-3)[0].backward()
    straight = other[0] / (1e-3 * np.linalg.norm(other[0]))
    assert not np.allclose(x1.grad.numpy()[0], straight, rtol=1e-3)


@pytest.mark.parametrize("dtype", DTYPES)
def test_cosine_similarity_of_large_vectors(dtype):
    """Each vector is divided by its norm before the dot product: anti-parallel vectors give -1."""
    big = np.array([[1e18, 2e18, -1e18], [-3e17, 1e18, 5e17]], dtype=dtype)
    out = check(lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b), big, -3 * big, grad=False)
    np.testing.assert_allclose(out[0].numpy(), [-1.0, -1.0], rtol=1e-5)


@pytest.mark.parametrize("case", ["rows", "broadcast_batch", "broadcast_inner", "broadcast_along_dim"])
def test_cosine_similarity_gradcheck(case):
    shape1, shape2, dim = COSINE_CASES[case]
    gradcheck(lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b, dim), arrays(shape1), arrays(shape2, seed=1))


PAIRWISE_CASES = {  # x1 shape, x2 shape
    "rows": ((5, 4), (5, 4)),
    "vectors": ((4,), (4,)),
    "broadcast_one_vector": ((4,), (3, 4)),
    "broadcast_batch": ((2, 1, 4), (3, 4)),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, float("inf"), 0.5, -1.0])
@pytest.mark.parametrize("case", PAIRWISE_CASES)
def test_pairwise_distance_matches_torch(case, p, dtype):
    shape1, shape2 = PAIRWISE_CASES[case]
    x1, x2 = arrays(shape1, dtype), arrays(shape2, dtype, seed=1)
    check(lambda lib, a, b: lib.nn.functional.pairwise_distance(a, b, p), x1, x2)
    check(lambda lib, a, b: lib.nn.functional.pairwise_distance(a, b, p=p, eps=1e-2, keepdim=True), x1, x2)


@pytest.mark.parametrize("dtype", DTYPES)
def test_pairwise_distance_of_equal_inputs_is_eps_based(dtype):
    """x1 = x2: the distance is ||eps||_p = eps * D^(1/p), and eps keeps the gradient finite."""
    x = arrays((3, 4), dtype)
    out = check(lambda lib, a, b: lib.nn.functional.pairwise_distance(a, b), x, x.copy())
    np.testing.assert_allclose(out[0].detach().numpy(), np.full(3, 1e-6 * 2), rtol=1e-3)


@pytest.mark.parametrize("p", [2.0, 1.5, 3.0])
@pytest.mark.parametrize("case", ["rows", "broadcast_batch"])
def test_pairwise_distance_gradcheck(case, p):
    shape1, shape2 = PAIRWISE_CASES[case]
    gradcheck(lambda lib, a, b: lib.nn.functional.pairwise_distance(a, b, p, keepdim=True), arrays(shape1),
              arrays(shape2, seed=1))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("p", [2, 1, 3.0, float("inf"), 0])
def test_pdist_matches_torch(p, dtype):
    x = arrays((5, 3), dtype)
    x[3] = x[1]  # two identical rows: distance 0, and torch's gradient 0 for that pair
    check(lambda lib, a: lib.nn.functional.pdist(a, p), x)


@pytest.mark.parametrize("shape", [(1, 3), (0, 3), (4, 0), (2, 1)])
def test_pdist_small_shapes_match_torch(shape):
    # (torch 2.13's pdist backward crashes the process for 0 rows: values only there)
    check(lambda lib, a: lib.nn.functional.pdist(a), arrays(shape, np.float32), grad=shape[0] > 0)


def test_pdist_gradcheck():
    gradcheck(lambda lib, a: lib.nn.functional.pdist(a, 3), arrays((4, 3)))
    gradcheck(lambda lib, a: lib.nn.functional.pdist(a), arrays((4, 3)))


def test_functional_names_come_from_distance_py():
    from minitorch.nn.functional import distance
    for name in ("cosine_similarity", "pairwise_distance", "pdist"):
        assert getattr(minitorch.nn.functional, name) is getattr(distance, name)


def test_modules_match_torch_values_gradients_and_repr():
    x1, x2 = arrays((2, 5, 3), np.float32), arrays((2, 5, 3), np.float32, seed=1)
    for make in (lambda nn: nn.CosineSimilarity(), lambda nn: nn.CosineSimilarity(dim=2, eps=1e-3),
                 lambda nn: nn.PairwiseDistance(), lambda nn: nn.PairwiseDistance(p=1.0, eps=1e-3, keepdim=True)):
        mine, theirs = make(minitorch.nn), make(torch.nn)
        assert repr(mine) == repr(theirs)
        check(lambda lib, a, b: (mine if lib is minitorch else theirs)(a, b), x1, x2)
    assert vars(minitorch.nn.PairwiseDistance(3, 0.1, True)).keys() >= {"norm", "eps", "keepdim"}
    assert (minitorch.nn.CosineSimilarity(0, 0.5).dim, minitorch.nn.CosineSimilarity(0, 0.5).eps) == (0, 0.5)
    assert minitorch.nn.PairwiseDistance(3).norm == torch.nn.PairwiseDistance(3).norm == 3


DISTANCES = {
    "module_default": lambda nn, F: nn.PairwiseDistance(),
    "module_l1": lambda nn, F: nn.PairwiseDistance(p=1.0),
    "cosine_lambda": lambda nn, F: (lambda a, b: 1 - F.cosine_similarity(a, b)),
    "cosine_module": lambda nn, F: (lambda a, b: 1 - nn.CosineSimilarity()(a, b)),
    "none": lambda nn, F: None,
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("distance", DISTANCES)
def test_triplet_margin_with_distance_loss_accepts_these_distances(distance, reduction, swap, dtype):
    anchor, positive, negative = (arrays((6, 4), dtype, seed=s) for s in range(3))

    def loss(lib, a, p, n):
        fn = DISTANCES[distance](lib.nn, lib.nn.functional)
        module = lib.nn.TripletMarginWithDistanceLoss(distance_function=fn, margin=0.5, swap=swap,
                                                      reduction=reduction)
        functional = lib.nn.functional.triplet_margin_with_distance_loss(a, p, n, distance_function=fn, margin=0.5,
                                                                         swap=swap, reduction=reduction)
        return module(a, p, n), functional

    out = check(loss, anchor, positive, negative)
    assert float(out[0].sum()) > 0  # some hinges are active, so the gradients compared above are not all 0


def _same_error(call, *arrays_in, fragments=()):
    """``call(lib, *tensors)`` raises in torch; minitorch must raise the same class, naming ``fragments``."""
    with pytest.raises(Exception) as theirs:
        call(torch, *[torch.tensor(a) for a in arrays_in])
    with raises(type(theirs.value), *fragments):
        call(minitorch, *[minitorch.tensor(a) for a in arrays_in])


def test_cosine_similarity_errors_like_torch():
    cos = lambda lib, *xs, **kw: lib.nn.functional.cosine_similarity(*xs, **kw)  # noqa: E731
    _same_error(cos, arrays((3, 4)), arrays((5, 4)), fragments=("size of tensor a (3)", "[3, 4]", "[5, 4]"))
    _same_error(cos, arrays((3,)), arrays((3,)), fragments=("Dimension out of range", "[-1, 0]", "got 1"))
    _same_error(lambda lib, a, b: cos(lib, a, b, dim=2), arrays((2, 3)), arrays((2, 3)), fragments=("[-2, 1]",))
    ints = arrays((2, 3), np.int64)
    _same_error(cos, ints, ints, fragments=("expected common dtype to be floating point", "Long"))
    with pytest.raises(TypeError):
        torch.nn.functional.cosine_similarity(torch.ones(2, 3), 1.0)
    with raises(TypeError, "x2", "float"):
        minitorch.nn.functional.cosine_similarity(minitorch.ones(2, 3), 1.0)


def test_pairwise_distance_and_pdist_errors_like_torch():
    _same_error(lambda lib, a, b: lib.nn.functional.pairwise_distance(a, b), arrays((3, 4)), arrays((5, 4)),
                fragments=("[3, 4]", "[5, 4]"))
    pdist = lambda lib, x, **kw: lib.nn.functional.pdist(x, **kw)  # noqa: E731
    _same_error(pdist, arrays((2, 3, 4)), fragments=("pdist only supports 2D tensors, got: 3D", "[2, 3, 4]"))
    _same_error(pdist, arrays((3,)), fragments=("got: 1D",))
    _same_error(pdist, arrays((3, 2), np.int64), fragments=("pdist only supports floating-point dtypes",))
    _same_error(lambda lib, x: pdist(lib, x, p=-1), arrays((3, 2)), fragments=("non-negative p",))


def test_helpers_compare_for_real():
    """The oracle used above notices a wrong value: the tests cannot pass by construction."""
    x = arrays((3, 4))
    with pytest.raises(AssertionError):
        assert_close(minitorch.nn.functional.cosine_similarity(minitorch.tensor(x), minitorch.tensor(x)) * 0.999,
                     torch.nn.functional.cosine_similarity(torch.tensor(x), torch.tensor(x)))
