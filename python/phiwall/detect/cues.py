"""Context cues: the words people say just before a value ("date of birth", "m r n", "plate").

A cue names the label of the value that follows it. `find(lower)` runs one Aho-Corasick
automaton (pyahocorasick, built once at import) over the lower-cased text and returns the
cues that sit on word boundaries, keeping the longest cue per end position ("card ending
in" over "ending in"). The label `BLOCK` marks cues after which a number belongs to someone
else's finder (street numbers after "I live at").

Public API (stable): `Cue`, `BLOCK`, `CUES`, `find(lower) -> list[Cue]`.
Cost: O(len(text)) in C plus O(cues found) Python. Never raises on `str` input.
"""

from __future__ import annotations

from typing import NamedTuple

import ahocorasick

from phiwall.detect.lexicon import word_set

BLOCK = "BLOCK"

# label -> phrases. Spoken variants spell letters out ("m r n", "i d", "v i n"). Single key
# words ("member", "prescription", "chart") catch phrases broken by a filler ("member uh i d").
_PHRASES: dict[str, tuple[str, ...]] = {
    "PHONE": (
        "phone",
        "phone number",
        "phone is",
        "telephone",
        "cell",
        "cell phone",
        "mobile",
        "call me",
        "call me back at",
        "call you back at",
        "call back number",
        "callback number",
        "text me",
        "text me at",
        "reach me at",
        "fax",
        "fax number",
        "contact at",
        "her number",
        "his number",
        "my number",
        "best number",
        "home number",
        "contact number",
        "phone no",
        "telephone number",
        "mobile number",
        "cell number",
        "daytime number",
        "tel",
        "reach me on",
        "call me on",
        "call me at",
        "landline",
        "work phone",
        "home phone",
        "work number",
        "leave a message at",
        "area code",
        "last four of my phone",
        "last four of my number",
        "last four of your phone",
        "number ending in",
        "number ends in",
        "phone ending in",
        "ending in",
        "ends in",
        "ends with",
        "ending with",
        "ending",
    ),
    "SSN": (
        "social",
        "social security",
        "social security number",
        "ssn",
        "s s n",
        "ss number",
        "social security no",
        "last four of my social",
        "last four of your social",
        "last four",
        "last 4",
        "last four digits",
    ),
    "DATE": (
        "date of birth",
        "birth",
        "dob",
        "d o b",
        "d.o.b.",
        "birth date",
        "birthdate",
        "birthday",
        "bday",
        "b day",
        "born",
        "date of service",
        "service date",
        "date",
        "admission date",
        "discharge date",
        "procedure date",
    ),
    "ZIP": ("zip", "zip code", "zipcode", "postal code"),
    "MRN": (
        "mrn",
        "m r n",
        "medical record",
        "medical record number",
        "record number",
        "chart number",
        "chart #",
        "chart id",
        "record #",
        "mrn #",
        "hospital number",
        "hospital id",
        "med record",
        "record id",
        "health record number",
        "mr number",
        "m r number",
        "encounter number",
        "chart no",
        "patient id",
        "patient i d",
        "patient number",
        "prescription",
        "rx",
        "chart",
        "prescription number",
        "prescription #",
        "rx number",
        "rx #",
        "r x number",
        "refill for",
    ),
    "MEMBER_ID": (
        "member",
        "subscriber",
        "member id",
        "member i d",
        "member number",
        "member #",
        "subscriber id",
        "subscriber i d",
        "subscriber number",
        "policy",
        "policy number",
        "policy i d",
        "policy #",
        "policy id",
        "group number",
        "group id",
        "group i d",
        "group #",
        "claim number",
        "insurance id",
        "insurance i d",
        "insurance number",
        "insurance card number",
        "plan id",
        "health plan id",
        "beneficiary id",
        "beneficiary number",
        "mbi",
        "m b i",
        "recipient id",
        "medicare",
        "medicare number",
        "medicare id",
        "medicaid",
        "medicaid number",
        "medicaid id",
        "the id is",
        "the i d is",
        "id number",
        "i d number",
    ),
    "ACCOUNT": (
        "account",
        "account number",
        "account #",
        "card number",
        "card #",
        "last four of my card",
        "last four of the card",
        "last four of your card",
        "last four of my account",
        "card ending in",
        "card ending",
        "card ends in",
        "account ending in",
        "account ending",
        "visa",
        "visa ending",
        "visa ending in",
        "mastercard",
        "mastercard ending",
        "mastercard ending in",
        "amex",
        "amex ending in",
        "credit card",
        "debit card",
        "routing number",
        "billing account",
        "patient account",
        "credit card number",
        "debit card number",
        "card on file",
        "bank account number",
        "acct",
        "acct #",
        "invoice number",
        "billing number",
        "statement number",
    ),
    "LICENSE": (
        "license",
        "licence",
        "license number",
        "licence number",
        "license #",
        "driver's license",
        "drivers license",
        "driver license",
        "state id",
        "state i d",
        "dl",
        "dl number",
        "dl #",
        "d l number",
        "driving licence",
        "driver license number",
        "drivers license number",
        "id card number",
        "state id number",
    ),
    "VEHICLE": (
        "plate",
        "plates",
        "plate number",
        "license plate",
        "license plate number",
        "plate no",
        "tag number",
        "tag",
        "vin",
        "v i n",
        "vehicle identification number",
    ),
    "IP": ("ip address", "i p address", "ip", "i p"),
    BLOCK: (
        "address",
        "i live at",
        "live at",
        "apartment",
        "apt",
        "suite",
        "unit",
        "box",
        "street",
    ),
}

# Phrases that only cue a value right after them ("Ohio 43723": a state names a ZIP, but
# "from Ohio in 2004" does not). Everything else cues a value up to `DEFAULT_GAP` chars away.
DEFAULT_GAP = 40
_STATES = sorted(
    word_set(
        "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "
        "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts "
        "michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon "
        "pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming"
    )
)
_STATES += ["new hampshire", "new jersey", "new mexico", "new york", "north carolina"]
_STATES += ["north dakota", "rhode island", "south carolina", "south dakota", "west virginia"]


class Cue(NamedTuple):
    """`lower[start:end]` is a cue for a `label` value starting at most `max_gap` chars later."""

    start: int
    end: int
    label: str
    max_gap: int


def _build() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for label, phrases in _PHRASES.items():
        for phrase in phrases:
            automaton.add_word(phrase, (len(phrase), label, DEFAULT_GAP))
    for state in _STATES:
        automaton.add_word(state, (len(state), "ZIP", 2))
    automaton.make_automaton()
    return automaton


_AUTOMATON = _build()
_new_cue = tuple.__new__  # builds a Cue without NamedTuple's Python-level __new__
CUES: frozenset[str] = frozenset(p for ps in _PHRASES.values() for p in ps)


def find(lower: str) -> list[Cue]:
    """Return the cues in `lower` (already lower-cased), sorted by end, longest per end."""
    found: dict[int, Cue] = {}
    n = len(lower)
    for last, (length, label, max_gap) in _AUTOMATON.iter(lower):
        start, end = last - length + 1, last + 1
        if start > 0 and lower[start - 1].isalnum():
            continue
        if end < n and lower[end].isalnum():
            continue
        old = found.get(end)
        if old is None or old.end - old.start < length:
            found[end] = _new_cue(Cue, (start, end, label, max_gap))
    if len(found) < 2:
        return [*found.values()]
    return [found[e] for e in sorted(found)]
