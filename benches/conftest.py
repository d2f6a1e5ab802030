"""Shared by the micro benchmarks: a `compare` fixture and a ratio summary at the end.

`compare(impl, fn, *args, per=n)` runs pytest-benchmark on `fn(*args)` and records its median
divided by `per` (e.g. per chunk, when `fn` feeds n chunks) under the benchmark's group. At
the end of the run, each group's implementations are listed with their ratio to the fastest
of the group, so "rust" vs "python" reads directly off the terminal. The median, not the
mean: on a machine shared with other work, a few preempted rounds inflate the mean.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest

_MEDIANS: dict[str, dict[str, float]] = defaultdict(dict)


@pytest.fixture
def compare(benchmark: Any) -> Callable[..., Any]:
    def run(impl: str, fn: Callable[..., Any], *args: Any, per: int = 1) -> Any:
        result = benchmark(fn, *args)
        if benchmark.stats is not None:  # None under --benchmark-disable
            median = benchmark.stats.stats.median / per
            benchmark.extra_info["median_ns_per_op"] = round(median * 1e9, 1)
            _MEDIANS[benchmark.group or benchmark.name][impl] = median
        return result

    return run


def _format(seconds: float) -> str:
    ns = seconds * 1e9
    return f"{ns:,.0f} ns" if ns < 10_000 else f"{ns / 1000:,.1f} µs"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _MEDIANS:
        return
    terminalreporter.section("median per operation, and ratio to the fastest of its group")
    for group, medians in _MEDIANS.items():
        fastest = min(medians.values())
        for impl, median in medians.items():
            terminalreporter.write_line(
                f"{group:<34} {impl:<22} {_format(median):>12} {median / fastest:>7.1f}x"
            )
