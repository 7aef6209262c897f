"""dtypes: inference, torch's promotion rules (not numpy's), conversions."""
import itertools

import numpy as np
import pytest
import torch

import minitorch
from oracle import assert_close, raises

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def pair(name, shape=(2,), value=1):
    array = np.full(shape, value, dtype=np.dtype(name if name != "bool" else np.bool_))
    return minitorch.tensor(array), torch.tensor(array)


@pytest.mark.parametrize("a,b", list(itertools.product(NAMES, NAMES)))
def test_promote_types_matches_torch(a, b):
    mine = minitorch.promote_types(getattr(minitorch, a), getattr(minitorch, b))
    assert str(mine) == str(torch.promote_types(getattr(torch, a), getattr(torch, b)))


@pytest.mark.parametrize("a,b", list(itertools.product(NAMES, NAMES)))
def test_binary_op_result_dtype_tensor_with_tensor_and_0d(a, b):
    (ma, ta), (mb, tb) = pair(a), pair(b)
    assert str((ma * mb).dtype) == str((ta * tb).dtype)
    (m0, t0) = pair(b, shape=())
    assert str((ma + m0).dtype) == str((ta + t0).dtype), "0-d tensors only win by category"


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("number", [True, 2, 2.5, 1 + 2j])
def test_python_numbers_only_win_by_category(name, number):
    mine, theirs = pair(name)
    if name == "float16" and isinstance(number, complex):
        pytest.skip("torch gives complex32 (ComplexHalf), a dtype minitorch does not have")
    assert str((mine * number).dtype) == str((theirs * number).dtype)
    assert str((number + mine).dtype) == str((number + theirs).dtype)


@pytest.mark.parametrize("name", NAMES)
def test_true_division_gives_floats(name):
    mine, theirs = pair(name, value=3)
    assert_close(mine / 2, theirs / 2)
    assert_close(mine / mine, theirs / theirs)


def test_promotion_examples_from_the_issue():
    assert minitorch.tensor([1, 2]).dtype is minitorch.int64
    assert minitorch.tensor([1.0, 2]).dtype is minitorch.float32
    assert (minitorch.tensor([1, 2]) / minitorch.tensor([2, 2])).dtype is minitorch.float32
    assert (minitorch.tensor([1, 2]) * 2.5).dtype is minitorch.float32
    assert (minitorch.tensor([1, 2], dtype=minitorch.float16) * minitorch.tensor(2.0, dtype=minitorch.float64)).dtype \
        is minitorch.float16
    assert (minitorch.tensor([1, 2]) * minitorch.tensor(2.0, dtype=minitorch.float64)).dtype is minitorch.float64
    assert (minitorch.tensor(1) + minitorch.tensor(2.0, dtype=minitorch.float64)).dtype is minitorch.float64
    assert minitorch.result_type(minitorch.tensor([1]), 1.0) is minitorch.float32


def test_float16_arithmetic():
    x = np.linspace(-2, 2, 7).astype(np.float16)
    mine, theirs = minitorch.tensor(x), torch.tensor(x)
    assert_close(mine * 3 + 1, theirs * 3 + 1)
    assert_close((mine * mine).sum(), (theirs * theirs).sum())


@pytest.mark.parametrize("method", ["float", "double", "half", "long", "int", "short", "bool", "byte", "char"])
def test_conversion_methods(method):
    data = [-1.5, 0.0, 2.7]
    assert_close(getattr(minitorch.tensor(data), method)(), getattr(torch.tensor(data), method)())


@pytest.mark.parametrize("target", ["float16", "float32", "float64", "int32", "int64", "bool"])
def test_to_dtype(target):
    data = [[0.0, 1.25], [-3.0, 4.5]]
    assert_close(minitorch.tensor(data).to(getattr(minitorch, target)), torch.tensor(data).to(getattr(torch, target)))
    assert_close(minitorch.tensor(data).to(dtype=getattr(minitorch, target)),
                 torch.tensor(data).to(dtype=getattr(torch, target)))


def test_to_returns_self_when_nothing_changes_and_copy_otherwise():
    x = minitorch.ones(2)
    assert x.to(minitorch.float32) is x
    assert x.to(minitorch.float32, copy=True) is not x
    y = minitorch.ones(2, dtype=minitorch.float64)
    assert x.to(y).dtype is minitorch.float64 and x.type_as(y).dtype is minitorch.float64


def test_cast_is_differentiable():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = x.double() * 3
    y.sum().backward()
    assert x.grad.dtype is minitorch.float32 and x.grad.tolist() == [3.0, 3.0]


def test_dtype_objects():
    assert repr(minitorch.float32) == "torch.float32"
    assert minitorch.float is minitorch.float32 and minitorch.double is minitorch.float64
    assert minitorch.long is minitorch.int64 and minitorch.half is minitorch.float16
    assert minitorch.float32.is_floating_point and not minitorch.int64.is_floating_point
    assert minitorch.get_default_dtype() is minitorch.float32
    assert minitorch.tensor([1.0]).is_floating_point()
    assert minitorch.can_cast(minitorch.int64, minitorch.float32)
    assert not minitorch.can_cast(minitorch.float32, minitorch.int64)


def test_set_default_dtype():
    try:
        minitorch.set_default_dtype(minitorch.float64)
        assert minitorch.tensor([1.5]).dtype is minitorch.float64
        assert minitorch.zeros(2).dtype is minitorch.float64
        assert (minitorch.tensor([1]) / 2).dtype is minitorch.float64
    finally:
        minitorch.set_default_dtype(minitorch.float32)
    with raises(TypeError, "floating"):
        minitorch.set_default_dtype(minitorch.int64)


def test_in_place_ops_keep_the_dtype_and_refuse_downcasts():
    x = minitorch.tensor([1, 2])
    x += 3
    assert x.dtype is minitorch.int64 and x.tolist() == [4, 5]
    with raises(RuntimeError, "Float", "Long"):
        x *= 1.5
    f = minitorch.tensor([1.0, 2.0])
    f += minitorch.tensor([1, 1])
    assert f.dtype is minitorch.float32


def test_unsupported_numpy_dtype():
    with raises(TypeError, "minitorch supports only"):
        minitorch.from_numpy(np.array(["a"]))


# ----------------------------------------------------------------------------- finfo, iinfo
FLOATS = ["float16", "float32", "float64", "complex64", "complex128"]
INTS = ["uint8", "int8", "int16", "int32", "int64"]


@pytest.mark.parametrize("name", FLOATS)
def test_finfo_matches_torch(name):
    mine, theirs = minitorch.finfo(getattr(minitorch, name)), torch.finfo(getattr(torch, name))
    for attribute in ["bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"]:
        value = getattr(mine, attribute)
        assert value == getattr(theirs, attribute) and type(value) is type(getattr(theirs, attribute)), attribute
    assert repr(mine) == repr(theirs) and str(mine) == str(theirs)


@pytest.mark.parametrize("name", INTS)
def test_iinfo_matches_torch(name):
    mine, theirs = minitorch.iinfo(getattr(minitorch, name)), torch.iinfo(getattr(torch, name))
    for attribute in ["bits", "max", "min", "dtype"]:
        value = getattr(mine, attribute)
        assert value == getattr(theirs, attribute) and type(value) is type(getattr(theirs, attribute)), attribute
    assert repr(mine) == repr(theirs)


def test_finfo_defaults_and_python_types():
    assert repr(minitorch.finfo()) == repr(torch.finfo())
    assert minitorch.finfo(float).dtype == torch.finfo(float).dtype == "float64"
    assert minitorch.iinfo(int).max == torch.iinfo(int).max
    assert minitorch.finfo(minitorch.float32) == minitorch.finfo() != minitorch.finfo(minitorch.float64)
    try:
        minitorch.set_default_dtype(minitorch.float64)
        torch.set_default_dtype(torch.float64)
        assert minitorch.finfo().dtype == torch.finfo().dtype == "float64"
    finally:
        minitorch.set_default_dtype(minitorch.float32)
        torch.set_default_dtype(torch.float32)
    with raises(TypeError, "unhashable"):
        hash(minitorch.finfo())


@pytest.mark.parametrize("call,fragments", [
    (lambda t: t.finfo(t.int64), ["torch.finfo() requires a floating point input type", "Use torch.iinfo"]),
    (lambda t: t.finfo(t.bool), ["torch.finfo() requires a floating point input type"]),
    (lambda t: t.finfo(int), ["torch.finfo() requires a floating point input type"]),
    (lambda t: t.finfo("float32"), ["finfo(): argument 'type' (position 1) must be torch.dtype, not str"]),
    (lambda t: t.finfo(None), ["finfo(): argument 'type' (position 1) must be torch.dtype, not NoneType"]),
    (lambda t: t.finfo(t.ones(2)), ["finfo(): argument 'type' (position 1) must be torch.dtype, not Tensor"]),
    (lambda t: t.iinfo(t.float32), ["torch.iinfo() requires an integer input type", "Use torch.finfo"]),
    (lambda t: t.iinfo(t.complex64), ["torch.iinfo() requires an integer input type"]),
    (lambda t: t.iinfo(t.bool), ["torch.bool is not supported by torch.iinfo"]),
    (lambda t: t.iinfo(None), ["iinfo(): argument 'type' (position 1) must be torch.dtype, not NoneType"]),
    (lambda t: t.iinfo(), ["iinfo", "missing 1 required positional argument"])])
def test_finfo_iinfo_errors_as_torch(call, fragments):
    with pytest.raises(TypeError) as theirs:
        call(torch)
    with raises(TypeError, *fragments):
        call(minitorch)
    assert all(fragment in str(theirs.value) for fragment in fragments)


# ----------------------------------------------------------------------------- legacy tensor types
LEGACY = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor",
          "ByteTensor", "BoolTensor"]


@pytest.mark.parametrize("name", LEGACY)
@pytest.mark.parametrize("args", [([1, 0, 2],), ([[1.7, 0], [2, 3]],), ((2, 3),), (range(3),), ([],), ()])
def test_legacy_constructors_from_data(name, args):
    assert_close(getattr(minitorch, name)(*args), getattr(torch, name)(*args))


@pytest.mark.parametrize("name", LEGACY)
def test_legacy_constructors_from_sizes_numpy_and_tensors(name):
    mine, theirs = getattr(minitorch, name), getattr(torch, name)
    for args, kwargs in [((2, 3), {}), ((0,), {}), ((), dict(size=(2,))), ((2,), dict(device="cpu"))]:
        m, t = mine(*args, **kwargs), theirs(*args, **kwargs)
        assert m.shape == tuple(t.shape) and str(m.dtype) == str(t.dtype) and m.type() == t.type() == f"torch.{name}"
    assert mine(minitorch.Size([2, 3])).shape == (2, 3)
    assert_close(mine(np.array([1, 0, 3])), theirs(np.array([1, 0, 3])))
    x = minitorch.tensor([1, 0], dtype=mine.dtype)
    assert mine(x).tolist() == x.tolist()
    assert str(mine.dtype) == str(theirs.dtype) and repr(mine) == repr(theirs) == f"<class 'torch.{name}'>"


def test_isinstance_of_legacy_types_checks_the_dtype_as_torch():
    for dtype in NAMES:
        mine, theirs = minitorch.ones(2, dtype=getattr(minitorch, dtype)), torch.ones(2, dtype=getattr(torch, dtype))
        for name in LEGACY:
            assert isinstance(mine, getattr(minitorch, name)) == isinstance(theirs, getattr(torch, name)), (dtype, name)
    assert isinstance(minitorch.nn.Parameter(minitorch.ones(2)), minitorch.FloatTensor)
    assert not isinstance([1.0], minitorch.FloatTensor)
    assert not issubclass(minitorch.FloatTensor, minitorch.Tensor) and not issubclass(torch.FloatTensor, torch.Tensor)


@pytest.mark.parametrize("name", LEGACY)
def test_type_converts_to_a_legacy_type(name):
    assert_close(minitorch.tensor([0.0, 1.5]).type(getattr(minitorch, name)),
                 torch.tensor([0.0, 1.5]).type(getattr(torch, name)))
