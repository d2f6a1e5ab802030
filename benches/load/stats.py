"""Percentiles and latency summaries."""

from __future__ import annotations

import math
from collections.abc import Sequence

import msgspec

PERCENTILES = (50.0, 90.0, 99.0)


class Summary(msgspec.Struct, frozen=True):
    """The distribution of one measure: count, percentiles, mean and max (NaN when empty)."""

    n: int
    p50: float
    p90: float
    p99: float
    mean: float
    max: float


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The `q`-th percentile (0..100) of already sorted values, linearly interpolated.

    The same definition as numpy's default ("linear"). O(1). Returns NaN for no values;
    raises ValueError if `q` is outside 0..100.
    """
    if not 0.0 <= q <= 100.0:
        raise ValueError(f"percentile q must be within 0..100, not {q}")
    if not sorted_values:
        return math.nan
    position = (len(sorted_values) - 1) * q / 100.0
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    fraction = position - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction


def summarize(values: Sequence[float]) -> Summary:
    """Summary of `values` (any order); O(n log n) for the sort. Empty input gives NaNs."""
    ordered = sorted(values)
    if not ordered:
        return Summary(0, math.nan, math.nan, math.nan, math.nan, math.nan)
    p50, p90, p99 = (percentile(ordered, q) for q in PERCENTILES)
    return Summary(len(ordered), p50, p90, p99, math.fsum(ordered) / len(ordered), ordered[-1])


def ratio(numerator: float, denominator: float) -> float:
    """`numerator / denominator`, or NaN when the denominator is not positive (a ratio of
    added latencies means nothing when the floor added nothing measurable)."""
    if not denominator > 0.0 or math.isnan(numerator):
        return math.nan
    return numerator / denominator
