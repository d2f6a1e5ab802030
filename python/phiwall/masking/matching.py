"""The matching rule shared by the known-value sweep and the leak check.

A value occurs in a text where its folded form equals the folded text at that
position and the match does not split a run of letters or digits: "Ann" occurs
in "Ann," and "[Ann]" but not in "Annual" or "JoAnn", and "2671" does not occur
in "55526710". Sweep and check use this one function, so everything the check
would call a leak the sweep has already replaced.

Folding is `str.lower` kept to the same length (so positions in the folded text
are positions in the original): "Sarah Chen" and "SARAH CHEN" match, "Chén" and
"Chen" do not.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Sequence
from itertools import accumulate, repeat
from operator import add

from phiwall._native import find_boundary_matches, find_boundary_matches_per_text

#: Joins texts for one batched search; not alphanumeric, so a text edge is a boundary.
SEPARATOR = "\x00"

#: An occurrence: `(start, end, needle)` in one text's coordinates.
Occurrence = tuple[int, int, str]


def fold(text: str) -> str:
    """Lowercase `text` without changing its length.

    O(len(text)) in C for ASCII text and almost all other text; a Python loop
    only for the rare text whose lowercase is longer (such as "İ").
    """
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


def normalize(value: str) -> str:
    """The identity of a value: folded, whitespace runs as one space, stripped.

    Values equal after `normalize` share one token ("Sarah  Chen", "sarah chen").
    """
    return " ".join(fold(value).split())


def is_boundary_match(folded: str, start: int, end: int) -> bool:
    """Whether `folded[start:end]` does not split a run of letters or digits."""
    if start > 0 and folded[start - 1].isalnum() and folded[start].isalnum():
        return False
    return not (end < len(folded) and folded[end].isalnum() and folded[end - 1].isalnum())


def find_in(folded: str, needles: Collection[str]) -> list[Occurrence]:
    """Every boundary match of every needle in one folded text, needle by needle.

    Cost: one native `memmem` search per needle over the text (`_native`), plus a
    check per hit; text that UTF-8 cannot encode (a lone surrogate) is searched
    by `find_in_python`, the reference. Empty needles never match.
    """
    try:
        return find_boundary_matches(folded, list(needles))
    except UnicodeEncodeError:
        return find_in_python(folded, needles)


def find_in_python(folded: str, needles: Collection[str]) -> list[Occurrence]:
    """`find_in` in Python: one C substring search per needle, a check per hit."""
    found: list[Occurrence] = []
    for needle in needles:
        at = folded.find(needle) if needle else -1
        while at != -1:
            end = at + len(needle)
            if is_boundary_match(folded, at, end):
                found.append((at, end, needle))
            at = folded.find(needle, at + 1)
    return found


def find_in_many(texts: Sequence[str], needles: Collection[str]) -> dict[int, list[Occurrence]]:
    """`find_in(fold(texts[i]), needles)` for each text that has any, by index.

    The texts are joined and folded once, so the cost is one native search per
    needle over their total length instead of one call per (text, needle) pair;
    the native side also sorts the matches into their texts.
    """
    if not needles or not texts:
        return {}
    if len(texts) == 1:
        alone = find_in(fold(texts[0]), needles)
        return {0: alone} if alone else {}
    # Each text's start: C iterators, no Python-level loop over the texts.
    starts = list(accumulate(map(add, map(len, texts), repeat(len(SEPARATOR))), initial=0))
    hay = fold(SEPARATOR.join(texts))
    try:
        return find_boundary_matches_per_text(hay, list(needles), starts)
    except UnicodeEncodeError:
        pass
    found: dict[int, list[Occurrence]] = {}
    for at, end, needle in find_in_python(hay, needles):
        index = bisect_right(starts, at) - 1
        base = starts[index]
        if end - base <= len(texts[index]):  # a needle holding SEPARATOR may cross texts
            found.setdefault(index, []).append((at - base, end - base, needle))
    return found
