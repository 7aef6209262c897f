"""minitorch.optim.swa_utils: Stochastic Weight Averaging (SWA) and Exponential Moving Averages (EMA)
of a model's weights, as torch's.

SWA (Izmailov et al., 2018, https://arxiv.org/abs/1803.05407) trains as usual, then keeps a running
equal average of the weights visited late in training, usually with a constant or cyclic learning rate:

    W_swa <- W_swa + (W - W_swa) / (n + 1)        (n = models averaged so far)

EMA weights recent models more: W_ema <- decay * W_ema + (1 - decay) * W.

- ``AveragedModel`` holds a copy of the model whose weights are the average;
  ``update_parameters(model)`` folds the model's current weights in.
- ``SWALR`` anneals each group's learning rate to a constant ``swa_lr``.
- ``update_bn`` recomputes BatchNorm's running statistics for the averaged weights (an average
  of weights is a new network: the statistics of the models it averages do not fit it).
"""
import copy
import math
from itertools import chain

from .. import _creation, _dtype
from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from ..nn.modules.batchnorm import _BatchNorm
from ..nn.modules.module import Module
from .lr_scheduler.base import LRScheduler, format_param

__all__ = ["AveragedModel", "update_bn", "SWALR", "get_ema_multi_avg_fn", "get_swa_multi_avg_fn", "get_ema_avg_fn",
           "get_swa_avg_fn"]


def _check_decay(decay):
    if decay < 0.0 or decay > 1.0:
        raise ValueError(f"Invalid decay value {decay} provided. Please provide a value in [0,1] range.")


# ---------------------------------------------------------------------- averaging functions
def get_ema_avg_fn(decay=0.999):
    """``avg_fn(W_ema, W, n) = decay * W_ema + (1 - decay) * W``: an exponential moving average, one
    tensor at a time (``decay`` in [0, 1])."""
    _check_decay(decay)

    @no_grad()
    def ema_update(ema_param, current_param, num_averaged):
        return decay * ema_param + (1 - decay) * current_param

    return ema_update


def get_swa_avg_fn():
    """``avg_fn(W_swa, W, n) = W_swa + (W - W_swa) / (n + 1)``: the running equal average of n + 1 models."""

    @no_grad()
    def swa_update(averaged_param, current_param, num_averaged):
        return averaged_param + (current_param - averaged_param) / (num_averaged + 1)

    return swa_update


def get_ema_multi_avg_fn(decay=0.999):
    """The EMA of ``get_ema_avg_fn`` for lists of tensors of one device and dtype, in place:
    ``W_ema.lerp_(W, 1 - decay)`` for floating-point tensors."""
    _check_decay(decay)

    @no_grad()
    def ema_update(ema_param_list, current_param_list, _):
        floating = ema_param_list[0].is_floating_point()
        for p_ema, p_model in zip(ema_param_list, current_param_list, strict=True):
            if floating:
                p_ema.lerp_(p_model, 1 - decay)
            else:  # lerp needs floats: an integer buffer takes the average truncated
                p_ema.copy_(p_ema * decay + p_model * (1 - decay))

    return ema_update


def get_swa_multi_avg_fn():
    """The SWA of ``get_swa_avg_fn`` for lists of tensors of one device and dtype, in place:
    ``W_swa.lerp_(W, 1 / (n + 1))`` for floating-point tensors. Integer tensors (a BatchNorm's
    ``num_batches_tracked`` with ``use_buffers=True``) take ``addcdiv_``, which refuses integers, as in torch."""

    @no_grad()
    def swa_update(averaged_param_list, current_param_list, num_averaged):
        floating = averaged_param_list[0].is_floating_point()
        for p_averaged, p_model in zip(averaged_param_list, current_param_list, strict=True):
            if floating:
                p_averaged.lerp_(p_model, 1 / (float(num_averaged) + 1))
            elif isinstance(num_averaged, Tensor):
                p_averaged.addcdiv_(p_model - p_averaged, num_averaged + 1)
            else:
                p_averaged.add_(p_model - p_averaged, alpha=1.0 / (num_averaged + 1))

    return swa_update


# ---------------------------------------------------------------------- the averaged model
def _group_by_device_and_dtype(averaged, current):
    """``{(device, dtype): (averaged tensors, current tensors)}``, in the order first met."""
    groups = {}
    for a, p in zip(averaged, current):
        lists = groups.setdefault((a.device, a.dtype), ([], []))
        lists[0].append(a)
        lists[1].append(p)
    return groups


class AveragedModel(Module):
    """A deep copy of ``model`` (as ``self.module``, on ``device`` if given) whose parameters are an
    average of the ``model`` weights passed to ``update_parameters``; calling it calls the copy.

    ``avg_fn(averaged, current, n)`` returns one averaged tensor; ``multi_avg_fn(averaged_list,
    current_list, n)`` updates lists in place (give at most one; neither: the equal SWA average).
    The first ``update_parameters`` copies the weights; ``n_averaged`` (an int64 buffer) counts the
    models averaged. With ``use_buffers=True`` the buffers (BatchNorm's running statistics) are
    averaged too; otherwise they are copied from ``model`` at each update."""

    def __init__(self, model, device=None, avg_fn=None, multi_avg_fn=None, use_buffers=False):
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise AssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        self.module = copy.deepcopy(model)
        if device is not None:
            self.module = self.module.to(device)
        self.register_buffer("n_averaged", _creation.tensor(0, dtype=_dtype.int64, device=device))
        self.avg_fn, self.multi_avg_fn, self.use_buffers = avg_fn, multi_avg_fn, use_buffers

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def update_parameters(self, model):
        """Fold ``model``'s current weights into the average (its buffers too with ``use_buffers``)."""
        if self.use_buffers:
            averaged = chain(self.module.parameters(), self.module.buffers())
            current = chain(model.parameters(), model.buffers())
        else:
            averaged, current = self.module.parameters(), model.parameters()
        pairs = [(a.detach(), p.detach().to(a.device)) for a, p in zip(averaged, current)]
        averaged, current = [a for a, _ in pairs], [p for _, p in pairs]
        if self.n_averaged == 0:
            for a, p in zip(averaged, current):
                a.copy_(p)
        else:
            self._average(averaged, current)
        if not self.use_buffers:  # buffers are not averaged: keep them in sync with the model
            for b_averaged, b_model in zip(self.module.buffers(), model.buffers(), strict=True):
                b_averaged.detach().copy_(b_model.detach().to(b_averaged.device))
        self.n_averaged.add_(1)

    def _average(self, averaged, current):
        """Write the average of ``averaged`` (n models) and ``current`` into ``averaged``. With neither
        function given this is ``get_swa_avg_fn``, torch's CPU default (torch's CUDA default is
        ``get_swa_multi_avg_fn``: the same average, rounded differently)."""
        if self.multi_avg_fn is not None:
            for (device, _), (a_list, p_list) in _group_by_device_and_dtype(averaged, current).items():
                self.multi_avg_fn(a_list, p_list, self.n_averaged.to(device))
            return
        avg_fn = self.avg_fn if self.avg_fn is not None else get_swa_avg_fn()
        for a, p in zip(averaged, current):
            a.copy_(avg_fn(a, p, self.n_averaged.to(a.device)))


# ---------------------------------------------------------------------- BatchNorm statistics
@no_grad()
def update_bn(loader, model, device=None):
    """One pass over ``loader`` in training mode to recompute every BatchNorm layer's ``running_mean``
    and ``running_var`` from scratch, as the plain average over batches (``momentum=None``). Each
    batch is a tensor or a list/tuple whose first element is the model's input (moved to ``device``
    if given). The layers' momenta and the model's training mode are restored afterwards."""
    momenta = {}
    for module in model.modules():
        if isinstance(module, _BatchNorm):
            module.reset_running_stats()
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None
    for input in loader:
        if isinstance(input, (list, tuple)):
            input = input[0]
        if device is not None:
            input = input.to(device)
        model(input)
    for module, momentum in momenta.items():
        module.momentum = momentum
    model.train(was_training)


# ---------------------------------------------------------------------- the SWA learning rate
def _cosine_anneal(t):
    return (1 - math.cos(math.pi * t)) / 2


def _linear_anneal(t):
    return t


def _start_lr(lr, swa_lr, alpha):
    """lr_0 from lr = alpha * swa_lr + (1 - alpha) * lr_0 (when alpha = 1, lr is swa_lr already)."""
    if alpha == 1:
        return swa_lr
    return (lr - alpha * swa_lr) / (1 - alpha)


class SWALR(LRScheduler):
    r"""Anneal each group's learning rate from its value when SWALR starts, lr_0, to ``swa_lr`` over
    ``anneal_epochs`` steps, then hold it there:

        lr_k = alpha_k * swa_lr + (1 - alpha_k) * lr_0,   alpha_k = f(min(1, k / anneal_epochs))

    with f(t) = (1 - cos(pi t)) / 2 for ``anneal_strategy="cos"``, f(t) = t for ``"linear"``. As the
    other chainable schedules, each step reads the current ``group["lr"]``: lr_0 is recovered from it
    with the previous step's alpha, lr_0 = (lr - alpha_{k-1} swa_lr) / (1 - alpha_{k-1})."""

    def __init__(self, optimizer, swa_lr, anneal_epochs=10, anneal_strategy="cos", last_epoch=-1):
        for lr, group in zip(format_param("swa_lr", optimizer, swa_lr), optimizer.param_groups):
            group["swa_lr"] = lr.clone() if isinstance(lr, Tensor) else lr
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}")
        if not isinstance(anneal_epochs, int) or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be equal or greater than 0, got {anneal_epochs}")
        self._anneal_strategy, self.anneal_epochs = anneal_strategy, anneal_epochs
        super().__init__(optimizer, last_epoch)

    @property
    def anneal_func(self):
        """f(t), chosen by ``anneal_strategy`` (a property, so it is not saved in ``state_dict``)."""
        return _cosine_anneal if self._anneal_strategy == "cos" else _linear_anneal

    def get_lr(self):
        self._warn_if_called_directly()
        step = self._step_count - 1  # 0 at construction
        if self.anneal_epochs == 0:
            step = max(1, step)
        prev_alpha = self.anneal_func(max(0, min(1, (step - 1) / max(1, self.anneal_epochs))))
        alpha = self.anneal_func(max(0, min(1, step / max(1, self.anneal_epochs))))
        return [group["swa_lr"] * alpha + _start_lr(group["lr"], group["swa_lr"], prev_alpha) * (1 - alpha)
                for group in self.optimizer.param_groups]

