"""Adam and AdamW: momentum on the gradient, scaled by a running estimate of its size."""
from .._backend import array_module
from .._tensor import Tensor
from ._arguments import check_at_least, check_betas, check_lr, check_tensor_betas
from .optimizer import Optimizer, increment, scalar_state


def adam_moments(param, grad, state, group):
    """The part of the update that Adam, AdamW, NAdam and RAdam share, in place on the arrays:
    count the step; flip the gradient for ``maximize``; weight decay (coupled: g <- g + lambda theta;
    decoupled, as AdamW: theta <- theta (1 - gamma lambda)); then the moment estimates
    m <- beta1 m + (1 - beta1) g  and  v <- beta2 v + (1 - beta2) g^2.  Returns (step, g, m, v)."""
    lr, (beta1, beta2), weight_decay = group["lr"], group["betas"], group["weight_decay"]
    step = increment(state["step"])
    if group["maximize"]:
        grad = -grad
    if weight_decay != 0:
        if group["decoupled_weight_decay"]:
            param *= 1 - lr * weight_decay
        else:
            grad = grad + weight_decay * param
    exp_avg, exp_avg_sq = state["exp_avg"].array, state["exp_avg_sq"].array
    exp_avg += (1 - beta1) * (grad - exp_avg)  # m = lerp(m, g, 1 - beta1)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * grad * grad
    return step, grad, exp_avg, exp_avg_sq


class Adam(Optimizer):
    r"""Adam (torch.optim.Adam), Kingma & Ba (2015), "Adam: A Method for Stochastic Optimization".

    .. math::
        m_t &\leftarrow \beta_1 m_{t-1} + (1-\beta_1) g_t \\
        v_t &\leftarrow \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \\
        \hat v_t &\leftarrow \max(\hat v_{t-1}, v_t) \ \text{(amsgrad)} \quad\text{or}\quad v_t \\
        \theta_t &\leftarrow \theta_{t-1} - \frac{\gamma}{1-\beta_1^t}\,
                   \frac{m_t}{\sqrt{\hat v_t}/\sqrt{1-\beta_2^t} + \epsilon}

    ``weight_decay`` :math:`\lambda` adds :math:`\lambda\theta` to the gradient (L2 penalty), or, with
    ``decoupled_weight_decay=True`` (= AdamW), shrinks the weights directly:
    :math:`\theta \leftarrow \theta(1-\gamma\lambda)`, as in Loshchilov & Hutter (2019),
    "Decoupled Weight Decay Regularization". ``amsgrad`` is from Reddi et al. (2018),
    "On the Convergence of Adam and Beyond".

    ``lr`` and ``betas`` may be one-element Tensors (not with ``foreach=True`` unless ``capturable``,
    as in torch). ``foreach`` and ``fused`` choose torch's kernels and change nothing here (numpy
    already updates whole arrays); ``capturable`` (CUDA graphs) is accepted and ignored;
    ``differentiable=True`` raises NotImplementedError (see ``_arguments.py``).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=False):
        if isinstance(lr, Tensor) and foreach and not capturable:
            raise ValueError("lr as a Tensor is not supported for capturable=False and foreach=True")
        check_lr(lr)
        check_at_least(eps, 0.0, "epsilon value")
        check_betas(betas)
        check_at_least(weight_decay, 0.0, "weight_decay value")
        betas = check_tensor_betas(betas, foreach, capturable)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad, maximize=maximize,
                        foreach=foreach, capturable=capturable, differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def _init_state(self, param, state, group):
        state["step"] = scalar_state(0.0, fused=group["fused"])
        state["exp_avg"] = self._zeros_like(param)
        state["exp_avg_sq"] = self._zeros_like(param)
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = self._zeros_like(param)

    def _update(self, param, grad, state, group):
        xp = array_module(param)
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        step, grad, exp_avg, exp_avg_sq = adam_moments(param, grad, state, group)
        if group["amsgrad"]:
            second_moment = state["max_exp_avg_sq"].array
            xp.maximum(second_moment, exp_avg_sq, out=second_moment)
        else:
            second_moment = exp_avg_sq
        step_size = lr / (1 - beta1 ** step)
        denom = xp.sqrt(second_moment) / (1 - beta2 ** step) ** 0.5
        denom += eps
        param -= step_size * exp_avg / denom


class AdamW(Adam):
    r"""AdamW (torch.optim.AdamW): Adam with decoupled weight decay, Loshchilov & Hutter (2019),
    "Decoupled Weight Decay Regularization". Each step first shrinks the weights,
    :math:`\theta \leftarrow \theta(1-\gamma\lambda)`, then takes Adam's step (see :class:`Adam`)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
                 maximize=False, foreach=None, capturable=False, differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
