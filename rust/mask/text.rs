//! Python `str` semantics the resumed masking path needs, on UTF-8: code point offsets,
//! `str.isspace`, `fold` (`phiwall.masking.matching.fold`) and `rewrite`
//! (`phiwall.masking.rewrite`).
//!
//! Cost: O(length) per text; a non-ASCII text is folded by Python (exact `str.lower`
//! rules), an ASCII one here. Fails only with what the Python fold raises.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::PyString;

/// The byte offset of each code point of `text`, and of its end (`len + 1` entries), or
/// None for ASCII text, where both are the same.
pub fn code_points(text: &str) -> Option<Vec<usize>> {
    if text.is_ascii() {
        return None;
    }
    let mut offsets: Vec<usize> = text.char_indices().map(|(byte, _)| byte).collect();
    offsets.push(text.len());
    Some(offsets)
}

/// The byte offset of code point `index` given `code_points(text)`.
pub fn byte_at(offsets: &Option<Vec<usize>>, index: usize) -> usize {
    match offsets {
        Some(offsets) => offsets[index],
        None => index,
    }
}

/// Python's `str.isspace` (Unicode White_Space plus the separators U+001C..U+001F).
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Whether `text.lstrip()` starts with `{` or `[`: what `jsontext.parse` may parse.
pub fn looks_like_json(text: &str) -> bool {
    matches!(
        text.trim_start_matches(is_py_space).chars().next(),
        Some('{' | '[')
    )
}

/// `fold(text)`: lowercase keeping the length; ASCII here, anything else by Python.
pub fn fold<'a>(text: &'a str, fold_python: &Bound<'_, PyAny>) -> PyResult<Cow<'a, str>> {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            return Ok(Cow::Owned(text.to_ascii_lowercase()));
        }
        return Ok(Cow::Borrowed(text));
    }
    let folded = fold_python.call1((text,))?;
    Ok(Cow::Owned(folded.cast::<PyString>()?.to_str()?.to_owned()))
}

/// A replacement: code point span, and the token (bracketed) that takes its place.
pub struct Claim<'t> {
    pub start: usize,
    pub end: usize,
    pub token: &'t str,
}

/// `rewrite`: `text` with the claims replaced, overlaps resolved to the earliest start,
/// then the longest (then the smaller token, as Python's tuple sort does); with `bare`,
/// tokens lose their brackets. None when there is nothing to replace.
pub fn rewrite(text: &str, bare: bool, mut claims: Vec<Claim<'_>>) -> Option<String> {
    if claims.is_empty() {
        return None;
    }
    claims.sort_by(|a, b| {
        (a.start, std::cmp::Reverse(a.end), a.token).cmp(&(
            b.start,
            std::cmp::Reverse(b.end),
            b.token,
        ))
    });
    let offsets = code_points(text);
    let mut out = String::with_capacity(text.len() + 16 * claims.len());
    let mut position = 0;
    for claim in &claims {
        if claim.start < position {
            continue; // overlaps the previous replacement
        }
        out.push_str(&text[byte_at(&offsets, position)..byte_at(&offsets, claim.start)]);
        let token = claim.token;
        out.push_str(if bare && token.len() >= 2 {
            &token[1..token.len() - 1]
        } else {
            token
        });
        position = claim.end;
    }
    out.push_str(&text[byte_at(&offsets, position)..]);
    Some(out)
}

/// `text.translate(NAME_VIEW)`: "_" and "-" read as spaces (same length).
pub fn name_view(text: &str) -> Cow<'_, str> {
    if text.contains(['_', '-']) {
        Cow::Owned(text.replace(['_', '-'], " "))
    } else {
        Cow::Borrowed(text)
    }
}
