"""Adagrad: each coordinate's step shrinks with the sum of its squared gradients so far."""
from .._backend import array_module
from .._tensor import Tensor
from ._arguments import check_at_least, check_lr
from .optimizer import Optimizer, descent_gradient, increment, scalar_state


class Adagrad(Optimizer):
    r"""Adagrad (torch.optim.Adagrad), Duchi, Hazan & Singer (2011), "Adaptive Subgradient Methods for
    Online Learning and Stochastic Optimization".

    .. math::
        \tilde\gamma &\leftarrow \gamma / (1 + (t-1)\eta) \quad (\eta = \text{lr\_decay}) \\
        s_t &\leftarrow s_{t-1} + g_t^2 \quad (s_0 = \text{initial\_accumulator\_value}) \\
        \theta_t &\leftarrow \theta_{t-1} - \tilde\gamma\, g_t / (\sqrt{s_t} + \epsilon)

    As in torch, the state is created for every parameter when the optimizer is built.

    ``lr`` may be a one-element Tensor. ``foreach`` and ``fused`` choose torch's kernels and change
    nothing here (numpy already updates whole arrays); ``differentiable=True`` raises
    NotImplementedError (see ``_arguments.py``).
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach=None, *, maximize=False, differentiable=False, fused=None):
        check_lr(lr)
        check_at_least(lr_decay, 0.0, "lr_decay value")
        check_at_least(weight_decay, 0.0, "weight_decay value")
        check_at_least(initial_accumulator_value, 0.0, "initial_accumulator_value value")
        check_at_least(eps, 0.0, "epsilon value")
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, self.state[p], group)

    def _init_state(self, param, state, group):
        xp = array_module(param.array)
        state["step"] = scalar_state(0.0, fused=group["fused"])
        state["sum"] = Tensor._make(xp.full_like(param.array, self.defaults["initial_accumulator_value"]))

    def _update(self, param, grad, state, group):
        xp = array_module(param)
        step = increment(state["step"])
        grad = descent_gradient(param, grad, group)
        decayed_lr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        square_sum = state["sum"].array
        square_sum += grad * grad
        param -= decayed_lr * grad / (xp.sqrt(square_sum) + group["eps"])
