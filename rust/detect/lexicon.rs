//! The gazetteers of `python/phiwall/detect/gazetteer.py`, natively: word classes and the
//! word-aligned phrase scan.
//!
//! The word lists are not duplicated here: [`Lexicon::new`] takes the `word -> flags` map
//! Python builds from `detect/data/` (`gazetteer.lexicon()`), so both detectors always read
//! the same data. Building costs well under 100 ms, once per process, at warm-up.
//!
//! The phrase scan finds what Python's Aho-Corasick automaton of `" phrase "` keys finds,
//! word by word instead of byte by byte: every scanned phrase is alphanumeric words
//! separated by runs of spaces, so it occurs exactly where consecutive words of the
//! normalised text, with the same gaps between them, spell it. One hash lookup per word
//! (and per further word of a phrase some phrase continues) touches a few cache lines,
//! where an automaton of 91,000 phrases reads a state per byte from tens of MB: on a text
//! whose states are not cached, that is most of the scan's cost.

// FxHash: words are short and not attacker-chosen keys of a growing map (the lexicon is
// fixed at start-up), so SipHash's flood resistance buys nothing here.
use rustc_hash::FxHashMap;

// Word classes: the bits of `gazetteer.py`, same values.
pub const FIRST: u32 = 1 << 0;
pub const LAST: u32 = 1 << 1;
pub const COMMON: u32 = 1 << 2;
pub const PLACE: u32 = 1 << 3;
pub const COUNTY: u32 = 1 << 4;
pub const STATE: u32 = 1 << 5;
pub const STATE_CODE: u32 = 1 << 6;
pub const SUFFIX: u32 = 1 << 7;
pub const UNIT: u32 = 1 << 8;
pub const STOP: u32 = 1 << 9;
pub const FILLER: u32 = 1 << 10;
pub const NUMBER: u32 = 1 << 11;
pub const TENS: u32 = 1 << 12;
pub const ORDINAL: u32 = 1 << 13;
pub const DIRECTION: u32 = 1 << 14;
pub const CALENDAR: u32 = 1 << 15;
pub const ORG: u32 = 1 << 16;
pub const COUNTY_WORD: u32 = 1 << 17;
pub const LETTERS: u32 = 1 << 18;
pub const INITIAL: u32 = 1 << 19;
pub const NAME_STRONG: u32 = 1 << 20;
pub const NAME_CUE: u32 = 1 << 21;
pub const NAME_WEAK: u32 = 1 << 22;
pub const TITLE: u32 = 1 << 23;
pub const PLACE_STRONG: u32 = 1 << 24;
pub const PLACE_WEAK: u32 = 1 << 25;
pub const POBOX: u32 = 1 << 26;
pub const SPELL_CUE: u32 = 1 << 27;
pub const POPULAR: u32 = 1 << 28;
pub const DRUG_ENDING: u32 = 1 << 29;
pub const ENDS_NAME: u32 = 1 << 30;

pub const NAME_CUES: u32 = NAME_STRONG | NAME_CUE | NAME_WEAK | TITLE;
pub const PLACE_CUES: u32 = PLACE_STRONG | PLACE_WEAK;
const RARE_ONLY: u32 = FIRST | PLACE;
const ALWAYS: u32 = COUNTY
    | STATE
    | SUFFIX
    | COUNTY_WORD
    | NAME_CUES
    | PLACE_CUES
    | POBOX
    | LETTERS
    | SPELL_CUE
    | INITIAL;
const NEVER_ALONE: u32 = STOP | CALENDAR | NUMBER | ORDINAL | FILLER;
const COMMON_CODES: [&str; 7] = ["in", "me", "or", "oh", "hi", "ok", "id"];

/// `text[start..end]` is a scanned phrase with word classes `flags` (`gazetteer.Hit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhraseHit {
    pub start: usize,
    pub end: usize,
    pub flags: u32,
}

/// A normalised phrase's entry in the phrase index.
#[derive(Clone, Copy, Debug, Default)]
struct Phrase {
    /// The phrase's flags, all of them (as `scan` reports them).
    flags: u32,
    /// The phrase is scanned for (else it is only the start of a longer one).
    scanned: bool,
    /// Some longer scanned phrase starts with this one and a gap: try the next word.
    continued: bool,
}

/// Word classes and the phrase scanner, built once from Python's lexicon.
pub struct Lexicon {
    /// Keyed by bytes, so callers holding lower-cased ASCII bytes need no UTF-8 check.
    words: FxHashMap<Box<[u8]>, u32>,
    /// Every scanned phrase, and every word-aligned start of a longer one.
    phrases: FxHashMap<Box<[u8]>, Phrase>,
    drug_endings: Vec<Box<str>>,
}

impl Lexicon {
    /// Build from `gazetteer.lexicon()`'s entries and `gazetteer.drug_endings()`.
    ///
    /// Cost: one hash insert per word, and per scanned phrase (~91,000) one per word of it.
    /// Fails if a scanned phrase is not lowercase ASCII letters and digits in words
    /// separated by spaces: the word-by-word scan could not find it where the automaton of
    /// Python's `gazetteer.scan` would (no such phrase exists in the data).
    pub fn new(
        entries: impl IntoIterator<Item = (String, u32)>,
        drug_endings: Vec<String>,
    ) -> Result<Self, String> {
        let mut words = FxHashMap::default();
        let mut phrases: FxHashMap<Box<[u8]>, Phrase> = FxHashMap::default();
        for (phrase, flags) in entries {
            if scanned(&phrase, flags) != 0 {
                let bytes = phrase.as_bytes();
                let word = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
                let spaced = bytes.iter().all(|b| word(b) || *b == b' ');
                if !spaced || !bytes.first().is_some_and(word) || !bytes.last().is_some_and(word) {
                    return Err(format!(
                        "a scanned phrase of {} bytes is not words",
                        bytes.len()
                    ));
                }
                // Each word end followed by a gap starts a longer phrase.
                for end in 1..bytes.len() {
                    if word(&bytes[end - 1]) && bytes[end] == b' ' {
                        phrases.entry(bytes[..end].into()).or_default().continued = true;
                    }
                }
                let entry = phrases.entry(bytes.into()).or_default();
                entry.flags = flags;
                entry.scanned = true;
            }
            words.insert(phrase.into_bytes().into_boxed_slice(), flags);
        }
        Ok(Lexicon {
            words,
            phrases,
            drug_endings: drug_endings
                .into_iter()
                .map(String::into_boxed_str)
                .collect(),
        })
    }

    /// The word classes of `word` (already lower-case), 0 if no list knows it. O(1).
    #[inline]
    pub fn flags(&self, word: &str) -> u32 {
        self.flags_of_bytes(word.as_bytes())
    }

    /// [`Lexicon::flags`] of a word given as (lower-case) bytes. O(1).
    #[inline]
    pub fn flags_of_bytes(&self, word: &[u8]) -> u32 {
        self.words.get(word).copied().unwrap_or(0)
    }

    /// The word classes of `word` in any case (`gazetteer.lexicon().get(fold(word), 0)`).
    pub fn flags_folded(&self, word: &str) -> u32 {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            self.flags(&word.to_ascii_lowercase())
        } else {
            self.flags(word)
        }
    }

    /// True if `word` ends like a generic drug name (`word.endswith(gz.drug_endings())`).
    pub fn is_drug(&self, word: &str) -> bool {
        self.drug_endings.iter().any(|e| word.ends_with(&**e))
    }

    /// Every scanned phrase of `text` on word boundaries, ordered by end, longest first per
    /// end: `gazetteer.scan(text)` for ASCII text. Cost: a normalised copy of `text`, one
    /// hash lookup per word plus one per further word of a phrase the index continues, and
    /// a sort of the hits. Never fails.
    pub fn scan(&self, text: &str) -> Vec<PhraseHit> {
        if text.is_empty() {
            return Vec::new();
        }
        let padded = normalize(text);
        // Index i of `low` is index i of `text`.
        let low = &padded[1..padded.len() - 1];
        // Most texts hold a few phrases: room for them without regrowing.
        let mut hits = Vec::with_capacity(8);
        let mut at = 0;
        while let Some((start, end)) = next_word(low, at) {
            at = end;
            let mut phrase_end = end;
            // The gaps between the words are spaces in `low`, as in the phrase's key.
            while let Some(phrase) = self.phrases.get(&low[start..phrase_end]) {
                if phrase.scanned {
                    hits.push(PhraseHit {
                        start,
                        end: phrase_end,
                        flags: phrase.flags,
                    });
                }
                if !phrase.continued {
                    break;
                }
                match next_word(low, phrase_end) {
                    Some((_, next_end)) => phrase_end = next_end,
                    None => break,
                }
            }
        }
        hits.sort_unstable_by_key(|h| (h.end, h.start));
        hits
    }
}

/// The first word of normalised `low` at or after `at`: its (start, end), if any. O(gap +
/// word).
fn next_word(low: &[u8], mut at: usize) -> Option<(usize, usize)> {
    while at < low.len() && low[at] == b' ' {
        at += 1;
    }
    if at == low.len() {
        return None;
    }
    let start = at;
    while at < low.len() && low[at] != b' ' {
        at += 1;
    }
    Some((start, at))
}

/// Each byte as `normalize` writes it: ASCII letters lower-cased, digits kept, every other
/// byte a space.
static NORMAL: [u8; 256] = {
    let mut table = [b' '; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric() {
            table[b] = byte.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// `" " + lowercase(text) + " "` with every byte that is not an ASCII letter or digit as a
/// space: index `i` of `text` is index `i + 1` of the result (`gazetteer.normalize`).
pub fn normalize(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 2);
    out.push(b' ');
    out.extend(text.bytes().map(|b| NORMAL[usize::from(b)]));
    out.push(b' ');
    out
}

/// The flags of `phrase` that the scan reports (0: not scanned for): `gazetteer.scanned`.
pub fn scanned(phrase: &str, flags: u32) -> u32 {
    let mut keep = flags & ALWAYS;
    if flags & RARE_ONLY != 0 && flags & (COMMON | NEVER_ALONE) == 0 {
        keep |= flags & RARE_ONLY;
    }
    if flags & STATE_CODE != 0 && !COMMON_CODES.contains(&phrase) {
        keep |= STATE_CODE;
    }
    keep
}
