//! The recogniser: a state machine that reads a candidate token one byte at a time.
//!
//! A candidate starts at `[` (the caller finds it, see [`crate::rewriter`]) and then walks
//!
//! ```text
//! Open{pad} --word byte--> Word{range, depth} --' '--> Close{index, pad} --']'--> accept
//!   |  ' ' (pad < 2)        |  word byte               |  ' ' (pad < 2)
//!   '-> Open{pad+1}         '-> Word{narrowed range}    '-> Close{pad+1}
//!                           '--']'--> accept (if the word read so far is a whole table word)
//! ```
//!
//! and is rejected at the first byte that no token *of this table* can continue with. So the
//! text of a live candidate is always the beginning of some token of the table, in some
//! tolerated variant, and it never contains a second `[`: on rejection the caller re-reads the
//! rejected byte from [`State::Idle`], which is how `[[NAME_1]]` finds its inner token.

use crate::table::Table;
use crate::token::{is_word_byte, MAX_PAD};

/// Where the recogniser stands. Small and `Copy`: a stream keeps one between chunks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Not inside a candidate.
    Idle,
    /// Read `[` and `pad` spaces.
    Open { pad: u8 },
    /// Read `[`, padding and `depth` word bytes; `words[lo..hi]` (never empty) start with them.
    Word { lo: u32, hi: u32, depth: u32 },
    /// Read a whole word, `words[index]`, and `pad` spaces (at least one) after it.
    Close { index: u32, pad: u8 },
}

/// What reading one byte did to a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Still the beginning of a token of the table.
    Continue(State),
    /// Not a token of the table: the candidate is plain text, and the byte just read was not
    /// consumed (it may open the next candidate).
    Reject,
    /// The byte was the closing `]` of the token whose value is at this index.
    Accept(u32),
}

impl Table {
    /// Reads `byte` in a candidate that is in `state` (not [`State::Idle`]). O(log n) for a word
    /// byte, O(1) otherwise.
    #[inline]
    pub(crate) fn step(&self, state: State, byte: u8) -> Step {
        match state {
            State::Idle => unreachable!("a candidate starts at '[', read by the caller"),
            State::Open { pad } => {
                if byte == b' ' && pad < MAX_PAD {
                    Step::Continue(State::Open { pad: pad + 1 })
                } else if is_word_byte(byte) {
                    self.word(self.all().start, self.all().end, 0, byte)
                } else {
                    Step::Reject
                }
            }
            State::Word { lo, hi, depth } => {
                if is_word_byte(byte) {
                    self.word(lo, hi, depth, byte)
                } else if !self.word_ends_at(lo, depth) {
                    // A word equal to the bytes read would sort first in the range.
                    Step::Reject
                } else if byte == b']' {
                    Step::Accept(lo)
                } else if byte == b' ' {
                    Step::Continue(State::Close { index: lo, pad: 1 })
                } else {
                    Step::Reject
                }
            }
            State::Close { index, pad } => {
                if byte == b']' {
                    Step::Accept(index)
                } else if byte == b' ' && pad < MAX_PAD {
                    Step::Continue(State::Close {
                        index,
                        pad: pad + 1,
                    })
                } else {
                    Step::Reject
                }
            }
        }
    }

    /// Reads word byte `byte` after `depth` word bytes matched by `words[lo..hi]`.
    #[inline]
    fn word(&self, lo: u32, hi: u32, depth: u32, byte: u8) -> Step {
        let next = self.narrow(lo..hi, depth, byte.to_ascii_uppercase());
        if next.is_empty() {
            Step::Reject
        } else {
            Step::Continue(State::Word {
                lo: next.start,
                hi: next.end,
                depth: depth + 1,
            })
        }
    }
}
