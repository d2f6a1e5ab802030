"""phiwall's CPU per request in one process: where a turn's time goes, without the noise.

    python -m benches.load.inproc                 # back to back, then paced (10 ms apart)
    python -m benches.load.inproc --stream        # streamed answers
    python -m benches.load.inproc --profile 30    # plus cProfile's top 30 (paced run)

The real `Runtime` and `ProxyApp` serve the load benchmark's requests (same generator
and seed) through the ASGI interface, against a real `phiwall mock-upstream` child: no
client, no Granian, so the CPU counted is phiwall's own (`time.thread_time_ns` of the
event-loop thread, and the process's, which includes the store's writer thread). The
stage timings are the ones the access log would carry. The same requests run back to
back, then with a pause before each, like the load benchmark's 100 requests/s, each time
in a fresh runtime warmed on other calls. Back to back is not hot either: every request
still sleeps through the mock's answer, and the mock runs meanwhile. The gap between the
two is what colder caches cost (see `mask_profile --cold`).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec
from benches.load.conversation import generate
from benches.load.processes import Servers, free_port, wait_ready
from benches.load.stats import summarize

HOST = "127.0.0.1"
WARMUP_SEED = 10_005  # other calls than the measured ones, like the benchmark's warm-up
STAGES = ("read", "parse", "mask", "encode", "rehydrate")


class Recorder:
    """Each served turn's stage timings (µs), kept by wrapping `chat.record_turn` while
    inside `with recorder:` (the original is put back on exit)."""

    def __init__(self) -> None:
        self.timings: list[dict[str, int]] = []
        self._original: Any = None

    def __enter__(self) -> Recorder:
        from phiwall.proxy import chat

        record = self._original = chat.record_turn

        def recording(access_log: Any, store: Any, turn: Any) -> None:
            self.timings.append(dict(turn.timings))
            record(access_log, store, turn)

        chat.record_turn = recording  # type: ignore[assignment]
        return self

    def __exit__(self, *exc_info: object) -> None:
        from phiwall.proxy import chat

        chat.record_turn = self._original


class Unlimited:
    """A rate limiter that admits everything (the `Runtime.limiter` protocol)."""

    def check(self, agent: object, now: float) -> None:
        """Admit."""


async def serve_one(app: Any, path: str, body: bytes) -> int:
    """One request through the ASGI app; its status. The body arrives in one message; the
    client then waits (never disconnects) until the answer is complete."""
    sent = False
    never: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await never
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "http_version": "1.1",
        "scheme": "http",
        "server": (HOST, 8000),
        "client": (HOST, 1234),
        "root_path": "",
    }
    await app(scope, receive, send)
    return status


async def measure(
    upstream: str, count: int, stream: bool, gap: float, profile: int, db: Path
) -> list[str]:
    """Serve the same `count` requests back to back, then paced by `gap` s, each time in a
    fresh runtime warmed on other calls; report lines."""
    encode = msgspec.json.Encoder().encode

    def bodies(seed: int, number: int) -> list[bytes]:
        requests = generate(seed, number)
        return [encode(r.body(stream=stream, tag="x", session=r.call_id)) for r in requests]

    warmup, measured = bodies(WARMUP_SEED, 300), bodies(500, count)
    lines: list[str] = []
    with Recorder() as recorder:
        for pause in (0.0, gap):
            lines += await _measure_one(upstream, db, warmup, measured, pause, profile, recorder)
    return lines


async def _measure_one(
    upstream: str,
    db: Path,
    warmup: list[bytes],
    measured: list[bytes],
    pause: float,
    profile: int,
    recorder: Recorder,
) -> list[str]:
    from phiwall.proxy.app import ProxyApp
    from phiwall.proxy.config import ProxySettings
    from phiwall.proxy.runtime import Runtime

    settings = ProxySettings(upstream_url=upstream, db_path=str(db), access_log=False)
    runtime = await Runtime.start(settings)
    runtime.limiter = Unlimited()  # back to back is far over the default agent's 100/s
    app = ProxyApp(runtime=runtime)
    path = f"/proxy/{runtime.default_agent.id}/v1/chat/completions"
    try:
        for body in warmup:
            await serve_one(app, path, body)
        recorder.timings.clear()
        profiler = cProfile.Profile() if profile and pause else None
        thread_cpu: list[float] = []
        process_started = time.process_time_ns()
        for body in measured:
            if pause:
                await asyncio.sleep(pause)
            started = time.thread_time_ns()
            if profiler:
                profiler.enable()
            status = await serve_one(app, path, body)
            if profiler:
                profiler.disable()
            thread_cpu.append((time.thread_time_ns() - started) / 1000)
            if status != 200:
                raise RuntimeError(f"a request was answered {status}")
    finally:
        await runtime.close()
    process = (time.process_time_ns() - process_started) / 1000 / len(measured)
    how = f"paced {pause * 1000:g} ms" if pause else "back to back"
    loop = summarize(thread_cpu)
    stages = {s: summarize([t.get(s, 0) for t in recorder.timings]) for s in STAGES}
    own = summarize([sum(t.get(s, 0) for s in STAGES[1:]) for t in recorder.timings])
    lines = [
        f"{how}: CPU per request, event loop p50 {loop.p50:.0f} p90 {loop.p90:.0f} µs,"
        f" process mean {process:.0f} µs",
        f"  stages p50 µs: own work {own.p50:.0f}, "
        + ", ".join(f"{s} {stages[s].p50:.0f}" for s in STAGES),
    ]
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(profile)
        lines.append(text.getvalue())
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run the measurement and print it; 0, or 2 if the mock could not start."""
    parser = argparse.ArgumentParser(prog="python -m benches.load.inproc")
    parser.add_argument("--count", type=int, default=1200, help="requests measured per mode")
    parser.add_argument("--gap", type=float, default=10.0, help="ms before each paced request")
    parser.add_argument("--stream", action="store_true", help="streamed answers")
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, Servers(Path(tmp)) as servers:
        port = free_port(HOST)
        mock = servers.start(
            "mock",
            [sys.executable, "-m", "phiwall", "mock-upstream", "--host", HOST, "--port", str(port)],
            cwd=Path.cwd(),
        )
        try:
            wait_ready(mock, f"http://{HOST}:{port}/health")
        except RuntimeError as error:
            print(error, file=sys.stderr)
            return 2
        run = measure(
            f"http://{HOST}:{port}/v1",
            args.count,
            args.stream,
            args.gap / 1000,
            args.profile,
            Path(tmp) / "phiwall.db",
        )
        print(f"{args.count} requests of the load benchmark (seed 500), in one process:")
        print("\n".join(asyncio.run(run)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
