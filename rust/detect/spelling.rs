//! Spelled names ("c h e n", "C-H-E-N", "r a t as in table t a", "(KAPUR)"):
//! `python/phiwall/detect/spelling.py`, natively.
//!
//! A name spelled letter by letter is its own NAME span, separate from the name it spells.
//! Letters are single characters joined by spaces, hyphens, periods or commas, or by a
//! spoken mark ("o apostrophe n e i l"); a letter may carry an "as in" word ("s as in sam"),
//! a "like" or "for" word starting with it ("b for boy"), or be doubled ("double l"), and a
//! NATO word stands for its letter ("kilo oscar"). One letter with its word is a spelling
//! too right after a cue ("that's k as in kilo"). The word a spelling spells said soon after
//! it ("S-M-I-T-H, Smith"), and a surname right after a spelled first name ("j o h n
//! smith"), are NAME spans too.
//!
//! Scores (only candidates at 0.5 or more are returned):
//!
//! - 0.95: the letters spell the word just before or follow "spelled"; the spelled word
//!   said after the spelling
//! - 0.90: after a name cue ("last name", "that's", "it's") or in parentheses
//! - 0.85: three or more hyphenated letters ("V-E-G-A")
//! - 0.80: a surname right after a spelled first name
//! - 0.70: four or more spaced letters with no cue
//!
//! Runs next to digits or number words are IDs; runs that spell a common abbreviation, mix
//! cases or are dotted with no cue are left alone.
//!
//! The Python regexes are replaced by byte loops that reproduce their backtracking order
//! exactly (the text is ASCII, so Python's `\w`, `\s` and `[^\W\d_]` are ASCII classes).

use super::candidate::{sort_by_span, Candidate, Label};
use super::lexicon::{
    Lexicon, PhraseHit, CALENDAR, COMMON, FIRST, LAST, LETTERS, NUMBER, ORG, SPELL_CUE, STATE,
    STATE_CODE, STOP,
};

/// Characters looked at before a run for its cue (`_WINDOW`).
const WINDOW: usize = 40;
/// `_PUNCT`: stripped around the words next to a run.
const PUNCT: &[u8] = b" \t,;:()-.\"'";
/// Words after which a letter run spells a name ("last name is c h e n", "it's k i m").
const CUES: [&[u8]; 9] = [
    b"spelled",
    b"spell",
    b"spelling",
    b"spells",
    b"name",
    b"that's",
    b"it's",
    b"is",
    b"(",
];
/// Abbreviations people spell out that are not names ("my p s a", "an m r i").
const ABBREVIATIONS: &[&[u8]] = &[
    b"am", b"pm", b"er", b"or", b"ct", b"mri", b"icu", b"ldl", b"hdl", b"psa", b"bmi", b"hiv",
    b"dob", b"ekg", b"ecg", b"mrn", b"ssn", b"id", b"usa", b"ok", b"tv", b"ac", b"uti", b"copd",
    b"adhd", b"std", b"cbc", b"bp", b"rn", b"md", b"np", b"pa", b"dds", b"ent", b"gp", b"ob",
    b"obgyn", b"gyn", b"ivf", b"abc", b"iv", b"ed", b"ada", b"cpap", b"dna", b"rsvp", b"asap",
    b"fyi", b"eta", b"vip", b"atm", b"pin", b"suv", b"ups", b"llc", b"inc", b"hmo", b"ppo",
];
/// Most letters a run holds after its first (`{1,24}`).
const MAX_MORE: usize = 24;
/// `lexicon.NATO`: spelling-alphabet words, each standing for its first letter ("kilo
/// oscar"), in Python's alternation order.
pub(crate) const NATO: [&[u8]; 28] = [
    b"alpha",
    b"bravo",
    b"charlie",
    b"delta",
    b"echo",
    b"foxtrot",
    b"golf",
    b"hotel",
    b"india",
    b"juliett",
    b"juliet",
    b"kilo",
    b"lima",
    b"mike",
    b"november",
    b"oscar",
    b"papa",
    b"quebec",
    b"romeo",
    b"sierra",
    b"tango",
    b"uniform",
    b"victor",
    b"whiskey",
    b"whisky",
    b"xray",
    b"yankee",
    b"zulu",
];
/// `lexicon.SPOKEN_MARKS`: words said for punctuation inside a spelled name, with the
/// character each stands for, in Python's order ("o apostrophe n e i l").
const MARKS: [(&[u8], u8); 3] = [(b"apostrophe", b'\''), (b"hyphen", b'-'), (b"dash", b'-')];
/// `lexicon.CONNECTORS`: words joining a letter to a word starting with it ("k like kilo").
const CONNECTORS: [&[u8]; 2] = [b"like", b"for"];

/// `spelling.find(text)` for ASCII `text`: NAME candidates for the spelled names, sorted by
/// start and disjoint; `scan` is `lexicon.scan(text)`.
///
/// Cost: one anchored run match per pair of lone letters the scan reports (a few byte
/// comparisons each), and one pass over the text only when it holds a "(". Never fails.
pub fn find(lexicon: &Lexicon, text: &str, scan: &[PhraseHit]) -> Vec<Candidate> {
    let t = text.as_bytes();
    let mut found: Vec<Candidate> = Vec::new();
    let mut last_end = 0usize;
    for hit in scan {
        // A contraction ("I'm") normalises to two lone letters too: not a spelling.
        if hit.flags & LETTERS != 0 && hit.start >= last_end && t[hit.start + 1] != b'\'' {
            let from = last_end.max(hit.start.saturating_sub(60));
            let before = as_in_before(t, from, hit.start);
            let start = before.unwrap_or(hit.start);
            let run = run_match(t, start);
            if run.is_none() && before.is_none() {
                // "that's k as in kilo": one letter with its word, if cued
                if let Some(end) = one_match(t, start) {
                    if one_letter(lexicon, t, start, end) {
                        last_end = end;
                        found.push(name(start, end, 0.9));
                    }
                }
            } else if let Some(end) = run {
                last_end = end;
                let letters = letters(&t[start..end]);
                let score = score(lexicon, t, start, end, &letters);
                if score >= 0.5 {
                    found.push(name(start, end, score));
                    found.extend(spelled_word_before(lexicon, t, start, &letters, score));
                    found.extend(spelled_word_after(lexicon, t, end, &letters));
                }
            }
        } else if hit.flags & SPELL_CUE != 0 {
            if let Some((s, e)) = caps_after_cue(t, hit.end) {
                if s >= last_end && t[s..e].iter().all(u8::is_ascii_uppercase) {
                    found.push(name(s, e, 0.95));
                }
            }
        }
    }
    {
        // _CAPS_IN_PARENS: "(" + two or more letters + ")"; such matches never overlap.
        for open in memchr::memchr_iter(b'(', t) {
            let start = open + 1;
            let end = start
                + t[start..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
            if end - start < 2 || t.get(end) != Some(&b')') {
                continue;
            }
            let caps = &t[start..end];
            if !caps.iter().all(u8::is_ascii_uppercase) {
                continue;
            }
            let Some(before) = spelled_word_before(lexicon, t, start, caps, 0.9) else {
                continue;
            };
            if before.score > 0.9 {
                // "Kapur (KAPUR)"
                found.push(before);
                found.push(name(start, end, 0.95));
            } else if caps_name(lexicon, caps) {
                // "Violeta (CASSANDRA)": two halves of a name
                found.push(before);
                found.push(name(start, end, 0.9));
            }
        }
    }
    disjoint(found)
}

fn name(start: usize, end: usize, score: f64) -> Candidate {
    Candidate::new(start, end, Label::Name, score)
}

/// `found` sorted, without candidates that overlap an earlier one (`_disjoint`).
fn disjoint(mut found: Vec<Candidate>) -> Vec<Candidate> {
    if found.len() < 2 {
        return found;
    }
    // Python sorts the (start, end, label, score) tuples; the label is always NAME.
    sort_by_span(&mut found);
    let mut kept: Vec<Candidate> = Vec::with_capacity(found.len());
    for cand in found {
        if kept.last().is_none_or(|k| cand.start >= k.end) {
            kept.push(cand);
        }
    }
    kept
}

/// Python's `\w` on ASCII.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Python's `str.isspace` / `\s` on ASCII (includes \x0b and \x1c-\x1f, unlike Rust's).
fn is_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | 0x1c..=0x1f | b' ')
}

/// `[\w'\u2019-]`: what may not touch a letter run.
fn is_run_edge(b: u8) -> bool {
    is_word(b) || b == b'\'' || b == b'-'
}

/// Whether `t[at..]` starts with `word` in any case.
fn starts_with_ci(t: &[u8], at: usize, word: &[u8]) -> bool {
    t.len() >= at + word.len() && t[at..at + word.len()].eq_ignore_ascii_case(word)
}

/// The end of the run of ASCII letters starting at `at` (`at` itself if none).
fn letters_end(t: &[u8], at: usize) -> usize {
    at + t[at..]
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count()
}

fn strip<'a>(mut s: &'a [u8], chars: &[u8]) -> &'a [u8] {
    while let [first, rest @ ..] = s {
        if !chars.contains(first) {
            break;
        }
        s = rest;
    }
    rstrip(s, chars)
}

fn rstrip<'a>(mut s: &'a [u8], chars: &[u8]) -> &'a [u8] {
    while let [rest @ .., last] = s {
        if !chars.contains(last) {
            break;
        }
        s = rest;
    }
    s
}

/// `_AS_IN_BEFORE.search(text, pos, endpos)`: the start of the "x as in word " letters that
/// end right at `endpos` (`(?<![\w'])(?:[a-z] as in [a-z]+ )+$`, any case), leftmost first.
fn as_in_before(t: &[u8], pos: usize, endpos: usize) -> Option<usize> {
    let t = &t[..endpos]; // the search sees the text cut at endpos, and before pos
                          // `$` matches at the end, or before a final newline.
    let at_end = |i: usize| i == endpos || (i + 1 == endpos && t[i] == b'\n');
    (pos..endpos).find(|&p| {
        if p > 0 && (is_word(t[p - 1]) || t[p - 1] == b'\'') {
            return false;
        }
        let mut i = p;
        // Each chunk parses one way only ([a-z]+ must be followed by a space), so trying
        // `$` after each chunk gives the greedy `+`'s answer.
        while i < endpos && t[i].is_ascii_alphabetic() && starts_with_ci(t, i + 1, b" as in ") {
            let word_end = letters_end(t, i + 8);
            if word_end == i + 8 || word_end >= endpos || t[word_end] != b' ' {
                return false;
            }
            i = word_end + 1;
            if at_end(i) {
                return true;
            }
        }
        false
    })
}

/// `_RUN.match(text, start)`: the end of the letter run at `start`, or None. The run is
/// `(?<![\w'-])LETTER(?:(?:[ ,.]+|-)LETTER){1,24}(?![\w'-])` with
/// `LETTER = (?:double [a-z]|[a-z](?: as in [a-z]+)?)`, any case; this is a backtracking
/// matcher trying the alternatives in Python's order, so it ends where Python's match ends.
fn run_match(t: &[u8], start: usize) -> Option<usize> {
    if start > 0 && is_run_edge(t[start - 1]) {
        return None;
    }
    let mut result = None;
    each_letter(t, start, &mut |e| {
        result = repeat(t, e, 0);
        result.is_some()
    });
    result
}

/// The greedy `{1,24}` repetition of separator + letter from `pos`, `count` done so far.
fn repeat(t: &[u8], pos: usize, count: usize) -> Option<usize> {
    if count < MAX_MORE {
        let mut result = None;
        each_separator(t, pos, &mut |q| {
            each_letter(t, q, &mut |e| {
                result = repeat(t, e, count + 1);
                result.is_some()
            })
        });
        if result.is_some() {
            return result;
        }
    }
    if count >= 1 && !(pos < t.len() && is_run_edge(t[pos])) {
        return Some(pos);
    }
    None
}

/// Calls `next` with each end of `(?:[ ,.]+|-)` at `pos`, in backtracking order, until it
/// returns true; returns whether one did.
fn each_separator(t: &[u8], pos: usize, next: &mut dyn FnMut(usize) -> bool) -> bool {
    let n = t[pos..]
        .iter()
        .take_while(|&&b| matches!(b, b' ' | b',' | b'.'))
        .count();
    for k in (1..=n).rev() {
        if next(pos + k) {
            return true;
        }
    }
    if t.get(pos) == Some(&b'-') && next(pos + 1) {
        return true;
    }
    // ` (?:apostrophe|hyphen|dash) `
    t.get(pos) == Some(&b' ')
        && MARKS.iter().any(|(word, _)| {
            starts_with_ci(t, pos + 1, word)
                && t.get(pos + 1 + word.len()) == Some(&b' ')
                && next(pos + word.len() + 2)
        })
}

/// Calls `next` with each end of LETTER at `pos`, in backtracking order, until it returns
/// true; returns whether one did. LETTER is `double [a-z]`, a NATO word, or a letter with
/// an optional word: ` as in [a-z]+`, or ` (?:like|for) ` and a word starting with the
/// letter (`(?=\1)[a-z]+`).
fn each_letter(t: &[u8], pos: usize, next: &mut dyn FnMut(usize) -> bool) -> bool {
    if starts_with_ci(t, pos, b"double ")
        && t.get(pos + 7).is_some_and(u8::is_ascii_alphabetic)
        && next(pos + 8)
    {
        return true;
    }
    if NATO
        .iter()
        .any(|word| starts_with_ci(t, pos, word) && next(pos + word.len()))
    {
        return true;
    }
    let Some(&letter) = t.get(pos).filter(|b| b.is_ascii_alphabetic()) else {
        return false;
    };
    if starts_with_ci(t, pos + 1, b" as in ") {
        let word = pos + 8;
        for e in (word + 1..=letters_end(t, word)).rev() {
            if next(e) {
                return true;
            }
        }
    }
    for connector in CONNECTORS {
        if t.get(pos + 1) == Some(&b' ')
            && starts_with_ci(t, pos + 2, connector)
            && t.get(pos + 2 + connector.len()) == Some(&b' ')
        {
            let word = pos + connector.len() + 3;
            if t.get(word).is_some_and(|b| b.eq_ignore_ascii_case(&letter)) {
                for e in (word + 1..=letters_end(t, word)).rev() {
                    if next(e) {
                        return true;
                    }
                }
            }
        }
    }
    next(pos + 1)
}

/// `_ONE.match(text, start)`: one letter and its word ("k as in kilo", "b for boy") not
/// touching another word; the end of the match, or None.
fn one_match(t: &[u8], start: usize) -> Option<usize> {
    if start > 0 && is_run_edge(t[start - 1]) {
        return None;
    }
    let letter = *t.get(start).filter(|b| b.is_ascii_alphabetic())?;
    let word = if starts_with_ci(t, start + 1, b" as in ") {
        start + 8
    } else {
        let connector = CONNECTORS.iter().find(|c| {
            t.get(start + 1) == Some(&b' ')
                && starts_with_ci(t, start + 2, c)
                && t.get(start + 2 + c.len()) == Some(&b' ')
        })?;
        let word = start + connector.len() + 3;
        if !t.get(word).is_some_and(|b| b.eq_ignore_ascii_case(&letter)) {
            return None;
        }
        word
    };
    // `[a-z]+(?![\w'-])`: backing off the greedy letters leaves a letter after, so only
    // the whole word can pass the look-ahead.
    let end = letters_end(t, word);
    (end > word && !t.get(end).is_some_and(|&b| is_run_edge(b))).then_some(end)
}

/// `_one_letter`: whether one letter said with its word spells a name: right after a
/// spelling or name cue, and no number next to it.
fn one_letter(lexicon: &Lexicon, t: &[u8], start: usize, end: usize) -> bool {
    let previous = previous_word(t, start);
    CUES.iter().any(|c| previous.eq_ignore_ascii_case(c)) && !next_to_number(lexicon, t, start, end)
}

/// `_letters(run)`: the letters a run spells ("r a t as in table t a" -> "ratta",
/// "double l" -> "ll", "kilo oscar" -> "ko", "o apostrophe n" -> "o'n"), in their case.
fn letters(run: &[u8]) -> Vec<u8> {
    // _AS_IN.sub("", run): drop every " as in word", " like word", " for word", leftmost
    // first.
    let mut plain = Vec::with_capacity(run.len());
    let mut i = 0;
    'bytes: while i < run.len() {
        for join in [&b" as in "[..], b" like ", b" for "] {
            if starts_with_ci(run, i, join) {
                let e = letters_end(run, i + join.len());
                if e > i + join.len() {
                    i = e;
                    continue 'bytes;
                }
            }
        }
        plain.push(run[i]);
        i += 1;
    }
    let mut out = Vec::with_capacity(plain.len());
    let mut double = false;
    for part in plain.split(|b| matches!(b, b' ' | b',' | b'.' | b'-')) {
        if part.eq_ignore_ascii_case(b"double") {
            double = true;
        } else if let Some((_, mark)) = MARKS.iter().find(|(w, _)| part.eq_ignore_ascii_case(w)) {
            out.push(*mark);
        } else if let Some(&first) = part.first() {
            // a letter, or the first of a NATO word
            out.push(first);
            if double {
                out.push(first);
            }
            double = false;
        }
    }
    out
}

/// `_score`: how surely the run `t[start..end]` spelling `letters` spells a name (0: none).
fn score(lexicon: &Lexicon, t: &[u8], start: usize, end: usize, letters: &[u8]) -> f64 {
    // str.islower / isupper: some cased letter, none of the other case ("o'neil")
    let lower =
        letters.iter().any(u8::is_ascii_lowercase) && !letters.iter().any(u8::is_ascii_uppercase);
    let upper =
        letters.iter().any(u8::is_ascii_uppercase) && !letters.iter().any(u8::is_ascii_lowercase);
    if letters.is_empty() || !(lower || upper) {
        return 0.0; // spelled letters keep one case; "a P.O. box" mixes them
    }
    if letters.len() < 2 || is_abbreviation(letters) || next_to_number(lexicon, t, start, end) {
        return 0.0;
    }
    let run = &t[start..end];
    let previous = previous_word(t, start);
    if previous.eq_ignore_ascii_case(letters) || previous.eq_ignore_ascii_case(b"spelled") {
        return 0.95;
    }
    if run.contains(&b'.') {
        return 0.0; // otherwise dotted letters are abbreviations: "C.F.R.", "(e.g., a"
    }
    let paren = strip(
        &t[start.saturating_sub(2)..start],
        b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f ",
    );
    if CUES.iter().any(|c| previous.eq_ignore_ascii_case(c)) || paren == b"(" {
        return if letters.len() >= 3 { 0.9 } else { 0.0 };
    }
    if run.contains(&b'-') {
        return if letters.len() >= 3 { 0.85 } else { 0.0 };
    }
    if letters.len() >= 4 {
        0.7
    } else {
        0.0
    }
}

fn is_abbreviation(word: &[u8]) -> bool {
    ABBREVIATIONS.iter().any(|a| word.eq_ignore_ascii_case(a))
}

/// `_previous_word`: the word before `start` with punctuation around it stripped, in its
/// case ("" if none); compare it ignoring case.
fn previous_word(t: &[u8], start: usize) -> &[u8] {
    let before = rstrip(&t[start.saturating_sub(WINDOW)..start], PUNCT);
    let Some(last) = before.iter().rposition(|&b| !is_space(b)) else {
        return b"";
    };
    let first = before[..last]
        .iter()
        .rposition(|&b| is_space(b))
        .map_or(0, |i| i + 1);
    strip(&before[first..=last], PUNCT)
}

/// `_next_to_number`: whether a digit, a number word or "dash" touches the run.
fn next_to_number(lexicon: &Lexicon, t: &[u8], start: usize, end: usize) -> bool {
    let before = &t[start.saturating_sub(12)..start];
    let after = &t[end..(end + 12).min(t.len())];
    let last_before = before.split(|&b| is_space(b)).rfind(|w| !w.is_empty());
    let first_after = after.split(|&b| is_space(b)).find(|w| !w.is_empty());
    [last_before, first_after]
        .into_iter()
        .flatten()
        .any(|word| {
            let word = strip(word, PUNCT);
            !word.is_empty()
                && (word.iter().any(u8::is_ascii_digit)
                    || lexicon.flags_folded(ascii(word)) & NUMBER != 0
                    || word.eq_ignore_ascii_case(b"dash"))
        })
}

/// A slice of the ASCII text as a str.
fn ascii(bytes: &[u8]) -> &str {
    // The text is ASCII (the native detector's contract), so any slice is valid UTF-8.
    std::str::from_utf8(bytes).unwrap_or("")
}

/// `_spelled_word_before`: the name said just before the spelling that starts at `start`:
/// the word `letters` spell (0.95), or a capitalised name-like word before a parenthesised
/// spelling (`score`). Looks at most `WINDOW` bytes back.
fn spelled_word_before(
    lexicon: &Lexicon,
    t: &[u8],
    start: usize,
    letters: &[u8],
    score: f64,
) -> Option<Candidate> {
    let (ws, we) = word_before(t, start)?;
    let word = &t[ws..we];
    if word.eq_ignore_ascii_case(letters) {
        return Some(name(ws, we, 0.95));
    }
    if strip(&t[we..start], b" ,") != b"("
        || !word[0].is_ascii_uppercase()
        || !word.iter().any(u8::is_ascii_lowercase)
    {
        return None;
    }
    let flags = lexicon.flags_folded(ascii(word));
    let is_name = flags & (FIRST | LAST) != 0;
    if flags & (STOP | STATE) != 0 || (flags & (COMMON | ORG) != 0 && !is_name) {
        return None; // "the Act (HIPAA)", "Medicare (CMS)"
    }
    if !is_name && lexicon.is_drug(&ascii(word).to_ascii_lowercase()) {
        return None; // "Lisinopril (ZESTRIL)"
    }
    Some(name(ws, we, score))
}

/// `_WORD_BEFORE.search(text, start - WINDOW, start)`: the span of the word
/// (`[A-Za-z]+(?:['-][A-Za-z]+)*`) followed only by whitespace, commas and "(" up to
/// `start`, leftmost start first.
fn word_before(t: &[u8], start: usize) -> Option<(usize, usize)> {
    let pos = start.saturating_sub(WINDOW);
    let mut end = start;
    while end > pos && (is_space(t[end - 1]) || t[end - 1] == b',' || t[end - 1] == b'(') {
        end -= 1;
    }
    if end == pos || !t[end - 1].is_ascii_alphabetic() {
        return None;
    }
    let mut begin = end - 1;
    loop {
        while begin > pos && t[begin - 1].is_ascii_alphabetic() {
            begin -= 1;
        }
        if begin >= pos + 2
            && matches!(t[begin - 1], b'\'' | b'-')
            && t[begin - 2].is_ascii_alphabetic()
        {
            begin -= 2;
            continue;
        }
        return Some((begin, end));
    }
}

/// `_spelled_word_after`: the name said after the spelling ending at `end`: the same word
/// soon after ("S-M-I-T-H, Smith", 0.95), or a surname right after a spelled first name
/// ("j o h n smith", 0.8).
fn spelled_word_after(
    lexicon: &Lexicon,
    t: &[u8],
    end: usize,
    letters: &[u8],
) -> Option<Candidate> {
    let window = &t[end..(end + WINDOW).min(t.len())];
    let n = letters.len();
    let mut from = 0;
    while let Some(at) = find_ci(window, from, letters) {
        let stop = at + n;
        if (at == 0 || !window[at - 1].is_ascii_alphanumeric())
            && (stop == window.len() || !window[stop].is_ascii_alphanumeric())
        {
            return Some(name(end + at, end + stop, 0.95));
        }
        from = stop;
    }
    // _NEXT_WORD: " ([A-Za-z]{2,})\b" right at `end`.
    if t.get(end) != Some(&b' ') {
        return None;
    }
    let (ws, we) = letters_at_boundary(t, end + 1)?;
    let flags = lexicon.flags_folded(ascii(&t[ws..we]));
    let surname = flags & LAST != 0 || (flags & FIRST != 0 && flags & COMMON == 0);
    if surname && flags & (STOP | CALENDAR | NUMBER) == 0 {
        return Some(name(ws, we, 0.8));
    }
    None
}

/// The first index >= `from` where `needle` occurs in `hay`, ignoring ASCII case.
fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len())
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// `([A-Za-z]{2,})\b` at `at`: the letters at `at`, two or more and not followed by a digit
/// or "_" (greedy letters, then a word boundary).
fn letters_at_boundary(t: &[u8], at: usize) -> Option<(usize, usize)> {
    let end = letters_end(t, at);
    if end - at < 2 || t.get(end).is_some_and(|&b| is_word(b)) {
        return None;
    }
    Some((at, end))
}

/// `_CAPS_AFTER_CUE.match(text, end)`: `,?\s+([A-Za-z]{2,})\b` ("spelled SANABRIA").
fn caps_after_cue(t: &[u8], end: usize) -> Option<(usize, usize)> {
    let mut i = end;
    if t.get(i) == Some(&b',') {
        i += 1;
    }
    let spaces = t[i..].iter().take_while(|&&b| is_space(b)).count();
    if spaces == 0 {
        return None;
    }
    letters_at_boundary(t, i + spaces)
}

/// `_caps_name`: whether an all-caps word in parentheses reads as a name, not an acronym
/// ("(CMS)", "(ER)", "(NOW)"): three letters or more with a vowel, and a name or no
/// ordinary word.
fn caps_name(lexicon: &Lexicon, word: &[u8]) -> bool {
    let low = ascii(word).to_ascii_lowercase();
    if low.len() < 3 || is_abbreviation(word) || !low.bytes().any(|b| b"aeiouy".contains(&b)) {
        return false;
    }
    if lexicon.is_drug(&low) {
        return false; // "Ozempic (SEMAGLUTIDE)"
    }
    let flags = lexicon.flags(&low);
    if flags & (STOP | ORG | STATE | STATE_CODE) != 0 {
        return false;
    }
    flags & (FIRST | LAST) != 0 || flags & COMMON == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, start: usize) -> Option<&str> {
        run_match(text.as_bytes(), start).map(|e| &text[start..e])
    }

    #[test]
    fn run_matches_like_python() {
        assert_eq!(run("c h e n smith", 0), Some("c h e n"));
        assert_eq!(run("V-E-G-A, ok", 0), Some("V-E-G-A"));
        assert_eq!(
            run("r a t as in table t a born", 0),
            Some("r a t as in table t a")
        );
        assert_eq!(run("m i double l e r", 0), Some("m i double l e r"));
        // The lookahead fails after "d", so the greedy repeat backs off to "a b c".
        assert_eq!(run("a b c d'x", 0), Some("a b c"));
        assert_eq!(run("x-a b", 1), None); // touches a word before
        assert_eq!(run("a bc", 0), None);
        // Letters with their words, NATO words, spoken marks.
        assert_eq!(
            run("s like sam m for mary i t h.", 0),
            Some("s like sam m for mary i t h")
        );
        assert_eq!(run("k like mary o", 0), None); // the word must start with the letter
        assert_eq!(run("kilo Oscar, whisky", 0), Some("kilo Oscar, whisky"));
        assert_eq!(run("juliett alpha", 0), Some("juliett alpha"));
        assert_eq!(run("o apostrophe n e", 0), Some("o apostrophe n e"));
        assert_eq!(run("a b dash one", 0), Some("a b"));
        // At most 25 letters.
        let long = "a ".repeat(30);
        assert_eq!(run(&long, 0).map(str::len), Some(49));
    }

    #[test]
    fn one_letter_with_its_word() {
        fn one(t: &str) -> Option<&str> {
            one_match(t.as_bytes(), 0).map(|e| &t[..e])
        }
        assert_eq!(one("k as in kilo, ok"), Some("k as in kilo"));
        assert_eq!(one("B for boy"), Some("B for boy"));
        assert_eq!(one("d for my bones"), None);
        assert_eq!(one("k as in kilo-2"), None);
        assert_eq!(one("k as in "), None);
    }

    #[test]
    fn as_in_before_finds_the_leftmost_start() {
        let t = b"that's s as in sam a r a h";
        assert_eq!(as_in_before(t, 0, 19), Some(7));
        assert_eq!(as_in_before(t, 8, 19), None); // "(?<![\w'])": not inside a word
        let t = b"s as in sam \na r";
        assert_eq!(as_in_before(t, 0, 13), Some(0)); // `$` before a final newline
        assert_eq!(as_in_before(b"xs as in sam a", 0, 13), None);
    }

    #[test]
    fn letters_drop_as_in_words_and_double() {
        assert_eq!(letters(b"r a t as in table t a"), b"ratta");
        assert_eq!(letters(b"m i double l e r"), b"miller");
        assert_eq!(letters(b"S-M-I-T-H"), b"SMITH");
        assert_eq!(letters(b"C.F.R"), b"CFR");
        assert_eq!(letters(b"s like sam m for Mary"), b"sm");
        assert_eq!(letters(b"kilo oscar double l"), b"koll");
        assert_eq!(letters(b"o apostrophe n e i l"), b"o'neil");
        assert_eq!(letters(b"K I M dash L E E"), b"KIM-LEE");
    }

    #[test]
    fn previous_word_strips_punctuation() {
        assert_eq!(previous_word(b"it's: (c h", 7), b"it's");
        assert_eq!(previous_word(b"name\n c h", 6), b"name");
        assert_eq!(previous_word(b"  c h", 2), b"");
    }

    #[test]
    fn word_before_is_the_last_word_chain() {
        let t = b"that's O'Neil-Smith, (O N";
        assert_eq!(word_before(t, 22), Some((7, 19)));
        assert_eq!(word_before(b"5 (A B", 3), None);
        // Cut by the window: the word starts where the window does.
        let t = format!("{}x (A", "y".repeat(50));
        assert_eq!(word_before(t.as_bytes(), 53), Some((13, 51)));
    }

    #[test]
    fn python_whitespace_and_caps_after_cue() {
        assert!(is_space(0x0b) && is_space(0x1f) && !is_space(b'_'));
        assert_eq!(caps_after_cue(b"spelled, SANABRIA,", 7), Some((9, 17)));
        assert_eq!(caps_after_cue(b"spelled SANABRIA2", 7), None);
        assert_eq!(caps_after_cue(b"spelled,SANABRIA", 7), None);
    }
}
