"""The PNG: latency distributions (CDFs) of the three targets per mode, and throughput."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from benches.load.phases import PhaseResult
from benches.load.targets import DIRECT, PASSTHROUGH, PHIWALL

COLORS = {DIRECT: "#7f7f7f", PASSTHROUGH: "#1f77b4", PHIWALL: "#d62728"}
TARGETS = (DIRECT, PASSTHROUGH, PHIWALL)


def _panels(results: Sequence[PhaseResult]) -> list[tuple[str, PhaseResult, str]]:
    """(title, phase, measure) for each latency panel: fixed-rate phases, TTFT first."""
    panels = []
    for result in results:
        if result.phase.kind != "rate":
            continue
        mode = "streaming" if result.phase.stream else "non-streaming"
        if result.phase.stream:
            panels.append((f"{mode}: time to first token", result, "ttft_ms"))
        panels.append((f"{mode}: total", result, "total_ms"))
    return panels


def plot(results: Sequence[PhaseResult], path: Path, rate: float) -> None:
    """Draw one CDF panel per fixed-rate measure and a throughput panel; write `path`.

    Costs a sort per series and matplotlib's rendering (~1 s). Raises OSError if the file
    cannot be written.
    """
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    panels = _panels(results)
    saturation = [r for r in results if r.phase.kind == "saturation"]
    count = max(1, len(panels) + (1 if saturation else 0))
    columns = min(count, 2)
    rows = (count + columns - 1) // columns
    figure, grid = plt.subplots(rows, columns, figsize=(6 * columns, 4.4 * rows), squeeze=False)
    axes = [axis for row in grid for axis in row]
    for axis in axes[count:]:
        axis.set_visible(False)
    for axis, (title, result, measure) in zip(axes, panels, strict=False):
        for target in TARGETS:
            values = sorted(
                getattr(s.outcome, measure)
                for s in result.samples
                if s.target == target and s.correct and getattr(s.outcome, measure) is not None
            )
            if not values:
                continue
            fractions = [(i + 1) / len(values) for i in range(len(values))]
            axis.step(values, fractions, where="post", color=COLORS[target], label=target)
        axis.set_xscale("log")
        axis.set_xlabel("latency (ms, log scale)")
        axis.set_ylabel("fraction of requests")
        axis.set_title(f"{title} @ {rate:g} req/s", fontsize=10)
        for level in (0.5, 0.99):
            axis.axhline(level, color="#cccccc", linewidth=0.8, zorder=0)
        axis.grid(True, which="both", axis="x", color="#eeeeee")
        axis.legend(loc="lower right", fontsize=8)
    if saturation:
        axis = axes[len(panels)]
        width = 0.8 / len(saturation)
        for number, result in enumerate(saturation):
            label = "streaming" if result.phase.stream else "non-streaming"
            rates = [result.throughput[t].requests_per_second for t in TARGETS]
            positions = [i + (number - (len(saturation) - 1) / 2) * width for i in range(3)]
            bars = axis.bar(positions, rates, width, label=label, alpha=0.6 + 0.4 * number)
            for bar, target in zip(bars, TARGETS, strict=True):
                bar.set_color(COLORS[target])
            axis.bar_label(bars, fmt="%.0f", fontsize=7)
        axis.set_xticks(range(3), TARGETS)
        axis.set_ylabel("requests/s")
        axis.set_title("saturation throughput (non-streaming, streaming)", fontsize=10)
    figure.suptitle("phiwall load benchmark: latency CDFs per target", fontsize=11)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
