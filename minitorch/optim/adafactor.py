"""Adafactor: Adam-like steps whose second-moment estimate for a matrix is stored as one row
vector and one column vector (sublinear memory)."""
import math

from .._backend import array_module
from .._tensor import Tensor
from ._arguments import check_lr
from .optimizer import Optimizer, increment, scalar_state


class Adafactor(Optimizer):
    r"""Adafactor (torch.optim.Adafactor), Shazeer & Stern (2018), "Adafactor: Adaptive Learning Rates
    with Sublinear Memory Cost" (algorithms 4 and 5, without first moment).

    With :math:`\hat\beta_{2t} = 1 - t^{c}` (:math:`c` = ``beta2_decay``), the relative step
    :math:`\rho_t = \min(\gamma, 1/\sqrt t)` and :math:`\alpha_t = \max(\epsilon_2, \mathrm{RMS}(\theta_{t-1}))\rho_t`:

    .. math::
        R_t &\leftarrow \hat\beta_{2t} R_{t-1} + (1-\hat\beta_{2t})\,\mathrm{mean}_{\text{cols}}(g_t^2),\quad
        C_t \leftarrow \hat\beta_{2t} C_{t-1} + (1-\hat\beta_{2t})\,\mathrm{mean}_{\text{rows}}(g_t^2) \\
        \hat V_t &\leftarrow R_t C_t / \max(\mathrm{mean}(R_t), \epsilon_1)
            \quad(\text{a vector keeps the full } V_t) \\
        U_t &\leftarrow g_t / \sqrt{\max(\hat V_t, \epsilon_1^2)}, \quad
        \theta_t \leftarrow \theta_{t-1}(1-\gamma\lambda) - \frac{\alpha_t}{\max(1, \mathrm{RMS}(U_t)/d)} U_t

    ``eps=(None, 1e-3)``: :math:`\epsilon_1` defaults to the machine epsilon of the parameter's dtype.

    ``lr`` may be a one-element Tensor. ``foreach`` chooses torch's kernels and changes nothing here
    (numpy already updates whole arrays).
    """

    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0, *,
                 foreach=None, maximize=False):
        check_lr(lr, "Learning rate should be >= 0 but is: {}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize)
        super().__init__(params, defaults)

    def _init_state(self, param, state, group):
        xp = array_module(param.array)
        state["step"] = scalar_state(0.0)
        if param.ndim > 1:
            state["row_var"] = Tensor._make(xp.zeros(param.shape[:-1] + (1,), param.array.dtype))
            state["col_var"] = Tensor._make(xp.zeros(param.shape[:-2] + (1, param.shape[-1]), param.array.dtype))
        else:
            state["variance"] = self._zeros_like(param)

    def _update(self, param, grad, state, group):
        xp = array_module(param)
        lr, (eps1, eps2) = group["lr"], group["eps"]
        eps1 = float(xp.finfo(param.dtype).eps) if eps1 is None else eps1
        step = increment(state["step"])
        if group["maximize"]:
            grad = -grad
        one_minus_beta2 = step ** group["beta2_decay"]
        relative_step = min(lr, 1 / step ** 0.5)
        alpha = max(eps2, _rms(param)) * relative_step
        if group["weight_decay"] != 0:
            param *= 1 - lr * group["weight_decay"]
        if grad.ndim > 1:
            row_var, col_var = state["row_var"].array, state["col_var"].array
            row_var += one_minus_beta2 * ((grad * grad).mean(axis=-1, keepdims=True) - row_var)
            col_var += one_minus_beta2 * ((grad * grad).mean(axis=-2, keepdims=True) - col_var)
            var_estimate = row_var @ col_var / xp.maximum(row_var.mean(axis=-2, keepdims=True), eps1)
        else:
            variance = state["variance"].array
            variance += one_minus_beta2 * (grad * grad - variance)
            var_estimate = variance
        update = grad / xp.sqrt(xp.maximum(var_estimate, eps1 * eps1))
        denom = max(1.0, _rms(update) / group["d"])
        param -= alpha / denom * update


def _rms(array):
    """Root mean square: the 2-norm divided by the square root of the number of elements."""
    return float(array_module(array).linalg.norm(array.ravel())) / math.sqrt(array.size)
