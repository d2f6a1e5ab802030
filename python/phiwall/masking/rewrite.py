"""Choosing non-overlapping replacements in one text and applying them."""

from __future__ import annotations

from collections.abc import Iterable

from phiwall.masking.cache import DIGEST_ABOVE, Scan, Value
from phiwall.masking.matching import Occurrence


def rewrite(text: str, bare: bool, scan: Scan, needles: dict[str, str]) -> str:
    """`replace` on `text` with its scan's findings, memoized in the scan.

    A resent text whose findings map to the same tokens as last time gets the
    same output back (same object) for the cost of one tuple comparison. The
    memo is kept only for texts short enough to be cache keys themselves, so
    the cache's memory bound holds.
    """
    values = scan.values or ()
    occurrences = scan.occurrences
    memo = scan.memo
    if (
        memo is not None
        and memo[2] is occurrences
        and memo[1] is bare
        and memo[0] == text
        and tuple(map(needles.get, memo[3])) == memo[4]
    ):
        return memo[5]
    output = replace(text, values, occurrences, needles, bare)
    if len(text) <= DIGEST_ABOVE:
        keys = (*(value.key for value in values), *(o[2] for o in occurrences))
        scan.memo = (text, bare, occurrences, keys, tuple(map(needles.get, keys)), output)
    return output


def replace(
    text: str,
    values: Iterable[Value],
    occurrences: Iterable[Occurrence],
    needles: dict[str, str],
    bare: bool,
) -> str:
    """`text` with detected values and known-value occurrences replaced by tokens.

    `needles` maps a needle (and a value's key) to its token; occurrences of other
    needles are ignored. Overlaps resolve to the earliest start, then the longest
    ("Sarah Chen" wins over "Sarah" and over "Chen"), so a token is never split.
    With `bare`, tokens are written without brackets (`NAME_1`).
    Cost: O(k log k) for k candidates plus one pass to build the new string.
    """
    claims = [(value.start, -value.end, needles[value.key]) for value in values]
    for start, end, needle in occurrences:
        token = needles.get(needle)
        if token is not None:
            claims.append((start, -end, token))
    if not claims:
        return text
    claims.sort()
    pieces: list[str] = []
    position = 0
    for start, negative_end, token in claims:
        if start < position:
            continue  # overlaps the previous replacement
        pieces.append(text[position:start])
        pieces.append(token[1:-1] if bare else token)
        position = -negative_end
    pieces.append(text[position:])
    return "".join(pieces)
