"""Losses that compare a prediction with a real-valued target, element by element.

Each is composed from differentiable Tensor ops, so its gradient (and the gradient of that)
comes from autograd; the docstrings give the formulas autograd ends up computing. ``N`` below is
the number of elements (what 'mean' divides by), d = input - target.
"""
import math
import warnings

from ... import _creation
from ..._functions.elementwise import where
from ..._functions.pointwise import xlogy
from ..._tensor import Tensor
from .. import _reduction

__all__ = ["l1_loss", "mse_loss", "huber_loss", "smooth_l1_loss", "poisson_nll_loss", "gaussian_nll_loss",
           "kl_div"]


def warn_if_sizes_differ(input, target, name):
    """torch's warning for a target that would broadcast against the input, with the likely fix."""
    if target.shape == input.shape:
        return
    hint = ""
    if target.numel() == input.numel():
        hint = (f" They have the same number of elements, so you probably meant "
                f"{name}(input, target.view_as(input)) (e.g. squeeze the extra dimension of size 1); as "
                f"written every input is compared with every target.")
    warnings.warn(f"Using a target size ({target.size()}) that is different to the input size ({input.size()}). "
                  "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
                  f"same size.{hint}", UserWarning, stacklevel=3)


def _check_float(input, target, name):
    if not (input.is_floating_point() or (isinstance(target, Tensor) and target.is_floating_point())):
        raise NotImplementedError(f'"{name}" not implemented for \'{input.dtype.scalar_type}\': losses need '
                                  "floating-point predictions; convert them with input.float()")


def _weighted(loss, weight, input, reduction, mean_divides_by_weight=True):
    """Multiply by an elementwise ``weight`` (same shape as input), then reduce.

    'mean' is sum(w * l) / sum(w) for l1 and mse, but mean(w * l) for huber (as torch).
    """
    if weight.shape != input.shape:
        raise ValueError(f"Weights and input must have the same size. Got weight {list(weight.shape)} and input "
                         f"{list(input.shape)}.")
    loss = loss * weight
    if reduction == "mean" and mean_divides_by_weight:
        return loss.sum() / weight.sum()
    return _reduction.apply(loss, reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error.  l_i = |x_i - y_i|  (times weight_i when given).

    Gradient: dl_i/dx_i = sign(x_i - y_i) (0 where x_i = y_i), divided by N for 'mean'
    (by sum(weight) when weighted).
    """
    warn_if_sizes_differ(input, target, "l1_loss")
    reduction = _reduction.resolve(size_average, reduce, reduction)
    _check_float(input, target, "l1_loss")
    loss = (input - target).abs()
    if weight is not None:
        return _weighted(loss, weight, input, reduction)
    return _reduction.apply(loss, reduction)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error.  l_i = (x_i - y_i)^2  (times weight_i when given).

    Gradient: dl_i/dx_i = 2 (x_i - y_i), divided by N for 'mean' (by sum(weight) when weighted).
    """
    warn_if_sizes_differ(input, target, "mse_loss")
    reduction = _reduction.resolve(size_average, reduce, reduction)
    _check_float(input, target, "mse_loss")
    difference = input - target
    loss = difference * difference
    if weight is not None:
        return _weighted(loss, weight, input, reduction)
    return _reduction.apply(loss, reduction)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Huber loss: quadratic near 0, linear (slope delta) beyond |d| = delta.

        l_i = 0.5 d_i^2                     if |d_i| < delta
              delta (|d_i| - 0.5 delta)     otherwise

    Gradient: dl_i/dx_i = d_i inside, delta * sign(d_i) outside (continuous at |d| = delta).
    With ``weight``, 'mean' is mean(weight * l).
    """
    warn_if_sizes_differ(input, target, "huber_loss")
    reduction = _reduction.resolve(None, None, reduction)
    if delta <= 0:
        raise RuntimeError(f"huber_loss does not support non-positive values for delta. Got delta={delta}")
    _check_float(input, target, "huber_loss")
    difference = input - target
    size = difference.abs()
    loss = where(size < delta, 0.5 * difference * difference, delta * (size - 0.5 * delta))
    if input.dtype.is_floating_point:  # torch's huber_loss keeps the input's dtype (a float64 target too)
        loss = loss.to(input.dtype)
    if weight is not None:
        return _weighted(loss, weight, input, reduction, mean_divides_by_weight=False)
    return _reduction.apply(loss, reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Smooth L1: Huber divided by beta, so its linear part has slope 1.

        l_i = 0.5 d_i^2 / beta     if |d_i| < beta
              |d_i| - 0.5 beta     otherwise          (beta = 0 is exactly l1_loss)

    Gradient: dl_i/dx_i = d_i / beta inside, sign(d_i) outside.
    """
    warn_if_sizes_differ(input, target, "smooth_l1_loss")
    reduction = _reduction.resolve(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError(f"smooth_l1_loss does not support negative values for beta. Got beta={beta}")
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    _check_float(input, target, "smooth_l1_loss")
    difference = input - target
    size = difference.abs()
    loss = where(size < beta, 0.5 * difference * difference / beta, size - 0.5 * beta)
    return _reduction.apply(loss, reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                     reduction="mean"):
    """Negative log likelihood of ``target`` under a Poisson distribution with rate lambda.

        log_input=True  (input = log lambda):  l_i = exp(x_i) - y_i x_i
        log_input=False (input = lambda):      l_i = x_i - y_i log(x_i + eps)

    Gradient: dl_i/dx_i = exp(x_i) - y_i (log_input) or 1 - y_i / (x_i + eps); dl_i/dy_i = -x_i or
    -log(x_i + eps).
    ``full`` adds Stirling's approximation of log(y!), y log y - y + 0.5 log(2 pi y), for y > 1
    (it does not depend on the input, so it changes the value, not the gradient w.r.t. input).
    It is computed for every y and then masked, as torch does, so at y = 0 the gradient w.r.t. the
    target is torch's nan (0 * log 0).
    """
    reduction = _reduction.resolve(size_average, reduce, reduction)
    warn_if_sizes_differ(input, target, "poisson_nll_loss")
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + 0.5 * (2 * math.pi * target).log()
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _reduction.apply(loss, reduction)


def _variance_like_input(var, input):
    """torch's rules for var's shape: same as input, or one dim of size 1 (or missing at the end)."""
    if var.shape == input.shape:
        return var
    if var.shape == input.shape[:-1]:
        return var.unsqueeze(-1)
    if var.ndim == input.ndim and sum(v for i, v in zip(input.shape, var.shape) if i != v) == 1:
        return var
    raise ValueError(f"var is of incorrect size: var has shape {list(var.shape)} but input has shape "
                     f"{list(input.shape)}; var must have the input's shape, or that shape with one "
                     "dimension of size 1 (one variance shared along it)")


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """Negative log likelihood of ``target`` under N(mean=input, variance=var).

        l_i = 0.5 (log(max(var_i, eps)) + (x_i - y_i)^2 / max(var_i, eps))   (+ 0.5 log(2 pi) if full)

    Gradient: dl/dx_i = (x_i - y_i) / v_i,  dl/dvar_i = 0.5 (1 / v_i - (x_i - y_i)^2 / v_i^2), with
    v_i = max(var_i, eps). As in torch, the clamp at eps is invisible to autograd: the gradient
    w.r.t. var is the one at the clamped value, even where var < eps.
    """
    if not isinstance(var, (Tensor, float)):
        raise TypeError(f"var must be a Tensor or a float, not {type(var).__name__} (as in torch; write "
                        f"var={float(var) if isinstance(var, int) else 'torch.tensor(...)'})")
    if isinstance(var, float):
        if var < 0:
            raise ValueError(f"var has negative entry/entries: var={var}")
        var = _creation.full_like(input, float(var))
    elif bool((var < 0).any()):
        raise ValueError("var has negative entry/entries: a variance cannot be negative (did you pass a "
                         "log-variance or a standard deviation with a sign? use var=log_var.exp())")
    var = _variance_like_input(var, input)
    if reduction not in _reduction.REDUCTIONS:
        raise ValueError(f"{reduction} is not valid: choose 'none', 'mean' or 'sum'")
    var = var + (var.clamp(min=eps) - var).detach()  # clamped value, identity gradient (torch's no_grad clamp_)
    difference = input - target
    loss = 0.5 * (var.log() + difference * difference / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduction.apply(loss, reduction)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Kullback-Leibler divergence KL(target || prediction), with ``input`` = log of the prediction.

        log_target=False:  l_i = y_i (log y_i - x_i)       (xlogy: 0 where y_i = 0, nan where y_i < 0)
        log_target=True:   l_i = exp(y_i) (y_i - x_i)      (target given as log y)

    'batchmean' divides the sum by the batch size input.size(0), which is the true KL divergence
    per sample; 'mean' divides by the number of elements (torch warns about it).
    Gradient: dl_i/dx_i = -y_i (or -exp(y_i)); dl_i/dy_i = log y_i + 1 - x_i (or exp(y_i)(y_i - x_i + 1)),
    which is nan at y_i = 0 (xlogy's y / y there), as in torch.
    """
    legacy = size_average is not None or reduce is not None
    if reduction == "batchmean" and not legacy:
        per_element = "sum"
    else:
        per_element = _reduction.resolve(size_average, reduce, reduction)
        if per_element == "mean" and not legacy:
            warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                          "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                          "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                          UserWarning, stacklevel=2)
    if not (input.dtype.is_floating_point and target.dtype.is_floating_point):
        raise RuntimeError(f"kl_div: Integral inputs not supported (input is {input.dtype.scalar_type}, target "
                           f"{target.dtype.scalar_type}: both are log-probabilities or probabilities, use .float())")
    warn_if_sizes_differ(input, target, "kl_div")
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = xlogy(target, target) - target * input
    reduced = _reduction.apply(loss, per_element)
    if reduction == "batchmean" and input.ndim != 0:  # (even after the legacy flags chose the reduction: torch's)
        reduced = reduced / input.shape[0]
    return reduced
