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

import msgspec


class ServerSentEvent(msgspec.Struct, frozen=True, gc=False):
    """One event. `data` joins the event's `data:` lines with `\\n`, as bytes.

    A msgspec struct: about ten times cheaper to build than a NamedTuple.
    """

    data: bytes
    event: bytes | None = None
    id: bytes | None = None
    retry: bytes | None = None

    def encode(self) -> bytes:
        """The event in wire form, ending with the blank line that dispatches it."""
        if self.event is None and self.id is None and self.retry is None:
            return b"data: " + self.data.replace(b"\n", b"\ndata: ") + b"\n\n"
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

    Cost: a read of whole `data:` events (the usual case) is split at blank lines
    and sliced, well under a microsecond per event; anything else goes line by line.
    Never raises: a malformed line is a field the specification ignores.
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
        if self._idle() and chunk.endswith(b"\n\n") and b"\r" not in chunk:
            return self._whole_events(chunk)
        if self._pending:
            chunk = self._pending + chunk
        lines = chunk.splitlines(keepends=True)
        self._pending = b""
        if lines and not lines[-1].endswith(b"\n"):  # unfinished, or maybe half a "\r\n"
            self._pending = lines.pop()
        events: list[ServerSentEvent] = []
        for line in lines:
            event = self._line(line.rstrip(b"\r\n"))
            if event is not None:
                events.append(event)
        return events

    def _idle(self) -> bool:
        """Between events: nothing pending, no field of an event read yet."""
        if self._pending or self._data:
            return False
        return self._event is None and self._id is None and self._retry is None

    def _whole_events(self, chunk: bytes) -> list[ServerSentEvent]:
        """The common case, fast: a read of whole `\n`-terminated events."""
        events: list[ServerSentEvent] = []
        for block in chunk[:-2].split(b"\n\n"):
            if block[:6] == b"data: " and b"\n" not in block:
                events.append(ServerSentEvent(block[6:]))
                continue
            for line in [*block.split(b"\n"), b""]:
                event = self._line(line)
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
