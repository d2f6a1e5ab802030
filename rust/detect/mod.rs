//! Native PHI detection: a port of `python/phiwall/detect` for ASCII text.
//!
//! Python stays the reference, and detects any text with a non-ASCII character itself (with
//! Hyperscan). For ASCII text everything runs here, with byte offsets (equal to Python's
//! `str` indices): the pattern scan ([`scanner`], reporting exactly what Hyperscan reports),
//! the finders and the overlap rule. The parity tests (`tests/detect/test_native_parity.py`,
//! `test_native_words.py`) hold both detectors to the same hits and candidates.
//!
//! - [`candidate`]: labels, pattern hits and candidates.
//! - [`capitals`]: where a text's capital letters are, 8 bytes at a time.
//! - [`lexicon`]: the gazetteers' word classes and phrase scan, built from Python's data.
//! - [`words`]: the small word tables of `lexicon.py` (digits, months, fillers).
//! - [`names`], [`places`], [`spelling`]: the text finders, run on every text.
//! - [`hits`]: the context cues and the handlers of Hyperscan hits.
//! - [`overlaps`]: thresholds and overlap resolution.
//! - [`scanner`]: Hyperscan's pattern reports computed natively (lazy DFAs), so the
//!   Python side can skip Hyperscan for the patterns handed in.
//! - [`engine`]: [`Detector`], all of it in order.

pub mod candidate;
pub mod capitals;
pub mod engine;
pub mod hits;
pub mod lexicon;
pub mod names;
pub mod overlaps;
pub mod places;
pub mod scanner;
pub mod spelling;
pub mod words;

pub use candidate::{Candidate, Hit, Kind, Label};
pub use engine::Detector;
pub use lexicon::Lexicon;
