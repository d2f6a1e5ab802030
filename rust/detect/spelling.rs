//! The spelled-out word finder: `python/phiwall/detect/spelling.py`, natively. (Being ported.)

use super::candidate::Candidate;
use super::lexicon::{Lexicon, PhraseHit};

/// `spelling.find(text)` for ASCII `text`; `scan` is `lexicon.scan(text)`.
pub fn find(_lexicon: &Lexicon, _text: &str, _scan: &[PhraseHit]) -> Vec<Candidate> {
    Vec::new()
}
