//! The ADDRESS and LOCATION finder: `python/phiwall/detect/places.py`, natively.
//!
//! ADDRESS: a house number (digits or number words), up to four street words and a USPS
//! suffix, then an optional unit; or a P.O. box and its number. LOCATION: a county, or a
//! city/town where context says so: after an address, before a state (the state outside),
//! after a place cue ("you're in", "calling from", "in"), or a known town capitalised
//! mid-sentence. A US state alone is never a LOCATION. Scores and rules are those of the
//! Python module, literal for literal (see its docstring for the score table).

mod doc;
mod street;

use doc::{is_alpha, is_digits, is_space, is_upper, lookup, Doc, Word};

use super::candidate::{Candidate, Label};
use super::lexicon::{
    Lexicon, PhraseHit, CALENDAR, COMMON, COUNTY, COUNTY_WORD, DIRECTION, FILLER, FIRST, LAST,
    NUMBER, ORDINAL, ORG, PLACE, PLACE_STRONG, PLACE_WEAK, POBOX, POPULAR, STATE, STATE_CODE, STOP,
    SUFFIX,
};

/// Hits that any rule starts from (`_PLACE_HITS`).
const PLACE_HITS: u32 =
    SUFFIX | POBOX | COUNTY | COUNTY_WORD | PLACE_STRONG | PLACE_WEAK | STATE | STATE_CODE | PLACE;
/// Never part of a place name (`_NEVER_PLACE`).
const NEVER_PLACE: u32 = STOP | FILLER | NUMBER | ORDINAL | CALENDAR | ORG;

/// Words that end town names ("Wellesley Hills"), read after a known town.
fn is_town_ending(word: &[u8]) -> bool {
    [
        &b"hills"[..],
        b"heights",
        b"springs",
        b"falls",
        b"beach",
        b"city",
        b"village",
        b"junction",
        b"lake",
    ]
    .iter()
    .any(|e| word.eq_ignore_ascii_case(e))
}

/// Words that start town names ("North Michaelmouth", "Port Steven") in lowercase text.
fn is_town_prefix(word: &[u8]) -> bool {
    [
        &b"north"[..],
        b"south",
        b"east",
        b"west",
        b"new",
        b"port",
        b"fort",
        b"lake",
        b"mount",
        b"saint",
        b"san",
    ]
    .iter()
    .any(|e| word.eq_ignore_ascii_case(e))
}

/// ADDRESS and LOCATION candidates of ASCII `text` (`places.find`), non-overlapping, sorted
/// by start; `scan` is `lexicon.scan(text)`.
///
/// Cost: nothing unless a street, box, county, cue, state or town phrase was scanned; then
/// a few byte scans and hash look-ups per such hit. Never fails.
pub fn find(lexicon: &Lexicon, text: &str, scan: &[PhraseHit]) -> Vec<Candidate> {
    let seen = scan.iter().fold(0, |acc, h| acc | h.flags);
    if seen & PLACE_HITS == 0 {
        return Vec::new(); // only name cues and names: the common case
    }
    let doc = Doc::new(lexicon, text, scan);
    let mut found = Vec::new();
    for &PhraseHit { start, end, flags } in scan {
        if flags & SUFFIX != 0 {
            found.extend(street::street(&doc, start, end));
        }
        if flags & POBOX != 0 {
            found.extend(street::po_box(doc.text, start, end));
        }
        if flags & COUNTY != 0 && flags & STATE == 0 {
            // not "District of Columbia"
            found.push(Candidate::new(start, end, Label::Location, 0.95));
        } else if flags & COUNTY_WORD != 0 {
            found.extend(county(&doc, start, end));
        }
        if flags & PLACE_STRONG != 0 || (flags & PLACE_WEAK != 0 && worth_a_look(&doc, end)) {
            found.extend(after_cue(&doc, end, flags & PLACE_STRONG != 0));
        }
        if flags & (STATE | STATE_CODE) != 0 {
            found.extend(before_state(&doc, start, end, flags));
        }
        if flags & PLACE != 0 && flags & (COMMON | STATE) == 0 {
            found.extend(known_town(&doc, start, end, flags));
        }
    }
    let found = resolve(found);
    let towns: Vec<Candidate> = found
        .iter()
        .filter(|c| c.label == Label::Address)
        .filter_map(|c| town_after(&doc, c.end))
        .collect();
    if towns.is_empty() {
        return found;
    }
    let mut all = found;
    all.extend(towns);
    resolve(all)
}

/// `_resolve`: drop duplicates and overlaps, the higher score winning, then the longer
/// span, then the earlier; the rest sorted as Python sorts the tuples.
fn resolve(mut found: Vec<Candidate>) -> Vec<Candidate> {
    if found.len() < 2 {
        return found;
    }
    // A stable sort, as Python's: equal keys keep their order.
    found.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<Candidate> = Vec::with_capacity(found.len());
    for cand in found {
        if kept
            .iter()
            .all(|k| cand.end <= k.start || cand.start >= k.end)
        {
            kept.push(cand);
        }
    }
    kept.sort_by(|a, b| {
        (a.start, a.end, a.label)
            .cmp(&(b.start, b.end, b.label))
            .then(a.score.total_cmp(&b.score))
    });
    kept
}

/// `_county`: "X County" for a county the gazetteer lacks: capitalised words, or one rare
/// word in lowercase text.
fn county(doc: &Doc, start: usize, end: usize) -> Option<Candidate> {
    let mut first = None;
    let before = doc.words_before(start);
    for (n, w) in before.iter().take(3).enumerate() {
        let low = doc.low(&w);
        if (doc.mixed && !doc.text[w.start].is_ascii_uppercase())
            || w.flags & NEVER_PLACE != 0
            || !is_alpha(low)
        {
            break;
        }
        if !doc.mixed && (w.flags & COMMON != 0 || n > 1) {
            break;
        }
        first = Some(w.start);
        if doc.text[w.gap..w.start].iter().any(|&b| !is_space(b)) {
            break;
        }
    }
    let score = if doc.mixed { 0.8 } else { 0.7 };
    first.map(|first| Candidate::new(first, end, Label::Location, score))
}

/// A town name found by [`town_at`].
#[derive(Clone, Copy)]
struct Town {
    start: usize,
    end: usize,
    known: bool,
    cap: bool,
}

/// `_town_at`: the town name starting at the word after `pos`. Known: a scanned gazetteer
/// town or a town that is an ordinary word; in mixed-case text up to three capitalised
/// words win if longer; in lowercase text, up to three words no list knows. Never a state
/// or a clinic.
fn town_at(doc: &Doc, pos: usize) -> Option<Town> {
    let text = doc.text;
    let first = doc.word(pos)?;
    let low = doc.low(&first);
    if low[0].is_ascii_digit() {
        return None;
    }
    let (start, f_end, flags) = (first.start, first.end, first.flags);
    if flags & DIRECTION != 0 || is_town_prefix(low) {
        if let Some(nxt) = doc.word(f_end) {
            if lookup(doc.lex, &[low, doc.low(&nxt)]) & STATE != 0 {
                return None; // "north" of "north carolina", "new" of "new york"
            }
        }
    }
    let mut known_end = doc.town_from(start);
    let prefix = !doc.mixed && town_prefix(doc, &first);
    if known_end.is_none() && flags & PLACE != 0 && flags & STATE == 0 && !prefix {
        known_end = Some(f_end); // a town that is an ordinary word ("maple")
    }
    let cap = doc.mixed && text[start].is_ascii_uppercase();
    if known_end.is_none() && flags & (NEVER_PLACE | STATE) != 0 && !(cap && flags & NUMBER != 0) {
        return None;
    }
    let cap_end = if cap {
        capitalised_run(doc, first)
    } else {
        None
    };
    if let Some(cap_end) = cap_end {
        if doc.flags_of(start, cap_end) & STATE != 0 {
            return None; // "District of Columbia", "New Mexico"
        }
    }
    let (mut end, known);
    match (cap_end, known_end) {
        (Some(c), k) if k.is_none_or(|k| c > k) => (end, known) = (c, false),
        (_, Some(k)) => {
            (end, known) = (k, true);
            if let Some(nxt) = doc.word(end) {
                if doc.spaced(&nxt) && is_town_ending(doc.low(&nxt)) && !cap {
                    end = nxt.end; // "wellesley hills": a town word the list lacks
                }
            }
        }
        _ if doc.mixed || (flags & (COMMON | STATE_CODE) != 0 && !prefix) => return None,
        _ => {
            // up to three words no list knows: "cali nazehasi", "north michaelmouth"
            (end, known) = (f_end, false);
            for _ in 0..2 {
                let Some(nxt) = doc.word(end) else { break };
                if !doc.spaced(&nxt) || nxt.flags & (COMMON | NEVER_PLACE | STATE) != 0 {
                    break;
                }
                if !is_alpha(doc.low(&nxt)) {
                    break;
                }
                end = nxt.end;
            }
        }
    }
    if let Some(nxt) = doc.word(end) {
        if doc.spaced(&nxt) && nxt.flags & ORG != 0 {
            return None; // "Lakeshore Internal Medicine"
        }
    }
    Some(Town {
        start,
        end,
        known,
        cap,
    })
}

/// `_town_prefix`: whether a lowercase `word` starts a town name with an unknown word
/// after it ("north michaelmouth"), not a state ("south dakota"). Two look-ups.
fn town_prefix(doc: &Doc, word: &Word) -> bool {
    let low = doc.low(word);
    if !is_town_prefix(low) {
        return false;
    }
    let Some(nxt) = doc.word(word.end) else {
        return false;
    };
    if !doc.spaced(&nxt) || !is_alpha(doc.low(&nxt)) {
        return false;
    }
    if nxt.flags & (COMMON | NEVER_PLACE | STATE | STATE_CODE) != 0 {
        return false;
    }
    lookup(doc.lex, &[low, doc.low(&nxt)]) & STATE == 0
}

/// `_capitalised_run`: end of up to three capitalised words from `word` (number words
/// allowed: "Twelve Mile"); None if `word` cannot start a town name.
fn capitalised_run(doc: &Doc, mut word: Word) -> Option<usize> {
    let mut end = None;
    for _ in 0..3 {
        if !doc.text[word.start].is_ascii_uppercase() || is_upper(doc.low(&word)) {
            break; // lowercase, or an acronym ("TS 18508")
        }
        if word.flags & (NEVER_PLACE | STATE | STATE_CODE) != 0 && word.flags & NUMBER == 0 {
            break;
        }
        end = Some(word.end);
        match doc.word(word.end) {
            Some(nxt) if doc.spaced(&nxt) => word = nxt,
            _ => break,
        }
    }
    end
}

/// `_follows_state_or_zip`: whether a state name, a capital state code or a ZIP (digits or
/// words) follows `pos`.
fn follows_state_or_zip(doc: &Doc, pos: usize) -> bool {
    let Some(nxt) = doc.word(pos) else {
        return false;
    };
    let low = doc.low(&nxt);
    if nxt.flags & STATE != 0 || (is_digits(low) && low.len() == 5) {
        return true; // not "Section 2.1"
    }
    if nxt.flags & STATE_CODE != 0 && is_upper(low) {
        return true;
    }
    let Some(two) = doc.word(nxt.end) else {
        return false;
    };
    if nxt.flags & NUMBER != 0 {
        return two.flags & NUMBER != 0 && doc.spaced(&two);
    }
    lookup(doc.lex, &[low, doc.low(&two)]) & STATE != 0
}

/// `_worth_a_look`: whether a weak cue ending at `pos` can precede a town: a known town or
/// a capital follows, or a state is named somewhere. No word is read.
fn worth_a_look(doc: &Doc, pos: usize) -> bool {
    let nxt = pos + 1;
    doc.town_from(nxt).is_some()
        || doc.stated
        || (doc.mixed && doc.text.get(nxt).is_some_and(u8::is_ascii_uppercase))
}

/// `_after_cue`: a town right after a place cue ("you're in", "calling from", "in").
fn after_cue(doc: &Doc, pos: usize, strong: bool) -> Option<Candidate> {
    let town = town_at(doc, pos)?;
    let Town {
        start,
        end,
        known,
        cap,
    } = town;
    let stated = follows_state_or_zip(doc, end);
    if !strong && !stated && number_after(doc.text, end) {
        return None; // "in Section 2.1", "in Debian 3.0"
    }
    let score = if known {
        let flags = doc.flags_of(start, end);
        if stated || (strong && (cap || flags & COMMON == 0)) {
            0.9
        } else if strong {
            0.7 // "you're in maple": a town that is also an ordinary word
        } else if cap && flags & POPULAR != 0 {
            0.0 // "a letter from Martin": a person before a town
        } else if cap || flags & (COMMON | FIRST | LAST) == 0 {
            0.85
        } else if flags & (COMMON | POPULAR) != 0 {
            0.0
        } else {
            0.7 // a town that is also a surname ("from sacramento")
        }
    } else if cap {
        if strong || stated {
            0.8
        } else {
            0.0
        }
    } else if strong || stated {
        0.7 // "back in bantry north dakota"
    } else {
        0.0
    };
    (score != 0.0).then(|| Candidate::new(start, end, Label::Location, score))
}

/// `_NUMBER_AFTER.match(text, pos)`: blanks, then a digit.
fn number_after(text: &[u8], mut pos: usize) -> bool {
    while pos < text.len() && is_space(text[pos]) {
        pos += 1;
    }
    text.get(pos).is_some_and(u8::is_ascii_digit)
}

/// `_before_state`: the town before a state: "Springfield, IL", "tampa florida" (the state
/// outside).
fn before_state(doc: &Doc, start: usize, end: usize, flags: u32) -> Option<Candidate> {
    let text = doc.text;
    let state = &text[start..end];
    if flags & STATE_CODE != 0 && flags & STATE == 0 && !is_upper(state) {
        return None;
    }
    let prev = doc.word_before(start);
    if let Some(prev) = prev {
        if lookup(doc.lex, &[doc.low(&prev), state]) & STATE != 0 {
            return None; // "virginia" inside "west virginia": the longer state decides
        }
    }
    let mut pos = start;
    while pos > 0 && matches!(text[pos - 1], b' ' | b',') {
        pos -= 1;
    }
    if let Some(mut town_start) = doc.town_to(pos) {
        if doc.mixed {
            // "Little Plymouth, VA": capitalised words before a known town
            for w in doc.words_before(town_start).iter().take(2) {
                let capitalised =
                    text[w.start].is_ascii_uppercase() && &text[w.end..town_start] == b" ";
                if !capitalised || w.flags & (NEVER_PLACE | STATE | SUFFIX) != 0 {
                    break;
                }
                town_start = w.start;
            }
        }
        return Some(Candidate::new(town_start, pos, Label::Location, 0.9));
    }
    let before = prev?;
    if before.end != pos {
        return None;
    }
    let (w_start, w_end, w_flags) = (before.start, before.end, before.flags);
    if w_flags & PLACE != 0 && w_flags & (STOP | STATE) == 0 {
        return Some(Candidate::new(w_start, w_end, Label::Location, 0.9)); // "sharon north dakota"
    }
    // "Harmony, PA", not "Tyrese Washington"
    let capitalised = doc.mixed
        && text[w_start].is_ascii_uppercase()
        && !is_upper(&text[w_start..w_end])
        && text[w_end..start].contains(&b',');
    if capitalised && w_flags & (NEVER_PLACE | STATE | SUFFIX) == 0 {
        return Some(Candidate::new(w_start, w_end, Label::Location, 0.8));
    }
    None
}

/// `_known_town`: a gazetteer town with no cue, kept when capitalised mid-sentence and not
/// a person's name.
fn known_town(doc: &Doc, start: usize, end: usize, flags: u32) -> Option<Candidate> {
    let text = doc.text;
    if !doc.mixed || !text[start].is_ascii_uppercase() || flags & (FIRST | LAST) != 0 {
        return None;
    }
    let mut b = start;
    while b > 0 && matches!(text[b - 1], b' ' | b'"' | b'\'') {
        b -= 1;
    }
    if b == 0 || matches!(text[b - 1], b'.' | b'!' | b'?' | b':' | b'\n') {
        return None; // the start of a sentence
    }
    let town = &text[start..end];
    if is_upper(town) {
        return None;
    }
    if let Some(prev) = doc.word_before(start) {
        if lookup(doc.lex, &[doc.low(&prev), town]) & STATE != 0 {
            return None; // "Mexico" inside "New Mexico"
        }
    }
    if let Some(nxt) = doc.word(end) {
        if doc.spaced(&nxt) && (text[nxt.start].is_ascii_uppercase() || nxt.flags & ORG != 0) {
            return None; // part of a name ("Lakeshore Urgent Care")
        }
    }
    Some(Candidate::new(start, end, Label::Location, 0.6))
}

/// `_BEFORE_TOWN.match(text, pos).end()`: commas, blanks and up to four of "um", "uh",
/// "in", "that's", "it's" (each before blanks) between an address and its town.
fn before_town(text: &[u8], mut pos: usize) -> usize {
    while pos < text.len() && (is_space(text[pos]) || text[pos] == b',') {
        pos += 1;
    }
    for _ in 0..4 {
        let rest = &text[pos..];
        let len = [&b"um"[..], b"uh", b"in", b"that's", b"it's"]
            .iter()
            .find(|w| rest.len() > w.len() && rest[..w.len()].eq_ignore_ascii_case(w))
            .map(|w| w.len());
        match len {
            Some(len) if is_space(rest[len]) => {
                pos += len;
                while pos < text.len() && is_space(text[pos]) {
                    pos += 1;
                }
            }
            _ => break,
        }
    }
    pos
}

/// `_town_after`: the town after an address ending at `pos`: "…Drive, Maysville, AR",
/// "…road tampa".
fn town_after(doc: &Doc, pos: usize) -> Option<Candidate> {
    let pos = before_town(doc.text, pos);
    let town = town_at(doc, pos);
    if let Some(t) = town {
        if t.known || t.cap {
            let score = if t.known { 0.9 } else { 0.85 };
            return Some(Candidate::new(t.start, t.end, Label::Location, score));
        }
    }
    if !doc.mixed {
        // "fort riley six six four four two": words up to a state or a ZIP
        let mut first: Option<Word> = None;
        let mut last: Option<Word> = None;
        for _ in 0..3 {
            let Some(word) = doc.word(last.map_or(pos, |w| w.end)) else {
                break;
            };
            if word.flags & (STOP | NUMBER | FILLER | STATE) != 0 {
                break;
            }
            if let Some(after) = doc.word(word.end) {
                if lookup(doc.lex, &[doc.low(&word), doc.low(&after)]) & STATE != 0 {
                    break; // "new mexico", "west virginia"
                }
            }
            if last.is_some() && !doc.spaced(&word) {
                break;
            }
            first = first.or(Some(word));
            last = Some(word);
            if follows_state_or_zip(doc, word.end) {
                let start = first.map_or(word.start, |f| f.start);
                return Some(Candidate::new(start, word.end, Label::Location, 0.8));
            }
        }
    }
    town.map(|t| Candidate::new(t.start, t.end, Label::Location, 0.7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_town_skips_fillers() {
        let end = |t: &str| before_town(t.as_bytes(), 0);
        assert_eq!(end(", that's uh in evant"), 15);
        assert_eq!(end(" inside"), 1);
        assert_eq!(end(" um"), 1); // a filler needs a blank after it
        assert_eq!(end(", It's  Tampa"), 8);
    }

    #[test]
    fn resolve_prefers_score_then_length() {
        let c = |s, e, score| Candidate::new(s, e, Label::Location, score);
        let kept = resolve(vec![
            c(5, 9, 0.7),
            c(0, 6, 0.9),
            c(8, 12, 0.7),
            c(8, 11, 0.7),
        ]);
        assert_eq!(kept, vec![c(0, 6, 0.9), c(8, 12, 0.7)]);
    }

    #[test]
    fn town_word_lists_ignore_case() {
        assert!(is_town_prefix(b"North") && !is_town_prefix(b"nort"));
        assert!(is_town_ending(b"hills") && !is_town_ending(b"hill"));
    }
}
