//! The token table: the values of one request's tokens, and the trie of their words.

use std::fmt;
use std::sync::OnceLock;

use crate::json;
use crate::token::{self, TokenError, MAX_PAD};
use crate::trie::Trie;

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
    /// The canonical words (`NAME_1`); word `i` stands for `values[i]`.
    trie: Trie,
    values: Vec<Box<str>>,
    /// `json_values[i]` is `values[i]` escaped as JSON string content; made on first use, as
    /// most tables only ever rehydrate plain content.
    json_values: OnceLock<Vec<Box<str>>>,
    /// Length in bytes of the longest token as it may be written: brackets, word, full padding.
    longest_variant: usize,
}

/// One key-value pair while the table is built.
struct Entry {
    word: Vec<u8>,
    position: usize,
    value: Box<str>,
}

impl Table {
    /// Builds a table from `(token, value)` pairs. Keys may be written in any recognised
    /// variant (see [`crate::token`]) and are normalised; values are copied.
    ///
    /// Costs a sort and a pass over the pairs, O(n log n + total size): a couple of microseconds
    /// for ten tokens. Fails on the first key that is not a token or that
    /// normalises to a token already seen.
    pub fn new<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Result<Self, TableError>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let pairs = pairs.into_iter();
        let mut entries = Vec::with_capacity(pairs.size_hint().0);
        for (position, (key, value)) in pairs.enumerate() {
            let word = token::canonical_word(key.as_ref()).map_err(|error| TableError {
                position,
                kind: TableErrorKind::NotAToken(error),
            })?;
            let value = value.as_ref().into();
            entries.push(Entry {
                word,
                position,
                value,
            });
        }
        entries.sort_unstable_by(|a, b| (&a.word, a.position).cmp(&(&b.word, b.position)));
        if let Some(pair) = entries.windows(2).find(|pair| pair[0].word == pair[1].word) {
            return Err(TableError {
                position: pair[1].position,
                kind: TableErrorKind::Duplicate,
            });
        }
        let words: Vec<&[u8]> = entries.iter().map(|e| e.word.as_slice()).collect();
        let longest_word = words.iter().map(|w| w.len()).max();
        Ok(Self {
            trie: Trie::new(&words),
            json_values: OnceLock::new(),
            values: entries.into_iter().map(|e| e.value).collect(),
            longest_variant: longest_word.map_or(0, |len| len + 2 + 2 * usize::from(MAX_PAD)),
        })
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Length in bytes (and in characters: tokens are ASCII) of the longest way a token of this
    /// table may be written, e.g. 12 for `[  NAME_1  ]`; 0 for an empty table. A stream never
    /// holds back more than this minus one.
    pub fn longest_variant(&self) -> usize {
        self.longest_variant
    }

    /// The trie of the canonical words; a word's index is its value's index.
    #[inline]
    pub(crate) fn trie(&self) -> &Trie {
        &self.trie
    }

    /// The values escaped as JSON string content, escaped on the first call.
    fn json_values(&self) -> &[Box<str>] {
        self.json_values.get_or_init(|| {
            let escape = |value: &str| json::escape_string_content(value).into_boxed_str();
            self.values.iter().map(|value| escape(value)).collect()
        })
    }

    /// The value at `index`, written for `mode`.
    #[inline]
    pub(crate) fn value(&self, index: u32, mode: Mode) -> &str {
        match mode {
            Mode::Plain => &self.values[index as usize],
            Mode::JsonString => &self.json_values()[index as usize],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of canonical `word`, looked up as the recogniser does.
    fn lookup<'t>(table: &'t Table, word: &str) -> Option<&'t str> {
        let node = table.trie().walk(word.as_bytes())?;
        let index = table.trie().word_at(node)?;
        Some(table.value(index, Mode::Plain))
    }

    #[test]
    fn keys_are_normalised() {
        let table =
            Table::new([("[name_10]", "b"), ("[ NAME_1 ]", "a"), ("[A_2]", "c\n")]).unwrap();
        assert_eq!(table.len(), 3);
        assert_eq!(lookup(&table, "NAME_1"), Some("a"));
        assert_eq!(lookup(&table, "NAME_10"), Some("b"));
        assert_eq!(lookup(&table, "A_2"), Some("c\n"));
        assert_eq!(
            lookup(&table, "name_1"),
            None,
            "the trie holds canonical words"
        );
        assert_eq!(table.value(0, Mode::JsonString), "c\\n");
        assert_eq!(table.longest_variant(), "[  NAME_10  ]".len());
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
