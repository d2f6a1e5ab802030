"""Checkpoints: resuming a conversation from the request before it.

Turn N+1 of a call is turn N's request plus a few messages. A `Checkpoint` is
what masking turn N produced: its messages and tool definitions as JSON (an
immutable snapshot), the fields masking rewrote (path and masked text), its
token table, and its model-visible text folded for search. Turn N+1 looks up
the checkpoint of its longest stored prefix of messages by a cheap key (the
prefix length and its last two message texts), verifies it (the prefix and the
definitions encode to the same JSON: key order and types included, so they give
the same slots) and masks only the new messages: numbering continues where turn
N ended, exactly as masking the whole request would number, and the rewritten
fields are written into the new request again. If a value first found in the new
messages also occurs in the prefix (input or masked output), the prefix would
change, so the caller masks the whole request instead.

Only immutable data is kept (bytes and strings), never the request's objects,
so a caller that changes a request or a masked body after masking cannot make
a later request reuse what it no longer holds.

Memory bound: at most `size` checkpoints and `MAX_CHARS` characters in all (a
checkpoint counts its snapshot, its folded input, and twice its folded output for
the output and the masked texts: about four times its request's text), so at most
about `MAX_CHARS` bytes (8 MB) of ASCII text, four times that at worst, plus small
per-entry overhead. They hold request text in this process's memory only, like the
detection cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Hashable, Sequence
from typing import Any

import msgspec

from phiwall import _native
from phiwall.masking.matching import Occurrence, find_in
from phiwall.masking.table import TokenTable
from phiwall.masking.walk import Path

#: Characters all checkpoints may hold together.
MAX_CHARS = 8_000_000
#: How many of the newest messages may be new in a resumed request.
MAX_NEW_MESSAGES = 16
#: The top-level fields that belong to the conversation besides `messages`.
DEFINITIONS = ("tools", "functions")

_encode = msgspec.json.encode
#: `Checkpoints.find` in one native call (same keys, same verification); else `_find`.
_NATIVE_FIND = getattr(_native, "find_checkpoint", None)
#: What `msgspec` raises for a value JSON cannot hold (an object of no JSON type...).
_UNENCODABLE = (TypeError, ValueError, OverflowError)


class Checkpoint:
    """The state after masking one request: enough to mask a longer one."""

    __slots__ = ("chars", "definitions", "edits", "hay", "out_hay", "snapshot", "table", "words")

    def __init__(
        self,
        snapshot: bytes,
        definitions: bytes,
        edits: tuple[tuple[Path, str], ...],
        table: TokenTable,
        hay: str,
        out_hay: str,
        words: bytes = b"",
    ) -> None:
        #: `snapshot(messages)`: the messages as JSON.
        self.snapshot = snapshot
        #: `definitions(request)`: resumed only by a request with equal ones.
        self.definitions = definitions
        #: `(path, masked text)` of each conversation field masking rewrote.
        self.edits = edits
        #: The token table after these messages (copied before it is extended).
        self.table = table
        #: Every unit's view, folded, `SEPARATOR`-joined: searched for new values.
        self.hay = hay
        #: Every unit's masked view, folded, joined: the same, for the leak check.
        self.out_hay = out_hay
        #: A Bloom filter of the words of `hay` and `out_hay` (`_native.word_filter`), so
        #: that the native `holds_any` reads them only for a value all of whose words may be
        #: there; `b""`: none (every search reads them).
        self.words = words
        # The masked texts of `edits` are about as long as their part of `out_hay`.
        self.chars = len(snapshot) + len(hay) + len(out_hay) * 2 + len(words)

    def holds_any(self, needles: Collection[str]) -> list[Occurrence]:
        """Boundary matches of `needles` in the prefix's input or masked output.

        Cost: one native search per needle over each of the two folded texts.
        """
        return find_in(self.hay, needles) or find_in(self.out_hay, needles)

    def matches(self, request: dict[str, Any], messages: list[Any], length: int) -> bool:
        """Whether `request` continues this checkpoint's request: `messages[:length]`
        and the definitions encode as they did. Cost: one JSON encoding of the
        prefix and of the definitions (C), one bytes comparison each."""
        prefix = snapshot(messages[:length])
        return prefix == self.snapshot and definitions(request) == self.definitions


def snapshot(messages: list[Any]) -> bytes | None:
    """`messages` as JSON, or None if JSON cannot hold them. O(their size), in C."""
    try:
        return _encode(messages)
    except _UNENCODABLE:
        return None


def concatenate(before: bytes, after: bytes) -> bytes:
    """`snapshot(first + second)` from `snapshot(first)` and `snapshot(second)`: one copy."""
    if before == b"[]":
        return after
    if after == b"[]":
        return before
    return b"".join((before[:-1], b",", memoryview(after)[1:]))


def definitions(request: dict[str, Any]) -> bytes | None:
    """The tool definitions of `request` as JSON (key order and types exact), or None
    if they cannot be encoded (such a request is never resumed). O(their size)."""
    present = {field: request[field] for field in DEFINITIONS if field in request}
    try:
        return _encode(present)
    except _UNENCODABLE:
        return None


def key(messages: Sequence[Any], length: int) -> Hashable:
    """The lookup key of the prefix `messages[:length]` (`length` >= 1): its length
    and last two message texts. Equal keys do not prove equal prefixes
    (`Checkpoint.matches` does). O(1), plus hashing two texts."""
    return length, _text(messages[length - 1]), _text(messages[length - 2]) if length > 1 else None


def _text(message: Any) -> str | None:
    content = message.get("content") if isinstance(message, dict) else None
    return content if isinstance(content, str) else None


class Checkpoints:
    """Least-recently-used checkpoints by `key`, bounded in count and characters."""

    __slots__ = ("_chars", "_entries", "size")

    def __init__(self, size: int) -> None:
        if size < 0:
            raise ValueError("checkpoint count must be >= 0")
        self.size = size
        # An `OrderedDict`: O(1) eviction of the oldest (see `cache.DetectionCache`).
        self._entries: OrderedDict[Hashable, Checkpoint] = OrderedDict()
        self._chars = 0

    def find(self, request: dict[str, Any], messages: list[Any]) -> tuple[int, Checkpoint] | None:
        """The checkpoint of the longest stored prefix of `messages`, with its length.

        Tries the `MAX_NEW_MESSAGES + 1` longest prefixes; a hit is verified
        (`Checkpoint.matches`: a key match alone is never trusted). Cost: a few
        dict lookups plus one verification, natively (`_native.find_checkpoint`) when
        the extension has it, else in Python (`_find`, the reference).
        """
        if _NATIVE_FIND is not None:
            return _NATIVE_FIND(self._entries, request, messages, MAX_NEW_MESSAGES, _encode)
        return self._find(request, messages)

    def _find(self, request: dict[str, Any], messages: list[Any]) -> tuple[int, Checkpoint] | None:
        """`find` in Python: the reference the native one is tested against."""
        entries = self._entries
        if not entries:
            return None
        for length in range(len(messages), max(0, len(messages) - MAX_NEW_MESSAGES - 1), -1):
            name = key(messages, length)
            found = entries.get(name)
            if found is not None and found.matches(request, messages, length):
                entries.move_to_end(name)  # most recently used
                return length, found
        return None

    def keep(self, name: Hashable, checkpoint: Checkpoint) -> None:
        """Store `checkpoint` under `name` (`key` of its messages), evicting the oldest
        beyond the bounds."""
        if self.size == 0 or checkpoint.chars > MAX_CHARS:
            return
        entries = self._entries
        old = entries.pop(name, None)
        if old is not None:
            self._chars -= old.chars
        entries[name] = checkpoint
        self._chars += checkpoint.chars
        while len(entries) > self.size or self._chars > MAX_CHARS:
            self._chars -= entries.popitem(last=False)[1].chars

    def __len__(self) -> int:
        return len(self._entries)
