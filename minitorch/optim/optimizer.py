"""The Optimizer base class: parameter groups, per-parameter state, and saving/loading them.

An optimizer owns
- ``param_groups``: a list of dicts. Each has ``"params"`` (a list of tensors) and the
  hyper-parameters for them (``"lr"``, ``"momentum"``...). They are plain dicts, so a learning-rate
  scheduler (or you) can change ``group["lr"]`` between steps. A hyper-parameter may be a
  one-element Tensor (``Adam(params, lr=torch.tensor(0.01))``): each step reads its current value.
- ``defaults``: the hyper-parameters a group gets when it does not name its own.
- ``state``: a dict keyed by parameter tensor, holding what the update rule remembers between
  steps (momentum buffers, running averages, the step count).

``step()`` walks over every parameter that has a gradient and calls the subclass's
``_update(param, grad, state, group)`` with the raw arrays (numpy or cupy), so each update rule
reads like the equation in its paper. Parameters whose ``grad`` is ``None`` are skipped, as in torch.
The updates of different parameters are independent, so on the CPU a large model's are spread over
``minitorch.get_num_threads()`` threads (``_threads.py``), as torch spreads each op over its threads.
Hooks can run around ``step``, ``state_dict`` and ``load_state_dict`` (see ``_hooks.py``), and
around every optimizer's ``step`` (``register_optimizer_step_pre_hook``/``_post_hook``, here as in torch); the
``foreach``/``fused``/``capturable``/``differentiable`` flags are explained in ``_arguments.py``.
"""
import copy
import warnings
from collections import defaultdict
from itertools import chain

import numpy as np

from .. import _backend, _dtype
from .._tensor import Tensor
from .._threads import run_in_parallel
from ..autograd.grad_mode import enable_grad, no_grad
from ._arguments import as_numbers, check_fused_param, check_implementation_flags
from ._hooks import OptimizerHooks, register_optimizer_step_post_hook, register_optimizer_step_pre_hook, with_step_hooks

__all__ = ["Optimizer", "register_optimizer_step_pre_hook", "register_optimizer_step_post_hook"]


class _RequiredParameter:
    """Marks a hyper-parameter that every group must give (``lr`` of a bare ``Optimizer``)."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


def scalar_state(value, fused=False):
    """A 0-d host tensor for scalar state such as ``step``. torch keeps these as float32 tensors
    (float64 when that is the default dtype; always float32 for a ``fused`` step count), and we do
    too, so that a step count or NAdam's running product of momenta round exactly as in torch."""
    dtype = np.float64 if _dtype.get_default_dtype() == _dtype.float64 and not fused else np.float32
    return Tensor._make(np.array(value, dtype=dtype))


def increment(step):
    """Add one to a ``scalar_state`` step counter in place; return the new count as a float."""
    step.array += 1
    return float(step.array)


def descent_gradient(param, grad, group):
    """The gradient an update descends along: negated for ``maximize``, plus the gradient of the L2
    penalty, lambda * theta, when ``weight_decay`` lambda is set (weight decay coupled to the gradient)."""
    if group["maximize"]:
        grad = -grad
    if group["weight_decay"] != 0:
        grad = grad + group["weight_decay"] * param
    return grad


class Optimizer(OptimizerHooks):
    """Base class of all optimizers (see the module docstring for the contract)."""

    def __init__(self, params, defaults):
        self._init_hooks()
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
        check_implementation_flags(defaults)

    def __init_subclass__(cls, **kwargs):
        """A subclass that writes its own ``step`` (LBFGS, or yours) gets the step hooks too."""
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "hooked", False):
            cls.step = with_step_hooks(step)

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines += [""] * (i > 0) + [f"Parameter Group {i}"]  # (a blank line between groups, as torch)
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
        if len({id(p) for p in params}) != len(params):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this will "
                          "cause an error; see github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=4)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {type(p).__name__}")
            if not self.defaults.get("differentiable") and not (p.is_leaf or p.retains_grad):
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
                if p._grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    p._grad.grad_fn, p._grad._requires_grad = None, False
                    p._grad.zero_()

    @with_step_hooks
    def step(self, closure=None):
        """One update of every parameter that has a gradient. ``closure`` (optional) re-evaluates
        the model and returns the loss; it runs with gradients enabled, and its loss is returned."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                hyper = as_numbers(group)  # a Tensor lr (or betas) read as a number, once per step
                self._step_group([p for p in group["params"] if p._grad is not None], hyper)
        return loss

    def _step_group(self, params, group):
        """Update ``params`` (which all have a gradient) with the group's hyper-parameters. Each update
        touches only its own parameter and state, so on the CPU they are spread over threads."""
        if group.get("fused"):
            for p in params:
                check_fused_param(p)
        states = {p: self._state_of(p, group) for p in params}

        def update(p):
            self._update(p.array, p._grad.array, states[p], group)

        if len(states) == len(params) and all([type(p.array) is np.ndarray for p in params]):
            run_in_parallel(update, params, [p.array.size for p in params])
        else:  # a GPU runs each update asynchronously already; a repeated parameter is updated twice in turn
            for p in params:
                update(p)
        for p, state in states.items():
            p._bump_version()
            if state:  # like torch, a parameter that needs no state gets no entry
                self.state[p] = state

    def _state_of(self, param, group):
        """The state of ``param``, filled by ``_init_state`` before its first update."""
        state = self.state.get(param)
        if not state:
            state = {}
            self._init_state(param, state, group)
        return state

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
        for hook in list(self._optimizer_state_dict_pre_hooks.values()):
            hook(self)
        index_of = {}
        groups = []
        for group in self.param_groups:
            for p in group["params"]:
                index_of.setdefault(id(p), len(index_of))
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [index_of[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {(index_of[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        state_dict = {"state": state, "param_groups": groups}
        for hook in list(self._optimizer_state_dict_post_hooks.values()):
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    def load_state_dict(self, state_dict):
        """Restore hyper-parameters and state saved by ``state_dict`` (onto this optimizer's
        parameters, matched by position). State is deep-copied and cast as torch casts it: every
        tensor goes to its parameter's device, and takes a floating-point parameter's dtype, except
        ``step`` (which stays as saved, or becomes float32 when the group is fused or capturable)."""
        state_dict = state_dict.copy()  # shallow, as torch: a pre-hook may edit or replace it
        for hook in list(self._optimizer_load_state_dict_pre_hooks.values()):
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        self._check_group_sizes(saved_groups)
        param_of = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                            chain.from_iterable(g["params"] for g in self.param_groups)))
        step_as_float32 = {index: bool(g.get("fused") or g.get("capturable"))
                           for g in saved_groups for index in g["params"]}
        state = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in param_of:
                state[param_of[key]] = _cast_state(param_of[key], value, step_as_float32[key])
            else:
                state[key] = value
        for group, saved in zip(self.param_groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        self.state, self.param_groups = state, saved_groups
        for hook in list(self._optimizer_load_state_dict_post_hooks.values()):
            hook(self)

    def _check_group_sizes(self, saved_groups):
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for group, saved in zip(self.param_groups, saved_groups):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                                 f"optimizer's group ({len(saved['params'])} saved, {len(group['params'])} here)")


def _cast_state(param, value, step_as_float32, key=None):
    """A deep copy of saved state, cast as torch's ``_process_value_according_to_param_policy``:
    tensors move to ``param``'s device and take its dtype when it is floating point; ``step`` keeps
    its dtype and place (float32 on the parameter's device when fused or capturable). So NAdam's
    ``mu_product`` or ASGD's ``eta``, float32 when saved, continue in float64 for float64 parameters."""
    if isinstance(value, Tensor):
        array = value.array
        if key == "step":
            if step_as_float32:
                array = _backend.to_device(array, param.device).astype(np.float32)
        else:
            array = _backend.to_device(array, param.device)
            if param.is_floating_point():
                array = array.astype(param.array.dtype)
        return Tensor._make(array.copy())
    if isinstance(value, dict):
        return {k: _cast_state(param, v, step_as_float32, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_state(param, v, step_as_float32) for v in value)
    return value
