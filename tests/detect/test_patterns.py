"""The Hyperscan database: compiles, gives exact offsets, and its patterns are plain regex."""

from __future__ import annotations

import re

import pytest

from phiwall.detect import cues, patterns
from phiwall.detect.patterns import Kind


def kinds(text: str) -> set[tuple[str, str]]:
    return {(text[h.start : h.end], h.kind.name) for h in patterns.scan(text)}


def test_every_pattern_is_also_valid_python_re() -> None:
    for _, pattern in patterns.PATTERNS:
        re.compile(pattern, re.IGNORECASE)


def test_one_pattern_per_kind() -> None:
    assert sorted(k for k, _ in patterns.PATTERNS) == list(Kind)


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("call 415-555-2671 now", "415-555-2671", "PHONE"),
        ("it's sarah dot chen at gmail dot com", "at gmail dot com", "EMAIL_SPOKEN"),
        (
            "dob march third nineteen eighty five ok",
            "march third nineteen eighty five",
            "DATE_WORDS",
        ),
        ("m r n is six four zero six", "six four zero six", "SPOKEN_RUN"),
        ("ip 10.0.0.1 down", "10.0.0.1", "IPV4"),
    ],
)
def test_longest_match_with_exact_start(text: str, value: str, kind: str) -> None:
    assert (value, kind) in kinds(text)


def test_offsets_are_characters_not_bytes() -> None:
    text = "José 🙂 415-555-2671"
    (hit,) = [h for h in patterns.scan(text) if h.kind is Kind.PHONE]
    assert text[hit.start : hit.end] == "415-555-2671"


def test_plain_text_has_no_hits() -> None:
    assert patterns.scan("will the bill come in the mail or through the portal") == []


def test_cues_on_word_boundaries_longest_per_end() -> None:
    lower = "my card ending in 1151, mrn and dobby"
    found = [(lower[c.start : c.end], c.label) for c in cues.find(lower)]
    assert found == [("card ending", "ACCOUNT"), ("card ending in", "ACCOUNT"), ("mrn", "MRN")]


def test_scan_from_several_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    text = "call 415-555-2671 or four one five five five five two six seven one"
    expected = patterns.scan(text)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(patterns.scan, [text] * 200))
    assert all(r == expected for r in results)
