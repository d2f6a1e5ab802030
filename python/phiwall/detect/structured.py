"""Written identifiers: phones, SSNs, cards, IPs, ZIP+4 and free-form codes ("PA7391681").

Each `on_*` function turns one Hyperscan hit into zero or one `Candidate`, using the hit's
shape, its validator and the cue before it (`Context.label_for`). Cost: O(length of the hit)
each. They never raise; a hit that fails its checks yields nothing.
"""

from __future__ import annotations

import re

from phiwall.detect import validators
from phiwall.detect.candidate import Candidate
from phiwall.detect.context import GLUE, Context
from phiwall.detect.dates import numeric_date
from phiwall.detect.scores import CUED, GUESS, ID_LABELS, SHAPED, UNITS, VALIDATED

_NEXT_PART = re.compile(r" ([A-Za-z0-9]{1,6})\b")
_PREV_PART = re.compile(r"(?<![\w'])([A-Za-z]{1,3}) $")
_STATE_BEFORE = re.compile(r"(?:, |\b[A-Z]{2} |\b[A-Z][a-z]+ )$")  # ", " / "MA " / "Boston "
_ALNUM = re.compile(r"[A-Za-z0-9]")
_WORD_CHAR = re.compile(r"[\w']")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_MAX_SPELLED = 8  # single letters read back before a code ("w x y 1 2 3")
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d-(?:19|20)?\d\d$")  # "2019-2020", "2019-20"
_UNIT_SUFFIX = re.compile(r"\d(?:mg|mcg|ml|g|kg|lbs?|cc|am|pm|st|nd|rd|th|s)$", re.IGNORECASE)


def on_phone(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """A formatted phone number; an ID cue before it wins over the phone shape."""
    label = ctx.label_for(start)
    if label in ID_LABELS or label == "SSN":
        ctx.emit(out, start, end, label, CUED)
    else:
        ctx.emit(out, start, end, "PHONE", VALIDATED)


def on_ssn(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """`ddd-dd-dddd` / `ddd dd dddd`: an SSN if the cue says so or the SSA rules hold."""
    label = ctx.label_for(start)
    digits = _digits(ctx.text[start:end])
    if label in ID_LABELS or label == "PHONE":
        ctx.emit(out, start, end, label, CUED)
    elif label == "SSN" or validators.ssn(digits):
        ctx.emit(out, start, end, "SSN", VALIDATED if label == "SSN" else SHAPED)


def on_card(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """Grouped 13-19 digits: a card number (Luhn-checked)."""
    label = ctx.label_for(start)
    if validators.luhn(_digits(ctx.text[start:end])):
        ctx.emit(out, start, end, "ACCOUNT", VALIDATED)
    else:
        ctx.emit(out, start, end, label if label in ID_LABELS else "ACCOUNT", GUESS)


def on_ipv4(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """Dotted quad with octets 0-255."""
    octets = [int(p) for p in ctx.text[start:end].split(".")]
    if validators.ipv4(octets):
        ctx.emit(out, start, end, "IP", VALIDATED)


def on_ipv6(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """Colon-separated hex groups that parse as IPv6."""
    if validators.ipv6(ctx.text[start:end]):
        ctx.emit(out, start, end, "IP", VALIDATED)


def on_zip4(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """ZIP+4 (`12345-6789`)."""
    label = ctx.label_for(start)
    ctx.emit(out, start, end, label if label in ID_LABELS else "ZIP", VALIDATED)


def on_code(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """A token with a digit in it ("276549477", "PA7391681", "2YP2-N43-HA03", "2 4 0 8 5").

    With an identifier cue before it, the token and the short upper-case or digit groups
    right after it ("653099540 00", "PDH 013") become one value. Without a cue only
    distinctive shapes are kept: MBI, VIN, Luhn-valid cards, 10-digit phones, a 5-digit ZIP
    after ", ", a state code or a capitalised city, and letter-digit mixes of six or more
    with at least three digits and not many more letters ("PA7391681", "WWJ952").
    Under a DATE cue, digit groups read as a date ("12 25 1990") are a date.
    """
    text = ctx.text
    if end - start < 5 and not ctx.cues and not ctx.chained(start):
        return  # uncued values need five characters or more
    if start > 0 and text[start - 1] in "$.:,/" and text[start - 1 : start + 1] != ", ":
        return  # a price, a decimal, a clock time, or the middle of a date
    label = ctx.label_for(start)
    if text[end : end + 1] == ":" and text[end + 1 : end + 2].isdigit():
        return  # a clock time
    if label is None:
        m = _PREV_PART.search(text, max(0, start - 5), start)  # "plate RED 515"
        if m is not None:
            first = _spelled_start(ctx, m.start(), m.end(1))
            # spelled letters ("j d 4 5 6") are part of the value, though "d" alone is glue
            if first < m.start() or m.group(1).lower() not in GLUE:
                label = ctx.label_for(first)
                label = label if label in ID_LABELS else None
    if label is None and end - start < 5:
        return  # uncued values need five characters or more
    if ctx.word_after(end) in UNITS:
        return  # "for 10 days", "2 tablets": a quantity, cue or not
    if label in ID_LABELS:
        start, end = _grow(ctx, start, end, vehicle=True)
    elif label == "DATE":  # "12 25 1990", "12251990"
        start, end = _grow(ctx, start, end, vehicle=False, letters=False)
        if numeric_date(_digits(text[start:end])):
            ctx.emit(out, start, end, "DATE", CUED)
        return
    value = text[start:end]
    chars = value if value.isalnum() and value.isascii() else "".join(_ALNUM.findall(value))
    digits = sum(map(str.isdigit, chars))
    if label in ID_LABELS:
        if len(chars) >= 3 or ctx.chained(start):
            ctx.emit(out, start, end, label, CUED)
        return
    if label == "SSN":
        if digits in (4, 9) or ctx.chained(start):
            ctx.emit(out, start, end, "SSN", CUED)
        return
    if label == "PHONE":
        if digits >= 7 or digits == 4 or ctx.chained(start):
            ctx.emit(out, start, end, "PHONE", CUED)
        return
    if label == "ZIP":
        if digits in (5, 9) and digits == len(chars):
            ctx.emit(out, start, end, "ZIP", CUED)
        return
    if label is not None or _YEAR_RANGE.match(value):
        return  # DATE, IP and address cues have their own finders
    guess = _shape(chars, digits, text[:start])
    if guess is not None:
        ctx.emit(out, start, end, guess[0], guess[1])


def _shape(chars: str, digits: int, before: str) -> tuple[str, float] | None:
    """Label and score for an uncued token by shape alone, or None."""
    if validators.mbi(chars):
        return "MEMBER_ID", SHAPED
    if validators.vin(chars):
        return "VEHICLE", SHAPED
    if digits == len(chars):
        if 13 <= digits <= 19 and validators.luhn(chars):
            return "ACCOUNT", SHAPED
        if digits == 10 or (digits == 11 and chars[0] == "1"):
            return "PHONE", GUESS
        if digits == 5 and _STATE_BEFORE.search(before[-24:]):
            return "ZIP", SHAPED
        if digits >= 7:
            return "MRN", GUESS
        return None
    letters = len(chars) - digits
    mixed = len(chars) >= 6 and digits >= 3 and 1 <= letters <= digits + 1  # "WWJ952"
    if mixed and not _UNIT_SUFFIX.search(chars):
        return "MEMBER_ID", GUESS
    return None


def _grow(
    ctx: Context, start: int, end: int, vehicle: bool, letters: bool = True
) -> tuple[int, int]:
    """Extend a cued code over following digit/upper-case groups (single letters too if
    `letters`; and a preceding short letter group for plates and licences) separated by
    single spaces."""
    text = ctx.text
    for _ in range(8):
        m = _NEXT_PART.match(text, end)
        if m is None:
            break
        part = m.group(1)
        if not (part.isdigit() or part.isupper() or (len(part) == 1 and letters)):
            break
        end = m.end()
    if vehicle:
        m = _PREV_PART.search(text, max(0, start - 5), start)
        cue = ctx.cue_before(start)
        glue = m is not None and len(m.group(1)) > 1 and m.group(1).lower() in GLUE
        if m is not None and not glue and (cue is None or cue.end <= m.start()):
            start = _spelled_start(ctx, m.start(), m.end(1))
    return start, end


def _spelled_start(ctx: Context, first: int, end: int) -> int:
    """Where the single letters said before a code start ("[w x y] 1 2 3", "[a b] 1 2 3"),
    given the letter group `text[first:end]` right before it: if that group is one letter,
    the lone letters before it, each after one space, are read too (at most
    `_MAX_SPELLED`), but none up to the end of a cue ("member i d w 1 2 3")."""
    text = ctx.text
    if end - first != 1:
        return first  # "plate RED 515": a group of letters, not spelled ones
    lowest = first
    for _ in range(_MAX_SPELLED - 1):
        p = lowest - 2
        if p < 0 or text[p + 1] != " " or text[p] not in _ASCII_LETTERS:
            break
        if p > 0 and _WORD_CHAR.match(text, p - 1):
            break
        lowest = p
    if lowest < first:
        floor = ctx.cue_inside(lowest, first)
        while lowest < floor:
            lowest += 2  # the letters sit two characters apart
    return lowest


def _digits(value: str) -> str:
    """The digits of `value`, in order."""
    return "".join(c for c in value if c.isdigit())
