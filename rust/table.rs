//! The token table: canonical token words, sorted, with the values they stand for.
//!
//! The words are kept sorted so that "the words that start with what was read so far" is always
//! a contiguous range `words[lo..hi]`; reading one more byte narrows the range with two binary
//! searches ([`Table::narrow`]). That is a trie without nodes: no allocation per entry, and the
//! range is empty exactly when the text read so far can no longer become a token of this table.

use std::fmt;
use std::ops::Range;

use crate::json;
use crate::token::{self, TokenError, MAX_PAD};

/// How a value is written into the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// As is.
    Plain,
    /// Escaped as JSON string content ([`json::escape_string_content`]).
    JsonString,
}

/// A table key that is not a token, or names a token already in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableError {
    /// Position of the offending key in the input, counted from 0.
    pub position: usize,
    pub kind: TableErrorKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableErrorKind {
    NotAToken(TokenError),
    /// Another key normalises to the same canonical token (`[name_1]` and `[NAME_1]`).
    Duplicate,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "token table key at position {} ", self.position)?;
        match self.kind {
            TableErrorKind::NotAToken(error) => write!(f, "{error}"),
            TableErrorKind::Duplicate => f.write_str("names the same token as an earlier key"),
        }
    }
}

impl std::error::Error for TableError {}

/// An immutable token table. Built once per request, shared by every stream it starts.
#[derive(Debug)]
pub struct Table {
    /// Canonical words (`NAME_1`), upper case, sorted bytewise, unique.
    words: Vec<Box<[u8]>>,
    /// `values[i]` is the value of `words[i]`.
    values: Vec<Box<str>>,
    /// `json_values[i]` is `values[i]` escaped as JSON string content.
    json_values: Vec<Box<str>>,
    /// Length in bytes of the longest token as it may be written: brackets, word, full padding.
    longest_variant: usize,
}

impl Table {
    /// Builds a table from `(token, value)` pairs. Keys may be written in any recognised
    /// variant (see [`crate::token`]) and are normalised; values are copied and escaped once.
    ///
    /// Costs O(total size · log n). Fails on the first key that is not a token or that
    /// normalises to a token already seen.
    pub fn new<K, V>(entries: impl IntoIterator<Item = (K, V)>) -> Result<Self, TableError>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut entries = entries
            .into_iter()
            .enumerate()
            .map(|(position, (key, value))| {
                token::canonical_word(key.as_ref())
                    .map(|word| {
                        (
                            word.into_boxed_slice(),
                            position,
                            Box::<str>::from(value.as_ref()),
                        )
                    })
                    .map_err(|error| TableError {
                        position,
                        kind: TableErrorKind::NotAToken(error),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        if let Some(pair) = entries.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            return Err(TableError {
                position: pair[1].1,
                kind: TableErrorKind::Duplicate,
            });
        }
        let longest_word = entries.iter().map(|e| e.0.len()).max();
        let longest_variant = longest_word.map_or(0, |len| len + 2 + 2 * usize::from(MAX_PAD));
        let json_values = entries
            .iter()
            .map(|e| json::escape_string_content(&e.2).into_boxed_str())
            .collect();
        let (words, values) = entries.into_iter().map(|(w, _, v)| (w, v)).unzip();
        Ok(Self {
            words,
            values,
            json_values,
            longest_variant,
        })
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Length in bytes (and in characters: tokens are ASCII) of the longest way a token of this
    /// table may be written, e.g. 12 for `[  NAME_1  ]`; 0 for an empty table. A stream never
    /// holds back more than this minus one.
    pub fn longest_variant(&self) -> usize {
        self.longest_variant
    }

    /// All entries: the range a candidate token starts from.
    pub(crate) fn all(&self) -> Range<u32> {
        0..self.len() as u32
    }

    /// Whether `words[index]` is exactly `len` bytes long, i.e. is the whole word read so far.
    #[inline]
    pub(crate) fn word_ends_at(&self, index: u32, len: u32) -> bool {
        self.words[index as usize].len() == len as usize
    }

    /// The value of `words[index]`, written for `mode`.
    #[inline]
    pub(crate) fn value(&self, index: u32, mode: Mode) -> &str {
        match mode {
            Mode::Plain => &self.values[index as usize],
            Mode::JsonString => &self.json_values[index as usize],
        }
    }

    /// Given that `words[range]` are the words starting with the `depth` bytes read so far,
    /// the sub-range of those whose next byte is `byte` (upper case). Two binary searches.
    #[inline]
    pub(crate) fn narrow(&self, range: Range<u32>, depth: u32, byte: u8) -> Range<u32> {
        let candidates = &self.words[range.start as usize..range.end as usize];
        let depth = depth as usize;
        // Sorted words sharing a prefix are ordered by their byte at `depth`, and a word that
        // ends at `depth` (None) sorts before all of them.
        let start = candidates.partition_point(|w| w.get(depth) < Some(&byte));
        let len = candidates[start..].partition_point(|w| w.get(depth) == Some(&byte));
        let start = range.start + start as u32;
        start..start + len as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_normalised_and_sorted() {
        let table = Table::new([("[name_10]", "b"), ("[ NAME_1 ]", "a"), ("[A_2]", "c")]).unwrap();
        let words: Vec<&[u8]> = table.words.iter().map(|w| &w[..]).collect();
        assert_eq!(words, [&b"A_2"[..], b"NAME_1", b"NAME_10"]);
        assert_eq!(table.value(1, Mode::Plain), "a");
        assert_eq!(table.longest_variant(), "[  NAME_10  ]".len());
    }

    #[test]
    fn narrowing_follows_the_prefix() {
        let table = Table::new([("[NAME_1]", ""), ("[NAME_10]", ""), ("[NOTE_1]", "")]).unwrap();
        let n = table.narrow(table.all(), 0, b'N');
        assert_eq!(n, 0..3);
        let na = table.narrow(n, 1, b'A');
        assert_eq!(na, 0..2);
        let name_1 = "ME_1"
            .bytes()
            .zip(2..)
            .fold(na, |r, (b, d)| table.narrow(r, d, b));
        assert_eq!(name_1, 0..2);
        assert!(table.word_ends_at(name_1.start, 6));
        assert_eq!(table.narrow(name_1.clone(), 6, b'0'), 1..2);
        assert!(table.narrow(name_1, 6, b'2').is_empty());
        assert!(table.narrow(table.all(), 0, b'X').is_empty());
    }

    #[test]
    fn rejects_bad_keys_by_position() {
        let error = Table::new([("[NAME_1]", ""), ("NAME_2", "")]).unwrap_err();
        assert_eq!(error.position, 1);
        assert_eq!(error.kind, TableErrorKind::NotAToken(TokenError::Brackets));
        let error = Table::new([("[NAME_1]", ""), ("[A_1]", ""), ("[name_1]", "")]).unwrap_err();
        assert_eq!(error.position, 2);
        assert_eq!(error.kind, TableErrorKind::Duplicate);
        assert_eq!(
            error.to_string(),
            "token table key at position 2 names the same token as an earlier key"
        );
    }

    #[test]
    fn empty_table() {
        let table = Table::new(std::iter::empty::<(&str, &str)>()).unwrap();
        assert!(table.is_empty());
        assert_eq!(table.longest_variant(), 0);
    }
}
