"""Where phiwall's own work goes: `Masker.mask` on the load benchmark's requests, in process.

    python -m benches.load.mask_profile               # per-request CPU and wall time
    python -m benches.load.mask_profile --profile     # plus a pyinstrument call tree
    python -m benches.load.mask_profile --cold        # plus where cold detection goes

The requests are a fixed-rate phase's (same generator, seed and call interleaving), masked
in order by one `Masker`, as one proxy worker would, after a warm-up on other calls. CPU
time (`time.thread_time_ns`) is reported beside wall time because on a shared machine the
wall clock also counts time the process was preempted; the detector is also timed alone on
each request's new user text, to separate detection from the per-request passes over the
whole history.

Masking is measured twice: back to back, and paced like the benchmark (`--gap`, 10 ms
between requests = 100 requests/s). Paced, the same work costs about twice the CPU: the
idle gap leaves CPU caches and branch predictors cold (other processes run meanwhile), so
a back-to-back loop flatters what one turn costs a proxy at a realistic rate.

`--cold` shows why, for the native detector: after each pause it runs a component on a
new text (everything cold), then on another new text (its code warm, the data that text
reaches cold), then on that text again (all warm). The gaps between the three columns are
the cost of cold code and of cold text-dependent data (DFA states, automaton nodes, hash
buckets): about 100 ns per cache line the work touches.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import msgspec
from benches.load.conversation import BenchRequest, generate
from benches.load.stats import Summary, summarize

WARMUP_SEED = 10_005  # other calls than the measured ones, like the benchmark's warm-up


def _as_received(request: BenchRequest) -> dict[str, Any]:
    """The body as phiwall decodes it from the wire (JSON lists, not the generator's tuples)."""
    body = request.body(stream=True, tag="bench-phiwall", session="profile")
    decoded: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(body))
    return decoded


def _timed(function: Callable[[], object]) -> tuple[float, float]:
    """(CPU µs, wall µs) of one call."""
    cpu, wall = time.thread_time_ns(), time.perf_counter_ns()
    function()
    return (time.thread_time_ns() - cpu) / 1000, (time.perf_counter_ns() - wall) / 1000


def _line(name: str, summary: Summary) -> str:
    return f"{name:<34} p50 {summary.p50:7.0f}  p90 {summary.p90:7.0f}  p99 {summary.p99:7.0f} µs"


def measure(
    requests: Sequence[dict[str, Any]], warmup: Sequence[dict[str, Any]], gap: float = 0.0
) -> list[str]:
    """Mask `requests` in order after `warmup`, sleeping `gap` seconds before each one;
    report lines of CPU and wall percentiles.

    Costs what masking costs (about a second for 1,500 requests) plus the gaps. Raises
    whatever `Masker.mask` raises (`MaskingFailed`).
    """
    from phiwall.mask import Masker

    masker = Masker()
    for body in warmup:
        masker.mask(body)
    times = []
    for body in requests:
        if gap:
            time.sleep(gap)
        times.append(_timed(lambda body=body: masker.mask(body)))
    how = f"paced {gap * 1000:g} ms" if gap else "back to back"
    return [
        _line(f"mask {how}, CPU", summarize([cpu for cpu, _ in times])),
        _line(f"mask {how}, wall", summarize([wall for _, wall in times])),
    ]


def measure_detection(requests: Sequence[BenchRequest]) -> str:
    """The detector alone on each request's new user text (CPU), for comparison."""
    from phiwall.detect import detect

    times = [_timed(lambda r=r: detect(r.last_user_text))[0] for r in requests]
    return _line("detect(last user text), CPU", summarize(times))


def measure_cold(texts: Sequence[str], gap: float) -> list[str]:
    """Detection's components after a pause of `gap` s: on a new text, on another new text,
    and on that one again (CPU µs, medians); see the module doc."""
    from phiwall.detect import engine
    from phiwall.detect.native import detector

    engine.warm()
    native = detector()
    components: dict[str, Callable[[str], object]] = {
        "pattern scan (lazy DFA)": native.scan,
        "gazetteer scan + spelling": lambda text: native.finder("spelling", text),
        "gazetteer scan + names": lambda text: native.finder("names", text),
        "all of detection": lambda text: native.spans_from_reports(text, []),
    }
    pause = f"after a pause of {gap * 1000:g} ms"
    lines = [f"{pause:<34} new text  another  same again"]
    for name, run in components.items():
        columns: tuple[list[float], list[float], list[float]] = ([], [], [])
        for first, second in itertools.pairwise(texts):
            time.sleep(gap)
            for column, text in zip(columns, (first, second, second), strict=True):
                column.append(_timed(lambda run=run, text=text: run(text))[0])
        p50s = [summarize(column).p50 for column in columns]
        lines.append(f"{name:<34} {p50s[0]:8.1f} {p50s[1]:8.1f} {p50s[2]:10.1f} µs")
    return lines


def profile(requests: Sequence[dict[str, Any]], warmup: Sequence[dict[str, Any]]) -> str:
    """A pyinstrument call tree of masking `requests` (text, no colour)."""
    from pyinstrument import Profiler

    from phiwall.mask import Masker

    masker = Masker()
    for body in warmup:
        masker.mask(body)
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for body in requests:
        masker.mask(body)
    profiler.stop()
    return str(profiler.output_text(unicode=True, color=False))


def main(argv: Sequence[str] | None = None) -> int:
    """Print the measurements (and the profile with `--profile`); 0."""
    parser = argparse.ArgumentParser(prog="python -m benches.load.mask_profile")
    parser.add_argument("--count", type=int, default=1500, help="requests (default 1500)")
    parser.add_argument("--seed", type=int, default=500, help="seed of the measured calls")
    parser.add_argument("--gap", type=float, default=10.0, help="ms between paced requests")
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument tree")
    parser.add_argument("--cold", action="store_true", help="cold detection, by component")
    args = parser.parse_args(argv)
    generated = generate(args.seed, args.count)
    requests = [_as_received(r) for r in generated]
    warmup = [_as_received(r) for r in generate(WARMUP_SEED, 300)]
    print(f"{args.count} requests of the load benchmark (seed {args.seed}), one Masker:")
    for line in [*measure(requests, warmup), *measure(requests, warmup, args.gap / 1000)]:
        print(line)
    print(measure_detection(generated))
    if args.cold:
        texts = [r.last_user_text for r in generated[:300]]
        print("\n".join(measure_cold(texts, args.gap / 1000)))
    if args.profile:
        print(profile(requests, warmup))
    return 0


if __name__ == "__main__":
    sys.exit(main())
