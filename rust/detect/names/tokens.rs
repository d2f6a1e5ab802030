//! Words as the NAME rules read them: `_token` (a word, the gap before it and its word
//! classes) and `_flags` (the classes of a word in any case).

use super::text::{with_lower, word_at};
use crate::detect::lexicon::{self as gz, Lexicon};

/// A word `text[start..end]`, the `gap` of blanks and punctuation before it (runs of
/// blanks read as one space) and its word classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub start: usize,
    pub end: usize,
    pub gap: &'a str,
    pub flags: u32,
}

/// The word after `pos` (`names._token`), or None if a non-word comes first.
///
/// A possessive "'s" is cut off ("Gray's" -> "Gray"). Cost: a short byte scan and one or
/// two hash look-ups. Never fails.
pub fn token<'a>(lex: &Lexicon, text: &'a str, pos: usize) -> Option<Token<'a>> {
    let b = text.as_bytes();
    let (start, mut end) = word_at(b, pos)?;
    if end - start > 2 && b[end - 2] == b'\'' && matches!(b[end - 1], b's' | b'S') {
        end -= 2;
    }
    let mut gap = &text[pos..start];
    if gap.len() > 1 && gap.bytes().all(|c| c == b' ' || c == b'\t') {
        gap = " "; // "tomas  herrera": runs of blanks count as one
    }
    Some(Token {
        start,
        end,
        gap,
        flags: flags(lex, &text[start..end]),
    })
}

/// The word classes of `word` in any case (`names._flags`): its lexicon entry; else a
/// contraction ("I'm") is a STOP word; else a hyphenated word is a name if any part is,
/// ordinary only if every part is. Cost: one to a few hash look-ups. Never fails.
pub fn flags(lex: &Lexicon, word: &str) -> u32 {
    with_lower(word, |low| {
        let flags = lex.flags(low);
        if flags != 0 {
            // Every lexicon entry has some flag, so 0 means "not in the lexicon".
            return flags;
        }
        if is_contraction(low) {
            return gz::STOP;
        }
        if low.contains('-') {
            let mut name = 0;
            let mut all_common = true;
            for part in low.split('-') {
                let part = lex.flags(part);
                name |= part & (gz::FIRST | gz::LAST);
                all_common &= part & gz::COMMON != 0;
            }
            return name | if all_common { gz::COMMON } else { 0 };
        }
        0
    })
}

/// `_CONTRACTION.search(low)`: the lower-case word ends in 'm, 's, 're, 'll, 've, 'd or 't.
fn is_contraction(low: &str) -> bool {
    ["'m", "'s", "'re", "'ll", "'ve", "'d", "'t"]
        .iter()
        .any(|end| low.ends_with(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contractions() {
        assert!(is_contraction("i'm") && is_contraction("they're") && is_contraction("can't"));
        assert!(!is_contraction("o'neil") && !is_contraction("dm"));
    }
}
