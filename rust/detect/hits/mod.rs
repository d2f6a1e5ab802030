//! The handlers of Hyperscan hits and the context they read: the hit loop of
//! `python/phiwall/detect/engine.py` and the modules it dispatches to. (Being ported.)
//!
//! - [`context`]: `context.py` (cues found, values accepted, chaining) and `cues.py`'s
//!   `Cue` type; [`cues`]: `cues.py`'s phrase table and `find`.
//! - [`scores`], [`validators`], [`numwords`]: the shared levels, checks and number words.
//! - [`structured`], [`dates`], [`spoken`], [`web`]: the handlers, one per `patterns.Kind`.

pub mod context;
pub mod cues;
pub mod dates;
pub mod numwords;
pub mod scores;
pub mod spoken;
pub mod structured;
pub mod validators;
pub mod web;

use super::candidate::{Candidate, Hit};
use super::lexicon::Lexicon;

/// A handler: reads hit `text[start..end]` through `ctx` and appends its candidates to `out`.
pub type Handler = fn(&mut context::Context<'_>, usize, usize, &mut Vec<Candidate>);

/// The candidates of `hits` (sorted as `patterns.scan` returns them), appended to `out`:
/// the hit loop of `engine.candidates`. `place_values` are the (start, end) of the places
/// and street lines the text finders found; each cues a ZIP right after it.
pub fn candidates(
    _lexicon: &Lexicon,
    _text: &str,
    _hits: &[Hit],
    _place_values: &[(usize, usize)],
    _out: &mut Vec<Candidate>,
) {
}
