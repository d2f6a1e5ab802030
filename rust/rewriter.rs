//! The streaming rewriter: replaces tokens in text that arrives in chunks.
//!
//! Shaped like httpx's incremental decoders: [`Rewriter::feed`] takes a chunk and returns all
//! the text that is settled, [`Rewriter::finish`] returns what is left. Between chunks it keeps
//! a [`State`] and the text of the one candidate token still open (the *held* tail). Everything
//! before the last `[` is settled at once, and so is that `[` as soon as the bytes after it
//! cannot begin a token of the table; the held tail is therefore at most
//! [`Table::longest_variant`] − 1 bytes, all ASCII, and text without `[` is never held.
//!
//! Chunk boundaries do not matter: the recogniser reads one byte at a time and resumes from its
//! state, so for every way of cutting a text, the outputs concatenated equal [`replace`] of the
//! whole text. Chunks are `&str`, so a cut can never fall inside a UTF-8 character, and output
//! is sliced only next to ASCII bytes (`[`, `]`), so it never splits one either.

use std::borrow::Cow;
use std::sync::Arc;

use memchr::memchr;

use crate::matcher::{State, Step};
use crate::table::{Mode, Table};

/// Replaces every token of `table` in `text`, writing values for `mode`.
///
/// One pass, O(len): `memchr` to each `[`, then one recogniser step per byte of the candidate.
/// Borrows `text` when it has no token to replace. Values are written as they are and never
/// scanned again.
pub fn replace<'a>(table: &Table, mode: Mode, text: &'a str) -> Cow<'a, str> {
    rewrite(table, mode, &mut Pending::default(), text, true)
}

/// A streaming rewriter over a shared table. Cheap to create: one `Arc` clone.
#[derive(Debug)]
pub struct Rewriter {
    table: Arc<Table>,
    mode: Mode,
    pending: Pending,
}

impl Rewriter {
    pub fn new(table: Arc<Table>, mode: Mode) -> Self {
        Self {
            table,
            mode,
            pending: Pending::default(),
        }
    }

    /// Reads the next chunk and returns the text it settles. Borrows from `chunk` when no
    /// replacement happens and nothing held before is released: for a chunk with no `[` and
    /// nothing held that is the whole chunk, without a copy. Never fails.
    pub fn feed<'a>(&mut self, chunk: &'a str) -> Cow<'a, str> {
        rewrite(&self.table, self.mode, &mut self.pending, chunk, false)
    }

    /// Ends the text: returns the held tail, which was not a token, as it is, and resets the
    /// rewriter to its initial state.
    pub fn finish(&mut self) -> String {
        self.pending.state = State::Idle;
        std::mem::take(&mut self.pending.held)
    }

    /// The text held back so far.
    pub fn held(&self) -> &str {
        &self.pending.held
    }
}

/// What a stream carries from one chunk to the next.
#[derive(Debug)]
struct Pending {
    state: State,
    /// The text of the open candidate, if it began in an earlier chunk. Invariant: non-empty
    /// exactly when `state` is not `Idle` between chunks (it holds at least the `[`).
    held: String,
}

impl Default for Pending {
    fn default() -> Self {
        Self {
            state: State::Idle,
            held: String::new(),
        }
    }
}

/// The one loop behind [`replace`] and [`Rewriter::feed`]. With `last`, the end of `chunk` is
/// the end of the text, so an open candidate is released as text instead of held.
fn rewrite<'a>(
    table: &Table,
    mode: Mode,
    pending: &mut Pending,
    chunk: &'a str,
    last: bool,
) -> Cow<'a, str> {
    if table.is_empty() {
        return Cow::Borrowed(chunk);
    }
    let bytes = chunk.as_bytes();
    let mut out = Output::new(chunk);
    // `chunk[..copied]` is settled: copied to `out`, or replaced.
    let mut copied = 0;
    // Where the open candidate began, when it began in this chunk (`pending.held` is empty).
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if matches!(pending.state, State::Idle) {
            let Some(offset) = memchr(b'[', &bytes[i..]) else {
                break;
            };
            start = i + offset;
            i = start + 1;
            pending.state = State::Open { pad: 0 };
            continue;
        }
        match pending.state.step(table, bytes[i]) {
            Step::Continue(next) => {
                pending.state = next;
                i += 1;
            }
            Step::Reject => {
                // The candidate is text; it stays in place (or leaves `held`, which comes first).
                // `bytes[i]` is read again from Idle, so `[[NAME_1]]` finds `[NAME_1]`.
                pending.state = State::Idle;
                out.push_str(&pending.held);
                pending.held.clear();
            }
            Step::Accept(index) => {
                if pending.held.is_empty() {
                    out.push_slice(copied, start);
                } else {
                    pending.held.clear();
                }
                out.push_str(table.value(index, mode));
                pending.state = State::Idle;
                i += 1;
                copied = i;
            }
        }
    }
    if pending.state == State::Idle || last {
        pending.state = State::Idle;
        out.push_str(&pending.held);
        pending.held.clear();
        out.push_slice(copied, bytes.len());
    } else if pending.held.is_empty() {
        out.push_slice(copied, start);
        pending.held.push_str(&chunk[start..]);
    } else {
        // The candidate began before this chunk, so nothing in it was settled (`copied` is 0).
        pending.held.push_str(&chunk[copied..]);
    }
    out.into_text()
}

/// The settled text of one call: a borrowed slice of the chunk for as long as possible.
struct Output<'a> {
    chunk: &'a str,
    text: Cow<'a, str>,
}

impl<'a> Output<'a> {
    fn new(chunk: &'a str) -> Self {
        Self {
            chunk,
            text: Cow::Borrowed(""),
        }
    }

    /// Appends `chunk[from..to]`; both are ASCII positions, so char boundaries.
    fn push_slice(&mut self, from: usize, to: usize) {
        let slice = &self.chunk[from..to];
        if matches!(self.text, Cow::Borrowed(settled) if settled.is_empty()) {
            self.text = Cow::Borrowed(slice);
        } else {
            self.push_str(slice);
        }
    }

    fn push_str(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if let Cow::Borrowed(borrowed) = self.text {
            // Room for the whole chunk and a typical value: one allocation usually suffices.
            let mut owned = String::with_capacity(self.chunk.len() + text.len() + 32);
            owned.push_str(borrowed);
            self.text = Cow::Owned(owned);
        }
        self.text.to_mut().push_str(text);
    }

    fn into_text(self) -> Cow<'a, str> {
        self.text
    }
}
