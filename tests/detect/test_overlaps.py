"""Overlap resolution: same answers as the obvious quadratic rules, in O(k log k)."""

from __future__ import annotations

import itertools
import random

from hypothesis import given
from hypothesis import strategies as st

from phiwall.detect.candidate import Candidate
from phiwall.detect.overlaps import drop_contained, greedy, select

cand = st.builds(
    lambda s, n, score: Candidate(s, s + n, "MRN", score),
    st.integers(0, 40),
    st.integers(0, 12),
    st.sampled_from([0.5, 0.6, 0.8, 0.9, 0.95]),
)


def slow_drop_contained(cands: list[Candidate], min_score: float) -> list[Candidate]:
    def inside(c: Candidate, k: Candidate) -> bool:
        return k.start <= c.start and c.end <= k.end and c.end - c.start < k.end - k.start

    return [c for c in cands if not any(inside(c, k) for k in cands if k.score >= min_score)]


def slow_greedy(ranked: list[Candidate]) -> list[Candidate]:
    kept: list[Candidate] = []
    for c in ranked:
        if c.end > c.start and all(c.end <= k.start or c.start >= k.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


@given(st.lists(cand, max_size=25))
def test_drop_contained_matches_definition(cands: list[Candidate]) -> None:
    assert drop_contained(cands, 0.8) == slow_drop_contained(cands, 0.8)


@given(st.lists(cand, max_size=25))
def test_greedy_matches_definition(cands: list[Candidate]) -> None:
    assert greedy(cands) == slow_greedy(cands)


@given(st.lists(cand, max_size=10))
def test_select_is_greedy_after_drop_contained(cands: list[Candidate]) -> None:
    ranked = sorted(cands, key=lambda c: (-c.score, c.start - c.end, c.start))
    assert select(ranked, 0.8) == slow_greedy(slow_drop_contained(ranked, 0.8))


def test_many_candidates_stay_fast() -> None:
    rng = random.Random(3)
    cands = [Candidate(i * 3, i * 3 + rng.randint(1, 9), "DATE", 0.9) for i in range(20_000)]
    kept = greedy(drop_contained(cands, 0.8))  # quadratic rules would take minutes here
    assert all(a.end <= b.start for a, b in itertools.pairwise(kept))
