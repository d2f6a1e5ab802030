//! Spoken number words to the characters they stand for (`python/phiwall/detect/numwords.py`).
//!
//! `to_chars(["four", "double", "five", "nineteen", "eighty", "five"])` -> "4551985". People
//! read IDs digit by digit, in pairs ("ninety nine eighty nine") or as hundreds ("one hundred
//! twelve"); all of those become the digits a keyboard would have produced. Single letters
//! stay letters, digit strings stay as they are, joiners ("dash") and unknown words are
//! dropped. Cost: linear in the number of words. Never fails.

use std::fmt::Write;

use crate::detect::words::{digit, repeat, teen, tens};

/// `numwords._SINGLE`: a digit word, a lower-case letter or a digit -> its one character.
fn single(word: &str) -> Option<char> {
    if let Some(d) = digit(word) {
        return char::from_digit(d, 10);
    }
    match word.as_bytes() {
        // "o" is a digit word (zero), caught above.
        &[b] if b.is_ascii_lowercase() || b.is_ascii_digit() => Some(char::from(b)),
        _ => None,
    }
}

/// `numwords._COMPOUND`: words that combine with their neighbours.
fn is_compound(word: &str) -> bool {
    teen(word).is_some()
        || tens(word).is_some()
        || repeat(word).is_some()
        || matches!(word, "hundred" | "thousand")
}

/// Python's `str.isdigit()` on ASCII.
fn is_digits(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

/// The digits and letters `words` spell, e.g. ["oh", "double", "seven"] -> "077".
///
/// `numwords.to_chars`, including its two fast paths (which, unlike the general loop, drop
/// an upper-case single letter). Cost: linear in the words. Never fails.
pub fn to_chars(words: &[&str]) -> String {
    let mut out = String::with_capacity(words.len() * 2);
    if words.iter().all(|w| single(w).is_some()) {
        out.extend(words.iter().filter_map(|w| single(w)));
        return out;
    }
    if !words.iter().any(|w| is_compound(w)) {
        for w in words {
            match single(w) {
                Some(c) => out.push(c),
                None if is_digits(w) => out.push_str(w),
                None => {}
            }
        }
        return out;
    }
    let n = words.len();
    let mut i = 0;
    while i < n {
        let w = words[i];
        if let (Some(times), Some(d)) = (repeat(w), words.get(i + 1).and_then(|x| digit(x))) {
            for _ in 0..times {
                push_number(&mut out, d);
            }
            i += 2;
            continue;
        }
        if digit(w).is_some() || teen(w).is_some() || tens(w).is_some() {
            i = small_number(words, i, &mut out);
            continue;
        }
        if is_digits(w) || (w.len() == 1 && w.as_bytes()[0].is_ascii_alphabetic()) {
            out.push_str(w);
        }
        i += 1;
    }
    out
}

fn push_number(out: &mut String, n: u32) {
    let _ = write!(out, "{n}"); // writing to a String cannot fail
}

/// Read one number starting at `words[i]` into `out`: digit, teen, tens(+digit), or
/// hundreds/thousands. Returns the index after the words consumed.
fn small_number(words: &[&str], i: usize, out: &mut String) -> usize {
    let next = words.get(i + 1).copied();
    if let Some(d) = digit(words[i]) {
        if next == Some("hundred") && d > 0 {
            let (rest, j) = below_hundred(words, i + 2);
            let _ = write!(out, "{:0>3}", d * 100 + rest.unwrap_or(0));
            return j;
        }
        if next == Some("thousand") && d > 0 {
            let mut j = i + 2;
            if words.get(j) == Some(&"and") {
                j += 1;
            }
            let (rest, j) = below_hundred(words, j);
            push_number(out, d * 1000 + rest.unwrap_or(0));
            return j;
        }
        push_number(out, d);
        return i + 1;
    }
    let (value, j) = below_hundred(words, i);
    if let Some(value) = value {
        push_number(out, value);
    }
    j
}

/// Read a teen, a tens word with an optional digit, or a single digit (`None` if none),
/// skipping a leading "and". Returns the value and the index after it.
fn below_hundred(words: &[&str], mut i: usize) -> (Option<u32>, usize) {
    if words.get(i) == Some(&"and") {
        i += 1;
    }
    let Some(&w) = words.get(i) else {
        return (None, i);
    };
    if let Some(t) = teen(w) {
        return (Some(t), i + 1);
    }
    if let Some(t) = tens(w) {
        return match words.get(i + 1).and_then(|x| digit(x)) {
            Some(d) if d > 0 => (Some(t + d), i + 2),
            _ => (Some(t), i + 1),
        };
    }
    match digit(w) {
        Some(d) => (Some(d), i + 1),
        None => (None, i),
    }
}

/// (digits, letters) in what `words` spell (`numwords.count_chars`).
pub fn count_chars(words: &[&str]) -> (usize, usize) {
    let chars = to_chars(words);
    let digits = chars.bytes().filter(u8::is_ascii_digit).count();
    (digits, chars.len() - digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(words: &str) -> String {
        to_chars(&words.split(' ').collect::<Vec<_>>())
    }

    #[test]
    fn reads_like_python() {
        assert_eq!(chars("four double five nineteen eighty five"), "4551985");
        assert_eq!(chars("oh double seven"), "077");
        assert_eq!(chars("one hundred twelve"), "112");
        assert_eq!(chars("one hundred"), "100");
        assert_eq!(chars("two thousand and five"), "2005");
        assert_eq!(chars("zero hundred"), "0");
        assert_eq!(chars("twenty zero"), "200");
        assert_eq!(chars("a b dash 12 x"), "ab12x");
        assert_eq!(chars("twenty A"), "20A");
        assert_eq!(chars("one A"), "1");
        assert_eq!(chars("double"), "");
        assert_eq!(chars("triple oh"), "000");
        assert_eq!(chars("double ten"), "10");
        assert_eq!(chars("and twenty"), "20");
        assert_eq!(chars("one thousand"), "1000");
        assert_eq!(count_chars(&["w", "three", "4"]), (2, 1));
    }
}
