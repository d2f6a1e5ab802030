//! Written identifiers: phones, SSNs, cards, IPs, ZIP+4 and free-form codes ("PA7391681"):
//! `python/phiwall/detect/structured.py`.
//!
//! Each `on_*` handler turns one Hyperscan hit into zero or one candidate, using the hit's
//! shape, its validator and the cue before it ([`Context::label_for`]). Cost: O(length of
//! the hit) each. They never fail; a hit that fails its checks yields nothing.

use std::borrow::Cow;

use super::context::{is_glue, Context};
use super::dates::numeric_date;
use super::scores::{is_id, is_unit, CUED, GUESS, SHAPED, VALIDATED};
use super::validators;
use crate::detect::candidate::{Candidate, Label};

/// A formatted phone number; an ID cue before it wins over the phone shape (`on_phone`).
pub fn on_phone(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    match ctx.label_for(start) {
        Some(label) if is_id(Some(label)) || label == Label::Ssn => {
            ctx.emit(out, start, end, label, CUED)
        }
        _ => ctx.emit(out, start, end, Label::Phone, VALIDATED),
    }
}

/// `ddd-dd-dddd` / `ddd dd dddd`: an SSN if the cue says so or the SSA rules hold (`on_ssn`).
pub fn on_ssn(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let label = ctx.label_for(start);
    match label {
        Some(label) if is_id(Some(label)) || label == Label::Phone => {
            ctx.emit(out, start, end, label, CUED)
        }
        Some(Label::Ssn) => ctx.emit(out, start, end, Label::Ssn, VALIDATED),
        _ if validators::ssn(&digits_of(&ctx.text[start..end])) => {
            ctx.emit(out, start, end, Label::Ssn, SHAPED)
        }
        _ => {}
    }
}

/// Grouped 13-19 digits: a card number, Luhn-checked (`on_card`).
pub fn on_card(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let label = ctx.label_for(start);
    if validators::luhn(&digits_of(&ctx.text[start..end])) {
        ctx.emit(out, start, end, Label::Account, VALIDATED);
    } else {
        let label = label.filter(|&l| is_id(Some(l))).unwrap_or(Label::Account);
        ctx.emit(out, start, end, label, GUESS);
    }
}

/// A dotted quad with octets 0-255 (`on_ipv4`).
pub fn on_ipv4(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let mut octets = [0i64; 4];
    let mut count = 0;
    for part in ctx.text[start..end].split('.') {
        if count == 4 {
            return; // not the pattern's shape
        }
        let Ok(octet) = part.parse::<i64>() else {
            return;
        };
        octets[count] = octet;
        count += 1;
    }
    if validators::ipv4(&octets[..count]) {
        ctx.emit(out, start, end, Label::Ip, VALIDATED);
    }
}

/// Colon-separated hex groups that parse as IPv6 (`on_ipv6`).
pub fn on_ipv6(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    if validators::ipv6(&ctx.text[start..end]) {
        ctx.emit(out, start, end, Label::Ip, VALIDATED);
    }
}

/// ZIP+4 (`12345-6789`), or an ID its cue names (`on_zip4`).
pub fn on_zip4(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let label = ctx.label_for(start);
    let label = label.filter(|&l| is_id(Some(l))).unwrap_or(Label::Zip);
    ctx.emit(out, start, end, label, VALIDATED);
}

/// A token with a digit in it ("276549477", "PA7391681", "2YP2-N43-HA03", "2 4 0 8 5")
/// (`on_code`).
///
/// With an identifier cue before it, the token and the short upper-case or digit groups
/// right after it ("653099540 00", "PDH 013") become one value. Without a cue only
/// distinctive shapes are kept: MBI, VIN, Luhn-valid cards, 10-digit phones, a 5-digit ZIP
/// after ", ", a state code or a capitalised city, and letter-digit mixes of six or more
/// with at least three digits and not many more letters ("PA7391681", "WWJ952").
/// Under a DATE cue, digit groups read as a date ("12 25 1990") are a date.
pub fn on_code(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let text = ctx.text;
    let bytes = text.as_bytes();
    if end - start < 5 && ctx.cues.is_empty() && !ctx.chained(start) {
        return; // uncued values need five characters or more
    }
    if start > 0
        && matches!(bytes[start - 1], b'$' | b'.' | b':' | b',' | b'/')
        && !(bytes[start - 1] == b',' && bytes[start] == b' ')
    {
        return; // a price, a decimal, a clock time, or the middle of a date
    }
    let mut label = ctx.label_for(start);
    if bytes.get(end) == Some(&b':') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        return; // a clock time
    }
    if label.is_none() {
        // "plate RED 515": the cue is before a short letter group.
        if let Some(part) = prev_part(bytes, start) {
            let first = spelled_start(ctx, part, start - 1);
            // spelled letters ("j d 4 5 6") are part of the value, though "d" alone is glue
            if first < part || !glue_folded(&bytes[part..start - 1]) {
                label = ctx.label_for(first).filter(|&l| is_id(Some(l)));
            }
        }
    }
    if label.is_none() && end - start < 5 {
        return; // uncued values need five characters or more
    }
    if is_unit(ctx.word_after(end)) {
        return; // "for 10 days", "2 tablets": a quantity, cue or not
    }
    let (mut start, mut end) = (start, end);
    if is_id(label) {
        (start, end) = grow(ctx, start, end, true, true);
    } else if label == Some(Label::Date) {
        // "12 25 1990", "12251990"
        (start, end) = grow(ctx, start, end, false, false);
        if numeric_date(&digits_of(&text[start..end])) {
            ctx.emit(out, start, end, Label::Date, CUED);
        }
        return;
    }
    let value = &text[start..end];
    let chars: Cow<'_, str> =
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Cow::Borrowed(value)
        } else {
            Cow::Owned(value.chars().filter(char::is_ascii_alphanumeric).collect())
        };
    let digits = chars.bytes().filter(u8::is_ascii_digit).count();
    match label {
        Some(label) if is_id(Some(label)) => {
            if chars.len() >= 3 || ctx.chained(start) {
                ctx.emit(out, start, end, label, CUED);
            }
        }
        Some(Label::Ssn) => {
            if digits == 4 || digits == 9 || ctx.chained(start) {
                ctx.emit(out, start, end, Label::Ssn, CUED);
            }
        }
        Some(Label::Phone) => {
            if digits >= 7 || digits == 4 || ctx.chained(start) {
                ctx.emit(out, start, end, Label::Phone, CUED);
            }
        }
        Some(Label::Zip) => {
            if (digits == 5 || digits == 9) && digits == chars.len() {
                ctx.emit(out, start, end, Label::Zip, CUED);
            }
        }
        Some(_) => {} // DATE, IP and address cues have their own finders
        None if year_range(value.as_bytes()) => {}
        None => {
            if let Some((label, score)) = shape(&chars, digits, bytes, start) {
                ctx.emit(out, start, end, label, score);
            }
        }
    }
}

/// Label and score for an uncued token by shape alone (`structured._shape`); `start` is
/// where the token starts in `text`.
fn shape(chars: &str, digits: usize, text: &[u8], start: usize) -> Option<(Label, f64)> {
    if validators::mbi(chars) {
        return Some((Label::MemberId, SHAPED));
    }
    if validators::vin(chars) {
        return Some((Label::Vehicle, SHAPED));
    }
    if digits == chars.len() {
        if (13..=19).contains(&digits) && validators::luhn(chars) {
            return Some((Label::Account, SHAPED));
        }
        if digits == 10 || (digits == 11 && chars.starts_with('1')) {
            return Some((Label::Phone, GUESS));
        }
        if digits == 5 && state_before(&text[start.saturating_sub(24)..start]) {
            return Some((Label::Zip, SHAPED));
        }
        if digits >= 7 {
            return Some((Label::Mrn, GUESS));
        }
        return None;
    }
    let letters = chars.len() - digits;
    let mixed = chars.len() >= 6 && digits >= 3 && 1 <= letters && letters <= digits + 1;
    if mixed && !unit_suffix(chars.as_bytes()) {
        return Some((Label::MemberId, GUESS));
    }
    None
}

/// Extend a cued code over following digit/upper-case groups (single letters too if
/// `letters`) separated by single spaces, at most eight; for plates, licences and member
/// IDs also over a preceding short letter group (`structured._grow`).
fn grow(
    ctx: &mut Context<'_>,
    mut start: usize,
    mut end: usize,
    vehicle: bool,
    letters: bool,
) -> (usize, usize) {
    let bytes = ctx.text.as_bytes();
    for _ in 0..8 {
        let Some(part_end) = next_part(bytes, end) else {
            break;
        };
        let part = &bytes[end + 1..part_end];
        let digits = part.iter().all(u8::is_ascii_digit);
        let upper =
            part.iter().any(u8::is_ascii_uppercase) && !part.iter().any(u8::is_ascii_lowercase);
        if !(digits || upper || (part.len() == 1 && letters)) {
            break;
        }
        end = part_end;
    }
    if vehicle {
        let part = prev_part(bytes, start);
        let cue = ctx.cue_before(start);
        if let Some(part) = part {
            let word = &bytes[part..start - 1];
            let glue = word.len() > 1 && glue_folded(word);
            if !glue && cue.is_none_or(|c| c.end <= part) {
                start = spelled_start(ctx, part, start - 1);
            }
        }
    }
    (start, end)
}

/// `_NEXT_PART.match(text, end)` (`" ([A-Za-z0-9]{1,6})\b"`): the end of the group of one
/// to six letters/digits after one space at `end`, if the group ends on a word boundary.
fn next_part(text: &[u8], end: usize) -> Option<usize> {
    if text.get(end) != Some(&b' ') {
        return None;
    }
    let from = end + 1;
    let mut j = from;
    while j < text.len() && text[j].is_ascii_alphanumeric() {
        j += 1;
    }
    let len = j - from;
    // A longer run, or one followed by "_", has no boundary within six characters.
    ((1..=6).contains(&len) && text.get(j) != Some(&b'_')).then_some(j)
}

/// `_PREV_PART.search(text, max(0, start - 5), start)` (`(?<![\w'])([A-Za-z]{1,3}) $`): the
/// start of one to three letters and a space right before `start`, not glued to a word or
/// an apostrophe before them.
fn prev_part(text: &[u8], start: usize) -> Option<usize> {
    if start == 0 || text[start - 1] != b' ' {
        return None;
    }
    let stop = start - 1;
    let mut k = stop;
    while k > 0 && stop - k < 4 && text[k - 1].is_ascii_alphabetic() {
        k -= 1;
    }
    let len = stop - k;
    let free = k == 0 || !(is_word_byte(text[k - 1]) || text[k - 1] == b'\'');
    ((1..=3).contains(&len) && free).then_some(k)
}

/// Most single letters read back before a code (`_MAX_SPELLED`: "w x y 1 2 3").
const MAX_SPELLED: usize = 8;

/// `_spelled_start`: where the single letters said before a code start ("[w x y] 1 2 3"),
/// given the letter group `text[first..end]` right before it: if that group is one letter,
/// the lone letters before it, each after one space, are read too (at most `MAX_SPELLED`),
/// but none up to the end of a cue ("member i d w 1 2 3").
fn spelled_start(ctx: &Context<'_>, first: usize, end: usize) -> usize {
    let text = ctx.text.as_bytes();
    if end - first != 1 {
        return first; // "plate RED 515": a group of letters, not spelled ones
    }
    let mut lowest = first;
    for _ in 1..MAX_SPELLED {
        let Some(p) = lowest.checked_sub(2) else {
            break;
        };
        if text[p + 1] != b' ' || !text[p].is_ascii_alphabetic() {
            break;
        }
        if p > 0 && (is_word_byte(text[p - 1]) || text[p - 1] == b'\'') {
            break;
        }
        lowest = p;
    }
    if lowest < first {
        let floor = ctx.cue_inside(lowest, first);
        while lowest < floor {
            lowest += 2; // the letters sit two characters apart
        }
    }
    lowest
}

/// `word.lower() in GLUE` for a word of at most three letters (no allocation).
fn glue_folded(word: &[u8]) -> bool {
    let mut buf = [0u8; 3];
    let Some(dst) = buf.get_mut(..word.len()) else {
        return false; // longer words never come here
    };
    for (d, s) in dst.iter_mut().zip(word) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(dst).is_ok_and(is_glue)
}

/// Python's `\w` on one ASCII byte.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `_STATE_BEFORE.search(before)` (`(?:, |\b[A-Z]{2} |\b[A-Z][a-z]+ )$`) on the last 24
/// bytes before a token: ", ", a state code or a capitalised word right before it. `$` also
/// matches before a final newline, as in Python.
fn state_before(s: &[u8]) -> bool {
    let ends_at = |e: usize| -> bool {
        if e >= 2 && &s[e - 2..e] == b", " {
            return true;
        }
        if e == 0 || s[e - 1] != b' ' {
            return false;
        }
        let stop = e - 1;
        let boundary = |p: usize| p == 0 || !is_word_byte(s[p - 1]);
        // "MA ": two capitals on a word boundary.
        if stop >= 2 && s[stop - 2..stop].iter().all(u8::is_ascii_uppercase) && boundary(stop - 2) {
            return true;
        }
        // "Boston ": a capital, then the whole run of lower-case letters.
        let mut k = stop;
        while k > 0 && s[k - 1].is_ascii_lowercase() {
            k -= 1;
        }
        k < stop && k > 0 && s[k - 1].is_ascii_uppercase() && boundary(k - 1)
    };
    ends_at(s.len()) || (s.last() == Some(&b'\n') && ends_at(s.len() - 1))
}

/// `_UNIT_SUFFIX.search(chars)`: a digit then a unit or ordinal suffix at the end ("10mg",
/// "3rd", "5pm"), any case.
fn unit_suffix(chars: &[u8]) -> bool {
    const SUFFIXES: [&[u8]; 15] = [
        b"mg", b"mcg", b"ml", b"g", b"kg", b"lb", b"lbs", b"cc", b"am", b"pm", b"st", b"nd", b"rd",
        b"th", b"s",
    ];
    SUFFIXES.iter().any(|suffix| {
        let n = suffix.len();
        chars.len() > n
            && chars[chars.len() - n..].eq_ignore_ascii_case(suffix)
            && chars[chars.len() - n - 1].is_ascii_digit()
    })
}

/// `_YEAR_RANGE.match(value)` (`(?:19|20)\d\d-(?:19|20)?\d\d$`): "2019-2020", "2019-20".
fn year_range(v: &[u8]) -> bool {
    let century = |s: &[u8]| s == b"19" || s == b"20";
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if v.len() < 7 || !century(&v[..2]) || !digits(&v[2..4]) || v[4] != b'-' {
        return false;
    }
    let rest = &v[5..];
    // `$` also matches before a final newline (never part of a hit, kept for exactness).
    let rest = rest.strip_suffix(b"\n").unwrap_or(rest);
    match rest.len() {
        2 => digits(rest),
        4 => century(&rest[..2]) && digits(&rest[2..]),
        _ => false,
    }
}

/// The digits of `value`, in order.
fn digits_of(value: &str) -> String {
    value.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_around_a_code() {
        assert_eq!(next_part(b"X 653 00 z", 5), Some(8));
        assert_eq!(next_part(b"X 653 1234567", 5), None);
        assert_eq!(next_part(b"X 653 00_", 5), None);
        assert_eq!(prev_part(b"plate RED 515", 10), Some(6));
        assert_eq!(prev_part(b"plate REDS 515", 11), None);
        assert_eq!(prev_part(b"it's AB 515", 8), Some(5));
        assert_eq!(prev_part(b"x'AB 515", 5), None);
        assert_eq!(prev_part(b"AB 515", 3), Some(0));
    }

    #[test]
    fn spelled_letters_before_a_code() {
        let start = |text: &str, first: usize, end: usize| {
            spelled_start(&Context::new(text, &[]), first, end)
        };
        assert_eq!(start("member id w x y 1 2 3", 14, 15), 10);
        assert_eq!(start("member i d w x y 1 2 3", 15, 16), 11); // not the cue's letters
        assert_eq!(start("is a b 1 2 3", 5, 6), 3);
        assert_eq!(start("plate RED 515", 6, 9), 6); // a group, not spelled letters
        assert_eq!(start("x'a b 1 2", 4, 5), 4);
        assert_eq!(start("a b c d e f g h i j 1", 18, 19), 4); // at most eight letters
    }

    #[test]
    fn state_and_suffix_shapes() {
        assert!(state_before(b"Springfield, "));
        assert!(state_before(b"in MA "));
        assert!(state_before(b"Boston "));
        assert!(state_before(b"Boston \n"));
        assert!(!state_before(b"boston "));
        assert!(!state_before(b"xMA "));
        assert!(!state_before(b"MAS "));
        assert!(!state_before(b"McDonald "));
        assert!(unit_suffix(b"10MG"));
        assert!(unit_suffix(b"123rd"));
        assert!(!unit_suffix(b"mg"));
        assert!(year_range(b"2019-2020"));
        assert!(year_range(b"2019-20"));
        assert!(!year_range(b"2019-2120"));
        assert!(!year_range(b"2019-202"));
    }
}
