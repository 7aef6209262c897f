"""RAdam: Adam whose adaptive step is switched on only once its variance estimate is reliable."""
from .._backend import array_module
from ._arguments import check_at_least, check_betas, check_lr
from .adam import adam_moments
from .optimizer import Optimizer, scalar_state


class RAdam(Optimizer):
    r"""RAdam (torch.optim.RAdam), Liu et al. (2020), "On the Variance of the Adaptive Learning Rate
    and Beyond".

    With :math:`\rho_\infty = 2/(1-\beta_2) - 1` and :math:`\rho_t = \rho_\infty - 2t\beta_2^t/(1-\beta_2^t)`:

    .. math::
        m_t &\leftarrow \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad
        v_t \leftarrow \beta_2 v_{t-1} + (1-\beta_2) g_t^2, \quad \hat m_t = m_t / (1-\beta_1^t) \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma \hat m_t\, r_t \frac{\sqrt{1-\beta_2^t}}{\sqrt{v_t}+\epsilon},
            \quad r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\rho_t}}
            \quad \text{if } \rho_t > 5 \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma \hat m_t \quad \text{otherwise (plain momentum SGD)}

    ``lr`` may be a one-element Tensor. ``foreach`` chooses torch's kernels and changes nothing here
    (numpy already updates whole arrays); ``capturable`` (CUDA graphs) is accepted and ignored;
    ``differentiable=True`` raises NotImplementedError (see ``_arguments.py``).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, decoupled_weight_decay=False,
                 *, foreach=None, maximize=False, capturable=False, differentiable=False):
        check_lr(lr)
        check_at_least(eps, 0.0, "epsilon value")
        check_betas(betas)
        check_at_least(weight_decay, 0.0, "weight_decay value")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, maximize=maximize, foreach=foreach,
                        capturable=capturable, decoupled_weight_decay=decoupled_weight_decay,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    def _init_state(self, param, state, group):
        state["step"] = scalar_state(0.0)
        state["exp_avg"] = self._zeros_like(param)
        state["exp_avg_sq"] = self._zeros_like(param)

    def _update(self, param, grad, state, group):
        xp = array_module(param)
        lr, (beta1, beta2) = group["lr"], group["betas"]
        step, grad, exp_avg, exp_avg_sq = adam_moments(param, grad, state, group)
        bias_correction2 = 1 - beta2 ** step
        corrected_exp_avg = exp_avg / (1 - beta1 ** step)
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * beta2 ** step / bias_correction2
        if rho_t > 5.0:
            rectification = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            adaptive_lr = bias_correction2 ** 0.5 / (xp.sqrt(exp_avg_sq) + group["eps"])
            param -= corrected_exp_avg * lr * adaptive_lr * rectification
        else:
            param -= corrected_exp_avg * lr
