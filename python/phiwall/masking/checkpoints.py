"""Checkpoints: resuming a conversation from the request before it.

Turn N+1 of a call is turn N's request plus a few messages. A `Checkpoint` is
what masking turn N produced: a digest of its messages and one of its tool
definitions, the fields masking rewrote (path and masked text), its token table,
and its model-visible text folded for search. Turn N+1 looks up the checkpoint of
its longest stored prefix of messages by a cheap key (the prefix length and its
last two message texts), verifies it (the prefix and the definitions have the same
digests: the same JSON data, key order and types included, so they give the same
slots; `digest`) and masks only the new messages: numbering continues where turn
N ended, exactly as masking the whole request would number, and the rewritten
fields are written into the new request again. If a value first found in the new
messages also occurs in the prefix (input or masked output), the prefix would
change, so the caller masks the whole request instead.

Only immutable data is kept (digests and strings), never the request's objects,
so a caller that changes a request or a masked body after masking cannot make
a later request reuse what it no longer holds.

Memory bound: at most `size` checkpoints and `MAX_CHARS` characters in all (a
checkpoint counts its folded input, and twice its folded output for the output
and the masked texts: about three times its request's text), so at most
about `MAX_CHARS` bytes (8 MB) of ASCII text, four times that at worst, plus small
per-entry overhead. They hold request text in this process's memory only, like the
detection cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Hashable, Sequence
from typing import Any

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

#: `Checkpoints.find` in one native call (same keys, same verification); else `_find`.
_NATIVE_FIND = getattr(_native, "find_checkpoint", None)


class Checkpoint:
    """The state after masking one request: enough to mask a longer one."""

    __slots__ = ("chars", "definitions", "digest", "edits", "hay", "out_hay", "table", "words")

    def __init__(
        self,
        digest: int,
        definitions: int,
        edits: tuple[tuple[Path, str], ...],
        table: TokenTable,
        hay: str,
        out_hay: str,
        words: bytes = b"",
    ) -> None:
        #: `digest(messages)`: resumed only by a request with this prefix of messages.
        self.digest = digest
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
        self.chars = len(hay) + len(out_hay) * 2 + len(words)

    def holds_any(self, needles: Collection[str]) -> list[Occurrence]:
        """Boundary matches of `needles` in the prefix's input or masked output.

        Cost: one native search per needle over each of the two folded texts.
        """
        return find_in(self.hay, needles) or find_in(self.out_hay, needles)

    def matches(self, request: dict[str, Any], messages: list[Any], length: int) -> bool:
        """Whether `request` continues this checkpoint's request: `messages[:length]`
        and the definitions have its digests. Cost: one digest of the prefix and of the
        definitions (native, one pass over their text)."""
        prefix = digest(messages[:length])
        return prefix == self.digest and definitions(request) == self.definitions


def digest(messages: list[Any], previous: int | None = None) -> int | None:
    """The digest of `messages` chained after `previous` (the digest of the messages
    before them; None: none), or None if they are not exactly JSON data (such messages are
    never resumed). `digest(b, digest(a)) == digest(a + b)`. Equal digests stand for equal
    data (`_native.json_digest`: keyed per process, ~2^-51 chance of a collision).
    O(their size), native."""
    return _native.json_digest(messages, previous)


def definitions(request: dict[str, Any]) -> int | None:
    """The digest of the tool definitions of `request` (each present field's name, then its
    value), or None if they are not JSON data (such a request is never resumed)."""
    present = [
        part for field in DEFINITIONS if field in request for part in (field, request[field])
    ]
    return _native.json_digest(present)


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
            return _NATIVE_FIND(self._entries, request, messages, MAX_NEW_MESSAGES)
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
