//! The text primitives of the NAME finder: Python's character classes on ASCII and the
//! regexes of `names.py`, as byte loops with the same match semantics (`search` with `pos`
//! and `endpos`, `$` before a final newline, backtracking where it changes a result).
//!
//! Every function takes the text as bytes and reads only a few bytes around a position.

/// Python's `\s` and `str.isspace` on ASCII: `\t \n \v \f \r`, `\x1c`-`\x1f` and space.
#[inline]
pub fn is_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | 0x1c..=0x1f | b' ')
}

/// Python's `\w` on ASCII: letters, digits and `_`.
#[inline]
pub fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `str.isupper` of an ASCII slice: some capital and no lowercase letter ("VIN", "NY").
pub fn is_upper(s: &[u8]) -> bool {
    s.iter().any(u8::is_ascii_uppercase) && !s.iter().any(u8::is_ascii_lowercase)
}

/// Whether the byte at `i` is a capital letter (false past the end).
#[inline]
pub fn upper_at(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(u8::is_ascii_uppercase)
}

/// Call `f` with `word` in lower case, on the stack for words of up to 64 bytes.
pub fn with_lower<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    if !word.bytes().any(|b| b.is_ascii_uppercase()) {
        return f(word);
    }
    let mut buf = [0u8; 64];
    if word.len() > buf.len() {
        return f(&word.to_ascii_lowercase());
    }
    let low = &mut buf[..word.len()];
    low.copy_from_slice(word.as_bytes());
    low.make_ascii_lowercase();
    // Lowercasing ASCII bytes keeps UTF-8 valid; the fallback is never taken.
    f(std::str::from_utf8(low).unwrap_or(""))
}

/// Whether `b[pos..]` starts with the lowercase ASCII `lit`, in any case.
#[inline]
fn starts_ci(b: &[u8], pos: usize, lit: &[u8]) -> bool {
    b.len() >= pos + lit.len() && b[pos..pos + lit.len()].eq_ignore_ascii_case(lit)
}

/// End of the run of bytes from `pos` that satisfy `class`.
#[inline]
fn run(b: &[u8], mut pos: usize, class: impl Fn(u8) -> bool) -> usize {
    while pos < b.len() && class(b[pos]) {
        pos += 1;
    }
    pos
}

/// Start of the run of bytes that satisfy `class` and end at `end`.
#[inline]
fn run_back(b: &[u8], mut end: usize, class: impl Fn(u8) -> bool) -> usize {
    while end > 0 && class(b[end - 1]) {
        end -= 1;
    }
    end
}

/// `\b` after a word ending at `pos`: the end of the text or no word character.
#[inline]
fn boundary_after(b: &[u8], pos: usize) -> bool {
    pos >= b.len() || !is_word(b[pos])
}

/// The `_WORD` match at `pos`: (end of the gap, end of the word), or None at a non-word.
/// The gap is blanks and `,:;=(".`; the word letters with inner hyphens or apostrophes.
pub fn word_at(b: &[u8], pos: usize) -> Option<(usize, usize)> {
    let start = run(b, pos, |c| is_space(c) || b",:;=(\".".contains(&c));
    let mut end = run(b, start, |c| c.is_ascii_alphabetic());
    if end == start {
        return None;
    }
    while end + 1 < b.len() && matches!(b[end], b'\'' | b'-') && b[end + 1].is_ascii_alphabetic() {
        end = run(b, end + 1, |c| c.is_ascii_alphabetic());
    }
    Some((start, end))
}

/// `_DOSE.match(text, pos)`: blanks, then a digit ("Lipitor 20 mg").
pub fn dose(b: &[u8], pos: usize) -> bool {
    b.get(run(b, pos, is_space)).is_some_and(u8::is_ascii_digit)
}

/// `_SENTENCE_END.match(text, pos)`: blanks, then `.`, `!`, `?` or the end of the text.
pub fn sentence_end(b: &[u8], pos: usize) -> bool {
    b.get(run(b, pos, is_space))
        .is_none_or(|c| matches!(c, b'.' | b'!' | b'?'))
}

/// `re.search(r"\b(?:w1|w2|...)\s+$", text, re.I, pos, endpos)` for letter-only `words`:
/// one of `words` and blanks end the window.
fn word_then_blanks(b: &[u8], pos: usize, endpos: usize, words: &[&str]) -> bool {
    let blanks = run_back(&b[..endpos], endpos, is_space).max(pos);
    if blanks == endpos {
        return false;
    }
    // `\b` looks at the byte before the window too, so the word starts its run of \w.
    let start = run_back(&b[..blanks], blanks, is_word);
    start >= pos
        && words
            .iter()
            .any(|w| b[start..blanks].eq_ignore_ascii_case(w.as_bytes()))
}

/// `_DRUG_CONTEXT.search(text, max(0, start - 12), start)`: "take", "on", "the" ... right
/// before `start`, where a drug or a device follows, hardly a person.
pub fn drug_context(b: &[u8], start: usize) -> bool {
    const WORDS: [&str; 14] = [
        "take",
        "takes",
        "taking",
        "took",
        "on",
        "of",
        "refill",
        "prescribed",
        "use",
        "uses",
        "using",
        "the",
        "a",
        "an",
    ];
    word_then_blanks(b, start.saturating_sub(12), start, &WORDS)
}

/// `_OWNED.search(text, max(0, start - 12), start)`: a possessive pronoun before `start`.
pub fn owned(b: &[u8], start: usize) -> bool {
    const WORDS: [&str; 6] = ["my", "your", "his", "her", "our", "their"];
    word_then_blanks(b, start.saturating_sub(12), start, &WORDS)
}

/// Where a pattern ending in `" $"` puts its space in the window ending at `endpos`: right
/// before `endpos`, or before a final newline (Python's `$`).
fn space_before_end(b: &[u8], endpos: usize) -> Option<usize> {
    match endpos {
        0 => None,
        _ if b[endpos - 1] == b' ' => Some(endpos - 1),
        1 => None,
        _ if b[endpos - 1] == b'\n' && b[endpos - 2] == b' ' => Some(endpos - 2),
        _ => None,
    }
}

/// `names._word_before`: the word (letters only) right before `pos` with one space between,
/// or None at the start of the text, after punctuation or inside a longer word ("o'neil",
/// "al-pham", "4b").
pub fn word_before(b: &[u8], pos: usize) -> Option<(usize, usize)> {
    if pos < 2 || b[pos - 1] != b' ' {
        return None;
    }
    let end = pos - 1;
    let first = run_back(&b[..end], end, |c| c.is_ascii_alphabetic());
    if first == end || (first > 0 && (is_word(b[first - 1]) || b"'-".contains(&b[first - 1]))) {
        return None;
    }
    Some((first, end))
}

/// `_CAPITALISED_BEFORE.search(text, max(0, start - 30), start)` (`\b[A-Z][a-z]+ $`): the
/// span of the capitalised word right before the space ending the window.
pub fn capitalised_before(b: &[u8], start: usize) -> Option<(usize, usize)> {
    let pos = start.saturating_sub(30);
    let end = space_before_end(b, start)?;
    let lower = run_back(&b[..end], end, |c| c.is_ascii_lowercase());
    if lower == end || lower == 0 {
        return None;
    }
    let first = lower - 1;
    let ok =
        first >= pos && b[first].is_ascii_uppercase() && (first == 0 || !is_word(b[first - 1]));
    ok.then_some((first, end))
}

/// `_WORD_BEFORE_TITLE.search(text, max(0, start - 30), start)` (`\b([^\W\d_]{3,}) $`):
/// the span of a word of three letters or more right before the space ending the window.
pub fn word_before_title(b: &[u8], start: usize) -> Option<(usize, usize)> {
    let pos = start.saturating_sub(30);
    let end = space_before_end(b, start)?;
    let first = run_back(&b[..end], end, |c| c.is_ascii_alphabetic());
    let ok = end - first >= 3 && first >= pos && (first == 0 || !is_word(b[first - 1]));
    ok.then_some((first, end))
}

/// `_SIGN_OFF.match(text, pos)`: an optional word, then "here", "speaking", "calling" or
/// "again" ("it's rosemary again"), in any case.
pub fn sign_off(b: &[u8], pos: usize) -> bool {
    let keyword = |at: usize| {
        ["here", "speaking", "calling", "again"]
            .iter()
            .any(|k| starts_ci(b, at, k.as_bytes()) && boundary_after(b, at + k.len()))
    };
    let blanks = run(b, pos, is_space);
    if blanks == pos {
        return false;
    }
    // With the optional word first (the greedy choice), then without it.
    let word = run(b, blanks, |c| c.is_ascii_alphabetic());
    if word > blanks {
        let next = run(b, word, is_space);
        if next > word && keyword(next) {
            return true;
        }
    }
    keyword(blanks)
}

/// The greetings `_SIGN_OFF_START` skips, in its order of alternatives.
const GREETINGS: [&str; 10] = [
    "hi", "hello", "hey", "yes", "yeah", "um", "uh", "oh", "okay", "ok",
];

/// `_SIGN_OFF_START.match(text)`: greetings, then one or two words of two letters or more
/// and "here" or "speaking" ("hi, doge jeka here"). Returns the span of the words (group
/// 1), trying the alternatives in the regex's backtracking order.
pub fn sign_off_start(b: &[u8]) -> Option<(usize, usize)> {
    greetings_then_name(b, run(b, 0, is_space), 0)
}

/// The greeting loop at `pos`: one more greeting first (greedy), then the name words.
fn greetings_then_name(b: &[u8], pos: usize, depth: usize) -> Option<(usize, usize)> {
    // Each level consumes a greeting and a blank, so the depth is bounded by the text.
    if depth < b.len() {
        for greeting in GREETINGS {
            if !starts_ci(b, pos, greeting.as_bytes()) {
                continue;
            }
            let mut after = pos + greeting.len();
            if matches!(b.get(after), Some(b',' | b'.')) {
                after += 1; // `[,.]?`: without it, `\s+` would meet the punctuation
            }
            let next = run(b, after, is_space);
            if next > after {
                if let Some(found) = greetings_then_name(b, next, depth + 1) {
                    return Some(found);
                }
            }
        }
    }
    signed_name(b, pos)
}

/// `([^\W\d_]{2,}(?: [^\W\d_]{2,})?),? (?:here|speaking)\b` at `pos`: the group's span.
fn signed_name(b: &[u8], pos: usize) -> Option<(usize, usize)> {
    let first = run(b, pos, |c| c.is_ascii_alphabetic());
    if first - pos < 2 {
        return None;
    }
    let tail = |at: usize| {
        let at = if b.get(at) == Some(&b',') { at + 1 } else { at };
        b.get(at) == Some(&b' ')
            && ["here", "speaking"]
                .iter()
                .any(|k| starts_ci(b, at + 1, k.as_bytes()) && boundary_after(b, at + 1 + k.len()))
    };
    if b.get(first) == Some(&b' ') {
        let second = run(b, first + 1, |c| c.is_ascii_alphabetic());
        if second - (first + 1) >= 2 && tail(second) {
            return Some((pos, second));
        }
    }
    tail(first).then_some((pos, first))
}

/// `_after_place_word`: the word before `start` is "in", "from", "to" or "at".
pub fn after_place_word(b: &[u8], start: usize) -> bool {
    let window = &b[start.saturating_sub(6)..start];
    let before = &window[..run_back(window, window.len(), is_space)];
    [&b"in"[..], b"from", b"to", b"at"].iter().any(|w| {
        before.len() >= w.len()
            && before[before.len() - w.len()..].eq_ignore_ascii_case(w)
            && (before.len() == w.len() || before[before.len() - w.len() - 1] == b' ')
    })
}

/// `_sentence_start`: only blanks, quotes or "(" after a `.`, `!`, `?`, newline or `:` (or
/// nothing) in the 8 bytes before `start`.
pub fn sentence_start(b: &[u8], start: usize) -> bool {
    let window = &b[start.saturating_sub(8)..start];
    let end = run_back(window, window.len(), |c| {
        matches!(c, b' ' | b'\t' | b'"' | b'\'' | b'(')
    });
    end == 0 || matches!(window[end - 1], b'.' | b'!' | b'?' | b'\n' | b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(text: &str) -> Option<&str> {
        sign_off_start(text.as_bytes()).map(|(s, e)| &text[s..e])
    }

    #[test]
    fn sign_off_start_backtracks_like_the_regex() {
        assert_eq!(signed("hi, doge jeka here"), Some("doge jeka"));
        assert_eq!(signed("hi here"), Some("hi"));
        assert_eq!(signed("okay here we go"), Some("okay"));
        assert_eq!(
            signed("Hello. Daisy Danuva here, I have"),
            Some("Daisy Danuva")
        );
        assert_eq!(signed("john here here"), Some("john here"));
        assert_eq!(signed("john heresy"), None);
        assert_eq!(signed("hi a here"), None);
        assert_eq!(signed("  yeah um Rosa, speaking"), Some("Rosa"));
    }

    #[test]
    fn sign_off_takes_an_optional_word() {
        assert!(sign_off(b"x again", 1));
        assert!(sign_off(b"x rosemary  Calling.", 1));
        assert!(!sign_off(b"x rosemary", 1));
        assert!(!sign_off(b"xhere", 1));
        assert!(!sign_off(b"x heresy", 1));
    }

    #[test]
    fn windows_read_the_byte_before_them() {
        // `\b` at the window's start sees the letter before it: no match.
        let text = b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxMaria Lopez";
        assert_eq!(capitalised_before(text, 41), None);
        assert_eq!(capitalised_before(b"see Maria Lopez", 10), Some((4, 9)));
        assert_eq!(capitalised_before(b"see Maria \nLopez", 11), Some((4, 9)));
        assert_eq!(capitalised_before(b"see MAria Lopez", 10), None);
        assert_eq!(word_before_title(b"in kevin doctor", 9), Some((3, 8)));
        assert_eq!(word_before_title(b"2kevin doctor", 7), None);
        assert!(drug_context(b"I take Trelegy", 7));
        assert!(drug_context(b"The  Omnipod", 5));
        assert!(!drug_context(b"retake Trelegy", 7));
        assert!(owned(b"and my  jetta", 8));
    }

    #[test]
    fn small_helpers() {
        assert_eq!(word_at(b"  tomas-o'neil's x", 0), Some((2, 16)));
        assert_eq!(word_at(b", 5", 0), None);
        assert!(dose(b"x 20 mg", 1));
        assert!(sentence_end(b"x  ", 1));
        assert!(after_place_word(b"moved to  Tyler", 10));
        assert!(!after_place_word(b"into Tyler", 5));
        assert!(sentence_start(b"Hi. \"Mary", 5));
        assert!(!sentence_start(b"hi Mary", 3));
        assert!(is_upper(b"VIN") && !is_upper(b"Vin") && !is_upper(b"--"));
        assert_eq!(with_lower("MaRy", |w| w.to_string()), "mary");
    }

    #[test]
    fn word_before_needs_one_space_and_a_whole_word() {
        assert_eq!(word_before(b"pham minh", 5), Some((0, 4)));
        assert_eq!(word_before(b"is pham minh", 8), Some((3, 7)));
        assert_eq!(word_before(b"pham  minh", 6), None); // two spaces
        assert_eq!(word_before(b"al-pham minh", 8), None);
        assert_eq!(word_before(b"o'pham minh", 7), None);
        assert_eq!(word_before(b"4b minh", 3), None);
        assert_eq!(word_before(b", minh", 2), None);
        assert_eq!(word_before(b" minh", 1), None);
    }
}
