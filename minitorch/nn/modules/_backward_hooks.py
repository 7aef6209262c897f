"""Module backward hooks: ``register_full_backward_hook`` and ``register_full_backward_pre_hook``.

A module is not a node of the autograd graph (its forward records many), so to see "the
gradients at its inputs and outputs", torch puts an identity node on each side of it, and so do we:

    inputs --[HookedInputs]--> forward's ops --[HookedOutputs]--> outputs

Backward reaches ``HookedOutputs`` first: it passes the gradients of the outputs (grad_output)
through the pre-hooks, which may replace them, and keeps them. It reaches ``HookedInputs`` last, with
the gradients of the inputs (grad_input): the hooks see ``(module, grad_input, grad_output)`` and
may return a replacement for grad_input. Identity nodes change no values, so without hooks the
gradients are exactly those of the module's own ops.
"""
import warnings

from ..._creation import zeros_like
from ..._tensor import Tensor
from ...autograd.function import Function
from ...autograd.grad_mode import is_grad_enabled


class BackwardHookState:
    """One call of a hooked module: which arguments are tracked, and the grad_output kept for the hooks."""

    def __init__(self, module, args):
        self.module = module
        self.n_args = len(args)
        self.tracked = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
        # a Tensor argument that needs no gradient gets zeros in grad_input (once some input is tracked), as in torch
        self.constants = {i: a for i, a in enumerate(args) if isinstance(a, Tensor) and not a.requires_grad}
        self.grad_output = None

    def wrap_inputs(self, args):
        """The args, with the tracked tensors passed through the HookedInputs node."""
        if not self.tracked or not is_grad_enabled():
            return args
        routed = HookedInputs.apply(self, *[args[i] for i in self.tracked])
        routed = routed if isinstance(routed, tuple) else (routed,)
        args = list(args)
        for i, tensor in zip(self.tracked, routed):
            args[i] = tensor
        return tuple(args)

    def wrap_outputs(self, output):
        """The output (a Tensor or a tuple), with the tensors that need a gradient passed through HookedOutputs."""
        outputs = output if isinstance(output, tuple) else (output,)
        tracked = [i for i, o in enumerate(outputs) if isinstance(o, Tensor) and o.requires_grad]
        if not tracked or not is_grad_enabled():
            return output
        self.output_slots = (len(outputs), tracked)
        routed = HookedOutputs.apply(self, *[outputs[i] for i in tracked])
        routed = routed if isinstance(routed, tuple) else (routed,)
        outputs = list(outputs)
        for i, tensor in zip(tracked, routed):
            outputs[i] = tensor
        return tuple(outputs) if isinstance(output, tuple) else outputs[0]

    def outputs_reached(self, grads):
        """Backward at the outputs: run the pre-hooks on grad_output, keep it; with no tracked input,
        the hooks run now (grad_input all None), as torch does."""
        count, tracked = self.output_slots
        grad_output = [None] * count
        for i, g in zip(tracked, grads):
            grad_output[i] = g
        for hook in tuple(self.module._backward_pre_hooks.values()):
            result = hook(self.module, tuple(grad_output))
            if result is not None:
                grad_output = list(_checked(result, count, "grad_output"))
        self.grad_output = tuple(grad_output)
        if not self.tracked and self.module._backward_hooks:
            warnings.warn("Full backward hook is firing when gradients are computed with respect to module outputs "
                          "since no inputs require gradients.", stacklevel=2)
            self._run_hooks((None,) * self.n_args)
        return tuple(grad_output[i] for i in tracked)

    def inputs_reached(self, grads):
        """Backward at the inputs: the hooks see grad_input (None for untracked args) and grad_output."""
        grad_input = [None] * self.n_args
        for i, g in zip(self.tracked, grads):
            grad_input[i] = g
        for i, constant in self.constants.items():
            grad_input[i] = zeros_like(constant)
        grad_input = self._run_hooks(tuple(grad_input))
        return tuple(grad_input[i] for i in self.tracked)

    def _run_hooks(self, grad_input):
        grad_output = self.grad_output if self.grad_output is not None else (None,)
        for hook in tuple(self.module._backward_hooks.values()):
            result = hook(self.module, grad_input, grad_output)
            if result is not None:
                grad_input = _checked(result, len(grad_input), "grad_input")
        return grad_input


def _checked(result, count, what):
    result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
    if len(result) != count:
        raise RuntimeError(f"Backward hook returned an invalid number of {what}, got {len(result)}, but expected "
                           f"{count} (one gradient, or None, for each of the module's {what.split('_')[1]}s)")
    return result


class _HookedIdentity(Function):
    """Identity on some tensors of a hooked module call; the subclasses say what its backward reports."""

    @staticmethod
    def forward(ctx, state, *tensors):
        ctx.state = state
        return tensors if len(tensors) > 1 else tensors[0]


class HookedInputs(_HookedIdentity):
    """On the module's inputs: its backward hands grad_input to the backward hooks."""

    @staticmethod
    def backward(ctx, *grads):
        return (None,) + ctx.state.inputs_reached(grads)


class HookedOutputs(_HookedIdentity):
    """On the module's outputs: its backward hands grad_output to the backward pre-hooks."""

    @staticmethod
    def backward(ctx, *grads):
        return (None,) + ctx.state.outputs_reached(grads)
