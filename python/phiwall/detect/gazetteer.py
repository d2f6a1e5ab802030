"""Gazetteers: word classes loaded once from `detect/data/`, and a word-aligned phrase scanner.

Two structures, both built lazily on first use (about 0.5-0.8 s and 50 MB, once per
process; call `warm()` at start-up so that no request pays for it):

- `lexicon()`: every known word -> bit flags (`FIRST`, `LAST`, `COMMON`, `PLACE`, ...), for
  O(1) look-ups of the few words around a cue.
- `scan(text)`: one pass of a pyahocorasick automaton over a normalised copy of `text` that
  reports the phrases worth a look: cue phrases, street words, and the names and places
  that are *not* ordinary English words. Ordinary words are left out on purpose, so a
  sentence of plain English costs a C-speed scan and almost no Python.

Normalisation (`normalize`) lowercases, turns every character that is not a letter or digit
into a space and pads both ends with a space; automaton keys are phrases between spaces,
so every match starts and ends on a word boundary and offsets map back to `text` 1:1.
"""

from __future__ import annotations

import gzip
import unicodedata
from functools import cache, lru_cache
from importlib import resources

import ahocorasick

from phiwall.detect.lexicon import CONNECTORS, NATO, SPOKEN_MARKS

# Word classes (bit flags, combined with `|`).
FIRST = 1 << 0  # a first name (SSA, Census)
LAST = 1 << 1  # a surname (Census)
COMMON = 1 << 2  # an ordinary English word (SCOWL 10-35)
PLACE = 1 << 3  # a US city or town (GeoNames)
COUNTY = 1 << 4  # a US county, parish or borough, with its kind word ("cook county")
STATE = 1 << 5  # a US state's name
STATE_CODE = 1 << 6  # a US state's postal code
SUFFIX = 1 << 7  # a street suffix or its abbreviation (USPS)
UNIT = 1 << 8  # a secondary unit designator ("apt", "suite")
STOP = 1 << 9  # never part of a name
FILLER = 1 << 10  # "um", "uh"
NUMBER = 1 << 11  # a cardinal number word
TENS = 1 << 12  # "twenty" ... "ninety"
ORDINAL = 1 << 13  # an ordinal number word
DIRECTION = 1 << 14  # "north", "sw"
CALENDAR = 1 << 15  # months, weekdays
ORG = 1 << 16  # words of clinic, pharmacy or department names
COUNTY_WORD = 1 << 17  # "county", "parish"
LETTERS = 1 << 18  # two lone letters in a row ("c h"): where a spelled name may start
INITIAL = 1 << 19  # a lone letter, not "a" or "i": where a middle initial may stand
# Cue phrases (reported by `scan`).
NAME_STRONG = 1 << 20
NAME_CUE = 1 << 21
NAME_WEAK = 1 << 22
TITLE = 1 << 23
PLACE_STRONG = 1 << 24
PLACE_WEAK = 1 << 25
POBOX = 1 << 26
SPELL_CUE = 1 << 27
POPULAR = 1 << 28  # a first name given 1,000+ times (SSA): a person before a place
DRUG_ENDING = 1 << 29  # the ending of generic drug names ("pril", "statin")
ENDS_NAME = 1 << 30  # a surname that is also a verb or cue noun ("went", "plate"): ends a name

NAME_CUES = NAME_STRONG | NAME_CUE | NAME_WEAK | TITLE
PLACE_CUES = PLACE_STRONG | PLACE_WEAK
# A word with one of these flags is a gazetteer hit worth scanning for, unless it is COMMON.
_RARE_ONLY = FIRST | PLACE
# Always scanned for, common word or not. (Unit words are read only after a street suffix,
# never scanned for: "number" alone would be a hit in every fourth utterance.)
_ALWAYS = (
    COUNTY
    | STATE
    | SUFFIX
    | COUNTY_WORD
    | NAME_CUES
    | PLACE_CUES
    | POBOX
    | LETTERS
    | SPELL_CUE
    | INITIAL
)
# Rare names that no finder takes on their own ("june", "will"): not worth a hit.
_NEVER_ALONE = STOP | CALENDAR | NUMBER | ORDINAL | FILLER
# State codes that are everyday words ("in", "me", "oh") would make a hit of nearly every
# sentence; they are recognised only after an address, never scanned for.
_COMMON_CODES = frozenset({"in", "me", "or", "oh", "hi", "ok", "id"})

_KINDS = {
    "NAME_STRONG": NAME_STRONG,
    "NAME_CUE": NAME_CUE,
    "NAME_WEAK": NAME_WEAK,
    "TITLE": TITLE,
    "PLACE_STRONG": PLACE_STRONG,
    "PLACE_WEAK": PLACE_WEAK,
    "POBOX": POBOX,
    "SPELL_CUE": SPELL_CUE,
    "DRUG_ENDING": DRUG_ENDING,
    "ENDS_NAME": ENDS_NAME,
    "FILLER": FILLER,
    "DIRECTION": DIRECTION,
    "NUMBER": NUMBER,
    "TENS": TENS,
    "ORDINAL": ORDINAL,
    "CALENDAR": CALENDAR,
    "STOP": STOP,
    "ORG": ORG,
    "COUNTY_WORD": COUNTY_WORD,
    "SUFFIX": SUFFIX,
}

# Everything ASCII that is not a letter or digit, and the Unicode punctuation LLMs and
# smart-formatting emit, becomes a space; each maps one character to one character.
_SEPARATORS = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not c.isalnum()}
    | dict.fromkeys("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0", " ")
)
# Latin letters with accents -> their base letter ("ñ" -> "n", Vietnamese "ễ" -> "e"), one for one,
# because the word lists are accent-folded ASCII ("quinones").
_FOLD = str.maketrans(
    {
        c: base
        for c in (*map(chr, range(0xC0, 0x250)), *map(chr, range(0x1E00, 0x1F00)))
        if (base := unicodedata.normalize("NFKD", c)[0].lower()).isascii() and base.isalpha()
    }
)
# The same for ASCII text as a byte table, lowercasing too: bytes.translate is a plain C
# table look-up, several times faster than str.translate's per-character dict look-up.
_ASCII = bytes(b if chr(b).isalnum() else 32 for b in range(256)).lower()


# (start, end, flags): `text[start:end]` is a scanned phrase with word classes `flags`.
# A plain tuple: building a NamedTuple per hit would cost more than the scan itself.
Hit = tuple[int, int, int]


def normalize(text: str) -> str:
    """Return `" " + lowercase(text) + " "` with non-alphanumerics as spaces.

    Index `i` of `text` is index `i + 1` of the result. Cost: two C-level passes over `text`.
    Characters whose lowercase form is longer (e.g. "İ") keep their case so lengths match.
    """
    if text.isascii():
        return f" {text.encode().translate(_ASCII).decode()} "
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return f" {low.translate(_SEPARATORS).translate(_FOLD)} "


def fold(word: str) -> str:
    """`word` lowercased with Latin accents removed ("Quiñones" -> "quinones"), same length."""
    low = word.lower()
    return low if low.isascii() else low.translate(_FOLD)


def _data(name: str) -> list[str]:
    """Lines of the data file `name` (gunzipped when it ends in .gz); raises if missing."""
    raw = resources.files("phiwall.detect").joinpath("data", name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return raw.decode().splitlines()


@cache
def lexicon() -> dict[str, int]:
    """Every known word or phrase -> its word-class flags. Built once (~0.5 s, ~40 MB); cached.

    Raises FileNotFoundError if a data file is missing from the install (a broken wheel).
    """
    words: dict[str, int] = {}

    def add(entries: list[str], flag: int) -> None:
        for word in entries:
            words[word] = words.get(word, 0) | flag

    add(_data("first_names.txt.gz"), FIRST)
    add(_data("popular_first_names.txt.gz"), POPULAR)
    add(_data("surnames.txt.gz"), LAST)
    add(_data("common_words.txt.gz"), COMMON)
    add(_data("us_places.txt.gz"), PLACE)
    add(_data("us_counties.txt.gz"), COUNTY)
    for row in _data("us_states.txt"):
        state, code = row.split("\t")
        add([state], STATE)
        add([code], STATE_CODE)
    for row in _data("streets.txt"):
        word, kind = row.split("\t")
        add([word], UNIT if kind == "unit" else SUFFIX)
    letters = "abcdefghijklmnopqrstuvwxyz"
    add([f"{a} {b}" for a in letters for b in letters], LETTERS)
    add([c for c in letters if c not in "ai"], INITIAL)  # "maria [t] lopez"
    # Where a spelling starts without two lone letters: "k as in kilo", "b for boy", "o
    # apostrophe n", "kilo oscar".
    joins = ("as in", *CONNECTORS, *SPOKEN_MARKS)
    add([f"{a} {join}" for a in letters for join in joins], LETTERS)
    add([f"{a} {b}" for a in NATO for b in NATO], LETTERS)
    for row in _data("vocabulary.txt"):
        if row and not row.startswith("#"):
            phrase, kinds = row.split("\t")
            for kind in kinds.split():
                add([phrase], _KINDS[kind])
    return words


def warm() -> None:
    """Build the lexicon and the automaton now (0.5-0.8 s) instead of on the first scan."""
    _automaton()
    drug_endings()


@cache
def drug_endings() -> tuple[str, ...]:
    """Endings of generic drug names, for `str.endswith`. Built once from the lexicon."""
    return tuple(sorted(w for w, flags in lexicon().items() if flags & DRUG_ENDING))


def scanned(phrase: str, flags: int) -> int:
    """The flags of `phrase` that `scan` reports (0: the phrase is not scanned for)."""
    keep = flags & _ALWAYS
    if flags & _RARE_ONLY and not flags & (COMMON | _NEVER_ALONE):
        keep |= flags & _RARE_ONLY
    if flags & STATE_CODE and phrase not in _COMMON_CODES:
        keep |= STATE_CODE
    return keep


@cache
def _automaton() -> tuple[ahocorasick.Automaton, tuple[tuple[int, int], ...]]:
    """The automaton of every scanned phrase (" phrase " keys), and its value table.

    Each key stores an int: the index of its (key length, flags) pair in the table (the
    automaton's ints are 32 bits, too few for both). Few distinct pairs exist, and C ints
    give the garbage collector nothing to walk: with a Python object per key, every full
    collection would visit 90,000 values (~20 ms). Built once (~0.3 s).
    """
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    kinds: dict[tuple[int, int], int] = {}
    for phrase, flags in lexicon().items():
        if scanned(phrase, flags):
            key = f" {phrase} "
            automaton.add_word(key, kinds.setdefault((len(key), flags), len(kinds)))
    automaton.make_automaton()
    return automaton, tuple(kinds)


@lru_cache(maxsize=16)
def scan(text: str) -> tuple[Hit, ...]:
    """Every scanned phrase of `text` on word boundaries, ordered by end then length.

    A hit carries all the phrase's flags (COMMON included), not only those it was scanned for.

    Cost: one C pass of the automaton plus a tuple per hit; cached for the last 16 texts, so
    the finders of one detection share a single scan. Never raises.
    """
    automaton, kinds = _automaton()
    # A key " w " of length L ending at padded index e covers text[e - L + 1 : e - 1].
    return tuple(
        [
            (end - (kind := kinds[index])[0] + 1, end - 1, kind[1])
            for end, index in automaton.iter(normalize(text))
        ]
    )
