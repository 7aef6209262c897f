"""Bad input in every family: the same exception class as torch, raised at the call, with a message
that names what was wrong (both shapes, the dtype, the dims)."""
from types import SimpleNamespace

import numpy as np
import pytest
import torch

import minitorch
from oracle import raises

# (description, fn(lib), exception class, fragments of minitorch's message)
CASES = [
    ("broadcast", lambda t: t.ones(2, 3) + t.ones(2), RuntimeError, ["(3)", "(2)", "[2, 3]", "[2]"]),
    ("broadcast_mul", lambda t: t.ones(4, 1, 3) * t.ones(2, 4), RuntimeError, ["(3)", "(4)"]),
    ("matmul", lambda t: t.ones(2, 3) @ t.ones(4, 5), RuntimeError, ["(2x3 and 4x5)"]),
    ("matmul_vec", lambda t: t.ones(2, 3).mv(t.ones(4)), RuntimeError, ["2x3", "4"]),
    ("matmul_dtype", lambda t: t.ones(2, 2) @ t.ones(2, 2).double(), RuntimeError, ["float32", "float64"]),
    ("bmm_batches", lambda t: t.bmm(t.ones(2, 3, 4), t.ones(3, 4, 2)), RuntimeError, ["2", "3"]),
    ("view", lambda t: t.ones(2, 3).view(4, 2), RuntimeError, ["[4, 2]", "6"]),
    ("view_stride", lambda t: t.ones(2, 3).t().view(6), RuntimeError, ["view size is not compatible"]),
    ("reshape_two_inferred", lambda t: t.ones(6).reshape(-1, -1), RuntimeError, ["only one dimension"]),
    ("expand", lambda t: t.ones(2, 3).expand(4, 3), RuntimeError, ["(4)", "(2)"]),
    ("cat_sizes", lambda t: t.cat([t.ones(2, 3), t.ones(2, 4)]), RuntimeError, ["Expected size 3 but got size 4"]),
    ("cat_ndim", lambda t: t.cat([t.ones(2, 3), t.ones(3)]), RuntimeError, ["2 and 1"]),
    ("stack", lambda t: t.stack([t.ones(2), t.ones(3)]), RuntimeError, ["[2]", "[3]"]),
    ("dim_sum", lambda t: t.ones(2, 3).sum(2), IndexError, ["[-2, 1]", "2"]),
    ("dim_softmax", lambda t: t.ones(2, 3).softmax(-3), IndexError, ["[-2, 1]", "-3"]),
    ("dim_transpose", lambda t: t.ones(2).transpose(0, 1), IndexError, ["[-1, 0]"]),
    ("dim_cat", lambda t: t.cat([t.ones(2)], 1), IndexError, ["[-1, 0]"]),
    ("dim_squeeze", lambda t: t.ones(2).squeeze(3), IndexError, ["out of range"]),
    ("index", lambda t: t.ones(2, 3)[2], IndexError, ["index 2", "dimension 0", "size 2"]),
    ("index_list", lambda t: t.ones(2, 3)[:, [0, 3]], IndexError, ["index 3", "size 3"]),
    ("index_too_many", lambda t: t.ones(2)[0, 0], IndexError, ["too many indices"]),
    ("index_float", lambda t: t.ones(2)[t.tensor([0.0])], IndexError, ["long, int, byte or bool"]),
    ("mask_shape", lambda t: t.ones(2, 3)[t.tensor([True, False, True])], IndexError, ["[3]", "[2, 3]"]),
    ("setitem_shape", lambda t: t.ones(2, 3).__setitem__(0, t.ones(4)), RuntimeError, ["[4]", "[3]"]),
    ("gather_dtype", lambda t: t.ones(2, 2).gather(1, t.tensor([[0.0]])), RuntimeError, ["int32/int64", "float32"]),
    ("gather_range", lambda t: t.ones(2, 2).gather(1, t.tensor([[2]])), RuntimeError, ["index 2", "size 2"]),
    ("masked_fill_dtype", lambda t: t.ones(2).masked_fill(t.ones(2), 0.0), RuntimeError, ["bool"]),
    ("where_dtype", lambda t: t.where(t.ones(2), t.ones(2), t.zeros(2)), RuntimeError, ["bool"]),
    ("mean_int", lambda t: t.tensor([1, 2]).mean(), RuntimeError, ["Long"]),
    ("inplace_downcast", lambda t: t.tensor([1, 2]).mul_(1.5), RuntimeError, ["Float", "Long"]),
    ("inplace_broadcast", lambda t: t.ones(3).add_(t.ones(2, 3)), RuntimeError, ["[3]", "[2, 3]"]),
    ("inplace_leaf", lambda t: t.ones(2, requires_grad=True).add_(1), RuntimeError, ["leaf Variable"]),
    ("bitwise_float", lambda t: t.ones(2) & t.ones(2), RuntimeError, ["Float"]),
    ("item", lambda t: t.ones(2).item(), RuntimeError, ["2 elements"]),
    ("bool", lambda t: bool(t.ones(2)), RuntimeError, ["ambiguous"]),
    ("requires_grad_int", lambda t: t.tensor([1]).requires_grad_(), RuntimeError, ["floating point"]),
    ("backward_nonscalar", lambda t: (t.ones(2, requires_grad=True) * 2).backward(), RuntimeError, ["scalar outputs"]),
    ("backward_no_grad", lambda t: t.ones(2).sum().backward(), RuntimeError, ["does not require grad"]),
    ("numpy_grad", lambda t: t.ones(2, requires_grad=True).numpy(), RuntimeError, ["detach()"]),
    ("ragged", lambda t: t.tensor([[1, 2], [3]]), ValueError, ["at dim 1"]),
    ("negative_size", lambda t: t.zeros(-1), RuntimeError, ["-1"]),
    ("arange_step", lambda t: t.arange(0, 3, 0), RuntimeError, ["step must be nonzero"]),
    ("device_name", lambda t: t.device("gpu"), RuntimeError, ["gpu"]),
    ("narrow", lambda t: t.ones(3).narrow(0, 2, 2), RuntimeError, ["(2)", "(3)"]),
    ("permute", lambda t: t.ones(2, 3).permute(0), RuntimeError, ["2", "1"]),
    ("split_sizes", lambda t: t.ones(3).split([1, 1]), RuntimeError, ["3"]),
    ("len_0d", lambda t: len(t.tensor(1.0)), TypeError, ["0-d"]),
    ("int_negative_power", lambda t: t.tensor([2, 3]) ** -1, RuntimeError, ["negative integer powers"]),
    ("int_floordiv_zero", lambda t: t.tensor([1, 2]) // 0, RuntimeError, ["ZeroDivisionError"]),
    ("int_remainder_zero", lambda t: t.tensor([1, 2]) % t.tensor([1, 0]), RuntimeError, ["ZeroDivisionError"]),
    ("neg_bool", lambda t: -t.tensor([True]), RuntimeError, ["`~`"]),
    ("sub_bool", lambda t: t.tensor([True]) - t.tensor([False]), RuntimeError, ["`^`"]),
    ("iter_0d", lambda t: iter(t.tensor(1.0)), TypeError, ["0-d"]),
    ("cat_without_a_list", lambda t: t.cat(t.ones(2), t.ones(2)), TypeError, ["must be tuple of Tensors"]),
    ("stack_without_a_list", lambda t: t.stack(t.ones(2)), TypeError, ["must be tuple of Tensors"]),
    ("allclose_of_two_dtypes", lambda t: t.allclose(t.ones(2), t.ones(2, dtype=t.float64)), RuntimeError,
     ["Float did not match Double"]),
    ("grad_of_another_size", lambda t: setattr(t.ones(2, requires_grad=True), "grad", t.ones(3)), RuntimeError,
     ["of size '[3]' to a tensor of size '[2]'"]),
    ("grad_of_another_dtype", lambda t: setattr(t.ones(2, requires_grad=True), "grad", t.ones(2, dtype=t.float64)),
     RuntimeError, ["'double'", "'Float'"]),
    ("grad_not_a_tensor", lambda t: setattr(t.ones(2, requires_grad=True), "grad", 5), TypeError, ["type int"]),
    ("detach_a_view_in_place", lambda t: t.ones(2, requires_grad=True)[:1].detach_(), RuntimeError,
     ["Can't detach views in-place"]),
    ("normal__of_integers", lambda t: t.zeros(3, dtype=t.int64).normal_(), NotImplementedError,
     ["normal_kernel_cpu", "Long"]),
    ("uniform__of_integers", lambda t: t.zeros(3, dtype=t.int64).uniform_(), NotImplementedError,
     ["check_uniform_bounds", "Long"]),
    ("uniform__with_a_number_as_generator", lambda t: t.zeros(3).uniform_(generator=3), TypeError,
     ["'generator' must be torch.Generator, not int"]),
    ("float_of_many_elements", lambda t: float(t.ones(2)), ValueError, ["only one element tensors"]),
    ("int_of_many_elements", lambda t: int(t.ones(2)), ValueError, ["only one element tensors"]),
    ("overlapping_in_place_add", lambda t: _add_shifted_in_place(t), RuntimeError,
     ["refer to a single memory location", "clone()"]),
    ("broadcast_named_from_the_last_dim", lambda t: t.ones(2, 3) + t.ones(3, 2), RuntimeError,
     ["tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1"]),
    ("hook_changing_the_shape", lambda t: _backward_with_hook(t, lambda g: t.ones(2)), RuntimeError,
     ["has changed the size of value"]),
]


def _add_shifted_in_place(lib):
    x = lib.arange(4.0)
    x[1:] += x[:-1]  # reads elements it has already overwritten, in an order that is not defined


def _backward_with_hook(lib, hook):
    y = lib.ones(3, requires_grad=True) * 1
    y.register_hook(hook)
    y.sum().backward()


@pytest.mark.parametrize("name,fn,exc,fragments", CASES, ids=[c[0] for c in CASES])
def test_same_exception_class_as_torch_and_a_helpful_message(name, fn, exc, fragments):
    with pytest.raises(exc):
        fn(torch)
    with raises(exc, *fragments):
        fn(minitorch)


NUMPY_INPUT_TO = {
    "Linear": (lambda nn: nn.Linear(3, 2), (2, 3)), "Conv2d": (lambda nn: nn.Conv2d(1, 1, 2), (1, 1, 4, 4)),
    "MaxPool2d": (lambda nn: nn.MaxPool2d(2), (1, 1, 4, 4)), "BatchNorm2d": (lambda nn: nn.BatchNorm2d(1), (2, 1, 3, 3)),
    "LayerNorm": (lambda nn: nn.LayerNorm(3), (2, 3)), "ReLU": (lambda nn: nn.ReLU(), (2, 3)),
    "Softmax": (lambda nn: nn.Softmax(1), (2, 3)), "Sigmoid": (lambda nn: nn.Sigmoid(), (2, 3)),
    "GELU": (lambda nn: nn.GELU(), (2, 3)), "Hardtanh": (lambda nn: nn.Hardtanh(), (2, 3)),
}


@pytest.mark.parametrize("layer", NUMPY_INPUT_TO)
def test_a_numpy_array_given_to_a_layer_is_a_type_error_that_says_how_to_convert_it(layer):
    make, shape = NUMPY_INPUT_TO[layer]
    array = np.ones(shape, np.float32)
    with pytest.raises((TypeError, AttributeError)):  # (torch's BatchNorm2d and Softmax fail on array.dim())
        make(torch.nn)(array)
    with raises(TypeError, "Tensor", "numpy.ndarray", "torch.tensor(...)"):
        make(minitorch.nn)(array)


def test_errors_come_from_minitorch_not_numpy():
    """The message is ours (torch's words), never numpy's."""
    for _, fn, _, _ in CASES:
        try:
            fn(minitorch)
        except Exception as error:  # noqa: BLE001 - any class: we check where it comes from
            assert "numpy" not in type(error).__module__, f"{type(error).__name__}: {error}"
            assert "operands could not be broadcast" not in str(error)


def test_errors_are_raised_at_the_call_not_at_backward():
    x = minitorch.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError):
        x @ minitorch.ones(4, 5)
    with pytest.raises(RuntimeError):
        x + minitorch.ones(4)
    with pytest.raises(IndexError):
        x[5]


class _StandInGpuArray(np.ndarray):
    """A CPU array that says it is on GPU 0: a stand-in for a cupy array on a machine without one."""
    device = SimpleNamespace(id=0)


def test_mixing_devices_names_both(monkeypatch):
    """Without a GPU the check is shown with a stand-in: an op given a CPU tensor and a 'cuda:0' one."""
    from minitorch import _backend
    monkeypatch.setattr(_backend, "_cupy", SimpleNamespace())  # as if cupy were in use
    gpu_like = minitorch.ones(2)
    gpu_like.array = gpu_like.array.view(_StandInGpuArray)
    with raises(RuntimeError, "Expected all tensors to be on the same device", "cpu", "cuda:0"):
        minitorch.ones(2) * gpu_like
