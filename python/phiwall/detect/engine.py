"""The detection engine: gather candidates from every finder, threshold them, resolve overlaps.

Finders come in two kinds.

* Hit handlers (this package): one Hyperscan pass (`patterns.scan`) yields hits; each hit
  kind has a handler `(ctx, start, end, out) -> None` (`HANDLERS`) that appends
  `Candidate`s, reading cues and earlier values through a shared `Context` (built only
  when there are hits). Hits run in text order; a hit inside a value already emitted is
  skipped. Texts without any hit cost one Hyperscan call. Scores follow `scores.py`.
* Text finders (`FINDERS`): `find(text) -> list[Candidate]` functions run on every text —
  names, places and spelled-out words. Add one by appending to `FINDERS`. They run first,
  so the places and street lines they find can cue the ZIP said right after them.

Then every candidate below its label's threshold (`THRESHOLDS`, default `DEFAULT_THRESHOLD`)
is dropped, and overlaps are resolved deterministically in two steps:

1. a candidate strictly inside a confident one (score >= `CONTAINER_MIN`) is dropped, so
   "sarah" (NAME) inside "sarah dot chen at gmail dot com" (EMAIL) or "june" inside
   "june twelfth" (DATE) never cuts the longer value apart;
2. the rest are taken greedily: higher score first, then longer span, then earlier start,
   then label order in `LABELS`; a candidate that overlaps an already kept one is dropped.

ASCII text (nearly every transcript) goes to the native port of all of this
(`native.detector()`, rust/detect): same candidates, byte for byte
(tests/detect/test_native_parity.py), 10-30x faster. It scans the patterns of
`patterns.NATIVE_KINDS` itself, exactly as Hyperscan would (tests/detect/test_native_words.py),
and Hyperscan only the others (none by default). The Python finders here remain the
reference, and detect every text with a non-ASCII character. Set `NATIVE = False` to run
the Python path on everything (the parity tests and the benchmarks compare the two).

Public API (stable): `candidates(text)`, `resolve(cands)`, `spans(text)`, `warm()`,
`NATIVE`, `FINDERS`, `HANDLERS`, `THRESHOLDS`, `DEFAULT_THRESHOLD`, `CONTAINER_MIN`.
`FINDERS`, `HANDLERS` and `THRESHOLDS` configure the Python path only: change them and set
`NATIVE = False`, or the native detector ignores the change.
Cost: natively, a few microseconds per utterance (plus a Hyperscan scan if some kinds are
left out of `patterns.NATIVE_KINDS`); in Python, one
Hyperscan scan + O(hits) Python + the text finders + O(k log k) for k candidates
(`overlaps`).
A finder that raises propagates its exception (the masker fails closed on it).
"""

from __future__ import annotations

from collections.abc import Callable

from phiwall.detect import (
    dates,
    gazetteer,
    names,
    native,
    overlaps,
    patterns,
    places,
    spelling,
    spoken,
    structured,
    web,
)
from phiwall.detect.candidate import Candidate
from phiwall.detect.context import Context
from phiwall.detect.cues import Cue
from phiwall.detect.patterns import Kind
from phiwall.detect.span import LABELS, Span

Handler = Callable[[Context, int, int, list[Candidate]], None]

HANDLERS: dict[Kind, Handler] = {
    Kind.EMAIL: web.on_email,
    Kind.EMAIL_SPOKEN: web.on_spoken_email,
    Kind.URL: web.on_url,
    Kind.URL_SPOKEN: web.on_spoken_url,
    Kind.PHONE: structured.on_phone,
    Kind.SSN: structured.on_ssn,
    Kind.CARD: structured.on_card,
    Kind.DATE_NUMERIC: dates.on_numeric,
    Kind.DATE_ISO: dates.on_iso,
    Kind.DATE_WORDS: dates.on_words,
    Kind.IPV4: structured.on_ipv4,
    Kind.IPV6: structured.on_ipv6,
    Kind.ZIP4: structured.on_zip4,
    Kind.CODE: structured.on_code,
    Kind.SPACED_DIGITS: structured.on_code,
    Kind.SPOKEN_RUN: spoken.on_run,
    Kind.ORDINAL: dates.on_ordinal,
}

FINDERS: list[Callable[[str], list[Candidate]]] = [names.find, places.find, spelling.find]

DEFAULT_THRESHOLD = 0.5
CONTAINER_MIN = 0.8
_PLACES = frozenset({"LOCATION", "ADDRESS"})
PLACE_ZIP_GAP = 2  # a ZIP follows its city directly: "Lebanon, 65536"
THRESHOLDS: dict[str, float] = {label: DEFAULT_THRESHOLD for label in LABELS}
_LABEL_ORDER = {label: i for i, label in enumerate(LABELS)}
NATIVE = True  # detect ASCII text natively (see the module docstring)


def candidates(text: str) -> list[Candidate]:
    """Every candidate any finder proposes for `text`, before thresholds and overlaps.

    The text finders run first: a place or street line they find cues a ZIP said right
    after it ("... jasmine path linn creek six five zero um five two").
    """
    out: list[Candidate] = []
    for find in FINDERS:
        out.extend(find(text))
    hits = patterns.scan(text)
    if hits:
        ctx = Context(text, _place_cues(out) if out else None)
        handlers = HANDLERS
        covered = -1
        for start, end, kind in hits:
            if end <= covered:
                continue  # inside a value already taken: nothing new to learn
            n = len(out)
            handlers[kind](ctx, start, end, out)
            for c in out[n:]:
                if c.end > covered:
                    covered = c.end
    return out


def _place_cues(found: list[Candidate]) -> list[Cue]:
    """A ZIP cue right after each confident place or street line ("Lebanon, 65536")."""
    return [
        Cue(c.start, c.end, "ZIP", PLACE_ZIP_GAP)
        for c in found
        if c.label in _PLACES and c.score >= THRESHOLDS.get(c.label, DEFAULT_THRESHOLD)
    ]


def resolve(cands: list[Candidate]) -> list[Span]:
    """Threshold `cands` per label and keep a non-overlapping subset, sorted by start."""
    passed = [c for c in cands if c.score >= THRESHOLDS.get(c.label, DEFAULT_THRESHOLD)]
    if len(passed) < 2:  # the common case: nothing to resolve
        return [Span(c.start, c.end, c.label) for c in passed if c.end > c.start]
    ranked = sorted(passed, key=_rank)
    return [Span(c.start, c.end, c.label) for c in overlaps.select(ranked, CONTAINER_MIN)]


def _rank(c: Candidate) -> tuple[float, int, int, int]:
    """Best first: higher score, then longer, then earlier, then label order in `LABELS`."""
    return (-c.score, c.start - c.end, c.start, _LABEL_ORDER.get(c.label, 99))


def spans(text: str) -> list[Span]:
    """Detected PHI spans of `text`: sorted, non-overlapping, Python str indices."""
    if NATIVE and text.isascii():
        rest = patterns.reports_except_native(text.encode())  # [] if every kind is native
        found = native.detector().spans_from_reports(text, rest)
        return [Span(start, end, label) for start, end, label in found]
    return resolve(candidates(text))


def warm() -> None:
    """Build everything detection loads lazily (about a second): the Hyperscan database,
    the gazetteers and the native detector, so that no request pays for them."""
    patterns.warm()
    gazetteer.warm()
    native.detector()
