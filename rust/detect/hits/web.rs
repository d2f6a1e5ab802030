//! Emails and URLs, typed ("sam.b@yahoo.com", "instagram.com/kathy17") or spoken ("sarah dot
//! chen at gmail dot com", "x dot com slash patience underscore prince"): the handlers of
//! `python/phiwall/detect/web.py`.
//!
//! Hyperscan finds the anchor: a typed address, or the spoken tail "at <domain> dot com" /
//! "dot com". For spoken forms the user part is read backwards from the anchor: spelled
//! letters, number words and joiners ("dot", "dash", "underscore") always belong to it, up to
//! three other words do, and a stop word ("is", "to", "email", ...) or punctuation ends it.
//! URL paths are read forwards after "slash" the same way. Cost: O(words read), at most a few
//! dozen; no allocation. Never fails.

use super::context::Context;
use super::scores::{CUED, VALIDATED};
use crate::detect::candidate::{Candidate, Label};
use crate::detect::words;

/// How far (bytes) a spoken user part or URL path is read from its anchor (`web.py`'s 160).
const WINDOW: usize = 160;
/// Most words of a spoken value that are not letters, numbers or joiners.
const MAX_NAME_WORDS: usize = 3;
/// Most words of a spoken URL path (`words[:16]`).
const MAX_PATH_WORDS: usize = 16;

/// `web.on_email`: a typed address with "@"; the hit starts one byte before "@", so walk
/// back over the user part (letters, digits, "._%+-") and emit it as an EMAIL.
pub fn on_email(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let text = ctx.text.as_bytes();
    let mut start = start;
    while start > 0
        && (text[start - 1].is_ascii_alphanumeric() || b"._%+-".contains(&text[start - 1]))
    {
        start -= 1;
    }
    // "see: .sam@x.com": a user part does not start with punctuation.
    while start < text.len() && matches!(text[start], b'.' | b'-') {
        start += 1;
    }
    ctx.emit(out, start, end, Label::Email, VALIDATED);
}

/// `web.on_spoken_email`: "<user words> at <domain> dot com" (or "at domain.com"); reads the
/// user part backwards from the last "at " of the hit and emits user part to hit end.
pub fn on_spoken_email(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    // "i'm at work, email me at x at gmail dot com": the last "at" counts.
    let Some(at) = last_at(ctx.lower.as_bytes(), start, end) else {
        return;
    };
    let Some(user_start) = read_back(ctx.lower.as_bytes(), at) else {
        return;
    };
    ctx.emit(out, user_start, end, Label::Email, VALIDATED);
}

/// `web.on_url`: a typed URL or domain (optional path); trailing punctuation is not part of
/// it, and the domain of an email address is not a URL.
pub fn on_url(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let text = ctx.text.as_bytes();
    let mut end = end;
    while end > start && b".,;:!?)'\"".contains(&text[end - 1]) {
        end -= 1;
    }
    if start > 0 && text[start - 1] == b'@' {
        return;
    }
    ctx.emit(out, start, end, Label::Url, CUED);
}

/// `web.on_spoken_url`: "<host words> dot com [slash <path words>]": host read backwards
/// from the hit, path forwards after it.
pub fn on_spoken_url(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let lower = ctx.lower.as_bytes();
    let Some(host_start) = read_back(lower, start) else {
        return;
    };
    let end = read_path(lower, end);
    ctx.emit(out, host_start, end, Label::Url, CUED);
}

/// The start of the last `\bat ` wholly inside `lower[start..end]` (Python's `\b` also looks
/// at the byte before `start`), or None.
fn last_at(lower: &[u8], start: usize, end: usize) -> Option<usize> {
    let mut i = end.checked_sub(3)?;
    loop {
        if i < start {
            return None;
        }
        if &lower[i..i + 3] == b"at " && (i == 0 || !is_re_word(lower[i - 1])) {
            return Some(i);
        }
        if i == 0 {
            return None;
        }
        i -= 1;
    }
}

/// `web._read_back`: the start of the spoken user/host part that ends just before `anchor`,
/// or None if it is empty.
fn read_back(lower: &[u8], anchor: usize) -> Option<usize> {
    let window_start = anchor.saturating_sub(WINDOW);
    let mut start: Option<usize> = None;
    let mut named = 0;
    let mut prev_start = anchor;
    // The words of `_WORD.finditer(lower, window_start, anchor)`, last first.
    let mut pos = anchor;
    while pos > window_start {
        if !is_word_byte(lower[pos - 1]) {
            pos -= 1;
            continue;
        }
        let w_end = pos;
        while pos > window_start && is_word_byte(lower[pos - 1]) {
            pos -= 1;
        }
        let w_start = pos;
        let w = &lower[w_start..w_end];
        if !is_blank(&lower[w_end..prev_start]) {
            break; // punctuation between words ends the value
        }
        if is_stop_back(w) || w.ends_with(b".") || w.ends_with(b",") {
            break;
        }
        if !(is_joiner(w) || is_number_word(w) || w.len() == 1 || is_digits(w)) {
            if named == MAX_NAME_WORDS {
                break;
            }
            named += 1;
        }
        start = Some(w_start);
        prev_start = w_start;
    }
    let mut start = start?;
    loop {
        // a value does not begin with a joiner
        let mut m_end = start;
        while m_end < lower.len() && is_word_byte(lower[m_end]) {
            m_end += 1;
        }
        if m_end == start || !is_joiner(&lower[start..m_end]) {
            return Some(start);
        }
        start = m_end + 1;
        if start >= anchor {
            return None;
        }
    }
}

/// `web._read_path`: the end of a spoken URL path ("slash in slash carol dash lee") that
/// starts at `end`, or `end` if there is none.
fn read_path(lower: &[u8], end: usize) -> usize {
    let limit = lower.len().min(end + WINDOW);
    let mut words = WordIter {
        lower,
        pos: end,
        limit,
    };
    let Some(mut cur) = words.next() else {
        return end;
    };
    if &lower[cur.0..cur.1] != b"slash" || !is_blank(&lower[end..cur.0]) {
        return end;
    }
    let mut prev_end = end;
    for _ in 0..MAX_PATH_WORDS {
        let w = &lower[cur.0..cur.1];
        if !is_blank(&lower[prev_end..cur.0]) {
            break;
        }
        let next = words.next();
        let next_len = next.map_or(0, |(s, e)| e - s);
        if is_stop_forward(w) || ((w == b"i" || w == b"a") && next_len != 1) {
            break;
        }
        prev_end = cur.1;
        if w.ends_with(b".") || w.ends_with(b",") {
            prev_end -= 1;
            break;
        }
        match next {
            Some(n) => cur = n,
            None => break,
        }
    }
    prev_end
}

/// The (start, end) of the words (`[a-z0-9'@_.-]+`) of `lower[pos..limit]`, in order.
struct WordIter<'a> {
    lower: &'a [u8],
    pos: usize,
    limit: usize,
}

impl Iterator for WordIter<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        while self.pos < self.limit && !is_word_byte(self.lower[self.pos]) {
            self.pos += 1;
        }
        if self.pos >= self.limit {
            return None;
        }
        let start = self.pos;
        while self.pos < self.limit && is_word_byte(self.lower[self.pos]) {
            self.pos += 1;
        }
        Some((start, self.pos))
    }
}

/// A byte of `web._WORD`: `[a-z0-9'@_.-]`.
fn is_word_byte(b: u8) -> bool {
    matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'\'' | b'@' | b'_' | b'.' | b'-')
}

/// A byte of Python's `\w` (ASCII text).
fn is_re_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// True if `gap.strip()` is empty: only Python whitespace (`str.isspace`, ASCII part).
fn is_blank(gap: &[u8]) -> bool {
    gap.iter()
        .all(|&b| matches!(b, b'\t'..=b'\r' | 0x1c..=0x1f | b' '))
}

/// `w.isdigit()` on ASCII.
fn is_digits(w: &[u8]) -> bool {
    !w.is_empty() && w.iter().all(u8::is_ascii_digit)
}

/// `w in JOINERS`.
fn is_joiner(w: &[u8]) -> bool {
    std::str::from_utf8(w).is_ok_and(words::is_joiner)
}

/// `w in web._NUMBERWORDS`: digits, teens, tens, "double", "triple".
fn is_number_word(w: &[u8]) -> bool {
    std::str::from_utf8(w).is_ok_and(|w| {
        words::digit(w).is_some()
            || words::teen(w).is_some()
            || words::tens(w).is_some()
            || words::repeat(w).is_some()
    })
}

/// `w in web._STOP_BACK`: words that end a spoken user or host part read backwards.
fn is_stop_back(w: &[u8]) -> bool {
    matches!(
        w,
        b"is"
            | b"to"
            | b"it's"
            | b"its"
            | b"email"
            | b"e-mail"
            | b"mail"
            | b"address"
            | b"was"
            | b"me"
            | b"my"
            | b"at"
            | b"as"
            | b"changed"
            | b"now"
            | b"updated"
            | b"uh"
            | b"um"
            | b"the"
            | b"and"
            | b"send"
            | b"sent"
            | b"forms"
            | b"form"
            | b"link"
            | b"for"
            | b"like"
            | b"er"
            | b"use"
            | b"it"
            | b"that"
            | b"that's"
            | b"of"
            | b"your"
            | b"yeah"
            | b"mean"
            | b"hi"
            | b"okay"
            | b"sure"
            | b"so"
            | b"please"
            | b"just"
            | b"list"
            | b"website"
            | b"site"
            | b"page"
            | b"profile"
            | b"on"
            | b"in"
            | b"here"
            | b"there"
            | b"be"
            | b"can"
            | b"i'm"
            | b"are"
            | b"you"
            | b"our"
            | b"their"
            | b"his"
            | b"her"
            | b"called"
            | b"under"
            | b"try"
            | b"new"
            | b"go"
            | b"is:"
            | b"account"
            | b"blog"
            | b"photos"
            | b"rash"
            | b"log"
            | b"online"
            | b"visit"
            | b"out"
            | b"check"
            | b"see"
            | b"find"
            | b"follow"
            | b"named"
            | b"handle"
            | b"username"
            | b"channel"
            | b"posted"
            | b"uploaded"
            | b"put"
            | b"shared"
            | b"with"
            | b"from"
            | b"by"
            | b"or"
            | b"if"
            | b"when"
            | b"then"
    )
}

/// `w in web._STOP_FORWARD`: words that end a spoken URL path read forwards.
fn is_stop_forward(w: &[u8]) -> bool {
    matches!(
        w,
        b"can"
            | b"the"
            | b"and"
            | b"i'm"
            | b"my"
            | b"is"
            | b"it"
            | b"it's"
            | b"uh"
            | b"um"
            | b"so"
            | b"please"
            | b"that"
            | b"this"
            | b"but"
            | b"or"
            | b"if"
            | b"for"
            | b"to"
            | b"with"
            | b"was"
            | b"thanks"
            | b"thank"
            | b"okay"
            | b"because"
            | b"since"
            | b"anyway"
            | b"where"
            | b"which"
            | b"you"
            | b"we"
            | b"they"
            | b"he"
            | b"she"
            | b"have"
            | b"has"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_at_needs_a_word_boundary_and_takes_the_last() {
        let s = b"i'm at work, email me at x at gmail dot com";
        assert_eq!(last_at(s, 0, s.len()), Some(27));
        assert_eq!(last_at(b"chat gmail", 0, 10), None);
        // `\b` looks before the search start, as Python's `finditer(s, pos)` does.
        assert_eq!(last_at(b"chat gmail", 2, 10), None);
        assert_eq!(last_at(b"x at ", 2, 4), None); // the space must be inside
    }

    #[test]
    fn read_back_stops_at_stop_words_punctuation_and_name_limit() {
        let s = b"my email is sarah dot chen at gmail dot com";
        assert_eq!(read_back(s, 27), Some(12));
        let s = b"hello, sarah dot chen at";
        assert_eq!(read_back(s, 22), Some(7));
        let s = b"one two three four five at";
        // only three named words; numbers don't count
        assert_eq!(read_back(s, 24), Some(0));
        let s = b"alpha beta gamma delta at";
        assert_eq!(read_back(s, 23), Some(6));
        // a leading joiner is dropped; only joiners: nothing
        let s = b"email dot sam at";
        assert_eq!(read_back(s, 14), Some(10));
        let s = b"email dot at";
        assert_eq!(read_back(s, 10), None);
    }

    #[test]
    fn read_path_reads_slash_words() {
        let s = b"x dot com slash in slash carol dash lee thanks";
        assert_eq!(read_path(s, 9), 39);
        let s = b"x dot com slash kathy. bye";
        assert_eq!(read_path(s, 9), 21);
        let s = b"x dot com and more";
        assert_eq!(read_path(s, 9), 9);
        // "a" followed by a word of more than one letter ends the path
        let s = b"x dot com slash a lot";
        assert_eq!(read_path(s, 9), 15);
    }
}
