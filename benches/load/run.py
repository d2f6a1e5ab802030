"""One whole benchmark run: start the servers, warm up, run the phases, collect everything.

Servers (each in its own process group, all stopped on the way out, Ctrl-C included):
the mock upstream, the bare passthrough (the floor) and `phiwall serve`, both proxies with
the same number of Granian workers. phiwall gets a dedicated agent whose rate limit is out
of reach (the default agent's 100/s would answer 429s at saturation); its access log
(stdout) goes to a file and gives the stage timings.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
from benches.load import conversation, leaks, schedule, stages
from benches.load.driver import Driver
from benches.load.phases import PHASES, Phase, PhaseResult
from benches.load.processes import (
    Servers,
    free_port,
    group_cpu_seconds,
    machine_ticks,
    steal_fraction,
    wait_ready,
)
from benches.load.targets import PASSTHROUGH, PHIWALL, Target, direct, passthrough, phiwall

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
UNLIMITED_RATE = 1e9
SATURATION_REQUESTS = 8_000  # distinct requests a saturation phase cycles through
WARMUP_CONCURRENCY = 4

Log = Callable[[str], None]
T = TypeVar("T")


@dataclass(frozen=True)
class Options:
    """What to run; the defaults are the full run (about 2.5 minutes).

    `duration`: seconds per target in each fixed-rate phase; `saturation_duration`: seconds
    per target in each saturation phase; `block`/`saturation_block`: interleaving block
    lengths; `concurrency`: closed-loop clients; `workers`: Granian workers of each proxy;
    `warmup`: seconds per target and mode before measuring.
    """

    phases: tuple[str, ...] = tuple(PHASES)
    duration: float = 15.0
    rate: float = 100.0
    block: float = 0.2
    arrivals: schedule.Arrivals = "uniform"
    saturation_duration: float = 6.0
    saturation_block: float = 1.0
    concurrency: int = 16
    workers: int = 1
    warmup: float = 1.5
    seed: int = 5
    chunking: str = "words"


@dataclass
class RunResult:
    """The options, each phase's results, when the run started and how long it took."""

    options: Options
    phases: list[PhaseResult]
    started_at: float
    seconds: float


def run(options: Options, log: Log = print) -> RunResult:
    """Run the benchmark and return everything it measured.

    Blocks for the phases' durations (3 targets each) plus ~10 s of start-up and checks.
    Raises RuntimeError if a server does not start; every server is stopped in all cases.
    """
    started_at, clock = time.time(), time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="phiwall-bench-") as tmp,
        Servers(Path(tmp)) as servers,
    ):
        workdir = Path(tmp)
        mock_port, floor_port, proxy_port = (free_port(HOST) for _ in range(3))
        mock_base = f"http://{HOST}:{mock_port}"
        floor_base = f"http://{HOST}:{floor_port}"
        proxy_base = f"http://{HOST}:{proxy_port}"
        db_path = workdir / "phiwall.db"
        agent_id = create_bench_agent(db_path, f"{mock_base}/v1")
        workers = str(options.workers)
        mock = servers.start(
            "mock",
            [
                *python_module(
                    "phiwall", "mock-upstream", "--host", HOST, "--port", str(mock_port)
                ),
                "--max-recorded",
                "1000000",
            ],
            cwd=REPO,
        )
        floor = servers.start(
            "passthrough",
            [
                *python_module(
                    "benches.load.passthrough", "--host", HOST, "--port", str(floor_port)
                ),
                "--upstream",
                f"{mock_base}/v1",
                "--workers",
                workers,
            ],
            cwd=REPO,
        )
        proxy = servers.start(
            "phiwall",
            [
                *python_module("phiwall", "serve", "--host", HOST, "--port", str(proxy_port)),
                "--upstream",
                f"{mock_base}/v1",
                "--db",
                str(db_path),
                "--workers",
                workers,
                "--log-level",
                "warning",
            ],
            cwd=REPO,
        )
        for child, base in ((mock, mock_base), (floor, floor_base), (proxy, proxy_base)):
            wait_ready(child, f"{base}/health")
        log(f"servers up ({options.workers} worker(s) per proxy); logs in {workdir}")
        targets = [direct(mock_base), passthrough(floor_base), phiwall(proxy_base, agent_id)]
        groups = {"mock": mock.process.pid, PASSTHROUGH: floor.process.pid}
        groups[PHIWALL] = proxy.process.pid
        results = run_on_uvloop(_drive(options, targets, mock_base, groups, log))
        servers.stop_all()  # phiwall writes its last batch of access-log lines as it stops
        records = stages.read_access_log(proxy.log_path)
        for result in results:
            result.access_log = stages.select(records, f"{result.phase.name}-")
    return RunResult(options, results, started_at, time.perf_counter() - clock)


def python_module(module: str, *args: str) -> list[str]:
    """The command line running `module` with this interpreter (the same virtualenv)."""
    return [sys.executable, "-m", module, *args]


def create_bench_agent(db_path: Path, upstream_url: str) -> str:
    """Create the benchmark's agent (no effective rate limit) in a fresh store; its id."""
    from phiwall.store import open_store

    store = open_store(str(db_path))
    try:
        agent = store.create_agent(
            name="load-benchmark",
            upstream_url=upstream_url,
            rate_per_second=UNLIMITED_RATE,
            burst=int(UNLIMITED_RATE),
        )
    finally:
        store.close()
    return agent.id


def run_on_uvloop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` on uvloop, the servers' event loop, for a like-for-like client."""
    import uvloop

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coroutine)


async def _drive(
    options: Options,
    targets: Sequence[Target],
    mock_base: str,
    groups: dict[str, int],
    log: Log,
) -> list[PhaseResult]:
    """Warm up, then run each phase and search what the mock received from phiwall.

    `groups` names the servers' process groups, whose CPU time is read around each phase
    (the client's is this process's).
    """
    from phiwall.mock_upstream.directives import Directive

    prefix = Directive().prefix  # the mock echoes this plus the last user text
    phiwall_tag = next(target.tag for target in targets if target.name == PHIWALL)
    results = []
    async with (
        Driver(targets, prefix, options.chunking) as driver,
        aiohttp.ClientSession() as admin,
    ):
        warm = conversation.generate(options.seed + 10_000, 2_000)
        for stream in (False, True):
            await driver.closed_loop(
                "warmup", warm, stream, WARMUP_CONCURRENCY, options.warmup, options.warmup
            )
        for number, name in enumerate(options.phases):
            await leaks.clear_records(admin, mock_base)
            log(f"phase {name} ...")
            phase = PHASES[name]
            seed = options.seed * 100 + number
            requests = _requests_for(phase, options, seed)
            gc.collect()
            gc.freeze()  # the requests live all phase: keep them out of the GC's passes
            before, ticks = _cpu_seconds(groups), machine_ticks()
            result = await _run_phase(driver, phase, options, seed, requests)
            after = _cpu_seconds(groups)
            result.steal = steal_fraction(ticks, machine_ticks())
            result.cpu_seconds = {name: after[name] - before[name] for name in after}
            recorded = await leaks.fetch_records(admin, mock_base, phiwall_tag)
            finder = leaks.LeakFinder({phi for request in requests for phi in request.phi})
            result.leaks = leaks.check_records(recorded, finder)
            result.phiwall_recorded = len(recorded)
            result.phiwall_sent = sum(sample.target == PHIWALL for sample in result.samples)
            results.append(result)
            del recorded, finder
            gc.unfreeze()
        await leaks.clear_records(admin, mock_base)
    return results


def _cpu_seconds(groups: dict[str, int]) -> dict[str, float]:
    """CPU seconds used so far by each server's process group, and by this client."""
    used = {name: group_cpu_seconds(pgid) for name, pgid in groups.items()}
    used["client"] = time.process_time()
    return used


def _requests_for(phase: Phase, options: Options, seed: int) -> list[conversation.BenchRequest]:
    """Fresh requests for a phase (no cache holds them yet): one per fixed-rate slot, or a
    pool that saturation cycles through."""
    if phase.kind == "rate":
        return conversation.generate(seed, max(1, round(options.rate * options.duration)))
    return conversation.generate(seed, SATURATION_REQUESTS)


async def _run_phase(
    driver: Driver,
    phase: Phase,
    options: Options,
    seed: int,
    requests: Sequence[conversation.BenchRequest],
) -> PhaseResult:
    """Run one phase on `requests`: the open-loop plan, or closed-loop saturation."""
    names = list(driver.targets)
    if phase.kind == "rate":
        plan = schedule.interleaved_plan(
            names, options.duration, options.rate, options.block, options.arrivals, seed
        )
        return PhaseResult(phase, await driver.open_loop(phase.name, plan, requests, phase.stream))
    samples, throughput = await driver.closed_loop(
        phase.name,
        requests,
        phase.stream,
        options.concurrency,
        options.saturation_duration,
        options.saturation_block,
    )
    return PhaseResult(phase, samples, throughput)
