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

    Returns the indices of the scans that gained occurrences. Cost: O(1) per
    scan already searched for `needles`; otherwise C searches for the missing
    needles only. Afterwards a scan's `occurrences` may also hold needles of
    another conversation (outside `needles`): callers filter.
    """
    grown: list[int] = []
    if not needles:
        return grown
    # The texts of one conversation share their `searched` object: grouped by
    # it, each group costs one set operation and one batched search.
    groups: dict[int, list[int]] = {}
    for index, scan in enumerate(scans):
        searched = scan.searched
        if searched is not needles:
            group = groups.get(id(searched))
            if group is None:
                groups[id(searched)] = [index]
            else:
                group.append(index)
    for indices in groups.values():
        searched = scans[indices[0]].searched
        missing = needles - searched if searched else needles
        if not missing:
            # Searched for as much or more: share `needles` if equal, for the O(1) test.
            after = needles if len(searched) == len(needles) else searched
            for index in indices:
                scans[index].searched = after
            continue
        subset = searched <= needles
        keep_old = not subset and len(searched) + len(missing) <= MAX_SEARCHED
        after = searched | missing if keep_old else needles
        found = find_in_many([texts[i] for i in indices], missing)
        for position, index in enumerate(indices):
            scan = scans[index]
            scan.searched = after
            if not (subset or keep_old):
                # Another conversation's needles: forget them, to keep the bound.
                scan.occurrences = tuple(o for o in scan.occurrences if o[2] in needles)
            occurrences = found.get(position)
            if occurrences:
                scan.occurrences += tuple(occurrences)
                grown.append(index)
    return grown
