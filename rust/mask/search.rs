//! `matching.find_in_many` for the resumed masking path: boundary matches of every needle
//! in each of several texts, grouped by text in the order Python's native search reports
//! them (needle by needle), so a leak is reported for the same field as in Python.
//!
//! Cost: one fold of the joined texts (ASCII here, else Python) and one native search per
//! needle. Fails with what the fold raises.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::text::{fold, Claim};
use crate::search::code_point_matches;

/// Occurrences `(start, end, needle index)` in one text's code points.
pub type Found = Vec<(usize, Vec<(usize, usize, usize)>)>;

/// The sweep: [`find_in_many`] over the units' views (Python strs). Fails on a lone
/// surrogate in a view, or with what the fold raises.
pub fn sweep<'a, 'py: 'a>(
    py: Python<'py>,
    views: impl Iterator<Item = &'a Bound<'py, PyString>>,
    needles: &[&str],
    fold_python: &Bound<'py, PyAny>,
) -> PyResult<Found> {
    let texts: Vec<&str> = views.map(|v| v.to_str()).collect::<PyResult<_>>()?;
    find_in_many(py, &texts, needles, fold_python)
}

/// For each text with matches (in order of its first match), its matches in order.
pub fn find_in_many(
    py: Python<'_>,
    texts: &[&str],
    needles: &[&str],
    fold_python: &Bound<'_, PyAny>,
) -> PyResult<Found> {
    if texts.is_empty() || needles.is_empty() {
        return Ok(Vec::new());
    }
    let mut found: Found = Vec::new();
    if texts.len() == 1 {
        let hay = fold(texts[0], fold_python)?;
        let matches = code_point_matches(py, &hay, needles)?;
        if !matches.is_empty() {
            found.push((0, matches));
        }
        return Ok(found);
    }
    let joined = texts.join("\0");
    let hay = fold(&joined, fold_python)?;
    // Each text's start in code points, and one past the end of the last.
    let mut starts = Vec::with_capacity(texts.len() + 1);
    let mut at = 0;
    for text in texts {
        starts.push(at);
        at += if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        } + 1;
    }
    starts.push(at);
    for (start, end, needle) in code_point_matches(py, &hay, needles)? {
        let next = starts.partition_point(|&base| base <= start);
        let (Some(text), Some(&stop)) = (next.checked_sub(1), starts.get(next)) else {
            continue;
        };
        if end >= stop {
            continue; // crosses the separator at `stop - 1`
        }
        let base = starts[text];
        let occurrence = (start - base, end - base, needle);
        match found.iter_mut().find(|(index, _)| *index == text) {
            Some((_, list)) => list.push(occurrence),
            None => found.push((text, vec![occurrence])),
        }
    }
    Ok(found)
}

/// The token table's needles and tokens (its `needle -> token` dict), held as Python strs so
/// that the `&str`s of [`Known::strs`] can borrow them for the sweep and the rewrite.
pub struct Known<'py> {
    needles: Vec<Bound<'py, PyString>>,
    tokens: Vec<Bound<'py, PyString>>,
}

impl<'py> Known<'py> {
    /// Read the table's dict, in its order. Fails if a needle or a token is not a str.
    pub fn read(table: &Bound<'py, PyDict>) -> PyResult<Self> {
        let mut needles = Vec::with_capacity(table.len());
        let mut tokens = Vec::with_capacity(table.len());
        for (needle, token) in table.iter() {
            needles.push(needle.cast_into::<PyString>()?);
            tokens.push(token.cast_into::<PyString>()?);
        }
        Ok(Known { needles, tokens })
    }

    /// The needles and the tokens as `&str`, index for index. Fails on a lone surrogate.
    pub fn strs(&self) -> PyResult<(Vec<&str>, Vec<&str>)> {
        let needles = self
            .needles
            .iter()
            .map(|n| n.to_str())
            .collect::<PyResult<_>>()?;
        let tokens = self
            .tokens
            .iter()
            .map(|t| t.to_str())
            .collect::<PyResult<_>>()?;
        Ok((needles, tokens))
    }
}

/// Append the sweep's occurrences in unit `index` (if any) to `claims`, each with the token
/// of its needle (`tokens[needle]`). O(texts with matches + occurrences).
pub fn claim_found<'t>(
    found: &Found,
    index: usize,
    tokens: &[&'t str],
    claims: &mut Vec<Claim<'t>>,
) {
    if let Some((_, occurrences)) = found.iter().find(|(i, _)| *i == index) {
        claims.extend(occurrences.iter().map(|&(start, end, needle)| Claim {
            start,
            end,
            token: tokens[needle],
        }));
    }
}
