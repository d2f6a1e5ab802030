"""The gazetteer: shipped word lists, normalisation, and the word-aligned scan."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phiwall.detect import gazetteer as gz


@pytest.mark.parametrize(
    ("word", "has", "lacks"),
    [
        ("ximena", gz.FIRST, gz.COMMON),
        ("oyelaran", 0, gz.COMMON),
        ("nguyen", gz.LAST, gz.COMMON),
        ("will", gz.FIRST | gz.COMMON | gz.STOP, 0),
        ("grace", gz.FIRST | gz.COMMON, 0),
        ("springfield", gz.PLACE, gz.COMMON),
        ("cook county", gz.COUNTY, 0),
        ("texas", gz.STATE, 0),
        ("tx", gz.STATE_CODE, 0),
        ("drive", gz.SUFFIX, 0),
        ("apt", gz.UNIT, 0),
        ("um", gz.FILLER, 0),
        ("my name is", gz.NAME_STRONG, 0),
        ("march", gz.CALENDAR, 0),
        ("t", gz.INITIAL, 0),  # a middle initial may stand here
        ("a", 0, gz.INITIAL),  # the article and the pronoun never do
        ("i", 0, gz.INITIAL),
    ],
)
def test_lexicon_word_classes(word: str, has: int, lacks: int) -> None:
    flags = gz.lexicon().get(word, 0)
    assert flags & has == has
    assert not flags & lacks


def test_warm_builds_everything_once() -> None:
    gz.warm()
    gz.warm()
    assert gz._automaton.cache_info().currsize == 1
    assert gz.lexicon.cache_info().currsize == 1


def test_gazetteers_are_broad() -> None:
    lex = gz.lexicon()
    firsts = sum(1 for f in lex.values() if f & gz.FIRST)
    lasts = sum(1 for f in lex.values() if f & gz.LAST)
    places = sum(1 for f in lex.values() if f & gz.PLACE)
    assert firsts > 50_000
    assert lasts > 80_000
    assert places > 10_000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm Ana", " i m ana "),
        ("Dr. O\u2019Neil-Ruiz", " dr  o neil ruiz "),
        ("José Núñez", " jose nunez "),
        ("Nguyễn Thị Hoa", " nguyen thi hoa "),  # Latin Extended Additional (Vietnamese)
        ("", "  "),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert gz.normalize(text) == expected


@given(st.text())
def test_normalize_keeps_offsets(text: str) -> None:
    assert len(gz.normalize(text)) == len(text) + 2


def _phrases(text: str) -> list[str]:
    return [text[start:end] for start, end, _flags in gz.scan(text)]


def test_scan_reports_whole_words_only() -> None:
    # "Anderson" holds "and" and "son"; neither may be reported inside it.
    assert "and" not in [p.lower() for p in _phrases("Ms. Anderson called")]
    assert "Anderson" not in _phrases("Ms. Andersonville called")


def test_scan_reports_cues_names_and_multiword_places() -> None:
    text = "Hi, this is Ximena. I moved to Round Rock, in Cook County."
    phrases = _phrases(text)
    for expected in ("this is", "Ximena", "moved to", "Round Rock", "Cook County"):
        assert expected in phrases


def test_scan_reports_lone_letters_as_initials() -> None:
    # "maria" is an ordinary word, never scanned: the initial is where the NAME rule starts.
    assert _phrases("maria t lopez") == ["t", "lopez"]
    assert _phrases("i have a cat") == []


def test_scan_skips_ordinary_words() -> None:
    # "will" and "grace" are names too, but ordinary words are never scanned for.
    assert _phrases("grace will come") == []


@pytest.mark.parametrize(
    "text",
    [
        "the number on the card",  # a unit word is read only after a street suffix
        "the june visit",  # a month that is a rare name: no finder takes it alone
        "we will see",
    ],
)
def test_scan_skips_words_no_finder_starts_from(text: str) -> None:
    assert _phrases(text) == []


def test_words_that_end_a_name() -> None:
    lex = gz.lexicon()
    for word in ("went", "takes", "plate", "number"):
        assert lex[word] & gz.ENDS_NAME
        assert lex[word] & gz.LAST
    for word in ("smith", "marsh", "ward"):
        assert not lex[word] & gz.ENDS_NAME


@settings(deadline=None)  # the first example may build the gazetteers
@given(st.text())
def test_scan_offsets_are_word_boundaries(text: str) -> None:
    for start, end, flags in gz.scan(text):
        assert 0 <= start < end <= len(text)
        assert flags
        assert start == 0 or not text[start - 1].isalnum()
        assert end == len(text) or not text[end].isalnum()
