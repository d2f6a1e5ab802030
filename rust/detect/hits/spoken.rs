//! Values said as words ("four one five five five five two six seven one", "p a two six oh",
//! "one forty nine dot two hundred dot ...", "twelve fourteen twenty four"): the handler of
//! `python/phiwall/detect/spoken.py`.
//!
//! Hyperscan finds each run of number words, digit groups, single letters and spoken joiners
//! (`Kind::SpokenRun`); a filler ("uh") ends a run, so the fragments of a value broken by a
//! filler arrive as separate runs and become separate spans. [`on_run`] trims each run, reads
//! its characters (`numwords::to_chars`) and labels it from the cue before it, from the value
//! it continues, or, without either, from its shape: four spoken octets are an IP address,
//! "slash"/"on" plus a calendar-valid reading is a date, seven or more characters are an
//! identifier. Short uncued numbers (times, doses, ages, prices) are left alone.
//! Cost: O(words in the run). Never fails.

use super::context::Context;
use super::dates::numeric_date;
use super::numwords::to_chars;
use super::scores::{is_id_label, is_unit, CUED, GUESS, SHAPED, VALIDATED};
use super::validators;
use crate::detect::candidate::{Candidate, Label};
use crate::detect::spelling::NATO;
use crate::detect::words;

/// Bytes of the shortest run kept without a cue ("on one two two").
const SHORTEST_UNCUED: usize = 9;
/// NATO words read back before a run ("alpha bravo one two three"): `_MAX_NATO`.
const MAX_NATO: usize = 8;

/// Whether the lower-case `word` is a NATO spelling word (`spoken._NATO`).
fn is_nato(word: &[u8]) -> bool {
    NATO.contains(&word)
}

/// `spoken._nato_before`: where the NATO words said right before a run at `start` begin,
/// each one space apart ("[alpha bravo] one two three"), or `start` if none; at most
/// MAX_NATO words. Reads the words backwards.
fn nato_before(lower: &[u8], start: usize) -> usize {
    let mut first = start;
    for _ in 0..MAX_NATO {
        if first < 2 || lower[first - 1] != b' ' {
            break;
        }
        let end = first - 1;
        let mut s = end;
        while s > 0 && lower[s - 1].is_ascii_lowercase() {
            s -= 1;
        }
        if !is_nato(&lower[s..end]) {
            break;
        }
        first = s;
    }
    first
}

/// A word of the run: its offsets in the text.
type Token = (usize, usize);

/// `spoken.on_run`: label the spoken run `text[start..end]` (split at a bare "and") and
/// append its values to `out`. Cost: O(words in the run), one small copy of the run.
pub fn on_run(ctx: &mut Context<'_>, start: usize, end: usize, out: &mut Vec<Candidate>) {
    if end - start < SHORTEST_UNCUED && ctx.cues.is_empty() && !ctx.chained(start) {
        return; // "one", "oh", "two ten": nothing uncued this short is PHI
    }
    let start = ctx.cue_inside(start, end); // "member i d w three ...": the cue is not the value
    let lower = ctx.lower.as_bytes();
    let apostrophe_after = lower.get(end) == Some(&b'\'');
    // The run's words are read while `ctx` is asked questions: keep a copy of the run.
    let run = Run {
        lower: ctx.lower[start..end].to_owned(),
        base: start,
    };
    let mut tokens = run.tokens();
    if !tokens.is_empty() && apostrophe_after {
        tokens.pop(); // "... six i'm": the "i" belongs to the next word
    }
    if let Some(&(first, _)) = tokens.first() {
        if first > 0 && ctx.lower.as_bytes()[first - 1] == b'\'' {
            tokens.remove(0); // "it's four ...": the "s" belongs to the word before
        }
    }
    let mut keep_joiner = match tokens.first() {
        Some(&(first, _)) => ctx.chained(first), // "nine slash ten uh slash oh one"
        None => false,
    };
    if !run.lower.contains("and") {
        let kept = trim(&run, &tokens, keep_joiner);
        one(ctx, &run, kept, out);
        return;
    }
    let mut group: Vec<Token> = Vec::with_capacity(tokens.len());
    for &tok in &tokens {
        let split = run.word(tok) == "and"
            && group
                .last()
                .is_some_and(|&last| !matches!(run.word(last), "hundred" | "thousand"));
        if split {
            let kept = trim(&run, &group, keep_joiner);
            one(ctx, &run, kept, out);
            group.clear();
            keep_joiner = false;
        } else {
            group.push(tok);
        }
    }
    let kept = trim(&run, &group, keep_joiner);
    one(ctx, &run, kept, out);
}

/// The lower-cased run `text[base..base + lower.len()]`.
struct Run {
    lower: String,
    base: usize,
}

impl Run {
    /// `spoken._tokens`: the words (`[a-z]+|\d+`) of the run with their text offsets.
    fn tokens(&self) -> Vec<Token> {
        let b = self.lower.as_bytes();
        let mut tokens = Vec::with_capacity(b.len() / 4 + 1);
        let mut i = 0;
        while i < b.len() {
            let class = |c: u8| -> u8 {
                if c.is_ascii_lowercase() {
                    1
                } else if c.is_ascii_digit() {
                    2
                } else {
                    0
                }
            };
            let k = class(b[i]);
            if k == 0 {
                i += 1;
                continue;
            }
            let s = i;
            while i < b.len() && class(b[i]) == k {
                i += 1;
            }
            tokens.push((self.base + s, self.base + i));
        }
        tokens
    }

    /// The lower-case word of `tok`.
    fn word(&self, tok: Token) -> &str {
        &self.lower[tok.0 - self.base..tok.1 - self.base]
    }
}

/// `spoken._dashed_digits`: digit groups joined by a spoken dash ("415 dash 555 dash 2671").
fn dashed_digits(words: &[&str]) -> bool {
    let dash = |w: &str| matches!(w, "dash" | "hyphen");
    words.iter().any(|&w| dash(w))
        && words
            .iter()
            .all(|&w| dash(w) || (!w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())))
}

/// `w in spoken._NUMBER`: digits, teens, tens, "hundred", "thousand", "double", "triple".
fn is_number(w: &str) -> bool {
    words::digit(w).is_some()
        || words::teen(w).is_some()
        || words::tens(w).is_some()
        || words::repeat(w).is_some()
        || matches!(w, "hundred" | "thousand")
}

/// `w in spoken._EDGE_JUNK`: joiners, "and", "a", "i".
fn is_edge_junk(w: &str) -> bool {
    words::is_joiner(w) || matches!(w, "and" | "a" | "i")
}

/// `spoken._trim`: drop joiners, "and", a stray "i" (or "a" not after a number) from both
/// ends, and a trailing "a m"/"p m"; `keep_joiner` keeps a leading joiner that continues a
/// split value. A short run ending in "a m"/"p m" is a clock time and trims to nothing.
fn trim<'a>(run: &Run, tokens: &'a [Token], keep_joiner: bool) -> &'a [Token] {
    let (mut lo, mut hi) = (0, tokens.len());
    while hi > lo {
        let w = run.word(tokens[hi - 1]);
        let before = if hi >= lo + 2 {
            run.word(tokens[hi - 2])
        } else {
            ""
        };
        if w == "m" && hi >= lo + 2 && matches!(before, "a" | "p") {
            if hi - 2 - lo <= 3 {
                return &[]; // "seven fifteen a m"
            }
            hi -= 2;
        } else if is_edge_junk(w) && !(w == "a" && hi >= lo + 2 && is_number(before)) {
            hi -= 1;
        } else {
            break;
        }
    }
    while lo < hi {
        let w = run.word(tokens[lo]);
        if (!keep_joiner && words::is_joiner(w)) || matches!(w, "and" | "i") {
            lo += 1;
        } else {
            break;
        }
    }
    &tokens[lo..hi]
}

/// `spoken._one`: decide one trimmed run; emit at most one candidate.
fn one(ctx: &mut Context<'_>, run: &Run, tokens: &[Token], out: &mut Vec<Candidate>) {
    let words: Vec<&str> = tokens.iter().map(|&t| run.word(t)).collect();
    if !words.iter().any(|w| is_number(w)) && !dashed_digits(&words) {
        return;
    }
    let (start, end) = (tokens[0].0, tokens[tokens.len() - 1].1);
    let spelled = nato_before(ctx.lower.as_bytes(), start);
    if spelled < start {
        if let Some(label) = ctx.label_for(spelled).filter(|&l| is_id_label(l)) {
            // "member id is [alpha bravo one two three]", "my mrn is [kilo seven seven two]"
            ctx.emit(out, spelled, end, label, CUED);
            return;
        }
    }
    let label = ctx.label_for(start);
    if label.is_none() && words.len() < 3 {
        return; // uncued values are at least three words long ("on one two two")
    }
    if is_unit(ctx.word_after(end)) {
        return;
    }
    let count = |x: &str| words.iter().filter(|&&w| w == x).count();
    if (count("dot") == 3 || count("point") == 3) && is_ip(&words) {
        ctx.emit(out, start, end, Label::Ip, VALIDATED);
        return;
    }
    let chars = to_chars(&words);
    let digits = chars.bytes().filter(u8::is_ascii_digit).count();
    let letters = chars.len() - digits;
    let chained = ctx.chained(start);
    match label {
        Some(Label::Date) => {
            let year_prefix = chars.len() >= 2 && matches!(&chars[..2], "19" | "20");
            if chars.len() == 4 && year_prefix && !chained {
                return; // "born in nineteen eighty five": a year alone is not PHI
            }
            if letters == 0 && (digits >= 3 || (chained && digits >= 2)) && digits <= 8 {
                ctx.emit(out, start, end, Label::Date, CUED);
            }
        }
        Some(label @ (Label::Ssn | Label::Phone | Label::Zip)) => {
            if letters == 0 && enough_digits(ctx, label, start, end, digits, chained) {
                ctx.emit(out, start, end, label, CUED);
            }
        }
        Some(label) if is_id_label(label) => {
            // two characters only as a fragment cut off by a restart ("c seven uh c seven two"),
            // fewer before a NATO word ("[one] echo golf four ..." of a Medicare number)
            let short_kept = |ctx: &Context<'_>| {
                let after = ctx.word_after(end);
                (chars.len() == 2 && (chained || words::is_restart(after)))
                    || (is_nato(after.as_bytes()) && ctx.lower.as_bytes().get(end) == Some(&b' '))
            };
            if chars.len() >= 3 || short_kept(ctx) {
                ctx.emit(out, start, end, label, CUED);
            }
        }
        Some(_) => {}
        None => {
            if let Some((guess, score)) = shape(ctx, start, &words, &chars, digits, letters) {
                ctx.emit(out, start, end, guess, score);
            }
        }
    }
}

/// `spoken._enough_digits`: true if `digits` are enough for a cued SSN, phone or ZIP.
///
/// Fewer than the minimum pass for a fragment: one that continues the previous value, one
/// cut off by a restart ("nine two eight three sorry nine two ..."), and a phone's area code
/// or last four ("area code nine five nine", "ending in two eight seven one").
fn enough_digits(
    ctx: &mut Context<'_>,
    label: Label,
    start: usize,
    end: usize,
    digits: usize,
    chained: bool,
) -> bool {
    let min_digits = match label {
        Label::Ssn => 3,
        Label::Phone => 6,
        _ => 5, // ZIP
    };
    if digits >= min_digits || (chained && digits >= 1) {
        return true;
    }
    if digits >= 2 && words::is_restart(ctx.word_after(end)) {
        return true;
    }
    if label == Label::Phone && (digits == 3 || digits == 4) {
        // "area code", "ending in", "last four of my phone"
        return match ctx.cue_before(start) {
            Some(cue) => {
                let phrase = &ctx.lower[cue.start..cue.end];
                ["area", "end", "last"].iter().any(|w| phrase.contains(w))
            }
            None => false,
        };
    }
    false
}

/// `spoken._shape`: label and score for an uncued run by its shape alone, or None.
fn shape(
    ctx: &Context<'_>,
    start: usize,
    words: &[&str],
    chars: &str,
    digits: usize,
    letters: usize,
) -> Option<(Label, f64)> {
    let dated = words.contains(&"slash") || on_before(ctx.lower.as_bytes(), start);
    if dated && letters == 0 && (3..=8).contains(&digits) && numeric_date(chars) {
        return Some((Label::Date, CUED));
    }
    if letters == 0
        && (6..=8).contains(&digits)
        && matches!(&chars[chars.len() - 4..chars.len() - 2], "19" | "20")
        && numeric_date(chars)
    {
        return Some((Label::Date, GUESS)); // "twelve fourteen twenty twenty four": m, d, year
    }
    if letters > 0 && validators::mbi(chars) {
        return Some((Label::MemberId, SHAPED));
    }
    if letters == 0
        && digits == 5
        && words.len() >= 4
        && !words.iter().any(|w| matches!(*w, "hundred" | "thousand"))
    {
        return Some((Label::Zip, SHAPED)); // five digits said singly or in pairs: a ZIP
    }
    if letters == 0 && digits >= 7 {
        let label = if digits == 10 || digits == 11 {
            Label::Phone
        } else {
            Label::Mrn
        };
        return Some((label, GUESS));
    }
    if letters > 0 && digits >= 4 && chars.len() >= 7 {
        return Some((Label::MemberId, GUESS));
    }
    None
}

/// `spoken._ON_BEFORE.search(lower, max(0, start - 8), start)`: `\bon (?:the )?$` ends the
/// window. Python's `$` also matches before a final "\n", and its `\b` looks at the byte
/// before the window.
fn on_before(lower: &[u8], start: usize) -> bool {
    let window = start.saturating_sub(8);
    let ends_at = |p: usize| -> bool {
        [&b"on "[..], &b"on the "[..]].iter().any(|pat| {
            p >= window + pat.len()
                && &lower[p - pat.len()..p] == *pat
                && (p - pat.len() == 0 || !is_re_word(lower[p - pat.len() - 1]))
        })
    };
    ends_at(start) || (start > 0 && lower[start - 1] == b'\n' && ends_at(start - 1))
}

/// A byte of Python's `\w` (ASCII text).
fn is_re_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `spoken._is_ip`: true if `words` are four spoken numbers 0-255 separated by "dot"/"point".
fn is_ip(words: &[&str]) -> bool {
    let mut octets: Vec<i64> = Vec::with_capacity(4);
    let parts = words.split(|w| matches!(*w, "dot" | "point"));
    for part in parts {
        let chars = to_chars(part);
        if chars.is_empty() || !chars.bytes().all(|c| c.is_ascii_digit()) || chars.len() > 3 {
            return false;
        }
        octets.push(chars.parse().unwrap_or(0));
    }
    validators::ipv4(&octets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nato_words_read_back() {
        let back = |t: &str, start: usize| nato_before(t.as_bytes(), start);
        assert_eq!(back("id is alpha bravo one", 18), 6);
        assert_eq!(back("kilo seven", 5), 0);
        assert_eq!(back("id  kilo seven", 9), 4);
        assert_eq!(back("id kilo  seven", 9), 9); // two spaces
        assert_eq!(back("is seven", 3), 3); // no NATO word
        assert_eq!(back("skilo seven", 6), 6);
    }

    fn run(s: &str) -> Run {
        Run {
            lower: s.to_owned(),
            base: 10,
        }
    }

    fn kept(s: &str, keep_joiner: bool) -> Vec<String> {
        let r = run(s);
        let tokens = r.tokens();
        trim(&r, &tokens, keep_joiner)
            .iter()
            .map(|&t| r.word(t).to_owned())
            .collect()
    }

    #[test]
    fn tokens_split_letters_from_digits() {
        let r = run("a12b, 3 oh");
        let words: Vec<&str> = r.tokens().into_iter().map(|t| r.word(t)).collect();
        assert_eq!(words, ["a", "12", "b", "3", "oh"]);
        assert_eq!(r.tokens()[0], (10, 11));
    }

    #[test]
    fn trim_drops_edge_junk_and_clock_times() {
        assert_eq!(
            kept("dash one two three dash and", false),
            ["one", "two", "three"]
        );
        assert_eq!(kept("dash one two", true), ["dash", "one", "two"]);
        assert!(kept("seven fifteen a m", false).is_empty());
        assert_eq!(
            kept("one two three four five p m", false),
            ["one", "two", "three", "four", "five"]
        );
        // "a" after a number is a letter of the value
        assert_eq!(kept("i one two a", false), ["one", "two", "a"]);
    }

    #[test]
    fn on_before_matches_python_regex() {
        assert!(on_before(b"seen on one two", 8));
        assert!(on_before(b"on the one two", 7));
        assert!(!on_before(b"upon one two", 5));
        assert!(on_before(b"x on \none", 6));
        assert!(!on_before(b"at one two", 3));
    }
}
