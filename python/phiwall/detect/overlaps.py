"""Overlap resolution for detection candidates, in O(k log k) for k candidates.

Tool results can carry thousands of values (a list of appointments, a call log), so nothing
here compares every candidate with every other, except for the handful an utterance has
(at most `_FEW`), where O(k^2) pairs cost less than sorting. All functions are pure and
never raise.
Public API (stable): `drop_contained`, `greedy`, `select` (both in one call).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from phiwall.detect.candidate import Candidate

_FEW = 6  # up to this many candidates, pairwise checks beat sorting and bisection


def drop_contained(cands: list[Candidate], min_score: float) -> list[Candidate]:
    """Drop every candidate strictly inside a longer one scoring at least `min_score`.

    "Strictly inside" means within its bounds and shorter. Order of `cands` is kept.
    """
    if len(cands) <= _FEW:  # the usual handful: compare pairs, no sorting or bisection
        return [c for c in cands if not _inside_any(c, cands, min_score)]
    containers = sorted((c for c in cands if c.score >= min_score), key=_by_start_longest)
    if not containers:
        return cands
    starts = [k.start for k in containers]
    reach: list[int] = []  # reach[i]: the furthest end among containers[0..i]
    furthest = -1
    for k in containers:
        furthest = max(furthest, k.end)
        reach.append(furthest)
    kept: list[Candidate] = []
    for c in cands:
        before = bisect.bisect_left(starts, c.start)  # containers starting strictly before c
        if before and reach[before - 1] >= c.end:
            continue
        # of the containers starting where c starts, the longest comes first
        same = containers[before] if before < len(containers) else None
        if same is not None and same.start == c.start and same.end > c.end:
            continue
        kept.append(c)
    return kept


def greedy(ranked: Iterable[Candidate]) -> list[Candidate]:
    """Keep each candidate of `ranked` (best first) that overlaps none kept before it.

    Returns the kept candidates sorted by start. Empty candidates are skipped.
    """
    kept: list[Candidate] = []
    starts: list[int] = []
    for c in ranked:
        if c.end <= c.start:
            continue
        i = bisect.bisect_left(starts, c.start)
        if i and kept[i - 1].end > c.start:
            continue  # overlaps the kept value starting before it
        if i < len(kept) and kept[i].start < c.end:
            continue  # overlaps the kept value starting at or after it
        kept.insert(i, c)
        starts.insert(i, c.start)
    return kept


def select(ranked: list[Candidate], min_score: float) -> list[Candidate]:
    """`greedy(drop_contained(ranked, min_score))`: `ranked` best first, result by start.

    For the handful of candidates an utterance has (at most `_FEW`) this is one pass with
    pairwise checks and a sort of the few kept; larger inputs take the O(k log k) route.
    """
    if len(ranked) > _FEW:
        return greedy(drop_contained(ranked, min_score))
    kept: list[Candidate] = []
    for c in ranked:
        if c.end <= c.start or _inside_any(c, ranked, min_score):
            continue
        for k in kept:
            if k.start < c.end and c.start < k.end:
                break  # overlaps a better value already kept
        else:
            kept.append(c)
    if len(kept) > 1:
        kept.sort(key=_start)  # kept values never share a start: they would overlap
    return kept


def _start(c: Candidate) -> int:
    """Sort key: the start offset."""
    return c.start


def _inside_any(c: Candidate, cands: list[Candidate], min_score: float) -> bool:
    """True if some candidate scoring at least `min_score` holds `c` and is longer."""
    for k in cands:
        if (
            k.start <= c.start
            and c.end <= k.end
            and k.end - k.start > c.end - c.start
            and k.score >= min_score
        ):
            return True
    return False


def _by_start_longest(c: Candidate) -> tuple[int, int]:
    return (c.start, -c.end)
