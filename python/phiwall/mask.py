"""Masking an OpenAI chat-completions request: PHI out, tokens in.

```python
masker = Masker()                 # one per process, reused for every request
masked = masker.mask(request)     # request: the dict msgspec decoded
masked.body                       # forward this
masked.table                      # {"[NAME_1]": "Sarah Chen", ...}: Rehydrator's input
```

Per request (DESIGN, data flow steps 4-5):

1. `walk` lists every string masking reads; JSON texts become leaves (`units`).
2. Each text the model reads is run through the detector, once per distinct text
   (`ScanCache`); other strings (schema enums, `user`, vendor fields) are only
   swept. Text shaped like a token is masked as a value (`lookalikes`).
3. Detected values get tokens `[LABEL_N]`, numbered per label in order of first
   detection (tool definitions, then messages in order, then position), so a
   resent history gives every value the same token turn after turn without
   server state. Numbering follows detections, not the sweep, so a new turn can
   only add tokens. Values equal up to case and whitespace share one token.
4. The known-value sweep replaces every other occurrence of every value, at word
   boundaries (`matching`), wherever the detector missed it.
5. The request to forward is built copy-on-write (`edit`) and checked (`leaks`):
   any value left outside a token raises `MaskingFailed` (fail closed).
6. The outcome is kept as a checkpoint (`checkpoints`): the conversation's next
   request, which resends this one plus a few messages, masks only those.

Decisions: values equal up to case and whitespace share a token and the first
spelling (so "sarah chen" said first comes back for a later "Sarah Chen"); a
value occurs only where it does not split a run of letters or digits ("Ann" is
not in "Annual"), for the sweep and the check alike; JSON texts are masked as
decoded strings and re-encoded, each document's leaves detected in one call
with their keys as context; `name` fields get bare tokens (`NAME_1`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any

import msgspec

from phiwall.detect import Span, detect
from phiwall.errors import MaskingFailed
from phiwall.masking import jsontext, lookalikes, units, walk
from phiwall.masking.cache import Scan, ScanCache, Value
from phiwall.masking.checkpoints import Checkpoint, Checkpoints, chain
from phiwall.masking.edit import with_edits
from phiwall.masking.leaks import assert_no_leak
from phiwall.masking.matching import SEPARATOR, fold, normalize
from phiwall.masking.rewrite import rewrite
from phiwall.masking.sweep import search
from phiwall.masking.table import TokenTable, check_label
from phiwall.masking.units import NAME_VIEW

Detector = Callable[[str], Sequence[Span]]

#: How many distinct needle sets are interned (see `Masker._intern`).
_INTERNED = 4096


class MaskedRequest(msgspec.Struct, frozen=True):
    """The result of `Masker.mask`.

    `body` is the request to forward (it shares untouched sub-objects with the
    input); `table` maps each token to the value it stands for; `counts` is the
    number of distinct values per label.
    """

    body: dict[str, Any]
    table: dict[str, str]
    counts: dict[str, int]


class Masker:
    """Masks chat-completions requests; one per process, reused for every request.

    `detector(text)` returns sorted, non-overlapping spans (default:
    `phiwall.detect.detect`). `cache_size` bounds the per-text memo of detections
    and sweep results (`phiwall.masking.cache` documents its memory bound);
    `checkpoints` bounds the conversations resumed from their previous request
    (`phiwall.masking.checkpoints`); 0 disables either. Memoized answers are
    always equal to fresh ones. Not thread-safe: use it from one event loop thread.
    """

    __slots__ = ("_cache", "_checkpoints", "_detector", "_interned")

    def __init__(
        self, detector: Detector = detect, cache_size: int = 4096, checkpoints: int = 1024
    ) -> None:
        self._detector = detector
        self._cache = ScanCache(cache_size)
        self._checkpoints = Checkpoints(checkpoints)
        self._interned: dict[frozenset[str], frozenset[str]] = {}

    def mask(self, request: dict[str, Any]) -> MaskedRequest:
        """Mask every model-visible text of `request`; the input is not changed.

        Cost: detection of the texts not seen before, plus work linear in the
        number of texts new since the conversation's previous request (or in all
        of them, without a checkpoint). Raises `MaskingFailed` if a value would
        remain in the masked request, or if anything at all fails inside masking
        or detection; the message never contains request content.
        """
        if not isinstance(request, dict):
            raise MaskingFailed("the request is not a JSON object")
        try:
            slots = walk.slots(request)
            size = walk.conversation_length(slots)
            keys = chain(slots[:size])
            found = self._checkpoints.find(slots[:size], keys)
            masked = self._mask(request, slots, size, keys, *found) if found else None
            if masked is None:  # no checkpoint, or the new turn changes earlier texts
                masked = self._mask(request, slots, size, keys, 0, None)
            if masked is None:
                raise RuntimeError("a request masked from its start cannot restart")
            return masked
        except MaskingFailed:
            raise
        except Exception as error:
            # The original error may quote request text: its type only, no chaining.
            reason = type(error).__name__
            raise MaskingFailed(f"masking failed ({reason}); nothing was forwarded") from None

    def _mask(
        self,
        request: dict[str, Any],
        slots: list[walk.Slot],
        size: int,
        keys: list[int],
        start: int,
        checkpoint: Checkpoint | None,
    ) -> MaskedRequest | None:
        """Mask `slots[start:]` after `checkpoint` (the state after `slots[:start]`).

        `slots[:size]` is the conversation, kept as the next checkpoint; the other
        top-level fields after it are masked afresh every time. Returns None if a
        value new in `slots[start:]` also occurs before `start`.
        """
        pieces, docs = units.expand(slots, start)
        table = checkpoint.table.copy() if checkpoint else TokenTable()
        scans = self._detect_all(pieces, table)
        needles = table.needles
        if checkpoint and len(needles) > len(checkpoint.needle_set):
            added = [needle for needle in needles if needle not in checkpoint.needle_set]
            if checkpoint.holds_any(added):
                return None  # earlier texts would change: mask the whole request

        # The sweep: every occurrence of every known value, in every text.
        needle_set = self._intern(frozenset(needles))
        for index in search([unit.view for unit in pieces], scans, needle_set):
            self._cache.keep(pieces[index].key, scans[index])

        edits, untouched, outputs = _replace_all(slots, pieces, docs, scans, needles)
        carried = [(slots[i], text) for i, text in checkpoint.edits] if checkpoint else []
        body = with_edits(request, [(slot.path, text) for slot, text in carried + edits])
        assert_no_leak(body, edits, untouched, needles, needle_set, carried)

        index_of = {id(slot): i for i, slot in enumerate(slots[start:size], start)}
        new_edits = tuple((index_of[id(s)], text) for s, text in edits if id(s) in index_of)
        inside = [i for i, unit in enumerate(pieces) if unit.slot < size]
        after = Checkpoint(
            tuple(slots[:size]),
            table,
            needle_set,
            checkpoint.edits + new_edits if checkpoint else new_edits,
            _join(checkpoint.hay if checkpoint else None, [pieces[i].view for i in inside]),
            _join(checkpoint.out_hay if checkpoint else None, [outputs[i] for i in inside]),
        )
        self._checkpoints.keep(keys[size], after)
        return MaskedRequest(body, dict(table.table), table.counts())

    def _detect_all(self, pieces: list[units.Unit], table: TokenTable) -> list[Scan]:
        """Each unit's scan, detecting texts not seen before; tokens in `table` in order
        of first detection. Cost: a cache lookup per unit, a detector call per new
        text (per new JSON document for its leaves)."""
        cache = self._cache
        cached = cache.get
        needles = table.needles
        scans: list[Scan] = []
        grouped: dict[int, tuple[Value, ...]] = {}  # by id(unit): a JSON document's leaves
        for unit in pieces:
            scan = cached(unit.key)
            if scan is None or scan.values is None:  # None: so far only seen as output
                scan = scan or Scan()
                if not unit.detect:
                    scan.values = ()
                elif unit.group < 0:
                    scan.values = self._detect([unit.view], [""])[0]
                else:
                    if id(unit) not in grouped:
                        group = [u for u in pieces if u.group == unit.group and u.detect]
                        found = self._detect([u.view for u in group], [u.hint for u in group])
                        grouped.update(zip(map(id, group), found, strict=True))
                    scan.values = grouped[id(unit)]
                cache.keep(unit.key, scan)
            for value in scan.values:
                if value.needle not in needles:  # else its token exists already
                    table.add(value)
            scans.append(scan)
        return scans

    def _detect(self, texts: list[str], hints: list[str]) -> list[tuple[Value, ...]]:
        """The values in each text, and its token lookalikes (`lookalikes`).

        One detector call reads the lines `hint + text`, joined by newlines: one
        text alone, or a JSON document's leaves each after its key as context. A
        span is cut to the texts it covers; what falls in a hint is dropped.
        """
        starts: list[int] = []
        lines: list[str] = []
        offset = 0
        for text, hint in zip(texts, hints, strict=True):
            starts.append(offset + len(hint))
            lines.append(hint + text if hint else text)
            offset += len(hint) + len(text) + 1
        joined = lines[0] if len(lines) == 1 else "\n".join(lines)
        found: list[list[Value]] = [[] for _ in texts]
        for span in self._detector(joined):
            start, end, label = span.start, span.end, span.label
            if not 0 <= start < end <= len(joined):
                raise ValueError("detector returned a span outside its text")
            check_label(label)
            index = max(bisect_right(starts, start) - 1, 0)
            while index < len(texts) and starts[index] < end:
                base, text = starts[index], texts[index]
                cut = max(start, base) - base, min(end, base + len(text)) - base
                if cut[0] < cut[1]:
                    found[index].append(_value(text, *cut, label))
                index += 1
        values = []
        for text, mine in zip(texts, found, strict=True):
            mine.extend(_value(text, *lookalike) for lookalike in lookalikes.find(text))
            mine.sort()
            values.append(tuple(value for value in mine if value.key))
        return values

    def _intern(self, needle_set: frozenset[str]) -> frozenset[str]:
        """One shared object per distinct needle set, so `Scan.searched is` works.

        Bounded: cleared when it holds `_INTERNED` sets (costs one re-search).
        """
        interned = self._interned
        shared = interned.get(needle_set)
        if shared is None:
            if len(interned) >= _INTERNED:
                interned.clear()
            shared = interned[needle_set] = needle_set
        return shared


def _value(text: str, start: int, end: int, label: str) -> Value:
    raw = text[start:end]
    return Value(start, end, label, normalize(raw), raw, fold(raw))


def _replace_all(
    slots: list[walk.Slot],
    pieces: list[units.Unit],
    docs: dict[int, Any],
    scans: list[Scan],
    needles: dict[str, str],
) -> tuple[list[tuple[walk.Slot, str]], list[tuple[walk.Slot, Scan]], list[str]]:
    """Tokens in place of every finding of every unit.

    Returns the edits `(slot, masked text)` (a JSON slot re-encoded once, whatever
    number of its leaves changed); the units left as they were although their scans
    hold occurrences (of another conversation's needles, or by a bug: the leak
    check looks at them again); and each unit's masked view, for the checkpoint.
    """
    edits: list[tuple[walk.Slot, str]] = []
    untouched: list[tuple[walk.Slot, Scan]] = []
    changed_leaves: dict[int, list[tuple[jsontext.Leaf, str]]] = {}
    outputs: list[str] = []
    for unit, scan in zip(pieces, scans, strict=True):
        text = unit.text
        if scan.values or scan.occurrences:
            text = rewrite(unit.text, unit.bare, scan, needles)
            if text is unit.text:
                if scan.occurrences:
                    untouched.append((slots[unit.slot], scan))
            elif unit.leaf is None:
                edits.append((slots[unit.slot], text))
            else:
                changed_leaves.setdefault(unit.slot, []).append((unit.leaf, text))
        outputs.append(text.translate(NAME_VIEW) if unit.bare else text)
    for index, leaves in changed_leaves.items():
        edits.append((slots[index], jsontext.encode(docs[index], leaves)))
    return edits, untouched, outputs


def _join(before: str | None, texts: list[str]) -> str:
    """`before` and `texts`, folded and joined by `SEPARATOR`. O(total length)."""
    joined = fold(SEPARATOR.join(texts))
    return joined if before is None else f"{before}{SEPARATOR}{joined}"


__all__ = ["Detector", "MaskedRequest", "Masker"]
