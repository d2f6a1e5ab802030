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
pub fn boundary_matches<E>(
    hay: &str,
    needles: &[&str],
    mut is_alnum: impl FnMut(char) -> Result<bool, E>,
) -> Result<Vec<(usize, usize, usize)>, E> {
    let mut alnum = |c: char| -> Result<bool, E> {
        if c.is_ascii() {
            Ok(c.is_ascii_alphanumeric())
        } else {
            is_alnum(c)
        }
    };
    let bytes = hay.as_bytes();
    let mut found = Vec::new();
    for (index, needle) in needles.iter().enumerate() {
        if needle.is_empty() {
            continue;
        }
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
    }
    Ok(found)
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
    use super::boundary_matches;

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
}
