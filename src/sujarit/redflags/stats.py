"""Dataset-wide statistics exactly as Cardinal computes them.

Cardinal uses the ``statrs`` crate: quantiles by the R-8 estimator (Hyndman and Fan's type 8,
"median-unbiased"), and fences such as ``Q1 - 1.5 * IQR`` computed with a fused multiply-add
(Rust's ``mul_add``, a single rounding). A fence that is off by one unit in the last place can
flag or spare a process whose ratio sits exactly on it, so both are reproduced bit for bit here,
in plain Python (the values come from whichever SQL backend ran the indicators).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from fractions import Fraction

_THIRD = 1.0 / 3.0


def quantile(ordered: Sequence[float], tau: float) -> float:
    """The R-8 quantile of ``ordered`` (sorted ascending), as ``statrs`` 0.16 computes it."""
    n = len(ordered)
    if not 0.0 <= tau <= 1.0 or n == 0:
        return math.nan
    h = (n + _THIRD) * tau + _THIRD
    hf = int(h)
    if hf <= 0 or tau == 0.0:
        return ordered[0]
    if hf >= n or abs(tau - 1.0) <= sys.float_info.epsilon:
        return ordered[-1]
    a = ordered[hf - 1]
    b = ordered[hf]
    return a + (h - hf) * (b - a)


def quantile_at(n: int, tau: float, ordered: Mapping[int, float]) -> float:
    """The R-8 quantile of a set of ``n`` values of which only some order statistics are known:
    ``ordered[k]`` is the k-th smallest (1-based); the ones the quantile needs must be there."""
    if not 0.0 <= tau <= 1.0 or n == 0:
        return math.nan
    h = (n + _THIRD) * tau + _THIRD
    hf = int(h)
    if hf <= 0 or tau == 0.0:
        return ordered[1]
    if hf >= n or abs(tau - 1.0) <= sys.float_info.epsilon:
        return ordered[n]
    a = ordered[hf]
    b = ordered[hf + 1]
    return a + (h - hf) * (b - a)


def quartiles(values: Sequence[float]) -> tuple[float, float]:
    """(Q1, Q3) by R-8."""
    ordered = sorted(values)
    return quantile(ordered, 0.25), quantile(ordered, 0.75)


def fma(x: float, y: float, z: float) -> float:
    """``x * y + z`` with a single rounding, like Rust's ``f64::mul_add``."""
    if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(z)):
        return x * y + z
    exact = Fraction(x) * Fraction(y) + Fraction(z)
    if exact == 0:
        # IEEE: an exact zero sum is +0 unless both addends are -0 (not reachable with a
        # non-zero product); keep the sign rule simple and positive.
        return 0.0
    return float(exact)


def lower_fence(q1: float, q3: float) -> float:
    """``Q1 - 1.5 * IQR``, fused as Cardinal computes it."""
    return fma(q3 - q1, -1.5, q1)


def upper_fence(q1: float, q3: float) -> float:
    """``Q3 + 1.5 * IQR``, fused as Cardinal computes it."""
    return fma(q3 - q1, 1.5, q3)


def round4(value: float) -> float | None:
    """Cardinal's rounding of ``Meta`` values to 4 decimals (half away from zero); NaN and
    infinite results → None."""
    if math.isnan(value):
        return None
    scaled = value * 10_000.0
    if math.isinf(scaled):
        # Infinite, or so large that scaling overflows: Cardinal's (v * 1e4).round() / 1e4
        # is then infinite, which it prints as null.
        return None
    magnitude = abs(scaled)
    floor = math.floor(magnitude)
    rounded = floor + 1.0 if magnitude - floor >= 0.5 else float(floor)
    return math.copysign(rounded, scaled) / 10_000.0
