//! The handlers of `python/phiwall/detect/web.py`. (Being ported.)

use super::context::Context;
use crate::detect::candidate::Candidate;

/// `web.on_email`.
pub fn on_email(_ctx: &mut Context<'_>, _start: usize, _end: usize, _out: &mut Vec<Candidate>) {}

/// `web.on_spoken_email`.
pub fn on_spoken_email(
    _ctx: &mut Context<'_>,
    _start: usize,
    _end: usize,
    _out: &mut Vec<Candidate>,
) {
}

/// `web.on_url`.
pub fn on_url(_ctx: &mut Context<'_>, _start: usize, _end: usize, _out: &mut Vec<Candidate>) {}

/// `web.on_spoken_url`.
pub fn on_spoken_url(
    _ctx: &mut Context<'_>,
    _start: usize,
    _end: usize,
    _out: &mut Vec<Candidate>,
) {
}
