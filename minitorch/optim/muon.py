"""Muon: momentum SGD for weight matrices, with each update orthogonalised by Newton-Schulz."""
import math

from .._backend import array_module
from ._arguments import check_lr
from .optimizer import Optimizer

NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)


class Muon(Optimizer):
    r"""Muon (torch.optim.Muon), Jordan et al. (2024), "Muon: An optimizer for hidden layers in neural
    networks" (https://kellerjordan.github.io/posts/muon/); the ``"match_rms_adamw"`` scaling is from
    Liu et al. (2025), "Muon is Scalable for LLM Training".

    .. math::
        B_t &\leftarrow \mu B_{t-1} + (1-\mu) g_t, \quad
        \tilde B_t \leftarrow (1-\mu) g_t + \mu B_t \ \text{(nesterov)} \quad\text{or}\quad B_t \\
        O_t &\leftarrow \mathrm{NS}_k(\tilde B_t) \approx U V^\top \quad (\tilde B_t = U S V^\top) \\
        \theta_t &\leftarrow \theta_{t-1}(1 - \gamma\lambda) - \gamma' O_t,\quad
        \gamma' = \gamma\sqrt{\max(1, A/B)} \ \text{("original")} \ \text{or}\ 0.2\gamma\sqrt{\max(A, B)}

    for an :math:`A\times B` weight. Only 2-D parameters are accepted: use AdamW for biases.
    """

    def __init__(self, params, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
                 ns_coefficients=NS_COEFFICIENTS, eps=1e-7, ns_steps=5, adjust_lr_fn=None):
        check_lr(lr, "Learning rate should be >= 0 but is: {}")
        if not 0.0 <= momentum:
            raise ValueError(f"momentum should be >= 0 but is: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn not in (None, "original", "match_rms_adamw"):
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported "
                             "(use None, 'original' or 'match_rms_adamw')")
        defaults = dict(lr=lr, weight_decay=weight_decay, momentum=momentum, nesterov=nesterov,
                        ns_coefficients=ns_coefficients, eps=eps, ns_steps=ns_steps, adjust_lr_fn=adjust_lr_fn)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError(f"Muon only supports 2D parameters whereas we found a parameter with size: "
                                     f"{p.size()}")

    def _init_state(self, param, state, group):
        state["momentum_buffer"] = self._zeros_like(param)

    def _update(self, param, grad, state, group):
        momentum, lr = group["momentum"], group["lr"]
        buffer = state["momentum_buffer"].array
        buffer += (1 - momentum) * (grad - buffer)
        update = grad + momentum * (buffer - grad) if group["nesterov"] else buffer
        update = orthogonalize(update, group["ns_coefficients"], group["ns_steps"], group["eps"])
        param *= 1 - lr * group["weight_decay"]
        param -= adjusted_lr(lr, group["adjust_lr_fn"], param.shape) * update


def orthogonalize(matrix, coefficients, steps, eps):
    r"""Approximate :math:`UV^\top` of :math:`M = USV^\top` by ``steps`` quintic Newton-Schulz
    iterations :math:`X \leftarrow aX + (bG + cG^2)X`, :math:`G = XX^\top`, from :math:`X_0 = M/\|M\|_F`.
    The coefficients push small singular values up fast; the result has singular values roughly in
    (0.5, 1.5), which works as well as exact orthogonalisation. Like torch, the iteration runs in
    bfloat16 (every result rounded to it), so the steps match torch's bit for bit."""
    if steps >= 100:
        raise ValueError("Number of steps must be less than 100 for computational efficiency")
    if matrix.ndim != 2:
        raise ValueError(f"Input tensor gradient must be a 2D matrix, got shape {tuple(matrix.shape)}")
    if len(coefficients) != 3:
        raise ValueError(f"Coefficients must be a tuple of exactly 3 values, got {coefficients}")
    xp = array_module(matrix)
    a, b, c = coefficients
    tall = matrix.shape[0] > matrix.shape[1]
    x = to_bfloat16(matrix.T if tall else matrix)
    norm = to_bfloat16(xp.maximum(to_bfloat16(xp.linalg.norm(x).reshape(1)), eps))
    x = to_bfloat16(x / norm)
    for _ in range(steps):
        gram = to_bfloat16(x @ x.T)
        gram_update = to_bfloat16(b * gram + c * (gram @ gram))
        x = to_bfloat16(a * x + gram_update @ x)
    return (x.T if tall else x).astype(matrix.dtype)


def to_bfloat16(array):
    """Round float values to bfloat16 (8 exponent bits like float32, 7 mantissa bits), kept in float32:
    round the float32 bit pattern to the nearest multiple of 2^16, ties to even."""
    xp = array_module(array)
    bits = xp.asarray(array, dtype=xp.float32).view(xp.uint32)
    rounded = (bits + (0x7FFF + ((bits >> 16) & 1))) & 0xFFFF0000
    return rounded.astype(xp.uint32).view(xp.float32)


def adjusted_lr(lr, adjust_lr_fn, shape):
    """Scale the step so the update's RMS is the same across matrix shapes (torch's _adjust_lr)."""
    rows, cols = shape[:2]
    if adjust_lr_fn in (None, "original"):
        return lr * math.sqrt(max(1, rows / cols))
    return lr * 0.2 * math.sqrt(max(rows, cols))
