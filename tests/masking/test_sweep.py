"""`phiwall.masking.sweep`: incremental search gives what a fresh search gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from phiwall.masking.cache import Scan
from phiwall.masking.matching import find_in, fold
from phiwall.masking.sweep import search

texts = st.lists(st.text(alphabet="an 1.", max_size=10), min_size=1, max_size=5)
needle_sets = st.lists(
    st.frozensets(st.sampled_from(["an", "a", "n 1", "1", "na"]), max_size=4), max_size=5
)


@given(texts, needle_sets)
def test_searching_turn_after_turn_finds_what_one_search_finds(
    texts: list[str], needle_sets: list[frozenset[str]]
) -> None:
    scans = [Scan() for _ in texts]
    for needles in needle_sets:  # needles may grow, shrink or change, as across calls
        search(texts, scans, needles)
        for text, scan in zip(texts, scans, strict=True):
            current = {o for o in scan.occurrences if o[2] in needles}
            assert current == set(find_in(fold(text), needles))
            if needles:
                assert scan.searched >= needles


def test_a_scan_searched_for_these_needles_costs_nothing_more() -> None:
    scan = Scan()
    needles = frozenset({"ann"})
    assert search(["ann"], [scan], needles) == [0]
    assert scan.searched is needles
    before = scan.occurrences
    assert search(["ann"], [scan], needles) == []
    assert scan.occurrences is before
