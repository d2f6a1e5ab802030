"""ADDRESS and LOCATION finder: street lines, P.O. boxes, cities, towns and counties.

ADDRESS: a house number (digits, or number words as spoken: "fourteen twenty"), up to four
street-name words (ordinals and directions included: "South Twenty Fifth") and a USPS
street suffix ("Drive", "Rd."), or a street named with no suffix ("1722 Broadway"), or a
numbered road ("4500 Highway 9", "route sixty six"), then an optional unit ("Apt 4B",
"apartment three six four", "#18"); or a P.O. box and its number. A filler between the
number and the street ("two ninety five um driftwood street") gives two spans, the filler
outside.

LOCATION: a county ("Cook County"), or a city/town where context says so: after an
address, before a state ("Springfield, IL": the state stays outside), after a place cue
("you're in", "calling from", "moved to", "in", "from"), or a known town name capitalised
mid-sentence. A known town takes a following town word the list lacks ("wellesley
hills"); in lowercase text a direction, "port" or "fort" starts a town with the unknown
word after it ("north michaelmouth"), unless the two are a state ("north carolina").
A US state alone is never a LOCATION.

Scores (the engine's default threshold is assumed to be 0.5):

    0.95  county in the gazetteer; street line or P.O. box with a digit house number
    0.90  spoken street line; known town + state, after an address or a strong cue
    0.85  unknown capitalised words after an address; known town after a weak cue
    0.80  capitalised "X County"; unknown capitalised town after a strong cue or before
          ", ST"; unknown lowercase words after an address and before a state or ZIP
    0.70  unknown lowercase words after a strong cue or an address; a known town that is
          also a surname after a weak cue ("from sacramento"); lowercase "x county"
    0.60  known capitalised town mid-sentence with no cue

Cost: the shared gazetteer scan, then a few regex matches and dict look-ups per street
word, cue or place hit. Never raises on any str.
"""

from __future__ import annotations

import re

from phiwall.detect import gazetteer as gz
from phiwall.detect.candidate import Candidate

# A word (letters and digits) and the gap before it.
_WORD = re.compile(r"([\s,.:=\"]*)([^\W_]+)")
# The last word before a position, and only separators after it: `_WORD` read backwards.
_WORD_BEFORE = re.compile(r"([\s,.:=\"]*)([^\W_]+)[\s,.:=\"]*$")
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
    r"floor|fl)\b\.?\s*#?\s*|#\s*)"
    rf"(?:[a-z]?\d+[a-z]?\b|(?:(?:{_NUMBER_WORDS}|[a-z])\b ?){{1,6}}(?<! ))",
    re.IGNORECASE,
)
_BOX_NUMBER = re.compile(
    rf"\s*#?\s*(?:\d{{1,6}}\b|(?:(?:{_NUMBER_WORDS})\b ?){{1,8}}(?<! ))",
    re.IGNORECASE,
)
# Any digit or number word: a street line's house number must be among them.
_HOUSE_NUMBER_NEAR = re.compile(rf"\d|\b(?:{_NUMBER_WORDS}|thousand)\b", re.IGNORECASE)
# What may stand between an address and its town.
_BEFORE_TOWN = re.compile(r"[\s,]*(?:(?:um|uh|in|that's|it's)\s+){0,4}", re.IGNORECASE)
_NUMBER_AFTER = re.compile(r"\s*\d")
# Streets named with no suffix word ("1722 broadway"; SUFFIX words in vocabulary.txt).
_NAMED_STREETS = frozenset({"broadway", "bowery", "embarcadero"})
# Suffixes of roads named by a number after them ("4500 highway 9", "route sixty six").
_NUMBERED_ROADS = frozenset({"highway", "hwy", "route", "rte"})
# The number of a numbered road: up to 4 digits and a letter, or up to 3 number words.
_ROAD_NUMBER = re.compile(
    rf" (?:\d{{1,4}}[a-z]?\b|(?:(?:{_NUMBER_WORDS})\b ?){{1,3}}(?<! ))", re.IGNORECASE
)
_WINDOW = 90  # characters looked at before a street suffix
_MAX_BEFORE = 14  # words looked at before it: 4 street words, a filler, 8 number words
_STREET_WORDS = 4
# Words that end town names ("Wellesley Hills", "Kansas City"), read after a known town.
_TOWN_ENDINGS = frozenset(
    {"hills", "heights", "springs", "falls", "beach", "city", "village", "junction", "lake"}
)
# Words that start town names ("North Michaelmouth", "Port Steven"), said before an unknown
# word in lowercase text.
_TOWN_PREFIXES = frozenset(
    {"north", "south", "east", "west", "new", "port", "fort", "lake", "mount", "saint", "san"}
)
# Hits that any rule below starts from.
_PLACE_HITS = (
    gz.SUFFIX | gz.POBOX | gz.COUNTY | gz.COUNTY_WORD | gz.PLACE_STRONG | gz.PLACE_WEAK
) | (gz.STATE | gz.STATE_CODE | gz.PLACE)
_NEVER_PLACE = gz.STOP | gz.FILLER | gz.NUMBER | gz.ORDINAL | gz.CALENDAR | gz.ORG

# (start, end, gap before the word, lowercase word, flags)
Word = tuple[int, int, str, str, int]


class _Doc:
    """One text under analysis: the text, the word classes and the scanned towns."""

    __slots__ = ("lex", "mixed", "stated", "text", "town_ends", "towns")

    def __init__(self, text: str, hits: tuple[gz.Hit, ...]) -> None:
        self.text = text
        self.lex = gz.lexicon()
        self.mixed = text != text.lower()  # capitals carry information
        # Scanned (rare-word, possibly multi-word) towns: start -> longest end, end -> start.
        self.towns: dict[int, int] = {}
        self.town_ends: dict[int, int] = {}
        self.stated = False  # the text names a state somewhere
        for start, end, flags in hits:
            if flags & gz.PLACE and not flags & gz.STATE:
                self.towns[start] = max(end, self.towns.get(start, end))
                self.town_ends[end] = min(start, self.town_ends.get(end, start))
            if flags & gz.STATE or (flags & gz.STATE_CODE and text[start:end].isupper()):
                self.stated = True

    def word(self, pos: int) -> Word | None:
        """The word after `pos` with the gap before it, or None at anything else."""
        m = _WORD.match(self.text, pos)
        if m is None:
            return None
        low, gap = m.group(2).lower(), m.group(1)
        if len(gap) > 1 and not gap.strip(" \t"):
            gap = " "  # runs of blanks count as one
        return (m.start(2), m.end(2), gap, low, self.lex.get(low, 0))

    def word_before(self, pos: int) -> Word | None:
        """The word just before `pos` (its gap: the separators before it), or None when
        something other than separators lies between. One regex search over 40 chars."""
        m = _WORD_BEFORE.search(self.text, max(0, pos - 40), pos)
        if m is None:
            return None
        low = m.group(2).lower()
        return (m.start(2), m.end(2), m.group(1), low, self.lex.get(low, 0))

    def words_before(self, pos: int) -> list[Word]:
        """The last _MAX_BEFORE words of the _WINDOW characters before `pos`, nearest first.

        A word's gap is everything between it and the word before ("-" in "128-bit" too).
        """
        lo = max(0, pos - _WINDOW)
        matches = list(_WORD.finditer(self.text, lo, pos))
        if matches and lo > 0 and len(matches) <= _MAX_BEFORE:
            matches.pop(0)  # may be cut by the window
        matches = matches[-_MAX_BEFORE - 1 :]
        out: list[Word] = []
        for i in range(len(matches) - 1, -1, -1):
            m = matches[i]
            word = m.group(2)
            start = m.end() - len(word)
            gap = self.text[matches[i - 1].end() : start] if i else m.group(1)
            low = word.lower()
            out.append((start, m.end(), gap, low, self.lex.get(low, 0)))
        return out[:_MAX_BEFORE]


def find(text: str) -> list[Candidate]:
    """Return ADDRESS and LOCATION candidates of `text`, non-overlapping, sorted by start.

    Cost: the shared scan (cached per text) plus a few µs of Python per street word, cue,
    state or town hit. Never raises.
    """
    hits = gz.scan(text)
    seen = 0
    for hit in hits:
        seen |= hit[2]
    if not seen & _PLACE_HITS:
        return []  # only name cues and names ("i'm", "my name is"): the common case
    doc = _Doc(text, hits)
    found: list[Candidate] = []
    for start, end, flags in hits:
        if flags & gz.SUFFIX:
            found += _street(doc, start, end)
        if flags & gz.POBOX:
            found += _po_box(text, start, end)
        if flags & gz.COUNTY and not flags & gz.STATE:  # not "District of Columbia"
            found.append(Candidate(start, end, "LOCATION", 0.95))
        elif flags & gz.COUNTY_WORD:
            found += _county(doc, start, end)
        if flags & gz.PLACE_STRONG or (flags & gz.PLACE_WEAK and _worth_a_look(doc, end)):
            found += _after_cue(doc, end, bool(flags & gz.PLACE_STRONG))
        if flags & (gz.STATE | gz.STATE_CODE):
            found += _before_state(doc, start, end, flags)
        if flags & gz.PLACE and not flags & (gz.COMMON | gz.STATE):
            found += _known_town(doc, start, end, flags)
    found = _resolve(found)
    towns = [_town_after(doc, c.end) for c in found if c.label == "ADDRESS"]
    towns = [t for t in towns if t is not None]
    return _resolve(found + towns) if towns else found


def _street(doc: _Doc, start: int, end: int) -> list[Candidate]:
    """A street line ending with the suffix `text[start:end]`, and its unit if any."""
    text = doc.text
    if not _HOUSE_NUMBER_NEAR.search(text, max(0, start - _WINDOW), start):
        return []  # "by the way", "parking lot": no house number to start a line
    before = doc.words_before(start)
    if not before or text[before[0][1] : start].strip(" ."):
        return []
    # In cased text a street name is cased like its suffix: "Bear Creek", "main st", never
    # "miles along Bear Creek".
    capital = text[start].isupper()
    i, names = 0, 0
    while i < len(before) and names < _STREET_WORDS:
        low, flags = before[i][3], before[i][4]
        if doc.mixed and low.isalpha() and text[before[i][0]].isupper() != capital:
            break
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
    suffix = text[start:end].lower()
    road = _ROAD_NUMBER.match(text, end) if suffix in _NUMBERED_ROADS else None
    if names == 0 and road is None and suffix not in _NAMED_STREETS:
        return []  # "1722 broadway", "4500 highway 9" need no street name
    if _inside_town(doc, start, end) and any(w[4] & gz.SUFFIX for w in before[:i]):
        return []  # "jasmine path [linn creek]": the town after an earlier suffix
    street_start = before[i - 1][0] if i else start
    if road is not None:
        end = road.end()  # "highway 9", "route sixty six"
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


def _inside_town(doc: _Doc, start: int, end: int) -> bool:
    """Whether `text[start:end]` lies inside a scanned town name ("hill" in "hill city")."""
    return any(s <= start and end <= e and (s, e) != (start, end) for s, e in doc.towns.items())


def _street_end(text: str, end: int) -> int:
    """Extend a street line ending at `end` over an abbreviation's period and a unit."""
    if text.startswith(".", end) and end - text.rfind(" ", 0, end) <= 5:
        end += 1  # the period of an abbreviation: "St.", "Pkwy."
    unit = _UNIT.match(text, end)
    return unit.end() if unit else end


def _county(doc: _Doc, start: int, end: int) -> list[Candidate]:
    """ "X County" for a county the gazetteer lacks: capitalised words, or one rare word."""
    first, n = None, 0
    before = doc.words_before(start)
    while n < len(before) and n < 3:
        s, _e, gap, low, flags = before[n]
        if (doc.mixed and not doc.text[s].isupper()) or flags & _NEVER_PLACE or not low.isalpha():
            break
        if not doc.mixed and (flags & gz.COMMON or n > 1):
            break
        first, n = s, n + 1
        if gap.strip():
            break
    if first is None:
        return []
    return [Candidate(first, end, "LOCATION", 0.8 if doc.mixed else 0.7)]


def _town_at(doc: _Doc, pos: int) -> tuple[int, int, bool, bool] | None:
    """The town name starting at the word after `pos`: (start, end, known, capitalised).

    Known: a scanned gazetteer town (multi-word too) or a town that is an ordinary word
    ("Maple"). In mixed-case text up to three capitalised words win if longer; otherwise,
    in lowercase text, up to three words no word list knows. Never a state or a clinic.
    """
    text = doc.text
    first = doc.word(pos)
    if first is None or first[3][0].isdigit():
        return None
    start, f_end, _gap, low, flags = first
    if flags & gz.DIRECTION or low in _TOWN_PREFIXES:
        nxt = doc.word(f_end)
        if nxt is not None and doc.lex.get(f"{low} {nxt[3]}", 0) & gz.STATE:
            return None  # "north" of "north carolina", "new" of "new york"
    known_end = doc.towns.get(start)
    prefix = not doc.mixed and _town_prefix(doc, first)
    if known_end is None and flags & gz.PLACE and not flags & gz.STATE and not prefix:
        known_end = f_end  # a town that is an ordinary word ("maple"), but not "north ..."
    cap = doc.mixed and text[start].isupper()
    if known_end is None and flags & (_NEVER_PLACE | gz.STATE) and not (cap and flags & gz.NUMBER):
        return None
    cap_end = _capitalised_run(doc, first) if cap else None
    if cap_end is not None and doc.lex.get(gz.fold(text[start:cap_end]), 0) & gz.STATE:
        return None  # "District of Columbia", "New Mexico"
    if cap_end is not None and (known_end is None or cap_end > known_end):
        end, known = cap_end, False
    elif known_end is not None:
        end, known = known_end, True
        nxt = doc.word(end)
        if nxt is not None and nxt[2] == " " and nxt[3] in _TOWN_ENDINGS and not cap:
            end = nxt[1]  # "wellesley hills": a known town and a town word the list lacks
    elif doc.mixed or (flags & (gz.COMMON | gz.STATE_CODE) and not prefix):
        return None
    else:  # up to three words no list knows: "cali nazehasi", "north michaelmouth"
        end, known = f_end, False
        for _ in range(2):
            nxt = doc.word(end)
            if nxt is None or nxt[2] != " " or nxt[4] & (gz.COMMON | _NEVER_PLACE | gz.STATE):
                break
            if not nxt[3].isalpha():
                break
            end = nxt[1]
    nxt = doc.word(end)
    if nxt is not None and nxt[2] == " " and nxt[4] & gz.ORG:
        return None  # "Lakeshore Internal Medicine"
    return (start, end, known, cap)


def _town_prefix(doc: _Doc, word: Word) -> bool:
    """Whether a lowercase `word` starts a town name with an unknown word after it ("north
    michaelmouth", "port steven"); not a state ("south dakota"). Two dict look-ups."""
    if word[3] not in _TOWN_PREFIXES:
        return False
    nxt = doc.word(word[1])
    if nxt is None or nxt[2] != " " or not nxt[3].isalpha():
        return False
    if nxt[4] & (gz.COMMON | _NEVER_PLACE | gz.STATE | gz.STATE_CODE):
        return False
    return not doc.lex.get(f"{word[3]} {nxt[3]}", 0) & gz.STATE


def _capitalised_run(doc: _Doc, word: Word) -> int | None:
    """End of up to three capitalised words from `word` (number words allowed: "Twelve
    Mile"); None if `word` cannot start a town name."""
    end = None
    for _ in range(3):
        flags = word[4]
        if not doc.text[word[0]].isupper() or doc.text[word[0] : word[1]].isupper():
            break  # lowercase, or an acronym ("TS 18508")
        if flags & (_NEVER_PLACE | gz.STATE | gz.STATE_CODE) and not flags & gz.NUMBER:
            break
        end = word[1]
        nxt = doc.word(end)
        if nxt is None or nxt[2] != " ":
            break
        word = nxt
    return end


def _follows_state_or_zip(doc: _Doc, pos: int) -> bool:
    """Whether a state name, a capital state code or a ZIP (digits or words) follows `pos`."""
    nxt = doc.word(pos)
    if nxt is None:
        return False
    start, end, _gap, low, flags = nxt
    if flags & gz.STATE or (low.isdigit() and len(low) == 5):  # not "Section 2.1"
        return True
    if flags & gz.STATE_CODE and doc.text[start:end].isupper():
        return True
    two = doc.word(end)  # "north dakota", "six two nine six seven"
    if two is None:
        return False
    if flags & gz.NUMBER:
        return bool(two[4] & gz.NUMBER) and two[2] == " "
    return bool(doc.lex.get(f"{low} {two[3]}", 0) & gz.STATE)


def _worth_a_look(doc: _Doc, pos: int) -> bool:
    """Whether a weak cue ("in", "to", "from") ending at `pos` can precede a town: a known
    town or a capitalised word follows, or a state is named somewhere in the text. Most
    weak cues ("to schedule", "in the morning") stop here, before any word is read."""
    nxt = pos + 1
    return nxt in doc.towns or doc.stated or (doc.mixed and doc.text[nxt : nxt + 1].isupper())


def _after_cue(doc: _Doc, pos: int, strong: bool) -> list[Candidate]:
    """A town right after a place cue ("you're in", "calling from", "in")."""
    town = _town_at(doc, pos)
    if town is None:
        return []
    start, end, known, cap = town
    stated = _follows_state_or_zip(doc, end)
    if not strong and not stated and _NUMBER_AFTER.match(doc.text, end):
        return []  # "in Section 2.1", "in Debian 3.0"
    if known:
        flags = doc.lex.get(doc.text[start:end].lower(), 0)
        if stated or (strong and (cap or not flags & gz.COMMON)):
            score = 0.9
        elif strong:
            score = 0.7  # "you're in maple": a town that is also an ordinary word
        elif cap and flags & gz.POPULAR:
            score = 0.0  # "a letter from Martin": a person before a town
        elif cap or not flags & (gz.COMMON | gz.FIRST | gz.LAST):
            score = 0.85
        else:  # a town that is also a surname or a rare first name ("from sacramento")
            score = 0.0 if flags & (gz.COMMON | gz.POPULAR) else 0.7
    elif cap:
        score = 0.8 if strong or stated else 0.0
    else:
        score = 0.7 if strong or stated else 0.0  # "back in bantry north dakota"
    return [Candidate(start, end, "LOCATION", score)] if score else []


def _before_state(doc: _Doc, start: int, end: int, flags: int) -> list[Candidate]:
    """The town before a state: "Springfield, IL", "tampa florida" (state outside)."""
    text = doc.text
    if flags & gz.STATE_CODE and not flags & gz.STATE and not text[start:end].isupper():
        return []
    prev = doc.word_before(start)
    if prev and doc.lex.get(f"{prev[3]} {text[start:end].lower()}", 0) & gz.STATE:
        return []  # "virginia" inside "west virginia": the longer state's hit decides
    pos = start
    while pos > 0 and text[pos - 1] in " ,":
        pos -= 1
    if pos in doc.town_ends:
        town_start = doc.town_ends[pos]
        if doc.mixed:  # "Little Plymouth, VA": capitalised words before a known town
            for word in doc.words_before(town_start)[:2]:
                capitalised = text[word[0]].isupper() and text[word[1] : town_start] == " "
                if not capitalised or word[4] & (_NEVER_PLACE | gz.STATE | gz.SUFFIX):
                    break
                town_start = word[0]
        return [Candidate(town_start, pos, "LOCATION", 0.9)]
    before = doc.word_before(start)
    if not before or before[1] != pos:
        return []
    w_start, w_end, _gap, _low, w_flags = before
    if w_flags & gz.PLACE and not w_flags & (gz.STOP | gz.STATE):
        return [Candidate(w_start, w_end, "LOCATION", 0.9)]  # "sharon north dakota"
    capitalised = doc.mixed and text[w_start].isupper() and not text[w_start:w_end].isupper()
    capitalised = capitalised and "," in text[w_end:start]  # "Harmony, PA", not "Tyrese Washington"
    if capitalised and not w_flags & (_NEVER_PLACE | gz.STATE | gz.SUFFIX):
        return [Candidate(w_start, w_end, "LOCATION", 0.8)]
    return []


def _known_town(doc: _Doc, start: int, end: int, flags: int) -> list[Candidate]:
    """A gazetteer town with no cue: kept when capitalised mid-sentence and not a person."""
    text = doc.text
    if not doc.mixed or not text[start].isupper() or flags & (gz.FIRST | gz.LAST):
        return []
    before = text[:start].rstrip(" \"'")
    if not before or before[-1] in ".!?:\n" or text[start:end].isupper():
        return []
    prev = doc.word_before(start)
    if prev and doc.lex.get(f"{prev[3]} {text[start:end].lower()}", 0) & gz.STATE:
        return []  # "Mexico" inside "New Mexico"
    nxt = doc.word(end)
    if nxt is not None and nxt[2] == " " and (text[nxt[0]].isupper() or nxt[4] & gz.ORG):
        return []  # part of a name ("Lakeshore Urgent Care", "the Riverside office")
    return [Candidate(start, end, "LOCATION", 0.6)]


def _town_after(doc: _Doc, pos: int) -> Candidate | None:
    """The town after an address ending at `pos`: "…Drive, Maysville, AR", "…road tampa"."""
    pos = _BEFORE_TOWN.match(doc.text, pos).end()
    town = _town_at(doc, pos)
    if town is not None and (town[2] or town[3]):
        return Candidate(town[0], town[1], "LOCATION", 0.9 if town[2] else 0.85)
    if not doc.mixed:  # "fort riley six six four four two": words up to a state or a ZIP
        words: list[Word] = []
        while len(words) < 3:
            word = doc.word(words[-1][1] if words else pos)
            if word is None or word[4] & (gz.STOP | gz.NUMBER | gz.FILLER | gz.STATE):
                break
            after = doc.word(word[1])
            if after is not None and doc.lex.get(f"{word[3]} {after[3]}", 0) & gz.STATE:
                break  # "new mexico", "west virginia"
            if words and word[2] != " ":
                break
            words.append(word)
            if _follows_state_or_zip(doc, word[1]):
                return Candidate(words[0][0], word[1], "LOCATION", 0.8)
    if town is not None:
        return Candidate(town[0], town[1], "LOCATION", 0.7)
    return None


def _po_box(text: str, start: int, end: int) -> list[Candidate]:
    """ "P.O. Box 3673" / "post office box forty six sixty five"."""
    number = _BOX_NUMBER.match(text, end)
    if number is None:
        return []
    return [Candidate(start, number.end(), "ADDRESS", 0.95)]


def _resolve(found: list[Candidate]) -> list[Candidate]:
    """Drop duplicates and overlaps: the higher score wins, then the longer span."""
    if len(found) < 2:
        return found
    found.sort(key=lambda c: (-c.score, c.start - c.end, c.start))
    kept: list[Candidate] = []
    for cand in found:
        if all(cand.end <= k.start or cand.start >= k.end for k in kept):
            kept.append(cand)
    kept.sort()
    return kept
