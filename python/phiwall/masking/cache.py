"""A bounded memo of the values detected in one text.

Voice platforms resend the whole conversation every turn, so nearly every text
of a request was seen before (by this conversation's previous request, or by
another conversation: a system prompt). `DetectionCache` maps a text to its
detected values, a pure function of the text (and of the detector), so a
cached answer is never stale. A conversation resumed from its checkpoint does
not even look its old texts up; the cache serves the requests that are not (a
changed history, another process's previous turn, an evicted checkpoint).

Memory bound: at most `size` entries. A key is the text itself when it has at
most `DIGEST_ABOVE` characters, else a 16-byte BLAKE2b digest of it (long system
prompts cost 16 bytes, and a collision would need a BLAKE2b collision). An entry
keeps at most `MAX_FINDINGS` values (a value is three copies of a span, about 250
bytes for a name or a number), so the cache holds at most about
`size * (DIGEST_ABOVE * 4 + MAX_FINDINGS * 250)` bytes: 50 MB for the default
4096 entries in the worst case, a few MB in practice (a typical entry is a short
ASCII text with a few values, well under 1 KB). The cache holds texts and values
only in this process's memory and is never written or sent. Not thread-safe:
one `Masker` serves one event loop thread.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from hashlib import blake2b

import msgspec

#: Texts longer than this are keyed by digest.
DIGEST_ABOVE = 1024
#: Entries with more values than this are not kept.
MAX_FINDINGS = 32


class Value(msgspec.Struct, frozen=True, order=True, gc=False):
    """A detected value: `raw` is `text[start:end]`, `key` its `normalize`d identity
    and `needle` its folded spelling. Ordered by position (then the other fields)."""

    start: int
    end: int
    label: str
    key: str
    raw: str
    needle: str


#: A text (or its digest), or a tuple naming one: see `cache_key` and `units`.
CacheKey = Hashable


def cache_key(text: str) -> str | bytes:
    """The key of `text`: itself, or its digest if long. O(len(text))."""
    if len(text) > DIGEST_ABOVE:
        return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return text


class DetectionCache:
    """Least-recently-used map from `cache_key` to detected values, at most `size` entries.

    `get` costs one lookup and, on a hit, an O(1) move to the end; `keep` one insertion
    and, when full, an O(1) eviction of the oldest. (An `OrderedDict`, not a dict: a
    dict used as an LRU leaves deleted slots at its front, so finding its oldest key
    with `next(iter(...))` scans them, several µs per eviction once the cache is full.)
    """

    __slots__ = ("_entries", "size")

    def __init__(self, size: int) -> None:
        if size < 0:
            raise ValueError("cache size must be >= 0")
        self.size = size
        self._entries: OrderedDict[CacheKey, tuple[Value, ...]] = OrderedDict()

    def get(self, key: CacheKey) -> tuple[Value, ...] | None:
        """The values of `key` (now the most recently used), or None."""
        values = self._entries.get(key)
        if values is not None:
            self._entries.move_to_end(key)
        return values

    def keep(self, key: CacheKey, values: tuple[Value, ...]) -> None:
        """Store `values` under `key` unless too many, evicting the oldest entries."""
        if self.size == 0 or len(values) > MAX_FINDINGS:
            return
        entries = self._entries
        entries[key] = values
        entries.move_to_end(key)  # a key kept again is the most recent
        while len(entries) > self.size:
            entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
