"""Padding layers: thin modules over F.pad (see nn/functional/padding.py), one per mode and rank.

``XPad1d`` pads the last dim of (C, W) or (N, C, W), ``XPad2d`` the last two, ``XPad3d`` the last three.
An int pads every side by that much; a tuple is (left, right[, top, bottom[, front, back]]), as F.pad.
Negative padding removes values. Modes:

- Zero / Constant: new values are 0 / ``value``;
- Reflection: mirrored about the edge element (padding must be smaller than the dim);
- Replication: the edge element repeated;
- Circular: the tensor wrapped around (values from the other end).
"""
from .. import functional as F
from .._ntuple import ntuple
from .module import Module

__all__ = ["CircularPad1d", "CircularPad2d", "CircularPad3d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d",
           "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d",
           "ReplicationPad3d", "ZeroPad1d", "ZeroPad2d", "ZeroPad3d"]


class _PadNd(Module):
    """F.pad(input, self.padding, self.mode) with ``2 * spatial`` padding numbers."""
    mode, spatial = None, None

    def __init__(self, padding):
        super().__init__()
        self.padding = ntuple(padding, 2 * self.spatial)  # (unchecked here: F.pad checks it, as torch)

    def forward(self, input):
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    mode = "constant"

    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class _CircularPadNd(_PadNd):
    """Circular padding checks the rank itself (ValueError), before F.pad, as torch."""
    mode = "circular"

    def forward(self, input):
        if input.ndim not in (self.spatial + 1, self.spatial + 2):
            raise ValueError(f"expected {self.spatial + 1}D or {self.spatial + 2}D input (got {input.ndim}D input)")
        return super().forward(input)


class ConstantPad1d(_ConstantPadNd):
    """Pads the last dim with ``value``."""
    spatial = 1


class ConstantPad2d(_ConstantPadNd):
    """Pads the last two dims with ``value``."""
    spatial = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last three dims with ``value``."""
    spatial = 3


class ZeroPad1d(_ZeroPadNd):
    """Pads the last dim with zeros."""
    spatial = 1


class ZeroPad2d(_ZeroPadNd):
    """Pads the last two dims with zeros."""
    spatial = 2


class ZeroPad3d(_ZeroPadNd):
    """Pads the last three dims with zeros."""
    spatial = 3


class ReflectionPad1d(_PadNd):
    """Pads the last dim with its mirror image about the edge element: [a, b, c] -> [b, a, b, c, b]."""
    mode, spatial = "reflect", 1


class ReflectionPad2d(_PadNd):
    """Pads the last two dims with their mirror image about the edge elements."""
    mode, spatial = "reflect", 2


class ReflectionPad3d(_PadNd):
    """Pads the last three dims with their mirror image about the edge elements."""
    mode, spatial = "reflect", 3


class ReplicationPad1d(_PadNd):
    """Pads the last dim by repeating its edge element: [a, b, c] -> [a, a, b, c, c]."""
    mode, spatial = "replicate", 1


class ReplicationPad2d(_PadNd):
    """Pads the last two dims by repeating their edge elements."""
    mode, spatial = "replicate", 2


class ReplicationPad3d(_PadNd):
    """Pads the last three dims by repeating their edge elements."""
    mode, spatial = "replicate", 3


class CircularPad1d(_CircularPadNd):
    """Pads the last dim with values from its other end: [a, b, c] -> [c, a, b, c, a]."""
    spatial = 1


class CircularPad2d(_CircularPadNd):
    """Pads the last two dims with values from their other ends."""
    spatial = 2


class CircularPad3d(_CircularPadNd):
    """Pads the last three dims with values from their other ends."""
    spatial = 3
