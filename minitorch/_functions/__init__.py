"""The differentiable primitives, one family per file. Each is an ``autograd.Function`` whose
forward computes on the raw array with ``xp`` (numpy or cupy) and whose backward, written with
Tensor ops, carries the math of its derivative in its docstring.

Like torch, minitorch lets floating-point special values through silently (1 / 0 is inf, log of a
negative number is nan): numpy's RuntimeWarnings from inside these primitives are not shown.
"""
import warnings

warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"minitorch\._functions\.")
