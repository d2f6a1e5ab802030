//! Context cues: the words people say just before a value ("date of birth", "m r n", "plate"):
//! `python/phiwall/detect/cues.py`.
//!
//! A cue names the label of the value that follows it. [`find`] runs one Aho-Corasick
//! automaton (built once) over the lower-cased text and returns the cues that sit on word
//! boundaries, keeping the longest cue per end position ("card ending in" over "ending in").
//! The label [`BLOCK`] marks cues after which a number belongs to someone else's finder
//! (street numbers after "I live at").

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::context::Cue;
use crate::detect::candidate::Label;

/// Python's `cues.BLOCK` label. `Label` has no such variant, so it borrows `ADDRESS`: no cue
/// carries `ADDRESS` otherwise and no hit handler emits it, so every handler test
/// (`label == "SSN"`, `label in ID_LABELS`, `label is None`) answers as Python's does.
pub const BLOCK: Label = Label::Address;

/// How far after most cues their value may start (`cues.DEFAULT_GAP`).
pub const DEFAULT_GAP: usize = 40;

/// (phrase, label, max gap): `cues._PHRASES` then `cues._STATES` (a state cues a ZIP right
/// after it only). Generated from Python; no phrase appears twice.
const PHRASES: &[(&str, Label, usize)] = &[
    ("phone", Label::Phone, DEFAULT_GAP),
    ("phone number", Label::Phone, DEFAULT_GAP),
    ("phone is", Label::Phone, DEFAULT_GAP),
    ("telephone", Label::Phone, DEFAULT_GAP),
    ("cell", Label::Phone, DEFAULT_GAP),
    ("cell phone", Label::Phone, DEFAULT_GAP),
    ("mobile", Label::Phone, DEFAULT_GAP),
    ("call me", Label::Phone, DEFAULT_GAP),
    ("call me back at", Label::Phone, DEFAULT_GAP),
    ("call you back at", Label::Phone, DEFAULT_GAP),
    ("call back number", Label::Phone, DEFAULT_GAP),
    ("callback number", Label::Phone, DEFAULT_GAP),
    ("text me", Label::Phone, DEFAULT_GAP),
    ("text me at", Label::Phone, DEFAULT_GAP),
    ("reach me at", Label::Phone, DEFAULT_GAP),
    ("fax", Label::Phone, DEFAULT_GAP),
    ("fax number", Label::Phone, DEFAULT_GAP),
    ("contact at", Label::Phone, DEFAULT_GAP),
    ("her number", Label::Phone, DEFAULT_GAP),
    ("his number", Label::Phone, DEFAULT_GAP),
    ("my number", Label::Phone, DEFAULT_GAP),
    ("best number", Label::Phone, DEFAULT_GAP),
    ("home number", Label::Phone, DEFAULT_GAP),
    ("contact number", Label::Phone, DEFAULT_GAP),
    ("phone no", Label::Phone, DEFAULT_GAP),
    ("telephone number", Label::Phone, DEFAULT_GAP),
    ("mobile number", Label::Phone, DEFAULT_GAP),
    ("cell number", Label::Phone, DEFAULT_GAP),
    ("daytime number", Label::Phone, DEFAULT_GAP),
    ("tel", Label::Phone, DEFAULT_GAP),
    ("reach me on", Label::Phone, DEFAULT_GAP),
    ("call me on", Label::Phone, DEFAULT_GAP),
    ("call me at", Label::Phone, DEFAULT_GAP),
    ("landline", Label::Phone, DEFAULT_GAP),
    ("work phone", Label::Phone, DEFAULT_GAP),
    ("home phone", Label::Phone, DEFAULT_GAP),
    ("work number", Label::Phone, DEFAULT_GAP),
    ("leave a message at", Label::Phone, DEFAULT_GAP),
    ("area code", Label::Phone, DEFAULT_GAP),
    ("last four of my phone", Label::Phone, DEFAULT_GAP),
    ("last four of my number", Label::Phone, DEFAULT_GAP),
    ("last four of your phone", Label::Phone, DEFAULT_GAP),
    ("number ending in", Label::Phone, DEFAULT_GAP),
    ("number ends in", Label::Phone, DEFAULT_GAP),
    ("phone ending in", Label::Phone, DEFAULT_GAP),
    ("ending in", Label::Phone, DEFAULT_GAP),
    ("ends in", Label::Phone, DEFAULT_GAP),
    ("ends with", Label::Phone, DEFAULT_GAP),
    ("ending with", Label::Phone, DEFAULT_GAP),
    ("ending", Label::Phone, DEFAULT_GAP),
    ("social", Label::Ssn, DEFAULT_GAP),
    ("social security", Label::Ssn, DEFAULT_GAP),
    ("social security number", Label::Ssn, DEFAULT_GAP),
    ("ssn", Label::Ssn, DEFAULT_GAP),
    ("s s n", Label::Ssn, DEFAULT_GAP),
    ("ss number", Label::Ssn, DEFAULT_GAP),
    ("social security no", Label::Ssn, DEFAULT_GAP),
    ("last four of my social", Label::Ssn, DEFAULT_GAP),
    ("last four of your social", Label::Ssn, DEFAULT_GAP),
    ("last four", Label::Ssn, DEFAULT_GAP),
    ("last 4", Label::Ssn, DEFAULT_GAP),
    ("last four digits", Label::Ssn, DEFAULT_GAP),
    ("date of birth", Label::Date, DEFAULT_GAP),
    ("birth", Label::Date, DEFAULT_GAP),
    ("dob", Label::Date, DEFAULT_GAP),
    ("d o b", Label::Date, DEFAULT_GAP),
    ("d.o.b.", Label::Date, DEFAULT_GAP),
    ("birth date", Label::Date, DEFAULT_GAP),
    ("birthdate", Label::Date, DEFAULT_GAP),
    ("birthday", Label::Date, DEFAULT_GAP),
    ("bday", Label::Date, DEFAULT_GAP),
    ("b day", Label::Date, DEFAULT_GAP),
    ("born", Label::Date, DEFAULT_GAP),
    ("date of service", Label::Date, DEFAULT_GAP),
    ("service date", Label::Date, DEFAULT_GAP),
    ("date", Label::Date, DEFAULT_GAP),
    ("admission date", Label::Date, DEFAULT_GAP),
    ("discharge date", Label::Date, DEFAULT_GAP),
    ("procedure date", Label::Date, DEFAULT_GAP),
    ("zip", Label::Zip, DEFAULT_GAP),
    ("zip code", Label::Zip, DEFAULT_GAP),
    ("zipcode", Label::Zip, DEFAULT_GAP),
    ("postal code", Label::Zip, DEFAULT_GAP),
    ("mrn", Label::Mrn, DEFAULT_GAP),
    ("m r n", Label::Mrn, DEFAULT_GAP),
    ("medical record", Label::Mrn, DEFAULT_GAP),
    ("medical record number", Label::Mrn, DEFAULT_GAP),
    ("record number", Label::Mrn, DEFAULT_GAP),
    ("chart number", Label::Mrn, DEFAULT_GAP),
    ("chart #", Label::Mrn, DEFAULT_GAP),
    ("chart id", Label::Mrn, DEFAULT_GAP),
    ("record #", Label::Mrn, DEFAULT_GAP),
    ("mrn #", Label::Mrn, DEFAULT_GAP),
    ("hospital number", Label::Mrn, DEFAULT_GAP),
    ("hospital id", Label::Mrn, DEFAULT_GAP),
    ("med record", Label::Mrn, DEFAULT_GAP),
    ("record id", Label::Mrn, DEFAULT_GAP),
    ("health record number", Label::Mrn, DEFAULT_GAP),
    ("mr number", Label::Mrn, DEFAULT_GAP),
    ("m r number", Label::Mrn, DEFAULT_GAP),
    ("encounter number", Label::Mrn, DEFAULT_GAP),
    ("chart no", Label::Mrn, DEFAULT_GAP),
    ("patient id", Label::Mrn, DEFAULT_GAP),
    ("patient i d", Label::Mrn, DEFAULT_GAP),
    ("patient number", Label::Mrn, DEFAULT_GAP),
    ("prescription", Label::Mrn, DEFAULT_GAP),
    ("rx", Label::Mrn, DEFAULT_GAP),
    ("chart", Label::Mrn, DEFAULT_GAP),
    ("prescription number", Label::Mrn, DEFAULT_GAP),
    ("prescription #", Label::Mrn, DEFAULT_GAP),
    ("rx number", Label::Mrn, DEFAULT_GAP),
    ("rx #", Label::Mrn, DEFAULT_GAP),
    ("r x number", Label::Mrn, DEFAULT_GAP),
    ("refill for", Label::Mrn, DEFAULT_GAP),
    ("member", Label::MemberId, DEFAULT_GAP),
    ("subscriber", Label::MemberId, DEFAULT_GAP),
    ("member id", Label::MemberId, DEFAULT_GAP),
    ("member i d", Label::MemberId, DEFAULT_GAP),
    ("member number", Label::MemberId, DEFAULT_GAP),
    ("member #", Label::MemberId, DEFAULT_GAP),
    ("subscriber id", Label::MemberId, DEFAULT_GAP),
    ("subscriber i d", Label::MemberId, DEFAULT_GAP),
    ("subscriber number", Label::MemberId, DEFAULT_GAP),
    ("policy", Label::MemberId, DEFAULT_GAP),
    ("policy number", Label::MemberId, DEFAULT_GAP),
    ("policy i d", Label::MemberId, DEFAULT_GAP),
    ("policy #", Label::MemberId, DEFAULT_GAP),
    ("policy id", Label::MemberId, DEFAULT_GAP),
    ("group number", Label::MemberId, DEFAULT_GAP),
    ("group id", Label::MemberId, DEFAULT_GAP),
    ("group i d", Label::MemberId, DEFAULT_GAP),
    ("group #", Label::MemberId, DEFAULT_GAP),
    ("claim number", Label::MemberId, DEFAULT_GAP),
    ("insurance id", Label::MemberId, DEFAULT_GAP),
    ("insurance i d", Label::MemberId, DEFAULT_GAP),
    ("insurance number", Label::MemberId, DEFAULT_GAP),
    ("insurance card number", Label::MemberId, DEFAULT_GAP),
    ("plan id", Label::MemberId, DEFAULT_GAP),
    ("health plan id", Label::MemberId, DEFAULT_GAP),
    ("beneficiary id", Label::MemberId, DEFAULT_GAP),
    ("beneficiary number", Label::MemberId, DEFAULT_GAP),
    ("mbi", Label::MemberId, DEFAULT_GAP),
    ("m b i", Label::MemberId, DEFAULT_GAP),
    ("recipient id", Label::MemberId, DEFAULT_GAP),
    ("medicare", Label::MemberId, DEFAULT_GAP),
    ("medicare number", Label::MemberId, DEFAULT_GAP),
    ("medicare id", Label::MemberId, DEFAULT_GAP),
    ("medicaid", Label::MemberId, DEFAULT_GAP),
    ("medicaid number", Label::MemberId, DEFAULT_GAP),
    ("medicaid id", Label::MemberId, DEFAULT_GAP),
    ("the id is", Label::MemberId, DEFAULT_GAP),
    ("the i d is", Label::MemberId, DEFAULT_GAP),
    ("id number", Label::MemberId, DEFAULT_GAP),
    ("i d number", Label::MemberId, DEFAULT_GAP),
    ("account", Label::Account, DEFAULT_GAP),
    ("account number", Label::Account, DEFAULT_GAP),
    ("account #", Label::Account, DEFAULT_GAP),
    ("card number", Label::Account, DEFAULT_GAP),
    ("card #", Label::Account, DEFAULT_GAP),
    ("last four of my card", Label::Account, DEFAULT_GAP),
    ("last four of the card", Label::Account, DEFAULT_GAP),
    ("last four of your card", Label::Account, DEFAULT_GAP),
    ("last four of my account", Label::Account, DEFAULT_GAP),
    ("card ending in", Label::Account, DEFAULT_GAP),
    ("card ending", Label::Account, DEFAULT_GAP),
    ("card ends in", Label::Account, DEFAULT_GAP),
    ("account ending in", Label::Account, DEFAULT_GAP),
    ("account ending", Label::Account, DEFAULT_GAP),
    ("visa", Label::Account, DEFAULT_GAP),
    ("visa ending", Label::Account, DEFAULT_GAP),
    ("visa ending in", Label::Account, DEFAULT_GAP),
    ("mastercard", Label::Account, DEFAULT_GAP),
    ("mastercard ending", Label::Account, DEFAULT_GAP),
    ("mastercard ending in", Label::Account, DEFAULT_GAP),
    ("amex", Label::Account, DEFAULT_GAP),
    ("amex ending in", Label::Account, DEFAULT_GAP),
    ("credit card", Label::Account, DEFAULT_GAP),
    ("debit card", Label::Account, DEFAULT_GAP),
    ("routing number", Label::Account, DEFAULT_GAP),
    ("billing account", Label::Account, DEFAULT_GAP),
    ("patient account", Label::Account, DEFAULT_GAP),
    ("credit card number", Label::Account, DEFAULT_GAP),
    ("debit card number", Label::Account, DEFAULT_GAP),
    ("card on file", Label::Account, DEFAULT_GAP),
    ("bank account number", Label::Account, DEFAULT_GAP),
    ("acct", Label::Account, DEFAULT_GAP),
    ("acct #", Label::Account, DEFAULT_GAP),
    ("invoice number", Label::Account, DEFAULT_GAP),
    ("billing number", Label::Account, DEFAULT_GAP),
    ("statement number", Label::Account, DEFAULT_GAP),
    ("license", Label::License, DEFAULT_GAP),
    ("licence", Label::License, DEFAULT_GAP),
    ("license number", Label::License, DEFAULT_GAP),
    ("licence number", Label::License, DEFAULT_GAP),
    ("license #", Label::License, DEFAULT_GAP),
    ("driver's license", Label::License, DEFAULT_GAP),
    ("drivers license", Label::License, DEFAULT_GAP),
    ("driver license", Label::License, DEFAULT_GAP),
    ("state id", Label::License, DEFAULT_GAP),
    ("state i d", Label::License, DEFAULT_GAP),
    ("dl", Label::License, DEFAULT_GAP),
    ("dl number", Label::License, DEFAULT_GAP),
    ("dl #", Label::License, DEFAULT_GAP),
    ("d l number", Label::License, DEFAULT_GAP),
    ("driving licence", Label::License, DEFAULT_GAP),
    ("driver license number", Label::License, DEFAULT_GAP),
    ("drivers license number", Label::License, DEFAULT_GAP),
    ("id card number", Label::License, DEFAULT_GAP),
    ("state id number", Label::License, DEFAULT_GAP),
    ("plate", Label::Vehicle, DEFAULT_GAP),
    ("plates", Label::Vehicle, DEFAULT_GAP),
    ("plate number", Label::Vehicle, DEFAULT_GAP),
    ("license plate", Label::Vehicle, DEFAULT_GAP),
    ("license plate number", Label::Vehicle, DEFAULT_GAP),
    ("plate no", Label::Vehicle, DEFAULT_GAP),
    ("tag number", Label::Vehicle, DEFAULT_GAP),
    ("tag", Label::Vehicle, DEFAULT_GAP),
    ("vin", Label::Vehicle, DEFAULT_GAP),
    ("v i n", Label::Vehicle, DEFAULT_GAP),
    ("vehicle identification number", Label::Vehicle, DEFAULT_GAP),
    ("ip address", Label::Ip, DEFAULT_GAP),
    ("i p address", Label::Ip, DEFAULT_GAP),
    ("ip", Label::Ip, DEFAULT_GAP),
    ("i p", Label::Ip, DEFAULT_GAP),
    ("address", BLOCK, DEFAULT_GAP),
    ("i live at", BLOCK, DEFAULT_GAP),
    ("live at", BLOCK, DEFAULT_GAP),
    ("apartment", BLOCK, DEFAULT_GAP),
    ("apt", BLOCK, DEFAULT_GAP),
    ("suite", BLOCK, DEFAULT_GAP),
    ("unit", BLOCK, DEFAULT_GAP),
    ("box", BLOCK, DEFAULT_GAP),
    ("street", BLOCK, DEFAULT_GAP),
    ("alabama", Label::Zip, 2),
    ("alaska", Label::Zip, 2),
    ("arizona", Label::Zip, 2),
    ("arkansas", Label::Zip, 2),
    ("california", Label::Zip, 2),
    ("colorado", Label::Zip, 2),
    ("connecticut", Label::Zip, 2),
    ("delaware", Label::Zip, 2),
    ("florida", Label::Zip, 2),
    ("georgia", Label::Zip, 2),
    ("hawaii", Label::Zip, 2),
    ("idaho", Label::Zip, 2),
    ("illinois", Label::Zip, 2),
    ("indiana", Label::Zip, 2),
    ("iowa", Label::Zip, 2),
    ("kansas", Label::Zip, 2),
    ("kentucky", Label::Zip, 2),
    ("louisiana", Label::Zip, 2),
    ("maine", Label::Zip, 2),
    ("maryland", Label::Zip, 2),
    ("massachusetts", Label::Zip, 2),
    ("michigan", Label::Zip, 2),
    ("minnesota", Label::Zip, 2),
    ("mississippi", Label::Zip, 2),
    ("missouri", Label::Zip, 2),
    ("montana", Label::Zip, 2),
    ("nebraska", Label::Zip, 2),
    ("nevada", Label::Zip, 2),
    ("ohio", Label::Zip, 2),
    ("oklahoma", Label::Zip, 2),
    ("oregon", Label::Zip, 2),
    ("pennsylvania", Label::Zip, 2),
    ("tennessee", Label::Zip, 2),
    ("texas", Label::Zip, 2),
    ("utah", Label::Zip, 2),
    ("vermont", Label::Zip, 2),
    ("virginia", Label::Zip, 2),
    ("washington", Label::Zip, 2),
    ("wisconsin", Label::Zip, 2),
    ("wyoming", Label::Zip, 2),
    ("new hampshire", Label::Zip, 2),
    ("new jersey", Label::Zip, 2),
    ("new mexico", Label::Zip, 2),
    ("new york", Label::Zip, 2),
    ("north carolina", Label::Zip, 2),
    ("north dakota", Label::Zip, 2),
    ("rhode island", Label::Zip, 2),
    ("south carolina", Label::Zip, 2),
    ("south dakota", Label::Zip, 2),
    ("west virginia", Label::Zip, 2),
];

static AUTOMATON: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(PHRASES.iter().map(|p| p.0))
        .expect("the cue automaton is small")
});

/// The cues in `lower` (already lower-cased), sorted by end, longest per end (`cues.find`).
///
/// A cue must not touch a letter or digit on either side. Cost: one automaton pass over
/// `lower` plus a sort of the (few) cues found. Never fails.
pub fn find(lower: &str) -> Vec<Cue> {
    let bytes = lower.as_bytes();
    let n = bytes.len();
    let mut found: Vec<Cue> = Vec::new();
    for m in AUTOMATON.find_overlapping_iter(bytes) {
        let (start, end) = (m.start(), m.end());
        if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        if end < n && bytes[end].is_ascii_alphanumeric() {
            continue;
        }
        let (_, label, max_gap) = PHRASES[m.pattern().as_usize()];
        found.push(Cue {
            start,
            end,
            label,
            max_gap,
        });
    }
    // Longest per end: sort by end, longest first, keep the first of each end.
    found.sort_unstable_by_key(|c| (c.end, c.start));
    found.dedup_by_key(|c| c.end);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(lower: &str) -> Vec<(usize, usize, Label)> {
        find(lower)
            .iter()
            .map(|c| (c.start, c.end, c.label))
            .collect()
    }

    #[test]
    fn longest_per_end_and_word_boundaries() {
        assert_eq!(
            spans("my card ending in 4242"),
            vec![(3, 14, Label::Account), (3, 17, Label::Account)]
        );
        // "ending" touches no letter, "phones" does.
        assert_eq!(spans("phones"), vec![]);
        assert_eq!(spans("i live at 5"), vec![(0, 9, BLOCK)]);
    }

    #[test]
    fn states_cue_a_zip_right_after() {
        let cues = find("new york 10001");
        assert_eq!(cues.len(), 1);
        assert_eq!((cues[0].label, cues[0].max_gap), (Label::Zip, 2));
    }
}
