"""Cache lines a proxy turn reads from memory when it starts cold: a cost that noise spares.

    python -m benches.load.coldlines                                  # all, about 3 minutes
    python -m benches.load.coldlines --stages mask --kinds resumed    # one figure, 35 s
    python -m benches.load.coldlines --count 60 --warmup 100          # a quicker look
    python -m benches.load.coldlines --base ../base/python            # this tree and another

On this shared 2-core VM one proxy turn costs 3-4x more CPU paced (10 ms apart, the load
benchmark's 100 requests/s) than back to back: other tenants flush the last-level cache
between turns, so each turn fetches its code and data from memory again. Timing that cold
cost is hopeless here (CPU steal of 20-40 % moves it more than most changes do); counting
what causes it is not. Under valgrind's callgrind with a cache simulation (last-level
cache 32 MB, 16-way, 64-byte lines), a child process flushes the caches before each turn
and callgrind counts, for one stage of the turn, the instructions (Ir) and the cache lines
that missed the last-level cache: code lines (ILmr), data lines read (DLmr) and written
(DLmw). The counts are the same from run to run (the child has a fixed hash seed, a
minimal environment of one size, and collects its garbage before the turns), so a
change's effect on the cold cost shows in one run, to the line.

A turn is the server's, in process: the load benchmark's requests (`--seed`, after
`--warmup` requests of other calls masked first, `mask_profile.WARMUP_SEED`), each one
after a flush (one byte written per line of a 64 MB buffer), through five stages:

- parse: `parse_chat_request(body)`;
- find: the checkpoint lookup, `Masker._checkpoints.find`;
- mask: `Masker._mask`, from the checkpoint found (and again from the start if the new
  messages would change the history), or from the start;
- encode: the masked body to JSON (`msgspec.json.Encoder().encode`);
- settle: the checkpoint built and kept, `Masker.settle`.

Kinds of turn: "resumed" (a checkpoint of the call's previous request was found) or
"fresh" (none: a call's first request). 50 calls are in progress at once, so the first 50
requests are all fresh: `--count` must be above 50 for resumed turns (the default 100 has
50 of each). One child measures one (stage, kind): that stage is called through
`operator.call`, a C function nothing else in a turn calls, on the turns of that kind only,
and callgrind counts only inside it (collection off at the start, toggled by
`--toggle-collect=_operator_call`). The kind is looked up before the flush (a parse and a
lookup, not counted: the flush leaves nothing of them warm, and the lookup changes only the
checkpoints' LRU order, which the measured one sets again). The stages before the measured
one also run after the flush, so a stage's count is of the lines it is the first in the
turn to touch, and the stages add up to the whole turn.

Cost: a child starts uninstrumented (`--instr-atstart=no`) and has valgrind instrument it
through `vgdb` once warmed up, so that Python's start and the warm-up run 10x faster than
under the cache simulation, which only the measured turns need. About 35 s a child at the
defaults, `--jobs` (2) at a time: about 3 minutes for the 10 children of every stage and
kind, twice that with `--base` (another checkout's `python/` folder, its extension built:
every child also runs with that phiwall, and the table adds its rows and the ratios).
Exit status: 0, or 2 if valgrind is not installed or a child failed.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import operator
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benches.load import processes
from benches.load.ab import holds_phiwall
from benches.load.mask_profile import WARMUP_SEED
from benches.load.stats import ratio

REPO = Path(__file__).resolve().parents[2]
STAGES = ("parse", "find", "mask", "encode", "settle")
KINDS = ("resumed", "fresh")
#: Columns of the table: a callgrind event (or "lines", the three misses' sum) and its title.
COLUMNS = (
    ("Ir", "instructions"),
    ("ILmr", "code lines"),
    ("DLmr", "data lines read"),
    ("DLmw", "data lines written"),
    ("lines", "all lines"),
)
MISSES = ("ILmr", "DLmr", "DLmw")
LL_CACHE = "33554432,16,64"  # 32 MB, 16-way, 64-byte lines: bigger than this VM's own
FLUSH_BYTES = 64_000_000  # twice the simulated last-level cache
LINE = 64
CALLS = 50  # calls in progress at once in `generate`: its first 50 requests are fresh
ENVIRONMENT = ("PATH", "HOME", "TMPDIR")  # what a child keeps of this process's environment
PAD_TO = 1024  # the length of a child's phiwall folder plus its environment's padding
THIS_TREE = "this tree"
BASE = "base"

Caller = Callable[..., Any]


def _direct(function: Caller, *args: Any) -> Any:
    """`function(*args)`: how an unmeasured stage is called (not `operator.call`)."""
    return function(*args)


def request_bodies(seed: int, count: int) -> list[bytes]:
    """The load benchmark's first `count` request bodies of `seed`, as sent (non-streamed).

    Costs about 50 µs a request; raises ValueError if `count` < 1.
    """
    import msgspec
    from benches.load.conversation import generate

    return [
        msgspec.json.encode(r.body(stream=False, tag="x", session=r.call_id))
        for r in generate(seed, count)
    ]


def run_turns(
    bodies: Sequence[bytes],
    warmup: Sequence[bytes],
    stage: str | None = None,
    kind: str | None = None,
    call: Caller = operator.call,
    on_start: Callable[[], None] | None = None,
) -> dict[str, int]:
    """Mask `warmup`, call `on_start`, then run one flushed turn per body; the number of
    turns of each kind.

    `stage` of the turns of `kind` is called through `call` (`operator.call`, what callgrind
    counts in), every other stage directly; with no `stage`, nothing goes through `call`.
    Costs a proxy turn per body plus the flush (about 2 ms natively, 64 MB written a line at
    a time). Raises what masking raises (`MaskingFailed`, `InvalidRequest` for a bad body),
    what `on_start` raises, or RuntimeError if the lookup before the flush and the measured
    one disagree.
    """
    import msgspec

    from phiwall.mask import Masker
    from phiwall.proxy.request import parse_chat_request

    encode = msgspec.json.Encoder().encode
    masker = Masker()
    for body in warmup:
        masker.mask(parse_chat_request(body).payload)
        masker.settle()
    callers = {
        measured: {name: call if measured and name == stage else _direct for name in STAGES}
        for measured in (False, True)
    }
    big = bytearray(FLUSH_BYTES)
    ones = b"\1" * len(big[::LINE])
    counts = dict.fromkeys(KINDS, 0)
    if on_start is not None:
        on_start()
    gc.collect()  # the collector's counts from 0: its runs fall in the same turns every time
    for body in bodies:
        ahead = parse_chat_request(body).payload  # the kind, looked up before the flush
        turn = "fresh" if masker._checkpoints.find(ahead, ahead["messages"]) is None else "resumed"
        del ahead
        counts[turn] += 1
        through = callers[turn == kind]
        big[::LINE] = ones
        request = through["parse"](parse_chat_request, body).payload
        messages = request["messages"]
        found = through["find"](masker._checkpoints.find, request, messages)
        if (found is None) != (turn == "fresh"):
            raise RuntimeError("the lookup before the flush and the measured one disagree")
        masked = through["mask"](masker._mask, request, messages, *found) if found else None
        if masked is None:  # no checkpoint, or the new messages change the history
            masked = through["mask"](masker._mask, request, messages, 0, None)
        through["encode"](encode, masked.body)
        through["settle"](masker.settle)
    return counts


def instrument_on(timeout: float = 60.0) -> None:
    """Ask valgrind, through `vgdb`, to instrument this process from now on.

    The children start uninstrumented (`--instr-atstart=no`): Python's start, the imports
    and the warm-up then run about 10x faster than under the cache simulation, which only
    the measured turns need (each starts from a flushed cache anyway). Busy-waits for vgdb
    (valgrind reads its command between two blocks of code, without ptrace), about 0.3 s.
    Raises RuntimeError if vgdb fails or takes longer than `timeout` seconds.
    """
    command = ["vgdb", f"--pid={os.getpid()}", "instrumentation", "on"]
    vgdb = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + timeout
    while vgdb.poll() is None:  # not wait(): a process blocked in a syscall is not polled
        if time.monotonic() > deadline:
            vgdb.kill()
            vgdb.wait()
            break
    output = vgdb.stdout.read().strip() if vgdb.stdout else ""
    if vgdb.returncode != 0:
        raise RuntimeError(f"vgdb could not switch the instrumentation on: {output}")


def child(stage: str, kind: str, seed: int, count: int, warmup: int, valgrind: bool) -> int:
    """The child's side: run the turns (switching valgrind's instrumentation on after the
    warm-up if `valgrind`), print one JSON line (turns per kind, phiwall's folder).

    Costs what `run_turns` costs (about 35 s under valgrind at the defaults). Fails as
    `run_turns` and `instrument_on` do, with a traceback on stderr and status 1.
    """
    import phiwall

    bodies, warmups = request_bodies(seed, count), request_bodies(WARMUP_SEED, warmup)
    start = instrument_on if valgrind else None
    counts = run_turns(bodies, warmups, stage, kind, on_start=start)
    print(json.dumps({"turns": counts, "phiwall": str(Path(phiwall.__file__).parent)}), flush=True)
    return 0


def read_callgrind(path: Path) -> dict[str, int]:
    """The totals of a callgrind output file, by event name (from its `events:` line).

    Reads the `summary:` line, or else adds up the `totals:` lines; missing trailing
    numbers are zeros (callgrind omits them). O(file size). Raises ValueError if the file
    has no `events:` line or neither a `summary:` nor a `totals:` line.
    """
    events: list[str] | None = None
    summary: list[int] | None = None
    totals: list[list[int]] = []
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if line.startswith("events:"):
                events = line.split(":", 1)[1].split()
            elif line.startswith("summary:"):
                summary = [int(number) for number in line.split(":", 1)[1].split()]
            elif line.startswith("totals:"):
                totals.append([int(number) for number in line.split(":", 1)[1].split()])
    if events is None:
        raise ValueError(f"{path} has no events: line")
    if summary is None and not totals:
        raise ValueError(f"{path} has no summary: or totals: line")
    rows = [summary] if summary is not None else totals
    return {
        event: sum(row[index] if index < len(row) else 0 for row in rows)
        for index, event in enumerate(events)
    }


def per_turn(totals: Mapping[str, int], turns: int) -> dict[str, float]:
    """The table's columns per turn: each event of `totals` / `turns`, and "lines" (the
    three last-level misses' sum). NaN everywhere for no turns; raises KeyError if an
    event of `COLUMNS` is missing (callgrind ran without `--cache-sim=yes`)."""
    if turns <= 0:
        return {name: math.nan for name, _ in COLUMNS}
    values = {name: totals[name] / turns for name, _ in COLUMNS if name != "lines"}
    values["lines"] = sum(values[name] for name in MISSES)
    return values


@dataclass(frozen=True)
class Measured:
    """One child's result: its columns per turn, its turns of each kind, its phiwall."""

    values: dict[str, float]
    turns: dict[str, int]
    phiwall: str


def valgrind_command(out_file: Path, child_args: Sequence[str]) -> list[str]:
    """The command line of one child: this module under callgrind, counting in
    `operator.call` only, with the 32 MB last-level cache simulated."""
    return [
        "valgrind",
        "--tool=callgrind",
        "--cache-sim=yes",
        f"--LL={LL_CACHE}",
        "--instr-atstart=no",  # until `instrument_on`, after the warm-up
        "--collect-atstart=no",
        "--toggle-collect=_operator_call",
        f"--callgrind-out-file={out_file}",
        sys.executable,
        "-m",
        "benches.load.coldlines",
        *child_args,
    ]


def child_env(base: str | None) -> dict[str, str]:
    """The child's environment, as small as it can be: PATH, HOME and TMPDIR (for vgdb)
    from this one; PYTHONPATH: phiwall from `base` (else this tree's `python/`), then the
    repository (for `benches`), then this one's; a fixed hash seed; and a padding that
    makes the environment as long for either build.

    The environment is copied onto the child's stack, so its size moves where the stack's
    data falls in cache lines and which paths copies take: three more variables changed the
    lines counted by 0.6 %. Kept minimal and of one size, the counts repeat exactly.
    """
    env = {name: os.environ[name] for name in ENVIRONMENT if name in os.environ}
    phiwall = base or str(REPO / "python")
    paths = [phiwall, str(REPO)]
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYTHONHASHSEED"] = "0"  # the same dict and set layouts, so the same counts
    env["COLDLINES_PAD"] = "-" * max(0, PAD_TO - len(phiwall))
    return env


def measure(
    stage: str, kind: str, seed: int, count: int, warmup: int, base: str | None, workdir: Path
) -> Measured:
    """Run one child under valgrind and read its counts, per turn of `kind`.

    Costs about 35 s at the defaults (100 turns after 300). Raises RuntimeError, with the
    end of the child's stderr, if it fails, prints no result, leaves no readable callgrind
    file, or counted nothing although it ran turns of `kind` (valgrind found no
    `_operator_call` in this Python).
    """
    name = f"{stage}-{kind}-{BASE if base else 'this'}"
    out_file = workdir / f"{name}.callgrind"
    args = ["--child", stage, kind, "--valgrind", "--seed", str(seed), "--count", str(count)]
    process = subprocess.run(
        valgrind_command(out_file, [*args, "--warmup", str(warmup)]),
        capture_output=True,
        text=True,
        env=child_env(base),
        cwd=REPO,
        check=False,
    )
    tail = "\n".join(process.stderr.splitlines()[-20:])
    if process.returncode != 0 or not process.stdout.strip():
        raise RuntimeError(f"the {name} child failed ({process.returncode}):\n{tail}")
    try:
        report = json.loads(process.stdout.strip().splitlines()[-1])
        turns: dict[str, int] = report["turns"]
        totals = read_callgrind(out_file)
        values = per_turn(totals, turns[kind])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise RuntimeError(f"the {name} child's result is unreadable ({error!r})") from None
    if turns[kind] and not totals.get("Ir"):
        raise RuntimeError(f"the {name} child counted nothing: no _operator_call?\n{tail}")
    return Measured(values, turns, str(report["phiwall"]))


def measure_all(
    stages: Sequence[str],
    kinds: Sequence[str],
    builds: Mapping[str, str | None],
    options: argparse.Namespace,
) -> dict[tuple[str, str, str], Measured]:
    """Every (build, stage, kind), `options.jobs` children at a time, keyed so.

    Costs a child each (about 35 s at the defaults); prints a progress line to stderr as
    each one ends. Raises the first failed child's RuntimeError once the children already
    running have ended (the others do not start).
    """
    keys = [(build, stage, kind) for stage in stages for kind in kinds for build in builds]
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="phiwall-coldlines-") as tmp,
        ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool,
    ):

        def one(key: tuple[str, str, str]) -> Measured:
            build, stage, kind = key
            args = (options.seed, options.count, options.warmup, builds[build], Path(tmp))
            result = measure(stage, kind, *args)
            elapsed = time.monotonic() - started
            print(f"  {stage} {kind} ({build}): done at {elapsed:.0f} s", file=sys.stderr)
            return result

        futures = {pool.submit(one, key): key for key in keys}
        try:
            for future in as_completed(futures):
                future.result()
        except RuntimeError:
            for future in futures:
                future.cancel()
            raise
        return {key: future.result() for future, key in futures.items()}


def _cell(value: float, digits: int = 0) -> str:
    return "n/a" if math.isnan(value) else f"{value:,.{digits}f}"


def table(
    results: Mapping[tuple[str, str, str], Measured],
    stages: Sequence[str],
    kinds: Sequence[str],
    builds: Sequence[str],
) -> list[str]:
    """The markdown table: per kind, a row per stage and the total, per turn; with two
    builds, a row per build and one of their ratio (this tree / base) for each."""
    with_builds = len(builds) > 1
    head = ["kind", "stage", *(["build"] if with_builds else []), *(t for _, t in COLUMNS)]
    lines = ["| " + " | ".join(head) + " |"]
    lines.append("|" + "---|" * (len(head) - len(COLUMNS)) + "---:|" * len(COLUMNS))
    for kind in kinds:
        for stage in [*stages, "total"]:
            rows: dict[str, dict[str, float]] = {}
            for build in builds:
                parts = stages if stage == "total" else [stage]
                rows[build] = {
                    name: math.fsum(results[build, part, kind].values[name] for part in parts)
                    for name, _ in COLUMNS
                }
            cells = {build: [_cell(rows[build][name]) for name, _ in COLUMNS] for build in builds}
            if with_builds:
                new, old = rows[THIS_TREE], rows[BASE]
                cells["this / base"] = [_cell(ratio(new[n], old[n]), 3) for n, _ in COLUMNS]
            label = f"**{stage}**" if stage == "total" else stage
            for build, values in cells.items():
                row = [kind, label, *([build] if with_builds else []), *values]
                lines.append("| " + " | ".join(row) + " |")
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The options; argparse exits with status 2 on a bad one."""
    parser = argparse.ArgumentParser(prog="python -m benches.load.coldlines")
    parser.add_argument(
        "--count", type=int, default=100, help="measured requests (100; above 50 for resumed)"
    )
    parser.add_argument("--warmup", type=int, default=300, help="requests masked before (300)")
    parser.add_argument("--seed", type=int, default=500, help="seed of the measured calls")
    parser.add_argument("--stages", nargs="+", choices=STAGES, default=list(STAGES))
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--jobs", type=int, default=2, help="children at once (2)")
    parser.add_argument("--base", help="another checkout's python/ folder (extension built)")
    parser.add_argument("--child", nargs=2, metavar=("STAGE", "KIND"), help=argparse.SUPPRESS)
    parser.add_argument("--valgrind", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.count < 1 or args.warmup < 1:
        parser.error("--count and --warmup must be at least 1")
    if args.child and (args.child[0] not in STAGES or args.child[1] not in KINDS):
        parser.error(f"--child takes a stage of {STAGES} and a kind of {KINDS}")
    if args.base is not None and not holds_phiwall(args.base):
        parser.error(f"--base {args.base} is not a python/ folder holding phiwall")
    args.stages = [stage for stage in STAGES if stage in args.stages]  # turn order, once
    args.kinds = [kind for kind in KINDS if kind in args.kinds]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the report; 0, or 2 if valgrind is missing or a child failed."""
    args = parse_args(argv)
    if args.child:
        return child(*args.child, args.seed, args.count, args.warmup, args.valgrind)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    builds: dict[str, str | None] = {THIS_TREE: None}
    if args.base:
        builds = {BASE: str(Path(args.base).resolve()), THIS_TREE: None}
    try:
        results = measure_all(args.stages, args.kinds, builds, args)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 2
    shown = sys.argv[1:] if argv is None else list(argv)
    print("# Cold cache lines per proxy turn\n")
    print(f"command: python -m benches.load.coldlines {shlex.join(shown)}".rstrip())
    for build, folder in builds.items():
        first = next(r for (b, _, _), r in results.items() if b == build)
        turns = ", ".join(f"{first.turns[kind]} {kind}" for kind in KINDS)
        commit = processes.commit(Path(folder) if folder else REPO)
        print(f"{build}: commit {commit}, phiwall from {first.phiwall}; turns: {turns}")
    print(
        f"requests: seed {args.seed}, after {args.warmup} of other calls; caches flushed before"
        f" each turn; last-level cache simulated: {LL_CACHE} (bytes, ways, line); per turn:\n"
    )
    print("\n".join(table(results, args.stages, args.kinds, list(builds))))
    for kind in args.kinds:
        if any(result.turns[kind] == 0 for result in results.values()):
            print(f"\nNo {kind} turn measured: the first {CALLS} requests are the first turns of")
            print(f"the {CALLS} calls in progress at once; --count above {CALLS} has resumed ones.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
