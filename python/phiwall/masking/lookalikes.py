"""Text in a request that already looks like a token.

A caller may type "[NAME_1]", and a model's unknown token comes back into the
history as written. Left alone, it would collide with the token phiwall gives a
real value and come back rehydrated as that value. So each lookalike is masked
like a detected value: it gets a token of its own, which rehydrates to the
literal text. The shape is the one `Rehydrator` recognises: a label of A-Z words
joined by "_" in any case, a number without leading zeros, and up to two spaces
inside either bracket.
"""

from __future__ import annotations

import re

_LOOKALIKE = re.compile(r"\[ {0,2}([A-Za-z]+(?:_[A-Za-z]+)*)_[1-9][0-9]* {0,2}\]")


def find(text: str) -> list[tuple[int, int, str]]:
    """`(start, end, LABEL)` of each token lookalike in `text`.

    Cost: one C scan for "[", and a regex scan only when there is one.
    """
    if "[" not in text:
        return []
    return [(m.start(), m.end(), m.group(1).upper()) for m in _LOOKALIKE.finditer(text)]
