//! Confidence levels and the words that say a number is not PHI: `scores.py`.

use crate::detect::candidate::Label;

pub const VALIDATED: f64 = 0.95;
pub const CUED: f64 = 0.9;
pub const SHAPED: f64 = 0.8;
pub const GUESS: f64 = 0.6;

/// `label in scores.ID_LABELS`: opaque identifiers.
pub fn is_id_label(label: Label) -> bool {
    matches!(
        label,
        Label::Mrn | Label::MemberId | Label::Account | Label::License | Label::Vehicle
    )
}

/// `word in scores.UNITS`. (Being ported.)
pub fn is_unit(_word: &str) -> bool {
    false
}
