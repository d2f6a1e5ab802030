"""The engine and `detect`: contract, thresholds, overlap rule, finder plug-in."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phiwall.detect import LABELS, Span, detect, engine, native
from phiwall.detect.candidate import Candidate


def test_resolve_prefers_score_then_length_then_start() -> None:
    cands = [
        Candidate(0, 10, "PHONE", 0.6),
        Candidate(5, 20, "EMAIL", 0.9),  # higher score wins the overlap
        Candidate(20, 25, "ZIP", 0.8),
        Candidate(20, 30, "MRN", 0.8),  # same score: longer wins
        Candidate(40, 45, "SSN", 0.7),
        Candidate(40, 45, "MRN", 0.7),  # full tie: label order decides (SSN before MRN)
    ]
    assert engine.resolve(cands) == [
        Span(5, 20, "EMAIL"),
        Span(20, 30, "MRN"),
        Span(40, 45, "SSN"),
    ]


def test_resolve_is_independent_of_input_order() -> None:
    cands = [Candidate(0, 4, "ZIP", 0.8), Candidate(2, 6, "MRN", 0.8), Candidate(6, 9, "IP", 0.5)]
    assert engine.resolve(cands) == engine.resolve(list(reversed(cands)))


def test_threshold_per_label(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(engine.THRESHOLDS, "NAME", 0.7)
    cands = [Candidate(0, 4, "NAME", 0.65), Candidate(5, 9, "ZIP", 0.65)]
    assert engine.resolve(cands) == [Span(5, 9, "ZIP")]


def test_empty_candidates_are_dropped() -> None:
    assert engine.resolve([Candidate(3, 3, "NAME", 1.0)]) == []


def test_text_finders_plug_in(monkeypatch: pytest.MonkeyPatch) -> None:
    def finder(text: str) -> list[Candidate]:
        i = text.find("Chen")
        return [Candidate(i, i + 4, "NAME", 0.8)] if i >= 0 else []

    monkeypatch.setattr(engine, "NATIVE", False)
    monkeypatch.setattr(engine, "FINDERS", [finder])
    text = "This is Chen, call 415-555-2671."
    assert detect(text) == [Span(8, 12, "NAME"), Span(19, 31, "PHONE")]


def test_indices_are_python_str_indices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "NATIVE", False)
    monkeypatch.setattr(engine, "FINDERS", [])
    text = "Señora Muñoz 🙂, born 7/20/95, email josé@example.com"
    spans = detect(text)
    assert [text[s.start : s.end] for s in spans] == ["7/20/95", "josé@example.com"]


def test_no_trigger_no_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "NATIVE", False)
    monkeypatch.setattr(engine, "FINDERS", [])
    assert detect("") == []
    assert detect("okay will the bill come in the mail or through the portal") == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "my",
                "dob",
                "is",
                "four",
                "one",
                "oh",
                "double",
                "five",
                "uh",
                "at",
                "dot",
                "com",
                "march",
                "third",
                "415-555-2671",
                "7/20/95",
                "é",
                "🙂",
                "slash",
                "member",
                "id",
                "x",
                "12",
                "the",
                "of",
                ",",
                "sarah",
                "gmail",
                "mrn",
                "a",
            ]
        ),
        max_size=30,
    ),
    st.sampled_from([" ", "  ", ", "]),
)
def test_contract_holds_for_any_text(words: list[str], sep: str) -> None:
    text = sep.join(words)
    spans = detect(text)
    assert all(isinstance(s, Span) and s.label in LABELS for s in spans)
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_confident_container_beats_higher_scored_part() -> None:
    cands = [
        Candidate(5, 10, "NAME", 0.95),  # "sarah" inside the spoken email
        Candidate(5, 36, "EMAIL", 0.9),
        Candidate(40, 44, "NAME", 0.9),
        Candidate(38, 50, "URL", 0.6),  # not confident: does not swallow the name
    ]
    assert engine.resolve(cands) == [Span(5, 36, "EMAIL"), Span(40, 44, "NAME")]


def test_a_place_from_a_text_finder_cues_the_zip_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def places(text: str) -> list[Candidate]:
        i = text.find("linn creek")
        return [Candidate(i, i + 10, "LOCATION", 0.9)] if i >= 0 else []

    monkeypatch.setattr(engine, "NATIVE", False)
    monkeypatch.setattr(engine, "FINDERS", [places])
    text = "jasmine path linn creek six five zero um five two"
    assert [(text[s.start : s.end], s.label) for s in detect(text)] == [
        ("linn creek", "LOCATION"),
        ("six five zero", "ZIP"),
        ("five two", "ZIP"),
    ]
    assert [s.label for s in detect("we drove to linn creek two days ago")] == ["LOCATION"]


@pytest.mark.parametrize(
    ("text", "street", "zip_code"),
    [
        ("I've updated your address to 250 Oak Street, 64202.", "250 Oak Street", "64202"),
        (
            "I've updated your address to 250 Oak Ridge Drive, 64202.",
            "250 Oak Ridge Drive",
            "64202",
        ),
        ("Mail it to 12 Main Street 02139 please", "12 Main Street", "02139"),
        ("we moved to 7 Elm Street, 53232 last week", "7 Elm Street", "53232"),
    ],
)
def test_a_street_line_cues_the_zip_after_it_whatever_its_last_word(
    text: str, street: str, zip_code: str
) -> None:
    """A cue phrase inside a found value ("street" in "250 Oak Street") is part of the value,
    so it cannot block the value's own cue for the ZIP right after it."""
    found = [(text[s.start : s.end], s.label) for s in detect(text)]
    assert (street, "ADDRESS") in found
    assert (zip_code, "ZIP") in found


def test_ascii_text_goes_to_the_native_detector_and_the_rest_to_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []
    real = native.detector()

    class Spy:
        def spans_from_reports(self, text: str, reports: list[tuple[int, int, int]]) -> object:
            seen.append(text)
            return real.spans_from_reports(text, reports)

    monkeypatch.setattr(native, "detector", Spy)
    ascii_text = "This is Sarah Chen, born 3/4/1985."
    other = "This is José Chen, born 3/4/1985."
    assert [s.label for s in engine.spans(ascii_text)] == ["NAME", "DATE"]
    assert [s.label for s in engine.spans(other)] == ["NAME", "DATE"]
    assert seen == [ascii_text]
