"""The load driver: open-loop phases on a schedule and closed-loop saturation phases.

One aiohttp session (its own keep-alive pool) per target, so the targets never share
connections. Every sample records whether its answer was exactly the expected text.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType

import aiohttp
import msgspec
from benches.load.client import Outcome, send
from benches.load.conversation import BenchRequest
from benches.load.schedule import Slot
from benches.load.targets import Target

_encode = msgspec.json.Encoder().encode


@dataclass(slots=True)
class Sample:
    """One request's measurement in one phase."""

    phase: str
    target: str
    stream: bool
    lag_ms: float  # how late it was sent against its schedule (0 in closed loop)
    outcome: Outcome
    correct: bool  # status 200 and the answer equals the expected text exactly


@dataclass(slots=True)
class Throughput:
    """What one target completed in its saturation blocks, and in how long."""

    target: str
    completed: int = 0
    correct: int = 0
    seconds: float = 0.0

    @property
    def requests_per_second(self) -> float:
        """Correct answers per second of its blocks (0 before any block ran)."""
        return self.correct / self.seconds if self.seconds > 0 else 0.0


class Driver:
    """Sends benchmark requests to `targets` and checks every answer.

    `answer_prefix` is what the echoing mock puts before the last user text; `chunking`
    is the mock's stream chunking; `timeout` bounds each request (seconds).
    Use as an async context manager (it owns the client sessions).
    """

    def __init__(
        self,
        targets: Sequence[Target],
        answer_prefix: str,
        chunking: str = "words",
        timeout: float = 30.0,
    ) -> None:
        self.targets = {target.name: target for target in targets}
        self.answer_prefix = answer_prefix
        self.chunking = chunking
        self.timeout = timeout
        self.sessions: dict[str, aiohttp.ClientSession] = {}

    async def __aenter__(self) -> Driver:
        for name in self.targets:
            connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=120)
            self.sessions[name] = aiohttp.ClientSession(
                connector=connector, timeout=aiohttp.ClientTimeout(total=self.timeout)
            )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.gather(*(session.close() for session in self.sessions.values()))

    async def one(
        self,
        phase: str,
        target: str,
        request: BenchRequest,
        stream: bool,
        scheduled: float | None = None,
    ) -> Sample:
        """Send `request` to `target` now and check its answer.

        `scheduled` (a `time.perf_counter()` instant) is when an open-loop schedule wanted
        it sent; the difference is the sample's lag. Encoding the body costs ~10 µs.
        Never raises for a failed request (see `client.send`).
        """
        session = f"{phase}-{request.call_id}"
        body = request.body(
            stream=stream, tag=self.targets[target].tag, session=session, chunking=self.chunking
        )
        url = self.targets[target].url(session)
        lag = 0.0 if scheduled is None else (time.perf_counter() - scheduled) * 1000
        outcome = await send(self.sessions[target], url, _encode(body), stream)
        expected = self.answer_prefix + request.last_user_text
        correct = outcome.status == 200 and outcome.answer == expected
        return Sample(phase, target, stream, lag, outcome, correct)

    async def open_loop(
        self, phase: str, plan: Sequence[Slot], requests: Sequence[BenchRequest], stream: bool
    ) -> list[Sample]:
        """Start every slot of `plan` at its time, whether or not earlier ones finished.

        Runs for the plan's length plus the slowest answer. The event loop's timer
        granularity (~1 ms) shows up as lag, which the samples record.
        """
        tasks: list[asyncio.Task[Sample]] = []
        start = time.perf_counter() + 0.05
        for slot in plan:
            scheduled = start + slot.at
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            request = requests[slot.request % len(requests)]
            tasks.append(
                asyncio.create_task(self.one(phase, slot.target, request, stream, scheduled))
            )
        return list(await asyncio.gather(*tasks))

    async def closed_loop(
        self,
        phase: str,
        requests: Sequence[BenchRequest],
        stream: bool,
        concurrency: int,
        duration: float,
        block: float,
    ) -> tuple[list[Sample], dict[str, Throughput]]:
        """Saturate each target with `concurrency` clients, `duration` seconds in all.

        The targets take turns in blocks of `block` seconds (rotating order per round). In
        a block each client sends its next request as soon as its previous answer is in;
        at the block's end the clients stop sending and the block lasts until the last
        answer arrives, so throughput = correct answers / block time, drain included.
        Each target walks `requests` from the start with its own cursor.
        """
        names = list(self.targets)
        cursors = {name: itertools.count() for name in names}
        throughput = {name: Throughput(name) for name in names}
        samples: list[Sample] = []
        rounds = max(1, round(duration / block))
        for round_number in range(rounds):
            shift = round_number % len(names)
            for name in [*names[shift:], *names[:shift]]:
                started = time.perf_counter()
                deadline = started + duration / rounds
                block_samples = await self._saturate(
                    phase, name, requests, stream, concurrency, deadline, cursors[name]
                )
                counted = throughput[name]
                counted.seconds += time.perf_counter() - started
                counted.completed += len(block_samples)
                counted.correct += sum(sample.correct for sample in block_samples)
                samples.extend(block_samples)
        return samples, throughput

    async def _saturate(
        self,
        phase: str,
        target: str,
        requests: Sequence[BenchRequest],
        stream: bool,
        concurrency: int,
        deadline: float,
        cursor: itertools.count[int],
    ) -> list[Sample]:
        """`concurrency` clients sending back to back until `deadline`; their samples."""
        samples: list[Sample] = []

        async def client() -> None:
            while time.perf_counter() < deadline:
                request = requests[next(cursor) % len(requests)]
                samples.append(await self.one(phase, target, request, stream))

        await asyncio.gather(*(client() for _ in range(concurrency)))
        return samples
