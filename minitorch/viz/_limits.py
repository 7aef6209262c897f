"""Axis limits that stay put while a slider moves a little.

New limits mean new tick labels, and those can only be shown by drawing the whole figure again
(see ``_rendering``). So the widgets choose limits that change rarely: whole decades on log
axes, round numbers of steps, and linear limits that move only when the data leaves them or
shrinks to a small part of them. The data always stays in view.
"""
import math


def decades(low, high):
    """Log-axis limits: the powers of ten around [low, high] (both > 0), with a little room."""
    bottom = math.floor(math.log10(low) - 0.1)
    top = math.ceil(math.log10(high) + 0.1)
    return 10.0 ** bottom, 10.0 ** max(top, bottom + 1)


def round_up(n):
    """The smallest multiple of half a power of ten that is >= n (7 -> 7, 101 -> 150, 230 -> 250)."""
    if n <= 0:
        return 1
    unit = 10 ** math.floor(math.log10(n)) / 2
    return math.ceil(n / unit) * unit


def sticky(current, low, high):
    """Linear limits showing [low, high]: ``current`` while the data fills at least a third of
    it, else the data with a quarter of its range as room on each side."""
    inside = current[0] <= low and high <= current[1]
    if inside and high - low >= (current[1] - current[0]) / 3:
        return current
    pad = 0.25 * (high - low) or 0.5 * abs(high) or 1.0
    return low - pad, high + pad
