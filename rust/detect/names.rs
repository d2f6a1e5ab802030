//! The NAME finder: `python/phiwall/detect/names.py`, natively. (Being ported.)

use super::candidate::Candidate;
use super::lexicon::{Lexicon, PhraseHit};

/// `names.find(text)` for ASCII `text`; `scan` is `lexicon.scan(text)`.
pub fn find(_lexicon: &Lexicon, _text: &str, _scan: &[PhraseHit]) -> Vec<Candidate> {
    Vec::new()
}
