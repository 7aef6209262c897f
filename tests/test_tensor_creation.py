"""Creation of tensors: from data, filled, ranges, random; devices. Compared with torch."""
import numpy as np
import pytest
import torch

import minitorch
from oracle import assert_close, raises


@pytest.mark.parametrize("data", [[1, 2, 3], [[1.0, 2.0], [3.0, 4.0]], [True, False], 3, 2.5, True, [],
                                  [[1, 2.5]], [[True, 2]], (1, 2), [[[1], [2]]], np.float64(1.5)])
def test_tensor_from_python_data_matches_torch(data):
    mine, theirs = minitorch.tensor(data), torch.tensor(data)
    assert_close(mine, theirs)
    assert mine.shape == tuple(theirs.shape)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16, np.int32, np.int64, np.bool_, np.uint8])
def test_tensor_from_numpy_array_keeps_dtype(dtype):
    array = np.arange(6).reshape(2, 3).astype(dtype)
    assert_close(minitorch.tensor(array), torch.tensor(array))


def test_tensor_copies_but_from_numpy_and_as_tensor_share_memory():
    array = np.zeros(3, dtype=np.float32)
    copied, shared, as_t = minitorch.tensor(array), minitorch.from_numpy(array), minitorch.as_tensor(array)
    array[0] = 7
    assert copied[0].item() == 0
    assert shared[0].item() == 7 and as_t[0].item() == 7
    shared[1] = 5
    assert array[1] == 5
    assert shared.numpy() is array or np.shares_memory(shared.numpy(), array)


def test_as_tensor_copies_when_the_dtype_changes():
    array = np.zeros(3, dtype=np.float64)
    t = minitorch.as_tensor(array, dtype=minitorch.float32)
    array[0] = 1
    assert t[0].item() == 0 and t.dtype is minitorch.float32


def test_as_tensor_of_a_tensor_is_the_same_tensor():
    x = minitorch.ones(2)
    assert minitorch.as_tensor(x) is x


def test_tensor_of_tensor_copies():
    x = minitorch.ones(2)
    y = minitorch.tensor(x)
    y[0] = 5
    assert x[0].item() == 1


def test_tensor_of_list_of_0d_tensors():
    parts = [minitorch.tensor(1.0), minitorch.tensor(2.0)]
    assert_close(minitorch.tensor(parts), torch.tensor([torch.tensor(1.0), torch.tensor(2.0)]))


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("args", [(2, 3), ((2, 3),), ([4],), (0,), ((),)])
def test_filled_factories(name, args):
    mine, theirs = getattr(minitorch, name)(*args), getattr(torch, name)(*args)
    assert mine.shape == tuple(theirs.shape) and str(mine.dtype) == str(theirs.dtype)
    if name != "empty":
        assert_close(mine, theirs)


@pytest.mark.parametrize("value", [7, 2.5, True, -1])
def test_full_infers_dtype_from_value(value):
    assert_close(minitorch.full((2, 2), value), torch.full((2, 2), value))
    assert_close(minitorch.full((2,), value, dtype=minitorch.float64), torch.full((2,), value, dtype=torch.float64))


@pytest.mark.parametrize("kwargs", [dict(dtype="float64"), dict(dtype="int32"), dict(dtype="bool")])
def test_factories_with_dtype(kwargs):
    mdt, tdt = getattr(minitorch, kwargs["dtype"]), getattr(torch, kwargs["dtype"])
    for name in ["zeros", "ones"]:
        assert_close(getattr(minitorch, name)(2, 3, dtype=mdt), getattr(torch, name)(2, 3, dtype=tdt))


@pytest.mark.parametrize("args", [(5,), (2, 7), (1, 2, 0.25), (0.0, 1.0, 0.1), (10, 0, -3), (-3.5, 2), (0,)])
def test_arange_matches_torch(args):
    assert_close(minitorch.arange(*args), torch.arange(*args))


def test_arange_with_dtype():
    assert_close(minitorch.arange(5, dtype=minitorch.float64), torch.arange(5, dtype=torch.float64))


@pytest.mark.parametrize("args", [(0, 1, 5), (-2, 2, 1), (3, -3, 7), (0, 1, 0), (1, 10, 4)])
def test_linspace_matches_torch(args):
    assert_close(minitorch.linspace(*args), torch.linspace(*args))


@pytest.mark.parametrize("args", [(3,), (2, 4), (4, 2), (0,)])
def test_eye_matches_torch(args):
    assert_close(minitorch.eye(*args), torch.eye(*args))


@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "empty_like", "rand_like", "randn_like"])
def test_like_factories_keep_shape_dtype_device(name):
    x = minitorch.ones(2, 3, dtype=minitorch.float64)
    y = getattr(minitorch, name)(x)
    assert y.shape == (2, 3) and y.dtype is minitorch.float64 and y.device == x.device
    z = getattr(minitorch, name)(x, dtype=minitorch.float32)
    assert z.dtype is minitorch.float32


def test_full_like_and_randint_like():
    x = minitorch.zeros(2, 3, dtype=minitorch.int64)
    assert_close(minitorch.full_like(x, 4), torch.full_like(torch.zeros(2, 3, dtype=torch.int64), 4))
    r = minitorch.randint_like(x, 3, 6)
    assert r.shape == (2, 3) and r.dtype is minitorch.int64
    assert bool(((r >= 3) & (r < 6)).all())


def test_random_factories_shapes_ranges_and_dtypes():
    minitorch.manual_seed(0)
    u = minitorch.rand(1000)
    n = minitorch.randn(2, 500)
    i = minitorch.randint(3, 7, (1000,))
    j = minitorch.randint(5, (4, 4))
    assert u.dtype is minitorch.float32 and n.shape == (2, 500)
    assert 0 <= u.min().item() and u.max().item() < 1
    assert abs(n.mean().item()) < 0.15 and abs(n.std().item() - 1) < 0.15
    assert i.dtype is minitorch.int64 and i.min().item() == 3 and i.max().item() == 6
    assert j.shape == (4, 4) and 0 <= j.min().item() and j.max().item() < 5
    p = minitorch.randperm(10)
    assert sorted(p.tolist()) == list(range(10)) and p.dtype is minitorch.int64
    assert minitorch.rand((2, 3), dtype=minitorch.float64).dtype is minitorch.float64


def test_manual_seed_makes_random_numbers_reproducible():
    minitorch.manual_seed(123)
    first = (minitorch.rand(3), minitorch.randn(2, 2), minitorch.randint(0, 10, (5,)))
    minitorch.manual_seed(123)
    second = (minitorch.rand(3), minitorch.randn(2, 2), minitorch.randint(0, 10, (5,)))
    for a, b in zip(first, second):
        assert a.tolist() == b.tolist()
    minitorch.manual_seed(124)
    assert minitorch.rand(3).tolist() != first[0].tolist()


def test_generator_gives_a_private_stream():
    g = minitorch.Generator().manual_seed(5)
    a = minitorch.rand(3, generator=g)
    g.manual_seed(5)
    assert minitorch.rand(3, generator=g).tolist() == a.tolist()


def test_requires_grad_on_factories():
    x = minitorch.zeros(2, requires_grad=True)
    assert x.requires_grad and x.is_leaf and x.grad is None
    with raises(RuntimeError, "floating point"):
        minitorch.zeros(2, dtype=minitorch.int64, requires_grad=True)


# ----------------------------------------------------------------------------- scalars and conversions
def test_item_tolist_numpy():
    assert minitorch.tensor(3).item() == 3 and type(minitorch.tensor(3).item()) is int
    assert type(minitorch.tensor(2.5).item()) is float
    assert type(minitorch.tensor(True).item()) is bool
    assert minitorch.tensor([[1.5]]).item() == 1.5
    assert minitorch.tensor([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]
    assert minitorch.tensor(7).tolist() == 7
    x = minitorch.ones(3)
    assert isinstance(x.numpy(), np.ndarray) and np.shares_memory(x.numpy(), x.numpy())
    x.numpy()[0] = 9
    assert x[0].item() == 9
    with raises(RuntimeError, "2 elements"):
        minitorch.ones(2).item()


def test_numpy_of_a_tensor_that_requires_grad_raises():
    with raises(RuntimeError, "detach().numpy()"):
        minitorch.ones(2, requires_grad=True).numpy()


def test_python_number_conversions():
    x = minitorch.tensor(2.5)
    assert float(x) == 2.5 and int(x) == 2 and bool(x)
    assert [10, 20, 30][minitorch.tensor(1)] == 20
    assert len(minitorch.zeros(4, 2)) == 4
    assert f"{minitorch.tensor(1 / 3):.3f}" == "0.333"
    with raises(RuntimeError, "ambiguous"):
        bool(minitorch.ones(2))


def test_attributes_match_torch():
    m, t = minitorch.zeros(2, 3, 4), torch.zeros(2, 3, 4)
    assert m.shape == t.shape and m.size() == t.size() and m.size(1) == t.size(1) and m.size(-1) == 4
    assert m.ndim == t.ndim == m.dim() and m.numel() == t.numel()
    assert repr(m.shape) == repr(t.shape) == "torch.Size([2, 3, 4])"
    assert m[0].T.shape == t[0].T.shape and m.mT.shape == t.mT.shape
    assert m.stride() == t.stride() and m.is_contiguous() and not m.T.is_contiguous()
    assert m.element_size() == 4 and m.is_floating_point()
    assert m.requires_grad is False and m.grad is None and m.grad_fn is None and m.is_leaf


def test_iteration_and_contains():
    x = minitorch.tensor([[1, 2], [3, 4]])
    rows = list(x)
    assert [r.tolist() for r in rows] == [[1, 2], [3, 4]]
    assert 3 in x and 5 not in x


# ----------------------------------------------------------------------------- devices
def test_cpu_devices():
    x = minitorch.ones(2)
    assert x.device == minitorch.device("cpu") and x.device == "cpu" and not x.is_cuda
    assert str(x.device) == "cpu" and repr(x.device) == "device(type='cpu')"
    assert x.to("cpu") is x and x.cpu() is x and x.to(minitorch.device("cpu")) is x
    y = minitorch.zeros(2, device="cpu")
    assert y.device.type == "cpu"
    z = x.to("cpu", minitorch.float64)
    assert z.dtype is minitorch.float64 and z.device.type == "cpu"


def test_device_objects_like_torch():
    for spec in ["cpu", "cuda", "cuda:1"]:
        assert str(minitorch.device(spec)) == str(torch.device(spec))
        assert repr(minitorch.device(spec)) == repr(torch.device(spec))
    assert minitorch.device("cuda", 0).index == 0
    with raises(RuntimeError, "tpu"):
        minitorch.device("tpu")


@pytest.mark.skipif(minitorch.cuda.is_available(), reason="checks the message given when there is no GPU")
def test_cuda_without_gpu_says_how_to_install():
    assert minitorch.cuda.is_available() is False
    assert minitorch.cuda.device_count() == 0
    for make in [lambda: minitorch.ones(2, device="cuda"), lambda: minitorch.ones(2).cuda(),
                 lambda: minitorch.ones(2).to("cuda:0"), lambda: minitorch.tensor([1.0], device="cuda")]:
        with raises(RuntimeError, "CUDA is not available", "pip install", "[gpu]"):
            make()


# ----------------------------------------------------------------------------- bad input
def test_bad_creation_input():
    with raises(ValueError, "expected sequence of length 2 at dim 1 (got 3)"):
        minitorch.tensor([[1, 2], [3, 4, 5]])
    with raises(ValueError, "too many dimensions 'str'"):
        minitorch.tensor(["a"])
    with raises(RuntimeError, "negative dimension -1"):
        minitorch.zeros(2, -1)
    with raises(RuntimeError, "step must be nonzero"):
        minitorch.arange(0, 5, 0)
    with raises(RuntimeError, "upper bound and larger bound inconsistent"):
        minitorch.arange(0, 5, -1)
    with raises(RuntimeError, "from=5 >= to=5"):
        minitorch.randint(5, 5, (2,))
    with raises(TypeError, "expected np.ndarray"):
        minitorch.from_numpy([1, 2])


# ----------------------------------------------------------------------------- what torch accepts
# (the errors are in test_creation_errors.py)
ONE_ELEMENT_TENSORS = [
    lambda t: [t.ones(1), t.ones(1)], lambda t: [t.ones(1, 1), t.ones(1)], lambda t: [[t.ones(1)], [t.tensor(2)]],
    lambda t: [t.tensor(1, dtype=t.int32), t.tensor(2, dtype=t.int32)], lambda t: [t.tensor(1, dtype=t.int32), 3],
    lambda t: [t.tensor(True), t.tensor(2)], lambda t: [t.tensor(1.0, dtype=t.float64), t.tensor(2)],
    lambda t: [t.tensor(1.0, dtype=t.float16)], lambda t: [t.tensor(1), 2.5], lambda t: [[1, 2], t.tensor([3, 4])],
    lambda t: [[t.tensor(1), 2], [3, 4]]]


@pytest.mark.parametrize("data", ONE_ELEMENT_TENSORS)
def test_tensor_of_one_element_tensors_as_torch(data):
    assert_close(minitorch.tensor(data(minitorch)), torch.tensor(data(torch)))


@pytest.mark.parametrize("data,kwargs", [
    (range(3), {}), ([range(2), range(2)], {}), ([np.float32(1.5), 2], {}), ([np.int32(1), 2], {}),
    ([np.array([1.0, 2.0]), np.array([3.0, 4.0])], {}), ([np.arange(2), [2, 3]], {}), ([1.0, 2 ** 64], {}),
    ([2 ** 64], dict(dtype="float32")), ([2 ** 63], dict(dtype="float64")), ([2 ** 64], dict(dtype="bool")),
    ([2 ** 63 - 1, -2 ** 63], {}), ([1.7, -2.5], dict(dtype="int64")), ([[]], {}), ([[], []], {})])
@pytest.mark.filterwarnings("ignore:Creating a tensor from a list of numpy.ndarrays")  # torch's: it is slow
def test_tensor_from_other_python_data_as_torch(data, kwargs):
    mine = minitorch.tensor(data, **{k: getattr(minitorch, v) for k, v in kwargs.items()})
    assert_close(mine, torch.tensor(data, **{k: getattr(torch, v) for k, v in kwargs.items()}))


RANDINT_FORMS = [
    lambda t: t.randint(10, (2,)), lambda t: t.randint(10, size=(2,)), lambda t: t.randint(3, 10, (2,)),
    lambda t: t.randint(3, 10, size=(2,)), lambda t: t.randint(low=3, high=10, size=(2,)),
    lambda t: t.randint(high=10, size=(2, 3)), lambda t: t.randint(3, high=10, size=(2,)),
    lambda t: t.randint(0, 10, [2, 2]), lambda t: t.randint(0, 10, t.Size([4])), lambda t: t.randint(0, 10, ()),
    lambda t: t.randint(t.tensor(5), (2,)), lambda t: t.randint(np.int64(2), 5, (3,)),
    lambda t: t.randint(0, 10, (2,), dtype=t.float64), lambda t: t.randint(0, 2, (3,), dtype=t.bool),
    lambda t: t.randint(-128, 128, (5,), dtype=t.int8), lambda t: t.randint(0, 256, (5,), dtype=t.uint8),
    lambda t: t.randint(0, 10, (3,), dtype=t.float32, requires_grad=True),
    lambda t: t.randint(-2 ** 63, 2 ** 63 - 1, (2,)), lambda t: t.randint(5, (0, 3)),
    lambda t: t.randint(0, 10, (2,), generator=t.Generator().manual_seed(1), device="cpu"),
    lambda t: t.randint_like(t.ones(2, 3), 10), lambda t: t.randint_like(t.ones(2), 3, 6, dtype=t.int32)]


@pytest.mark.parametrize("call", RANDINT_FORMS)
def test_randint_call_forms_as_torch(call):
    mine, theirs = call(minitorch), call(torch)
    assert mine.shape == tuple(theirs.shape) and str(mine.dtype) == str(theirs.dtype)
    assert mine.requires_grad == theirs.requires_grad


def test_randint_keeps_within_low_and_high():
    minitorch.manual_seed(0)
    for low, high, kwargs in [(3, 10, {}), (-128, 128, dict(dtype=minitorch.int8)), (0, 2, dict(dtype=minitorch.bool))]:
        values = minitorch.randint(low, high, (2000,), **kwargs).long()
        assert values.min().item() == low and values.max().item() == high - 1


@pytest.mark.parametrize("call", [
    lambda t: t.zeros(size=(2,)), lambda t: t.ones(size=[2, 3]), lambda t: t.empty(size=(0,)),
    lambda t: t.rand(size=(2, 3)), lambda t: t.randn(size=[2]), lambda t: t.zeros(np.int64(2)),
    lambda t: t.zeros(t.tensor(2)), lambda t: t.ones(2, t.tensor(3)), lambda t: t.randperm(t.tensor(3)),
    lambda t: t.full([2], 1), lambda t: t.full(t.Size([2, 1]), 1.5), lambda t: t.rand(2, generator=None),
    lambda t: t.randn_like(t.ones(2), generator=t.Generator()), lambda t: t.normal(2, 3, size=(2,))])
def test_size_forms_as_torch(call):
    mine, theirs = call(minitorch), call(torch)
    assert mine.shape == tuple(theirs.shape) and str(mine.dtype) == str(theirs.dtype)


@pytest.mark.parametrize("name", ["rand", "randn"])
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_random_numbers_draw_both_parts_as_torch(name, dtype):
    minitorch.manual_seed(0)
    mine = getattr(minitorch, name)(20000, dtype=getattr(minitorch, dtype)).numpy()
    theirs = getattr(torch, name)(20000, dtype=getattr(torch, dtype)).numpy()
    assert mine.dtype == theirs.dtype
    for part in (np.real, np.imag):
        assert abs(part(mine).mean() - part(theirs).mean()) < 0.03
        assert abs(part(mine).var() - part(theirs).var()) < 0.03


@pytest.mark.parametrize("method", ["normal_", "uniform_", "bernoulli_"])
def test_in_place_random_fills_draw_from_the_generator_given(method):
    def draw(seed):
        return getattr(minitorch.zeros(5), method)(generator=minitorch.Generator().manual_seed(seed)).tolist()
    assert draw(3) == draw(3) and draw(3) != draw(4)
