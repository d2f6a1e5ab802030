"""Choosing non-overlapping replacements in one text and applying them."""

from __future__ import annotations

from collections.abc import Iterable

from phiwall.masking.cache import Value
from phiwall.masking.matching import Occurrence


def rewrite(
    text: str,
    bare: bool,
    values: Iterable[Value],
    occurrences: Iterable[Occurrence],
    needles: dict[str, str],
) -> str:
    """`text` with detected values and known-value occurrences replaced by tokens.

    `needles` maps a needle (and a value's key) to its token; every value and
    occurrence must have one (else `KeyError`). Overlaps resolve to the earliest
    start, then the longest ("Sarah Chen" wins over "Sarah" and over "Chen"), so a
    token is never split. With `bare`, tokens are written without brackets
    (`NAME_1`). Returns `text` itself when there is nothing to replace.
    Cost: O(k log k) for k candidates plus one pass to build the new string.
    """
    claims = [(value.start, -value.end, needles[value.key]) for value in values]
    claims += [(start, -end, needles[needle]) for start, end, needle in occurrences]
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
