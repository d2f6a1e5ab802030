"""The known-value sweep: find every known value in every text, incrementally.

A `Scan` remembers which needles its text was searched for, so a turn that
resends the history searches old texts only for values new in this turn and
new texts for all values. Texts that need the same needles are searched
together (`matching.find_in_many`): one C search per needle over their joined
length.
"""

from __future__ import annotations

from collections.abc import Sequence

from phiwall.masking.cache import MAX_SEARCHED, Scan
from phiwall.masking.matching import find_in_many


def search(texts: Sequence[str], scans: Sequence[Scan], needles: frozenset[str]) -> list[int]:
    """Make `scans[i]` hold every boundary match of `needles` in `texts[i]`.

    Returns the indices of the scans that gained occurrences.
    Cost: O(1) per scan already searched for `needles`; otherwise C searches for
    the missing needles only. Afterwards each scan's `occurrences` may also hold
    needles outside `needles` (from another conversation): callers filter.
    """
    grown: list[int] = []
    if not needles:
        return grown
    todo: dict[frozenset[str], list[int]] = {}
    for index, scan in enumerate(scans):
        searched = scan.searched
        if searched is needles:
            continue
        missing = needles - searched if searched else needles
        if missing:
            todo.setdefault(missing, []).append(index)
        elif len(searched) != len(needles):
            continue  # searched for more than needles: nothing to add
        else:
            scan.searched = needles  # equal sets: share the object for the O(1) test
    for missing, indices in todo.items():
        found = find_in_many([texts[i] for i in indices], missing)
        for index, occurrences in zip(indices, found, strict=True):
            scan = scans[index]
            if occurrences:
                grown.append(index)
            if scan.searched <= needles:
                scan.searched = needles
                if occurrences:
                    scan.occurrences += tuple(occurrences)
            elif len(scan.searched) + len(missing) <= MAX_SEARCHED:
                scan.searched = scan.searched | missing
                if occurrences:
                    scan.occurrences += tuple(occurrences)
            else:  # another conversation's needles: forget them, keep the bound
                kept = tuple(o for o in scan.occurrences if o[2] in needles)
                scan.searched = needles
                scan.occurrences = kept + tuple(occurrences)
    return grown
