"""Switching graph recording on and off: no_grad, enable_grad, set_grad_enabled, inference_mode.

One flag decides whether ops record a graph. Like torch, each of these works both as a
context manager (``with no_grad():``) and as a decorator (``@no_grad()``).
"""
import functools


class _GradMode:
    enabled = True
    inference = False


def is_grad_enabled():
    """True when ops on tensors that require grad record the graph."""
    return _GradMode.enabled


def is_inference_mode_enabled():
    """True inside ``inference_mode()``."""
    return _GradMode.inference


class _GradModeSwitch:
    """Base: set the flag on entry, restore the previous value on exit."""

    _value = None

    def __new__(cls, *args):
        if cls._value is not None and len(args) == 1 and callable(args[0]):  # ``@no_grad`` without ()
            return cls()(args[0])
        return super().__new__(cls)

    def __enter__(self):
        self._previous = _GradMode.enabled
        _GradMode.enabled = self._value

    def __exit__(self, *exc):
        _GradMode.enabled = self._previous
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__(*self._args()):
                return fn(*args, **kwargs)
        return wrapper

    def _args(self):
        return ()


class no_grad(_GradModeSwitch):
    """Ops inside do not record a graph: results have ``requires_grad=False``. Use for
    evaluation and for updating parameters by hand."""

    _value = False


class enable_grad(_GradModeSwitch):
    """Turn recording back on inside a ``no_grad`` block."""

    _value = True


class inference_mode(_GradModeSwitch):
    """For running a trained model: nothing is recorded, as with ``no_grad``. (torch also skips the
    bookkeeping of the tensors made inside, for speed, and forbids using them in autograd later;
    minitorch does not mark them.) ``inference_mode(False)`` changes nothing."""

    _value = False

    def __init__(self, mode=True):
        self.mode = bool(mode)

    def __enter__(self):
        self._previous = _GradMode.enabled, _GradMode.inference
        if self.mode:
            _GradMode.enabled, _GradMode.inference = False, True

    def __exit__(self, *exc):
        _GradMode.enabled, _GradMode.inference = self._previous
        return False

    def _args(self):
        return (self.mode,)


class set_grad_enabled(_GradModeSwitch):
    """``set_grad_enabled(mode)``: like calling it as a function in torch, it takes effect at once,
    and as a context manager it restores the previous mode on exit."""

    def __init__(self, mode):
        self._value = bool(mode)
        self._previous = _GradMode.enabled
        _GradMode.enabled = self._value

    def __enter__(self):
        pass

    def _args(self):
        return (self._value,)

    def __call__(self, fn):
        _GradMode.enabled = self._previous
        return super().__call__(fn)
