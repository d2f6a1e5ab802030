//! The cue phrases: `python/phiwall/detect/cues.py`. (Being ported.)

use super::context::Cue;

/// The cues in `lower` (already lower-cased), sorted by end, longest per end (`cues.find`).
pub fn find(_lower: &str) -> Vec<Cue> {
    Vec::new()
}
