"""Gradient clipping: keep one unlucky batch from throwing the weights far away.

- clip_grad_norm_ treats all the gradients as one long vector g and, when ||g|| > max_norm, scales
  every one of them by max_norm / ||g||: the direction of the step is kept, only its length shrinks.
- clip_grad_value_ clamps each gradient element to [-clip_value, clip_value] (the direction changes).

Both change ``p.grad`` in place, between ``loss.backward()`` and ``optimizer.step()``, and run under
no_grad: the clipping itself is never part of a graph. ``foreach`` picks torch's fused multi-tensor
kernels; minitorch has none (one loop does the same arithmetic), so it is accepted and has no effect.
"""
import types
import warnings

from ... import _creation
from ..._functions.reduce import vector_norm
from ..._functions.shape import stack
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad

__all__ = ["clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm"]


def _as_list(tensors):
    """One tensor or an iterable of them (a generator such as model.parameters() included) as a list."""
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


@no_grad()
def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The p-norm of all ``tensors`` seen as one vector: the norm of their norms,

        ||(||t_1||_p, ||t_2||_p, ...)||_p       (for p = inf: the largest |element| of all)

    A tensor of 0.0 when there are none. error_if_nonfinite: raise when the norm is nan or inf.
    """
    tensors = _as_list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return _creation.tensor(0.0)
    device = tensors[0].device
    norms = [vector_norm(t, norm_type).to(device) for t in tensors]
    total_norm = vector_norm(stack(norms), norm_type)
    if error_if_nonfinite and bool(total_norm.isnan() | total_norm.isinf()):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, "
                           "so it cannot be clipped. To disable this error and scale the gradients by the "
                           "non-finite norm anyway, set `error_if_nonfinite=False`")
    return total_norm


@no_grad()
def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Multiply every ``p.grad`` in place by min(max_norm / (total_norm + 1e-6), 1).

    The 1e-6 keeps the division finite for zero gradients; the min with 1 means gradients are only
    ever shrunk, never grown. (The multiplication happens even when the factor is 1, as in torch, so a
    nan total norm turns every gradient to nan: error_if_nonfinite catches that early.)
    """
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    max_norm = float(max_norm)
    if not grads:
        return
    clip_coef = (max_norm / (total_norm + 1e-6)).clamp(max=1.0)
    for g in grads:
        g.mul_(clip_coef.to(g.device))


@no_grad()
def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scale the gradients of ``parameters`` together so that their total norm is at most ``max_norm``;
    returns the total norm measured *before* clipping (worth logging: it shows exploding gradients).

        total = ||(||g_1||_p, ||g_2||_p, ...)||_p,     g_i <- g_i * min(max_norm / (total + 1e-6), 1)

    ``parameters``: one tensor or an iterable of them; those without a gradient are skipped.
    This is get_total_norm followed by clip_grads_with_norm_.
    """
    if isinstance(parameters, types.GeneratorType):
        parameters = list(parameters)  # read the generator once: it is used twice below
        if not parameters:
            warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.", stacklevel=3)
    parameters = _as_list(parameters)
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total_norm, foreach)
    return total_norm


@no_grad()
def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient element of ``parameters`` in place to [-clip_value, clip_value]; returns None.

    Unlike clip_grad_norm_, each element is clipped on its own, so the direction of the step can change.
    """
    clip_value = float(clip_value)
    for g in [p.grad for p in _as_list(parameters) if p.grad is not None]:
        g.clamp_min_(-clip_value).clamp_max_(clip_value)
