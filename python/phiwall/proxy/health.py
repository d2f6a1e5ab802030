"""`GET /health`: the worker is up, and what it has had to drop.

A proxy that never blocks a request on its logs pays for that by dropping: access-log
lines when stdout is not drained, turn events when the store's writer falls behind.
Both are counted per worker, and this is where an operator (or a probe) reads them
without a log line, which could itself block on the stalled pipe. Counters are since the
worker started; with several workers, each answer is one worker's.
"""

from __future__ import annotations

import os

import msgspec

from phiwall.proxy.runtime import Runtime


class Dropped(msgspec.Struct, kw_only=True):
    """What this worker dropped since it started."""

    access_log_lines: int
    events: int


class Health(msgspec.Struct, kw_only=True):
    """The body of `GET /health`."""

    status: str
    pid: int
    dropped: Dropped


_encode = msgspec.json.Encoder().encode


def health_body(runtime: Runtime) -> bytes:
    """The JSON body of `GET /health` for this worker; a few attribute reads."""
    dropped = Dropped(
        access_log_lines=runtime.access_log.dropped,
        events=runtime.store.dropped_events,
    )
    return _encode(Health(status="ok", pid=os.getpid(), dropped=dropped))
