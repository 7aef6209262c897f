"""Adadelta: a step whose units match the parameter's, from two running averages."""
from .._backend import array_module
from ._arguments import check_at_least, check_lr
from .optimizer import Optimizer, descent_gradient, increment, scalar_state


class Adadelta(Optimizer):
    r"""Adadelta (torch.optim.Adadelta), Zeiler (2012), "ADADELTA: An Adaptive Learning Rate Method".

    .. math::
        v_t &\leftarrow \rho v_{t-1} + (1-\rho) g_t^2 \\
        \Delta x_t &\leftarrow \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\, g_t \\
        u_t &\leftarrow \rho u_{t-1} + (1-\rho) \Delta x_t^2 \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma \Delta x_t

    ``lr`` may be a one-element Tensor. ``foreach`` chooses torch's kernels and changes nothing here
    (numpy already updates whole arrays); ``capturable`` (CUDA graphs) is accepted and ignored;
    ``differentiable=True`` raises NotImplementedError (see ``_arguments.py``).
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False,
                 maximize=False, differentiable=False):
        check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_at_least(eps, 0.0, "epsilon value")
        check_at_least(weight_decay, 0.0, "weight_decay value")
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize, capturable=capturable,
                        foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    def _init_state(self, param, state, group):
        state["step"] = scalar_state(0.0)
        state["square_avg"] = self._zeros_like(param)
        state["acc_delta"] = self._zeros_like(param)

    def _update(self, param, grad, state, group):
        xp = array_module(param)
        rho, eps = group["rho"], group["eps"]
        increment(state["step"])
        grad = descent_gradient(param, grad, group)
        square_avg, acc_delta = state["square_avg"].array, state["acc_delta"].array
        square_avg *= rho
        square_avg += (1 - rho) * grad * grad
        delta = xp.sqrt(acc_delta + eps) / xp.sqrt(square_avg + eps) * grad
        acc_delta *= rho
        acc_delta += (1 - rho) * delta * delta
        param -= group["lr"] * delta
