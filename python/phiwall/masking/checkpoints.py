"""Checkpoints: resuming a conversation from the request before it.

Turn N+1 of a call is turn N's request plus a few messages. A `Checkpoint` is
what masking turn N produced (its slots, token table, masked fields, and its
model-visible text folded for search), stored under a hash of its slots. Turn
N+1 finds the checkpoint of its longest stored prefix, verifies the prefix slot
by slot, and masks only the new slots: numbering continues where turn N ended,
exactly as masking the whole request would number. If a value first found in
the new slots also occurs in the prefix (input or masked output), the prefix
would change, so the caller masks the whole request instead.

Memory bound: at most `size` checkpoints and `MAX_CHARS` characters in all
(a checkpoint counts about three times its request's text: the slots it shares
with the request, the folded input and the folded output), so at most about
`MAX_CHARS * 4` bytes (32 MB) plus small per-entry overhead. They hold request
text in this process's memory only, like the scan cache.
"""

from __future__ import annotations

from collections.abc import Sequence

from phiwall.masking.matching import Occurrence, find_in
from phiwall.masking.table import TokenTable
from phiwall.masking.walk import Slot

#: Characters all checkpoints may hold together.
MAX_CHARS = 8_000_000
#: How many of the newest slots may be new in a resumed request.
MAX_NEW_SLOTS = 16


class Checkpoint:
    """The state after masking one request: enough to mask a longer one."""

    __slots__ = ("chars", "edits", "hay", "needle_set", "out_hay", "slots", "table")

    def __init__(
        self,
        slots: tuple[Slot, ...],
        table: TokenTable,
        needle_set: frozenset[str],
        edits: tuple[tuple[int, str], ...],
        hay: str,
        out_hay: str,
    ) -> None:
        self.slots = slots
        #: The token table after these slots (copied before it is extended).
        self.table = table
        self.needle_set = needle_set
        #: `(slot index, masked text)` for each field masking rewrote.
        self.edits = edits
        #: Every unit's view, folded, `SEPARATOR`-joined: searched for new values.
        self.hay = hay
        #: Every unit's masked view, folded, joined: the same, for the leak check.
        self.out_hay = out_hay
        self.chars = len(hay) * 3

    def holds_any(self, needles: Sequence[str]) -> list[Occurrence]:
        """Boundary matches of `needles` in the prefix's input or masked output."""
        return find_in(self.hay, needles) or find_in(self.out_hay, needles)


def chain(slots: Sequence[Slot]) -> list[int]:
    """`chain[n]`: a hash of `slots[:n]`. O(number of slots); string hashes are cached."""
    keys = [0]
    key = 0
    for slot in slots:
        key = hash((key, slot))
        keys.append(key)
    return keys


class Checkpoints:
    """Least-recently-used checkpoints by `chain` key, bounded in count and characters."""

    __slots__ = ("_chars", "_entries", "size")

    def __init__(self, size: int) -> None:
        if size < 0:
            raise ValueError("checkpoint count must be >= 0")
        self.size = size
        self._entries: dict[int, Checkpoint] = {}
        self._chars = 0

    def find(self, slots: Sequence[Slot], keys: list[int]) -> tuple[int, Checkpoint] | None:
        """The checkpoint of the longest stored prefix of `slots`, with its length.

        Tries the `MAX_NEW_SLOTS + 1` longest prefixes; a hit is verified slot by
        slot (a hash match alone is never trusted). Cost: a few dict lookups plus
        one comparison of the prefix (C-level string comparisons).
        """
        entries = self._entries
        for length in range(len(slots), max(0, len(slots) - MAX_NEW_SLOTS - 1), -1):
            found = entries.get(keys[length])
            if found is not None and found.slots == tuple(slots[:length]):
                del entries[keys[length]]  # most recently used: to the end
                entries[keys[length]] = found
                return length, found
        return None

    def keep(self, key: int, checkpoint: Checkpoint) -> None:
        """Store `checkpoint` under `key`, evicting the oldest beyond the bounds."""
        if self.size == 0 or checkpoint.chars > MAX_CHARS:
            return
        entries = self._entries
        old = entries.pop(key, None)
        if old is not None:
            self._chars -= old.chars
        entries[key] = checkpoint
        self._chars += checkpoint.chars
        while len(entries) > self.size or self._chars > MAX_CHARS:
            self._chars -= entries.pop(next(iter(entries))).chars

    def __len__(self) -> int:
        return len(self._entries)
