"""`python -m benches.load`: run the load benchmark and write benches/results/load.*.

Prints the markdown table and which goals were met. Exit status: 0 when the run completed
and phiwall's answers were exact with no PHI leak (latency goals are reported, not
enforced, unless `--strict`); 1 when a checked goal failed; 2 when the run could not
complete. Ctrl-C (or SIGTERM) stops every server it started.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from benches.load.phases import PHASES
from benches.load.processes import commit
from benches.load.run import REPO, Options

RESULTS = REPO / "benches" / "results"


def build_parser() -> argparse.ArgumentParser:
    """The command's flags, defaults from `Options` (the full run, ~2.5 minutes)."""
    defaults = Options()
    parser = argparse.ArgumentParser(
        prog="python -m benches.load",
        description="phiwall's load benchmark: direct vs passthrough vs phiwall, interleaved.",
    )
    add = parser.add_argument
    add("--duration", type=float, default=defaults.duration, help="s per target, fixed-rate phase")
    add("--rate", type=float, default=defaults.rate, help="requests/s of the fixed-rate phases")
    add("--arrivals", choices=("uniform", "poisson"), default=defaults.arrivals)
    add("--block", type=float, default=defaults.block, help="s per interleaving block")
    add(
        "--saturation-duration",
        type=float,
        default=defaults.saturation_duration,
        help="s per target, saturation phase",
    )
    add("--concurrency", type=int, default=defaults.concurrency, help="saturation clients")
    add("--workers", type=int, default=defaults.workers, help="Granian workers per proxy")
    add("--warmup", type=float, default=defaults.warmup, help="s per target and mode")
    add("--seed", type=int, default=defaults.seed, help="seed of the generated calls")
    add("--chunking", default=defaults.chunking, help="the mock's stream chunking")
    add("--phases", nargs="+", choices=list(PHASES), default=list(defaults.phases))
    add("--quick", action="store_true", help="a short smoke run (3 s phases), same outputs")
    add("--out", type=Path, default=RESULTS, help="where load.json/.md/.png go")
    add("--strict", action="store_true", help="exit 1 when any goal is missed")
    return parser


def options_from(args: argparse.Namespace) -> Options:
    """The run's options from parsed flags (`--quick` shortens every phase)."""
    quick = args.quick
    return Options(
        phases=tuple(args.phases),
        duration=3.0 if quick else args.duration,
        rate=args.rate,
        block=args.block,
        arrivals=args.arrivals,
        saturation_duration=2.0 if quick else args.saturation_duration,
        concurrency=args.concurrency,
        workers=args.workers,
        warmup=0.5 if quick else args.warmup,
        seed=args.seed,
        chunking=args.chunking,
    )


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    # SIGTERM takes the same path as Ctrl-C, so every server is stopped on the way out.
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, write the results, print the table; the exit status."""
    from benches.load.analysis import analyse
    from benches.load.plot import plot
    from benches.load.report import markdown, write_json
    from benches.load.run import run

    args = build_parser().parse_args(argv)
    options = options_from(args)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        result = run(options, log=lambda line: print(line, file=sys.stderr, flush=True))
    except KeyboardInterrupt:
        print("interrupted; every server was stopped", file=sys.stderr)
        return 2
    except RuntimeError as error:
        print(f"the benchmark could not run: {error}", file=sys.stderr)
        return 2
    from phiwall import __version__

    meta: dict[str, object] = {
        "date": datetime.datetime.fromtimestamp(result.started_at, datetime.UTC).isoformat(
            timespec="seconds"
        ),
        "command": shlex.join(["python", "-m", "benches.load", *(argv or sys.argv[1:])]),
        "commit": commit(REPO),
        "phiwall": __version__,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "niceness": os.nice(0),  # e.g. -10 when run under `nice -n -10` (children inherit it)
        "seconds": result.seconds,
        **{name: getattr(options, name) for name in Options.__dataclass_fields__},
    }
    report = analyse(result, meta)
    args.out.mkdir(parents=True, exist_ok=True)
    write_json(report, args.out / "load.json")
    text = markdown(report)
    (args.out / "load.md").write_text(text)
    plot(result.phases, args.out / "load.png", options.rate)
    print(text)
    print(f"wrote {args.out / 'load.json'}, load.md and load.png", file=sys.stderr)
    missed = [goal for goal in report.goals if not goal.met]
    if any(goal.correctness for goal in missed):
        return 1
    return 1 if args.strict and missed else 0
