"""Function: one differentiable operation, with a forward and a backward.

Subclass it exactly as in torch::

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):                # x: Tensor; may return a Tensor or a raw array
            result = x.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad):            # d(exp x)/dx = exp x
            result, = ctx.saved_tensors
            return grad * result

    y = Exp.apply(x)

``apply`` runs ``forward`` with recording switched off, then, if any input requires grad,
links the outputs into the graph. The ``ctx`` object *is* the graph node: it is what
``y.grad_fn`` returns, it knows its inputs' nodes (``next_functions``) and it keeps what
``forward`` saved. ``backward`` is written with Tensor ops, so when the engine runs it with
``create_graph=True`` the gradient is itself differentiable (second derivatives, Hessian-vector
products).

minitorch's own primitives (in ``minitorch/_functions``) are Functions like this one: their
``forward`` computes on ``x.array`` with the array module ``xp`` (numpy or cupy) and returns
the raw array, which ``apply`` wraps into a Tensor.
"""
import functools

import numpy as np

from .. import _backend
from .._tensor import Tensor, _RemovableHandle, type_name
from .grad_mode import _GradMode


class AccumulateGrad:
    """The graph node of a leaf tensor: the gradient that reaches it is added into ``leaf.grad``."""

    next_functions = ()
    _output_meta = ()  # one output, as a Context with one output

    def __init__(self, variable):
        self.variable = variable

    def name(self):
        return "torch::autograd::AccumulateGrad"

    def __repr__(self):
        return f"<AccumulateGrad object at {id(self):#x}>"


def _accumulator(leaf):
    """The leaf's AccumulateGrad node, created on first use and kept on the leaf."""
    if leaf._accumulator is None:
        leaf._accumulator = AccumulateGrad(leaf)
    return leaf._accumulator


class Context:
    """``ctx`` in forward and backward, and the node ``tensor.grad_fn`` in the graph."""

    # Defaults shared by all nodes; an instance only stores what differs (keeps each op cheap).
    _to_save = ()
    _saved = ()
    next_functions = ()
    needs_input_grad = ()
    materialize_grads = True
    _non_differentiable = ()
    _dirty = ()
    _input_meta = ()
    _output_meta = ()
    _output_hooks = None
    _complex_output = False

    def __init__(self, function):
        self._function = function

    # ---- used inside forward
    def save_for_backward(self, *tensors):
        """Keep these tensors (inputs or outputs of forward) for backward."""
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward can only save Tensors (or None), got {type(t).__name__}")
        self._to_save = tensors

    def mark_non_differentiable(self, *outputs):
        """These outputs get no gradient (e.g. the indices returned by max)."""
        self._non_differentiable = tuple(id(t) for t in outputs)

    def mark_dirty(self, *tensors):
        """These inputs were modified in place by forward (they are rebased onto this node)."""
        self._dirty = tensors

    def set_materialize_grads(self, value):
        """With False, backward may receive None instead of zeros for outputs that got no gradient."""
        self.materialize_grads = value

    # ---- used inside backward
    @property
    def saved_tensors(self):
        """The tensors given to ``save_for_backward``, checked to be unchanged since."""
        if self._saved is None:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved tensors after "
                "they have already been freed). Saved intermediate values of the graph are freed when you call "
                ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
                "graph a second time or if you need to access saved tensors after calling backward.")
        return tuple([self._unpack(s) for s in self._saved])

    def _unpack(self, saved):
        if saved is None:
            return None
        tensor, version, output_nr = saved
        if tensor._version_counter[0] != version:
            what = "an input" if output_nr is None else f"output {output_nr}"
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an inplace "
                f"operation: [{tensor.dtype} {list(tensor.shape)}], which is {what} of {self.name()}, is at "
                f"version {tensor._version_counter[0]}; expected version {version} instead. Hint: the "
                "in-place op (add_, mul_, x[i] = ..., ...) came after this tensor was saved; use the "
                "out-of-place form (x = x + 1) or .clone() the tensor before changing it.")
        if output_nr is None or not _GradMode.enabled:
            return tensor  # an input; or an output needed only as values (backward is not being recorded)
        out = Tensor._make(tensor.array, True, self, output_nr)
        out._version_counter = tensor._version_counter
        return out

    # ---- the node seen from outside
    def name(self):
        return self._function._backward_name()

    def __repr__(self):
        return f"<{self.name()} object at {id(self):#x}>"

    def _retain_output(self, tensor):
        import weakref
        ref = weakref.ref(tensor)

        def retain(grad):
            t = ref()
            if t is not None:
                t.grad = grad.detach() if t.grad is None else t.grad + grad.detach()
        self._register_output_hook(tensor._output_nr, retain, retains=True)

    def _register_output_hook(self, output_nr, hook, retains=False):
        if self._output_hooks is None:
            self._output_hooks = {}
        hooks = self._output_hooks.setdefault(output_nr, [])
        hooks.append((hook, retains))
        return _RemovableHandle(hooks, hooks[-1])


class FunctionMeta(type):
    """Gives each Function subclass its graph-node name, as torch does.

    A built-in Function is named ``{torch_op}Backward{overload}``: by default its class name and 0
    (``Mul`` -> ``MulBackward0``); a class sets ``torch_op`` and ``overload`` when torch's name for
    the same op differs (``Cast`` is torch's ``ToCopyBackward0``; ``sum(dim)`` is ``SumBackward1``).
    Each class names itself: a subclass does not inherit its parent's ``torch_op`` or ``overload``.
    A user-defined Function is named ``FooBackward``, as torch names custom Functions."""

    def _backward_name(cls):
        if not cls.__module__.startswith("minitorch."):
            return f"{cls.__name__}Backward"
        own = vars(cls)
        return f"{own.get('torch_op', cls.__name__)}Backward{own.get('overload', 0)}"


class Function(metaclass=FunctionMeta):
    """Base class of differentiable operations (see the module docstring)."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("a Function subclass must implement forward(ctx, *inputs)")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("a Function subclass must implement backward(ctx, *grad_outputs) "
                                  "to be differentiated")

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run forward without recording; connect the outputs to the graph when an input requires grad."""
        if _backend._cupy is not None:  # (until cupy is in use, every tensor is on the CPU)
            _check_one_device(cls, args)
        ctx = Context(cls)
        if not _GradMode.enabled:  # the fast path: nothing to record (e.g. the ops inside backward)
            try:
                outputs = cls.forward(ctx, *args, **kwargs)
            except AttributeError as error:
                _explain_non_tensor(cls, args, error)
                raise
            return Tensor._make(outputs) if type(outputs) is _ndarray else _wrap_outputs(ctx, args, outputs)
        needs = tuple([isinstance(arg, Tensor) and arg._requires_grad for arg in args])  # which need a gradient
        record = True in needs
        if record:  # known in forward, as in torch, so forward saves only what backward will use
            ctx.needs_input_grad = needs
        _GradMode.enabled = False
        try:
            outputs = cls.forward(ctx, *args, **kwargs)
        except AttributeError as error:
            _explain_non_tensor(cls, args, error)
            raise
        finally:
            _GradMode.enabled = True
        outputs = Tensor._make(outputs) if type(outputs) is _ndarray else _wrap_outputs(ctx, args, outputs)
        if record:
            _connect(ctx, args, outputs)
        return outputs


def _check_one_device(cls, args):
    """All tensor arguments on one device (CPU numpy arrays or GPU cupy arrays), else a clear error."""
    if len({type(a.array) for a in args if isinstance(a, Tensor)}) < 2:
        return
    devices = [str(a.device) for a in args if isinstance(a, Tensor)]
    raise RuntimeError(f"Expected all tensors to be on the same device, but found at least two devices, "
                       f"{' and '.join(dict.fromkeys(devices))}! (in {cls.__name__}: tensors on devices "
                       f"{devices}). Move them with .to(device) first.")


def _explain_non_tensor(cls, args, error):
    """forward looked up a Tensor attribute (``.array``) on an argument that is something else: a
    numpy array or a list passed where a Tensor belongs. Say that, instead of the AttributeError."""
    for position, arg in enumerate(args, 1):
        if arg is error.obj and not isinstance(arg, Tensor):
            raise TypeError(f"{cls.__name__}: argument {position} must be a Tensor, not {type_name(arg)} (make one "
                            "with torch.tensor(...) or torch.from_numpy(...))") from None


def _wrap_outputs(ctx, args, outputs):
    """Turn forward's results (arrays or Tensors, one or a tuple) into new Tensors."""
    if type(outputs) is not tuple:
        return _wrap_one(ctx, args, outputs)
    return tuple([Tensor._make(out) if type(out) is _ndarray else _wrap_one(ctx, args, out) for out in outputs])


def _wrap_one(ctx, args, out):
    if not isinstance(out, Tensor):
        return None if out is None else Tensor._make(out)
    for arg in args:
        if out is arg and not any(out is d for d in ctx._dirty):
            return out.detach()  # forward returned an input as it is: the output is a new alias
    return out


def _connect(ctx, args, outputs):
    """Record the node: its input edges (where each input's gradient goes: its grad_fn, or a leaf's
    AccumulateGrad node) with the shape and dtype each gradient must have, its outputs, and what it
    saved (now tagged with versions)."""
    edges, metas = [], []
    for a, needed in zip(args, ctx.needs_input_grad):
        if needed:
            edges.append((a.grad_fn, a._output_nr) if a.grad_fn is not None else (_accumulator(a), 0))
            metas.append((a.array.shape, a.array.dtype))
        else:
            edges.append(_NO_EDGE)
            metas.append(None)
    ctx.next_functions, ctx._input_meta = tuple(edges), tuple(metas)
    if type(outputs) is tuple:
        for nr, out in enumerate(outputs):
            _link_output(ctx, out, nr)
        if len(outputs) > 1:
            ctx._output_meta = tuple([None if o is None else (o.array.shape, o.array.dtype) for o in outputs])
    else:
        _link_output(ctx, outputs, 0)
    if ctx._to_save:
        ctx._saved = tuple([_save(t, ctx) for t in ctx._to_save])
        ctx._to_save = ()


def _link_output(ctx, out, nr):
    """Make ``out`` output ``nr`` of the node (unless it cannot carry a gradient)."""
    kind = None if out is None else out.array.dtype.kind
    if kind not in ("f", "c") or (ctx._non_differentiable and id(out) in ctx._non_differentiable):
        return
    if kind == "c":
        ctx._complex_output = True  # the engine refuses to differentiate it (no complex autograd)
    if ctx._dirty and any(out is d for d in ctx._dirty):
        out._bump_version()
    out._requires_grad, out.grad_fn, out._output_nr = True, ctx, nr


_NO_EDGE = (None, 0)
_ndarray = np.ndarray


def _save(tensor, ctx):
    """A saved tensor is (tensor, its version now, output number or None for an input), so backward
    can tell if it was changed in place since. Saving an output keeps an alias without grad_fn (no
    reference cycle); it is relinked on unpack."""
    if tensor is None:
        return None
    if tensor.grad_fn is ctx:  # an output of this node (its grad_fn was just set)
        return tensor.detach(), tensor._version_counter[0], tensor._output_nr
    return tensor, tensor._version_counter[0], None


def once_differentiable(backward):
    """Decorate a custom Function's ``backward`` that is not written with differentiable Tensor ops
    (it works on ``.numpy()`` arrays, say). It then runs without recording, and under
    ``create_graph=True`` its gradients carry a node that raises if they are differentiated again,
    rather than giving a silently wrong second derivative (as torch's decorator does)."""
    @functools.wraps(backward)
    def wrapper(ctx, *grad_outputs):
        recording = _GradMode.enabled
        _GradMode.enabled = False
        try:
            grads = backward(ctx, *grad_outputs)
        finally:
            _GradMode.enabled = recording
        if not recording or not any(isinstance(g, Tensor) and g.requires_grad for g in grad_outputs):
            return grads
        if not isinstance(grads, tuple):
            return _not_differentiable_again(grads)
        return tuple(_not_differentiable_again(g) for g in grads)
    return wrapper


def _not_differentiable_again(grad):
    """``grad`` linked to a node that raises when differentiated (an alias that requires grad feeds it,
    so that the node is recorded, as torch does)."""
    if not isinstance(grad, Tensor):
        return grad
    return _NotDifferentiableAgain.apply(grad.detach().requires_grad_())


class _NotDifferentiableAgain(Function):
    """Passes a gradient made by a @once_differentiable backward on, and raises if it is differentiated."""

    @staticmethod
    def forward(ctx, grad):
        return grad.array

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("trying to differentiate twice a function that was marked with @once_differentiable")
