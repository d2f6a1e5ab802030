"""The texts of a request that masking treats one by one.

A `walk.Slot` is one field; a JSON slot whose text parses is expanded into one
`Unit` per leaf (`jsontext`), every other slot is one `Unit`. The string leaves
of one JSON slot form a group, detected together in one detector call (each
read after its key as context); their cache keys name the slot's text and the
leaf's position, so what is cached is a function of the key alone.
"""

from __future__ import annotations

from typing import Any

import msgspec

from phiwall.masking import jsontext, walk
from phiwall.masking.cache import DIGEST_ABOVE, CacheKey, cache_key

#: A name field "Sarah_Chen" is read as "Sarah Chen" (same length, same positions).
NAME_VIEW = str.maketrans("_-", "  ")


class Unit(msgspec.Struct, frozen=True):
    """One text to mask.

    Detection, sweep and check read `view` (after `hint`, for context); tokens
    replace positions of `text` (same length). `bare`: tokens without brackets.
    `slot` is the index of its `walk.Slot`; `leaf` is set for JSON leaves, and
    `group` (the slot index) for the JSON leaves detected together.
    """

    text: str
    view: str
    hint: str
    bare: bool
    slot: int
    leaf: jsontext.Leaf | None
    #: The detection cache key: `cache.cache_key(view)`, or `("json", document key,
    #: position)` for a JSON leaf; None for texts not detected.
    key: CacheKey | None
    #: False for `walk.SWEEP` texts: only known values are replaced there.
    detect: bool = True
    group: int = -1


def expand(slots: list[walk.Slot]) -> tuple[list[Unit], dict[int, Any]]:
    """The units of `slots`, and the parsed document of each JSON slot by index.

    Cost: one msgspec decode per JSON-looking slot, O(leaves) after that.
    """
    units: list[Unit] = []
    docs: dict[int, Any] = {}
    for index, slot in enumerate(slots):
        kind, text = slot.kind, slot.text
        doc = jsontext.parse(text) if kind == walk.JSON else None
        if doc is None:
            if kind == walk.NAME:
                view = text.translate(NAME_VIEW)
                units.append(Unit(text, view, "", True, index, None, cache_key(view)))
            elif kind == walk.SWEEP:
                units.append(Unit(text, text, "", False, index, None, None, False))
            else:
                short = len(text) <= DIGEST_ABOVE  # `cache_key` inlined: hot
                units.append(
                    Unit(text, text, "", False, index, None, text if short else cache_key(text))
                )
            continue
        docs[index] = doc
        document = cache_key(text)
        for position, leaf in enumerate(jsontext.leaves(doc)):
            if leaf.is_key:  # swept, not detected (see `jsontext`)
                units.append(Unit(leaf.text, leaf.text, "", False, index, leaf, None, False))
            else:
                key = ("json", document, position)
                units.append(
                    Unit(leaf.text, leaf.text, leaf.hint, False, index, leaf, key, True, index)
                )
    return units, docs
