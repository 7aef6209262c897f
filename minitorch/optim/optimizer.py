"""The Optimizer base class: parameter groups, per-parameter state, and saving/loading them.

An optimizer owns
- ``param_groups``: a list of dicts. Each has ``"params"`` (a list of tensors) and the
  hyper-parameters for them (``"lr"``, ``"momentum"``...). They are plain dicts, so a learning-rate
  scheduler (or you) can change ``group["lr"]`` between steps.
- ``defaults``: the hyper-parameters a group gets when it does not name its own.
- ``state``: a dict keyed by parameter tensor, holding what the update rule remembers between
  steps (momentum buffers, running averages, the step count).

``step()`` walks over every parameter that has a gradient and calls the subclass's
``_update(param, grad, state, group)`` with the raw arrays (numpy or cupy), so each update rule
reads like the equation in its paper. Parameters whose ``grad`` is ``None`` are skipped, as in torch.
"""
from collections import defaultdict
from itertools import chain

import numpy as np

from .. import _backend, _dtype
from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad, no_grad


class _RequiredParameter:
    """Marks a hyper-parameter that every group must give (``lr`` of a bare ``Optimizer``)."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


def check_at_least(value, low, name):
    """torch's argument check: ``ValueError("Invalid <name>: <value>")`` unless ``low <= value``."""
    if not low <= value:
        raise ValueError(f"Invalid {name}: {value}")


def check_betas(betas):
    """Both betas must lie in [0, 1): torch names the index and the value of the bad one."""
    for index, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {index}: {beta}")


def scalar_state(value):
    """A 0-d host tensor for scalar state such as ``step``. torch keeps these as float32 tensors
    (float64 when that is the default dtype), and we do too, so that a step count or NAdam's
    running product of momenta round exactly as they do in torch."""
    dtype = np.float64 if _dtype.get_default_dtype() == _dtype.float64 else np.float32
    return Tensor._make(np.array(value, dtype=dtype))


def increment(step):
    """Add one to a ``scalar_state`` step counter in place; return the new count as a float."""
    step.array += 1
    return float(step.array)


class Optimizer:
    """Base class of all optimizers (see the module docstring for the contract)."""

    def __init__(self, params, defaults):
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            f"but got {type(params).__module__}.{type(params).__name__}")
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {key}: {group[key]}" for key in sorted(group) if key != "params"]
        return "\n".join(lines) + "\n)"

    # ------------------------------------------------------------------ groups
    def add_param_group(self, param_group):
        """Add a group of parameters (with its own hyper-parameters) to ``param_groups``."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering "
                            "of tensors in sets will change between runs. Please use a list instead.")
        params = [params] if isinstance(params, Tensor) else list(params)
        if params and all(isinstance(p, tuple) for p in params):
            param_group["param_names"] = [name for name, _ in params]
            params = [p for _, p in params]
        param_group["params"] = params
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {type(p).__name__}")
            if not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)
        existing = {id(p) for group in self.param_groups for p in group["params"]}
        if any(id(p) in existing for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # ------------------------------------------------------------------ gradients and steps
    def zero_grad(self, set_to_none=True):
        """Forget the gradients: set each ``.grad`` to None (default) or fill it with zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.grad_fn, p.grad.requires_grad = None, False
                    p.grad.zero_()

    def step(self, closure=None):
        """One update of every parameter that has a gradient. ``closure`` (optional) re-evaluates
        the model and returns the loss; it runs with gradients enabled, and its loss is returned."""
        self._opt_called = True  # lets a learning-rate scheduler check the order of step() calls
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state.get(p, {})
                    if not state:
                        self._init_state(p, state, group)
                    self._update(p.array, p.grad.array, state, group)
                    p._bump_version()
                    if state:  # like torch, a parameter that needs no state gets no entry
                        self.state[p] = state
        return loss

    def _init_state(self, param, state, group):
        """Fill the empty ``state`` of ``param`` before its first update (nothing by default)."""

    def _update(self, param, grad, state, group):
        """Update the array ``param`` in place from the array ``grad``: each optimizer's rule."""
        raise NotImplementedError(f"{type(self).__name__} must implement step() or _update()")

    @staticmethod
    def _zeros_like(param):
        """A state buffer of zeros with the parameter's shape, dtype and device."""
        return Tensor._make(_backend.array_module(param.array).zeros_like(param.array))

    # ------------------------------------------------------------------ saving and loading
    def state_dict(self):
        """``{"state": {index: per-parameter state}, "param_groups": [group dicts]}``, where the
        parameters are replaced by their position (counted across groups), exactly as torch does."""
        index_of = {}
        groups = []
        for group in self.param_groups:
            for p in group["params"]:
                index_of.setdefault(id(p), len(index_of))
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [index_of[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {(index_of[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore hyper-parameters and state saved by ``state_dict`` (onto this optimizer's
        parameters, matched by position). State tensors are copied onto each parameter's device and
        dtype, so training resumes exactly where it stopped. Scalar state (``step``, NAdam's
        ``mu_product``, ASGD's ``eta`` and ``mu``) keeps its own dtype: torch casts all but ``step`` to the
        parameter's dtype, which makes a resumed NAdam or ASGD drift from an uninterrupted run."""
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for group, saved in zip(self.param_groups, saved_groups):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                                 f"optimizer's group ({len(saved['params'])} saved, {len(group['params'])} here)")
        param_of = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                            chain.from_iterable(g["params"] for g in self.param_groups)))
        state = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in param_of:
                state[param_of[key]] = _copy_state(param_of[key], value)
            else:
                state[key] = value
        new_groups = []
        for group, saved in zip(self.param_groups, saved_groups):
            new_group = {k: _copy_state(None, v) for k, v in saved.items()}
            new_group["params"] = group["params"]
            new_groups.append(new_group)
        self.state, self.param_groups = state, new_groups


def _copy_state(param, value, key=None):
    """A deep copy of saved state; tensors go to ``param``'s device and (except scalars) dtype."""
    if isinstance(value, Tensor):
        array = value.array
        if param is not None:
            array = _backend.to_device(array, param.device)
            if array.ndim > 0 and param.is_floating_point():
                array = array.astype(param.array.dtype)
        return Tensor._make(array.copy())
    if isinstance(value, dict):
        return {k: _copy_state(param, v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_copy_state(param, v) for v in value)
    return value
