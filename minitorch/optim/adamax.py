"""Adamax: Adam with the infinity norm in place of the root mean square."""
from .._backend import array_module
from ._arguments import check_at_least, check_betas, check_lr
from .optimizer import Optimizer, descent_gradient, increment, scalar_state


class Adamax(Optimizer):
    r"""Adamax (torch.optim.Adamax), section 7 of Kingma & Ba (2015), "Adam: A Method for Stochastic
    Optimization".

    .. math::
        m_t &\leftarrow \beta_1 m_{t-1} + (1-\beta_1) g_t \\
        u_t &\leftarrow \max(\beta_2 u_{t-1},\ |g_t| + \epsilon) \\
        \theta_t &\leftarrow \theta_{t-1} - \frac{\gamma}{1-\beta_1^t}\, \frac{m_t}{u_t}

    ``lr`` may be a one-element Tensor. ``foreach`` chooses torch's kernels and changes nothing here
    (numpy already updates whole arrays); ``capturable`` (CUDA graphs) is accepted and ignored;
    ``differentiable=True`` raises NotImplementedError (see ``_arguments.py``).
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *,
                 maximize=False, differentiable=False, capturable=False):
        check_lr(lr)
        check_at_least(eps, 0.0, "epsilon value")
        check_betas(betas)
        check_at_least(weight_decay, 0.0, "weight_decay value")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def _init_state(self, param, state, group):
        state["step"] = scalar_state(0.0)
        state["exp_avg"] = self._zeros_like(param)
        state["exp_inf"] = self._zeros_like(param)

    def _update(self, param, grad, state, group):
        xp = array_module(param)
        beta1, beta2 = group["betas"]
        step = increment(state["step"])
        grad = descent_gradient(param, grad, group)
        exp_avg, exp_inf = state["exp_avg"].array, state["exp_inf"].array
        exp_avg += (1 - beta1) * (grad - exp_avg)
        exp_inf *= beta2
        xp.maximum(exp_inf, xp.abs(grad) + group["eps"], out=exp_inf)
        param -= group["lr"] / (1 - beta1 ** step) * exp_avg / exp_inf
