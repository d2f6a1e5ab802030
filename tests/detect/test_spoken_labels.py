"""Values said as words (raw speech-to-text): exact spans, split fragments, hard negatives.

The name/place finders are switched off so these tables test this package's finders only.
"""

from __future__ import annotations

import pytest

from phiwall.detect import engine


@pytest.fixture(autouse=True)
def _own_finders_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # The Python path with the text finders off; the parity tests hold the native
    # handlers to it on every literal of this file.
    monkeypatch.setattr(engine, "NATIVE", False)
    monkeypatch.setattr(engine, "FINDERS", [])


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in engine.spans(text)]


POSITIVES: list[tuple[str, list[tuple[str, str]]]] = [
    # digits in words, "oh", repeats, mixtures, commas
    (
        "call me back at four one five five five five two six seven one",
        [("four one five five five five two six seven one", "PHONE")],
    ),
    (
        "my number is triple seven eight nine oh double two one four",
        [("triple seven eight nine oh double two one four", "PHONE")],
    ),
    ("you can reach me at 415 five five five 2671", [("415 five five five 2671", "PHONE")]),
    # digit groups joined by a spoken dash, no number word
    ("my number is 415 dash 555 dash 2671", [("415 dash 555 dash 2671", "PHONE")]),
    ("zip code 9 0 2 1 0 dash 1 2 3 4", [("9 0 2 1 0 dash 1 2 3 4", "ZIP")]),
    ("ssn is 123 hyphen 45 hyphen 6789", [("123 hyphen 45 hyphen 6789", "SSN")]),
    (
        "the best number is seven four three, two four zero zero one three six anytime",
        [("seven four three, two four zero zero one three six", "PHONE")],
    ),
    ("use the number ending in oh four seven two.", [("oh four seven two", "PHONE")]),
    # a filler splits a value into separate spans of the same label
    (
        "her number is three oh nine eight nine two uh ninety nine eighty nine",
        [("three oh nine eight nine two", "PHONE"), ("ninety nine eighty nine", "PHONE")],
    ),
    (
        "my license number is three five five uh three five five four six five six one nine",
        [("three five five", "LICENSE"), ("three five five four six five six one nine", "LICENSE")],
    ),
    (
        "will you need my social it's four two eight no wait four two eight nine two one one",
        [("four two eight", "SSN"), ("four two eight nine two one one", "SSN")],
    ),
    ("the last four of my social are one four one one", [("one four one one", "SSN")]),
    # dates
    (
        "my date of birth is march third nineteen eighty five",
        [("march third nineteen eighty five", "DATE")],
    ),
    ("he was born the fourteenth of march", [("the fourteenth of march", "DATE")]),
    ("date of birth three fourteen eighty five", [("three fourteen eighty five", "DATE")]),
    ("d o b oh three fourteen", [("oh three fourteen", "DATE")]),
    (
        "date um of birth is nine twenty four sixty four and",
        [("nine twenty four sixty four", "DATE")],
    ),
    (
        "they did the biopsy on four seventeen twenty three and",
        [("four seventeen twenty three", "DATE")],
    ),
    (
        "born six slash twenty eight slash eighty eight",
        [("six slash twenty eight slash eighty eight", "DATE")],
    ),
    (
        "date of birth september seventh uh nineteen sixty",
        [("september seventh", "DATE"), ("nineteen sixty", "DATE")],
    ),
    (
        "my date of birth is april ninth two thousand and four",
        [("april ninth two thousand and four", "DATE")],
    ),
    ("i was diagnosed in december twenty twenty one", [("december twenty twenty one", "DATE")]),
    ("his date of birth is the nineteenth uh", [("nineteenth", "DATE")]),
    (
        "my birthday is june fifth uh ten a m works",
        [("june fifth", "DATE")],  # a clock time after a filler does not continue the date
    ),
    # emails and URLs, spelled parts
    ("it's sarah dot chen at gmail dot com", [("sarah dot chen at gmail dot com", "EMAIL")]),
    (
        "my email is m o s i e r e at yahoo dot com now",
        [("m o s i e r e at yahoo dot com", "EMAIL")],
    ),
    ("tead my email is raz l at a t and t dot net", [("raz l at a t and t dot net", "EMAIL")]),
    (
        "my email is kala ben nine nine one at a o l dot com",
        [("kala ben nine nine one at a o l dot com", "EMAIL")],
    ),
    (
        "it's at x dot com slash patience underscore prince can the nurse look",
        [("x dot com slash patience underscore prince", "URL")],
    ),
    ("my medication list soledad coomes music dot com", [("soledad coomes music dot com", "URL")]),
    # ZIP, MRN, member IDs and plates as letters and digit words
    ("chicago illinois six oh six two one attention", [("six oh six two one", "ZIP")]),
    ("and the zip code is eight nine eight oh one", [("eight nine eight oh one", "ZIP")]),
    (
        "my m r n is oh oh two seven oh seven four nine i mean",
        [("oh oh two seven oh seven four nine", "MRN")],
    ),
    (
        "prescription number r x one six three three seven two five",
        [("r x one six three three seven two five", "MRN")],
    ),
    (
        "zip four seven one seven seven member i d w t n three three two one",
        [("four seven one seven seven", "ZIP"), ("w t n three three two one", "MEMBER_ID")],
    ),
    (
        "my medicare number is nine c oh one a t six y q one oh",
        [("nine c oh one a t six y q one oh", "MEMBER_ID")],
    ),
    (
        "account p a oh nine four oh seven one oh i can do",
        [("p a oh nine four oh seven one oh", "ACCOUNT")],
    ),
    (
        "the new member i d is j a one five five nine six eight six a my copay",
        [("j a one five five nine six eight six a", "MEMBER_ID")],
    ),
    ("the plate is j p eight one b f.", [("j p eight one b f", "VEHICLE")]),
    (
        "plate number z u p dash two seven nine four.",
        [("z u p dash two seven nine four", "VEHICLE")],
    ),
    (
        "my member id is b as in boy x as in x-ray one two three four five six",
        [("b as in boy x as in x-ray one two three four five six", "MEMBER_ID")],
    ),
    (
        "area code four one five then five five five two six seven one",
        [("four one five", "PHONE"), ("five five five two six seven one", "PHONE")],
    ),
    # forms beyond the dev templates
    (
        "i was seen twelve fourteen twenty twenty four by",
        [("twelve fourteen twenty twenty four", "DATE")],
    ),
    ("my dob is fourteen march eighty five", [("fourteen march eighty five", "DATE")]),
    ("born in june of eighty five", [("june of eighty five", "DATE")]),
    (
        "the ip is one nine two point one six eight point one point one",
        [("one nine two point one six eight point one point one", "IP")],
    ),
    (
        "email me at jo smith at btinternet dot co dot uk thanks",
        [("jo smith at btinternet dot co dot uk", "EMAIL")],
    ),
    (
        "my email is sarah period chen at gmail dot com",
        [("sarah period chen at gmail dot com", "EMAIL")],
    ),
    ("the last four of my phone are six seven eight nine", [("six seven eight nine", "PHONE")]),
    (
        "yeah so for the callback use seven one eight, two two three, four four five six",
        [("seven one eight, two two three, four four five six", "PHONE")],
    ),
    (
        "the subscriber number on the card is h x two four four five nine one",
        [("h x two four four five nine one", "MEMBER_ID")],
    ),
    ("tag is seven x y z two two one", [("seven x y z two two one", "VEHICLE")]),
    (
        "the portal says my ip is ten dot zero dot zero dot fifteen",
        [("ten dot zero dot zero dot fifteen", "IP")],
    ),
    ("he was born on the first of may two thousand", [("the first of may two thousand", "DATE")]),
    # a filler inside the cue phrase
    ("my member uh i d is w three two five five one", [("w three two five five one", "MEMBER_ID")]),
    (
        "the prescription um number is five five four four three three two",
        [("five five four four three three two", "MRN")],
    ),
    ("my last colonoscopy was march eighty five", [("march eighty five", "DATE")]),
    # NATO words spelling an identifier's letters, read back from its digits
    (
        "member id is alpha bravo one two three four five",
        [("alpha bravo one two three four five", "MEMBER_ID")],
    ),
    ("my mrn is kilo seven seven two nine", [("kilo seven seven two nine", "MRN")]),
    (
        "my policy number is victor one two three four five six",
        [("victor one two three four five six", "MEMBER_ID")],
    ),
    (  # a Medicare number: letters between the digits, each fragment chained to the last
        "my medicare number is one echo golf four tango echo five mike kilo seven three",
        [
            ("one", "MEMBER_ID"),
            ("echo golf four", "MEMBER_ID"),
            ("tango echo five", "MEMBER_ID"),
            ("mike kilo seven three", "MEMBER_ID"),
        ],
    ),
    # IP addresses said as words
    (
        "my i p address one forty nine dot two hundred forty eight dot two forty dot sixteen is",
        [("one forty nine dot two hundred forty eight dot two forty dot sixteen", "IP")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES, ids=[t[:40] for t, _ in POSITIVES])
def test_positive(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


NEGATIVES = [
    "take 5 dash 10 milligrams twice a day",
    "the score was 3 dash 2",
    "let me mark the date down so it's at five in the afternoon",
    "the nurse said my vitamin d was fourteen",
    "uh yeah i'm twenty four and i've never had a colonoscopy do uh i need one",
    "what time does pulmonology open is it five thirty p m",
    "i can pay eighty seven dollars and thirty six cents today",
    "i take spiriva one thousand milligrams every eight hours",
    "my blood pressure rose to one hundred eighteen over seventy six this morning",
    "last year i had ten percent coinsurance, is it the same in two thousand and eight?",
    "i'll be there at three p m and i'm bringing my twenty seven year old",
    "the june appointment has been moved to the afternoon",
    "i was born in nineteen eighty five",
    "may i speak with a nurse about my claritin",
    "i will transfer you to g i now",
    "the nurse said my p s a was six point one",
    "your prescription is for ninety capsules with three refills",
    "i'll be there um at quarter after six",
    "okay so three um tablets a day for six weeks got it",
    "i'll call you back at three thirty",
    "born at three thirty in the morning",
    "can you do seven fifteen a m on thursday",
    "the code is one two one five",
    "i was born in may of this year",
    "march of dimes",
    "my phone died so i'm calling from my sister's at three",
    "my social worker said to call at nine thirty",
    "my license expired in twenty twenty three",
    "i'm seventy eight and my wife is seventy five",
    "he was born in nineteen ninety and she was born in two thousand and two",
    "i'll be there at ten forty five on the twelfth",
    "i'm calling about my account balance of one hundred and twenty dollars",
    "my prescription is for ninety",
    "in may fifty people came",
    # NATO words that are months or names, with no identifier cue
    "call mike at three",
    "i lost two kilo since november",
]


@pytest.mark.parametrize("text", NEGATIVES, ids=[t[:40] for t in NEGATIVES])
def test_negative(text: str) -> None:
    assert found(text) == []
