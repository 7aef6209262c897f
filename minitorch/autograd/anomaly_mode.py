"""Anomaly detection: which op's backward produced the first nan?

A nan in a gradient spreads to every gradient computed from it, so by the time ``.grad`` shows it
the culprit is far away. With anomaly detection on, the engine checks each node's gradients as
they are made and stops at the first node that returns a nan, naming it:

    with torch.autograd.detect_anomaly():
        loss.backward()     # RuntimeError: Function 'SqrtBackward0' returned nan values in its 0th output.

(torch also records where each node was created in forward and prints that traceback; minitorch
names the node only.) It costs a check per node, so it is for debugging.
"""
import functools
import warnings


class _AnomalyMode:
    enabled = False
    check_nan = True


def is_anomaly_enabled():
    """True while anomaly detection is on."""
    return _AnomalyMode.enabled


def is_anomaly_check_nan_enabled():
    """True while anomaly detection checks gradients for nan."""
    return _AnomalyMode.enabled and _AnomalyMode.check_nan


class detect_anomaly:
    """Check every gradient for nan during backward (a context manager, or a decorator)."""

    def __init__(self, check_nan=True):
        self.check_nan = check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and should only be "
                      "enabled for debugging.", stacklevel=2)

    def __enter__(self):
        self._previous = _AnomalyMode.enabled, _AnomalyMode.check_nan
        _AnomalyMode.enabled, _AnomalyMode.check_nan = True, self.check_nan

    def __exit__(self, *exc):
        _AnomalyMode.enabled, _AnomalyMode.check_nan = self._previous
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)
        return wrapper


class set_detect_anomaly:
    """``set_detect_anomaly(True)`` turns detection on at once; used with ``with``, it restores the
    previous setting on exit."""

    def __init__(self, mode, check_nan=True):
        self._previous = _AnomalyMode.enabled, _AnomalyMode.check_nan
        _AnomalyMode.enabled, _AnomalyMode.check_nan = bool(mode), check_nan

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _AnomalyMode.enabled, _AnomalyMode.check_nan = self._previous
        return False


def check_gradients(node, input_grads):
    """Raise, naming ``node``, when one of the gradients it just returned holds a nan."""
    for i, g in enumerate(input_grads):
        if g is not None and bool(g.isnan().any()):
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")
