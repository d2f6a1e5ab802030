//! The known-value search of request masking: every occurrence of every needle in one
//! folded text, where it does not split a run of letters or digits.
//!
//! Python's `phiwall.masking.matching.find_in` is the reference; this is the same rule at C
//! speed: one `memchr::memmem` finder per needle, overlapping matches included, offsets in
//! code points (Python `str` indices). "Letter or digit" is Python's `str.isalnum`: decided
//! here for ASCII and asked of Python for any other character, so both agree exactly.

use memchr::memmem;
use pyo3::prelude::*;
use pyo3::types::PyString;

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

/// `find_in` of `phiwall.masking.matching`: `(start, end, needle)` of every boundary match,
/// in code points, each needle the very `str` object passed in.
#[pyfunction]
pub fn find_boundary_matches<'py>(
    py: Python<'py>,
    hay: &Bound<'py, PyString>,
    needles: Vec<Bound<'py, PyString>>,
) -> PyResult<Vec<(usize, usize, Bound<'py, PyString>)>> {
    let text = hay.to_str()?;
    let words = needles
        .iter()
        .map(|needle| needle.to_str())
        .collect::<PyResult<Vec<_>>>()?;
    let python_isalnum = |c: char| -> PyResult<bool> {
        let mut buffer = [0; 4];
        PyString::new(py, c.encode_utf8(&mut buffer))
            .call_method0("isalnum")?
            .extract()
    };
    let matches = boundary_matches(text, &words, python_isalnum)?;
    // Byte offsets are code point offsets in ASCII text; otherwise count once, up front.
    let chars: Option<Vec<usize>> = (!text.is_ascii()).then(|| {
        let mut index = vec![0; text.len() + 1];
        for (count, (byte, _)) in text.char_indices().enumerate() {
            index[byte] = count;
        }
        index[text.len()] = text.chars().count();
        index
    });
    let position = |byte: usize| chars.as_ref().map_or(byte, |index| index[byte]);
    Ok(matches
        .into_iter()
        .map(|(start, end, index)| (position(start), position(end), needles[index].clone()))
        .collect())
}
