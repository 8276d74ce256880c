"""How numbers and shares read in tables, notes and reports: one rule for each, used by the
command line, the HTML reports and the notes the analyses write (a country's main exchange
metro, "49.4 Tbit/s of exchange ports"). CSV and JSON keep every digit; the web map's
``fmt`` and ``pct`` (``web/static/js/table.js``) follow the same rules.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

__all__ = ["number_text", "share_text"]


def number_text(v: float) -> str:
    """How a table shows a number (the one rule of every table; CSV and JSON keep every
    digit): whole units with thousands commas from 100 on, three significant digits
    below, so no value but zero reads 0, and never in powers of ten: a value under a
    millionth reads "<0.000001" (a 1.8e-12 km leg between two drawn points that
    coincide); NaN is an empty cell.

    >>> [number_text(v) for v in (0.0, -0.0, 1207, 35887.464, 99.96, 9.0709, 1.0)]
    ['0', '0', '1,207', '35,887', '100', '9.07', '1']
    >>> [number_text(v) for v in (0.6667, -0.005270, 0.000906, 2.5e-6, -1.5e15, float("nan"))]
    ['0.667', '-0.00527', '0.000906', '0.0000025', '-1,500,000,000,000,000', '']
    >>> number_text(1.84e-12), number_text(-1.84e-12)
    ('<0.000001', '>-0.000001')
    """
    if math.isnan(v):
        return ""
    if v == 0:
        return "0"  # not "-0"
    if abs(v) < 1e-6:
        return "<0.000001" if v > 0 else ">-0.000001"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return np.format_float_positional(v, precision=3, fractional=False, trim="-")


def share_text(v: float, *, digits: int = 0, marks: Sequence[float] = ()) -> str:
    """How a table shows a share (0 to 1) in percent, the one rule of every table (CSV and
    JSON keep the share itself): to ``digits`` decimals (whole percent by default), and
    no share but zero reads 0 %, none but the whole reads 100 %: a share that would round
    to either gets the fewest further decimals that show it is neither (0.3 %, 0.04 %,
    99.6 %), down to 0.0001 % ("<0.0001%" and ">99.9999%" beyond). Zero and the whole
    read "0%" and "100%" at any ``digits``, so "0.0%" never appears; so does a share
    within 1e-12 of either, the rounding of the floating-point sums that made it (a
    landing point's share all lost comes out 1 - 1e-16). Halves round away from zero, as
    the web's ``pct`` (same rule) does; NaN is an empty cell. ``marks`` are lines a
    reader compares the share with (the severity thresholds beside a severity column): a
    share just under one gets the further decimals that keep it from reading as the line
    itself (0.5994 beside a line at 0.6 reads 59.9 %, not 60 %).

    >>> [share_text(v) for v in (0.0, 1.0, 0.38, 0.005, 0.003, 0.0004, 0.996, 0.9996)]
    ['0%', '100%', '38%', '1%', '0.3%', '0.04%', '99.6%', '99.96%']
    >>> [share_text(v, digits=1) for v in (0.452, 0.0, 0.0004, 0.99996, float("nan"))]
    ['45.2%', '0%', '0.04%', '99.996%', '']
    >>> share_text(-0.003), share_text(2e-7), share_text(0.9999999), share_text(1.25)
    ('-0.3%', '<0.0001%', '>99.9999%', '125%')
    >>> share_text(0.9999999999999999), share_text(-1e-17)
    ('100%', '0%')
    >>> [share_text(v, marks=(0.2, 0.6)) for v in (0.5994, 0.6009, 0.596, 0.1996, 0.59999999)]
    ['59.9%', '60%', '59.6%', '19.96%', '<60%']
    """
    if math.isnan(v):
        return ""
    sign, m = ("-" if v < 0 else ""), abs(100 * v)
    if m < 1e-10:
        return "0%"  # not "-0%"
    if abs(m - 100) < 1e-10:
        return f"{sign}100%"
    lines = [x for x in (round(100 * x, 9) for x in marks) if m < x]  # only a line above
    for d in range(digits, max(digits, 4) + 1):
        text = f"{Decimal(m).quantize(Decimal(1).scaleb(-d), ROUND_HALF_UP):f}"
        if float(text) not in (0, 100) and all(float(text) < x for x in lines):
            return f"{sign}{text}%"
    if lines and float(text) not in (0, 100):  # within 0.00005 of a line under it
        return f"<{sign}{min(lines):g}%"
    less = (m < 50 or m > 100) == (v > 0)  # the bound is nearer zero than v
    bound = "0.0001" if m < 50 else "99.9999" if m < 100 else "100.0001"
    return f"{'<' if less else '>'}{sign}{bound}%"
