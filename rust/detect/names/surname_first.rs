//! `_surname_first`: a surname written before its given name, after a comma, as charts list
//! people ("Hernandez, Maria J.", "patient hernandez, maria").

use super::text::upper_at;
use super::{Finder, NEVER, PAIR};
use crate::detect::candidate::{Candidate, Label};
use crate::detect::lexicon as gz;

impl Finder<'_> {
    /// A name found as one surname grows over the given name after its comma; in cased text
    /// a capitalised surname and given name are found without a cue. Both words must be
    /// gazetteer names ([`name_word`]). Cost: a look at each name found and at the word
    /// before each ", " of a cased text. Never fails.
    pub(super) fn surname_first(&self, found: &[Candidate], mixed: bool) -> Vec<Candidate> {
        let b = self.b;
        let mut spans = Vec::new();
        for name in found {
            if b[name.end..].starts_with(b", ")
                && !b[name.start..name.end].contains(&b' ')
                && name_word(self.flags(name.start, name.end), gz::LAST)
            {
                if let Some(given) = self.given_name(name.end + 2, mixed) {
                    spans.push(Candidate::new(name.start, given, Label::Name, name.score));
                }
            }
        }
        if mixed {
            for comma in memchr::memmem::find_iter(b, b", ") {
                let Some(start) = capitalised_word_before(b, comma) else {
                    continue;
                };
                if name_word(self.flags(start, comma), gz::LAST) {
                    if let Some(given) = self.given_name(comma + 2, mixed) {
                        spans.push(Candidate::new(start, given, Label::Name, PAIR));
                    }
                }
            }
        }
        spans
    }

    /// `_given_name`: the end of a given name starting at `start` with a middle initial
    /// after it ("Maria J."), or None if the word there is no gazetteer first name (or, in
    /// cased text, not capitalised).
    fn given_name(&self, start: usize, mixed: bool) -> Option<usize> {
        let b = self.b;
        let word_end = start
            + b[start..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
        if word_end == start || word_char(b.get(word_end)) {
            return None;
        }
        let mut end = word_end;
        // " J", " J.": a middle initial
        if b.get(end) == Some(&b' ')
            && b.get(end + 1).is_some_and(u8::is_ascii_alphabetic)
            && !word_char(b.get(end + 2))
        {
            end += 2;
            if b.get(end) == Some(&b'.') {
                end += 1;
            }
        }
        // In cased text a given name is capitalised, not an acronym ("NY").
        let acronym =
            word_end - start > 1 && b[start + 1..word_end].iter().all(u8::is_ascii_uppercase);
        if mixed && (!upper_at(b, start) || acronym) {
            return None;
        }
        name_word(self.flags(start, word_end), gz::FIRST).then_some(end)
    }
}

/// `_name_word`: whether a word with `flags` is a `kind` name (FIRST or LAST) in a
/// "Surname, Given" pair: not a stop word, a state or a state code ("Willet, NY"), an
/// ordinary word only if popular.
fn name_word(flags: u32, kind: u32) -> bool {
    if flags & kind == 0 || flags & (NEVER | gz::STATE | gz::STATE_CODE) != 0 {
        return false;
    }
    flags & gz::COMMON == 0 || flags & gz::POPULAR != 0
}

/// `_SURNAME_COMMA`: the start of the capitalised word (a capital, then lower-case letters)
/// that ends at `comma`, with no word character, apostrophe or hyphen before it.
fn capitalised_word_before(b: &[u8], comma: usize) -> Option<usize> {
    let lower = b[..comma]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_lowercase())
        .count();
    let start = comma.checked_sub(lower + 1)?;
    if lower == 0 || !upper_at(b, start) {
        return None;
    }
    let before = start.checked_sub(1).map(|i| b[i]);
    let joined = before.is_some_and(|c| word_char(Some(&c)) || c == b'\'' || c == b'-');
    (!joined).then_some(start)
}

/// A regex word character (`\w`, ASCII): a letter, a digit or `_`.
fn word_char(c: Option<&u8>) -> bool {
    c.is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
}
