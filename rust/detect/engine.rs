//! The native detection engine: `python/phiwall/detect/engine.py` for ASCII text.

use super::candidate::{Candidate, Hit, Label};
use super::lexicon::Lexicon;
use super::{hits, names, overlaps, places, spelling};

/// Every label's threshold (`engine.DEFAULT_THRESHOLD`; Python's `THRESHOLDS` are all equal).
pub const THRESHOLD: f64 = 0.5;
/// A candidate strictly inside one scoring at least this is dropped (`engine.CONTAINER_MIN`).
pub const CONTAINER_MIN: f64 = 0.8;

/// The detector: the lexicon, built once; every method is a pure function of its input.
pub struct Detector {
    pub lexicon: Lexicon,
}

impl Detector {
    pub fn new(lexicon: Lexicon) -> Self {
        Detector { lexicon }
    }

    /// Every candidate any finder proposes for ASCII `text`, given its Hyperscan `hits`
    /// (`engine.candidates`): the text finders first, then the hit handlers, which read the
    /// places found as ZIP cues. Cost: one gazetteer scan, the finders' work per phrase hit,
    /// and the handlers' work per pattern hit. Never fails.
    pub fn candidates(&self, text: &str, hits: &[Hit]) -> Vec<Candidate> {
        let scan = self.lexicon.scan(text);
        let mut out = names::find(&self.lexicon, text, &scan);
        out.extend(places::find(&self.lexicon, text, &scan));
        out.extend(spelling::find(&self.lexicon, text, &scan));
        if !hits.is_empty() {
            let place_values: Vec<(usize, usize)> = out
                .iter()
                .filter(|c| matches!(c.label, Label::Location | Label::Address))
                .filter(|c| c.score >= THRESHOLD)
                .map(|c| (c.start, c.end))
                .collect();
            hits::candidates(&self.lexicon, text, hits, &place_values, &mut out);
        }
        out
    }

    /// The PHI spans of ASCII `text`: sorted, non-overlapping (`engine.spans`).
    pub fn spans(&self, text: &str, hits: &[Hit]) -> Vec<Candidate> {
        overlaps::resolve(&self.candidates(text, hits), THRESHOLD, CONTAINER_MIN)
    }
}
