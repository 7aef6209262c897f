"""The Tensor class: an n-d array plus what autograd needs. No math lives here.

A Tensor holds
- ``array``: the numpy (CPU) or cupy (GPU) array with the values. Views of a tensor share it.
- ``requires_grad``, ``grad``, ``grad_fn``: the autograd fields. ``grad_fn`` is the graph node
  (the ``ctx`` of the Function that made this tensor); leaves have ``grad_fn=None``.
- a version counter shared with its views, bumped by every in-place write, so that autograd
  can tell when a tensor saved for backward was changed after it was saved.

The operators and math methods (``+``, ``exp``, ``sum``, ``view``...) are attached to this class
by ``_tensor_methods.py`` once the differentiable Functions exist: that is the one place where
Tensor and Function meet.
"""
import warnings

import numpy as np

from . import _backend, _dtype
from ._tensor_str import tensor_repr


class Size(tuple):
    """A tensor's shape: a tuple that prints like ``torch.Size([2, 3])``."""

    def __repr__(self):
        return f"torch.Size({list(self)})"

    def numel(self):
        """The number of elements a tensor of this shape has."""
        n = 1
        for s in self:
            n *= s
        return n


class _RemovableHandle:
    """Returned by ``register_hook``; ``handle.remove()`` unregisters the hook."""

    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


def type_name(x):
    """A value's type as torch's messages name it: int, float, list, Tensor, numpy.ndarray..."""
    if isinstance(x, Tensor):
        return "Tensor"
    kind = type(x)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__.split('.')[0]}.{kind.__name__}"


def complex_autograd_message(what):
    """Why a complex tensor cannot join the graph: minitorch's autograd is for real tensors only."""
    return (f"minitorch does not differentiate complex tensors ({what}): its autograd computes gradients "
            "of real floating-point tensors only (torch's complex gradients follow Wirtinger calculus, which "
            "minitorch leaves out). Differentiate the real and imaginary parts as two real tensors, or compute "
            "the complex values without gradients (inside torch.no_grad(), or from x.detach()).")


def _check_assigned_grad(tensor, grad):
    """``tensor.grad = grad`` needs a Tensor of the tensor's shape and dtype, as torch checks."""
    if not isinstance(grad, Tensor):
        raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(grad).__name__}")
    if grad.shape != tensor.shape:
        raise RuntimeError(f"attempting to assign a gradient of size '{list(grad.shape)}' to a tensor of size "
                           f"'{list(tensor.shape)}'. Please ensure that the gradient and the tensor are the same size")
    if grad.dtype != tensor.dtype:
        raise RuntimeError(f"attempting to assign a gradient with dtype '{grad.dtype.scalar_type.lower()}' to a tensor "
                           f"with dtype '{tensor.dtype.scalar_type}'. The gradient must match the tensor's dtype "
                           f"(convert it with .to({tensor.dtype}))")


class Tensor:
    """An n-dimensional array that can record the operations made on it (see module doc)."""

    __slots__ = ("array", "_requires_grad", "_grad", "grad_fn", "_output_nr", "_version_counter",
                 "_base", "_view_fn", "_hooks", "_accumulator", "_retains_grad", "__weakref__")
    # numpy scalars (np.float32(2) * x) defer to Tensor's reflected operators instead of converting x
    __array_priority__ = 1000

    def __init__(self, *args, dtype=None, device=None):
        """``Tensor(2, 3)`` (uninitialised, float32) or ``Tensor([1, 2])`` (float32 data), as torch."""
        dtype = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
        device = _backend.as_device(device) if device is not None else _backend.CPU
        if len(args) == 1 and not isinstance(args[0], (int, Size)):
            data = args[0].array if isinstance(args[0], Tensor) else args[0]
            array = _backend.array_on(device, np.asarray(data, dtype=dtype.numpy), dtype.numpy)
        else:
            shape = args[0] if len(args) == 1 and isinstance(args[0], Size) else args
            array = _backend.xp_for(device).empty(tuple(shape), dtype=dtype.numpy)
        Tensor._init(self, array)

    @staticmethod
    def _init(tensor, array, requires_grad=False, grad_fn=None, output_nr=0, version_counter=None, base=None):
        """Fill every field; the fast path used by all ops (skips ``__init__``'s parsing)."""
        tensor.array = array
        tensor._requires_grad = requires_grad
        tensor._grad = None
        tensor.grad_fn = grad_fn
        tensor._output_nr = output_nr
        tensor._version_counter = version_counter if version_counter is not None else [0]
        tensor._base = base
        tensor._view_fn = None
        tensor._hooks = None
        tensor._accumulator = None
        tensor._retains_grad = False

    @classmethod
    def _make(cls, array, requires_grad=False, grad_fn=None, output_nr=0):
        """A new tensor around ``array`` (numpy scalars are turned into 0-d arrays)."""
        if type(array) is not np.ndarray and not hasattr(array, "__cuda_array_interface__"):
            array = np.asarray(array)
        tensor = object.__new__(cls)
        tensor.array = array  # the fields of _init, inlined: this runs for every op
        tensor._requires_grad = requires_grad
        tensor._grad = None
        tensor.grad_fn = grad_fn
        tensor._output_nr = output_nr
        tensor._version_counter = [0]
        tensor._base = tensor._view_fn = tensor._hooks = tensor._accumulator = None
        tensor._retains_grad = False
        return tensor

    # ------------------------------------------------------------------ attributes
    @property
    def shape(self):
        return Size(self.array.shape)

    def size(self, dim=None):
        """The shape, or the length of dimension ``dim``."""
        if dim is None:
            return Size(self.array.shape)
        return self.array.shape[self._wrap_dim(dim)]

    @property
    def dtype(self):
        return _dtype.from_numpy(self.array.dtype)

    @property
    def device(self):
        return _backend.device_of(self.array)

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    @property
    def ndim(self):
        return self.array.ndim

    def dim(self):
        return self.array.ndim

    def numel(self):
        return self.array.size

    nelement = numel

    def element_size(self):
        return self.array.itemsize

    def stride(self, dim=None):
        """Strides in elements (numpy counts bytes), as torch reports them."""
        strides = tuple(s // self.array.itemsize for s in self.array.strides)
        return strides if dim is None else strides[self._wrap_dim(dim)]

    def is_contiguous(self):
        return bool(self.array.flags.c_contiguous)

    def is_floating_point(self):
        return self.dtype.is_floating_point

    def is_complex(self):
        return self.dtype.is_complex

    @property
    def is_leaf(self):
        """True for tensors made by the user, and for every tensor that does not require grad."""
        return self.grad_fn is None

    @property
    def _version(self):
        return self._version_counter[0]

    def _bump_version(self):
        self._version_counter[0] += 1

    def _wrap_dim(self, dim, ndim=None):
        """Turn a possibly negative ``dim`` into an index; IndexError names the valid range."""
        ndim = self.array.ndim if ndim is None else ndim
        low, high = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
        if not isinstance(dim, (int, np.integer)) or not low <= dim <= high:
            raise IndexError(f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})")
        return dim % ndim if ndim else 0

    # ------------------------------------------------------------------ conversions
    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self.array.size != 1:
            raise RuntimeError(f"a Tensor with {self.array.size} elements cannot be converted to Scalar")
        return self.array.reshape(()).item()

    def tolist(self):
        """Nested Python lists of Python numbers (a number for a 0-d tensor)."""
        return self.array.tolist() if type(self.array) is np.ndarray else self.array.get().tolist()

    def numpy(self, *, force=False):
        """The numpy array that shares this tensor's memory (CPU only, and no grad unless ``force``)."""
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        if type(self.array) is not np.ndarray:
            if not force:
                raise TypeError(f"can't convert {self.device} device type tensor to numpy. "
                                "Use Tensor.cpu() to copy the tensor to host memory first.")
            return self.array.get()
        return self.array

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __len__(self):
        if self.array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.array.shape[0]

    def __bool__(self):
        if self.array.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with {self.array.size} values is ambiguous")
        return bool(self.item())

    def __float__(self):
        return float(self._one_element())

    def __int__(self):
        return int(self._one_element())

    def _one_element(self):
        """float(t) and int(t): the value of a one-element tensor (torch raises ValueError for more)."""
        if self.array.size != 1:
            raise ValueError(f"only one element tensors can be converted to Python scalars (this one has "
                             f"{self.array.size}; pick one, e.g. t[0], or reduce it, e.g. t.sum())")
        return self.item()

    def __index__(self):
        if self.dtype.is_floating_point or self.array.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    __hash__ = object.__hash__

    def __repr__(self):
        return tensor_repr(self)

    def __format__(self, spec):
        if self.array.ndim == 0:
            return format(self.item(), spec)
        return object.__format__(self, spec)

    # ------------------------------------------------------------------ autograd fields
    @property
    def grad(self):
        """The gradient accumulated by backward (leaves, and non-leaves that ``retain_grad()``)."""
        if self.grad_fn is not None and not self._retains_grad:
            warnings.warn("The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
                          "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
                          "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor.",
                          UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            _check_assigned_grad(self, value)
        self._grad = value

    @property
    def data(self):
        """A tensor sharing this one's memory, cut from the graph (like ``detach()``, but in-place
        writes to it are invisible to autograd's version checks, as in torch)."""
        return Tensor._make(self.array)

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, got {type(value).__name__}")
        self.array = value.array

    def detach(self):
        """A tensor sharing this one's memory (and version counter), cut from the graph."""
        out = Tensor._make(self.array)
        out._version_counter = self._version_counter
        return out

    def detach_(self):
        """Cut this tensor from the graph in place: it becomes a leaf."""
        if self._base is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self.grad_fn, self._requires_grad = None, False
        return self

    @property
    def requires_grad(self):
        """Whether autograd records the ops made on this tensor (set it on leaves: ``w.requires_grad = True``)."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, requires_grad):
        self.requires_grad_(requires_grad)

    def requires_grad_(self, requires_grad=True):
        """Ask autograd to record ops on this (leaf) tensor, in place."""
        if not self.is_leaf and not requires_grad:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you want to use "
                               "a computed variable in a subgraph that doesn't require differentiation use "
                               "var_no_grad = var.detach().")
        if requires_grad and self.array.dtype.kind == "c":
            raise NotImplementedError(complex_autograd_message(f"this tensor is {self.dtype}"))
        if requires_grad and not self.dtype.is_floating_point:
            raise RuntimeError(f"only Tensors of floating point and complex dtype can require gradients, got "
                               f"{self.dtype} (make the tensor with a float dtype, e.g. torch.tensor([1.0, 2.0]) "
                               "or x.float())")
        self._requires_grad = requires_grad
        return self

    def retain_grad(self):
        """Keep ``.grad`` on this non-leaf tensor after backward (leaves always keep it)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None and not self._retains_grad:
            self._retains_grad = True
            self.grad_fn._retain_output(self)

    @property
    def retains_grad(self):
        return self._retains_grad

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; a returned tensor replaces it."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            return self.grad_fn._register_output_hook(self._output_nr, hook)
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return _RemovableHandle(self._hooks, hook)
