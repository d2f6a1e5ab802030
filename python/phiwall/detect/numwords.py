"""Spoken number words to the characters they stand for.

`to_chars(["four", "double", "five", "nineteen", "eighty", "five"])` -> "4551985". People read
IDs digit by digit, in pairs ("ninety nine eighty nine") or as hundreds ("one hundred
twelve"); all of those become the digits a keyboard would have produced. Single letters stay
letters, digit strings stay as they are, joiners ("dash") and unknown words are dropped.
Cost: linear in the number of words. Never raises.

Public API (stable): `to_chars(words)`, `count_chars(words)`.
"""

from __future__ import annotations

from collections.abc import Sequence

from phiwall.detect.lexicon import DIGITS, REPEATS, TEENS, TENS

# Words that stand for exactly one character: the common case of a value read digit by digit.
_SINGLE: dict[str, str] = {w: str(d) for w, d in DIGITS.items()}
_SINGLE.update({c: c for c in "abcdefghijklmnpqrstuvwxyz0123456789"})  # "o" stays zero
_SINGLE_WORDS = frozenset(_SINGLE)
_COMPOUND = frozenset(TEENS) | frozenset(TENS) | frozenset(REPEATS) | {"hundred", "thousand"}


def to_chars(words: Sequence[str]) -> str:
    """Return the digits and letters `words` spell, e.g. ["oh", "double", "seven"] -> "077"."""
    if _SINGLE_WORDS.issuperset(words):  # digit by digit, the usual case: all in C
        return "".join(map(_SINGLE.__getitem__, words))
    if _COMPOUND.isdisjoint(words):  # single characters and a few other words
        return "".join([_SINGLE.get(w, w if w.isdigit() else "") for w in words])
    out: list[str] = []
    i, n = 0, len(words)
    while i < n:
        w = words[i]
        if w in REPEATS and i + 1 < n and words[i + 1] in DIGITS:
            out.append(str(DIGITS[words[i + 1]]) * REPEATS[w])
            i += 2
            continue
        if w in DIGITS or w in TEENS or w in TENS:
            value, i = _small_number(words, i)
            out.append(value)
            continue
        if w.isdigit() or (len(w) == 1 and w.isalpha()):
            out.append(w)
        i += 1
    return "".join(out)


def _small_number(words: Sequence[str], i: int) -> tuple[str, int]:
    """Read one number starting at `words[i]`: digit, teen, tens(+digit), or hundreds/thousands.

    Returns the digits and the index after the words consumed.
    """
    n = len(words)
    w = words[i]
    if w in DIGITS:
        d = DIGITS[w]
        if i + 1 < n and words[i + 1] == "hundred" and d > 0:
            rest, j = _below_hundred(words, i + 2)
            return str(d * 100 + int(rest or 0)).rjust(3, "0"), j
        if i + 1 < n and words[i + 1] == "thousand" and d > 0:
            j = i + 2
            if j < n and words[j] == "and":
                j += 1
            rest, j = _below_hundred(words, j)
            return str(d * 1000 + int(rest or 0)), j
        return str(d), i + 1
    value, j = _below_hundred(words, i)
    return value, j


def _below_hundred(words: Sequence[str], i: int) -> tuple[str, int]:
    """Read a teen, a tens word with an optional digit, or a single digit; "" if none."""
    n = len(words)
    if i < n and words[i] == "and":
        i += 1
    if i >= n:
        return "", i
    w = words[i]
    if w in TEENS:
        return str(TEENS[w]), i + 1
    if w in TENS:
        nxt = words[i + 1] if i + 1 < n else ""
        if nxt in DIGITS and DIGITS[nxt] > 0:
            return str(TENS[w] + DIGITS[nxt]), i + 2
        return str(TENS[w]), i + 1
    if w in DIGITS:
        return str(DIGITS[w]), i + 1
    return "", i


def count_chars(words: Sequence[str]) -> tuple[int, int]:
    """Return (digits, letters) in what `words` spell."""
    chars = to_chars(words)
    digits = sum(c.isdigit() for c in chars)
    return digits, len(chars) - digits
