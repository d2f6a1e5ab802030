"""Confidence levels shared by the finders, and the words that say a number is not PHI.

A finder scores a candidate by how it knows the value is PHI: a validated format beats a
cue, a cue beats a bare shape. The engine's per-label thresholds sit below `GUESS`, so
all of these pass; the levels decide who wins an overlap.
"""

from __future__ import annotations

from phiwall.detect.lexicon import word_set

VALIDATED = 0.95  # a format with a checksum or calendar check, or an unmistakable shape
CUED = 0.9  # the words before the value say what it is
SHAPED = 0.8  # a distinctive shape without a cue (MBI, VIN, ZIP after a state)
GUESS = 0.6  # a long identifier-like value with no cue

# Labels whose values are opaque identifiers (letters and digits, any grouping).
ID_LABELS: frozenset[str] = frozenset({"MRN", "MEMBER_ID", "ACCOUNT", "LICENSE", "VEHICLE"})

# A number followed by one of these is a quantity, dose, price, time or age, not PHI.
UNITS: frozenset[str] = word_set(
    "mg milligram milligrams mcg microgram micrograms ml milliliter milliliters milliliters "
    "unit units tablet tablets pill pills capsule capsules patch patches puff puffs dose doses "
    "drop drops cc g gram grams kg pound pounds lb lbs percent % dollar dollars cent cents "
    "hour hours minute minutes min mins second seconds day days week weeks month months "
    "year years yr old a.m. p.m. am pm o'clock oclock times refill refills inhaler inhalers "
    "over point bucks"
)
