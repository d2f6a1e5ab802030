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
   (`DetectionCache`); other strings (schema enums, `user`, vendor fields) are only
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
   request, which resends this one plus a few messages, masks only those and
   writes the prefix's masked fields into it again (no walk, detection or sweep
   of the prefix; the check reads those fields back). Building the checkpoint is
   left to `Masker.settle`, which the proxy runs once the masked request is on its
   way upstream (off the turn's critical path); the next `mask` settles first.

Decisions: values equal up to case and whitespace share a token and the first
spelling (so "sarah chen" said first comes back for a later "Sarah Chen"); a
value occurs only where it does not split a run of letters or digits ("Ann" is
not in "Annual"), for the sweep and the check alike; JSON texts are masked as
decoded strings and re-encoded, each document's leaves detected in one call
with their keys as context; `name` fields get bare tokens (`NAME_1`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import msgspec

from phiwall import _native
from phiwall.detect import Span, detect
from phiwall.detect import engine as _engine
from phiwall.detect import native as _detection
from phiwall.detect import patterns as _patterns
from phiwall.detect.fold import fold as fold_text
from phiwall.errors import MaskingFailed
from phiwall.masking import checkpoints, jsontext, lookalikes, units, walk
from phiwall.masking.cache import DetectionCache, Value, cache_key
from phiwall.masking.checkpoints import Checkpoint, Checkpoints
from phiwall.masking.edit import with_edits
from phiwall.masking.leaks import assert_no_leak
from phiwall.masking.matching import SEPARATOR, Occurrence, find_in_many, fold
from phiwall.masking.rewrite import rewrite
from phiwall.masking.table import KNOWN_LABELS, TokenTable, check_label
from phiwall.masking.units import NAME_VIEW

Detector = Callable[[str], Sequence[Span]]

#: Whether a new `Masker` masks a resumed conversation natively (`_native.mask_resumed`)
#: by default; the Python path stays the reference (`Masker(native=False)`).
NATIVE = hasattr(_native, "mask_resumed")
#: The Python helpers the native paths call (rarely: non-ASCII folds, long keys, JSON).
_HELPERS = (fold, jsontext.parse, cache_key, MaskingFailed)
#: What the native paths build values, lookalikes and JSON texts with.
_FRESH = hasattr(_native, "mask_fresh")
_EXTRAS = (Value, lookalikes.find, msgspec.json.encode, fold_text)
#: Builds `Checkpoint.words`, which the native `holds_any` reads (absent: no filter).
_WORD_FILTER = getattr(_native, "word_filter", None)
#: Every pattern kind: the native detector needs no Hyperscan pass when it scans them all.
_ALL_KINDS = frozenset(_patterns.Kind)


def _native_detector() -> Any | None:
    """The detector the native paths call for texts that are ASCII (or fold to ASCII),
    exactly as `detect` would: the native `Detector` when `engine.spans` sends ASCII text
    to it with no Hyperscan reports (every kind native), else None. Read per request: both
    switches may change at run time."""
    if _engine.NATIVE and _patterns.NATIVE_KINDS >= _ALL_KINDS:
        return _detection.detector()
    return None


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
    (`phiwall.masking.cache` documents its memory bound); `checkpoints` bounds the
    conversations resumed from their previous request
    (`phiwall.masking.checkpoints`); 0 disables either. Memoized answers are
    always equal to fresh ones. `native` (default: `NATIVE`) masks a request that
    resumes a checkpoint in one native call (`_native.mask_resumed`), and a request
    without one in another (`_native.mask_fresh`); both call the native detector
    themselves when `detector` is `detect`, and leave to the Python path only texts with
    lone surrogates and JSON nested deeper than 64. Their answers, failures and effects on
    the cache and the checkpoints are the Python path's.
    Not thread-safe: use it from one event loop thread.
    """

    __slots__ = ("_cache", "_checkpoints", "_detector", "_native", "_pending")

    def __init__(
        self,
        detector: Detector = detect,
        cache_size: int = 4096,
        checkpoints: int = 1024,
        *,
        native: bool | None = None,
    ) -> None:
        self._detector = detector
        self._native = NATIVE if native is None else native and hasattr(_native, "mask_resumed")
        self._cache = DetectionCache(cache_size)
        self._checkpoints = Checkpoints(checkpoints)
        #: The checkpoint of the last request masked, not yet built (`settle`).
        self._pending: _Pending | None = None

    def mask(self, request: dict[str, Any]) -> MaskedRequest:
        """Mask every model-visible text of `request`; the input is not changed.

        Cost: detection of the texts not seen before, plus work linear in the
        number of texts new since the conversation's previous request (or in all
        of them, without a checkpoint), plus a JSON encoding of the resent history
        (in C) to verify the checkpoint and a native write of its masked fields.
        Raises `MaskingFailed` if a value would remain in the masked request, or if
        anything at all fails inside masking or detection; the message never
        contains request content.
        """
        if not isinstance(request, dict):
            raise MaskingFailed("the request is not a JSON object")
        self.settle()  # the previous request's checkpoint first: this one may resume it
        try:
            messages = request.get("messages")
            messages = messages if isinstance(messages, list) else []
            found = self._checkpoints.find(request, messages)
            masked = self._mask(request, messages, *found) if found else None
            if masked is None:  # no checkpoint, or the new turn changes earlier texts
                masked = self._mask(request, messages, 0, None)
            if masked is None:
                raise RuntimeError("a request masked from its start cannot restart")
            return masked
        except MaskingFailed:
            raise
        except Exception as error:
            # The original error may quote request text: its type only, no chaining.
            reason = type(error).__name__
            raise MaskingFailed(f"masking failed ({reason}); nothing was forwarded") from None

    def settle(self) -> None:
        """Build and keep the checkpoint of the last request masked, if not done yet.

        `mask` leaves this step (a few µs of Python: the folded texts joined, the
        entry stored) for later, so that a caller can run it once the masked request
        is sent, e.g. `loop.call_soon(masker.settle)`; `mask` itself settles first,
        so calling this is never needed for correctness. It reads only strings and
        tuples taken when masking, never the request. Never raises: a checkpoint that
        cannot be built is not kept (the next request is masked in full).
        """
        pending = self._pending
        if pending is None:
            return
        self._pending = None
        try:
            build, arguments = pending
            name, point = build(*arguments)
            self._checkpoints.keep(name, point)
        except Exception:  # no checkpoint is always safe: the next request masks in full
            return

    def _mask(
        self,
        request: dict[str, Any],
        messages: list[Any],
        start: int,
        checkpoint: Checkpoint | None,
    ) -> MaskedRequest | None:
        """Mask `messages[start:]` after `checkpoint` (the state after `messages[:start]`
        and the definitions), or the whole request without one; the other top-level
        fields are masked afresh every time. Returns None if a value new in
        `messages[start:]` also occurs in the checkpoint's texts.
        """
        if checkpoint is not None and self._native:
            state = (checkpoint, self._cache, self._detectors(), _HELPERS, _EXTRAS, _FINISH)
            done = _native.mask_resumed(request, messages, start, *state)
            if done is None:
                return None
            if done is not NotImplemented:  # else a lone surrogate: the Python path
                masked, pending = done  # `_masked`'s work, done natively
                if pending is not None:
                    self._pending = pending
                return masked  # type: ignore[no-any-return]
        if checkpoint is None and self._native and _FRESH:
            done = self._mask_fresh(request, messages)
            if done is not None:
                return done
        if checkpoint is None:
            conversation = walk.definitions(request) + walk.conversation(messages, 0)
        else:
            conversation = walk.conversation(messages, start)
        size = len(conversation)
        slots = conversation + walk.others(request)
        pieces, docs = units.expand(slots)
        table = checkpoint.table.copy() if checkpoint else TokenTable()
        values = self._detect_all(pieces, table)
        needles = table.needles
        # `needles` only grows, in insertion order: the new ones come last.
        added = list(needles)[len(checkpoint.table.needles) :] if checkpoint else ()
        if checkpoint and added and checkpoint.holds_any(added):
            return None  # earlier texts would change: mask the whole request

        # The sweep: every occurrence of every known value, in every new text.
        views = [unit.view for unit in pieces]
        found = find_in_many(views, needles)
        rewritten, untouched, outputs = _replace_all(
            slots, pieces, docs, views, values, found, needles
        )
        edits = [(slots[index], text) for index, text in rewritten]
        carried = checkpoint.edits if checkpoint else ()
        body = with_edits(request, [*carried, *((slot.path, text) for slot, text in edits)])
        assert_no_leak(body, edits, untouched, needles, carried)

        texts = (carried, slots, size, pieces, views, outputs, rewritten)
        return self._masked(request, messages, start, checkpoint, table, body, _checkpoint, texts)

    def _masked(
        self,
        request: dict[str, Any],
        messages: list[Any],
        start: int,
        checkpoint: Checkpoint | None,
        table: TokenTable,
        body: dict[str, Any],
        build: Callable[..., tuple[Hashable, Checkpoint]],
        texts: tuple[Any, ...],
    ) -> MaskedRequest:
        """The masked request, its checkpoint left for `settle`: `build(name, digest,
        shape, checkpoint, table, *texts)` (`_checkpoint` or `_point`), kept only if the
        messages and the definitions are JSON data. The request's objects are read now
        (the caller may change them later); the rest is strings and tuples. Cost: one
        digest of the new messages (all of them without a checkpoint), native.
        """
        if checkpoint:  # the new messages, chained after the old
            after = checkpoints.digest(messages[start:], checkpoint.digest)
            shape: int | None = checkpoint.definitions
        else:
            after = checkpoints.digest(messages)
            shape = checkpoints.definitions(request)
        if messages and after is not None and shape is not None:  # else never resumed
            name = checkpoints.key(messages, len(messages))
            self._pending = (build, (name, after, shape, checkpoint, table, *texts))
        return MaskedRequest(body, dict(table.table), table.counts())

    def _mask_fresh(self, request: dict[str, Any], messages: list[Any]) -> MaskedRequest | None:
        """`_mask(request, messages, 0, None)` natively (`_native.mask_fresh`), or None if
        the request is left to the Python path (nothing changed).
        """
        table = TokenTable()
        state = (table, self._cache, self._detectors(), _HELPERS, _EXTRAS)
        done = _native.mask_fresh(request, messages, *state)
        if done is NotImplemented:
            return None
        body, mine, views, outputs = done
        texts = ((), mine, views, outputs)
        return self._masked(request, messages, 0, None, table, body, _point, texts)

    def _detectors(self) -> tuple[Any, Any, Any]:
        """What the native paths detect with: `(_detect_text, _detect_leaves, Detector or
        None)`. The native `Detector` is called directly when this masker detects with
        `detect` and that detects ASCII text natively with every pattern kind
        (`_native_detector`); a fake's calls are its own (the parity tests record them)."""
        direct = _native_detector() if self._detector is detect else None
        return (self._detect_text, self._detect_leaves, direct)

    def _detect_all(
        self, pieces: list[units.Unit], table: TokenTable
    ) -> dict[int, tuple[Value, ...]]:
        """The detected values of each unit that has any, by index, detecting texts
        not seen before; tokens in `table` in order of first detection.

        Cost: a cache lookup per detected unit, a detector call per new text (per
        new JSON document for its leaves). Raises what the detector raises.
        """
        cache = self._cache
        needles = table.needles
        found: dict[int, tuple[Value, ...]] = {}
        grouped: dict[int, tuple[Value, ...]] = {}  # by id(unit): a JSON document's leaves
        for index, unit in enumerate(pieces):
            if not unit.detect:
                continue
            values = cache.get(unit.key)
            if values is None:
                if unit.group < 0:
                    values = self._detect_text(unit.view)
                else:
                    if id(unit) not in grouped:
                        group = [u for u in pieces if u.group == unit.group and u.detect]
                        spans = self._detect_leaves(
                            [u.view for u in group], [u.hint for u in group]
                        )
                        grouped.update(zip(map(id, group), spans, strict=True))
                    values = grouped[id(unit)]
                cache.keep(unit.key, values)
            if values:
                found[index] = values
                for value in values:
                    if value.needle not in needles:  # else its token exists already
                        table.add(value)
        return found

    def _detect_text(self, text: str) -> tuple[Value, ...]:
        """The values in one text, and its token lookalikes (`lookalikes`).

        Cost: the detector call, O(1) per span, a C scan for "[". Raises
        `ValueError` for a span outside the text or a label `check_label` refuses.
        """
        spans = self._detector(text)
        if not spans and "[" not in text:
            return ()  # most texts
        size = len(text)
        found: list[Value] = []
        for span in spans:
            start, end, label = span.start, span.end, span.label
            if not 0 <= start < end <= size:
                raise ValueError("detector returned a span outside its text")
            if label not in KNOWN_LABELS:  # the common case needs no call
                check_label(label)
            # `_value` inlined (one call less per span: hot).
            raw = text[start:end]
            needle = raw.lower()
            if len(needle) != len(raw):
                needle = fold(raw)
            key = " ".join(needle.split())
            if key:  # not only whitespace
                found.append(Value(start, end, label, key, raw, needle))
        if "[" in text:
            return _with_lookalikes(text, found)
        return tuple(found)

    def _detect_leaves(self, texts: list[str], hints: list[str]) -> list[tuple[Value, ...]]:
        """`_detect_text` of each leaf of a JSON document, in one detector call.

        The detector reads the lines `hint + text`, joined by newlines: each leaf
        after its key as context. A span is cut to the texts it covers; what falls
        in a hint is dropped. Cost: the call, O(log n) per span.
        """
        starts: list[int] = []
        lines: list[str] = []
        offset = 0
        for text, hint in zip(texts, hints, strict=True):
            starts.append(offset + len(hint))
            lines.append(hint + text)
            offset += len(hint) + len(text) + 1
        joined = "\n".join(lines)
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
                value = _value(text, *cut, label) if cut[0] < cut[1] else None
                if value and value.key:  # not empty, not only whitespace
                    found[index].append(value)
                index += 1
        return [
            _with_lookalikes(text, mine) if mine or "[" in text else ()
            for text, mine in zip(texts, found, strict=True)
        ]


def _with_lookalikes(text: str, found: list[Value]) -> tuple[Value, ...]:
    """`found` (in order of position) and the token lookalikes of `text`, in order of
    position. A C scan for "[", O(k log k) for k values when there are lookalikes."""
    if "[" in text and (shaped := lookalikes.find(text)):
        found += [_value(text, *lookalike) for lookalike in shaped]
        found.sort()
    return tuple(found)


def _value(text: str, start: int, end: int, label: str) -> Value:
    """The value `text[start:end]`; `normalize` and `fold` inlined (hot)."""
    raw = text[start:end]
    needle = raw.lower()
    if len(needle) != len(raw):
        needle = fold(raw)
    return Value(start, end, label, " ".join(needle.split()), raw, needle)


def _replace_all(
    slots: list[walk.Slot],
    pieces: list[units.Unit],
    docs: dict[int, Any],
    views: list[str],
    values: dict[int, tuple[Value, ...]],
    found: dict[int, list[Occurrence]],
    needles: dict[str, str],
) -> tuple[list[tuple[int, str]], list[tuple[walk.Slot, list[Occurrence]]], list[str]]:
    """Tokens in place of every detected value and sweep finding, by unit index.

    Returns the edits `(slot index, masked text)` (a JSON slot re-encoded once, whatever
    number of its leaves changed); the units with findings that rewriting left as
    they were (a bug: the leak check reports them); and each unit's masked view,
    for the checkpoint. Cost: O(findings) per unit with findings; a unit without
    any costs nothing here (its masked view is its view).
    """
    edits: list[tuple[int, str]] = []
    untouched: list[tuple[walk.Slot, list[Occurrence]]] = []
    changed_leaves: dict[int, list[tuple[jsontext.Leaf, str]]] = {}
    outputs = list(views)
    for index in sorted(values.keys() | found.keys()):
        unit = pieces[index]
        occurrences = found.get(index, ())
        text = rewrite(unit.text, unit.bare, values.get(index, ()), occurrences, needles)
        if text is unit.text:  # `rewrite` found nothing to replace
            if occurrences:
                untouched.append((slots[unit.slot], list(occurrences)))
            continue
        if unit.leaf is None:
            edits.append((unit.slot, text))
        else:
            changed_leaves.setdefault(unit.slot, []).append((unit.leaf, text))
        outputs[index] = text.translate(NAME_VIEW) if unit.bare else text
    for index, leaves in changed_leaves.items():
        edits.append((index, jsontext.encode(docs[index], leaves)))
    return edits, untouched, outputs


#: What `Masker.settle` needs to build a checkpoint: `_checkpoint` or `_point` and their
#: arguments.
_Pending = tuple[Callable[..., tuple[Hashable, Checkpoint]], tuple[Any, ...]]


def _checkpoint(
    name: Hashable,
    digest: int,
    shape: int,
    before: Checkpoint | None,
    table: TokenTable,
    carried: tuple[tuple[walk.Path, str], ...],
    slots: list[walk.Slot],
    size: int,
    pieces: list[units.Unit],
    views: list[str],
    outputs: list[str],
    rewritten: list[tuple[int, str]],
) -> tuple[Hashable, Checkpoint]:
    """The checkpoint after a masked request, and its key.

    `before` is the checkpoint it resumed (or None), and `digest` that of the request's
    messages (`checkpoints.digest`); `slots[:size]` are the
    conversation's slots, whose units come first in `pieces`; `views` and `outputs`
    are each unit's text before and after masking; `rewritten` the masked text of
    each rewritten slot by index. Cost: O(length of the new texts) in C, plus a copy
    of the folded history (two string concatenations).
    """
    inside = len(pieces)  # units of `others` come last: drop them
    while inside and pieces[inside - 1].slot >= size:
        inside -= 1
    mine = [(slots[index].path, text) for index, text in rewritten if index < size]
    texts = (views[:inside], outputs[:inside])
    return _point(name, digest, shape, before, table, carried, mine, *texts)


def _point(
    name: Hashable,
    digest: int,
    shape: int,
    before: Checkpoint | None,
    table: TokenTable,
    carried: tuple[tuple[walk.Path, str], ...],
    mine: list[tuple[walk.Path, str]],
    views: list[str],
    outputs: list[str],
) -> tuple[Hashable, Checkpoint]:
    """`_checkpoint` from the conversation's rewritten fields `mine` (path, masked text)
    and its units' `views` and `outputs`: what the native path returns too."""
    hay, out_hay = fold(SEPARATOR.join(views)), fold(SEPARATOR.join(outputs))
    point = Checkpoint(
        digest,
        shape,
        (*carried, *mine),
        table,
        _extend(before.hay if before else None, hay, views),
        _extend(before.out_hay if before else None, out_hay, outputs),
        _words(before, hay, out_hay),
    )
    return name, point


def _extend(before: str | None, joined: str, texts: list[str]) -> str:
    """`before` and the folded, `SEPARATOR`-joined `texts` (`joined`). O(total length)."""
    if before is None:
        return joined
    # A resend of the same messages adds no text: the hay must not grow by a separator.
    return f"{before}{SEPARATOR}{joined}" if texts else before


def _words(before: Checkpoint | None, *added: str) -> bytes:
    """The word filter after `before`'s and the `added` folded texts; `b""` (none) without
    the extension. About 2 µs per hundred words, in `settle`."""
    if _WORD_FILTER is None:
        return b""
    return _WORD_FILTER(before.words if before else None, list(added))


#: What `_native.mask_resumed` finishes a resumed request with (`Masker._masked`'s work).
_FINISH = (TokenTable, MaskedRequest, _point)

__all__ = ["Detector", "MaskedRequest", "Masker"]
