"""The access log: one JSON line per request, never any content.

A line says which agent and session, the route, the status (and error code), whether
the answer streamed, the model, the stage timings in microseconds and the number of
entities masked per label. Nothing from a message, no header, no key. Agent ids are
shared secrets (they are the URL), so a line carries only a redacted form,
`agt_…` and the last four characters.
"""

from __future__ import annotations

import os
import select
from collections.abc import Callable

import msgspec


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
    """Writes records to a file descriptor (stdout by default), one `write(2)` each.

    Cost: an encode (~1 µs), a `poll(2)` that does not wait, and one unbuffered write of
    about 300 bytes. A line is dropped, never waited for, when the descriptor cannot take it
    now (a reader that stopped draining the pipe) or the write fails (closed pipe, full
    disk): a stalled log never stalls a request. `dropped` counts those lines.
    """

    def __init__(self, fd: int | None = 1) -> None:
        self._fd = fd
        self._encode = msgspec.json.Encoder().encode
        self._ready = _readiness(fd)
        #: Lines dropped so far (the descriptor not writable now, or the write failing).
        self.dropped = 0

    @property
    def enabled(self) -> bool:
        return self._fd is not None

    def write(self, record: AccessRecord) -> None:
        """Append `record` as one JSON line, or drop it (see the class)."""
        if self._fd is None:
            return
        line = self._encode(record) + b"\n"
        try:
            # A pipe that polls writable has room for a line this short (under PIPE_BUF,
            # so it is also written whole, never interleaved with another worker's).
            if self._ready is not None and not self._ready():
                self.dropped += 1
                return
            os.write(self._fd, line)
        except OSError:
            self.dropped += 1


def _readiness(fd: int | None) -> Callable[[], bool] | None:
    """A check that `fd` takes a write now without blocking; None where `poll` is missing."""
    if fd is None or not hasattr(select, "poll"):
        return None
    poller = select.poll()
    poller.register(fd, select.POLLOUT)

    def ready() -> bool:
        return any(events & select.POLLOUT for _, events in poller.poll(0))

    return ready
