"""The access log: one JSON line per request, never any content.

A line says which agent and session, the route, the status (and error code), whether
the answer streamed, the model, the stage timings in microseconds and the number of
entities masked per label. Nothing from a message, no header, no key. Agent ids are
shared secrets (they are the URL), so a line carries only a redacted form,
`agt_…` and the last four characters.
"""

from __future__ import annotations

import contextlib
import os

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

    Cost: an encode (~1 µs) and one unbuffered write of about 300 bytes. A write
    that fails (closed pipe, full disk) drops the line rather than fail the request.
    A reader must drain the descriptor: a full pipe blocks the worker.
    """

    def __init__(self, fd: int | None = 1) -> None:
        self._fd = fd
        self._encode = msgspec.json.Encoder().encode

    @property
    def enabled(self) -> bool:
        return self._fd is not None

    def write(self, record: AccessRecord) -> None:
        """Append `record` as one JSON line."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.write(self._fd, self._encode(record) + b"\n")
