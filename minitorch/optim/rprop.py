"""Rprop: each coordinate has its own step size, grown while the gradient keeps its sign."""
from .._backend import array_module
from .._tensor import Tensor
from ._arguments import check_lr
from .optimizer import Optimizer, increment, scalar_state


class Rprop(Optimizer):
    r"""Resilient backpropagation (torch.optim.Rprop), Riedmiller & Braun (1993), "A Direct Adaptive
    Method for Faster Backpropagation Learning: The RPROP Algorithm".

    Per coordinate, with :math:`(\eta^-, \eta^+)` = ``etas`` and step sizes clamped to ``step_sizes``:

    .. math::
        \Delta_t &\leftarrow \mathrm{clamp}(\Delta_{t-1}\cdot
            \begin{cases}\eta^+ & g_t g_{t-1} > 0 \\ \eta^- & g_t g_{t-1} < 0 \\ 1 & \text{otherwise}\end{cases})
            \\
        g_t &\leftarrow 0 \quad\text{where the sign flipped} \\
        \theta_t &\leftarrow \theta_{t-1} - \mathrm{sign}(g_t)\,\Delta_t

    Only the sign of the gradient is used; the step sizes start at ``lr``.

    ``lr`` may be a one-element Tensor. ``foreach`` chooses torch's kernels and changes nothing here
    (numpy already updates whole arrays); ``capturable`` (CUDA graphs) is accepted and ignored;
    ``differentiable=True`` raises NotImplementedError (see ``_arguments.py``).
    """

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *, capturable=False, foreach=None,
                 maximize=False, differentiable=False):
        check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]} (need 0 < etaminus < 1 < etaplus)")
        defaults = dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def _init_state(self, param, state, group):
        xp = array_module(param.array)
        state["step"] = scalar_state(0.0)
        state["prev"] = self._zeros_like(param)
        state["step_size"] = Tensor._make(xp.full_like(param.array, group["lr"]))

    def _update(self, param, grad, state, group):
        xp = array_module(param)
        eta_minus, eta_plus = group["etas"]
        smallest, largest = group["step_sizes"]
        increment(state["step"])
        if group["maximize"]:
            grad = -grad
        prev, step_size = state["prev"].array, state["step_size"].array
        agreement = xp.sign(grad * prev)
        factor = xp.where(agreement > 0, eta_plus, xp.where(agreement < 0, eta_minus, 1.0)).astype(param.dtype)
        step_size *= factor
        xp.clip(step_size, smallest, largest, out=step_size)
        grad = xp.where(agreement < 0, 0, grad).astype(param.dtype)
        param -= xp.sign(grad) * step_size
        xp.copyto(prev, grad)
