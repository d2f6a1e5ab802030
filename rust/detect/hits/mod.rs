//! The handlers of Hyperscan hits and the context they read: the hit loop of
//! `python/phiwall/detect/engine.py` and the modules it dispatches to.
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

use super::candidate::{Candidate, Hit, Kind, Label};
use super::lexicon::Lexicon;
use context::{Context, Cue};

/// A handler: reads hit `text[start..end]` through `ctx` and appends its candidates to `out`.
pub type Handler = fn(&mut context::Context<'_>, usize, usize, &mut Vec<Candidate>);

/// A ZIP follows its city directly: "Lebanon, 65536" (`engine.PLACE_ZIP_GAP`).
pub const PLACE_ZIP_GAP: usize = 2;

/// The handler of each pattern kind (`engine.HANDLERS`).
pub fn handler(kind: Kind) -> Handler {
    match kind {
        Kind::Email => web::on_email,
        Kind::EmailSpoken => web::on_spoken_email,
        Kind::Url => web::on_url,
        Kind::UrlSpoken => web::on_spoken_url,
        Kind::Phone => structured::on_phone,
        Kind::Ssn => structured::on_ssn,
        Kind::Card => structured::on_card,
        Kind::DateNumeric => dates::on_numeric,
        Kind::DateIso => dates::on_iso,
        Kind::DateWords => dates::on_words,
        Kind::Ipv4 => structured::on_ipv4,
        Kind::Ipv6 => structured::on_ipv6,
        Kind::Zip4 => structured::on_zip4,
        Kind::Code | Kind::SpacedDigits => structured::on_code,
        Kind::SpokenRun => spoken::on_run,
        Kind::Ordinal => dates::on_ordinal,
    }
}

/// The candidates of `hits` (sorted as `patterns.scan` returns them), appended to `out`:
/// the hit loop of `engine.candidates`. `place_values` are the (start, end) of the places
/// and street lines the text finders found; each cues a ZIP right after it.
///
/// Hits run in text order; a hit ending inside a value already emitted is skipped. Cost:
/// one cue scan of `text` plus each handler's work (O(length of its hit)). Never fails.
pub fn candidates(
    _lexicon: &Lexicon,
    text: &str,
    hits: &[Hit],
    place_values: &[(usize, usize)],
    out: &mut Vec<Candidate>,
) {
    if hits.is_empty() {
        return;
    }
    let extra: Vec<Cue> = place_values
        .iter()
        .map(|&(start, end)| Cue {
            start,
            end,
            label: Label::Zip,
            max_gap: PLACE_ZIP_GAP,
        })
        .collect();
    let mut ctx = Context::new(text, &extra);
    let mut covered: Option<usize> = None;
    for hit in hits {
        if covered.is_some_and(|c| hit.end <= c) {
            continue; // inside a value already taken: nothing new to learn
        }
        let n = out.len();
        handler(hit.kind)(&mut ctx, hit.start, hit.end, out);
        for c in &out[n..] {
            if covered.is_none_or(|covered| c.end > covered) {
                covered = Some(c.end);
            }
        }
    }
}
