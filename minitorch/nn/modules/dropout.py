"""Dropout: in training, zero each element with probability p and scale the others by 1/(1-p).

``Dropout1d``/``Dropout2d``/``Dropout3d`` zero whole channels instead (every position of a feature
map together): after a convolution, neighbouring positions are strongly correlated, so dropping
single elements hardly regularises (Tompson et al., 2015).
"""
from .. import functional as F
from ..functional.layers import check_dropout_probability
from .module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d"]


class _DropoutNd(Module):
    """What the dropout layers share: ``p`` (checked to be in [0, 1]), ``inplace`` and the repr."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        check_dropout_probability(p)
        self.p, self.inplace = p, inplace

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Randomly zeroes elements in training mode (``model.train()``); the identity after ``model.eval()``."""

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Zeroes whole channels of (N, C, L) or (C, L) inputs in training mode (usually after nn.Conv1d)."""

    def forward(self, input):
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Zeroes whole channels of (N, C, H, W) inputs in training mode (usually after nn.Conv2d).
    A 3-D input is read as (N, C, L), with a warning, as torch does."""

    def forward(self, input):
        return F.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    """Zeroes whole channels of (N, C, D, H, W) or (C, D, H, W) inputs in training mode."""

    def forward(self, input):
        return F.dropout3d(input, self.p, self.training, self.inplace)
