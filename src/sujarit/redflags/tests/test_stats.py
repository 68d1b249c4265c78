"""Cardinal's statistics, bit for bit: R-8 quartiles, fused fences, rounding of Meta values."""

from __future__ import annotations

import math

from sujarit.redflags import stats


def test_r8_quantile_interpolates_like_statrs():
    # n = 4: h = (4 + 1/3) * 0.25 + 1/3 = 1.4167, so Q1 = x1 + 0.4167 * (x2 - x1).
    assert math.isclose(stats.quantile([1.0, 2.0, 3.0, 4.0], 0.25), 1.4166666666666667)
    # h = (4 + 1/3) * 0.75 + 1/3 = 3.5833, so Q3 = x3 + 0.5833 * (x4 - x3).
    assert math.isclose(stats.quantile([1.0, 2.0, 3.0, 4.0], 0.75), 3.5833333333333335)


def test_r8_quantile_edges():
    assert stats.quantile([5.0], 0.25) == 5.0
    assert stats.quantile([1.0, 9.0], 0.0) == 1.0
    assert stats.quantile([1.0, 9.0], 1.0) == 9.0
    assert math.isnan(stats.quantile([], 0.5))
    assert math.isnan(stats.quantile([1.0], 1.5))


def test_fused_multiply_add_rounds_once():
    # The exact value of 0.1 * 3 - 0.3 (as doubles) is 2**-55; rounding the product first
    # gives 2**-54.
    assert stats.fma(0.1, 3.0, -0.3) == 2.0**-55
    assert 0.1 * 3.0 - 0.3 == 2.0**-54
    assert stats.lower_fence(1.0, 3.0) == -2.0
    assert stats.upper_fence(1.0, 3.0) == 6.0


def test_meta_values_round_half_away_from_zero_and_nan_is_null():
    assert stats.round4(0.00005) == 0.0001
    assert stats.round4(-0.00005) == -0.0001
    assert stats.round4(0.12344) == 0.1234
    assert stats.round4(math.nan) is None


def test_meta_values_too_large_to_scale_are_null_as_in_cardinal():
    # Cardinal computes (v * 10000).round() / 10000: infinite past about 1.8e304, printed
    # as null; below that the value comes back unchanged.
    assert stats.round4(math.inf) is None
    assert stats.round4(-1e305) is None
    assert stats.round4(1e300) == 1e300
    assert stats.round4(-1e300) == -1e300
