"""Stochastic gradient descent, with momentum, Nesterov momentum and weight decay."""
from .._tensor import Tensor
from ._arguments import check_at_least, check_lr
from .optimizer import Optimizer, descent_gradient


class SGD(Optimizer):
    r"""Stochastic gradient descent (torch.optim.SGD).

    With gradient :math:`g_t` of the loss at :math:`\theta_{t-1}`, weight decay :math:`\lambda`,
    momentum :math:`\mu`, dampening :math:`\tau` and learning rate :math:`\gamma`:

    .. math::
        g_t &\leftarrow g_t + \lambda\theta_{t-1} \\
        b_t &\leftarrow \mu b_{t-1} + (1-\tau) g_t \quad (b_1 = g_1) \\
        g_t &\leftarrow g_t + \mu b_t \ \text{(nesterov)} \quad\text{or}\quad b_t \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma g_t

    (``maximize`` flips the sign of :math:`g_t` first.) Momentum as Polyak (1964), "Some methods of
    speeding up the convergence of iteration methods"; the Nesterov form as in Sutskever et al.
    (2013), "On the importance of initialization and momentum in deep learning".

    ``lr`` (and ``weight_decay``) may be a one-element Tensor. ``foreach`` and ``fused`` choose torch's
    kernels and change nothing here (numpy already updates whole arrays); ``differentiable=True``
    raises NotImplementedError (see ``_arguments.py``).
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False, fused=None):
        check_lr(lr)
        check_at_least(momentum, 0.0, "momentum value")
        check_at_least(weight_decay, 0.0, "weight_decay value")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening "
                             f"(got momentum={momentum}, dampening={dampening})")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, foreach=foreach, differentiable=differentiable,
                        fused=fused)
        super().__init__(params, defaults)

    def _update(self, param, grad, state, group):
        momentum = group["momentum"]
        grad = descent_gradient(param, grad, group)
        if momentum != 0:
            buffer = state.get("momentum_buffer")
            if buffer is None:  # the first step starts the buffer at the gradient itself
                buffer = state["momentum_buffer"] = Tensor._make(grad.copy())
            else:
                dampening = group["dampening"]
                buffer.array *= momentum
                buffer.array += grad if dampening == 0 else (1 - dampening) * grad  # no copy when undamped
            grad = grad + momentum * buffer.array if group["nesterov"] else buffer.array
        # ``lr * grad`` is one temporary; writing it into a kept scratch array with ``out=`` measured no
        # faster: numpy reuses the freed block, and the time goes into the passes over memory
        param -= group["lr"] * grad
