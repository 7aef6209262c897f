"""Mistakes when making tensors: each call raises in minitorch what it raises in torch.

Every case is run in both libraries: the exception class must be torch's, and every fragment
must be in torch's message and in ours (ours may add a hint after torch's words).
"""
import numpy as np
import pytest
import torch

import minitorch


def same_error(call, *fragments):
    """``call(torch)`` and ``call(minitorch)`` both raise, the same exception class, each message
    holding every fragment."""
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(Exception) as mine:
        call(minitorch)
    assert type(mine.value) is type(theirs.value), \
        f"{type(mine.value).__name__}({mine.value}) where torch raises {type(theirs.value).__name__}({theirs.value})"
    for fragment in fragments:
        assert fragment in str(theirs.value), f"torch's message changed: {theirs.value}"
        assert fragment in str(mine.value), f"{fragment!r} not in {mine.value}"
    return mine.value


# ----------------------------------------------------------------------------- random numbers need a floating dtype
NOT_FOR_INTEGERS = [
    (lambda t: t.randn(4, dtype=t.int64), '"normal_kernel_cpu" not implemented for \'Long\''),
    (lambda t: t.rand(3, dtype=t.int64), '"check_uniform_bounds" not implemented for \'Long\''),
    (lambda t: t.rand_like(t.tensor([1, 2, 3])), '"check_uniform_bounds" not implemented for \'Long\''),
    (lambda t: t.randn_like(t.tensor([1, 2, 3])), '"normal_kernel_cpu" not implemented for \'Long\''),
    (lambda t: t.randn_like(t.ones(2), dtype=t.int32), '"normal_kernel_cpu" not implemented for \'Int\''),
    (lambda t: t.randn(2, dtype=t.bool), '"normal_kernel_cpu" not implemented for \'Bool\''),
    (lambda t: t.rand(2, dtype=t.uint8), '"check_uniform_bounds" not implemented for \'Byte\''),
    (lambda t: t.rand(2, 2, dtype=t.int16, requires_grad=True), "not implemented for 'Short'"),
    (lambda t: t.normal(0.0, 1.0, (2,), dtype=t.int64), '"normal_kernel_cpu" not implemented for \'Long\''),
    (lambda t: t.normal(t.tensor([1, 2]), 1.0), '"normal_kernel_cpu" not implemented for \'Long\''),
    (lambda t: t.bernoulli(t.tensor([1, 0])), '"bernoulli_tensor_cpu_p_" not implemented for \'Long\''),
    (lambda t: t.randperm(3, dtype=t.bool), '"randperm" not implemented for \'Bool\''),
]


@pytest.mark.parametrize("call,fragment", NOT_FOR_INTEGERS)
def test_random_floats_refuse_integer_dtypes(call, fragment):
    same_error(call, fragment)


def test_random_float_errors_say_what_to_use_instead():
    with pytest.raises(NotImplementedError) as info:
        minitorch.rand(3, dtype=minitorch.int64)
    assert "torch.randint" in str(info.value) and "torch.float32" in str(info.value)


def test_random_integer_draws_still_work_where_torch_allows_them():
    for call in [lambda t: t.randint(0, 10, (3,), dtype=t.float32), lambda t: t.randperm(3, dtype=t.float32),
                 lambda t: t.bernoulli(t.tensor([1, 0]), 0.5), lambda t: t.rand_like(t.tensor([1, 2]), dtype=t.float64),
                 lambda t: t.normal(t.tensor([1.0, 2.0]), t.tensor([1, 2]))]:
        mine, theirs = call(minitorch), call(torch)
        assert str(mine.dtype) == str(theirs.dtype) and mine.shape == theirs.shape


# ----------------------------------------------------------------------------- tensor(data)
DATA_ERRORS = [
    (ValueError, lambda t: t.tensor([t.ones(2), t.ones(2)]), "only one element tensors can be converted to Python "
                                                             "scalars"),
    (ValueError, lambda t: t.tensor([t.ones(2, 2)]), "only one element tensors"),
    (ValueError, lambda t: t.tensor([t.ones(0)]), "only one element tensors"),
    (ValueError, lambda t: t.tensor((t.ones(2),)), "only one element tensors"),
    (RuntimeError, lambda t: t.tensor([1, None]), "Could not infer dtype of NoneType"),
    (RuntimeError, lambda t: t.tensor(None), "Could not infer dtype of NoneType"),
    (RuntimeError, lambda t: t.tensor({1: 2}), "Could not infer dtype of dict"),
    (RuntimeError, lambda t: t.tensor([[object()]]), "Could not infer dtype of object"),
    (ValueError, lambda t: t.tensor([2 ** 64]), "Overflow when unpacking long long"),
    (ValueError, lambda t: t.tensor(2 ** 63), "Overflow when unpacking long long"),
    (ValueError, lambda t: t.tensor([[1], [-2 ** 63 - 1]]), "Overflow when unpacking long long"),
    (ValueError, lambda t: t.tensor([2 ** 64], dtype=t.int32), "Overflow when unpacking long long"),
    (TypeError, lambda t: t.tensor([1 + 2j, 2], dtype=t.float64), "must be real number, not complex"),
    (ValueError, lambda t: t.tensor(["a", "b"]), "too many dimensions 'str'"),
    (TypeError, lambda t: t.tensor([[1, "a"]]), "new(): invalid data type 'str'"),
    (TypeError, lambda t: t.tensor("a"), "new(): invalid data type 'str'"),
    (TypeError, lambda t: t.tensor([b"a"]), "new(): invalid data type 'bytes'"),
    (TypeError, lambda t: t.tensor([1, [2]]), "'list' object cannot be interpreted as"),
    (TypeError, lambda t: t.tensor([[1], 2]), "not a sequence"),
    (TypeError, lambda t: t.tensor([[1, 2], 3]), "not a sequence"),
    (ValueError, lambda t: t.tensor([[1, 2], [3]]), "expected sequence of length 2 at dim 1 (got 1)"),
    (ValueError, lambda t: t.tensor([[[1, 2]], [[3]]]), "expected sequence of length 2 at dim 2 (got 1)"),
]


@pytest.mark.parametrize("exc,call,fragment", DATA_ERRORS)
def test_tensor_data_errors(exc, call, fragment):
    assert isinstance(same_error(call, fragment), exc)


def test_a_list_of_tensors_says_to_stack_them():
    with pytest.raises(ValueError) as info:
        minitorch.tensor([minitorch.ones(2), minitorch.ones(2)])
    assert "torch.stack" in str(info.value)


REVERSED = [lambda: np.arange(3)[::-1], lambda: np.arange(6).reshape(2, 3)[:, ::-1],
            lambda: np.arange(3.0)[2:1:-1], lambda: np.arange(3)[::-1][:0]]


@pytest.mark.parametrize("make", REVERSED)
@pytest.mark.parametrize("factory", ["from_numpy", "tensor", "as_tensor"])
def test_numpy_arrays_with_negative_strides(make, factory):
    same_error(lambda t: getattr(t, factory)(make()), "At least one stride in the given numpy array is negative",
               "tensors with negative strides are not currently supported", "array.copy()")


@pytest.mark.parametrize("factory", ["from_numpy", "tensor", "as_tensor"])
def test_numpy_arrays_with_positive_steps_or_copied_still_work(factory):
    for array in [np.arange(6).reshape(2, 3)[:, ::2], np.arange(3)[::-1].copy()]:
        mine, theirs = getattr(minitorch, factory)(array), getattr(torch, factory)(array)
        assert mine.tolist() == theirs.tolist()


# ----------------------------------------------------------------------------- randint's signatures
RANDINT_ERRORS = [
    (TypeError, lambda t: t.randint(0, 10), "randint(): argument 'size' (position 2) must be tuple of ints, not int"),
    (TypeError, lambda t: t.randint(10, 3), "randint(): argument 'size' (position 2) must be tuple of ints, not int"),
    (TypeError, lambda t: t.randint(10, None), "argument 'size' (position 2) must be tuple of ints, not NoneType"),
    (TypeError, lambda t: t.randint(10), "randint() received an invalid combination of arguments - got (int), but "
                                         "expected one of:", "(int high, tuple of ints size",
     "(int low, int high, tuple of ints size"),
    (TypeError, lambda t: t.randint(), "randint() received an invalid combination of arguments - got ()"),
    (TypeError, lambda t: t.randint(1, 2, 3, 4), "got (int, int, int, int)"),
    (TypeError, lambda t: t.randint(low=3, size=(2,)), "randint()"),
    (TypeError, lambda t: t.randint(0, 10, 3), "randint()", "tuple of ints"),
    (TypeError, lambda t: t.randint(0, 10, size=2), "randint()", "tuple of ints"),
    (TypeError, lambda t: t.randint(0.5, 10, (2,)), "randint()", "float"),
    (TypeError, lambda t: t.randint(0, 10.7, (2,)), "randint()", "float"),
    (TypeError, lambda t: t.randint(True, (2,)), "randint(): argument 'high' (position 1) must be int, not bool"),
    (TypeError, lambda t: t.randint("a", (2,)), "randint(): argument 'high' (position 1) must be int, not str"),
    (TypeError, lambda t: t.randint(0, 10, (2.0,)), "randint()", "tuple of ints"),
    (RuntimeError, lambda t: t.randint(5, 5, (2,)), "random_ expects 'from' to be less than 'to', but got from=5 >= "
                                                    "to=5"),
    (RuntimeError, lambda t: t.randint(0, 10, (-1,)), "Trying to create tensor with negative dimension -1: [-1]"),
    (RuntimeError, lambda t: t.randint(3, (2, -1)), "Trying to create tensor with negative dimension -1: [2, -1]"),
    (RuntimeError, lambda t: t.randint(-200, 10, (2,), dtype=t.int8), "from is out of bounds for signed char"),
    (RuntimeError, lambda t: t.randint(0, 257, (2,), dtype=t.uint8), "to - 1 is out of bounds for unsigned char"),
    (RuntimeError, lambda t: t.randint(-1, 5, (2,), dtype=t.uint8), "from is out of bounds for unsigned char"),
    (RuntimeError, lambda t: t.randint(0, 2 ** 16, (2,), dtype=t.int16), "to - 1 is out of bounds for short int"),
    (RuntimeError, lambda t: t.randint(0, 2 ** 40, (2,), dtype=t.int32), "to - 1 is out of bounds for int"),
    (RuntimeError, lambda t: t.randint(0, 3, (2,), dtype=t.bool), "to - 1 is out of bounds for bool"),
    (RuntimeError, lambda t: t.randint(-1, 1, (2,), dtype=t.bool), "from is out of bounds for bool"),
    (ValueError, lambda t: t.randint(0, 2 ** 64, (2,)), "Overflow when unpacking long long"),
]


@pytest.mark.parametrize("exc,call,fragments", [(c[0], c[1], c[2:]) for c in RANDINT_ERRORS])
def test_randint_errors(exc, call, fragments):
    assert isinstance(same_error(call, *fragments), exc)


def test_randint_without_size_explains_the_signature():
    with pytest.raises(TypeError) as info:
        minitorch.randint(0, 10)
    assert "torch.randint(0, 10, (3,))" in str(info.value)


# ----------------------------------------------------------------------------- generator=
@pytest.mark.parametrize("call", [
    lambda t: t.rand(2, generator=5), lambda t: t.randn(2, generator="seed"), lambda t: t.randperm(3, generator=5),
    lambda t: t.randint(0, 10, (2,), generator=5), lambda t: t.randint(10, (2,), generator=1.5),
    lambda t: t.normal(0.0, 1.0, (2,), generator=5), lambda t: t.bernoulli(t.ones(2) / 2, generator=5),
    lambda t: t.multinomial(t.ones(2), 1, generator=5), lambda t: t.rand_like(t.ones(2), generator=5),
    lambda t: t.randn_like(t.ones(2), generator=5)])
def test_generator_must_be_a_generator(call):
    same_error(call, "generator")


def test_generator_error_names_the_function_and_the_type():
    same_error(lambda t: t.multinomial(t.ones(2), 1, generator=5),
               "multinomial(): argument 'generator' must be torch.Generator, not int")
    with pytest.raises(TypeError) as info:
        minitorch.rand(2, generator=5)
    assert "rand(): argument 'generator' must be torch.Generator, not int" in str(info.value)


# ----------------------------------------------------------------------------- sizes
SIZE_ERRORS = [
    (TypeError, lambda t: t.zeros(2.0), "zeros(): argument 'size' (position 1) must be tuple of ints, not float"),
    (TypeError, lambda t: t.ones(2.0), "ones(): argument 'size' (position 1) must be tuple of ints, not float"),
    (TypeError, lambda t: t.empty(2.5), "empty(): argument 'size' (position 1) must be tuple of ints, not float"),
    (TypeError, lambda t: t.rand(2.0), "rand(): argument 'size' (position 1) must be tuple of ints, not float"),
    (TypeError, lambda t: t.randn(3 / 2), "randn(): argument 'size' (position 1) must be tuple of ints, not float"),
    (TypeError, lambda t: t.zeros([2.0]), "zeros(): argument 'size' (position 1) must be tuple of ints, but found "
                                          "element of type float at pos 0"),
    (TypeError, lambda t: t.full((2.0,), 1), "full(): argument 'size' (position 1) must be tuple of ints, but found "
                                             "element of type float at pos 0"),
    (TypeError, lambda t: t.zeros([[2]]), "must be tuple of ints, but found element of type list at pos 0"),
    (TypeError, lambda t: t.zeros(2, 2.0), "zeros(): argument 'size' failed to unpack the object at pos 2 with error "
                                           "\"type must be tuple of ints,but got float\""),
    (TypeError, lambda t: t.randn(2, 3.0), "randn(): argument 'size' failed to unpack the object at pos 2"),
    (TypeError, lambda t: t.zeros((2, 2.0)), "zeros(): argument 'size'", "float"),
    (TypeError, lambda t: t.zeros(None), "zeros(): argument 'size' (position 1) must be tuple of ints, not NoneType"),
    (TypeError, lambda t: t.zeros("a"), "zeros(): argument 'size' (position 1) must be tuple of ints, not str"),
    (TypeError, lambda t: t.zeros(True), "zeros(): argument 'size' (position 1) must be tuple of ints, not bool"),
    (TypeError, lambda t: t.zeros(t.tensor(2.0)), "must be tuple of ints, not Tensor"),
    (TypeError, lambda t: t.zeros(t.tensor([2, 3])), "must be tuple of ints, not Tensor"),
    (TypeError, lambda t: t.zeros(np.float64(2)), "must be tuple of ints, not numpy.float64"),
    (TypeError, lambda t: t.full(2, 1), "full(): argument 'size' (position 1) must be tuple of ints, not int"),
    (TypeError, lambda t: t.zeros(), "zeros() missing 1 required positional arguments: \"size\""),
    (TypeError, lambda t: t.ones(), "ones() missing 1 required positional arguments: \"size\""),
    (TypeError, lambda t: t.empty(), "empty() missing 1 required positional arguments: \"size\""),
    (TypeError, lambda t: t.zeros(2, size=(2,)), "zeros() got multiple values for argument 'size'"),
    (TypeError, lambda t: t.randperm(2.0), "randperm(): argument 'n' (position 1) must be int, not float"),
    (TypeError, lambda t: t.randperm(True), "randperm(): argument 'n' (position 1) must be int, not bool"),
    (TypeError, lambda t: t.normal(0.0, 1.0), "normal() received an invalid combination of arguments - got (float, "
                                              "float), but expected one of:"),
    (RuntimeError, lambda t: t.zeros(-1), "zeros: Dimension size must be non-negative."),
    (RuntimeError, lambda t: t.zeros(2, -1), "zeros: Dimension size must be non-negative."),
    (RuntimeError, lambda t: t.ones(-1), "Trying to create tensor with negative dimension -1: [-1]"),
    (RuntimeError, lambda t: t.ones(2, -3), "Trying to create tensor with negative dimension -3: [2, -3]"),
    (RuntimeError, lambda t: t.empty((2, -3)), "Trying to create tensor with negative dimension -3: [2, -3]"),
    (RuntimeError, lambda t: t.full((-1,), 2.0), "Trying to create tensor with negative dimension -1: [-1]"),
    (RuntimeError, lambda t: t.rand(-1), "Trying to create tensor with negative dimension -1: [-1]"),
    (RuntimeError, lambda t: t.randn(2, -1), "Trying to create tensor with negative dimension -1: [2, -1]"),
    (RuntimeError, lambda t: t.randperm(-1), "Trying to create tensor with negative dimension -1: [-1]"),
    (RuntimeError, lambda t: t.normal(0.0, 1.0, (-1,)), "Trying to create tensor with negative dimension -1: [-1]"),
    (RuntimeError, lambda t: t.eye(-1), "n must be greater or equal to 0, got -1"),
    (RuntimeError, lambda t: t.eye(2, -1), "m must be greater or equal to 0, got -1"),
    (RuntimeError, lambda t: t.normal(0.0, -1.0, (2,)), "normal expects std >= 0.0, but found std -1"),
    (RuntimeError, lambda t: t.normal(t.zeros(1), t.tensor([-1.0])), "normal expects all elements of std >= 0.0"),
]


@pytest.mark.parametrize("exc,call,fragments", [(c[0], c[1], c[2:]) for c in SIZE_ERRORS])
def test_size_errors(exc, call, fragments):
    assert isinstance(same_error(call, *fragments), exc)


def test_a_float_size_hints_at_integer_division():
    with pytest.raises(TypeError) as info:
        minitorch.zeros(4 / 2)
    assert "n // 2" in str(info.value)


# ----------------------------------------------------------------------------- legacy tensor types
LEGACY_ERRORS = [
    (TypeError, lambda t: t.FloatTensor(2.0), "new(): data must be a sequence (got float)"),
    (TypeError, lambda t: t.FloatTensor(None), "new(): data must be a sequence (got NoneType)"),
    (TypeError, lambda t: t.LongTensor(True), "new(): data must be a sequence (got bool)"),
    (TypeError, lambda t: t.FloatTensor(t.tensor([1, 2])), "expected"),
    (TypeError, lambda t: t.FloatTensor(2, 3.0), "argument 'size' failed to unpack the object at pos 2"),
    (TypeError, lambda t: t.FloatTensor(2, dtype=t.float64), "dtype"),
    (RuntimeError, lambda t: t.FloatTensor(-1), "Trying to create tensor with negative dimension -1: [-1]"),
    (ValueError, lambda t: t.LongTensor([2 ** 64]), "Overflow when unpacking long long"),
]


@pytest.mark.parametrize("exc,call,fragment", LEGACY_ERRORS)
def test_legacy_constructor_errors(exc, call, fragment):
    assert isinstance(same_error(call, fragment), exc)


INTEGER_CASES = [("uint8", [255, 256, -1, -128, -255, -256]), ("int8", [127, 128, -128, -129, 255]),
                 ("int16", [2 ** 15, -2 ** 15]), ("int32", [2 ** 31, -2 ** 31 - 1, 2 ** 32]), ("int64", [2 ** 63 - 1])]


@pytest.mark.parametrize("dtype_name, number", [(d, n) for d, numbers in INTEGER_CASES for n in numbers])
@pytest.mark.parametrize("make", ["tensor", "full", "fill_"])
def test_a_number_an_integer_dtype_cannot_hold_is_refused_when_making_a_tensor(make, dtype_name, number):
    """torch refuses it ("without overflow"); an unsigned dtype takes negatives down to -max (two's
    complement: -1 is 255). minitorch used to store 300 in a uint8 tensor as 44 without a word."""
    def call(lib):
        dtype = getattr(lib, dtype_name)
        if make == "tensor":
            return lib.tensor([number], dtype=dtype)
        if make == "full":
            return lib.full((2,), number, dtype=dtype)
        return lib.zeros(2, dtype=dtype).fill_(number)
    try:
        expected = call(torch).tolist()
    except RuntimeError:
        same_error(call, "value cannot be converted to type", "without overflow")
        return
    result = call(minitorch)
    assert result.dtype == getattr(minitorch, dtype_name) and result.tolist() == expected


@pytest.mark.parametrize("dtype_name, number", [(d, n) for d, numbers in INTEGER_CASES for n in numbers])
def test_arithmetic_with_a_number_an_integer_dtype_cannot_hold_wraps_around_as_torch(dtype_name, number):
    """uint8 1 + 300 is 45 in torch (300 is taken as 44, modulo 256); numpy raised OverflowError."""
    for op in (lambda x: x + number, lambda x: x * number, lambda x: x - number):
        expected = op(torch.tensor([1, 7], dtype=getattr(torch, dtype_name))).tolist()
        assert op(minitorch.tensor([1, 7], dtype=getattr(minitorch, dtype_name))).tolist() == expected
