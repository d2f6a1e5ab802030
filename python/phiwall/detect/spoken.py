"""Values said as words: "four one five five five five two six seven one", "p a two six oh",
"one forty nine dot two hundred dot ...", "twelve fourteen twenty four".

Hyperscan finds each run of number words, digit groups, single letters and spoken joiners
(`patterns.Kind.SPOKEN_RUN`); a filler ("uh") ends a run, so the fragments of a value broken
by a filler arrive as separate runs and become separate spans, as the eval conventions ask.
`on_run` trims each run, reads its characters (`numwords.to_chars`) and labels it from the
cue before it, from the value it continues, or, without either, from its shape:
four spoken octets are an IP address, "slash"/"on" plus a calendar-valid reading is a date,
seven or more characters are an identifier. NATO words right before a run belong to an
identifier its cue labels ("member id is alpha bravo one two three"). Short uncued
numbers — times, doses, ages, prices — are left alone. Cost: O(words in the run). Never raises.
"""

from __future__ import annotations

import re

from phiwall.detect import validators
from phiwall.detect.candidate import Candidate
from phiwall.detect.context import Context
from phiwall.detect.dates import numeric_date
from phiwall.detect.lexicon import DIGITS, JOINERS, NATO, REPEATS, RESTARTS, TEENS, TENS
from phiwall.detect.numwords import to_chars
from phiwall.detect.scores import CUED, GUESS, ID_LABELS, SHAPED, UNITS, VALIDATED

_TOKEN = re.compile(r"[a-z]+|\d+")
_NUMBER = frozenset(DIGITS) | frozenset(TEENS) | frozenset(TENS) | {"hundred", "thousand"}
_NUMBER |= frozenset(REPEATS)
_EDGE_JUNK = JOINERS | {"and", "a", "i"}
# Fewest digits a cued value needs on its own ("i'll call you back at three thirty" is a
# time; "the last four of my social are ..." is an SSN fragment).
_MIN_DIGITS = {"SSN": 3, "PHONE": 6, "ZIP": 5}
_SCALES = frozenset({"hundred", "thousand"})
_DASHES = frozenset({"dash", "hyphen"})
_NOTHING: frozenset[str] = frozenset()
_SHORTEST_UNCUED = 9  # chars of the shortest run kept without a cue ("on one two two")
_ON_BEFORE = re.compile(r"\bon (?:the )?$")
_NATO = frozenset(NATO)
_MAX_NATO = 8  # NATO words read back before a run ("alpha bravo one two three")

Token = tuple[int, int, str]


def on_run(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """Label the spoken run `text[start:end]` (split at a bare "and") and emit its values."""
    if end - start < _SHORTEST_UNCUED and not ctx.cues and not ctx.chained(start):
        return  # "one", "oh", "two ten": nothing uncued this short is PHI
    lower = ctx.lower
    start = ctx.cue_inside(start, end)  # "member i d w three ...": the cue is not the value
    tokens = _tokens(lower, start, end)
    if tokens and lower[end : end + 1] == "'":
        tokens.pop()  # "... six i'm": the "i" belongs to the next word
    if tokens and lower[tokens[0][0] - 1 : tokens[0][0]] == "'":
        del tokens[0]  # "it's four ...": the "s" belongs to the word before
    keep_joiner = bool(tokens) and ctx.chained(tokens[0][0])  # "nine slash ten uh slash oh one"
    if lower.find("and", start, end) < 0:  # no "and" at all (one C-level search): no split
        _one(ctx, _trim(tokens, keep_joiner), out)
        return
    group: list[Token] = []
    for tok in tokens:
        if tok[2] == "and" and group and group[-1][2] not in ("hundred", "thousand"):
            _one(ctx, _trim(group, keep_joiner), out)
            group, keep_joiner = [], False
        else:
            group.append(tok)
    _one(ctx, _trim(group, keep_joiner), out)


def _tokens(lower: str, start: int, end: int) -> list[Token]:
    """The words of `lower[start:end]` with their offsets (one C-level find per word)."""
    tokens: list[Token] = []
    pos = start
    for word in _TOKEN.findall(lower, start, end):
        pos = lower.find(word, pos)
        tokens.append((pos, pos + len(word), word))
        pos += len(word)
    return tokens


def _trim(tokens: list[Token], keep_joiner: bool = False) -> list[Token]:
    """Drop joiners, "and", a stray "i" (or "a" not after a number) from both ends, and a
    trailing "a m"/"p m"; `keep_joiner` keeps a leading joiner that continues a split value.
    A short run ending in "a m"/"p m" is a clock time and trims to nothing."""
    lo, hi = 0, len(tokens)
    while hi > lo:
        w = tokens[hi - 1][2]
        if w == "m" and hi - 2 >= lo and tokens[hi - 2][2] in ("a", "p"):
            if hi - 2 - lo <= 3:
                return []  # "seven fifteen a m"
            hi -= 2
        elif w in _EDGE_JUNK and not (w == "a" and hi - 2 >= lo and tokens[hi - 2][2] in _NUMBER):
            hi -= 1
        else:
            break
    joiners = _NOTHING if keep_joiner else JOINERS
    while lo < hi and (tokens[lo][2] in joiners or tokens[lo][2] in ("and", "i")):
        lo += 1
    return tokens[lo:hi]


def _one(ctx: Context, tokens: list[Token], out: list[Candidate]) -> None:
    """Decide one trimmed run: emit at most one candidate."""
    words = [t[2] for t in tokens]
    if _NUMBER.isdisjoint(words) and not _dashed_digits(words):
        return
    start, end = tokens[0][0], tokens[-1][1]
    spelled = _nato_before(ctx.lower, start)
    label = ctx.label_for(spelled) if spelled < start else None
    if label in ID_LABELS:
        # "member id is [alpha bravo one two three]", "my mrn is [kilo seven seven two]"
        ctx.emit(out, spelled, end, label, CUED)
        return
    label = ctx.label_for(start)
    if label is None and len(words) < 3:
        return  # uncued values are at least three words long ("on one two two")
    if ctx.word_after(end) in UNITS:
        return
    if (words.count("dot") == 3 or words.count("point") == 3) and _is_ip(words):
        ctx.emit(out, start, end, "IP", VALIDATED)
        return
    chars = to_chars(words)
    digits = sum(map(str.isdigit, chars))
    letters = len(chars) - digits
    chained = ctx.chained(start)
    if label == "DATE":
        if len(chars) == 4 and chars[:2] in ("19", "20") and not chained:
            return  # "born in nineteen eighty five": a year alone is not PHI
        if letters == 0 and (digits >= 3 or (chained and digits >= 2)) and digits <= 8:
            ctx.emit(out, start, end, "DATE", CUED)
    elif label in ("SSN", "PHONE", "ZIP"):
        if letters == 0 and _enough_digits(ctx, label, start, end, digits, chained):
            ctx.emit(out, start, end, label, CUED)
    elif label in ID_LABELS:
        # two characters only as a fragment cut off by a restart ("c seven uh c seven two"),
        # fewer before a NATO word ("[one] echo golf four ..." of a Medicare number)
        if len(chars) >= 3 or _short_kept(ctx, end, len(chars), chained):
            ctx.emit(out, start, end, label, CUED)
    elif label is None:
        guess = _shape(ctx, start, words, chars, digits, letters)
        if guess is not None:
            ctx.emit(out, start, end, guess[0], guess[1])


def _short_kept(ctx: Context, end: int, length: int, chained: bool) -> bool:
    """Whether a cued identifier fragment of `length` < 3 characters ending at `end` is
    kept: two characters cut off by a restart or chained, or any before a NATO word."""
    after = ctx.word_after(end)
    if length == 2 and (chained or after in RESTARTS):
        return True
    return after in _NATO and ctx.lower[end : end + 1] == " "


def _nato_before(lower: str, start: int) -> int:
    """Where the NATO words said right before a run at `start` begin, each one space apart
    ("[alpha bravo] one two three"), or `start` if none; at most `_MAX_NATO` words. They
    are part of an identifier its cue labels ("member id is alpha bravo ..."); "november",
    "mike" are months and names elsewhere. Reads the words backwards."""
    first = start
    for _ in range(_MAX_NATO):
        end = first - 1
        if end < 1 or lower[end] != " ":
            break
        s = end
        while s > 0 and "a" <= lower[s - 1] <= "z":
            s -= 1
        if lower[s:end] not in _NATO:
            break
        first = s
    return first


def _dashed_digits(words: list[str]) -> bool:
    """Digit groups joined by a spoken dash ("415 dash 555 dash 2671"): digits only, then a
    value like any other (formatted patterns read "415-555-2671", not this)."""
    return any(w in _DASHES for w in words) and all(w.isdigit() or w in _DASHES for w in words)


def _enough_digits(
    ctx: Context, label: str, start: int, end: int, digits: int, chained: bool
) -> bool:
    """True if `digits` are enough for a cued SSN, phone or ZIP.

    Fewer than `_MIN_DIGITS` pass for a fragment: one that continues the previous value,
    one cut off by a restart ("nine two eight three sorry nine two ..."), and a phone's
    area code or last four ("area code nine five nine", "ending in two eight seven one",
    "the last four of my phone are ...").
    """
    if digits >= _MIN_DIGITS[label] or (chained and digits >= 1):
        return True
    if digits >= 2 and ctx.word_after(end) in RESTARTS:
        return True
    if label == "PHONE" and digits in (3, 4):
        cue = ctx.cue_before(start)
        words = ("area", "end", "last")  # "area code", "ending in", "last four of my phone"
        return cue is not None and any(w in ctx.lower[cue.start : cue.end] for w in words)
    return False


def _shape(
    ctx: Context, start: int, words: list[str], chars: str, digits: int, letters: int
) -> tuple[str, float] | None:
    """Label and score for an uncued run by its shape alone, or None."""
    dated = "slash" in words or _ON_BEFORE.search(ctx.lower, max(0, start - 8), start)
    if dated and letters == 0 and 3 <= digits <= 8 and numeric_date(chars):
        return "DATE", CUED
    if letters == 0 and 6 <= digits <= 8 and chars[-4:-2] in ("19", "20") and numeric_date(chars):
        return "DATE", GUESS  # "twelve fourteen twenty twenty four": month, day, full year
    if letters and validators.mbi(chars):
        return "MEMBER_ID", SHAPED
    if letters == 0 and digits == 5 and len(words) >= 4 and not _SCALES.intersection(words):
        return "ZIP", SHAPED  # five digits said singly or in pairs: a ZIP after a city
    if letters == 0 and digits >= 7:
        return ("PHONE" if digits in (10, 11) else "MRN"), GUESS
    if letters and digits >= 4 and len(chars) >= 7:
        return "MEMBER_ID", GUESS
    return None


def _is_ip(words: list[str]) -> bool:
    """True if `words` are four spoken numbers 0-255 separated by "dot"."""
    octets: list[int] = []
    part: list[str] = []
    for w in [*words, "dot"]:
        if w not in ("dot", "point"):
            part.append(w)
            continue
        chars = to_chars(part)
        if not chars.isdigit() or len(chars) > 3:
            return False
        octets.append(int(chars))
        part = []
    return validators.ipv4(octets)
