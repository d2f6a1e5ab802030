//! Native PHI detection: a port of `python/phiwall/detect` for ASCII text.
//!
//! Python stays the reference: it runs Hyperscan (`patterns.scan`) and hands the hits in,
//! and it detects any text with a non-ASCII character itself. Everything after the scan runs
//! here, with byte offsets (equal to Python's `str` indices on ASCII text). The parity tests
//! (`tests/detect/test_native_parity.py`) hold both detectors to the same candidates.
//!
//! - [`candidate`]: labels, pattern hits and candidates.
//! - [`lexicon`]: the gazetteers' word classes and phrase scan, built from Python's data.
//! - [`words`]: the small word tables of `lexicon.py` (digits, months, fillers).
//! - [`names`], [`places`], [`spelling`]: the text finders, run on every text.
//! - [`hits`]: the context cues and the handlers of Hyperscan hits.
//! - [`overlaps`]: thresholds and overlap resolution.
//! - [`scanner`]: Hyperscan's pattern reports computed natively (lazy DFAs), so the
//!   Python side can skip Hyperscan for the patterns handed in.
//! - [`engine`]: [`Detector`], all of it in order.

pub mod candidate;
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
