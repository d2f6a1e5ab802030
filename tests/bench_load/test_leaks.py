"""benches/load/leaks.py: finding raw PHI values in what the upstream received."""

from __future__ import annotations

from benches.load.leaks import LeakFinder, check_records, strings_of
from benches.load.patients import Phi

SARAH = Phi("Sarah Chen", "NAME")
MEI = Phi("Mei", "NAME")
ZIP = Phi("94110", "ZIP")


def test_values_are_found_only_between_word_boundaries() -> None:
    finder = LeakFinder([SARAH, MEI, ZIP])
    assert [phi for _, phi in finder.find("this is Sarah Chen.")] == [SARAH]
    assert finder.find("Meier lives at 941105") == []
    assert [start for start, _ in finder.find("Mei, 94110")] == [0, 5]
    assert finder.find("[NAME_1] at [ZIP_1]") == []


def test_an_empty_finder_finds_nothing() -> None:
    assert LeakFinder([]).find("Sarah Chen") == []


def test_strings_of_walks_keys_and_values() -> None:
    document = {"a": ["x", {"b": "y"}, 3, None], "c": "z"}
    assert list(strings_of(document)) == ["a", "x", "b", "y", "c", "z"]


def test_check_records_counts_leaks_with_context() -> None:
    records = [
        {"body": {"messages": [{"role": "user", "content": "hi [NAME_1]"}]}},
        {"body": {"messages": [{"role": "user", "content": "my zip is 94110 ok"}]}},
        {"body": None, "raw": "not json but Sarah Chen"},
    ]
    report = check_records(records, LeakFinder([SARAH, ZIP]))
    assert report.checked == 3
    assert report.by_label() == {"ZIP": 1, "NAME": 1}
    assert "ZIP '94110' in …my zip is 94110 ok…" in report.examples
