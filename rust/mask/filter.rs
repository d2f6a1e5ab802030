//! The word filter of a checkpoint: a Bloom filter of the words (runs of ASCII letters and
//! digits) of its folded texts, input and masked output.
//!
//! A resumed request whose detection finds a new value must know whether the value also
//! occurs in the checkpoint's history (`Checkpoint.holds_any`): that search reads all of
//! the history's text, several KB that are rarely in cache. A boundary match of a value
//! (one that splits no run of letters or digits) finds each of its words as a whole word
//! of the history, non-ASCII characters counting as word ends on both sides, so a filter
//! that says one of them is absent settles it by reading a few bits. A "maybe" (all
//! present, or a false positive: about 10 % per word at 1,500 distinct words) falls back
//! to the search, so answers never change.
//!
//! Cost: [`add`] one hash per word; [`may_hold`] one hash and two bit reads per word of
//! the needle. Never fails.

/// Filter size in bytes (8,192 bits).
pub const BYTES: usize = 1024;
const BITS: u64 = (BYTES * 8) as u64;

/// 64-bit FNV-1a: cheap for short words, and stable (filters are built and read by the
/// same process only, so any fixed hash will do).
fn hash(word: &[u8]) -> u64 {
    word.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn bits(word: &[u8]) -> [usize; 2] {
    let h = hash(word);
    [(h % BITS) as usize, ((h >> 32) % BITS) as usize]
}

/// Set the bits of every word of `text` in `filter` ([`BYTES`] long). A non-ASCII
/// character ends a word, so every whole word an ASCII needle could start with is added.
pub fn add(filter: &mut [u8], text: &str) {
    for word in text
        .as_bytes()
        .split(|b| !b.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        for bit in bits(word) {
            filter[bit / 8] |= 1 << (bit % 8);
        }
    }
}

/// False only if `needle` (folded) cannot have a boundary match in the texts `filter` was
/// built from: one of its words is absent. True otherwise, and for a needle without words.
pub fn may_hold(filter: &[u8], needle: &str) -> bool {
    if filter.len() != BYTES {
        return true;
    }
    needle
        .as_bytes()
        .split(|b| !b.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|word| {
            bits(word)
                .iter()
                .all(|&bit| filter[bit / 8] & (1 << (bit % 8)) != 0)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(texts: &[&str]) -> Vec<u8> {
        let mut filter = vec![0; BYTES];
        texts.iter().for_each(|t| add(&mut filter, t));
        filter
    }

    #[test]
    fn a_needle_with_a_word_absent_cannot_hold() {
        let filter = built(&["hi it's sarah chen\0born 3/14/1985", "call 415 555 0199"]);
        // Every word is there: the search decides.
        for needle in [
            "sarah chen",
            "chen",
            "415 555 0199",
            "14 1985",
            "born-3",
            "[hi]",
        ] {
            assert!(may_hold(&filter, needle), "{needle}");
        }
        // A word is not: no match is possible (no false positive for these).
        for needle in ["david chen", "sara", "4155550199", "415 555 0100", "born3"] {
            assert!(!may_hold(&filter, needle), "{needle}");
        }
    }

    #[test]
    fn non_ascii_letters_end_words_on_both_sides() {
        let filter = built(&["josé smith, zoë"]);
        for needle in ["josé smith", "jos", "zoë", "ë", "", "…"] {
            assert!(may_hold(&filter, needle), "{needle}");
        }
        assert!(!may_hold(&filter, "josie"));
        assert!(may_hold(&[], "anything")); // no filter
    }
}
