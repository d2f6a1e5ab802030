//! Dates: "6/27/2025", "2025-07-26", "March 3, 1985", "the fourteenth of march", and spoken
//! numeric dates ("three fourteen eighty five" -> 3/14/85): `python/phiwall/detect/dates.py`.
//!
//! Hyperscan finds the candidates (`Kind::Date*`, `Ordinal`); these handlers check them
//! against the calendar and emit `DATE` candidates. Cost: O(length of the hit). Never fails.

use super::context::Context;
use super::scores::{is_id, is_unit, CUED, VALIDATED};
use super::validators::calendar_date;
use crate::detect::candidate::{Candidate, Label};
use crate::detect::words;

/// The digit runs of `value` as numbers (`[int(p) for p in re.findall(r"\d+", value)]`), at
/// most `N` of them; the hit patterns bound both count and length.
fn numbers<const N: usize>(value: &str) -> ([i64; N], usize) {
    let mut out = [0i64; N];
    let mut count = 0;
    let mut in_run = false;
    for b in value.bytes() {
        if b.is_ascii_digit() {
            if !in_run {
                in_run = true;
                count += 1;
            }
            if count <= N {
                let n = &mut out[count - 1];
                *n = n.saturating_mul(10).saturating_add(i64::from(b - b'0'));
            }
        } else {
            in_run = false;
        }
    }
    (out, count)
}

/// `m/d`, `m/d/yy(yy)`, `m-d-yy(yy)`, and with a year day first (`23/10/1990`): keep real
/// calendar dates, not "1/2 tablet" (`dates.on_numeric`).
pub fn on_numeric(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let (parts, count) = numbers::<3>(&ctx.text[start..end]);
    if count < 2 {
        return; // not the pattern's shape (Python would raise): nothing to say
    }
    let year = (count == 3).then_some(parts[2]);
    let day_first = || year.is_some() && calendar_date(parts[1], parts[0], year); // 23/10/1990
    if !calendar_date(parts[0], parts[1], year) && !day_first() {
        return;
    }
    if is_unit(ctx.word_after(end)) || is_id(ctx.label_for(start)) {
        return;
    }
    if year.is_none()
        && parts[0] < parts[1]
        && parts[1] <= 4
        && !day_before(ctx.lower.as_bytes(), start)
    {
        return; // "take 1/2 of a tablet": a fraction, unless "on"/a weekday says it is a day
    }
    let score = if year.is_some() { VALIDATED } else { CUED };
    ctx.emit(out, start, end, Label::Date, score);
}

/// `yyyy-mm-dd` or `yyyy/mm/dd` (`dates.on_iso`).
pub fn on_iso(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let ([year, month, day], count) = numbers::<3>(&ctx.text[start..end]);
    if count == 3 && calendar_date(month, day, Some(year)) {
        ctx.emit(out, start, end, Label::Date, VALIDATED);
    }
}

/// A date with a month name, spoken or written; digit days are calendar-checked
/// (`dates.on_words`).
pub fn on_words(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let lower = ctx.lower.as_bytes();
    if let Some(day) = digit_day(lower, start, end) {
        let month = first_month(&ctx.lower[start..end]).unwrap_or(0);
        if !calendar_date(i64::from(month), day, None) {
            return;
        }
    }
    ctx.emit(out, start, end, Label::Date, VALIDATED);
}

/// A day said alone ("his date of birth is the nineteenth uh ..."): a date only if cued
/// (`dates.on_ordinal`).
pub fn on_ordinal(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    if ctx.label_for(start) == Some(Label::Date) {
        ctx.emit(out, start, end, Label::Date, CUED);
    }
}

/// The month of the first month word among the `[a-z]+` runs of `lower`.
fn first_month(lower: &str) -> Option<u32> {
    lower
        .split(|c: char| !c.is_ascii_lowercase())
        .filter(|w| !w.is_empty())
        .find_map(words::month)
}

/// `dates._DIGIT_DAY.search(lower, start, end)`: the first run of one or two digits inside
/// `[start, end)` not preceded by a digit or "'" (even before `start`: "'85" is a year) nor
/// followed by a digit before `end`.
fn digit_day(lower: &[u8], start: usize, end: usize) -> Option<i64> {
    let mut i = start;
    while i < end {
        if !lower[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < end && lower[j].is_ascii_digit() {
            j += 1;
        }
        let free = i == 0 || !(lower[i - 1].is_ascii_digit() || lower[i - 1] == b'\'');
        if free && j - i <= 2 {
            return Some(
                lower[i..j]
                    .iter()
                    .fold(0, |n, &b| n * 10 + i64::from(b - b'0')),
            );
        }
        i = j;
    }
    None
}

/// Python's `\w` on one ASCII byte.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `dates._DAY_BEFORE.search(lower, max(0, start - 12), start)`: "on " or a weekday
/// ("wed ", "Tuesday, ") right before `start`, starting on a word boundary.
fn day_before(lower: &[u8], start: usize) -> bool {
    let from = start.saturating_sub(12);
    if start == 0 || lower[start - 1] != b' ' {
        return false;
    }
    let body = start - 1;
    // `word` ends at `at` and begins on a word boundary inside the window.
    let ends_with = |at: usize, word: &[u8]| {
        at >= from + word.len()
            && lower[at - word.len()..at] == *word
            && (at - word.len() == 0 || !is_word_byte(lower[at - word.len() - 1]))
    };
    if ends_with(body, b"on") {
        return true;
    }
    let day_end = if body > from && lower[body - 1] == b',' {
        body - 1
    } else {
        body
    };
    const DAYS: [&[u8]; 10] = [
        b"mon", b"tue", b"tues", b"wed", b"thu", b"thur", b"thurs", b"fri", b"sat", b"sun",
    ];
    const ENDINGS: [&[u8]; 5] = [b"", b"day", b"nesday", b"rsday", b"urday"];
    DAYS.iter().any(|day| {
        ENDINGS.iter().any(|ending| {
            let n = ending.len();
            day_end >= n && lower[day_end - n..day_end] == **ending && ends_with(day_end - n, day)
        })
    })
}

/// True if `digits` read as month, day and an optional 2- or 4-digit year: "31485" (three
/// fourteen eighty five), "0314", "02212024" (`dates.numeric_date`). O(1): at most 4 splits.
pub fn numeric_date(digits: &str) -> bool {
    let d = digits.as_bytes();
    let n = d.len();
    if !d.iter().all(u8::is_ascii_digit) {
        return false; // callers pass digits only
    }
    let num = |s: &[u8]| s.iter().fold(0i64, |n, &b| n * 10 + i64::from(b - b'0'));
    for m_len in [1, 2] {
        for d_len in [1, 2] {
            let Some(y_len) = n.checked_sub(m_len + d_len) else {
                continue;
            };
            if !matches!(y_len, 0 | 2 | 4) {
                continue;
            }
            if (m_len == 2 && !matches!(d[0], b'0' | b'1')) || (d_len == 2 && d[m_len] > b'3') {
                continue;
            }
            let month = num(&d[..m_len]);
            let day = num(&d[m_len..m_len + d_len]);
            let year = (y_len > 0).then(|| num(&d[m_len + d_len..]));
            if y_len == 4 && !(1900..=2099).contains(&year.unwrap_or(0)) {
                continue;
            }
            if calendar_date(month, day, year) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_dates() {
        assert!(numeric_date("31485"));
        assert!(numeric_date("0314"));
        assert!(numeric_date("02212024"));
        assert!(!numeric_date("02302024"));
        assert!(!numeric_date("13451"));
        assert!(!numeric_date(""));
        assert!(!numeric_date("12251850"));
    }

    #[test]
    fn day_before_reads_back_on_word_boundaries() {
        assert!(day_before(b"on 1/2", 3));
        assert!(day_before(b"see you wednesday, 1/2", 19));
        assert!(day_before(b"thurs 1/2", 6));
        assert!(!day_before(b"upon 1/2", 5));
        assert!(!day_before(b"take 1/2", 5));
        assert!(!day_before(b"on1/2", 2));
    }

    #[test]
    fn digit_days() {
        assert_eq!(digit_day(b"march 3, 1985", 0, 13), Some(3));
        assert_eq!(digit_day(b"june '85", 0, 8), None);
        assert_eq!(digit_day(b"a 123", 2, 4), Some(12)); // the run is cut at `end`
    }
}
