"""Two phiwall servers, one per build, under the same interleaved load: an end-to-end A/B.

    python -m benches.load.serverab --base ../base/python               # 60 s at 100 req/s each
    python -m benches.load.serverab --base ../base/python --stream      # streamed answers

Separate load benchmark runs of two builds can differ by 2x on a shared machine for reasons
that have nothing to do with the code (`ab.py` does the same for masking alone). Here one
mock upstream serves two `phiwall serve` processes (one Granian worker each), one importing
phiwall from `--base` (another checkout's `python/` folder, its extension built) and one
from this tree. Requests of the load benchmark's calls go to both in turn (ABBA), each
server at `--rate` per second, so a noisy stretch hits both alike. Reported per server:
latency (total, or time to first token with `--stream`), the stage timings of its access
log (own work = parse + mask + encode + rehydrate; and read, receiving the body, where work
moved out of own work would show) and its CPU time per request, with the ratios of this
tree to the base. Both stores are created by this tree's code: the base
must read the same store schema.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import aiohttp
import msgspec
from benches.load import client, conversation, stages
from benches.load.ab import holds_phiwall
from benches.load.processes import Child, Servers, free_port, group_cpu_seconds, wait_ready
from benches.load.run import create_bench_agent, python_module, run_on_uvloop
from benches.load.stats import Summary, summarize

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parents[2]
NAMES = ("base", "this tree")
WARMUP_SEED, SEED = 10_005, 500
WARMUP = 400  # requests per server before the measured ones (other calls), at most


class Server:
    """One `phiwall serve` under test: its process, URL and log."""

    def __init__(self, name: str, child: Child, url: str) -> None:
        self.name, self.child, self.url = name, child, url
        self.latencies: list[float] = []


def _start(servers: Servers, name: str, pythonpath: str | None, mock: str, workdir: Path) -> Server:
    port = free_port(HOST)
    db = workdir / f"{name.replace(' ', '-')}.db"
    agent = create_bench_agent(db, f"{mock}/v1")
    argv = python_module("phiwall", "serve", "--host", HOST, "--port", str(port), "--upstream")
    argv += [f"{mock}/v1", "--db", str(db), "--workers", "1", "--log-level", "warning"]
    env = {"PYTHONPATH": pythonpath} if pythonpath else None
    child = servers.start(name.replace(" ", "-"), argv, cwd=workdir, env=env)
    base = f"http://{HOST}:{port}"
    wait_ready(child, f"{base}/health")
    return Server(name, child, f"{base}/proxy/{agent}/v1/chat/completions")


async def _drive(servers: list[Server], bodies: list[bytes], rate: float, stream: bool) -> None:
    """Send every body to both servers, in turn (ABBA), each at `rate` per second."""
    gap = 1.0 / (rate * len(servers))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        tasks: list[asyncio.Task[None]] = []
        start = time.perf_counter()
        slot = 0
        for number, body in enumerate(bodies):
            order = servers if number % 2 == 0 else servers[::-1]
            for server in order:
                delay = start + slot * gap - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(_one(session, server, body, stream)))
                slot += 1
        await asyncio.gather(*tasks)


async def _one(session: aiohttp.ClientSession, server: Server, body: bytes, stream: bool) -> None:
    outcome = await client.send(session, server.url, body, stream)
    if outcome.status != 200:
        raise RuntimeError(f"{server.name} answered {outcome.status}: {outcome.error}")
    server.latencies.append(outcome.ttft_ms if stream and outcome.ttft_ms else outcome.total_ms)


def _bodies(seed: int, count: int, stream: bool) -> list[bytes]:
    encode = msgspec.json.Encoder().encode
    requests = conversation.generate(seed, count)
    return [encode(r.body(stream=stream, tag="ab", session=r.call_id)) for r in requests]


def measure(base: str, count: int, rate: float, stream: bool) -> list[str]:
    """Run both servers on the same requests; the report's lines."""
    with tempfile.TemporaryDirectory(prefix="phiwall-serverab-") as tmp, Servers(Path(tmp)) as s:
        workdir = Path(tmp)
        port = free_port(HOST)
        mock_argv = python_module("phiwall", "mock-upstream", "--port", str(port))
        mock = s.start("mock", mock_argv, workdir)
        mock_url = f"http://{HOST}:{port}"
        wait_ready(mock, f"{mock_url}/health")
        under_test = [_start(s, NAMES[0], base, mock_url, workdir)]
        under_test.append(_start(s, NAMES[1], None, mock_url, workdir))
        warmup = _bodies(WARMUP_SEED, min(WARMUP, 4 * count), stream)
        run_on_uvloop(_drive(under_test, warmup, rate, stream))
        for server in under_test:
            server.latencies.clear()
        skip = [len(stages.read_access_log(server.child.log_path)) for server in under_test]
        cpu = [group_cpu_seconds(server.child.process.pid) for server in under_test]
        run_on_uvloop(_drive(under_test, _bodies(SEED, count, stream), rate, stream))
        cpu = [
            group_cpu_seconds(s.child.process.pid) - c for s, c in zip(under_test, cpu, strict=True)
        ]
        time.sleep(0.2)  # the last access-log lines
        records = [
            stages.read_access_log(server.child.log_path)[first:]
            for server, first in zip(under_test, skip, strict=True)
        ]
    measure_name = "time to first token" if stream else "total"
    rows: list[tuple[str, Summary, Summary]] = [
        (f"latency, {measure_name} (ms)", *(summarize(s.latencies) for s in under_test))
    ]
    per_stage = [stages.summarize_stages(r) for r in records]
    for stage in ("own_work", "read", "parse", "mask", "encode", "rehydrate"):
        rows.append((f"{stage} (µs)", per_stage[0][stage], per_stage[1][stage]))
    lines = [f"{count} requests each, {rate:g}/s each, interleaved (ABBA):"]
    lines.append(f"  {'':34} {'base p50 / p99':>18} {'this p50 / p99':>18} {'ratio p50 / p99':>16}")
    for label, a, b in rows:
        lines.append(
            f"  {label:34} {a.p50:8.2f} / {a.p99:7.2f} {b.p50:8.2f} / {b.p99:7.2f}"
            f" {b.p50 / a.p50:7.3f} / {b.p99 / a.p99:6.3f}"
        )
    per_request = [seconds / count * 1e6 for seconds in cpu]
    lines.append(
        f"  {'CPU per request (µs)':34} {per_request[0]:18.0f} {per_request[1]:18.0f}"
        f" {per_request[1] / per_request[0]:16.3f}"
    )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, measure, print; 0 (argparse exits 2 on a bad base)."""
    parser = argparse.ArgumentParser(prog="python -m benches.load.serverab")
    parser.add_argument("--base", required=True, help="another checkout's python/ folder")
    parser.add_argument("--count", type=int, default=6000, help="requests per server")
    parser.add_argument("--rate", type=float, default=100.0, help="requests/s per server")
    parser.add_argument("--stream", action="store_true", help="streamed answers")
    args = parser.parse_args(argv)
    if not holds_phiwall(args.base):
        parser.error(f"--base {args.base} is not a python/ folder holding phiwall")
    for line in measure(str(Path(args.base).resolve()), args.count, args.rate, args.stream):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
