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
