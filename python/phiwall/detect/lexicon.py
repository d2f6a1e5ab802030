"""Word tables for numbers and dates as people say them, and the regex fragments built from them.

Everything here is a constant computed once at import (a few hundred small strings). The
regex fragments are plain alternations (no look-around, no back-references) so that both
Hyperscan and Python's `re` accept them; `patterns.py` assembles them into full patterns.

Public API (stable): the word tables `DIGITS`, `TEENS`, `TENS`, `ORDINALS`, `MONTHS`,
`REPEATS`, `JOINERS`, `FILLERS`, `RESTARTS`, `word_set`, and the regex fragments.
"""

from __future__ import annotations

DIGITS: dict[str, int] = {
    "zero": 0,
    "oh": 0,
    "o": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
# Spelling aloud. The NATO alphabet: each word stands for its first letter ("kilo oscar");
# words said for punctuation inside a spelled name ("o apostrophe n e i l"); words joining a
# letter to a word that starts with it ("k like kilo", "b for boy"; "as in" is the third).
NATO: tuple[str, ...] = (
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliett",
    "juliet",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
    "quebec",
    "romeo",
    "sierra",
    "tango",
    "uniform",
    "victor",
    "whiskey",
    "whisky",
    "xray",
    "yankee",
    "zulu",
)
SPOKEN_MARKS: dict[str, str] = {"apostrophe": "'", "hyphen": "-", "dash": "-"}
CONNECTORS: tuple[str, ...] = ("like", "for")
TEENS: dict[str, int] = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
# Multipliers inside a spoken value ("double five" = 55).
REPEATS: dict[str, int] = {"double": 2, "triple": 3}
# Spoken separators kept inside a value ("four one one dash two", "six slash ten").
JOINERS: frozenset[str] = frozenset(
    {"dash", "slash", "dot", "period", "hyphen", "underscore", "colon"}
)
# Words that interrupt a value without ending the thing being said ("four one five uh five").
FILLERS: frozenset[str] = frozenset(
    {
        "uh",
        "um",
        "uhm",
        "er",
        "erm",
        "ah",
        "hmm",
        "like",
        "sorry",
        "no",
        "wait",
        "i",
        "mean",
        "hold",
        "on",
        "you",
        "know",
        "actually",
        "let",
        "me",
        "see",
        "it's",
        "its",
        "is",
        "that's",
        "so",
        "okay",
        "ok",
        "then",
        "scratch",
        "that",
        "rather",
        "or",
        "correction",
        "oops",
        "the",
        "and",
    }
)


# Words that cut a value off to start it again ("nine two eight three sorry nine two ...").
RESTARTS: frozenset[str] = frozenset(
    {"uh", "um", "uhm", "er", "erm", "sorry", "no", "wait", "like", "actually", "hold", "scratch"}
)


def word_set(words: str) -> frozenset[str]:
    """The whitespace-separated words of `words` as a set (keeps long word lists readable)."""
    return frozenset(words.split())


def _alt(words: object) -> str:
    """Alternation of `words`, longest first so a regex engine prefers the longest word."""
    return "|".join(sorted(words, key=lambda w: (-len(w), w)))  # type: ignore[arg-type]


_DIGIT = _alt(DIGITS)
_TEEN = _alt(TEENS)
_TEN = _alt(TENS)
_ORD = _alt(ORDINALS)
_MONTH = f"(?:{_alt(MONTHS)})\\.?"

# One spoken number word: digit words, teens, tens, hundreds, repeats.
SPOKEN_NUMBER = f"(?:{_alt([*DIGITS, *TEENS, *TENS, 'hundred', 'thousand', *REPEATS])})"
# A spoken number word or a group of digits ("415 five five five 2671").
NUMBER_WORD = f"(?:{SPOKEN_NUMBER}|\\d+)"
# A day of the month: "3", "3rd", "third", "twenty first", "twenty one", "thirty".
DAY = (
    f"(?:\\d{{1,2}}(?:st|nd|rd|th)?|(?:twenty|thirty)[ -](?:{_ORD}|{_DIGIT})|{_ORD}|{_TEEN}"
    f"|twenty|thirty|{_DIGIT})"
)
# An ordinal day only ("the fourteenth of march", "the 19th of July").
ORD_DAY = f"(?:\\d{{1,2}}(?:st|nd|rd|th)|(?:twenty|thirty)[ -](?:{_ORD})|{_ORD})"
_TWO = f"(?:(?:{_TEN})(?:[ -](?:{_DIGIT}))?|{_TEEN}|oh[ -](?:{_DIGIT}))"
# A full year: "1985", "nineteen eighty five", "two thousand and four", "twenty twenty five".
FULL_YEAR = (
    f"(?:\\d{{4}}|(?:nineteen|twenty)(?: {_TWO}| hundred)?"
    f"|two thousand(?: and)?(?: {_TWO}| (?:{_DIGIT}))?)"
)
# Any year after a day: a full year or a two-digit one ("eighty three", "'85", "85").
YEAR = f"(?:{FULL_YEAR}|'?\\d{{2}}|{_TWO})"
MONTH = _MONTH
# Months that are never a verb ("may fifty people come" is not a date).
MONTH_NOT_MAY = f"(?:{_alt(m for m in MONTHS if m != 'may')})\\.?"
# A two-digit year that cannot be a day: "march eighty five", "June '85".
DECADE_YEAR = f"(?:'\\d{{2}}|(?:forty|fifty|sixty|seventy|eighty|ninety)(?:[ -](?:{_DIGIT}))?)"
