"""Typed and smart-formatted values, per label: positives with exact spans, hard negatives.

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
    # PHONE (also fax, "ending in")
    ("Call me at (725) 948-1296 please.", [("(725) 948-1296", "PHONE")]),
    ("Text me at 952.256.6476, I don't check email.", [("952.256.6476", "PHONE")]),
    ("The phone on file is +1 207-948-7008.", [("+1 207-948-7008", "PHONE")]),
    ("Our fax number is 312-555-0199.", [("312-555-0199", "PHONE")]),
    ("My cell is 2316475664 and that's it.", [("2316475664", "PHONE")]),
    ("My cell is 2 4 0 8 5 9 5 1 5 7 today.", [("2 4 0 8 5 9 5 1 5 7", "PHONE")]),
    ("Use the number ending in 2671.", [("2671", "PHONE")]),
    # SSN
    ("Okay, so the social is 806-60-0443 and the name", [("806-60-0443", "SSN")]),
    ("Will you need my social? It's 872872797, and I'm", [("872872797", "SSN")]),
    ("My social is 405 45 1222.", [("405 45 1222", "SSN")]),
    ("I have the last four of your social as 3358.", [("3358", "SSN")]),
    # EMAIL
    ("I've updated your email to guy_padro@yahoo.com.", [("guy_padro@yahoo.com", "EMAIL")]),
    ("My email is venegasa at outlook.com.", [("venegasa at outlook.com", "EMAIL")]),
    # DATE
    ("Date of birth is October 2, 1941 and", [("October 2, 1941", "DATE")]),
    ("I'm booked for Thursday, 6/19 at 8:50 AM.", [("6/19", "DATE")]),
    ("The date of service was 1-5-25.", [("1-5-25", "DATE")]),
    ("my dob is 23/10/1990", [("23/10/1990", "DATE")]),  # day first, with a year
    # a cued identifier keeps a short letter group said before its digits
    ("patient id p 0 0 4 4 7", [("p 0 0 4 4 7", "MRN")]),
    ("my account is abc 123 456", [("abc 123 456", "ACCOUNT")]),
    ("mrn 00482913", [("00482913", "MRN")]),
    ("I had blood drawn on 2025-07-26, has", [("2025-07-26", "DATE")]),
    ("I'm Cyrus, 24 March 1942, zip 72471.", [("24 March 1942", "DATE"), ("72471", "ZIP")]),
    ("Open on the 19th of July, 2025?", [("the 19th of July, 2025", "DATE")]),
    ("My last colonoscopy was June 2021, and", [("June 2021", "DATE")]),
    ("My date of birth is Jul 18, 1944, I'm", [("Jul 18, 1944", "DATE")]),
    ("His birthday is 12 25 1990.", [("12 25 1990", "DATE")]),
    (
        "Please confirm DOB 3-14-85, phone (415)5552671.",
        [("3-14-85", "DATE"), ("(415)5552671", "PHONE")],
    ),
    ("I was born on 03.14.1985.", [("03.14.1985", "DATE")]),
    ("Born March 3, '85 in June '86.", [("March 3, '85", "DATE"), ("June '86", "DATE")]),
    # ZIP
    ("We're at 1200 Valencia St, Apt 4, San Francisco, CA 94110.", [("94110", "ZIP")]),
    ("I'm in Salinas 93905.", [("93905", "ZIP")]),
    ("567 Meadow Crossing, Lebanon, 65536, has been saved.", [("65536", "ZIP")]),
    ("Oxford, CT 06478.", [("06478", "ZIP")]),
    ("We have the zip code on file as 08348-0187.", [("08348-0187", "ZIP")]),
    # MRN
    ("Patient Wynne, MRN 276549477, calling about", [("276549477", "MRN")]),
    ("My chart number is ZT827635 and", [("ZT827635", "MRN")]),
    ("Prescription number 851-0262.", [("851-0262", "MRN")]),
    # MEMBER_ID
    ("Your member ID is 653099540 00 and the plan", [("653099540 00", "MEMBER_ID")]),
    ("Your Medicare number is 3MC8-VH7-VM46.", [("3MC8-VH7-VM46", "MEMBER_ID")]),
    ("Name on file, 1EG4TE5MK73, is that right?", [("1EG4TE5MK73", "MEMBER_ID")]),
    ("My policy number is JPT894672046 and", [("JPT894672046", "MEMBER_ID")]),
    # ACCOUNT
    ("The card number is 6011-1632-3907-5807.", [("6011-1632-3907-5807", "ACCOUNT")]),
    ("I see the card ending in 1151 on file.", [("1151", "ACCOUNT")]),
    ("My account number is PA7391681.", [("PA7391681", "ACCOUNT")]),
    ("A balance of $9.99 on account 1573-82627.", [("1573-82627", "ACCOUNT")]),
    ("Paid with my visa ending 4242.", [("4242", "ACCOUNT")]),
    ("The last four of my card are 4 2 4 2.", [("4 2 4 2", "ACCOUNT")]),
    # LICENSE
    ("Your driver's license number as B 237 231 054 477.", [("B 237 231 054 477", "LICENSE")]),
    ("Driver's license number, it's L465-2743-8534.", [("L465-2743-8534", "LICENSE")]),
    # VEHICLE
    ("Parking is validated for plate SBW-6409.", [("SBW-6409", "VEHICLE")]),
    ("Parking is validated for plate RED 515.", [("RED 515", "VEHICLE")]),
    ("My plate is gaw 556, can I", [("gaw 556", "VEHICLE")]),
    # letters spelled before digit groups belong to the cued code
    ("my mrn is a b 1 2 3 4 5", [("a b 1 2 3 4 5", "MRN")]),
    ("member id w x y 1 2 3 4 5 6 7 8 9", [("w x y 1 2 3 4 5 6 7 8 9", "MEMBER_ID")]),
    ("member i d w x y 1 2 3 4 5 6 7 8 9", [("w x y 1 2 3 4 5 6 7 8 9", "MEMBER_ID")]),
    ("my chart number is j d 4 5 6 7 8 9", [("j d 4 5 6 7 8 9", "MRN")]),
    ("my plate is x y z 1 2 3 4", [("x y z 1 2 3 4", "VEHICLE")]),
    ("They want the VIN, it's JWVFMZBF1HXA59802.", [("JWVFMZBF1HXA59802", "VEHICLE")]),
    # URL
    (
        "The photos are at instagram.com/kathylabriola17, the link",
        [("instagram.com/kathylabriola17", "URL")],
    ),
    ("It's at https://youtube.com/@lambui55, can", [("https://youtube.com/@lambui55", "URL")]),
    # IP
    ("It says my IP address 149.61.167.179 is blocked.", [("149.61.167.179", "IP")]),
    ("The address bar shows 2001:db8::8a2e:370:7334 now", [("2001:db8::8a2e:370:7334", "IP")]),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES, ids=[t[:40] for t, _ in POSITIVES])
def test_positive(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


NEGATIVES = [
    "I'll have the nurse call you back before 7:15 AM.",
    "I take 10 mg of Otezla every 4 hours and I only have 60 pills left.",
    "I got a bill for $2,400 and I think it's wrong.",
    "Is there a grace period? I can pay $199.99 today.",
    "I'm 73 and I've never had a colonoscopy.",
    "We moved here from Florida in 2004, do you take out of state insurance?",
    "Last year I had 50% coinsurance, is it the same in 2020?",
    "The nurse said my A1C was 5.9, is that bad?",
    "I want to move the October appointment to later in the day.",
    "My blood pressure was 120/80 this morning.",
    "Take 1/2 tablet at bedtime.",
    "Take 1/2 of a tablet, or 3/4 if it hurts.",
    "I'm on Lipitor 1000mg, if that matters.",
    "It's a silver Toyota RAV4 and a Mazda CX-5.",
    "Open 24/7, call 911 in an emergency.",
    "The visit will take about 20 minutes, so please arrive by 1:45 PM.",
    "You're scheduled on Wednesday at 12:20 PM.",
    "Call 1-800-MEDICARE for help, or 988.",
    "I need the 2019-2020 records.",
    "The CPT code 99213 applies, ICD-10 E11.9.",
    "Your copay is $25 and your deductible is $1,500.",
    "Your prescription is for 10 days' worth with 6 refills.",
    "My prescription is 10, I think.",
    "it's a 1 2 3 4 5",
    "give me a b 12 3456",
]


@pytest.mark.parametrize("text", NEGATIVES, ids=[t[:40] for t in NEGATIVES])
def test_negative(text: str) -> None:
    assert found(text) == []
