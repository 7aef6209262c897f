"""Axis limits that stay put while a slider moves a little.

New limits mean new tick labels, and those can only be shown by drawing the whole figure again
(see ``_rendering``). So the widgets choose limits that change rarely: limits move only when
the data leaves them or shrinks to a small part of them, and then to round values (whole
decades on log axes, round step counts). The data always stays in view.
"""
import math

FILL = 0.25   # limits are kept while the data spans at least this fraction of them


def sticky(current, low, high):
    """Linear limits showing [low, high]: ``current`` while the data fills at least a quarter
    of it, else the data with half its range as room on each side (it may double or halve)."""
    inside = current[0] <= low and high <= current[1]
    if inside and high - low >= FILL * (current[1] - current[0]):
        return current
    pad = 0.5 * (high - low) or 0.5 * abs(high) or 1.0
    return low - pad, high + pad


def sticky_decades(current, low, high):
    """Log-axis limits showing [low, high] (both > 0): ``current`` while the data spans at least
    a quarter of its decades, else whole decades around the data, with up to one decade of room."""
    low, high = math.log10(low), math.log10(high)
    if current[0] > 0:  # an axes with no data yet may have no valid log limits
        first, last = math.log10(current[0]), math.log10(current[1])
        if first <= low and high <= last and high - low >= FILL * (last - first):
            return current
    room = min(0.25 * (high - low), 1.0)
    bottom = math.floor(low - room)
    return 10.0 ** bottom, 10.0 ** max(math.ceil(high + room), bottom + 1)


def sticky_count(current, n):
    """An upper limit for a count n (steps): ``current`` while n is between half of it and it,
    else the smallest multiple of half a power of ten >= n (7 -> 7, 101 -> 150, 230 -> 250)."""
    if current / 2 <= n <= current:
        return current
    unit = 10 ** math.floor(math.log10(max(n, 1))) / 2
    return math.ceil(max(n, 1) / unit) * unit
