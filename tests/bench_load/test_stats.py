"""benches/load/stats.py: percentiles (numpy's linear definition) and summaries."""

from __future__ import annotations

import math

import pytest
from benches.load.stats import percentile, ratio, summarize


def test_percentile_interpolates_linearly() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == 3.0
    assert percentile(values, 100) == 5.0
    assert percentile(values, 90) == pytest.approx(4.6)
    assert percentile([7.0], 99) == 7.0


def test_percentile_matches_numpy() -> None:
    numpy = pytest.importorskip("numpy")
    values = sorted(((i * 7919) % 1000) / 10 for i in range(1000))
    for q in (50, 90, 99, 99.9):
        assert percentile(values, q) == pytest.approx(float(numpy.percentile(values, q)))


def test_percentile_of_nothing_is_nan_and_q_is_checked() -> None:
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError, match="within"):
        percentile([1.0], 101)


def test_summarize_sorts_and_counts() -> None:
    summary = summarize([3.0, 1.0, 2.0])
    assert (summary.n, summary.p50, summary.max, summary.mean) == (3, 2.0, 3.0, 2.0)
    assert math.isnan(summarize([]).p99)


def test_ratio_is_nan_when_the_floor_added_nothing() -> None:
    assert ratio(2.0, 1.0) == 2.0
    assert math.isnan(ratio(1.0, 0.0))
    assert math.isnan(ratio(1.0, -0.5))
    assert math.isnan(ratio(math.nan, 1.0))
