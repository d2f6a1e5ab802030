//! The handlers of `python/phiwall/detect/structured.py`. (Being ported.)

use super::context::Context;
use crate::detect::candidate::Candidate;

/// `structured.on_phone`.
pub fn on_phone(_ctx: &mut Context<'_>, _start: usize, _end: usize, _out: &mut Vec<Candidate>) {}

/// `structured.on_ssn`.
pub fn on_ssn(_ctx: &mut Context<'_>, _start: usize, _end: usize, _out: &mut Vec<Candidate>) {}

/// `structured.on_card`.
pub fn on_card(_ctx: &mut Context<'_>, _start: usize, _end: usize, _out: &mut Vec<Candidate>) {}

/// `structured.on_ipv4`.
pub fn on_ipv4(_ctx: &mut Context<'_>, _start: usize, _end: usize, _out: &mut Vec<Candidate>) {}

/// `structured.on_ipv6`.
pub fn on_ipv6(_ctx: &mut Context<'_>, _start: usize, _end: usize, _out: &mut Vec<Candidate>) {}

/// `structured.on_zip4`.
pub fn on_zip4(_ctx: &mut Context<'_>, _start: usize, _end: usize, _out: &mut Vec<Candidate>) {}

/// `structured.on_code`.
pub fn on_code(_ctx: &mut Context<'_>, _start: usize, _end: usize, _out: &mut Vec<Candidate>) {}
