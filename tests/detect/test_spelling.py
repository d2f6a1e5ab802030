"""Spelled names: letter runs in every style, and the letter runs that are not names."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phiwall.detect import spelling


def found(text: str) -> list[str]:
    """The spelled-name values reported in `text` at the default threshold, in order."""
    return [text[c.start : c.end] for c in spelling.find(text) if c.score >= 0.5]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My last name is Neumann. N-E-U-M-A-N-N", ["N-E-U-M-A-N-N"]),
        ("I have your last name spelled v-e-g-a, is that correct?", ["v-e-g-a"]),
        ("my last name is ilori i l o r i and my first", ["ilori", "i l o r i"]),
        ("Stiles (S T I L E S) and my first name", ["Stiles", "S T I L E S"]),
        ("last name ratta it's r a t as in table t a born", ["r a t as in table t a"]),
        ("that's s as in sam a r a h", ["s as in sam a r a h"]),
        ("it's m i double l e r", ["m i double l e r"]),
        ("that's Sanabria, spelled SANABRIA, date of birth", ["SANABRIA"]),
        ("that's Kapur (KAPUR), date of birth", ["Kapur", "KAPUR"]),
        ("that's DÖRR spelled DÖRR", ["DÖRR"]),
        ("My last name is Aylla, spelled DÖRR and", ["DÖRR"]),
        ("spelled l i n is that correct", ["l i n"]),
        # the name said with its spelling
        ("S-M-I-T-H, Smith", ["S-M-I-T-H", "Smith"]),
        ("my name is j o h n smith", ["j o h n", "smith"]),
        ("it's k a t i e with an i e, katie", ["k a t i e", "katie"]),
        # every letter with its word, "as in", "like" or "for" (the word starts with it)
        (
            "last name is spelled k as in kilo i as in india m as in mike",
            ["k as in kilo i as in india m as in mike"],
        ),
        ("it's s like sam m like mary i t h", ["s like sam m like mary i t h"]),
        ("b for boy a for apple k for king e r", ["b for boy a for apple k for king e r"]),
        ("that's k as in kilo", ["k as in kilo"]),
        # the NATO alphabet
        (
            "spelled kilo oscar whiskey alpha lima sierra kilo india",
            ["kilo oscar whiskey alpha lima sierra kilo india"],
        ),
        ("that's papa alpha tango echo lima", ["papa alpha tango echo lima"]),
        # punctuation said aloud inside the spelling
        ("my last name is o apostrophe n e i l", ["o apostrophe n e i l"]),
        ("my name is spelled k i m dash l e e", ["k i m dash l e e"]),
        ("that's m c apostrophe d o n a l d", ["m c apostrophe d o n a l d"]),
        ("O'Neil, o apostrophe n e i l", ["O'Neil", "o apostrophe n e i l"]),
    ],
)
def test_finds_spelled_names(text: str, expected: list[str]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the word a spelling spells, said just before it
        ("just to confirm, that's mcgahey m c g a h e y, date", ["mcgahey", "m c g a h e y"]),
        ("it's Ilori, I-L-O-R-I.", ["Ilori", "I-L-O-R-I"]),
        # a capitalised name before a parenthesised spelling or all-caps half
        ("Just to confirm, that's Ford (H A Y S), date of birth", ["Ford", "H A Y S"]),
        ("that's Violeta (CASSANDRA), date of birth", ["Violeta", "CASSANDRA"]),
        ("that's Margaud (NOLAN), right?", ["Margaud", "NOLAN"]),
        ("the patient is Jeet (RENARD).", ["Jeet", "RENARD"]),
    ],
)
def test_finds_the_name_next_to_its_spelling(text: str, expected: list[str]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Call the emergency room (ER) or Medicare (CMS).",
        "the Health Insurance Portability Act (HIPAA)",
        "I take Ozempic (SEMAGLUTIDE) weekly",
        "We Are Here (NOW)",
        "she works at Mercy (MHS) now",
        "my blood pressure (BP) was high",
        "that's Texas (TX), right",
    ],
)
def test_leaves_acronyms_in_parentheses_alone(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "my l d l was one hundred sixty",
        "my p s a was four point six",
        "i'm free after two p m",
        "my policy number is b s n dash zero five three",
        "the number is eight e nine eight f u oh v u oh six",
        "I need an MRI and a CT",
        "so i a b",
        "the exact output (e.g., a snippet with it)",
        "see 48 C.F.R. 227 for details",
        "or a P.O. box",
        # words after a letter that do not start with it, and lone letters with no cue
        "vitamin d for my bones",
        "i like it a lot",
        "k like kilo",
        "a dash of salt",
        "alpha bravo charlie",
        "my son oscar and my daughter india",
        # spelled letters next to numbers are IDs
        "it's b as in boy one two three",
        "the member id is alpha bravo one two three",
    ],
)
def test_leaves_other_letters_alone(text: str) -> None:
    assert found(text) == []


@settings(deadline=None)  # the first example may build the gazetteers
@given(st.text(alphabet="abcXY -.,()0123456789", max_size=80))
def test_contract_on_letter_heavy_text(text: str) -> None:
    cands = spelling.find(text)
    assert cands == sorted(cands)
    for a, b in itertools.pairwise(cands):
        assert a.end <= b.start
    for c in cands:
        assert 0 <= c.start < c.end <= len(text)
        assert c.label == "NAME"
        assert 0.5 <= c.score <= 1.0
