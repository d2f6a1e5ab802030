"""One Hyperscan database for every structured and spoken-value pattern.

`scan(text)` runs the whole text through the database once and returns `Hit`s: which pattern
matched where, with exact start offsets (HS_FLAG_SOM_LEFTMOST) and only the longest match
per pattern and start. Everything the Python side does later is proportional to these hits,
so a text with no number, date, email or URL in it costs one Hyperscan call and nothing else.

The patterns are plain regex strings (no look-around, no back-references) so `PATTERNS` can be
compiled with Python's `re` too; the benchmark does that to show what Hyperscan buys.

Cost: the database compiles once, lazily, on the first scan (a fraction of a second; call
`warm()` at start-up to pay it early). Each thread gets its own Hyperscan scratch space, so
`scan` is safe to call from several threads. A scan is a single pass in C plus one Python
callback per match end. Fails only if Hyperscan rejects a pattern, which is a bug caught by
the test suite.

The native detector (ASCII text) scans the patterns of `NATIVE_KINDS` itself, in Rust
(rust/detect/scanner.rs, given `native_patterns()`), and asks Hyperscan only for the others
(`reports_except_native(data)`, a second, smaller database; none at all when every kind is
native). `scan` and `reports` keep the full database: they are the reference the parity
tests (tests/detect/test_native_words.py) hold the native scanner to.

Public API (stable): `Kind`, `Hit`, `PATTERNS`, `NATIVE_KINDS`, `scan(text)`, `reports(data)`,
`native_patterns()`, `reports_except_native(data)`, `warm()`.
"""

from __future__ import annotations

import threading
from enum import IntEnum
from typing import NamedTuple

import hyperscan

from phiwall.detect.lexicon import (
    DAY,
    DECADE_YEAR,
    FULL_YEAR,
    MONTH,
    MONTH_NOT_MAY,
    NUMBER_WORD,
    ORD_DAY,
    SPOKEN_NUMBER,
    YEAR,
)


class Kind(IntEnum):
    """What a pattern recognises; the engine dispatches hits on it."""

    EMAIL = 0
    EMAIL_SPOKEN = 1
    URL = 2
    URL_SPOKEN = 3
    PHONE = 4
    SSN = 5
    CARD = 6
    DATE_NUMERIC = 7
    DATE_ISO = 8
    DATE_WORDS = 9
    IPV4 = 10
    IPV6 = 11
    ZIP4 = 12
    CODE = 13
    SPACED_DIGITS = 14
    SPOKEN_RUN = 15
    ORDINAL = 16


class Hit(NamedTuple):
    """Pattern `kind` matched `text[start:end]` (Python str indices)."""

    start: int
    end: int
    kind: Kind


_TLD = "com|net|org|edu|gov|io|me|co|us|info|biz|app|dev|tv|ly"
_CC = r"(?: dot (?:uk|ca|au|in|de|fr|mx|us|nz|ie))?"  # "dot co dot uk"
_LETTER = r"[a-z](?: as in [a-z]+(?:-[a-z]+)?)?"  # "b as in boy"
_LETTER_OR_DIGITS = rf"(?:{_LETTER}|\d+|dash|slash)"
_SPOKEN_TOKEN = rf"(?:{NUMBER_WORD}|{_LETTER}|dash|slash|dot|point|hyphen|and)"
# A spoken value: optional leading letters/digit groups, at least one number word, then any
# mix of number words, single letters, digit groups and spoken joiners; or digit groups
# joined by a spoken dash, with no number word ("415 dash 555 dash 2671", "9 0 2 1 0 dash 1
# 2 3 4"), which no formatted pattern reads.
_SPOKEN_RUN = (
    rf"\b(?:{_LETTER_OR_DIGITS}(?:, ?| ))*(?:{SPOKEN_NUMBER})\b"
    rf"(?:(?:, ?| |-){_SPOKEN_TOKEN}\b)*"
    r"|\b\d+(?: \d+)*(?: (?:dash|hyphen) \d+(?: \d+)*)+\b"
)
_DATE_WORDS = "|".join(
    (
        # "March 3, 1985", "march the sixth twenty twenty five", "Jul 18, 1944"
        rf"\b{MONTH},? (?:the )?{DAY}\b(?:(?:,? | of ){YEAR}\b)?",
        # "the fourteenth of march", "19th of July, 2025"
        rf"\b(?:the )?{ORD_DAY} of {MONTH}(?:,? {YEAR}\b)?",
        # day first: "24 March 1942", "fourteen march eighty five", "the 3rd March"
        rf"\b{DAY} {MONTH},? {YEAR}\b",
        rf"\b(?:the )?{ORD_DAY} {MONTH}\b(?:,? {YEAR}\b)?",
        # month and year: "June 2021", "december twenty twenty one", "june of eighty five"
        rf"\b{MONTH},? {FULL_YEAR}\b",
        rf"\b{MONTH} of {YEAR}\b",
        rf"\b{MONTH_NOT_MAY},? {DECADE_YEAR}\b",
    )
)

# (kind, pattern) — all caseless, all with exact start offsets.
PATTERNS: tuple[tuple[Kind, str], ...] = (
    # Only the user part's last character and the domain: an unanchored repeat before "@"
    # makes start-of-match tracking costly; `web.on_email` reads the user part backwards.
    (Kind.EMAIL, r"[a-z0-9_%+\x80-\xff-]@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b"),
    (
        Kind.EMAIL_SPOKEN,
        rf"\b(?:at|@) (?:[a-z0-9]+ ){{1,4}}dot (?:{_TLD})\b{_CC}"
        rf"|\bat [a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{_TLD})\b",
    ),
    (
        Kind.URL,
        rf"\b(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{_TLD})\b"
        r"(?:/[a-z0-9._~%/@+=?&#-]*)?",
    ),
    (Kind.URL_SPOKEN, rf"\bdot (?:{_TLD})\b{_CC}"),
    (Kind.PHONE, r"(?:\+1[-. ]?)?(?:\(\d{3}\) ?|\b\d{3}[-. ])\d{3}[-. ]?\d{4}\b"),
    (Kind.SSN, r"\b\d{3}[-. ]\d{2}[-. ]\d{4}\b"),
    (Kind.CARD, r"\b\d{4}[- ]\d{4}[- ]\d{4}[- ]\d{1,7}\b|\b\d{4}[- ]\d{6}[- ]\d{5}\b"),
    (
        Kind.DATE_NUMERIC,
        r"\b\d{1,2}/\d{1,2}(?:/\d{2}(?:\d{2})?)?\b|\b\d{1,2}[-.]\d{1,2}[-.](?:\d{4}|\d{2})\b",
    ),
    (Kind.DATE_ISO, r"\b\d{4}[-/]\d{1,2}[-/]\d{1,2}\b"),
    (Kind.DATE_WORDS, _DATE_WORDS),
    (Kind.IPV4, r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b"),
    (Kind.IPV6, r"\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){3,7}\b"),
    (Kind.ZIP4, r"\b\d{5}-\d{4}\b"),
    (Kind.CODE, r"\b(?:[a-z]{1,4}-)?[a-z0-9]*\d[a-z0-9]*(?:-[a-z0-9]+)*\b"),
    (Kind.SPACED_DIGITS, r"\b\d(?: \d){3,}\b"),
    (Kind.SPOKEN_RUN, _SPOKEN_RUN),
    (Kind.ORDINAL, rf"\b{ORD_DAY}\b"),
)

# The kinds the native detector scans itself (exactly: every pattern here compiles to the
# same reports in regex-automata, see rust/detect/scanner.rs). Set before the first scan.
NATIVE_KINDS: frozenset[Kind] = frozenset(Kind)

_KINDS: tuple[Kind, ...] = tuple(Kind)
_new_hit = tuple.__new__  # builds a Hit without NamedTuple's Python-level __new__
_FLAGS = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SOM_LEFTMOST
_lock = threading.Lock()
_local = threading.local()
_dbs: dict[frozenset[Kind], hyperscan.Database | None] = {}


def _database(left_out: frozenset[Kind] = frozenset()) -> hyperscan.Database | None:
    """The database of every pattern but those of `left_out` (None if that leaves none),
    compiled on first use; later calls return the same one."""
    db = _dbs.get(left_out, False)
    if db is False:
        with _lock:
            db = _dbs.get(left_out, False)
            if db is False:
                chosen = [(k, p) for k, p in PATTERNS if k not in left_out]
                db = None
                if chosen:
                    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
                    db.compile(
                        expressions=[p.encode() for _, p in chosen],
                        ids=[int(k) for k, _ in chosen],
                        elements=len(chosen),
                        flags=_FLAGS,
                    )
                _dbs[left_out] = db
    return db  # type: ignore[return-value]


def warm() -> None:
    """Compile the databases now rather than on the first request."""
    _database()
    _database(NATIVE_KINDS)


def native_patterns(kinds: frozenset[Kind] | None = None) -> list[tuple[int, str]]:
    """The `(kind, regex)` pairs of `kinds` (default: `NATIVE_KINDS` as it is now), for
    the native detector to compile."""
    chosen = NATIVE_KINDS if kinds is None else kinds
    return [(int(k), p) for k, p in PATTERNS if k in chosen]


def reports(data: bytes) -> list[tuple[int, int, int]]:
    """Hyperscan's raw reports for UTF-8 `data`: `(start, -end, kind)` byte offsets, unsorted.

    Every match end is reported with its leftmost start, so one value may appear several
    times; `scan` (or the native detector, for ASCII text) sorts and prunes them.
    Cost: one Hyperscan pass plus a tuple per report. Never raises.
    """
    return _reports(data, frozenset())


def reports_except_native(
    data: bytes, native: frozenset[Kind] | None = None
) -> list[tuple[int, int, int]]:
    """`reports(data)` for the patterns not in `native` (default: `NATIVE_KINDS` as it is
    now) only, which the native detector scans: a smaller database, so a cheaper scan;
    `[]` without a call if none is left."""
    return _reports(data, NATIVE_KINDS if native is None else native)


def _reports(data: bytes, left_out: frozenset[Kind]) -> list[tuple[int, int, int]]:
    if not data:
        return []
    db = _database(left_out)
    if db is None:
        return []
    found: list[tuple[int, int, int]] = []
    add = found.append

    def on_match(kind: int, start: int, end: int, _flags: int, _ctx: object) -> None:
        add((start, -end, kind))  # sorts by start, longest first, then specific kinds first

    scratches = getattr(_local, "scratches", None)
    if scratches is None:
        scratches = _local.scratches = {}
    scratch = scratches.get(left_out)
    if scratch is None:  # Hyperscan scratch space is per thread and database
        scratch = scratches[left_out] = hyperscan.Scratch(db)
    db.scan(data, match_event_handler=on_match, scratch=scratch)
    return found


def scan(text: str) -> list[Hit]:
    """Return the longest match per (pattern, start) in `text`, by start, longest first.

    Matches of one pattern nested inside a longer match of the same pattern are dropped.
    Cost: one Hyperscan pass plus O(matches) Python; non-ASCII text also pays one C-level
    decode pass to map byte offsets to characters. Never raises on any `str` input.
    """
    if not text:
        return []
    data = text.encode("utf-8", "surrogatepass")
    found = reports(data)
    if not found:
        return []
    found.sort()
    hits: list[Hit] = []
    reach = [-1] * len(_KINDS)
    for start, neg_end, kind in found:
        end = -neg_end
        if reach[kind] >= end:
            continue  # a shorter report of the same match, or nested in a longer one
        reach[kind] = end
        hits.append(_new_hit(Hit, (start, end, _KINDS[kind])))
    if len(data) != len(text):
        hits = _to_char_offsets(data, hits)
    return hits


def _to_char_offsets(data: bytes, hits: list[Hit]) -> list[Hit]:
    """Turn the UTF-8 byte offsets of `hits` into character offsets of the decoded text.

    Decodes only the stretches between consecutive offsets (in C), so the cost is one pass
    over `data` however many hits there are.
    """
    snapped = [(_char_start(data, h.start), _char_end(data, h.end), h.kind) for h in hits]
    chars: dict[int, int] = {}
    byte_pos = char_pos = 0
    for off in sorted({o for start, end, _ in snapped for o in (start, end)}):
        char_pos += len(data[byte_pos:off].decode("utf-8", "surrogatepass"))
        chars[off] = char_pos
        byte_pos = off
    return [_new_hit(Hit, (chars[start], chars[end], kind)) for start, end, kind in snapped]


def _char_start(data: bytes, off: int) -> int:
    """`off`, moved back to the first byte of the UTF-8 character it falls inside.

    A pattern may start on the last byte of a non-ASCII letter ("josé@..."); the whole
    letter belongs to the match.
    """
    while 0 < off < len(data) and 0x80 <= data[off] < 0xC0:
        off -= 1
    return off


def _char_end(data: bytes, off: int) -> int:
    """`off`, moved forward past the rest of the UTF-8 character it falls inside."""
    while off < len(data) and 0x80 <= data[off] < 0xC0:
        off += 1
    return off
