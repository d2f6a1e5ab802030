"""Shared by the micro benchmarks: a `compare` fixture and a ratio summary at the end.

`compare(impl, fn, *args, per=n)` runs pytest-benchmark on `fn(*args)` and records its mean
divided by `per` (e.g. per chunk, when `fn` feeds n chunks) under the benchmark's group. At
the end of the run, each group's implementations are listed with their ratio to the fastest
of the group, so "rust" vs "python" reads directly off the terminal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest

_MEANS: dict[str, dict[str, float]] = defaultdict(dict)


@pytest.fixture
def compare(benchmark: Any) -> Callable[..., Any]:
    def run(impl: str, fn: Callable[..., Any], *args: Any, per: int = 1) -> Any:
        result = benchmark(fn, *args)
        if benchmark.stats is not None:  # None under --benchmark-disable
            mean = benchmark.stats.stats.mean / per
            benchmark.extra_info["ns_per_op"] = round(mean * 1e9, 1)
            _MEANS[benchmark.group or benchmark.name][impl] = mean
        return result

    return run


def _format(seconds: float) -> str:
    ns = seconds * 1e9
    return f"{ns:,.0f} ns" if ns < 10_000 else f"{ns / 1000:,.1f} µs"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _MEANS:
        return
    terminalreporter.section("mean per operation, and ratio to the fastest of its group")
    for group, means in _MEANS.items():
        base = min(means.values())
        for impl, mean in means.items():
            terminalreporter.write_line(
                f"{group:<34} {impl:<22} {_format(mean):>12} {mean / base:>8.1f}x"
            )
