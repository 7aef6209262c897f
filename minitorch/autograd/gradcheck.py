"""gradcheck: compare autograd's gradients with finite differences, as torch.autograd.gradcheck.

For f: R^n -> R^m the Jacobian J[i][j] = d f_i / d x_j is computed twice:
- numerically, one column at a time: J[:, j] ~ (f(x + eps e_j) - f(x - eps e_j)) / (2 eps);
- analytically, one row at a time with backward: J[i, :] = grad of f_i (a vector-Jacobian product
  with the unit vector e_i).
They must agree within ``atol + rtol * |numerical|``. Use float64: in float32 the finite
differences themselves are too inaccurate.
"""
import warnings

import numpy as np

from .._tensor import Tensor
from .engine import grad as autograd_grad


class GradcheckError(RuntimeError):
    """Raised by gradcheck when the analytical and numerical gradients differ."""


def _as_tuple(x):
    """Inputs (or outputs) as a tuple: a tuple or a list is taken as several, anything else as one, as torch."""
    if isinstance(x, tuple):
        return x
    return tuple(x) if isinstance(x, list) else (x,)


def _outputs(func, inputs):
    return tuple(o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor))


def _numerical_jacobian(func, inputs, index, eps):
    """Columns of d(outputs)/d(inputs[index]) by central differences; one matrix per output."""
    x = inputs[index]
    flat = x.array.reshape(-1)  # a view when x is contiguous: perturbations are seen by func
    if not np.shares_memory(flat, x.array) and flat.size:
        raise ValueError("gradcheck needs contiguous inputs")
    columns = []
    for j in range(flat.size):  # (grad mode stays on: gradgradcheck's func itself takes gradients)
        original = flat[j].copy()
        flat[j] = original + eps
        plus = [o.array.astype(np.float64).reshape(-1) for o in _outputs(func, inputs)]
        flat[j] = original - eps
        minus = [o.array.astype(np.float64).reshape(-1) for o in _outputs(func, inputs)]
        flat[j] = original
        columns.append([(p - m) / (2 * eps) for p, m in zip(plus, minus)])
    n_out = len(columns[0]) if columns else len(_outputs(func, inputs))
    return [np.stack([c[k] for c in columns], axis=1) if columns else np.zeros((0, 0)) for k in range(n_out)]


def _analytical_jacobian(outputs, inputs, index):
    """Rows of d(outputs)/d(inputs[index]) by one backward per output element."""
    x = inputs[index]
    result = []
    for out in outputs:
        rows = np.zeros((out.numel(), x.numel()))
        if out.requires_grad:
            for i in range(out.numel()):
                seed = np.zeros(out.numel(), dtype=out.array.dtype)
                seed[i] = 1
                g, = autograd_grad(out, x, Tensor._make(seed.reshape(out.array.shape)), retain_graph=True,
                                   allow_unused=True)
                if g is not None:
                    rows[i] = g.array.astype(np.float64).reshape(-1)
        result.append(rows)
    return result


def gradcheck(func, inputs, *, eps=1e-06, atol=1e-05, rtol=0.001, raise_exception=True, nondet_tol=0.0,
              check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
              check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True, fast_mode=False,
              masked=None):
    """True when the gradients of ``func`` at ``inputs`` match finite differences (else raises)."""
    inputs = _as_tuple(inputs)
    checked = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not checked:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of them have "
                         "requires_grad=True.")
    for i in checked:
        if inputs[i].dtype.name != "float64":
            warnings.warn(f"Input #{i} requires gradient and is not a double precision floating point. This check "
                          "will likely fail if all the inputs are not of double precision floating point.")
    outputs = _outputs(func, inputs)
    for i in checked:
        numerical = _numerical_jacobian(func, inputs, i, eps)
        analytical = _analytical_jacobian(outputs, inputs, i)
        if len(numerical) != len(analytical):
            raise RuntimeError(f"gradcheck: func gave {len(analytical)} outputs at the given inputs but "
                               f"{len(numerical)} when input {i} was perturbed")
        for k, (num, ana) in enumerate(zip(numerical, analytical)):
            if not np.allclose(ana, num, rtol=rtol, atol=atol):
                message = (f"Jacobian mismatch for output {k} with respect to input {i},\n"
                           f"numerical:{num}\nanalytical:{ana}\n")
                if raise_exception:
                    raise GradcheckError(message)
                return False
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-06, atol=1e-05, rtol=0.001, gen_non_contig_grad_outputs=False,
                  raise_exception=True, nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
                  check_batched_grad=False, check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    """gradcheck of the gradient itself: checks second derivatives (backward of backward)."""
    inputs = _as_tuple(inputs)
    outputs = _outputs(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(Tensor._make(rng.standard_normal(o.array.shape).astype(o.array.dtype))
                             .requires_grad_() for o in outputs)
    grad_outputs = _as_tuple(grad_outputs)
    diff_inputs = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    n = len(inputs)

    def first_derivatives(*args):
        outs = _outputs(func, args[:n])
        used = [(o, g) for o, g in zip(outs, args[n:]) if o.requires_grad]
        grads = autograd_grad([o for o, _ in used], [x for x in args[:n] if isinstance(x, Tensor) and
                                                      x.requires_grad], [g for _, g in used], create_graph=True,
                              allow_unused=True)
        return tuple(g for g in grads if g is not None)

    assert diff_inputs
    return gradcheck(first_derivatives, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
