//! Confidence levels shared by the handlers, and the words that say a number is not PHI
//! (`python/phiwall/detect/scores.py`).
//!
//! A handler scores a candidate by how it knows the value is PHI: a validated format beats a
//! cue, a cue beats a bare shape. The engine's thresholds sit below `GUESS`, so all of these
//! pass; the levels decide who wins an overlap.

use crate::detect::candidate::Label;

/// A format with a checksum or calendar check, or an unmistakable shape.
pub const VALIDATED: f64 = 0.95;
/// The words before the value say what it is.
pub const CUED: f64 = 0.9;
/// A distinctive shape without a cue (MBI, VIN, ZIP after a state).
pub const SHAPED: f64 = 0.8;
/// A long identifier-like value with no cue.
pub const GUESS: f64 = 0.6;

/// `label in scores.ID_LABELS`: labels whose values are opaque identifiers. O(1).
pub fn is_id_label(label: Label) -> bool {
    matches!(
        label,
        Label::Mrn | Label::MemberId | Label::Account | Label::License | Label::Vehicle
    )
}

/// `label in ID_LABELS` for an optional label (`None` is in no set).
pub fn is_id(label: Option<Label>) -> bool {
    label.is_some_and(is_id_label)
}

/// `word in scores.UNITS`: a number followed by `word` is a quantity, dose, price, time or
/// age, not PHI. O(1).
pub fn is_unit(word: &str) -> bool {
    matches!(
        word,
        "%" | "a.m."
            | "am"
            | "bucks"
            | "capsule"
            | "capsules"
            | "cc"
            | "cent"
            | "cents"
            | "day"
            | "days"
            | "dollar"
            | "dollars"
            | "dose"
            | "doses"
            | "drop"
            | "drops"
            | "g"
            | "gram"
            | "grams"
            | "hour"
            | "hours"
            | "inhaler"
            | "inhalers"
            | "kg"
            | "lb"
            | "lbs"
            | "mcg"
            | "mg"
            | "microgram"
            | "micrograms"
            | "milligram"
            | "milligrams"
            | "milliliter"
            | "milliliters"
            | "min"
            | "mins"
            | "minute"
            | "minutes"
            | "ml"
            | "month"
            | "months"
            | "o'clock"
            | "oclock"
            | "old"
            | "over"
            | "p.m."
            | "patch"
            | "patches"
            | "percent"
            | "pill"
            | "pills"
            | "pm"
            | "point"
            | "pound"
            | "pounds"
            | "puff"
            | "puffs"
            | "refill"
            | "refills"
            | "second"
            | "seconds"
            | "tablet"
            | "tablets"
            | "times"
            | "unit"
            | "units"
            | "week"
            | "weeks"
            | "year"
            | "years"
            | "yr"
    )
}
