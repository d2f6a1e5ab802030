"""`phiwall.masking.matching`: the one rule for "a value occurs in a text"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phiwall.masking.matching import find_in, find_in_many, find_in_python, fold, normalize

OCCURS = [
    ("ann", "ann", True),
    ("ann,", "ann", True),
    ("[ann]", "ann", True),
    ("ann_smith", "ann", True),  # "_" is not a letter: name fields read "ann smith"
    ("annual", "ann", False),
    ("joann", "ann", False),
    ("ann2", "ann", False),
    ("2ann", "ann", False),
    ("55526710", "2671", False),
    ("555-2671.", "2671", True),
    ("(415) 555", "(415)", True),
    ("x(415)y", "(415)", True),  # a needle edge that is not alphanumeric needs no boundary
    ("josé", "jos", False),
    ("ann\x00x", "ann", True),
]


@pytest.mark.parametrize(("text", "needle", "occurs"), OCCURS)
def test_a_match_never_splits_a_run_of_letters_or_digits(
    text: str, needle: str, occurs: bool
) -> None:
    assert bool(find_in(text, [needle])) is occurs


def test_find_in_reports_every_position_of_every_needle() -> None:
    found = find_in("ann and ann, annual ann", ["ann", "and"])
    assert sorted(found) == [(0, 3, "ann"), (4, 7, "and"), (8, 11, "ann"), (20, 23, "ann")]


FOLDS = [
    ("Sarah CHEN", "sarah chen"),
    ("JOSÉ", "josé"),
    ("İstanbul", "İstanbul"),  # lowercase is two characters: kept, so positions hold
    ("Straße", "straße"),
]


@pytest.mark.parametrize(("text", "folded"), FOLDS)
def test_fold_lowercases_without_changing_length(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    ("value", "key"),
    [("Sarah Chen", "sarah chen"), ("  SARAH\t\nchen ", "sarah chen"), ("415 555", "415 555")],
)
def test_normalize_is_case_and_spacing_blind(value: str, key: str) -> None:
    assert normalize(value) == key


texts = st.lists(st.text(alphabet="aAnN 1_.\x00İ\ud800", max_size=12), max_size=6)
needles = st.lists(st.sampled_from(["ann", "an", "n 1", "1", "a.", "n\x00a"]), max_size=4)


@given(texts, needles)
def test_the_batched_search_equals_one_search_per_text(texts: list, needles: list) -> None:
    for batch in (texts, [text * 50 for text in texts]):  # short and long texts
        found = find_in_many(batch, needles)
        assert [sorted(found.get(i, [])) for i in range(len(batch))] == [
            sorted(find_in(fold(text), needles)) for text in batch
        ]


@given(
    st.text(alphabet="an 1.é²ǅ_\ud800", max_size=30),
    st.lists(st.text(alphabet="an 1é²ǅ", max_size=3), max_size=5),
)
def test_the_native_search_equals_the_python_reference(text: str, needles: list) -> None:
    for hay in (text, text * 30):  # short texts and long ones are searched differently
        assert find_in(hay, needles) == find_in_python(hay, needles)
