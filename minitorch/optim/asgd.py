"""ASGD: SGD with a decaying step, plus a running average of the iterates."""
from .._backend import array_module
from ._arguments import check_at_least, check_lr
from .optimizer import Optimizer, descent_gradient, increment, scalar_state


class ASGD(Optimizer):
    r"""Averaged SGD (torch.optim.ASGD), Polyak & Juditsky (1992), "Acceleration of Stochastic
    Approximation by Averaging".

    .. math::
        \theta_t &\leftarrow \theta_{t-1}(1 - \lambda\eta_t) - \eta_t g_t \\
        \bar\theta_t &\leftarrow \bar\theta_{t-1} + \mu_t(\theta_t - \bar\theta_{t-1})
            \quad(\bar\theta_t = \theta_t \text{ while } \mu_t = 1) \\
        \eta_{t+1} &\leftarrow \gamma / (1 + \lambda\gamma t)^\alpha, \quad
        \mu_{t+1} \leftarrow 1/\max(1, t - t_0)

    The average :math:`\bar\theta` is kept in state as ``ax``; ``eta`` and ``mu`` are float32 scalars
    in state, as in torch.

    ``lr`` may be a one-element Tensor. ``foreach`` chooses torch's kernels and changes nothing here
    (numpy already updates whole arrays); ``capturable`` (CUDA graphs) is accepted and ignored;
    ``differentiable=True`` raises NotImplementedError (see ``_arguments.py``).
    """

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None, maximize=False,
                 differentiable=False, capturable=False):
        check_lr(lr)
        check_at_least(weight_decay, 0.0, "weight_decay value")
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def _init_state(self, param, state, group):
        state["step"] = scalar_state(0.0)
        state["eta"] = scalar_state(group["lr"])
        state["mu"] = scalar_state(1.0)
        state["ax"] = self._zeros_like(param)

    def _update(self, param, grad, state, group):
        xp = array_module(param)
        lr, lambd = group["lr"], group["lambd"]
        step = increment(state["step"])
        grad = descent_gradient(param, grad, group)
        eta, mu, ax = float(state["eta"].array), float(state["mu"].array), state["ax"].array
        param *= 1 - lambd * eta
        param -= eta * grad
        if mu != 1:
            ax += mu * (param - ax)
        else:
            xp.copyto(ax, param)
        # torch rounds the new values to the default dtype (float32) first, whatever the dtype of the
        # state (float64 after loading a state_dict onto float64 parameters), and so do we
        state["eta"].array[...] = scalar_state(lr / (1 + lambd * lr * step) ** group["alpha"]).array
        state["mu"].array[...] = scalar_state(1 / max(1, step - group["t0"])).array
