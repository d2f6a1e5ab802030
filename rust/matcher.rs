//! The recogniser: a state machine that reads a candidate token one byte at a time.
//!
//! A candidate starts at `[` (the caller finds it, see [`crate::rewriter`]) and then walks
//!
//! ```text
//! Open{pad} --word byte--> Word{node} --' '--> Close{index, pad} --']'--> accept
//!   |  ' ' (pad < 2)        |  word byte       |  ' ' (pad < 2)
//!   '-> Open{pad+1}         '-> Word{child}    '-> Close{pad+1}
//!                           '--']'--> accept (if a table word ends at this node)
//! ```
//!
//! and is rejected at the first byte that no token *of this table* can continue with. So the
//! text of a live candidate is always the beginning of some token of the table, in some
//! tolerated variant, and it never contains a second `[`: on rejection the caller re-reads the
//! rejected byte from [`State::Idle`], which is how `[[NAME_1]]` finds its inner token.

use crate::table::Table;
use crate::token::{word_byte, MAX_PAD};
use crate::trie::Trie;

/// Where the recogniser stands. Small and `Copy`: a stream keeps one between chunks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Not inside a candidate.
    Idle,
    /// Read `[` and `pad` spaces.
    Open { pad: u8 },
    /// Read `[`, padding and the word bytes that lead to this trie node.
    Word { node: u32 },
    /// Read the whole word of the value at `index`, and `pad` spaces (at least one) after it.
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

impl State {
    /// Reads `byte` in a candidate (any state but [`State::Idle`]) against the words of `table`.
    /// O(1): at most a scan of one trie node's edges.
    #[inline]
    pub fn step(self, table: &Table, byte: u8) -> Step {
        let trie = table.trie();
        match self {
            State::Idle => unreachable!("a candidate starts at '[', read by the caller"),
            State::Open { pad } => match word_byte(byte) {
                Some(upper) => word(trie, Trie::ROOT, upper),
                None if byte == b' ' && pad < MAX_PAD => {
                    Step::Continue(State::Open { pad: pad + 1 })
                }
                None => Step::Reject,
            },
            State::Word { node } => match (word_byte(byte), trie.word_at(node)) {
                (Some(upper), _) => word(trie, node, upper),
                (None, Some(index)) if byte == b']' => Step::Accept(index),
                (None, Some(index)) if byte == b' ' => {
                    Step::Continue(State::Close { index, pad: 1 })
                }
                _ => Step::Reject,
            },
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
}

/// Reads canonical word byte `upper` after the word bytes that led to `node`.
#[inline]
fn word(trie: &Trie, node: u32, upper: u8) -> Step {
    match trie.child(node, upper) {
        Some(node) => Step::Continue(State::Word { node }),
        None => Step::Reject,
    }
}
