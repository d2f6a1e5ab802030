"""A bounded memo of what phiwall computed about one text.

Voice platforms resend the whole conversation every turn, so nearly every text
of a request was seen in the previous one. `ScanCache` maps a text to a `Scan`:
its detected values (computed once) and the known values found in it (extended
only by values it was not yet searched for). Both are pure functions of the text
(and of the detector and the set of values), so a cached answer is never stale.

Memory bound: at most `size` entries. A key is the text itself when it has at
most `DIGEST_ABOVE` characters, else a 16-byte BLAKE2b digest of it (long system
prompts cost 16 bytes, and a collision would need a BLAKE2b collision). An entry
keeps at most `MAX_FINDINGS` spans and occurrences and remembers at most
`MAX_SEARCHED` needles (beyond that it is used for the request at hand and not
kept, or forgets needles of other conversations). So the cache holds at most about
`size * (DIGEST_ABOVE * 4 * 3 + MAX_FINDINGS * 250 + MAX_SEARCHED * 8)` bytes (the
key, and a short text's last input and masked output, see `rewrite`): 90 MB for
the default 4096 entries in the worst case, a few MB in practice (a typical entry
is a short ASCII text with a few findings, well under 1 KB). The cache holds
texts and values only in this process's memory and is never written or sent.
Not thread-safe: one `Masker` serves one event loop thread.
"""

from __future__ import annotations

from collections.abc import Hashable
from hashlib import blake2b
from typing import NamedTuple

from phiwall.masking.matching import Occurrence

#: Texts longer than this are keyed by digest.
DIGEST_ABOVE = 1024
#: Entries with more spans and occurrences than this are not kept.
MAX_FINDINGS = 32
#: An entry remembers at most this many searched needles.
MAX_SEARCHED = 256


class Value(NamedTuple):
    """A detected value: `raw` is `text[start:end]`, `key` its `normalize`d identity
    and `needle` its folded spelling."""

    start: int
    end: int
    label: str
    key: str
    raw: str
    needle: str


#: `(text, bare, occurrences, needle keys, their tokens, output)`.
Memo = tuple[str, bool, tuple[Occurrence, ...], tuple[str, ...], tuple[str | None, ...], str]

_EMPTY: frozenset[str] = frozenset()


class Scan:
    """What is known about one text: detected values and known-value occurrences."""

    __slots__ = ("memo", "occurrences", "searched", "values")

    def __init__(self) -> None:
        #: Detected values, or None until the detector has run on this text.
        self.values: tuple[Value, ...] | None = None
        #: The needles this text has been searched for.
        self.searched: frozenset[str] = _EMPTY
        #: Their boundary matches (`matching.find_in`), in no particular order.
        self.occurrences: tuple[Occurrence, ...] = ()
        #: The last masked output of this text (see `rewrite.rewrite`).
        self.memo: Memo | None = None

    def size(self) -> int:
        """How many findings this entry holds."""
        return len(self.values or ()) + len(self.occurrences)


#: A text (or its digest), or a tuple naming one: see `cache_key` and `units`.
CacheKey = Hashable


def cache_key(text: str) -> str | bytes:
    """The key of `text`: itself, or its digest if long. O(len(text))."""
    if len(text) > DIGEST_ABOVE:
        return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return text


class ScanCache:
    """Least-recently-used map from `cache_key` to `Scan`, at most `size` entries.

    `get` costs one dict lookup and, on a hit, one re-insertion (a dict keeps
    insertion order, so its first key is the least recently used). Entries are
    mutable: after changing one, `keep` it again so the size bound is enforced.
    """

    __slots__ = ("_entries", "size")

    def __init__(self, size: int) -> None:
        if size < 0:
            raise ValueError("cache size must be >= 0")
        self.size = size
        self._entries: dict[CacheKey, Scan] = {}

    def get(self, key: CacheKey) -> Scan | None:
        """The entry of `key` (now the most recently used), or None."""
        entries = self._entries
        scan = entries.pop(key, None)
        if scan is not None:
            entries[key] = scan
        return scan

    def keep(self, key: CacheKey, scan: Scan) -> None:
        """Store `scan` under `key` unless too large, evicting the oldest entries."""
        if self.size == 0 or scan.size() > MAX_FINDINGS:
            self._entries.pop(key, None)
            return
        entries = self._entries
        entries[key] = scan
        while len(entries) > self.size:
            del entries[next(iter(entries))]

    def __len__(self) -> int:
        return len(self._entries)
