//! One text under analysis (`places._Doc`): the text, its word classes and its scanned towns,
//! and the byte-level stand-ins for the regexes and `str` methods `places.py` uses.
//!
//! The text is ASCII, so Python's `\s` is [`is_space`], `[^\W_]` is ASCII alphanumeric, `\b`
//! borders [`is_word`] bytes, and `str.lower()` is `to_ascii_lowercase`.

use crate::detect::capitals;
use std::cell::Cell;

use crate::detect::lexicon::{Lexicon, PhraseHit, PLACE, STATE, STATE_CODE};

/// Characters looked at before a street suffix (`_WINDOW`).
pub const WINDOW: usize = 90;
/// Words looked at before it: 4 street words, a filler, 8 number words (`_MAX_BEFORE`).
pub const MAX_BEFORE: usize = 14;

/// Python's `\s` / `str.isspace()` on one ASCII byte.
#[inline]
pub fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | 0x1C..=0x1F | b' ')
}

/// A separator before a word: `[\s,.:="]`.
#[inline]
fn is_sep(b: u8) -> bool {
    is_space(b) || matches!(b, b',' | b'.' | b':' | b'=' | b'"')
}

/// A regex word character (`\w` on ASCII): where `\b` looks.
#[inline]
pub fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `s.isupper()`: some capital and no lowercase letter.
pub fn is_upper(s: &[u8]) -> bool {
    s.iter().any(u8::is_ascii_uppercase) && !s.iter().any(u8::is_ascii_lowercase)
}

/// `s.isalpha()`: non-empty, letters only.
pub fn is_alpha(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(u8::is_ascii_alphabetic)
}

/// `s.isdigit()`: non-empty, digits only.
pub fn is_digits(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(u8::is_ascii_digit)
}

/// The flags of the lower-cased phrase `parts.join(" ")`: `lexicon().get(...)`, with no
/// allocation for phrases up to 64 bytes, and no copy of one lower-case part.
pub fn lookup(lex: &Lexicon, parts: &[&[u8]]) -> u32 {
    if let [part] = parts {
        if !part.iter().any(u8::is_ascii_uppercase) {
            return lex.flags_of_bytes(part);
        }
    }
    let len = parts
        .iter()
        .map(|p| p.len() + 1)
        .sum::<usize>()
        .saturating_sub(1);
    let mut stack = [0u8; 64];
    let mut heap = Vec::new();
    let buf: &mut [u8] = if len <= stack.len() {
        &mut stack[..len]
    } else {
        heap.resize(len, 0);
        &mut heap
    };
    let mut at = 0;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            buf[at] = b' ';
            at += 1;
        }
        for &b in *part {
            buf[at] = b.to_ascii_lowercase();
            at += 1;
        }
    }
    lex.flags_of_bytes(buf)
}

/// A word (letters and digits) of the text: `text[start..end]`, the gap before it from
/// `gap`, and its word classes (`places.Word`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub gap: usize,
    pub flags: u32,
}

pub struct Doc<'a> {
    pub lex: &'a Lexicon,
    pub text: &'a [u8],
    /// Capitals carry information: `text != text.lower()`.
    pub mixed: bool,
    /// Scanned towns: (start, longest end), in first-seen order.
    pub towns: Vec<(usize, usize)>,
    /// Scanned towns: (end, earliest start).
    pub town_ends: Vec<(usize, usize)>,
    /// The text names a state somewhere.
    pub stated: bool,
}

impl<'a> Doc<'a> {
    /// `_Doc(text, hits)`. Cost: one pass over the text and one over the hits.
    pub fn new(lex: &'a Lexicon, text: &'a str, hits: &[PhraseHit]) -> Self {
        let text = text.as_bytes();
        let mut doc = Doc {
            lex,
            text,
            mixed: capitals::any(text),
            towns: Vec::new(),
            town_ends: Vec::new(),
            stated: false,
        };
        for h in hits {
            if h.flags & PLACE != 0 && h.flags & STATE == 0 {
                match doc.towns.iter_mut().find(|t| t.0 == h.start) {
                    Some(t) => t.1 = t.1.max(h.end),
                    None => doc.towns.push((h.start, h.end)),
                }
                match doc.town_ends.iter_mut().find(|t| t.0 == h.end) {
                    Some(t) => t.1 = t.1.min(h.start),
                    None => doc.town_ends.push((h.end, h.start)),
                }
            }
            if h.flags & STATE != 0
                || (h.flags & STATE_CODE != 0 && is_upper(&text[h.start..h.end]))
            {
                doc.stated = true;
            }
        }
        doc
    }

    /// The longest scanned town starting at `start` (`towns.get(start)`).
    pub fn town_from(&self, start: usize) -> Option<usize> {
        self.towns.iter().find(|t| t.0 == start).map(|t| t.1)
    }

    /// The earliest start of a scanned town ending at `end` (`town_ends.get(end)`).
    pub fn town_to(&self, end: usize) -> Option<usize> {
        self.town_ends.iter().find(|t| t.0 == end).map(|t| t.1)
    }

    /// The bytes of `w`.
    #[inline]
    pub fn low(&self, w: &Word) -> &'a [u8] {
        &self.text[w.start..w.end]
    }

    /// Whether the gap before `w` (from [`Doc::word`]) counts as one space: `" "`, or a
    /// run of blanks and tabs.
    pub fn spaced(&self, w: &Word) -> bool {
        let gap = &self.text[w.gap..w.start];
        gap == b" " || (gap.len() > 1 && gap.iter().all(|&b| b == b' ' || b == b'\t'))
    }

    /// The flags of the lower-cased `text[start..end]`.
    pub fn flags_of(&self, start: usize, end: usize) -> u32 {
        lookup(self.lex, &[&self.text[start..end]])
    }

    /// The word after `pos` (separators skipped), or None at anything else (`_WORD.match`).
    /// Cost: a scan over the gap and the word, one hash look-up.
    pub fn word(&self, pos: usize) -> Option<Word> {
        let t = self.text;
        let mut start = pos;
        while start < t.len() && is_sep(t[start]) {
            start += 1;
        }
        if start >= t.len() || !t[start].is_ascii_alphanumeric() {
            return None;
        }
        let mut end = start;
        while end < t.len() && t[end].is_ascii_alphanumeric() {
            end += 1;
        }
        Some(self.make(start, end, pos))
    }

    /// The word just before `pos` when only separators follow it, looking back 40
    /// characters (`_WORD_BEFORE.search`); its gap is the separators before it.
    pub fn word_before(&self, pos: usize) -> Option<Word> {
        let t = self.text;
        let lo = pos.saturating_sub(40);
        let mut end = pos;
        while end > lo && is_sep(t[end - 1]) {
            end -= 1;
        }
        if end == lo || !t[end - 1].is_ascii_alphanumeric() {
            return None;
        }
        let mut start = end;
        while start > lo && t[start - 1].is_ascii_alphanumeric() {
            start -= 1;
        }
        let mut gap = start;
        while gap > lo && is_sep(t[gap - 1]) {
            gap -= 1;
        }
        Some(self.make(start, end, gap))
    }

    /// The last [`MAX_BEFORE`] words of the [`WINDOW`] characters before `pos`, nearest
    /// first (`_Doc.words_before`), each word's classes looked up when it is first read.
    /// Cost: a backward scan of at most 90 bytes.
    pub fn words_before(&self, pos: usize) -> Before<'_, 'a> {
        let t = self.text;
        let lo = pos.saturating_sub(WINDOW);
        // Word spans, nearest first: at most MAX_BEFORE + 1 are ever looked at.
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(MAX_BEFORE + 1);
        let mut i = pos;
        while spans.len() <= MAX_BEFORE {
            while i > lo && !t[i - 1].is_ascii_alphanumeric() {
                i -= 1;
            }
            if i == lo {
                break;
            }
            let end = i;
            while i > lo && t[i - 1].is_ascii_alphanumeric() {
                i -= 1;
            }
            spans.push((i, end));
        }
        if spans.len() <= MAX_BEFORE && lo > 0 {
            spans.pop(); // the earliest word may be cut by the window
        }
        Before {
            doc: self,
            spans,
            lo,
            flags: std::array::from_fn(|_| Cell::new(UNREAD)),
        }
    }

    fn make(&self, start: usize, end: usize, gap: usize) -> Word {
        Word {
            start,
            end,
            gap,
            flags: self.flags_of(start, end),
        }
    }
}

/// A word's classes not looked up yet (no lexicon entry has every flag).
const UNREAD: u32 = u32::MAX;

/// The words before a position ([`Doc::words_before`]), nearest first. The rules read only
/// the nearest few of them, so a word's classes are looked up when it is first read.
pub struct Before<'d, 'a> {
    doc: &'d Doc<'a>,
    /// Word spans, nearest first: one more than [`Before::len`] when the window holds more.
    spans: Vec<(usize, usize)>,
    /// The window's start.
    lo: usize,
    /// Each word's classes once read, else [`UNREAD`].
    flags: [Cell<u32>; MAX_BEFORE],
}

impl Before<'_, '_> {
    /// How many words there are (at most [`MAX_BEFORE`]).
    pub fn len(&self) -> usize {
        self.spans.len().min(MAX_BEFORE)
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The `k`-th word before the position (0 the nearest). Its gap is everything between
    /// it and the word before ("-" in "128-bit" too). Cost: one look-up of its classes the
    /// first time it is read. Panics if `k >= self.len()`, as indexing would.
    pub fn word(&self, k: usize) -> Word {
        assert!(k < self.len(), "word {k} of {} before", self.len());
        let (start, end) = self.spans[k];
        let gap = match self.spans.get(k + 1) {
            Some(&(_, prev_end)) => prev_end,
            None => {
                let t = self.doc.text;
                let mut g = start;
                while g > self.lo && is_sep(t[g - 1]) {
                    g -= 1;
                }
                g
            }
        };
        let mut flags = self.flags[k].get();
        if flags == UNREAD {
            flags = self.doc.flags_of(start, end);
            self.flags[k].set(flags);
        }
        Word {
            start,
            end,
            gap,
            flags,
        }
    }

    /// The words in order, each read (and looked up) only when the iterator reaches it.
    pub fn iter(&self) -> impl Iterator<Item = Word> + '_ {
        (0..self.len()).map(|k| self.word(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::lexicon::SUFFIX;

    #[test]
    fn python_string_predicates() {
        assert!(is_upper(b"TS1"));
        assert!(!is_upper(b"Ts"));
        assert!(!is_upper(b"12"));
        assert!(is_alpha(b"abc") && !is_alpha(b"") && !is_alpha(b"a1"));
        assert!(is_digits(b"12345") && !is_digits(b""));
        assert!(is_space(0x1F) && is_space(0x0B) && !is_space(b'_'));
        assert!(is_word(b'_') && !is_word(b'-'));
    }

    /// Words as (word, gap, flags).
    type Said<'t> = &'t [(&'t str, &'t str, u32)];

    #[test]
    fn words_before_nearest_first_with_gaps_and_classes() {
        let lex = Lexicon::new([("main".to_string(), SUFFIX)], Vec::new()).unwrap();
        let long = format!("{} oak main st", "x".repeat(100));
        // (text, position, the words before it as (word, gap, flags))
        let cases: [(&str, usize, Said); 3] = [
            (
                "at 12-b main st",
                13,
                &[
                    ("main", " ", SUFFIX),
                    ("b", "-", 0),
                    ("12", " ", 0),
                    ("at", "", 0),
                ],
            ),
            ("  , st", 4, &[]),
            // The x-run is cut by the 90-byte window: not a word.
            (&long, 110, &[("main", " ", SUFFIX), ("oak", " ", 0)]),
        ];
        for (text, pos, expected) in cases {
            let scan = lex.scan(text);
            let doc = Doc::new(&lex, text, &scan);
            let before = doc.words_before(pos);
            let got: Vec<(&str, &str, u32)> = before
                .iter()
                .map(|w| (&text[w.start..w.end], &text[w.gap..w.start], w.flags))
                .collect();
            assert_eq!(got, expected, "{text:?}");
            // A word read again is looked up once and reads the same.
            if !before.is_empty() {
                assert_eq!(before.word(0), before.word(0));
            }
        }
    }
}
