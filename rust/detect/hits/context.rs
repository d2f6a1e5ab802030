//! Per-text detection state: the cues found and the values accepted so far, in text order
//! (`python/phiwall/detect/context.py`).
//!
//! Handlers ask [`Context::label_for`] which label the words before a value give it: the
//! nearest cue before `start` if only glue words ("is", "my", "number", "uh") sit between, or
//! else the label of the value just before it when only fillers separate the two ("four one
//! five uh five five five": the second fragment continues the first). Handlers call
//! [`Context::accept`] (or [`Context::emit`]) for every value they keep so the chain can
//! follow it.
//!
//! Each cue's reach (how far glue words extend after it) and the previous value's filler
//! reach are computed once, lazily, so `label_for` is a binary search and two comparisons.

use super::cues;
use crate::detect::candidate::{Candidate, Label};
use crate::detect::words;

/// A restart or filler between two fragments of one value is a few words at most.
pub const CHAIN_GAP: usize = 30;

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
    /// Sorted by (end, start).
    pub cues: Vec<Cue>,
    /// Per cue: the end of the glue run after it, once computed.
    cue_reach: Vec<Option<usize>>,
    /// The end and label of the last value accepted.
    last: Option<(usize, Label)>,
    /// The end of the filler run after the last value, once computed.
    chain_reach: Option<usize>,
}

impl<'t> Context<'t> {
    /// Find the cues of `text`; `extra_cues` (any order) come from other finders.
    ///
    /// Cost: one lower-casing copy and one cue automaton pass over `text`. Never fails.
    pub fn new(text: &'t str, extra_cues: &[Cue]) -> Self {
        let lower = text.to_ascii_lowercase();
        let mut found = cues::find(&lower);
        if !extra_cues.is_empty() {
            // A cue phrase inside another finder's value ("street" in "250 Oak Street") is
            // part of that value, not context for the next one: the value's own cue speaks.
            found.retain(|c| !within(c, extra_cues));
            found.extend_from_slice(extra_cues);
            found.sort_by_key(|c| (c.end, c.start)); // stable, like Python's `sorted`
        }
        Context {
            text,
            lower,
            cue_reach: vec![None; found.len()],
            cues: found,
            last: None,
            chain_reach: None,
        }
    }

    /// The nearest cue ending at or before `start` whose gap is glue only, and at most its
    /// `max_gap` long. Cost: a binary search, plus one glue run the first time a cue is read.
    pub fn cue_before(&mut self, start: usize) -> Option<Cue> {
        let i = self
            .cues
            .partition_point(|c| c.end <= start)
            .checked_sub(1)?;
        let cue = self.cues[i];
        let reach = match self.cue_reach[i] {
            Some(reach) => reach,
            None => {
                let reach = run_end(self.lower.as_bytes(), cue.end, is_glue);
                self.cue_reach[i] = Some(reach);
                reach
            }
        };
        (start - cue.end <= cue.max_gap && start <= reach).then_some(cue)
    }

    /// The end of the last cue that ends inside `[start, end)`, or `start`. O(log cues).
    pub fn cue_inside(&self, start: usize, end: usize) -> usize {
        let i = self.cues.partition_point(|c| c.end < end);
        match i.checked_sub(1).map(|i| self.cues[i].end) {
            Some(cue_end) if cue_end > start => cue_end,
            _ => start,
        }
    }

    /// The label the context gives a value at `start`: its cue's if the cue came after the
    /// last value, else the chained value's, else the cue's. `None`: nothing says.
    pub fn label_for(&mut self, start: usize) -> Option<Label> {
        let cue = self.cue_before(start);
        if let Some(cue) = cue {
            if self.last.is_none_or(|(end, _)| cue.end > end) {
                return Some(cue.label);
            }
        }
        if let Some((_, label)) = self.last {
            if self.chained(start) {
                return Some(label);
            }
        }
        cue.map(|c| c.label)
    }

    /// True if a value at `start` continues the previous value after fillers only, at most
    /// `CHAIN_GAP` bytes after it. Cost: one filler run per accepted value, once.
    pub fn chained(&mut self, start: usize) -> bool {
        let Some((last_end, _)) = self.last else {
            return false;
        };
        if !(start > last_end && start - last_end <= CHAIN_GAP) {
            return false;
        }
        let reach = *self
            .chain_reach
            .get_or_insert_with(|| run_end(self.lower.as_bytes(), last_end, words::is_filler));
        start <= reach
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
    pub fn accept(&mut self, end: usize, label: Label) {
        self.last = Some((end, label));
        self.chain_reach = None; // computed on the first `chained` question
    }

    /// The word right after `end` (lower-case, trailing "." and "'" stripped), or "" at the
    /// end of the text: the first run of `[a-z0-9#'.]` within the next 40 bytes.
    pub fn word_after(&self, end: usize) -> &str {
        let bytes = self.lower.as_bytes();
        let limit = bytes.len().min(end.saturating_add(40));
        let mut i = end;
        while i < limit && !is_word_after_byte(bytes[i]) {
            i += 1;
        }
        let mut j = i;
        while j < limit && is_word_after_byte(bytes[j]) {
            j += 1;
        }
        if i >= j {
            return "";
        }
        self.lower[i..j].trim_end_matches(['.', '\''])
    }
}

/// `[a-z0-9#'.]`: the bytes of `context._WORD`.
fn is_word_after_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'#' | b'\'' | b'.')
}

/// `[a-z0-9#']`: the bytes of a word in a glue or filler run.
fn is_run_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'#' || b == b'\''
}

/// The end of the run of punctuation, spaces and whole `is_word` words starting at `pos`
/// (`context._run_of(words).match(lower, pos).end()`). O(length of the run).
fn run_end(lower: &[u8], pos: usize, is_word: fn(&str) -> bool) -> usize {
    let n = lower.len();
    let mut i = pos;
    while i < n {
        if !is_run_byte(lower[i]) {
            i += 1;
            continue;
        }
        // A word must be whole: not preceded by a word byte (only possible at `pos`).
        if i > 0 && is_run_byte(lower[i - 1]) {
            break;
        }
        let mut j = i;
        while j < n && is_run_byte(lower[j]) {
            j += 1;
        }
        // ASCII text: any byte range is a valid `str`.
        match std::str::from_utf8(&lower[i..j]) {
            Ok(word) if is_word(word) => i = j,
            _ => break,
        }
    }
    i
}

/// True if `cue` lies inside one of `values` (cues that span another finder's value).
fn within(cue: &Cue, values: &[Cue]) -> bool {
    values
        .iter()
        .any(|v| v.start <= cue.start && cue.end <= v.end)
}

/// `context.GLUE`: words allowed between a cue and its value ("the card ending like in",
/// "MRN is"): the fillers and a few more.
pub fn is_glue(word: &str) -> bool {
    words::is_filler(word)
        || matches!(
            word,
            "#" | "a"
                | "an"
                | "are"
                | "as"
                | "b"
                | "be"
                | "by"
                | "card"
                | "code"
                | "correct"
                | "d"
                | "file"
                | "for"
                | "got"
                | "has"
                | "have"
                | "her"
                | "here"
                | "his"
                | "id"
                | "in"
                | "it"
                | "just"
                | "listed"
                | "my"
                | "new"
                | "now"
                | "number"
                | "of"
                | "our"
                | "part"
                | "said"
                | "says"
                | "shows"
                | "still"
                | "sure"
                | "their"
                | "to"
                | "verify"
                | "was"
                | "way"
                | "we"
                | "will"
                | "would"
                | "yeah"
                | "yes"
                | "your"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glue_runs_take_whole_words_only() {
        let lower = b"mrn is uh 12345";
        assert_eq!(run_end(lower, 3, is_glue), 10);
        // "island" is not "is"; a word right at `pos` after a word byte is not whole.
        assert_eq!(run_end(b"mrn island", 3, is_glue), 4);
        assert_eq!(run_end(b"mrn#is 5", 3, is_glue), 3);
        assert_eq!(run_end(b"x ... , ", 1, is_glue), 8);
    }

    #[test]
    fn word_after_strips_trailing_dots() {
        let ctx = Context::new("10 a.m. Tomorrow", &[]);
        assert_eq!(ctx.word_after(2), "a.m");
        assert_eq!(ctx.word_after(7), "tomorrow");
        assert_eq!(ctx.word_after(16), "");
        assert_eq!(Context::new("5 ...", &[]).word_after(1), "");
    }

    #[test]
    fn labels_chain_across_fillers() {
        let mut ctx = Context::new("my phone is 415 uh 555 1234", &[]);
        assert_eq!(ctx.label_for(12), Some(Label::Phone));
        ctx.accept(15, Label::Phone);
        assert!(ctx.chained(19));
        assert_eq!(ctx.label_for(19), Some(Label::Phone));
        assert!(!ctx.chained(15));
        assert_eq!(ctx.cue_inside(0, 12), 11);
        assert_eq!(ctx.cue_inside(11, 12), 11);
    }
}
