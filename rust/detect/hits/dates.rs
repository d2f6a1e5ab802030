//! The handlers of `python/phiwall/detect/dates.py`. (Being ported.)

use super::context::Context;
use crate::detect::candidate::Candidate;

/// `dates.on_numeric`.
pub fn on_numeric(_ctx: &mut Context<'_>, _start: usize, _end: usize, _out: &mut Vec<Candidate>) {}

/// `dates.on_iso`.
pub fn on_iso(_ctx: &mut Context<'_>, _start: usize, _end: usize, _out: &mut Vec<Candidate>) {}

/// `dates.on_words`.
pub fn on_words(_ctx: &mut Context<'_>, _start: usize, _end: usize, _out: &mut Vec<Candidate>) {}

/// `dates.on_ordinal`.
pub fn on_ordinal(_ctx: &mut Context<'_>, _start: usize, _end: usize, _out: &mut Vec<Candidate>) {}

/// `dates.numeric_date(digits)`.
pub fn numeric_date(_digits: &str) -> bool {
    false
}
