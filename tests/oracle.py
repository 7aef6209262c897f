"""The one test helper every op test uses: run the same code in minitorch and in torch, compare.

    check(lambda t, x, y: t.matmul(x, y), x_array, y_array)

``fn(lib, *tensors)`` is called twice: with ``lib = minitorch`` and minitorch tensors, and with
``lib = torch`` and torch tensors made from the same numpy arrays. Forward values must agree;
then both outputs are back-propagated with the same random upstream gradient and every input
gradient must agree too (floating inputs require grad unless ``grad=False``).
"""
import numpy as np
import pytest
import torch
from hypothesis import strategies as st

import minitorch

TOLERANCES = {np.dtype(np.float64): (1e-9, 1e-7), np.dtype(np.float32): (1e-5, 1e-4),
              np.dtype(np.float16): (1e-2, 1e-2)}


def to_numpy(x):
    """A torch or minitorch tensor (or a number) as a numpy array."""
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    if isinstance(x, minitorch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def assert_close(mine, theirs, atol=None, rtol=None, what="value"):
    """Same shape, same dtype kind, values within tolerance (defaults by dtype)."""
    a, b = to_numpy(mine), to_numpy(theirs)
    assert a.shape == b.shape, f"{what}: shape {a.shape} != torch's {b.shape}"
    if isinstance(theirs, torch.Tensor):
        assert str(mine.dtype) == str(theirs.dtype), f"{what}: dtype {mine.dtype} != torch's {theirs.dtype}"
    default_atol, default_rtol = TOLERANCES.get(b.dtype, (0, 0))
    np.testing.assert_allclose(a, b, atol=default_atol if atol is None else atol,
                               rtol=default_rtol if rtol is None else rtol, err_msg=what, equal_nan=True)


def _flatten(out):
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _flatten(o)]
    return [out]


def check(fn, *arrays, grad=True, atol=None, rtol=None, seed=0):
    """Compare ``fn(minitorch, *tensors)`` with ``fn(torch, *tensors)``: values, then gradients."""
    def make(lib, a):
        if not isinstance(a, np.ndarray):
            return a
        needs = grad and a.dtype.kind == "f"
        return lib.tensor(a.copy(), requires_grad=needs)

    mt_inputs = [make(minitorch, a) for a in arrays]
    th_inputs = [make(torch, a) for a in arrays]
    mt_out, th_out = _flatten(fn(minitorch, *mt_inputs)), _flatten(fn(torch, *th_inputs))
    assert len(mt_out) == len(th_out)
    for i, (m, t) in enumerate(zip(mt_out, th_out)):
        assert_close(m, t, atol, rtol, what=f"output {i}")
    if not grad:
        return mt_out
    rng = np.random.default_rng(seed)
    pairs = [(m, t) for m, t in zip(mt_out, th_out) if isinstance(t, torch.Tensor) and t.requires_grad]
    if not pairs:
        return mt_out
    seeds = [rng.standard_normal(t.shape).astype(to_numpy(t).dtype) for _, t in pairs]
    torch.autograd.backward([t for _, t in pairs], [torch.tensor(s) for s in seeds])
    minitorch.autograd.backward([m for m, _ in pairs], [minitorch.tensor(s) for s in seeds])
    for i, (m, t) in enumerate(zip(mt_inputs, th_inputs)):
        if isinstance(t, torch.Tensor) and t.requires_grad:
            if t.grad is None:
                assert m.grad is None or not to_numpy(m.grad).any(), f"input {i}: torch has no grad"
                continue
            assert m.grad is not None, f"input {i}: no gradient, torch has one"
            assert_close(m.grad, t.grad, atol, rtol, what=f"gradient of input {i}")
    return mt_out


def gradcheck(fn, *arrays, **kwargs):
    """minitorch's gradcheck in float64 on ``fn(minitorch, *tensors)``."""
    inputs = [minitorch.tensor(a.astype(np.float64), requires_grad=True) if isinstance(a, np.ndarray) and
              a.dtype.kind == "f" else a for a in arrays]
    assert minitorch.autograd.gradcheck(lambda *xs: fn(minitorch, *xs), tuple(inputs), **kwargs)


def shapes(min_dims=0, max_dims=4, min_side=1, max_side=5):
    """Hypothesis strategy for tensor shapes."""
    return st.lists(st.integers(min_side, max_side), min_size=min_dims, max_size=max_dims).map(tuple)


def arrays(shape, dtype=np.float64, seed=0, low=-2.0, high=2.0):
    """A reproducible random array of ``shape``."""
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        return rng.uniform(low, high, shape).astype(dtype)
    if np.dtype(dtype).kind == "b":
        return rng.random(shape) < 0.5
    return rng.integers(int(low), int(high) + 1, shape).astype(dtype)


def raises(exc, *fragments):
    """pytest.raises that also checks the message names what a learner needs (shapes, dtypes...)."""
    class _Check:
        def __enter__(self):
            self._ctx = pytest.raises(exc)
            self._info = self._ctx.__enter__()
            return self._info

        def __exit__(self, *args):
            handled = self._ctx.__exit__(*args)
            if not handled:  # another exception class: let it propagate as it is
                return False
            message = str(self._info.value)
            for fragment in fragments:
                assert fragment in message, f"{fragment!r} not in error message: {message}"
            return handled
    return _Check()


def module_twins(make, *inputs, dtype="float64", modes=(True,), **forward_kwargs):
    """The same layer in both libraries (``make(torch.nn)`` and ``make(minitorch.nn)``, torch's parameters and
    buffers copied into minitorch's), run forward and backward once per entry of ``modes`` (True: training,
    False: evaluation) with the same upstream gradient; outputs, input gradients, parameter gradients and
    buffers must agree after every step. Returns (mine, theirs)."""
    torch.manual_seed(0)
    theirs, mine = make(torch.nn).to(getattr(torch, dtype)), make(minitorch.nn).to(getattr(minitorch, dtype))
    mine.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    inputs = [a.astype(dtype) if a.dtype.kind == "f" else a for a in inputs]
    for training in modes:
        theirs.train(training), mine.train(training)
        t_in = [torch.tensor(a, requires_grad=a.dtype.kind == "f") for a in inputs]
        m_in = [minitorch.tensor(a, requires_grad=a.dtype.kind == "f") for a in inputs]
        t_out, m_out = theirs(*t_in, **forward_kwargs), mine(*m_in, **forward_kwargs)
        t_out, m_out = (t_out, m_out) if isinstance(t_out, tuple) else ((t_out,), (m_out,))
        for m, t in zip(m_out, t_out):
            assert_close(m, t, what="output")
        seed = arrays(t_out[0].shape, dtype, seed=9)
        t_out[0].backward(torch.tensor(seed))
        m_out[0].backward(minitorch.tensor(seed))
        for m, t in zip(m_in, t_in):
            if t.requires_grad:
                assert_close(m.grad, t.grad, what="input gradient")
        for name, param in theirs.named_parameters():
            mine_param = mine.get_parameter(name)
            if param.grad is None:
                assert mine_param.grad is None, f"gradient of {name}: torch computes none"
            else:
                assert_close(mine_param.grad, param.grad, what=f"gradient of {name}")
            param.grad = mine_param.grad = None
        for (name, value), (_, expected) in zip(mine.named_buffers(), theirs.named_buffers()):
            assert_close(value, expected, what=name)
    return mine, theirs
