"""Spelled names: "c h e n", "C-H-E-N", "r a t as in table t a", "(KAPUR)".

A name spelled letter by letter is its own NAME span (the eval convention), separate from
the name it spells. Letters are single characters joined by spaces, hyphens, periods or
commas, or by a spoken mark ("o apostrophe n e i l", "k i m dash l e e"); a letter may
carry an "as in" word ("s as in sam"), a "like" or "for" word starting with it ("b for
boy"), or be doubled ("double l"), and a NATO word stands for its letter ("kilo oscar").
One letter with its word is a spelling too right after a cue ("that's k as in kilo").
The word a spelling spells, said soon after it ("S-M-I-T-H, Smith"), and a surname right
after a spelled first name ("j o h n smith") are NAME spans too.

Scores (only candidates at 0.5 or more are returned):

    0.95  the letters spell the word just before ("Ilori, i l o r i") or follow "spelled";
          the spelled word said after the spelling
    0.90  after a name cue ("last name", "that's", "it's") or in parentheses
    0.85  three or more hyphenated letters ("V-E-G-A")
    0.80  a surname right after a spelled first name
    0.70  four or more spaced letters with no cue

Runs next to digits or number words ("b s n dash zero five three") are IDs; runs that
spell a common abbreviation ("p s a", "l d l", "m r i"), mix cases ("a P.O. box") or are
dotted with no cue ("C.F.R.") are left alone. Cost: the shared gazetteer scan reports the
pairs of lone letters where a run may start, so text without any costs no regex at all.
Never raises.
"""

from __future__ import annotations

import re

from phiwall.detect import gazetteer as gz
from phiwall.detect.candidate import Candidate
from phiwall.detect.lexicon import CONNECTORS, NATO, SPOKEN_MARKS

_NATO_ALT = "|".join(NATO)
_CONNECTORS = "|".join(CONNECTORS)
_MARKS = "|".join(SPOKEN_MARKS)


def _letter(group: int) -> str:
    """One spelled letter; `group` is the number of its capture group (for the back
    reference that makes "k like kilo", "b for boy" name words with the same letter)."""
    return (
        rf"(?:double [a-z]|(?:{_NATO_ALT})|([a-z])"
        rf"(?: as in [a-z]+| (?:{_CONNECTORS}) (?=\{group})[a-z]+)?)"
    )


_SEPARATOR = rf"(?:[ ,.]+|-| (?:{_MARKS}) )"
_RUN = re.compile(
    rf"(?<![\w'\u2019-]){_letter(1)}(?:{_SEPARATOR}{_letter(2)}){{1,24}}(?![\w'\u2019-])",
    re.IGNORECASE,
)
# One letter with its word, after a cue ("that's k as in kilo").
_ONE = re.compile(
    rf"(?<![\w'\u2019-])([a-z]) (?:as in [a-z]+|(?:{_CONNECTORS}) (?=\1)[a-z]+)(?![\w'\u2019-])",
    re.IGNORECASE,
)
# Letters with "as in" words just before a pair of lone letters: "s as in sam [a r]ah".
_AS_IN_BEFORE = re.compile(r"(?<![\w'])(?:[a-z] as in [a-z]+ )+$", re.IGNORECASE)
_NEXT_WORD = re.compile(r" ([^\W\d_]{2,})\b")
_CAPS_AFTER_CUE = re.compile(r",?\s+([^\W\d_]{2,})\b")  # "spelled SANABRIA", "spelled DÖRR"
_CAPS_IN_PARENS = re.compile(r"\(([^\W\d_]{2,})\)")  # "Kapur (KAPUR)"
# The word before a spelling: "Kapur" in "Kapur (KAPUR)", "mcgahey" in "mcgahey m c g a h e y".
_WORD_BEFORE = re.compile(r"([^\W\d_]+(?:['\u2019-][^\W\d_]+)*)[\s,(]*$")
_AS_IN = re.compile(rf" (?:as in|{_CONNECTORS}) [a-z]+", re.IGNORECASE)
_PUNCT = " \t,;:()-.\"'"
# Words after which a letter run spells a name ("last name is c h e n", "it's k i m").
_CUES = ("spelled", "spell", "spelling", "spells", "name", "that's", "it's", "is", "(")
# Abbreviations people spell out that are not names ("my p s a", "an m r i").
_ABBREVIATIONS = frozenset(
    {
        "am",
        "pm",
        "er",
        "or",
        "ct",
        "mri",
        "icu",
        "ldl",
        "hdl",
        "psa",
        "bmi",
        "hiv",
        "dob",
        "ekg",
        "ecg",
        "mrn",
        "ssn",
        "id",
        "usa",
        "ok",
        "tv",
        "ac",
        "uti",
        "copd",
        "adhd",
        "std",
        "cbc",
        "bp",
        "rn",
        "md",
        "np",
        "pa",
        "dds",
        "ent",
        "gp",
        "ob",
        "obgyn",
        "gyn",
        "ivf",
        "abc",
        "iv",
        "ed",
        "ada",
        "cpap",
        "dna",
        "rsvp",
        "asap",
        "fyi",
        "eta",
        "vip",
        "atm",
        "pin",
        "suv",
        "ups",
        "llc",
        "inc",
        "hmo",
        "ppo",
    }
)
_WINDOW = 40  # characters looked at before a run for its cue
_APOSTROPHES = "'\u2019"  # "I'm", "I’d": a contraction, not two spelled letters


def find(text: str) -> list[Candidate]:
    """Return NAME candidates for the spelled names in `text`, sorted by start.

    Cost: the shared scan (cached per text), one anchored regex match per pair of lone
    letters, and one regex pass only for texts with a "(". Never raises.
    """
    found: list[Candidate] = []
    lex = gz.lexicon()
    last_end = 0
    # The shared scan reports every pair of lone letters ("c h") and every "spelled"; the
    # run pattern is tried only there, so plain sentences cost no regex pass at all.
    for start, end, flags in gz.scan(text):
        if flags & gz.LETTERS and start >= last_end and text[start + 1] not in _APOSTROPHES:
            before = _AS_IN_BEFORE.search(text, max(last_end, start - 60), start)
            m = _RUN.match(text, before.start() if before else start)
            if m is None and before is None:
                one = _ONE.match(text, start)  # "that's k as in kilo": one letter, if cued
                if one is not None and _one_letter(text, one.start(), one.end(), lex):
                    last_end = one.end()
                    found.append(Candidate(one.start(), one.end(), "NAME", 0.9))
            elif m is not None:
                last_end = m.end()
                score = _score(text, m.start(), m.end(), m.group(), lex)
                if score >= 0.5:
                    found.append(Candidate(m.start(), m.end(), "NAME", score))
                    letters = _letters(m.group())
                    found += _spelled_word_before(text, m.start(), letters, score, lex)
                    found += _spelled_word_after(text, m.end(), letters, lex)
        elif flags & gz.SPELL_CUE:
            caps = _CAPS_AFTER_CUE.match(text, end)
            if caps is not None and caps.start(1) >= last_end and caps.group(1).isupper():
                found.append(Candidate(caps.start(1), caps.end(1), "NAME", 0.95))
    if "(" in text:
        for m in _CAPS_IN_PARENS.finditer(text):
            start, end = m.span(1)
            caps = m.group(1)
            if not caps.isupper():
                continue
            before = _spelled_word_before(text, start, caps, 0.9, lex)
            if before and before[0].score > 0.9:  # "Kapur (KAPUR)"
                found += [*before, Candidate(start, end, "NAME", 0.95)]
            elif before and _caps_name(caps, lex):  # "Violeta (CASSANDRA)": two halves
                found += [*before, Candidate(start, end, "NAME", 0.9)]
    return _disjoint(found)


def _disjoint(found: list[Candidate]) -> list[Candidate]:
    """`found` sorted by start, without candidates that overlap an earlier one (a name
    found both after one spelling and before the next)."""
    if len(found) < 2:
        return found
    found.sort()
    kept = [found[0]]
    for cand in found[1:]:
        if cand.start >= kept[-1].end:
            kept.append(cand)
    return kept


def _caps_name(word: str, lex: dict[str, int]) -> bool:
    """Whether an all-caps word in parentheses reads as a name, not an acronym ("(CMS)",
    "(ER)", "(NOW)"): three letters or more with a vowel, and a name or no ordinary word."""
    low = gz.fold(word)
    if len(low) < 3 or low in _ABBREVIATIONS or not any(v in low for v in "aeiouy"):
        return False
    if low.endswith(gz.drug_endings()):
        return False  # "Ozempic (SEMAGLUTIDE)"
    flags = lex.get(low, 0)
    if flags & (gz.STOP | gz.ORG | gz.STATE | gz.STATE_CODE):
        return False
    return bool(flags & (gz.FIRST | gz.LAST)) or not flags & gz.COMMON


def _spelled_word_before(
    text: str, start: int, letters: str, score: float, lex: dict[str, int]
) -> list[Candidate]:
    """The name said just before its spelling that starts at `start`: the word the letters
    spell ("mcgahey m c g a h e y", 0.95), or a capitalised name-like word before a
    parenthesised spelling ("Hays (H A Y S)", `score`). One regex search over at most
    _WINDOW characters; [] when neither."""
    m = _WORD_BEFORE.search(text, max(0, start - _WINDOW), start)
    if m is None:
        return []
    word = m.group(1)
    if gz.fold(word) == gz.fold(letters):
        return [Candidate(m.start(1), m.end(1), "NAME", 0.95)]
    if text[m.end(1) : start].strip(" ,") != "(" or not word[0].isupper() or word.isupper():
        return []
    flags = lex.get(gz.fold(word), 0)
    name = flags & (gz.FIRST | gz.LAST)
    if flags & (gz.STOP | gz.STATE) or (flags & (gz.COMMON | gz.ORG) and not name):
        return []  # "the Act (HIPAA)", "Medicare (CMS)"
    if not name and word.lower().endswith(gz.drug_endings()):
        return []  # "Lisinopril (ZESTRIL)"
    return [Candidate(m.start(1), m.end(1), "NAME", score)]


def _score(text: str, start: int, end: int, run: str, lex: dict[str, int]) -> float:
    """How surely the letter run `text[start:end]` spells a name (0 for none)."""
    letters = _letters(run)
    if not (letters.islower() or letters.isupper()):
        return 0.0  # spelled letters keep one case; "a P.O. box" mixes them
    if (
        len(letters) < 2
        or letters.lower() in _ABBREVIATIONS
        or _next_to_number(text, start, end, lex)
    ):
        return 0.0
    previous = _previous_word(text, start)
    if previous == letters.lower() or previous == "spelled":
        return 0.95
    if "." in run:
        return 0.0  # otherwise dotted letters are abbreviations: "C.F.R.", "(e.g., a"
    if previous in _CUES or text[max(0, start - 2) : start].strip() == "(":
        return 0.9 if len(letters) >= 3 else 0.0
    if "-" in run:
        return 0.85 if len(letters) >= 3 else 0.0
    return 0.7 if len(letters) >= 4 else 0.0


def _spelled_word_after(text: str, end: int, letters: str, lex: dict[str, int]) -> list[Candidate]:
    """The name said after its spelling: the same word soon after ("S-M-I-T-H, Smith"), or
    a surname right after a spelled first name ("j o h n smith")."""
    window = text[end : end + _WINDOW]
    low = window.lower()
    at = low.find(letters.lower())
    while at >= 0:
        stop = at + len(letters)
        if (at == 0 or not low[at - 1].isalnum()) and (stop == len(low) or not low[stop].isalnum()):
            return [Candidate(end + at, end + stop, "NAME", 0.95)]
        at = low.find(letters.lower(), stop)
    nxt = _NEXT_WORD.match(text, end)
    if nxt is None:
        return []
    flags = lex.get(nxt.group(1).lower(), 0)
    surname = flags & gz.LAST or (flags & gz.FIRST and not flags & gz.COMMON)
    if surname and not flags & (gz.STOP | gz.CALENDAR | gz.NUMBER):
        return [Candidate(nxt.start(1), nxt.end(1), "NAME", 0.8)]
    return []


def _letters(run: str) -> str:
    """The letters a run spells: "r a t as in table t a" -> "ratta", "double l" -> "ll",
    "kilo oscar" -> "ko", "o apostrophe n" -> "o'n" (a NATO word gives its first letter, a
    spoken mark its character)."""
    run = _AS_IN.sub("", run)
    out = []
    double = False
    for part in re.split(r"[ ,.-]+", run):
        low = part.lower()
        if low == "double":
            double = True
        elif low in SPOKEN_MARKS:
            out.append(SPOKEN_MARKS[low])
        elif part:
            part = part[0]  # a letter, or the first of a NATO word
            out.append(part * 2 if double else part)
            double = False
    return "".join(out)


def _one_letter(text: str, start: int, end: int, lex: dict[str, int]) -> bool:
    """Whether one letter said with its word ("k as in kilo") spells a name: right after a
    spelling or name cue ("that's", "spelled"), and not part of an ID (no number next to it)."""
    return _previous_word(text, start) in _CUES and not _next_to_number(text, start, end, lex)


def _previous_word(text: str, start: int) -> str:
    """The lowercase word before `start`, punctuation around it stripped ("" if none)."""
    before = text[max(0, start - _WINDOW) : start].rstrip(_PUNCT)
    words = before.rsplit(None, 1)
    return words[-1].strip(_PUNCT).lower() if words else ""


def _next_to_number(text: str, start: int, end: int, lex: dict[str, int]) -> bool:
    """Whether a digit or a number word touches the run (then it is part of an ID)."""
    before = text[max(0, start - 12) : start].split()
    after = text[end : end + 12].split()
    for word in before[-1:] + after[:1]:
        word = word.strip(_PUNCT).lower()
        if not word:
            continue
        if any(map(str.isdigit, word)) or lex.get(word, 0) & gz.NUMBER or word == "dash":
            return True
    return False
