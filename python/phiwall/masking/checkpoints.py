"""Checkpoints: resuming a conversation from the request before it.

Turn N+1 of a call is turn N's request plus a few messages. A `Checkpoint` is
what masking turn N produced: its messages (input and masked), its masked tool
definitions, its token table, and its model-visible text folded for search.
Turn N+1 looks up the checkpoint of its longest stored prefix of messages by a
cheap key (the prefix length and its last two message texts), verifies it (the
prefix equal message by message, in C; the tool definitions equal as JSON) and
masks only the new messages: numbering continues where turn N ended, exactly as
masking the whole request would number, and the masked prefix is reused as it
is. If a value first found in the new messages also occurs in the prefix (input
or masked output), the prefix would change, so the caller masks the whole
request instead.

Equal messages give equal slots, except where `walk` reads fields in key order
(vendor fields): `==` ignores key order, so such messages are verified slot by
slot as well.

Memory bound: at most `size` checkpoints and `MAX_CHARS` characters in all
(a checkpoint counts about three times its request's text: the messages it
shares with the request and its masked form, the folded input and the folded
output), so at most about `MAX_CHARS * 4` bytes (32 MB) plus small per-entry
overhead. They hold request text in this process's memory only, like the
detection cache. The masked messages are shared with the `MaskedRequest` they
came from, which is therefore read-only.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from typing import Any

import msgspec

from phiwall.masking import walk
from phiwall.masking.matching import Occurrence, find_in
from phiwall.masking.table import TokenTable

#: Characters all checkpoints may hold together.
MAX_CHARS = 8_000_000
#: How many of the newest messages may be new in a resumed request.
MAX_NEW_MESSAGES = 16
#: The top-level fields a checkpoint keeps masked, besides `messages`.
DEFINITIONS = ("tools", "functions")

_encode = msgspec.json.encode


class Checkpoint:
    """The state after masking one request: enough to mask a longer one."""

    __slots__ = ("chars", "definitions", "hay", "masked", "messages", "ordered", "out_hay", "table")

    def __init__(
        self,
        messages: list[Any],
        masked: dict[str, Any],
        definitions: bytes | None,
        ordered: tuple[tuple[int, list[walk.Slot]], ...],
        table: TokenTable,
        hay: str,
        out_hay: str,
    ) -> None:
        #: The request's messages (a copy of the list, sharing the messages).
        self.messages = messages
        #: The masked body's `messages` and definition fields: reused as they are.
        self.masked = masked
        #: `definitions(request)`: resumed only by a request with equal ones.
        self.definitions = definitions
        #: `(index, slots)` of each message whose slots depend on its key order.
        self.ordered = ordered
        #: The token table after these messages (copied before it is extended).
        self.table = table
        #: Every unit's view, folded, `SEPARATOR`-joined: searched for new values.
        self.hay = hay
        #: Every unit's masked view, folded, joined: the same, for the leak check.
        self.out_hay = out_hay
        self.chars = len(hay) * 3

    def holds_any(self, needles: Collection[str]) -> list[Occurrence]:
        """Boundary matches of `needles` in the prefix's input or masked output.

        Cost: one C search per needle over each of the two folded texts.
        """
        return find_in(self.hay, needles) or find_in(self.out_hay, needles)

    def matches(self, request: dict[str, Any], messages: list[Any]) -> bool:
        """Whether `request` continues this checkpoint's request: its first messages
        and its definitions give the same slots. Cost: one C comparison of the
        prefix, one JSON encoding of the definitions, a walk of `ordered` only."""
        mine = self.messages
        if self.definitions is None or messages[: len(mine)] != mine:
            return False
        for index, slots in self.ordered:
            if walk.message_slots(messages[index], index) != slots:
                return False
        return definitions(request) == self.definitions

    def resume(self, request: dict[str, Any], messages: list[Any]) -> dict[str, Any]:
        """A copy of `request` with the masked prefix and definitions in place.

        The new messages are still the input's. Cost: a copy of the top-level
        dict and of the message list.
        """
        body = dict(request)
        body.update(self.masked)
        body["messages"] = self.masked["messages"] + messages[len(self.messages) :]
        return body


def definitions(request: dict[str, Any]) -> bytes | None:
    """The tool definitions of `request` as JSON (key order and types exact), or None
    if they cannot be encoded (such a request is never resumed). O(their size)."""
    present = {field: request[field] for field in DEFINITIONS if field in request}
    try:
        return _encode(present)
    except (TypeError, ValueError, OverflowError):
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
        self._entries: dict[Hashable, Checkpoint] = {}
        self._chars = 0

    def find(self, request: dict[str, Any], messages: list[Any]) -> tuple[int, Checkpoint] | None:
        """The checkpoint of the longest stored prefix of `messages`, with its length.

        Tries the `MAX_NEW_MESSAGES + 1` longest prefixes; a hit is verified
        (`Checkpoint.matches`: a key match alone is never trusted). Cost: a few
        dict lookups plus one verification.
        """
        entries = self._entries
        if not entries:
            return None
        for length in range(len(messages), max(0, len(messages) - MAX_NEW_MESSAGES - 1), -1):
            name = key(messages, length)
            found = entries.get(name)
            if found is not None and found.matches(request, messages):
                del entries[name]  # most recently used: to the end
                entries[name] = found
                return length, found
        return None

    def keep(self, checkpoint: Checkpoint) -> None:
        """Store `checkpoint` (replacing one with the same key), evicting the oldest
        beyond the bounds. A checkpoint without messages is not kept."""
        if self.size == 0 or checkpoint.chars > MAX_CHARS or not checkpoint.messages:
            return
        entries = self._entries
        name = key(checkpoint.messages, len(checkpoint.messages))
        old = entries.pop(name, None)
        if old is not None:
            self._chars -= old.chars
        entries[name] = checkpoint
        self._chars += checkpoint.chars
        while len(entries) > self.size or self._chars > MAX_CHARS:
            self._chars -= entries.pop(next(iter(entries))).chars

    def __len__(self) -> int:
        return len(self._entries)
