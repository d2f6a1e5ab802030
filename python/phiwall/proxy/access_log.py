"""The access log: one JSON line per request, never any content.

A line says which agent and session, the route, the status (and error code), whether
the answer streamed, the model, the stage timings in microseconds and the number of
entities masked per label. Nothing from a message, no header, no key. Agent ids are
shared secrets (they are the URL), so a line carries only a redacted form,
`agt_…` and the last four characters.
"""

from __future__ import annotations

import asyncio
import os
import select
from collections.abc import Callable

import msgspec

#: How long a line may wait for others to share its `write(2)` (seconds).
FLUSH_DELAY = 0.05
#: The most bytes one batch writes: what a pipe takes in one piece (4096 on Linux).
PIPE_BUF: int = getattr(select, "PIPE_BUF", 512)


class AccessRecord(msgspec.Struct, kw_only=True):
    """What one line of the access log says about one request."""

    at: float
    route: str
    status: int
    agent: str | None = None
    session: str | None = None
    stream: bool | None = None
    model: str | None = None
    error: str | None = None
    timings_us: dict[str, int] = msgspec.field(default_factory=dict)
    entities: dict[str, int] = msgspec.field(default_factory=dict)


def redact_agent_id(agent_id: str | None) -> str | None:
    """`agt_…WXYZ`: enough to tell agents apart in a log, too little to call one."""
    if agent_id is None:
        return None
    return "agt_…" + agent_id[-4:]


class AccessLog:
    """Writes records to a file descriptor (stdout by default) as JSON lines, in batches.

    Inside a running event loop, lines wait up to `flush_delay` (50 ms) and go out together:
    one `poll(2)` and one `write(2)` per batch instead of per request, and one wake-up of
    whatever reads the log (each costs ~10 µs of CPU when caches are cold, as they are
    between turns at a realistic rate). A batch never exceeds PIPE_BUF, so it is written
    whole, never interleaved with another worker's. Outside a loop a line is written at
    once. `flush` (or `close`, at shutdown) writes what waits.

    A batch is dropped, never waited for, when the descriptor cannot take it now (a reader
    that stopped draining the pipe) or the write fails (closed pipe, full disk): a stalled
    log never stalls a request. `dropped` counts the lines lost. Not thread-safe: one
    worker's event loop writes it.
    """

    def __init__(self, fd: int | None = 1, flush_delay: float = FLUSH_DELAY) -> None:
        self._fd = fd
        self._flush_delay = flush_delay
        self._encode = msgspec.json.Encoder().encode
        self._ready = _readiness(fd)
        self._batch: list[bytes] = []
        self._batch_size = 0
        self._timer: asyncio.TimerHandle | None = None
        self._closed = False  # after `close`, every line is written at once
        #: Lines dropped so far (the descriptor not writable now, or the write failing).
        self.dropped = 0

    @property
    def enabled(self) -> bool:
        return self._fd is not None

    def write(self, record: AccessRecord) -> None:
        """Queue `record` as one JSON line (see the class); ~1 µs, no system call, unless
        the batch is full or no event loop runs."""
        if self._fd is None:
            return
        line = self._encode(record) + b"\n"
        if self._batch_size + len(line) > PIPE_BUF:
            self.flush()
        self._batch.append(line)
        self._batch_size += len(line)
        if self._timer is None:
            try:
                loop = None if self._closed else asyncio.get_running_loop()
            except RuntimeError:
                loop = None
            if loop is None:
                self.flush()
                return
            self._timer = loop.call_later(self._flush_delay, self.flush)

    def flush(self) -> None:
        """Write the waiting lines in one `write(2)`, or drop them (see the class)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._batch or self._fd is None:
            return
        batch, lines = b"".join(self._batch), len(self._batch)
        self._batch.clear()
        self._batch_size = 0
        try:
            # A pipe that polls writable has a free page: room for a batch up to PIPE_BUF.
            if self._ready is not None and not self._ready():
                self.dropped += lines
                return
            os.write(self._fd, batch)
        except OSError:
            self.dropped += lines

    def close(self) -> None:
        """Write what waits; later lines are written at once. Idempotent."""
        self._closed = True
        self.flush()


def _readiness(fd: int | None) -> Callable[[], bool] | None:
    """A check that `fd` takes a write now without blocking; None where `poll` is missing."""
    if fd is None or not hasattr(select, "poll"):
        return None
    poller = select.poll()
    poller.register(fd, select.POLLOUT)

    def ready() -> bool:
        return any(events & select.POLLOUT for _, events in poller.poll(0))

    return ready
