"""An incremental Server-Sent Events decoder, in the shape of httpx's decoders.

`SSEDecoder.feed(bytes)` takes whatever the network delivered — half an event, one
event, many — and returns the events completed by it; `flush()` returns the event the
stream ended in the middle of, if any. Work is done on bytes, so a multi-byte UTF-8
character cut by a network read is never decoded in halves: the `data` of an event
is left as bytes for the JSON decoder.

Line endings are those of the SSE specification (`\\r\\n`, `\\n` or `\\r`); a `\\r`
at the end of a read is held until the next read says whether a `\\n` follows.
Comment lines (`: keep-alive`) are dropped and fields are kept per event (a relay
repeats what it was sent, it does not remember the last event id).
"""

from __future__ import annotations

from typing import NamedTuple


class ServerSentEvent(NamedTuple):
    """One event. `data` joins the event's `data:` lines with `\\n`, as bytes."""

    data: bytes
    event: bytes | None = None
    id: bytes | None = None
    retry: bytes | None = None

    def encode(self) -> bytes:
        """The event in wire form, ending with the blank line that dispatches it."""
        head = b""
        if self.event is not None:
            head += b"event: " + self.event + b"\n"
        if self.id is not None:
            head += b"id: " + self.id + b"\n"
        if self.retry is not None:
            head += b"retry: " + self.retry + b"\n"
        return head + b"data: " + self.data.replace(b"\n", b"\ndata: ") + b"\n\n"


class SSEDecoder:
    """Turns a byte stream into `ServerSentEvent`s, however the bytes are split.

    Cost: one `splitlines` per read plus a few comparisons per line — about a
    microsecond for a typical chat-completions chunk. Never raises: a malformed
    line is a field the specification ignores.
    """

    __slots__ = ("_data", "_event", "_id", "_pending", "_retry")

    def __init__(self) -> None:
        self._pending = b""  # an incomplete last line, carried to the next read
        self._data: list[bytes] = []
        self._event: bytes | None = None
        self._id: bytes | None = None
        self._retry: bytes | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Add `chunk`; return the events whose terminating blank line it completed."""
        if self._pending:
            chunk = self._pending + chunk
        lines = chunk.splitlines(keepends=True)
        if not lines:
            return []
        last = lines[-1]
        if last.endswith(b"\n"):
            self._pending = b""
        elif last.endswith(b"\r"):  # maybe the first half of a "\r\n"
            self._pending = last
            lines.pop()
        else:
            self._pending = last
            lines.pop()
        events: list[ServerSentEvent] = []
        for line in lines:
            event = self._line(line.rstrip(b"\r\n"))
            if event is not None:
                events.append(event)
        return events

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: the last event, if its blank line never came."""
        events: list[ServerSentEvent] = []
        if self._pending:
            pending, self._pending = self._pending, b""
            event = self._line(pending.rstrip(b"\r\n"))
            if event is not None:
                events.append(event)
        event = self._line(b"")
        if event is not None:
            events.append(event)
        return events

    def _line(self, line: bytes) -> ServerSentEvent | None:
        if not line:
            return self._dispatch()
        if line[0] == 0x3A:  # ":" comment
            return None
        name, colon, value = line.partition(b":")
        if colon and value[:1] == b" ":
            value = value[1:]
        if name == b"data":
            self._data.append(value)
        elif name == b"event":
            self._event = value
        elif name == b"id" and b"\0" not in value:
            self._id = value
        elif name == b"retry" and value.isdigit():
            self._retry = value
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        data = self._data
        event = None
        if data:  # an event without data is not dispatched, as the specification says
            joined = data[0] if len(data) == 1 else b"\n".join(data)
            event = ServerSentEvent(joined, self._event, self._id, self._retry)
            self._data = []
        self._event = self._id = self._retry = None  # a relay repeats only what it was sent
        return event
