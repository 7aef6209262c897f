"""Optimizer hooks, as torch's: functions called around ``step()``, ``state_dict()`` and
``load_state_dict()``.

Each ``register_*`` method returns a handle whose ``remove()`` takes the hook out again. The hooks
of one kind are kept in an ordered dict and run in the order they were registered (``prepend=True``
puts a state-dict hook first). What each kind of hook receives and may return:

================================  ==========================================  =================================
hook                              called as                                   may return
================================  ==========================================  =================================
step pre-hook                     ``hook(optimizer, args, kwargs)``           ``(new_args, new_kwargs)`` or None
step post-hook                    ``hook(optimizer, args, kwargs)``           None
state_dict pre-hook               ``hook(optimizer)``                         None
state_dict post-hook              ``hook(optimizer, state_dict)``             a new state dict or None
load_state_dict pre-hook          ``hook(optimizer, state_dict)``             a new state dict or None
load_state_dict post-hook         ``hook(optimizer)``                         None
================================  ==========================================  =================================

As in torch, a step hook's ``args`` are all the positional arguments of ``step``, the optimizer
itself first: ``(optimizer,)`` or ``(optimizer, closure)``.

Step hooks can also be registered for every optimizer at once, with
``register_optimizer_step_pre_hook`` and ``register_optimizer_step_post_hook`` (which torch exposes
as ``torch.optim.optimizer.register_*``). As in torch they wrap the optimizer's own: the order is
global pre-hooks, the optimizer's pre-hooks, ``step``, the optimizer's post-hooks, global post-hooks.
"""
import functools
from collections import OrderedDict
from itertools import chain

from ..nn.modules.module import RemovableHandle

HOOK_KINDS = ("step_pre", "step_post", "state_dict_pre", "state_dict_post", "load_state_dict_pre",
              "load_state_dict_post")

_global_step_pre_hooks = OrderedDict()
_global_step_post_hooks = OrderedDict()


def _register_global(hooks, hook):
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    return handle


def register_optimizer_step_pre_hook(hook):
    """Call ``hook(optimizer, args, kwargs)`` before the ``step`` of every optimizer (before its own
    pre-hooks); returning ``(args, kwargs)`` replaces the arguments ``step`` gets."""
    return _register_global(_global_step_pre_hooks, hook)


def register_optimizer_step_post_hook(hook):
    """Call ``hook(optimizer, args, kwargs)`` after the ``step`` of every optimizer (after its own
    post-hooks)."""
    return _register_global(_global_step_post_hooks, hook)


class OptimizerHooks:
    """The ``register_*_hook`` methods of :class:`Optimizer` (a mixin: one ordered dict per kind)."""

    def _init_hooks(self):
        for kind in HOOK_KINDS:
            setattr(self, f"_optimizer_{kind}_hooks", OrderedDict())

    def _register(self, kind, hook, prepend=False):
        hooks = getattr(self, f"_optimizer_{kind}_hooks")
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    def register_step_pre_hook(self, hook):
        """Call ``hook(optimizer, args, kwargs)`` before every ``step``; returning ``(args, kwargs)``
        replaces the arguments ``step`` gets."""
        return self._register("step_pre", hook)

    def register_step_post_hook(self, hook):
        """Call ``hook(optimizer, args, kwargs)`` after every ``step``."""
        return self._register("step_post", hook)

    def register_state_dict_pre_hook(self, hook, prepend=False):
        """Call ``hook(optimizer)`` before ``state_dict()`` builds the dict."""
        return self._register("state_dict_pre", hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        """Call ``hook(optimizer, state_dict)`` on the dict ``state_dict()`` built; a returned dict
        replaces it."""
        return self._register("state_dict_post", hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        """Call ``hook(optimizer, state_dict)`` (a shallow copy of the argument) before loading; a
        returned dict is loaded instead."""
        return self._register("load_state_dict_pre", hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        """Call ``hook(optimizer)`` after ``load_state_dict`` has loaded."""
        return self._register("load_state_dict_post", hook, prepend)


def with_step_hooks(step):
    """Wrap an optimizer class's ``step`` so that the step pre- and post-hooks run around it."""
    @functools.wraps(step)
    def hooked_step(self, *args, **kwargs):
        self._opt_called = True  # lets a learning-rate scheduler check the order of step() calls
        args = (self, *args)
        for hook in list(chain(_global_step_pre_hooks.values(), self._optimizer_step_pre_hooks.values())):
            result = hook(self, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(f"{step} must return None or a tuple of (new_args, new_kwargs), "
                                       f"but got {result}.")
                args, kwargs = result
        out = step(*args, **kwargs)
        for hook in list(chain(self._optimizer_step_post_hooks.values(), _global_step_post_hooks.values())):
            hook(self, args, kwargs)
        return out
    hooked_step.hooked = True
    return hooked_step
