"""minitorch.autograd: the graph, the backward engine, and tools to check gradients."""
from .engine import backward, grad
from .function import Function
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import gradcheck, gradgradcheck
from . import functional

__all__ = ["Function", "backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
           "gradcheck", "gradgradcheck", "functional"]
