"""How the mock cuts a text into stream deltas, and SSE bytes into network writes.

Two independent cuts make the stream adversarial for phiwall's rehydrator and SSE parser:

- `split_text` cuts a reply (content or tool-call arguments) into `delta` pieces, so that
  tokens like `[NAME_1]` arrive cut anywhere.
- `WireCutter` cuts the SSE byte stream into network writes regardless of event
  boundaries (and of UTF-8 character boundaries), so that one event arrives in several
  reads, or several events in one read.

Every cut is deterministic for a given chunking and seed; joining the pieces always gives
back the input exactly.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator, Sequence

#: A chunking: a named strategy, or explicit piece sizes (cycled until the text ends).
Chunking = str | list[int]

TEXT_CHUNKINGS = ("whole", "words", "chars", "random", "tokens")
WIRE_CHUNKINGS = ("event", "bytes", "random")

_WORD = re.compile(r"\S+\s*|\s+")
_TOKEN = re.compile(r"\[[^\[\]\s]{0,40}\]")
_RANDOM_TEXT_MAX = 7
_RANDOM_WIRE_MAX = 24


def validate_sizes(sizes: Sequence[int]) -> None:
    """Raise `ValueError` unless `sizes` is a non-empty list of positive sizes."""
    if not sizes or any(not isinstance(s, int) or s < 1 for s in sizes):
        raise ValueError("explicit chunk sizes must be a non-empty list of integers >= 1")


def _cycled_cuts(length: int, sizes: Sequence[int]) -> Iterator[tuple[int, int]]:
    start, i = 0, 0
    while start < length:
        end = min(length, start + sizes[i % len(sizes)])
        yield start, end
        start, i = end, i + 1


def _token_cuts(text: str) -> list[int]:
    """Cut points that split every `[...]` token: before, inside and after it."""
    points: set[int] = set()
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        points.update((start, start + 1, (start + end) // 2, end - 1, end))
    return sorted(p for p in points if 0 < p < len(text))


def split_text(text: str, chunking: Chunking, seed: int = 0) -> list[str]:
    """Cut `text` into the pieces the mock streams, one `delta` each.

    `whole`: one piece. `words`: each word with its trailing whitespace. `chars`: one
    character each. `random`: pieces of 1 to 7 characters drawn from `Random(seed)`.
    `tokens`: cuts before, after, and inside every bracketed token such as `[NAME_1]`.
    A list of sizes: pieces of those lengths, cycled. An empty text gives no pieces.
    """
    if not text:
        return []
    if isinstance(chunking, list):
        validate_sizes(chunking)
        return [text[a:b] for a, b in _cycled_cuts(len(text), chunking)]
    if chunking == "whole":
        return [text]
    if chunking == "words":
        return _WORD.findall(text)
    if chunking == "chars":
        return list(text)
    if chunking == "random":
        rng = random.Random(seed)
        pieces: list[str] = []
        start = 0
        while start < len(text):
            end = start + rng.randint(1, _RANDOM_TEXT_MAX)
            pieces.append(text[start:end])
            start = end
        return pieces
    if chunking == "tokens":
        cuts = [0, *_token_cuts(text), len(text)]
        return [text[a:b] for a, b in itertools.pairwise(cuts)]
    raise ValueError(f"unknown chunking {chunking!r}; use one of {TEXT_CHUNKINGS} or sizes")


class WireCutter:
    """Cuts a byte stream into network writes, carrying the remainder between feeds.

    `event`: one write per SSE event (what real servers do). `bytes`: one byte per write.
    `random`: writes of 1 to 24 bytes drawn from `Random(seed)`. A list of sizes: writes of
    those lengths, cycled (sizes larger than an event coalesce several events in one
    write). Bytes that do not yet fill a write wait for the next `feed`; `flush` returns
    whatever is left.
    """

    def __init__(self, wire: Chunking = "event", seed: int = 0) -> None:
        if isinstance(wire, list):
            validate_sizes(wire)
        elif wire not in WIRE_CHUNKINGS:
            raise ValueError(f"unknown wire chunking {wire!r}; use one of {WIRE_CHUNKINGS}")
        self._wire = wire
        self._rng = random.Random(seed)
        self._size_index = 0
        self._pending = b""
        self._next = self._next_size()

    def _next_size(self) -> int:
        if self._wire == "bytes":
            return 1
        if self._wire == "random":
            return self._rng.randint(1, _RANDOM_WIRE_MAX)
        if isinstance(self._wire, list):
            size = self._wire[self._size_index % len(self._wire)]
            self._size_index += 1
            return size
        return 0  # "event": never cut

    def feed(self, data: bytes) -> list[bytes]:
        """The writes that `data` (after any carried remainder) completes."""
        if self._wire == "event":
            return [data] if data else []
        buffer = self._pending + data
        writes: list[bytes] = []
        start = 0
        while len(buffer) - start >= self._next:
            writes.append(buffer[start : start + self._next])
            start += self._next
            self._next = self._next_size()
        self._pending = buffer[start:]
        return writes

    def flush(self) -> list[bytes]:
        """The last, possibly short, write."""
        rest, self._pending = self._pending, b""
        return [rest] if rest else []
