"""The final assertion: no known value remains in the outgoing model-visible text.

It re-reads the request about to be forwarded, as the model would read it
(`walk`, `units`: JSON re-parsed), and looks for every needle with the same
rule as the sweep (`matching`). A match is allowed only inside a token of the
table (a value such as "1" occurs in "[NAME_1]"). Results are memoized per text
like the sweep's, so a resent history costs a dict lookup per text.
"""

from __future__ import annotations

from typing import Any

from phiwall.errors import MaskingFailed
from phiwall.masking import units, walk
from phiwall.masking.cache import Scan, ScanCache, cache_key
from phiwall.masking.matching import fold
from phiwall.masking.sweep import search


def assert_no_leak(
    body: dict[str, Any], needles: dict[str, str], needle_set: frozenset[str], cache: ScanCache
) -> None:
    """Raise `MaskingFailed` if a value of `needles` occurs in `body`'s model-visible text.

    `needles` maps each needle to its token; `needle_set` is its key set.
    The message names the field and the label, never the value.
    """
    if not needles:
        return
    slots = walk.slots(body)
    pieces, _ = units.expand(slots)
    keys = [cache_key(unit.view) for unit in pieces]
    scans: list[Scan] = []
    for key in keys:
        scan = cache.get(key)
        if scan is None:
            scan = Scan()
            cache.keep(key, scan)
        scans.append(scan)
    for index in search([unit.view for unit in pieces], scans, needle_set):
        cache.keep(keys[index], scans[index])
    cores: list[str] | None = None
    for unit, scan in zip(pieces, scans, strict=True):
        for start, end, needle in scan.occurrences:
            token = needles.get(needle)
            if token is None:
                continue
            if cores is None:
                cores = [fold(t[1:-1]) for t in set(needles.values())]
                cores += [core.replace("_", " ") for core in cores]  # as name views read
            if not _inside_token(fold(unit.view), start, end, cores):
                field = ".".join(str(step) for step in slots[unit.slot].path)
                label = token[1:].rsplit("_", 1)[0]
                raise MaskingFailed(f"masked request still holds a {label} value in {field}")


def _inside_token(folded: str, start: int, end: int, cores: list[str]) -> bool:
    """Whether `folded[start:end]` lies within a token core such as "name_1"."""
    for core in cores:
        at = folded.find(core, max(0, end - len(core)))
        while at != -1 and at <= start:
            after = at + len(core)
            if end <= after and not folded[after : after + 1].isdigit():
                return True
            at = folded.find(core, at + 1)
    return False
