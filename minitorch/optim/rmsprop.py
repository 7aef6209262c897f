"""RMSprop: divide the gradient by a running root-mean-square of recent gradients."""
from .._backend import array_module
from ._arguments import check_at_least, check_lr
from .optimizer import Optimizer, descent_gradient, increment, scalar_state


class RMSprop(Optimizer):
    r"""RMSprop (torch.optim.RMSprop), Hinton's lecture 6e of "Neural Networks for Machine Learning"
    (2012); the centered form follows Graves (2013), "Generating Sequences With Recurrent Neural Networks".

    .. math::
        v_t &\leftarrow \alpha v_{t-1} + (1-\alpha) g_t^2 \\
        \tilde v_t &\leftarrow v_t - \bar g_t^2,\quad \bar g_t \leftarrow \alpha \bar g_{t-1} + (1-\alpha) g_t
            \ \text{(centered)} \quad\text{or}\quad v_t \\
        b_t &\leftarrow \mu b_{t-1} + g_t / (\sqrt{\tilde v_t} + \epsilon), \quad
            \theta_t \leftarrow \theta_{t-1} - \gamma b_t \ \text{(momentum)} \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma\, g_t / (\sqrt{\tilde v_t} + \epsilon) \ \text{(otherwise)}

    ``lr`` may be a one-element Tensor. ``foreach`` chooses torch's kernels and changes nothing here
    (numpy already updates whole arrays); ``capturable`` (CUDA graphs) is accepted and ignored;
    ``differentiable=True`` raises NotImplementedError (see ``_arguments.py``).
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        check_lr(lr)
        check_at_least(eps, 0.0, "epsilon value")
        check_at_least(momentum, 0.0, "momentum value")
        check_at_least(weight_decay, 0.0, "weight_decay value")
        check_at_least(alpha, 0.0, "alpha value")
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered, weight_decay=weight_decay,
                        capturable=capturable, foreach=foreach, maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    def _init_state(self, param, state, group):
        state["step"] = scalar_state(0.0)
        state["square_avg"] = self._zeros_like(param)
        if group["momentum"] > 0:
            state["momentum_buffer"] = self._zeros_like(param)
        if group["centered"]:
            state["grad_avg"] = self._zeros_like(param)

    def _update(self, param, grad, state, group):
        xp = array_module(param)
        alpha = group["alpha"]
        increment(state["step"])
        grad = descent_gradient(param, grad, group)
        square_avg = state["square_avg"].array
        square_avg *= alpha
        square_avg += (1 - alpha) * grad * grad
        if group["centered"]:
            grad_avg = state["grad_avg"].array
            grad_avg += (1 - alpha) * (grad - grad_avg)
            avg = xp.sqrt(square_avg - grad_avg * grad_avg)
        else:
            avg = xp.sqrt(square_avg)
        avg += group["eps"]
        if group["momentum"] > 0:
            buffer = state["momentum_buffer"].array
            buffer *= group["momentum"]
            buffer += grad / avg
            param -= group["lr"] * buffer
        else:
            param -= group["lr"] * grad / avg
