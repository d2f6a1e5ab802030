"""Dates: "6/27/2025", "2025-07-26", "March 3, 1985", "the fourteenth of march", and spoken
numeric dates ("three fourteen eighty five" -> 3/14/85).

Hyperscan finds the candidates (`patterns.Kind.DATE_*`, `ORDINAL`); these functions check
them against the calendar and emit `DATE` candidates. "the fourteenth of march" keeps its
"the" (masking one word too many is safe; one too few leaks nothing but reads oddly).
Cost: O(length of the hit). Never raises.
"""

from __future__ import annotations

import re

from phiwall.detect import validators
from phiwall.detect.candidate import Candidate
from phiwall.detect.context import Context
from phiwall.detect.lexicon import MONTHS
from phiwall.detect.scores import CUED, ID_LABELS, UNITS, VALIDATED

_NUMBERS = re.compile(r"\d+")
_WORD = re.compile(r"[a-z]+|\d+")
_DIGIT_DAY = re.compile(r"(?<!['\d])(\d{1,2})(?!\d)")  # a day in digits, not "'85"
_DAY_BEFORE = re.compile(
    r"(?:\bon|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?,?) $"
)


def on_numeric(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """`m/d`, `m/d/yy`, `m/d/yyyy`, `m-d-yy(yy)`, and with a year day first (`23/10/1990`):
    keep real calendar dates, not "1/2 tablet"."""
    parts = [int(p) for p in _NUMBERS.findall(ctx.text[start:end])]
    year = parts[2] if len(parts) == 3 else None
    if not validators.calendar_date(parts[0], parts[1], year) and not (
        year is not None and validators.calendar_date(parts[1], parts[0], year)
    ):
        return
    if ctx.word_after(end) in UNITS or ctx.label_for(start) in ID_LABELS:
        return
    if (
        year is None
        and parts[0] < parts[1] <= 4
        and not _DAY_BEFORE.search(ctx.lower, max(0, start - 12), start)
    ):
        return  # "take 1/2 of a tablet": a fraction, unless "on"/a weekday says it is a day
    ctx.emit(out, start, end, "DATE", VALIDATED if year is not None else CUED)


def on_iso(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """`yyyy-mm-dd` or `yyyy/mm/dd`."""
    year, month, day = (int(p) for p in _NUMBERS.findall(ctx.text[start:end]))
    if validators.calendar_date(month, day, year):
        ctx.emit(out, start, end, "DATE", VALIDATED)


def on_words(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """A date with a month name, spoken or written; digit days are calendar-checked."""
    lower = ctx.lower
    words = _WORD.findall(lower, start, end)
    month = next((MONTHS[w] for w in words if w in MONTHS), 0)
    m = _DIGIT_DAY.search(lower, start, end)
    day = int(m.group(1)) if m else None
    if day is not None and not validators.calendar_date(month, day):
        return
    ctx.emit(out, start, end, "DATE", VALIDATED)


def on_ordinal(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """A day said alone ("his date of birth is the nineteenth uh ..."): a date only if cued."""
    if ctx.label_for(start) == "DATE":
        ctx.emit(out, start, end, "DATE", CUED)


def numeric_date(digits: str) -> bool:
    """True if `digits` read as month, day and an optional 2- or 4-digit year.

    "31485" (three fourteen eighty five), "0314", "02212024". O(1): at most 12 splits.
    """
    n = len(digits)
    for m_len in (1, 2):
        for d_len in (1, 2):
            y_len = n - m_len - d_len
            if y_len not in (0, 2, 4):
                continue
            month, day = int(digits[:m_len]), int(digits[m_len : m_len + d_len])
            if (m_len == 2 and digits[0] not in "01") or (d_len == 2 and digits[m_len] > "3"):
                continue
            year = int(digits[m_len + d_len :]) if y_len else None
            if y_len == 4 and not 1900 <= (year or 0) <= 2099:
                continue
            if validators.calendar_date(month, day, year):
                return True
    return False
