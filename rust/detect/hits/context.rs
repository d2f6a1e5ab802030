//! Per-text detection state: `python/phiwall/detect/context.py`. (Being ported.)

use crate::detect::candidate::{Candidate, Label};

/// `lower[start..end]` is a cue for a `label` value starting at most `max_gap` bytes later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cue {
    pub start: usize,
    pub end: usize,
    pub label: Label,
    pub max_gap: usize,
}

/// Cues and accepted values for one text (`context.Context`).
pub struct Context<'t> {
    pub text: &'t str,
    /// `text` lower-cased (ASCII: same length, same offsets).
    pub lower: String,
    pub cues: Vec<Cue>,
}

impl<'t> Context<'t> {
    /// Find the cues of `text`; `extra_cues` (any order) come from other finders.
    pub fn new(text: &'t str, _extra_cues: &[Cue]) -> Self {
        Context {
            text,
            lower: text.to_ascii_lowercase(),
            cues: Vec::new(),
        }
    }

    /// The nearest cue ending at or before `start` whose gap is glue only.
    pub fn cue_before(&mut self, _start: usize) -> Option<Cue> {
        None
    }

    /// The end of the last cue that ends inside `[start, end)`, or `start`.
    pub fn cue_inside(&self, start: usize, _end: usize) -> usize {
        start
    }

    /// The label the context gives a value at `start`: its cue's, or the chained value's.
    pub fn label_for(&mut self, _start: usize) -> Option<Label> {
        None
    }

    /// True if a value at `start` continues the previous value after a filler.
    pub fn chained(&mut self, _start: usize) -> bool {
        false
    }

    /// Append a kept value to `out` and remember it for chaining (see `accept`).
    pub fn emit(
        &mut self,
        out: &mut Vec<Candidate>,
        start: usize,
        end: usize,
        label: Label,
        score: f64,
    ) {
        out.push(Candidate::new(start, end, label, score));
        self.accept(end, label);
    }

    /// Record a kept value ending at `end` so a following fragment can chain to it.
    pub fn accept(&mut self, _end: usize, _label: Label) {}

    /// The word right after `end` (lower-case), or "" at the end of the text.
    pub fn word_after(&self, _end: usize) -> &str {
        ""
    }
}

/// `context.GLUE`: words allowed between a cue and its value.
pub fn is_glue(_word: &str) -> bool {
    false
}
