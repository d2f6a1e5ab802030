"""ADDRESS and LOCATION finder: street lines, boxes, units, towns, counties, and negatives."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phiwall.detect import places


def found(text: str) -> list[tuple[str, str]]:
    """(label, value) of every candidate at the default threshold, in text order."""
    return [(c.label, text[c.start : c.end]) for c in places.find(text) if c.score >= 0.5]


A, L = "ADDRESS", "LOCATION"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I live at 1420 Oak Ridge Drive Apt 4B.", [(A, "1420 Oak Ridge Drive Apt 4B")]),
        (
            "It's 849 Vista Loop, Unit 21B, that's in Redondo Beach.",
            [(A, "849 Vista Loop, Unit 21B"), (L, "Redondo Beach")],
        ),
        (
            "Your new address, 12033 Mission Hwy, #18, Oakville, 98568.",
            [(A, "12033 Mission Hwy, #18"), (L, "Oakville")],
        ),
        ("7857 79th Pkwy. Apt. 409, Gonzales", [(A, "7857 79th Pkwy. Apt. 409"), (L, "Gonzales")]),
        ("i moved to 871 e. finlay rd, clinchco", [(A, "871 e. finlay rd"), (L, "clinchco")]),
        # spoken house numbers, ordinal streets, directions and units
        ("uh fourteen twenty oak ridge drive", [(A, "fourteen twenty oak ridge drive")]),
        (
            "one sixty three south twenty fifth highway sacramento california",
            [(A, "one sixty three south twenty fifth highway"), (L, "sacramento")],
        ),
        (
            "twenty forty two vista run apartment three six four mullin my account",
            [(A, "twenty forty two vista run apartment three six four"), (L, "mullin")],
        ),
        (
            "seven five nine two sixty third path unit one three seven",
            [(A, "seven five nine two sixty third path unit one three seven")],
        ),
        # a filler between number and street: two spans, the filler outside
        (
            "i live at two ninety five twenty six um driftwood street in herman",
            [(A, "two ninety five twenty six"), (A, "driftwood street"), (L, "herman")],
        ),
        ("P.O. Box 3673, Le Roy, Minnesota", [(A, "P.O. Box 3673"), (L, "Le Roy")]),
        ("it's post office box forty six", [(A, "post office box forty six")]),
        # towns and counties by context; the state stays outside
        (
            "We just moved to Delaware County, closer to Ostrander.",
            [(L, "Delaware County"), (L, "Ostrander")],
        ),
        ("we moved to anne arundel county", [(L, "anne arundel county")]),
        ("Yes, this is Jun, I'm calling from Middlebury.", [(L, "Middlebury")]),
        ("I see you're in Cabin Creek. The closest location is here.", [(L, "Cabin Creek")]),
        ("she's staying with my daughter in Harmony, PA for now", [(L, "Harmony")]),
        ("the store in Springfield, IL", [(L, "Springfield")]),
        ("send it to tampa florida", [(L, "tampa")]),
        ("i'm driving up from sacramento tomorrow", [(L, "sacramento")]),
        ("she lives in prince george's county", [(L, "prince george's county")]),
        ("i see you're in cali nazehasi the closest one", [(L, "cali nazehasi")]),
        ('lookup(city="Tulsa")', [(L, "Tulsa")]),
        ("I recently relocated to Nixon from out of state.", [(L, "Nixon")]),
        ("I'm at 727 Kingsley Ter now.", [(A, "727 Kingsley Ter")]),
        (
            "update it to four twenty five meadow court hill city kansas",
            [(A, "four twenty five meadow court"), (L, "hill city")],
        ),
        (
            "it's post office box two nine that's uh in evant zip code seven six five",
            [(A, "post office box two nine"), (L, "evant")],
        ),
        (
            "the mailing address is 725 dafonseca street west richland new mexico 87101",
            [(A, "725 dafonseca street"), (L, "west richland")],
        ),
        # cased text: the street name is cased like its suffix
        ("Hi, I live at 123 main st in Reno.", [(A, "123 main st"), (L, "Reno")]),
        ("It is 77 Sunny Brook Landing, Apt 2.", [(A, "77 Sunny Brook Landing, Apt 2")]),
        # the rest of the USPS suffixes that read as streets
        ("I live at 447 Andrew Mission Suite 956.", [(A, "447 Andrew Mission Suite 956")]),
        ("i live at 6741 jennifer manors apt 310", [(A, "6741 jennifer manors apt 310")]),
        ("it's 3590 Kennedy Plains, Jaimetown.", [(A, "3590 Kennedy Plains"), (L, "Jaimetown")]),
        # an unknown lowercase town after a direction or "port", "fort"
        ("i'm calling from north michaelmouth arizona", [(L, "north michaelmouth")]),
        (
            "the address is 19266 lawson curve apt 434 south lori",
            [(A, "19266 lawson curve apt 434"), (L, "south lori")],
        ),
        # a known town and a town word the gazetteer lacks
        (
            "one thirty two reiss square that's in wellesley hills zip code",
            [(A, "one thirty two reiss square"), (L, "wellesley hills")],
        ),
        # streets named with no suffix word, and roads named by a number after the suffix
        ("i live at 1722 broadway", [(A, "1722 broadway")]),
        (
            "i'm at seventeen twenty two south broadway",
            [(A, "seventeen twenty two south broadway")],
        ),
        ("It's 22 Broadway, Apt 4.", [(A, "22 Broadway, Apt 4")]),
        ("i live at 1722 highway 9", [(A, "1722 highway 9")]),
        ("my address is 4500 state route sixty six", [(A, "4500 state route sixty six")]),
    ],
)
def test_finds_addresses_and_places(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "we just got back from washington",
        "We drove to Texas last week.",
        "i'm in pain and it's worse in the morning",
        "I walked 3 miles on the trail.",
        "i walked five miles along bear creek",
        "It went up 128-bit floating point.",
        "by the way, I take 2 pills a day",
        "I'll have Dr. Gray's nurse call you back.",
        "I'll be at Lakeshore Internal Medicine anyway.",
        "Can I talk to the Cardiology department?",
        "I was born in March.",
        "The closest location is Sage Primary Care.",
        "The Walgreens on Main Street is closer.",
        "i'm at home",
        "I'm currently living in the District Of Columbia.",
        "We moved back to New Mexico.",
        "as provided in Section 2.1 of the terms",
        "Starting in Debian 3.0, there is a new package.",
        "I got a letter from Martin about it.",
        "I'd like to see her at the Riverside office.",
        # a direction that starts a state is no town
        "i moved to north carolina",
        "i moved to north dakota last year",
        "i'm calling from south dakota",
        # ordinary words that are also street suffixes
        "there are 2 ways to pay",
        "my 3 kids are at the mall",
        "I waited 20 minutes at the corner",
        # parking lots and "by the way" start no street line without a number nearby
        "someone hit my car in your parking lot",
        "and by the way the nurse was great",
        # a suffix-less street or a numbered road with no house number before it
        "we saw a show on broadway",
        "take route 9 for 2 miles",
        "turn left on highway 9 after 3 miles",
    ],
)
def test_leaves_non_places_alone(text: str) -> None:
    assert found(text) == []


def test_known_county_outranks_guess() -> None:
    (county,) = places.find("We moved to Cook County.")
    (guess,) = places.find("We moved to Zqxville County.")
    assert county.score > guess.score >= 0.5


@settings(deadline=None)  # the first example may build the gazetteers
@given(st.text(max_size=200))
def test_contract_on_any_text(text: str) -> None:
    cands = places.find(text)
    assert cands == sorted(cands)
    for a, b in itertools.pairwise(cands):
        assert a.end <= b.start
    for c in cands:
        assert 0 <= c.start < c.end <= len(text)
        assert c.label in {"ADDRESS", "LOCATION"}
        assert 0.0 <= c.score <= 1.0
