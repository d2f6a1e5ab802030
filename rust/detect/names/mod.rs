//! The NAME finder: person names from cues, gazetteers and capitalisation
//! (`python/phiwall/detect/names.py`, natively, for ASCII text).
//!
//! Evidence, strongest first: a cue before the name (strong "my name is", plain "this is",
//! weak "okay"); the word itself (a gazetteer name that is no ordinary word, a capitalised
//! word in cased text, an unknown lowercase word); without a cue, a first name followed by
//! a surname. A name grows over further name words, middle initials and particles; a
//! filler splits it in two. The scores and every rule are those of `names.py`, in the same
//! order, so the candidates are identical; see that module's docstring for the score table.
//!
//! - [`text`]: the regexes and Python string tests, as byte loops.
//! - [`tokens`]: words with their gap and word classes (`_token`, `_flags`).

use std::sync::LazyLock;

mod rules;
mod surname_first;
mod text;
mod tokens;

use super::candidate::{sort_by_span, Candidate, Label};
use super::capitals;
use super::lexicon::{self as gz, Lexicon, PhraseHit};
use text::{
    after_place_word, dose, drug_context, sentence_start, sign_off_start, upper_at, with_lower,
    word_before_title,
};
use tokens::Token;

const STRONG: usize = 0;
const PLAIN: usize = 1;
const WEAK: usize = 2;
// score[strength] for each kind of first word.
const GAZ: [f64; 3] = [0.95, 0.9, 0.8];
const CAP: [f64; 3] = [0.9, 0.85, 0.0];
const CAP_ORDINARY_NAME: [f64; 3] = [0.85, 0.7, 0.6];
const LOWER_ORDINARY_NAME: [f64; 3] = [0.7, 0.0, 0.0];
const UNKNOWN: [f64; 3] = [0.8, 0.7, 0.0];
const NAME_THEN_SURNAME: [f64; 3] = [0.85, 0.8, 0.75];
const PAIR: f64 = 0.85;
const PAIR_CAP: f64 = 0.9;
const PAIR_UNKNOWN: f64 = 0.7;
const SINGLE_CAP: f64 = 0.6;
const PAIR_CAP_UNKNOWN: f64 = 0.6;
const VOCATIVE_SCORE: f64 = 0.55;
const SIGNED_SCORE: f64 = 0.75;
const MAX_TOKENS: usize = 4;

/// Words that may follow a full name and start the next clause ("jun tang and i ...").
const CLAUSE_STARTS: [&str; 20] = [
    "and", "i", "my", "date", "born", "but", "so", "from", "here", "medical", "phone", "member",
    "policy", "account", "dob", "how", "what", "where", "when", "why",
];
/// Lowercase particles inside surnames: "de la Cruz", "van der Berg", "mc intyre".
const PARTICLES: [&str; 23] = [
    "de", "del", "della", "der", "den", "van", "von", "da", "di", "du", "la", "le", "los", "las",
    "mc", "mac", "bin", "ibn", "al", "el", "ben", "st", "ter",
];
/// Vietnamese middle names, family name first: "tran van an", "nguyen thi hoa".
const VIET_MIDDLE: [&str; 2] = ["van", "thi"];
/// Family names said first that are also ordinary words ("park ji hoon", "lee min jun"):
/// common Korean and Chinese surnames (1990 US Census list), rarely an ordinary word right
/// before a given name.
const FAMILY_WORDS: [&str; 6] = ["lee", "park", "song", "moon", "shin", "tang"];
/// Verbs of asking and saying: a spoken first name before one is their subject.
const SAID: [&str; 10] = [
    "asked", "said", "told", "called", "says", "asks", "wants", "wanted", "needs", "needed",
];
const PRONOUNS: [&str; 9] = ["i", "he", "she", "we", "they", "it", "that", "this", "you"];
const NEVER: u32 =
    gz::STOP | gz::FILLER | gz::NUMBER | gz::ORDINAL | gz::CALENDAR | gz::ORG | gz::COUNTY_WORD;
const NAME: u32 = gz::FIRST | gz::LAST;
/// What a family name said before a given name is not: a town, street word, verb or state.
const NO_FAMILY: u32 = NEVER
    | gz::COMMON
    | gz::PLACE
    | gz::STATE
    | gz::STATE_CODE
    | gz::SUFFIX
    | gz::ENDS_NAME
    | gz::COUNTY;

/// The words that may end a sign-off ("Daisy here"), as searchers built once: building one
/// per text (as `str::contains` does) costs more than the search.
static SIGN_OFFS: LazyLock<[memchr::memmem::Finder<'static>; 2]> = LazyLock::new(|| {
    [
        memchr::memmem::Finder::new(" here"),
        memchr::memmem::Finder::new(" speaking"),
    ]
});

/// `names.find(text)` for ASCII `text`, where `scan` is `lexicon.scan(text)`: NAME
/// candidates, non-overlapping, sorted by start.
///
/// Cost: a few word reads and hash look-ups per cue or first-name hit, a pass over the text
/// 8 bytes at a time for capitals, and for cased text one more for capitalised pairs and
/// a search for vocatives. Never fails.
pub fn find(lexicon: &Lexicon, text: &str, scan: &[PhraseHit]) -> Vec<Candidate> {
    let f = Finder {
        lex: lexicon,
        text,
        b: text.as_bytes(),
    };
    let mixed = capitals::any(f.b);
    let mut found = Vec::new();
    for hit in scan {
        let flags = hit.flags;
        if flags & gz::NAME_CUES != 0 {
            let title = flags & gz::TITLE != 0;
            f.after_cue(&mut found, hit.end, strength(flags), title, mixed);
            if title && !mixed {
                f.before_title(&mut found, hit.start);
            }
        } else if flags & gz::FIRST != 0 {
            f.pair(&mut found, hit, mixed);
        } else if flags & gz::INITIAL != 0 {
            f.initialed(&mut found, hit.start, mixed);
        }
    }
    if mixed {
        f.capitalised_pairs(&mut found); // never scanned: "Victor Coulon"
        if memchr::memchr_iter(b',', f.b).any(|i| f.b.get(i + 1) == Some(&b' ')) {
            f.vocatives(&mut found);
        }
    }
    if SIGN_OFFS.iter().any(|word| word.find(f.b).is_some()) {
        if let Some(span) = sign_off_start(f.b) {
            f.signed(&mut found, span);
        }
    }
    if memchr::memmem::find(f.b, b", ").is_none() {
        return resolve(found);
    }
    let mut found = resolve(found);
    let more = f.surname_first(&found, mixed);
    found.extend(more);
    resolve(found)
}

/// How strongly a cue announces a name: STRONG, PLAIN or WEAK.
fn strength(flags: u32) -> usize {
    if flags & (gz::NAME_STRONG | gz::TITLE) != 0 {
        STRONG
    } else if flags & gz::NAME_CUE != 0 {
        PLAIN
    } else {
        WEAK
    }
}

/// Whether a capitalised word with `flags` can be this half of a name pair: a `name` word
/// (ordinary or not), or a word no list knows.
fn pair_word(flags: u32, name: u32) -> bool {
    let listed = gz::STATE | gz::STATE_CODE | gz::SUFFIX | gz::ENDS_NAME | gz::PLACE;
    if flags & (NEVER | listed) != 0 {
        return flags & name != 0 && flags & (NEVER | gz::STATE | gz::ENDS_NAME) == 0;
    }
    flags & name != 0 || flags & gz::COMMON == 0
}

/// Score of `word` as the first word of a name after a cue of `strength` (0: not one).
fn first_score(word: &[u8], flags: u32, strength: usize, mixed: bool) -> f64 {
    if flags & NEVER & !gz::CALENDAR != 0 || word.len() < 2 {
        return 0.0;
    }
    if flags & gz::CALENDAR != 0 {
        return 0.0; // "June" is a name only if a surname follows (`by_next_word`)
    }
    let name = flags & NAME != 0;
    let common = flags & gz::COMMON != 0;
    let cap = mixed && word[0].is_ascii_uppercase();
    if name && !common {
        return GAZ[strength];
    }
    if cap {
        return if name {
            CAP_ORDINARY_NAME[strength]
        } else if common {
            0.0
        } else {
            CAP[strength]
        };
    }
    if name {
        return LOWER_ORDINARY_NAME[strength];
    }
    if common {
        0.0
    } else {
        UNKNOWN[strength]
    }
}

/// Merge overlapping candidates (all NAME) into one span with the best score (`_resolve`).
fn resolve(mut found: Vec<Candidate>) -> Vec<Candidate> {
    if found.len() < 2 {
        return found;
    }
    sort_by_span(&mut found);
    let mut merged: Vec<Candidate> = Vec::with_capacity(found.len());
    for cand in found {
        match merged.last_mut() {
            Some(last) if cand.start < last.end => {
                last.end = last.end.max(cand.end);
                last.score = last.score.max(cand.score);
            }
            _ => merged.push(cand),
        }
    }
    merged
}

/// Whether the lower-case `word` is one of `set`.
fn one_of(word: &str, set: &[&str]) -> bool {
    set.contains(&word)
}

/// One text and the lexicon: the rules of `names.py`, each a method.
struct Finder<'a> {
    lex: &'a Lexicon,
    text: &'a str,
    b: &'a [u8],
}

impl<'a> Finder<'a> {
    fn push(found: &mut Vec<Candidate>, start: usize, end: usize, score: f64) {
        found.push(Candidate::new(start, end, Label::Name, score));
    }

    /// `_token`: the word after `pos`, or None at a non-word.
    fn token(&self, pos: usize) -> Option<Token<'a>> {
        tokens::token(self.lex, self.text, pos)
    }

    /// `_flags`: the word classes of `text[start..end]`, in any case.
    fn flags(&self, start: usize, end: usize) -> u32 {
        tokens::flags(self.lex, &self.text[start..end])
    }

    /// `_looks_like_drug`: a drug-name ending or a dose after the word.
    fn looks_like_drug(&self, start: usize, end: usize) -> bool {
        with_lower(&self.text[start..end], |w| self.lex.is_drug(w)) || dose(self.b, end)
    }

    /// `_is_place`: whether `text[start..end]` is a known town or state.
    fn is_place(&self, start: usize, end: usize) -> bool {
        let flags = with_lower(&self.text[start..end], |w| self.lex.flags(w));
        flags & (gz::PLACE | gz::STATE) != 0
    }

    /// `_signed`: "Daisy Danuva here, ...": the words opening the text before "here".
    fn signed(&self, found: &mut Vec<Candidate>, (start, end): (usize, usize)) {
        let mut first = None;
        for word in self.text[start..end].split(' ') {
            let flags = tokens::flags(self.lex, word);
            if flags & (gz::STOP | NEVER) != 0 {
                return;
            }
            first.get_or_insert(flags);
        }
        if self.looks_like_drug(start, end) {
            return;
        }
        let first = first.unwrap_or(0);
        if first & NAME == 0 && first & gz::COMMON != 0 {
            return;
        }
        Self::push(found, start, end, SIGNED_SCORE);
    }

    /// `_before_title`: a spoken gazetteer name right before a title ("are in kevin doctor
    /// lomax"), if it is no ordinary word.
    fn before_title(&self, found: &mut Vec<Candidate>, start: usize) {
        let Some((w_start, w_end)) = word_before_title(self.b, start) else {
            return;
        };
        let flags = self.flags(w_start, w_end);
        if flags & NAME == 0 || flags & (gz::COMMON | NEVER | gz::STATE | gz::ENDS_NAME) != 0 {
            return;
        }
        if flags & gz::PLACE != 0 && after_place_word(self.b, w_start) {
            return; // "in dallas doctor ..." is a town
        }
        Self::push(found, w_start, w_end, VOCATIVE_SCORE + 0.05);
    }

    /// `_vocatives`: a capitalised unknown or name word set off by a comma at a clause end
    /// (", Meregenu."), or opening the text ("Maria, please hold").
    fn vocatives(&self, found: &mut Vec<Candidate>) {
        let b = self.b;
        let cap_word = |at: usize| -> Option<usize> {
            if !upper_at(b, at) {
                return None;
            }
            let end = at
                + 1
                + b[at + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_lowercase())
                    .count();
            (end > at + 1).then_some(end)
        };
        if let Some(end) = cap_word(0).filter(|&e| b[e..].starts_with(b", ")) {
            self.vocative(found, 0, end, true);
        }
        for comma in memchr::memmem::find_iter(b, b", ") {
            let Some(end) = cap_word(comma + 2) else {
                continue;
            };
            if matches!(b.get(end), Some(b'.' | b'!' | b'?'))
                && b.get(end + 1).is_none_or(|&c| text::is_space(c))
            {
                self.vocative(found, comma + 2, end, false);
            }
        }
    }

    fn vocative(&self, found: &mut Vec<Candidate>, start: usize, end: usize, opening: bool) {
        let flags = self.flags(start, end);
        if flags & (NEVER | gz::STATE | gz::ENDS_NAME) != 0
            || (flags & gz::SUFFIX != 0 && flags & gz::LAST == 0)
        {
            return; // "..., Drive."; not the surname "are in, Mills."
        }
        if flags & (gz::COMMON | gz::PLACE) != 0 && flags & NAME == 0 {
            return; // "are in, Plano." is a town
        }
        if opening
            && (flags & gz::NAME_CUES != 0
                || (flags & (gz::COMMON | gz::PLACE) != 0 && flags & gz::POPULAR == 0)
                || flags & NAME == 0)
        {
            return; // "Great, see you", "Gotcha, thanks"
        }
        if self.looks_like_drug(start, end) {
            return;
        }
        Self::push(found, start, end, VOCATIVE_SCORE);
    }

    /// `_capitalised_pairs`: two capitalised words mid-sentence that no list calls anything
    /// but names ("have Yutika Vohra bring"), unless inside a name found already.
    fn capitalised_pairs(&self, found: &mut Vec<Candidate>) {
        let b = self.b;
        let known = found.len();
        let lower_run = |at: usize| {
            at + b[at..]
                .iter()
                .take_while(|c| c.is_ascii_lowercase())
                .count()
        };
        // Only a capital starts a pair: skip to each, not through every byte.
        for start in capitals::positions(b) {
            if start > 0 && b[start - 1].is_ascii_alphanumeric() {
                continue; // inside a word ("McDonald")
            }
            let first_end = lower_run(start + 1);
            if first_end == start + 1 || b.get(first_end) != Some(&b' ') {
                continue;
            }
            let second = first_end + 1;
            if !upper_at(b, second) {
                continue;
            }
            let end = lower_run(second + 1);
            if end == second + 1 || b.get(end).is_some_and(|&c| text::is_word(c)) {
                continue;
            }
            if found[..known]
                .iter()
                .any(|c| c.start <= start && end <= c.end)
            {
                continue; // found already, by a cue: "my name is Victor Coulon"
            }
            let first = self.flags(start, first_end);
            let last = self.flags(second, end);
            if !(pair_word(first, gz::FIRST) && pair_word(last, gz::LAST)) {
                continue;
            }
            if first & last & gz::COMMON != 0 {
                continue; // "Blue Cross", "Grace Period"
            }
            if sentence_start(b, start) || self.after_capitalised(start) {
                continue;
            }
            if self.is_place(start, end) || self.looks_like_drug(second, end) {
                continue;
            }
            if self.looks_like_drug(start, first_end) || after_place_word(b, start) {
                continue;
            }
            if drug_context(b, start) {
                continue; // "I take Trelegy Ellipta", "the Omnipod Dash"
            }
            if let Some(next) = self.token(end) {
                if next.gap == " " && b[next.start].is_ascii_uppercase() {
                    continue; // part of a longer capitalised run: a clinic, a title
                }
            }
            Self::push(found, start, end, PAIR_CAP_UNKNOWN);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_merges_overlaps_keeping_the_best_score() {
        let c = |s, e, score| Candidate::new(s, e, Label::Name, score);
        let merged = resolve(vec![
            c(5, 9, 0.6),
            c(0, 4, 0.9),
            c(3, 6, 0.7),
            c(10, 12, 0.5),
        ]);
        assert_eq!(merged, vec![c(0, 9, 0.9), c(10, 12, 0.5)]);
        assert_eq!(resolve(vec![c(4, 6, 0.6)]), vec![c(4, 6, 0.6)]);
    }

    #[test]
    fn pair_words_and_first_scores() {
        assert!(pair_word(0, gz::FIRST)); // unknown word
        assert!(!pair_word(gz::COMMON, gz::FIRST));
        assert!(pair_word(gz::FIRST | gz::PLACE, gz::FIRST));
        assert!(!pair_word(gz::LAST | gz::STATE, gz::LAST));
        assert_eq!(first_score(b"Zyxwel", 0, PLAIN, true), 0.85);
        assert_eq!(first_score(b"zyxwel", 0, STRONG, false), 0.8);
        assert_eq!(
            first_score(b"june", gz::FIRST | gz::CALENDAR, STRONG, false),
            0.0
        );
        assert_eq!(
            first_score(b"Will", gz::FIRST | gz::COMMON, WEAK, true),
            0.6
        );
        assert_eq!(strength(gz::TITLE), STRONG);
        assert!(one_of("mc", &PARTICLES));
    }
}
