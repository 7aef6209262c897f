"""torch's checks on optimizer arguments, and reading hyper-parameters that may be Tensors.

Every check raises torch's exception class with torch's message, at the constructor call that
made the mistake (or, for ``fused`` with a non-floating parameter, at the first step, as torch).

The implementation flags
------------------------
torch's constructors take ``foreach``, ``fused``, ``capturable`` and ``differentiable``. The first
three choose *how* torch computes the update, never *what* it computes:

- ``foreach=True`` runs one kernel per operation over the whole list of parameters; ``fused=True``
  runs one kernel for the whole update. minitorch accepts both and changes nothing: each numpy/cupy
  operation already updates a whole array at once.
- ``capturable=True`` keeps the step count on the GPU so the step can be recorded in a CUDA graph.
  minitorch has no CUDA graphs: the flag is accepted and ignored (torch refuses it for CPU tensors
  at the first step; minitorch does not).
- ``differentiable=True`` lets autograd record the update itself, so gradients flow through
  ``optimizer.step()`` (meta-learning). minitorch's update rules work on raw arrays, outside autograd,
  so it raises ``NotImplementedError`` instead of silently cutting the gradient.
"""
from .._tensor import Tensor

FUSED_DEVICES = ["cpu", "cuda"]


def check_at_least(value, low, name):
    """torch's argument check: ``ValueError("Invalid <name>: <value>")`` unless ``low <= value``."""
    if not low <= value:
        raise ValueError(f"Invalid {name}: {value}")


def check_lr(lr, message="Invalid learning rate: {}"):
    """A learning rate is a number or a one-element Tensor, and not negative."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(message.format(lr))


def check_betas(betas):
    """Both betas must lie in [0, 1): torch names the index and the value of the bad one. As torch, it
    reads ``betas[0]`` and ``betas[1]``, so a single beta, ``betas=(0.9,)``, is an IndexError here."""
    for index in (0, 1):
        try:
            beta = betas[index]
        except IndexError:
            raise IndexError(f"betas should hold two values (beta1, beta2), got {betas!r}") from None
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {index}: {beta}")


def check_tensor_betas(betas, foreach, capturable):
    """Adam's (and AdamW's) rules on betas: both floats or both one-element Tensors, and no Tensor
    with ``foreach=True`` unless ``capturable`` (torch's foreach kernels cannot take them). Returns
    the betas as a tuple, a one-element Tensor squeezed to 0-d, as torch stores them."""
    if not (all(isinstance(beta, float) for beta in betas) or all(isinstance(beta, Tensor) for beta in betas)):
        raise ValueError("betas must be either both floats or both Tensors")
    for index, beta in enumerate(betas):
        if isinstance(beta, Tensor):
            if foreach and not capturable:
                raise ValueError(f"betas[{index}] as a Tensor is not supported for capturable=False and foreach=True")
            if beta.numel() != 1:
                raise ValueError(f"Tensor betas[{index}] must be 1-element")
    return tuple(beta.squeeze() if isinstance(beta, Tensor) and beta.ndim != 0 else beta for beta in betas)


def check_implementation_flags(defaults):
    """torch's rules on ``fused``/``foreach``/``differentiable`` (see the module docstring)."""
    if defaults.get("fused"):
        if defaults.get("differentiable"):
            raise RuntimeError("`fused` does not support `differentiable`")
        if defaults.get("foreach"):
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
    if defaults.get("differentiable"):
        raise NotImplementedError(
            "differentiable=True is not supported by minitorch.optim: its update rules work on raw arrays, "
            "outside autograd, so no gradient can flow through optimizer.step(). Use differentiable=False "
            "(the default), or write the update with Tensor operations yourself.")


def check_fused_param(param):
    """``fused=True`` needs floating-point parameters (checked at the step, as torch does)."""
    if not param.is_floating_point():
        raise RuntimeError("`fused=True` requires all the params to be floating point Tensors of supported "
                           f"devices: {FUSED_DEVICES} but {param.dtype} and {param.device.type}")


def as_numbers(group):
    """The group with each Tensor hyper-parameter (a Tensor ``lr``, Tensor ``betas``) read as a number
    of the Tensor's dtype: change the Tensor in place and the next step uses the new value. A numpy
    float32 number, like torch's 0-d float32 Tensor, keeps the arithmetic on it in float32
    (``1 - lr * weight_decay``, ``1 - beta1 ** step``), so the update rounds as torch's does.
    The group itself is left as it is."""
    if not any([isinstance(value, (Tensor, tuple)) for value in group.values()]):
        return group  # plain numbers (the usual case): nothing to read
    return {key: _number(value) if key != "params" else value for key, value in group.items()}


def _number(value):
    if isinstance(value, Tensor):
        array = value.array.reshape(())
        return array.dtype.type(array.item())
    if isinstance(value, tuple) and any(isinstance(v, Tensor) for v in value):
        return tuple(_number(v) for v in value)
    return value
