//! Street lines and P.O. boxes (`places._street`, `_street_end`, `_po_box`): a house
//! number, up to four street words and a suffix, then an optional unit.
//!
//! The regexes of `places.py` (`_UNIT`, `_BOX_NUMBER`, `_HOUSE_NUMBER_NEAR`) are byte loops
//! here; each matches whole regex words (runs of [`is_word`] bytes), as their `\b` demand.

use super::doc::{is_alpha, is_space, is_word, Doc, WINDOW};
use crate::detect::candidate::{Candidate, Label};
use crate::detect::lexicon::{CALENDAR, DIRECTION, FILLER, NUMBER, ORDINAL, STOP, SUFFIX, TENS};

/// Street words read before a suffix (`_STREET_WORDS`).
const STREET_WORDS: usize = 4;
/// Streets named with no suffix word ("1722 broadway"): `_NAMED_STREETS`.
const NAMED_STREETS: [&[u8]; 3] = [b"broadway", b"bowery", b"embarcadero"];
/// Suffixes of roads named by a number after them ("4500 highway 9"): `_NUMBERED_ROADS`.
const NUMBERED_ROADS: [&[u8]; 4] = [b"highway", b"hwy", b"route", b"rte"];

/// Whether `word` is one of `set` (lower-case words), in any case.
fn one_of_ci(word: &[u8], set: &[&[u8]]) -> bool {
    set.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// `_ROAD_NUMBER.match(text, pos)`: a space, then up to 4 digits and a letter as a whole
/// word, or up to 3 number words ("highway 9", "route sixty six"); its end.
fn road_number(text: &[u8], pos: usize) -> Option<usize> {
    if text.get(pos) != Some(&b' ') {
        return None;
    }
    let start = pos + 1;
    let end = word_end(text, start);
    let word = &text[start..end];
    let digits = word.iter().take_while(|b| b.is_ascii_digit()).count();
    let lettered = word.len() == digits + 1 && word[digits].is_ascii_alphabetic();
    if (1..=4).contains(&digits) && (word.len() == digits || lettered) {
        return Some(end);
    }
    spoken_run(text, start, 3, false)
}

/// One of `_NUMBER_WORDS` in any case ("thousand" too when `thousand`).
fn is_number_word(word: &[u8], thousand: bool) -> bool {
    if word.len() > 9 {
        return false;
    }
    let mut buf = [0u8; 9];
    let low = &mut buf[..word.len()];
    low.copy_from_slice(word);
    low.make_ascii_lowercase();
    match &*low {
        b"zero" | b"oh" | b"one" | b"two" | b"three" | b"four" | b"five" | b"six" | b"seven"
        | b"eight" | b"nine" | b"ten" | b"eleven" | b"twelve" | b"thirteen" | b"fourteen"
        | b"fifteen" | b"sixteen" | b"seventeen" | b"eighteen" | b"nineteen" | b"twenty"
        | b"thirty" | b"forty" | b"fifty" | b"sixty" | b"seventy" | b"eighty" | b"ninety"
        | b"hundred" | b"double" | b"triple" => true,
        b"thousand" => thousand,
        _ => false,
    }
}

/// End of the regex word (run of `\w` bytes) starting at `pos`.
fn word_end(text: &[u8], pos: usize) -> usize {
    let mut end = pos;
    while end < text.len() && is_word(text[end]) {
        end += 1;
    }
    end
}

/// `_HOUSE_NUMBER_NEAR.search(text, lo, hi)`: a digit, or a number word standing alone
/// (its left edge read in the whole text, its right edge cut at `hi`).
fn house_number_near(text: &[u8], lo: usize, hi: usize) -> bool {
    let window = &text[lo..hi];
    if window.iter().any(u8::is_ascii_digit) {
        return true;
    }
    let mut i = lo;
    if lo > 0 && is_word(text[lo - 1]) {
        while i < hi && is_word(text[i]) {
            i += 1; // the tail of a word begun before the window has no `\b` at its start
        }
    }
    while i < hi {
        if !is_word(text[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < hi && is_word(text[i]) {
            i += 1;
        }
        if is_number_word(&text[start..i], true) {
            return true;
        }
    }
    false
}

/// End of `(?:(?:ITEM)\b ?){1,max}(?<! )` at `pos`: up to `max` whole words, one space
/// apart, each a number word (or a single letter when `letters`); None if the first is not.
fn spoken_run(text: &[u8], pos: usize, max: usize, letters: bool) -> Option<usize> {
    let item = |at: usize| {
        let end = word_end(text, at);
        let w = &text[at..end];
        let ok =
            is_number_word(w, false) || (letters && w.len() == 1 && w[0].is_ascii_alphabetic());
        ok.then_some(end)
    };
    let mut end = item(pos)?;
    for _ in 1..max {
        if text.get(end) != Some(&b' ') {
            break;
        }
        match item(end + 1) {
            Some(next) => end = next,
            None => break,
        }
    }
    Some(end)
}

/// `[a-z]?\d+[a-z]?\b` at `pos` (ignoring case), as a whole word: its end.
fn unit_code(text: &[u8], pos: usize) -> Option<usize> {
    let end = word_end(text, pos);
    let mut w = &text[pos..end];
    if w.first().is_some_and(u8::is_ascii_alphabetic) {
        w = &w[1..];
    }
    if w.last().is_some_and(u8::is_ascii_alphabetic) {
        w = &w[..w.len() - 1];
    }
    (!w.is_empty() && w.iter().all(u8::is_ascii_digit)).then_some(end)
}

fn skip_spaces(text: &[u8], mut pos: usize) -> usize {
    while pos < text.len() && is_space(text[pos]) {
        pos += 1;
    }
    pos
}

/// `_UNIT.match(text, pos)`: ", Apt 4B", " #18", " apartment three six four"; its end.
fn unit(text: &[u8], mut pos: usize) -> Option<usize> {
    if text.get(pos) == Some(&b'.') {
        pos += 1;
    }
    if text.get(pos) == Some(&b',') {
        pos += 1;
    }
    let spaced = skip_spaces(text, pos);
    if spaced == pos {
        return None;
    }
    let mut pos = spaced;
    if text.get(pos) == Some(&b'#') {
        pos = skip_spaces(text, pos + 1);
    } else {
        let end = word_end(text, pos);
        let mut buf = [0u8; 9];
        let word = &text[pos..end];
        if word.len() > buf.len() {
            return None;
        }
        let low = &mut buf[..word.len()];
        low.copy_from_slice(word);
        low.make_ascii_lowercase();
        let designator = matches!(
            &*low,
            b"apartment"
                | b"apt"
                | b"unit"
                | b"suite"
                | b"ste"
                | b"number"
                | b"no"
                | b"room"
                | b"rm"
                | b"lot"
                | b"space"
                | b"bldg"
                | b"building"
                | b"floor"
                | b"fl"
        );
        if !designator {
            return None;
        }
        pos = end;
        if text.get(pos) == Some(&b'.') {
            pos += 1;
        }
        pos = skip_spaces(text, pos);
        if text.get(pos) == Some(&b'#') {
            pos += 1;
        }
        pos = skip_spaces(text, pos);
    }
    unit_code(text, pos).or_else(|| spoken_run(text, pos, 6, true))
}

/// `_street_end`: extend a street line ending at `end` over an abbreviation's period
/// ("St.") and a unit.
fn street_end(text: &[u8], mut end: usize) -> usize {
    if text.get(end) == Some(&b'.') {
        // `end - text.rfind(" ", 0, end) <= 5`, with -1 when there is no space
        let space = text[..end].iter().rposition(|&b| b == b' ');
        if space.map_or(end < 5, |s| end - s <= 5) {
            end += 1;
        }
    }
    unit(text, end).unwrap_or(end)
}

/// `_po_box`: "P.O. Box 3673" / "post office box forty six sixty five" from the box phrase
/// `text[start..end]`. A few byte comparisons.
pub fn po_box(text: &[u8], start: usize, end: usize) -> Option<Candidate> {
    let mut pos = skip_spaces(text, end);
    if text.get(pos) == Some(&b'#') {
        pos += 1;
    }
    pos = skip_spaces(text, pos);
    let w_end = word_end(text, pos);
    let number =
        if (1..=6).contains(&(w_end - pos)) && text[pos..w_end].iter().all(u8::is_ascii_digit) {
            Some(w_end)
        } else {
            spoken_run(text, pos, 8, false)
        };
    number.map(|n| Candidate::new(start, n, Label::Address, 0.95))
}

/// `_ORDINAL_DIGITS.fullmatch(word)`: "25th", "3RD".
fn ordinal_digits(word: &[u8]) -> bool {
    let digits = word.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || word.len() != digits + 2 {
        return false;
    }
    let s = [
        word[digits].to_ascii_lowercase(),
        word[digits + 1].to_ascii_lowercase(),
    ];
    matches!(&s, b"st" | b"nd" | b"rd" | b"th")
}

/// `_HOUSE_DIGITS.fullmatch(word)`: 1-6 digits and an optional letter.
fn house_digits(word: &[u8]) -> bool {
    let digits = word.iter().take_while(|b| b.is_ascii_digit()).count();
    (1..=6).contains(&digits)
        && (word.len() == digits
            || (word.len() == digits + 1 && word[digits].is_ascii_alphabetic()))
}

/// Anything but blanks and periods in `s` (`s.strip(" .")` is not empty).
fn not_blank(s: &[u8]) -> bool {
    s.iter().any(|&b| b != b' ' && b != b'.')
}

/// `_street`: the street line ending with the suffix `text[start..end]`, and its unit if any
/// (two spans when a filler splits number and street). Cost: a 90-byte backward scan and a
/// hash look-up per word read before the suffix (the street words, fillers and number,
/// not all 14). Empty when no house number leads the line.
pub fn street(doc: &Doc, start: usize, end: usize) -> Vec<Candidate> {
    let text = doc.text;
    if !house_number_near(text, start.saturating_sub(WINDOW), start) {
        return Vec::new(); // "by the way", "parking lot": no house number to start a line
    }
    let before = doc.words_before(start);
    if before.is_empty() || not_blank(&text[before.word(0).end..start]) {
        return Vec::new();
    }
    // In cased text a street name is cased like its suffix: "Bear Creek", "main st".
    let capital = text[start].is_ascii_uppercase();
    let (mut i, mut names) = (0, 0);
    while i < before.len() && names < STREET_WORDS {
        let w = before.word(i);
        let low = doc.low(&w);
        if doc.mixed && is_alpha(low) && text[w.start].is_ascii_uppercase() != capital {
            break;
        }
        if w.flags & ORDINAL != 0 || ordinal_digits(low) {
            i += if i + 1 < before.len() && before.word(i + 1).flags & TENS != 0 {
                2
            } else {
                1
            };
        } else if w.flags & NUMBER != 0
            || low[0].is_ascii_digit()
            || !is_alpha(low)
            || (w.flags & (STOP | FILLER | CALENDAR) != 0 && w.flags & DIRECTION == 0)
        {
            break;
        } else {
            i += 1;
        }
        names += 1;
        let prev = before.word(i - 1);
        if not_blank(&text[prev.gap..prev.start]) {
            return Vec::new(); // punctuation inside or before the street name
        }
    }
    let suffix = &text[start..end];
    let road = if one_of_ci(suffix, &NUMBERED_ROADS) {
        road_number(text, end)
    } else {
        None
    };
    if names == 0 && road.is_none() && !one_of_ci(suffix, &NAMED_STREETS) {
        return Vec::new(); // "1722 broadway", "4500 highway 9" need no street name
    }
    if inside_town(doc, start, end) && before.iter().take(i).any(|w| w.flags & SUFFIX != 0) {
        return Vec::new(); // "jasmine path [linn creek]": the town after an earlier suffix
    }
    let street_start = if i > 0 {
        before.word(i - 1).start
    } else {
        start
    };
    let end = road.unwrap_or(end); // "highway 9", "route sixty six"
    let mut j = i;
    while j < before.len() && before.word(j).flags & FILLER != 0 {
        j += 1; // "two ninety five um driftwood street"
    }
    let (mut number_start, mut number_end) = (None, None);
    let mut k = j;
    if k < before.len() && house_digits(doc.low(&before.word(k))) {
        number_start = Some(before.word(k).start);
        number_end = Some(before.word(k).end);
    } else {
        while k < before.len() && before.word(k).flags & NUMBER != 0 && k - j < 8 {
            number_start = Some(before.word(k).start);
            number_end = number_end.or(Some(before.word(k).end));
            k += 1;
        }
    }
    let (Some(number_start), Some(number_end)) = (number_start, number_end) else {
        return Vec::new();
    };
    let score = if text[number_start].is_ascii_digit() {
        0.95
    } else {
        0.9
    };
    let end = street_end(text, end);
    if j > i {
        return vec![
            Candidate::new(number_start, number_end, Label::Address, score),
            Candidate::new(street_start, end, Label::Address, score),
        ];
    }
    vec![Candidate::new(number_start, end, Label::Address, score)]
}

/// `_inside_town`: whether `text[start..end]` lies inside a longer scanned town ("hill" in
/// "hill city").
fn inside_town(doc: &Doc, start: usize, end: usize) -> bool {
    doc.towns
        .iter()
        .any(|&(s, e)| s <= start && end <= e && (s, e) != (start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_match_like_the_regex() {
        let end = |t: &str, pos: usize| unit(t.as_bytes(), pos);
        assert_eq!(end("Dr Apt 4B.", 2), Some(9));
        assert_eq!(end("Loop, Unit 21B, x", 4), Some(14));
        assert_eq!(end("Hwy, #18, x", 3), Some(8));
        assert_eq!(end("Pkwy. Apt. 409, x", 4), Some(14));
        assert_eq!(end("run apartment three six four mullin", 3), Some(28));
        assert_eq!(end("st unit a b c d e f g", 2), Some(19));
        assert_eq!(end("st apt 4bx", 2), None);
        assert_eq!(end("st apt-4", 2), None);
        assert_eq!(end("st number", 2), None);
    }

    #[test]
    fn box_numbers() {
        let b = |t: &str| po_box(t.as_bytes(), 0, 3).map(|c| c.end);
        assert_eq!(b("box 3673, x"), Some(8));
        assert_eq!(b("box 1234567"), None);
        assert_eq!(b("box # forty six that's"), Some(15));
        assert_eq!(b("box 12ab"), None);
        assert_eq!(b("box"), None);
    }

    #[test]
    fn house_numbers_near() {
        let near = |t: &str, lo: usize| house_number_near(t.as_bytes(), lo, t.len());
        assert!(near("at 12 ", 0));
        assert!(near("five oak ", 0));
        assert!(!near("xfive oak ", 1)); // no `\b` inside a word cut by the window
        assert!(near("twenty", 0)); // the window end is a boundary
        assert!(!near("fives", 0));
        assert!(near("one thousand", 4));
    }

    #[test]
    fn road_numbers() {
        let r = |t: &str| road_number(t.as_bytes(), 0);
        assert_eq!(r(" 9 north"), Some(2));
        assert_eq!(r(" 66a"), Some(4));
        assert_eq!(r(" 12345"), None);
        assert_eq!(r(" 9ab"), None);
        assert_eq!(r(" sixty six miles"), Some(10));
        assert_eq!(r(" one two three four"), Some(14));
        assert_eq!(r("9"), None);
        assert!(one_of_ci(b"Broadway", &NAMED_STREETS) && !one_of_ci(b"way", &NAMED_STREETS));
    }

    #[test]
    fn word_shapes() {
        assert!(ordinal_digits(b"25th") && ordinal_digits(b"3RD") && !ordinal_digits(b"th"));
        assert!(house_digits(b"12a") && house_digits(b"123456") && !house_digits(b"1234567"));
        assert!(!house_digits(b"12ab") && !house_digits(b"a12"));
    }
}
