"""NAdam: Adam with Nesterov momentum, and a momentum schedule."""
from .._backend import array_module
from ._arguments import check_at_least, check_betas, check_lr
from .adam import adam_moments
from .optimizer import Optimizer, scalar_state


class NAdam(Optimizer):
    r"""NAdam (torch.optim.NAdam), Dozat (2016), "Incorporating Nesterov Momentum into Adam".

    With the momentum schedule :math:`\mu_t = \beta_1 (1 - \tfrac12 0.96^{t\psi})` (:math:`\psi` =
    ``momentum_decay``):

    .. math::
        m_t &\leftarrow \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad
        v_t \leftarrow \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \\
        \theta_t &\leftarrow \theta_{t-1}
            - \gamma \frac{(1-\mu_t)}{1-\prod_{i\le t}\mu_i} \frac{g_t}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon}
            - \gamma \frac{\mu_{t+1}}{1-\prod_{i\le t+1}\mu_i} \frac{m_t}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon}

    The running product :math:`\prod\mu_i` is kept in state as ``mu_product`` (a float32 scalar, as
    in torch). ``decoupled_weight_decay`` shrinks the weights directly (NAdamW) instead of adding
    :math:`\lambda\theta` to the gradient.

    ``lr`` may be a one-element Tensor. ``foreach`` chooses torch's kernels and changes nothing here
    (numpy already updates whole arrays); ``capturable`` (CUDA graphs) is accepted and ignored;
    ``differentiable=True`` raises NotImplementedError (see ``_arguments.py``).
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        check_lr(lr)
        check_at_least(eps, 0.0, "epsilon value")
        check_betas(betas)
        check_at_least(weight_decay, 0.0, "weight_decay value")
        check_at_least(momentum_decay, 0.0, "momentum_decay value")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize, foreach=foreach,
                        capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    def _init_state(self, param, state, group):
        state["step"] = scalar_state(0.0)
        state["mu_product"] = scalar_state(1.0)
        state["exp_avg"] = self._zeros_like(param)
        state["exp_avg_sq"] = self._zeros_like(param)

    def _update(self, param, grad, state, group):
        xp = array_module(param)
        lr, (beta1, beta2) = group["lr"], group["betas"]
        step, grad, exp_avg, exp_avg_sq = adam_moments(param, grad, state, group)
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * group["momentum_decay"]))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * group["momentum_decay"]))
        state["mu_product"].array *= mu
        mu_product = float(state["mu_product"].array)
        denom = xp.sqrt(exp_avg_sq / (1 - beta2 ** step)) + group["eps"]
        param -= lr * (1.0 - mu) / (1.0 - mu_product) * grad / denom
        param -= lr * mu_next / (1.0 - mu_product * mu_next) * exp_avg / denom
