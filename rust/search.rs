//! The known-value search of request masking: every occurrence of every needle in one
//! folded text, where it does not split a run of letters or digits.
//!
//! Python's `phiwall.masking.matching.find_in` is the reference; this is the same rule at C
//! speed: one `memchr::memmem` finder per needle, overlapping matches included, offsets in
//! code points (Python `str` indices). "Letter or digit" is Python's `str.isalnum`: decided
//! here for ASCII and asked of Python for any other character, so both agree exactly.

use memchr::memmem;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

/// Texts longer than this (in bytes) are searched with a `memmem` finder per needle; shorter
/// ones by `memchr` on the needle's first byte, which costs nothing to set up.
const LONG: usize = 512;

/// Short texts are indexed by word start ([`WordStarts`]) for this many needles or more.
const INDEXED: usize = 4;

/// The first position of `needle` (not empty) in `hay`: candidates by `memchr`, then compared.
fn find_short(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = memchr::memchr(needle[0], &hay[from..]) {
        let start = from + at;
        if hay[start..].starts_with(needle) {
            return Some(start);
        }
        from = start + 1;
    }
    None
}

/// `(start, end, needle index)` in bytes of every boundary match of each needle in `hay`,
/// needle by needle, each needle's in order of position. `is_alnum` decides non-ASCII
/// characters. Empty needles never match.
///
/// Cost: for an ASCII text of at most `LONG` bytes and `INDEXED` or more needles that
/// start with a letter or digit, one pass to index where its words start (`WordStarts`),
/// then per such needle (it can match nowhere else) a comparison at each word start with its
/// first byte; otherwise, and for the other needles, a scan of the whole text per needle
/// (`scan_one`).
pub fn boundary_matches<E>(
    hay: &str,
    needles: &[&str],
    mut is_alnum: impl FnMut(char) -> Result<bool, E>,
) -> Result<Vec<(usize, usize, usize)>, E> {
    let mut found = Vec::new();
    // The index costs a pass of ~10 instructions per byte; a long text's per-needle scan,
    // by a vectorised `memmem`, a fraction of one. It pays for short texts only.
    let indexed = hay.len() <= LONG && hay.is_ascii();
    let words = (indexed
        && needles
            .iter()
            .filter(|n| starts_a_word(n))
            .nth(INDEXED - 1)
            .is_some())
    .then(|| WordStarts::of(hay.as_bytes()));
    for (index, needle) in needles.iter().enumerate() {
        match &words {
            Some(words) if starts_a_word(needle) => {
                words.matches(hay.as_bytes(), needle.as_bytes(), index, &mut found);
            }
            _ => scan_one(hay, needle, index, &mut is_alnum, &mut found)?,
        }
    }
    Ok(found)
}

/// `ALNUM[byte]`: whether `byte` is an ASCII letter or digit (a table: no branches).
static ALNUM: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    table
};

/// Whether `needle` starts with an ASCII letter or digit: in ASCII text such a needle can
/// only match where a run of letters and digits starts.
fn starts_a_word(needle: &str) -> bool {
    needle
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphanumeric)
}

/// Where the runs of letters and digits of an ASCII text start, grouped by their first
/// byte: those that begin with byte `b` are `starts[bounds[b]..bounds[b + 1]]`, in order.
/// Offsets fit in `u16`: only texts of at most [`LONG`] bytes are indexed.
struct WordStarts {
    starts: Vec<u16>,
    bounds: [u16; 129],
}

impl WordStarts {
    /// Index an ASCII text of at most [`LONG`] bytes. Cost: two passes over the text (count,
    /// then place: a counting sort), about 500 bytes of tables.
    fn of(hay: &[u8]) -> Self {
        let word_starts = || {
            let mut in_word = false;
            hay.iter().enumerate().filter_map(move |(at, &byte)| {
                let alnum = ALNUM[usize::from(byte)];
                let starts = alnum && !in_word;
                in_word = alnum;
                starts.then_some((at as u16, usize::from(byte & 0x7f)))
            })
        };
        let mut bounds = [0u16; 129];
        for (_, byte) in word_starts() {
            bounds[byte + 1] += 1;
        }
        for byte in 0..128 {
            bounds[byte + 1] += bounds[byte];
        }
        let mut next = bounds;
        let mut starts = vec![0u16; usize::from(bounds[128])];
        for (at, byte) in word_starts() {
            starts[usize::from(next[byte])] = at;
            next[byte] += 1;
        }
        WordStarts { starts, bounds }
    }

    /// Append `(start, end, index)` for each boundary match in `hay` (the text indexed) of
    /// `needle`, whose first byte is an ASCII letter or digit.
    fn matches(
        &self,
        hay: &[u8],
        needle: &[u8],
        index: usize,
        found: &mut Vec<(usize, usize, usize)>,
    ) {
        let first = usize::from(needle[0]);
        let last_alnum = needle[needle.len() - 1].is_ascii_alphanumeric();
        let bucket =
            &self.starts[usize::from(self.bounds[first])..usize::from(self.bounds[first + 1])];
        for &at in bucket {
            let (start, end) = (usize::from(at), usize::from(at) + needle.len());
            if hay.get(start..end) == Some(needle)
                && !(last_alnum && hay.get(end).is_some_and(u8::is_ascii_alphanumeric))
            {
                found.push((start, end, index));
            }
        }
    }
}

/// Append the boundary matches of one needle by a scan of the whole text: `memchr` on the
/// needle's first byte in short texts, a `memmem` finder in long ones.
fn scan_one<E>(
    hay: &str,
    needle: &str,
    index: usize,
    is_alnum: &mut impl FnMut(char) -> Result<bool, E>,
    found: &mut Vec<(usize, usize, usize)>,
) -> Result<(), E> {
    let mut alnum = |c: char| -> Result<bool, E> {
        if c.is_ascii() {
            Ok(c.is_ascii_alphanumeric())
        } else {
            is_alnum(c)
        }
    };
    if needle.is_empty() {
        return Ok(());
    }
    let bytes = hay.as_bytes();
    let finder = (bytes.len() > LONG).then(|| memmem::Finder::new(needle.as_bytes()));
    let first = needle.chars().next();
    let last = needle.chars().next_back();
    let mut from = 0;
    // A valid UTF-8 needle only matches at character boundaries, so stepping one byte
    // past a match finds the overlapping ones without splitting a character.
    while let Some(at) = match &finder {
        Some(finder) => finder.find(&bytes[from..]),
        None => find_short(&bytes[from..], needle.as_bytes()),
    } {
        let start = from + at;
        let end = start + needle.len();
        from = start + 1;
        let before = hay[..start].chars().next_back();
        let after = hay[end..].chars().next();
        let splits_start = match (before, first) {
            (Some(b), Some(f)) => alnum(b)? && alnum(f)?,
            _ => false,
        };
        let splits_end = match (after, last) {
            (Some(a), Some(l)) => alnum(a)? && alnum(l)?,
            _ => false,
        };
        if !splits_start && !splits_end {
            found.push((start, end, index));
        }
    }
    Ok(())
}

/// Boundary matches in code points: `(start, end, needle index)`.
pub(crate) fn code_point_matches(
    py: Python<'_>,
    text: &str,
    words: &[&str],
) -> PyResult<Vec<(usize, usize, usize)>> {
    let python_isalnum = |c: char| -> PyResult<bool> {
        let mut buffer = [0; 4];
        PyString::new(py, c.encode_utf8(&mut buffer))
            .call_method0("isalnum")?
            .extract()
    };
    let mut matches = boundary_matches(text, words, python_isalnum)?;
    if !text.is_ascii() {
        // Byte offsets are code point offsets in ASCII text; otherwise count once.
        let mut index = vec![0; text.len() + 1];
        for (count, (byte, _)) in text.char_indices().enumerate() {
            index[byte] = count;
        }
        index[text.len()] = text.chars().count();
        for (start, end, _) in &mut matches {
            (*start, *end) = (index[*start], index[*end]);
        }
    }
    Ok(matches)
}

fn utf8<'a>(needles: &'a [Bound<'_, PyString>]) -> PyResult<Vec<&'a str>> {
    needles.iter().map(|needle| needle.to_str()).collect()
}

/// `find_in` of `phiwall.masking.matching`: `(start, end, needle)` of every boundary match,
/// in code points, each needle the very `str` object passed in.
#[pyfunction]
pub fn find_boundary_matches<'py>(
    py: Python<'py>,
    hay: &Bound<'py, PyString>,
    needles: Vec<Bound<'py, PyString>>,
) -> PyResult<Vec<(usize, usize, Bound<'py, PyString>)>> {
    let matches = code_point_matches(py, hay.to_str()?, &utf8(&needles)?)?;
    Ok(matches
        .into_iter()
        .map(|(start, end, index)| (start, end, needles[index].clone()))
        .collect())
}

/// `find_boundary_matches` of texts joined into `hay` by one separator character, text `i`
/// starting at `starts[i]` (code points; `starts` ends with `len(hay) + 1`):
/// `{i: [(start, end, needle), ...]}` in text `i`'s offsets, for the texts with any. A match
/// that runs past its text's end (a needle holding the separator) is dropped.
#[pyfunction]
pub fn find_boundary_matches_per_text<'py>(
    py: Python<'py>,
    hay: &Bound<'py, PyString>,
    needles: Vec<Bound<'py, PyString>>,
    starts: Vec<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let matches = code_point_matches(py, hay.to_str()?, &utf8(&needles)?)?;
    let found = PyDict::new(py);
    for (start, end, index) in matches {
        let next = starts.partition_point(|&base| base <= start);
        let (Some(text), Some(&stop)) = (next.checked_sub(1), starts.get(next)) else {
            continue;
        };
        if end >= stop {
            continue; // crosses the separator at `stop - 1`
        }
        let base = starts[text];
        let occurrence = (start - base, end - base, needles[index].clone());
        match found.get_item(text)? {
            Some(list) => list.cast_into::<PyList>()?.append(occurrence)?,
            None => found.set_item(text, PyList::new(py, [occurrence])?)?,
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::{boundary_matches, scan_one, starts_a_word, WordStarts, LONG};

    fn ascii(hay: &str, needles: &[&str]) -> Vec<(usize, usize, usize)> {
        boundary_matches(hay, needles, |_| Ok::<bool, ()>(true)).unwrap()
    }

    #[test]
    fn a_match_never_splits_a_run_of_letters_or_digits() {
        assert_eq!(
            ascii("ann, annual jo ann [ann]", &["ann"]),
            [(0, 3, 0), (15, 18, 0), (20, 23, 0)]
        );
        assert_eq!(ascii("55526710 2671", &["2671"]), [(9, 13, 0)]);
    }

    #[test]
    fn overlapping_matches_and_every_needle_are_reported_and_empty_needles_never() {
        assert_eq!(ascii("a a a", &["a a", "", "a"]).len(), 2 + 3);
    }

    #[test]
    fn long_texts_find_what_short_ones_find() {
        let short = "x ann y ".repeat(10);
        let long = "x ann y ".repeat(100);
        assert_eq!(ascii(&short, &["ann"]).len(), 10);
        assert_eq!(ascii(&long, &["ann"]).len(), 100);
    }

    #[test]
    fn non_ascii_neighbours_are_decided_by_the_callback() {
        let letters = boundary_matches("éann", &["ann"], |_| Ok::<bool, ()>(true)).unwrap();
        let marks = boundary_matches("éann", &["ann"], |_| Ok::<bool, ()>(false)).unwrap();
        assert_eq!((letters.len(), marks), (0, vec![(2, 5, 0)]));
    }

    /// The reference: every needle by a scan of the whole text.
    fn scanned(hay: &str, needles: &[&str]) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        for (index, needle) in needles.iter().enumerate() {
            scan_one(
                hay,
                needle,
                index,
                &mut |_| Ok::<bool, ()>(true),
                &mut found,
            )
            .unwrap();
        }
        found
    }

    #[test]
    fn word_start_index_finds_what_a_scan_finds() {
        // Small alphabets, so that words repeat, overlap and touch punctuation.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below as u64) as usize
        };
        let alphabet = b"ab1 -(.a ";
        let text = |length: usize, next: &mut dyn FnMut(usize) -> usize| -> String {
            (0..length)
                .map(|_| alphabet[next(alphabet.len())] as char)
                .collect()
        };
        let mut indexed = 0;
        for length in [0, 1, 5, 40, 300, LONG, LONG + 1] {
            for _ in 0..200 {
                let hay = text(length, &mut next);
                let needles: Vec<String> = (0..6).map(|_| text(1 + next(4), &mut next)).collect();
                let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
                // The dispatch, whichever way it goes.
                assert_eq!(
                    ascii(&hay, &needles),
                    scanned(&hay, &needles),
                    "{hay:?} {needles:?}"
                );
                // The index itself, for every needle it takes.
                if length <= LONG {
                    let words = WordStarts::of(hay.as_bytes());
                    for (index, needle) in needles.iter().enumerate() {
                        if starts_a_word(needle) {
                            let mut found = Vec::new();
                            words.matches(hay.as_bytes(), needle.as_bytes(), index, &mut found);
                            indexed += found.len();
                            let expected = scanned(&hay, &needles[index..=index]);
                            let found: Vec<_> = found.iter().map(|&(s, e, _)| (s, e, 0)).collect();
                            assert_eq!(found, expected, "{hay:?} {needle:?}");
                        }
                    }
                }
            }
        }
        assert!(
            indexed > 5_000,
            "the cases exercise the index: {indexed} matches"
        );
    }
}
