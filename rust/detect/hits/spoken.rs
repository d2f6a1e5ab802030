//! The handlers of `python/phiwall/detect/spoken.py`. (Being ported.)

use super::context::Context;
use crate::detect::candidate::Candidate;

/// `spoken.on_run`.
pub fn on_run(_ctx: &mut Context<'_>, _start: usize, _end: usize, _out: &mut Vec<Candidate>) {}
