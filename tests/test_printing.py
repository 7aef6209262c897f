"""repr of tensors compared character for character with torch's."""
import pytest
import torch

import minitorch


def same_repr(make):
    mine, theirs = repr(make(minitorch)), repr(make(torch))
    assert mine == theirs, f"\nminitorch: {mine}\ntorch:     {theirs}"


CASES = {
    "ints": lambda t: t.tensor([1, 2, 3]),
    "negative_ints": lambda t: t.tensor([[-10, 2], [3, 400]]),
    "floats": lambda t: t.tensor([0.1, 2.5, -3.25]),
    "whole_floats": lambda t: t.tensor([[1.0, 2.0]]),
    "negative_whole": lambda t: t.tensor([-1.0, 20.0]),
    "sci_small": lambda t: t.tensor([1e-5, 1.0]),
    "sci_large": lambda t: t.tensor([1e9, 1.0]),
    "sci_range": lambda t: t.tensor([0.001, 10.0, 1234.5]),
    "bool": lambda t: t.tensor([True, False]),
    "float64": lambda t: t.tensor([1.5, 2.0], dtype=t.float64),
    "float16": lambda t: t.tensor([1.5, 2.0], dtype=t.float16),
    "int32": lambda t: t.tensor([1, 2], dtype=t.int32),
    "uint8": lambda t: t.tensor([1, 2], dtype=t.uint8),
    "requires_grad": lambda t: t.tensor([[1.0, 2.0]], requires_grad=True),
    "grad_fn_mul": lambda t: t.tensor([1.0, 2.0], requires_grad=True) * 2,
    "grad_fn_add": lambda t: t.tensor([1.0, 2.0], requires_grad=True) + 2,
    "grad_fn_sum": lambda t: t.tensor([1.0, 2.0], requires_grad=True).sum(),
    "grad_fn_exp": lambda t: t.tensor([1.0, 2.0], requires_grad=True).exp(),
    "grad_fn_float64": lambda t: t.tensor([1.0, 2.0], dtype=t.float64, requires_grad=True) * 2,
    "zero_dim_float": lambda t: t.tensor(3.5),
    "zero_dim_int": lambda t: t.tensor(7),
    "zero_dim_whole": lambda t: t.tensor(2.0),
    "zero_dim_bool": lambda t: t.tensor(True),
    "empty": lambda t: t.tensor([]),
    "empty_2d": lambda t: t.zeros(0, 3),
    "empty_int": lambda t: t.zeros(0, dtype=t.int64),
    "large_summarized": lambda t: t.arange(2000.0),
    "large_2d": lambda t: t.arange(3000).reshape(100, 30),
    "matrix": lambda t: t.arange(12.0).reshape(3, 4) / 7,
    "3d": lambda t: t.arange(24).reshape(2, 3, 4),
    "wide": lambda t: t.arange(30.0) * 1.5,
    "nan_inf": lambda t: t.tensor([float("nan"), float("inf"), -float("inf"), 1.5]),
    "nan_whole": lambda t: t.tensor([float("nan"), 1.0]),
    "zeros": lambda t: t.zeros(2, 2),
    "negative_zero": lambda t: t.tensor([-0.0, 1.0]),
    "mixed_magnitudes": lambda t: t.tensor([123.456, 0.5]),
    "big_whole": lambda t: t.tensor([100000.0, 3.0]),
}


@pytest.mark.parametrize("name", CASES)
def test_repr_matches_torch(name):
    same_repr(CASES[name])


def test_str_and_print_options():
    assert str(minitorch.tensor([1.5])) == str(torch.tensor([1.5]))
    try:
        minitorch.set_printoptions(precision=2)
        torch.set_printoptions(precision=2)
        same_repr(lambda t: t.tensor([1.23456, 2.0]))
    finally:
        minitorch.set_printoptions(profile="default")
        torch.set_printoptions(profile="default")


def test_size_and_dtype_and_device_repr():
    assert repr(minitorch.zeros(2, 3).shape) == repr(torch.zeros(2, 3).shape)
    assert repr(minitorch.float64) == repr(torch.float64)
    assert repr(minitorch.device("cpu")) == repr(torch.device("cpu"))
    assert repr(minitorch.ones(2, requires_grad=True).sum().grad_fn).startswith("<SumBackward0 object at")


@pytest.mark.parametrize("make", [lambda t: t.arange(5000.0).reshape(10, 20, 25) / 3,
                                  lambda t: t.arange(1200).reshape(2, 600) > 500,
                                  lambda t: t.ones(3, 4, dtype=t.float64, requires_grad=True) * 3,
                                  lambda t: t.tensor([[1e-10, 1.0], [2.0, 3.0]], dtype=t.float64)])
def test_repr_of_larger_and_mixed_tensors(make):
    same_repr(make)
