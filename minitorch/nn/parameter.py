"""Parameter: a Tensor that a Module treats as one of its learnable weights.

Assigning a Parameter to a module attribute (``self.weight = nn.Parameter(...)``) registers it:
it then appears in ``module.parameters()`` (what an optimizer updates) and in ``state_dict()``.
A plain Tensor assigned the same way is just an attribute. A Parameter requires grad by default.

UninitializedParameter and UninitializedBuffer are the placeholders of lazy modules (``nn.LazyLinear``):
a dtype and a device but no shape, until the first forward materialises them in place.
"""
from .._creation import empty
from .._tensor import Tensor


class Parameter(Tensor):
    """``nn.Parameter(data, requires_grad=True)``: shares ``data``'s memory, is a leaf, requires grad."""

    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        data = empty(0) if data is None else data
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter expects a Tensor as data, got {type(data).__name__}")
        Tensor._init(self, data.array)
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


_ARRAY = Tensor.__dict__["array"]  # the slot that holds a tensor's values, read past the guard below


class UninitializedTensorMixin:
    """A parameter or buffer of a lazy module whose shape is not known yet (see ``nn/modules/lazy.py``).

    It keeps only a dtype and a device (in an empty placeholder array). Its values are guarded: an op
    that reads them raises ValueError, its shape raises RuntimeError, as torch. ``materialize(shape)``
    gives it values in place, so the same object becomes a plain Parameter (or Tensor) and whoever holds
    it (a module, an optimizer) sees the change."""

    __slots__ = ()

    @property
    def array(self):
        raise ValueError(f"Attempted to use an uninitialized parameter in an operation. This error happens when you "
                         f"are using a `LazyModule` or explicitly manipulating `torch.nn.parameter."
                         f"{type(self).__name__}` objects. When using LazyModules Call `forward` with a dummy batch "
                         "to initialize the parameters before calling torch functions")

    @array.setter
    def array(self, value):
        _ARRAY.__set__(self, value)

    @property
    def shape(self):
        raise RuntimeError("Can't access the shape of an uninitialized parameter or buffer. This error usually "
                           "happens in `load_state_dict` when trying to load an uninitialized parameter into an "
                           "initialized one. Call `forward` to initialize the parameters before accessing their "
                           "attributes.")

    @property
    def dtype(self):
        return Tensor.dtype.fget(self._placeholder())

    @property
    def device(self):
        return Tensor.device.fget(self._placeholder())

    def _placeholder(self):
        """An empty tensor with this one's dtype and device."""
        return Tensor._make(_ARRAY.__get__(self))

    def materialize(self, shape, device=None, dtype=None):
        """Give this tensor uninitialised values of ``shape`` (on its own device and dtype unless given):
        it becomes, in place, a ``cls_to_become`` (Parameter or Tensor)."""
        values = empty(*shape, device=self.device if device is None else device,
                       dtype=self.dtype if dtype is None else dtype)
        self.__class__ = self.cls_to_become
        self.array = values.array

    def to(self, *args, **kwargs):
        """Another dtype or device, kept for the materialisation (``module.to(...)``, ``double()``,
        ``cuda()`` before the dry run): see ``_converted``."""
        return self._converted(self._placeholder().to(*args, **kwargs))

    def __deepcopy__(self, memo):
        if id(self) not in memo:
            memo[id(self)] = type(self)(self.requires_grad, self.device, self.dtype)
        return memo[id(self)]

    def __repr__(self):
        return f"<{type(self).__name__}>"


def is_lazy(tensor):
    """Whether ``tensor`` is an UninitializedParameter or UninitializedBuffer."""
    return isinstance(tensor, UninitializedTensorMixin)


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A Parameter of a lazy module, shape unknown until its first forward: ``weight.materialize(shape)``
    turns it into an ordinary Parameter (the same object)."""

    __slots__ = ()
    cls_to_become = Parameter

    def __init__(self, requires_grad=True, device=None, dtype=None):
        Tensor._init(self, empty(0, device=device, dtype=dtype).array, requires_grad=requires_grad)

    @staticmethod
    def _converted(placeholder):
        """As torch, the converted empty placeholder: Module.to copies its array into the parameter."""
        return placeholder


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer of a lazy module (BatchNorm's running statistics), shape unknown until its first forward:
    ``materialize(shape)`` turns it into an ordinary Tensor (the same object)."""

    __slots__ = ()
    cls_to_become = Tensor

    def __init__(self, requires_grad=False, device=None, dtype=None):
        Tensor._init(self, empty(0, device=device, dtype=dtype).array, requires_grad=requires_grad)

    def _converted(self, placeholder):
        """As torch, a new UninitializedBuffer: Module.to puts it in place of this one."""
        return UninitializedBuffer(self.requires_grad, placeholder.device, placeholder.dtype)
