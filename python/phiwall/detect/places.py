"""ADDRESS and LOCATION finder: street lines, P.O. boxes, cities, towns and counties.

ADDRESS: a house number (digits, or number words as spoken: "fourteen twenty"), up to four
street-name words (ordinals and directions included: "South Twenty Fifth") and a USPS
street suffix ("Drive", "Rd."), then an optional unit ("Apt 4B", "apartment three six
four", "#18"); or a P.O. box and its number. A filler between the number and the street
("two ninety five um driftwood street") gives two spans, the filler outside.

LOCATION: a county ("Cook County"), or a city/town where context says so: after an
address, before a state ("Springfield, IL": the state stays outside), after a place cue
("you're in", "calling from", "moved to", "in", "from"), or a known town name capitalised
mid-sentence. A US state alone is never a LOCATION.

Scores (the engine's default threshold is assumed to be 0.5):

    0.95  county in the gazetteer; street line or P.O. box with a digit house number
    0.90  spoken street line; known town + state, after an address or a strong cue
    0.85  unknown capitalised words after an address; known town after a weak cue
    0.80  capitalised "X County"; unknown capitalised town after a strong cue or before a
          state; unknown lowercase words after an address and before a state or ZIP
    0.70  unknown lowercase word after a strong cue or an address
    0.60  known capitalised town mid-sentence with no cue

Cost: the shared gazetteer scan, then a few regex matches and dict look-ups per street
word, cue or place hit. Never raises on any str.
"""

from __future__ import annotations

import re

from phiwall.detect import gazetteer as gz
from phiwall.detect.candidate import Candidate

# A word (letters and digits) and the gap before it.
_WORD = re.compile(r"([\s,.]*)([^\W_]+)")
_ORDINAL_DIGITS = re.compile(r"\d+(?:st|nd|rd|th)", re.IGNORECASE)
_HOUSE_DIGITS = re.compile(r"\d{1,6}[a-z]?", re.IGNORECASE)
_NUMBER_WORDS = (
    "zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    "fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    "sixty|seventy|eighty|ninety|hundred|double|triple"
)
# A unit after the suffix: designator, then "4B", "#18", or spoken "three six four b".
_UNIT = re.compile(
    r"\.?,?\s+(?:(?:apartment|apt|unit|suite|ste|number|no|room|rm|lot|space|bldg|building|"
    r"floor|fl)\.?\s*#?\s*|#\s*)"
    rf"(?:[a-z]?\d+[a-z]?\b|(?:(?:{_NUMBER_WORDS}|[a-z])\b ?){{1,6}}(?<! ))",
    re.IGNORECASE,
)
_BOX_NUMBER = re.compile(
    rf"\s*#?\s*(?:\d{{1,6}}\b|(?:(?:{_NUMBER_WORDS})\b ?){{1,8}}(?<! ))",
    re.IGNORECASE,
)
# What may stand between an address and its town.
_BEFORE_TOWN = re.compile(r"[\s,]*(?:(?:um|uh|in|that's|it's)\s+){0,4}", re.IGNORECASE)
_WINDOW = 90  # characters looked at before a street suffix
_STREET_WORDS = 4
_NEVER_PLACE = gz.STOP | gz.FILLER | gz.NUMBER | gz.ORDINAL | gz.CALENDAR | gz.ORG

# (start, end, gap before the word, lowercase word, flags)
Word = tuple[int, int, str, str, int]


def find(text: str) -> list[Candidate]:
    """Return ADDRESS and LOCATION candidates of `text`, non-overlapping, sorted by start."""
    hits = gz.scan(text)
    if not hits:
        return []
    lex = gz.lexicon()
    mixed = text != text.lower()
    found: list[Candidate] = []
    for start, end, flags in hits:
        if flags & gz.SUFFIX:
            found += _street(text, start, end, lex)
        if flags & gz.POBOX:
            found += _po_box(text, start, end)
        if flags & gz.COUNTY:
            found.append(Candidate(start, end, "LOCATION", 0.95))
        elif flags & gz.COUNTY_WORD:
            found += _county(text, start, end, lex, mixed)
        if flags & gz.PLACE_CUES:
            found += _after_cue(text, end, bool(flags & gz.PLACE_STRONG), lex, mixed)
        if flags & (gz.STATE | gz.STATE_CODE):
            found += _before_state(text, start, end, flags, lex, mixed)
        if flags & gz.PLACE and not flags & (gz.COMMON | gz.STATE):
            found += _known_town(text, start, end, flags, lex, mixed)
    found = _resolve(found)
    towns = [_town_after(text, c.end, lex, mixed) for c in found if c.label == "ADDRESS"]
    return _resolve(found + [t for t in towns if t is not None])


def _word(text: str, pos: int, lex: dict[str, int]) -> Word | None:
    """The word after `pos` with the gap before it, or None at anything else."""
    m = _WORD.match(text, pos)
    if m is None:
        return None
    low = m.group(2).lower()
    return (m.start(2), m.end(2), m.group(1), low, lex.get(low, 0))


def _words_before(text: str, pos: int, lex: dict[str, int]) -> list[Word]:
    """The words of the _WINDOW characters before `pos`, nearest first."""
    lo = max(0, pos - _WINDOW)
    out: list[Word] = []
    for m in _WORD.finditer(text, lo, pos):
        low = m.group(2).lower()
        out.append((m.start(2), m.end(2), m.group(1), low, lex.get(low, 0)))
    if out and lo > 0:
        out.pop(0)  # may be cut by the window
    out.reverse()
    return out


def _street(text: str, start: int, end: int, lex: dict[str, int]) -> list[Candidate]:
    """A street line ending with the suffix `text[start:end]`, and its unit if any."""
    before = _words_before(text, start, lex)
    if not before or text[before[0][1] : start].strip(" ."):
        return []
    i, names = 0, 0
    while i < len(before) and names < _STREET_WORDS:
        low, flags = before[i][3], before[i][4]
        if flags & gz.ORDINAL or _ORDINAL_DIGITS.fullmatch(low):
            i += 2 if i + 1 < len(before) and before[i + 1][4] & gz.TENS else 1
        elif (
            flags & gz.NUMBER
            or low[0].isdigit()
            or not low.isalpha()
            or (flags & (gz.STOP | gz.FILLER | gz.CALENDAR) and not flags & gz.DIRECTION)
        ):
            break
        else:
            i += 1
        names += 1
        if before[i - 1][2].strip(" ."):
            return []  # punctuation inside or before the street name
    if names == 0:
        return []
    street_start = before[i - 1][0]
    j = i
    while j < len(before) and before[j][4] & gz.FILLER:
        j += 1  # "two ninety five um driftwood street"
    number_end, number_start, k = None, None, j
    if k < len(before) and _HOUSE_DIGITS.fullmatch(before[k][3]):
        number_start, number_end = before[k][0], before[k][1]
    else:
        while k < len(before) and before[k][4] & gz.NUMBER and k - j < 8:
            number_start = before[k][0]
            number_end = number_end or before[k][1]
            k += 1
    if number_start is None or number_end is None:
        return []
    score = 0.95 if text[number_start].isdigit() else 0.9
    end = _street_end(text, end)
    if j > i:  # a filler split the line
        return [
            Candidate(number_start, number_end, "ADDRESS", score),
            Candidate(street_start, end, "ADDRESS", score),
        ]
    return [Candidate(number_start, end, "ADDRESS", score)]


def _street_end(text: str, end: int) -> int:
    """Extend a street line ending at `end` over an abbreviation's period and a unit."""
    if text.startswith(".", end) and end - text.rfind(" ", 0, end) <= 5:
        end += 1  # the period of an abbreviation: "St.", "Pkwy."
    unit = _UNIT.match(text, end)
    return unit.end() if unit else end


def _po_box(text: str, start: int, end: int) -> list[Candidate]:
    """ "P.O. Box 3673" / "post office box forty six sixty five"."""
    number = _BOX_NUMBER.match(text, end)
    if number is None:
        return []
    return [Candidate(start, number.end(), "ADDRESS", 0.95)]


def _county(text: str, start: int, end: int, lex: dict[str, int], mixed: bool) -> list[Candidate]:
    """ "X County" for a county the gazetteer lacks: capitalised words, or one rare word."""
    before = _words_before(text, start, lex)
    first, n = None, 0
    while n < len(before) and n < 3:
        s, _e, _gap, low, flags = before[n]
        if (mixed and not text[s].isupper()) or flags & _NEVER_PLACE or not low.isalpha():
            break
        if not mixed and (flags & gz.COMMON or n > 0):
            break
        first, n = s, n + 1
        if before[n - 1][2].strip():
            break
    if first is None:
        return []
    return [Candidate(first, end, "LOCATION", 0.8 if mixed else 0.7)]


def _town_at(
    text: str, pos: int, lex: dict[str, int], mixed: bool
) -> tuple[int, int, bool, bool] | None:
    """The town name starting at the word after `pos`: (start, end, known, capitalised).

    The longer of: the longest gazetteer place of up to four words, and (mixed-case text)
    up to three capitalised words. Failing both, one lowercase word no word list knows.
    Never a state name or a clinic ("Lakeshore Internal Medicine").
    """
    first = _word(text, pos, lex)
    if first is None or first[3][0].isdigit():
        return None
    words = [first]
    while len(words) < 4:
        nxt = _word(text, words[-1][1], lex)
        if nxt is None or nxt[2] != " ":
            break
        words.append(nxt)
    if any(w[4] & gz.ORG for w in words[1:]):
        return None
    known = 0
    for n in range(len(words), 0, -1):
        flags = lex.get(" ".join(w[3] for w in words[:n]), 0)
        if flags & gz.PLACE and not flags & gz.STATE and not words[n - 1][4] & gz.STOP:
            known = n
            break
    capitalised = 0
    if mixed:
        while capitalised < min(3, len(words)) and text[words[capitalised][0]].isupper():
            if words[capitalised][4] & (_NEVER_PLACE | gz.STATE | gz.STATE_CODE) and not (
                words[capitalised][4] & gz.NUMBER
            ):
                break
            capitalised += 1
    if capitalised > known:
        return (first[0], words[capitalised - 1][1], False, True)
    if known:
        return (first[0], words[known - 1][1], True, text[first[0]].isupper())
    if mixed or first[4] & (gz.COMMON | gz.STATE_CODE | gz.STATE | _NEVER_PLACE):
        return None
    return (first[0], first[1], False, False)


def _follows_state_or_zip(text: str, pos: int, lex: dict[str, int]) -> bool:
    """Whether a state name, a capital state code or a ZIP (digits or words) follows `pos`."""
    nxt = _word(text, pos, lex)
    if nxt is None:
        return False
    start, end, _gap, low, flags = nxt
    if flags & gz.STATE or flags & gz.NUMBER or low.isdigit():
        return True
    if flags & gz.STATE_CODE and text[start:end].isupper():
        return True
    two = _word(text, end, lex)  # "north dakota"
    return two is not None and bool(lex.get(f"{low} {two[3]}", 0) & gz.STATE)


def _after_cue(
    text: str, pos: int, strong: bool, lex: dict[str, int], mixed: bool
) -> list[Candidate]:
    """A town right after a place cue ("you're in", "calling from", "in")."""
    town = _town_at(text, pos, lex, mixed)
    if town is None:
        return []
    start, end, known, cap = town
    stated = _follows_state_or_zip(text, end, lex)
    if known:
        common = lex.get(text[start:end].lower(), 0) & (gz.COMMON | gz.FIRST | gz.LAST)
        score = 0.9 if strong or stated else (0.85 if cap or not common else 0.0)
    elif cap:
        score = 0.8 if strong or stated else 0.0
    else:
        score = 0.7 if strong else 0.0
    return [Candidate(start, end, "LOCATION", score)] if score else []


def _before_state(
    text: str, start: int, end: int, flags: int, lex: dict[str, int], mixed: bool
) -> list[Candidate]:
    """The town before a state: "Springfield, IL", "tampa florida" (state outside)."""
    if flags & gz.STATE_CODE and not flags & gz.STATE and not text[start:end].isupper():
        return []
    before = _words_before(text, start, lex)
    for n in range(min(4, len(before)), 0, -1):
        words = before[:n][::-1]
        if any(w[2].strip(" ") for w in words[1:]):
            continue  # punctuation inside
        phrase = " ".join(w[3] for w in words)
        if lex.get(phrase, 0) & gz.PLACE and not words[-1][4] & gz.STOP:
            return [Candidate(words[0][0], words[-1][1], "LOCATION", 0.9)]
    if mixed and before and text[before[0][0]].isupper():
        s, e, _gap, _low, w_flags = before[0]
        if not w_flags & (_NEVER_PLACE | gz.STATE | gz.SUFFIX) and not text[s:e].isupper():
            return [Candidate(s, e, "LOCATION", 0.8)]
    return []


def _known_town(
    text: str, start: int, end: int, flags: int, lex: dict[str, int], mixed: bool
) -> list[Candidate]:
    """A gazetteer town with no cue: kept when capitalised mid-sentence and not a person."""
    if not mixed or not text[start].isupper() or flags & (gz.FIRST | gz.LAST):
        return []
    before = text[:start].rstrip(" \"'")
    if not before or before[-1] in ".!?:\n" or text[start:end].isupper():
        return []
    nxt = _word(text, end, lex)
    if nxt is not None and nxt[2] == " " and text[nxt[0]].isupper():
        return []  # part of a longer capitalised name ("Lakeshore Urgent Care")
    return [Candidate(start, end, "LOCATION", 0.6)]


def _town_after(text: str, pos: int, lex: dict[str, int], mixed: bool) -> Candidate | None:
    """The town after an address ending at `pos`: "…Drive, Maysville, AR", "…road tampa"."""
    pos = _BEFORE_TOWN.match(text, pos).end()
    town = _town_at(text, pos, lex, mixed)
    if town is not None and (town[2] or town[3]):
        return Candidate(town[0], town[1], "LOCATION", 0.9 if town[2] else 0.85)
    if not mixed:  # "fort riley six six four four two": words up to a state or a ZIP
        words: list[Word] = []
        while len(words) < 3:
            word = _word(text, words[-1][1] if words else pos, lex)
            if (
                word is None
                or word[4] & (gz.STOP | gz.NUMBER | gz.FILLER)
                or (words and word[2] != " ")
            ):
                break
            words.append(word)
            if _follows_state_or_zip(text, word[1], lex):
                return Candidate(words[0][0], word[1], "LOCATION", 0.8)
    if town is not None:
        return Candidate(town[0], town[1], "LOCATION", 0.7)
    return None


def _resolve(found: list[Candidate]) -> list[Candidate]:
    """Drop duplicates and overlaps: the higher score wins, then the longer span."""
    found.sort(key=lambda c: (-c.score, c.start - c.end, c.start))
    kept: list[Candidate] = []
    for cand in found:
        if all(cand.end <= k.start or cand.start >= k.end for k in kept):
            kept.append(cand)
    kept.sort()
    return kept
