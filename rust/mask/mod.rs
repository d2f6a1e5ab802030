//! Request masking's resumed path, native: `Masker._mask` of `phiwall.mask` (the reference,
//! and its contract) for a request that continues a checkpoint.
//!
//! A voice platform resends the whole history every turn; the Python `Masker` finds the
//! checkpoint of the previous request and masks only the new messages. That costs about
//! 250 Python-level calls spread over walk, units, cache, table, sweep, rewrite, edits and
//! check; here it is one call. It works on the Python `Masker`'s own state (its detection
//! cache, the checkpoint, a copy of the checkpoint's token table), so a request this path
//! does not take (`Stop::Unsupported`, decided before anything changes) is masked by the
//! Python path with the very same state. The masking itself is `fresh::mask_slots`, shared
//! with the path of a request without a checkpoint: detection stays the `Masker`'s own
//! (`_detect_text`, `_detect_leaves`: fakes and the real detector alike), except that the
//! default detector's texts that are ASCII, or fold to ASCII, are detected by the native
//! detector directly (same values).
//!
//! - `walk`: the slots of the new messages and the other top-level fields.
//! - `text`: Python `str` semantics on UTF-8 (code points, fold, rewrite).
//! - `search`: the known-value sweep over several texts.
//! - `leaks`: the fail-closed check.
//! - `cache`: the Python `DetectionCache`, read and written with C-API calls.
//! - `checkpoint`: `Checkpoints.find` (lookup and verification) and the checkpoint's key;
//!   `digest`: the checkpoint's fingerprint of its messages.
//! - `filter`: the checkpoints' word filters, which spare most history searches.
//! - `fresh`: the path of a request with no checkpoint; `defs`: its tool definitions.
//!
//! Cost: the detector on texts not cached, plus O(new text) native work and a few dozen
//! C-API calls. Failure: whatever detection raises, `MaskingFailed` from the check, or
//! indexing errors; the caller turns any of them into `MaskingFailed` (no request content).

pub mod cache;
pub mod checkpoint;
pub mod defs;
pub mod digest;
pub mod filter;
pub mod fresh;
pub mod leaks;
pub mod search;
pub mod text;
pub mod walk;

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use fresh::{Fresh, Masked};
use walk::Slot;

/// Why the native path stops: a request it leaves to Python, or an error.
pub enum Stop {
    Unsupported,
    Py(PyErr),
}

impl From<PyErr> for Stop {
    fn from(error: PyErr) -> Self {
        Stop::Py(error)
    }
}

impl From<pyo3::CastIntoError<'_>> for Stop {
    fn from(error: pyo3::CastIntoError<'_>) -> Self {
        Stop::Py(error.into())
    }
}

/// Python helpers of `phiwall.masking`, passed in by `phiwall.mask`.
pub struct Helpers<'py> {
    /// `matching.fold`.
    pub fold: Bound<'py, PyAny>,
    /// `jsontext.parse`.
    pub parse: Bound<'py, PyAny>,
    /// `cache.cache_key`.
    pub cache_key: Bound<'py, PyAny>,
    /// `phiwall.errors.MaskingFailed`.
    pub failed: Bound<'py, PyAny>,
}

/// What the resumed path produced.
pub enum Outcome<'py> {
    /// A value new in these messages also occurs in the checkpoint's: mask in full.
    Restart,
    /// The masked body; the rewritten conversation fields `(path, text)`; each
    /// conversation unit's view and masked view (for the checkpoint, built by `settle`).
    Done(Masked<'py>),
}

/// `Masker._mask(request, messages, start, checkpoint)` with `table` the copy of the
/// checkpoint's table to extend: the new messages' slots and the other fields, masked by
/// `fresh::mask_slots` (as a fresh request's, JSON documents included) with the
/// checkpoint's carried edits written and checked.
#[allow(clippy::too_many_arguments)]
pub fn mask_resumed<'py>(
    request: &Bound<'py, PyDict>,
    messages: &Bound<'py, PyList>,
    start: usize,
    checkpoint: &Bound<'py, PyAny>,
    table: &Bound<'py, PyAny>,
    cache: &Bound<'py, PyAny>,
    helpers: &Helpers<'py>,
    fresh: &Fresh<'py>,
) -> Result<Outcome<'py>, Stop> {
    let py = request.py();
    let mut slots: Vec<Slot<'py>> = Vec::new();
    walk::conversation(messages, start, &mut slots)?;
    let size = slots.len();
    walk::others(request, &mut slots)?;
    // The checkpoint's values were masked by either path: a lone surrogate in one is the
    // Python path's to handle (the sweep reads every needle as UTF-8).
    let needles = table
        .getattr(intern!(py, "needles"))?
        .cast_into::<PyDict>()?;
    for needle in needles.keys() {
        let utf8 = needle
            .cast::<PyString>()
            .ok()
            .and_then(|n| n.to_str().ok().map(|_| ()));
        utf8.ok_or(Stop::Unsupported)?;
    }
    let masked = fresh::mask_slots(
        request,
        &slots,
        size,
        table,
        cache,
        helpers,
        fresh,
        Some(checkpoint),
    )?;
    Ok(masked.map_or(Outcome::Restart, Outcome::Done))
}

/// The checkpoint's edits `(path, masked text)`, to write into the request again.
fn carried_edits<'py>(
    checkpoint: &Bound<'py, PyAny>,
) -> PyResult<Vec<(Bound<'py, PyTuple>, Bound<'py, PyAny>)>> {
    let py = checkpoint.py();
    let carried = checkpoint
        .getattr(intern!(py, "edits"))?
        .cast_into::<PyTuple>()?;
    let mut all = Vec::with_capacity(carried.len());
    for pair in carried.iter() {
        let pair = pair.cast_into::<PyTuple>()?;
        all.push((pair.get_item(0)?.cast_into::<PyTuple>()?, pair.get_item(1)?));
    }
    Ok(all)
}

/// `Checkpoint.holds_any(added)`: whether a needle new in this request has a boundary match
/// in the checkpoint's folded input or masked output, searched here (the needles are
/// UTF-8, checked before) for the needles its word filter (`Checkpoint.words`) does not
/// rule out; a text UTF-8 cannot hold (a lone surrogate) goes to the method.
fn holds_any<'py>(checkpoint: &Bound<'py, PyAny>, added: &[Bound<'py, PyAny>]) -> PyResult<bool> {
    let py = checkpoint.py();
    let words = checkpoint
        .getattr(intern!(py, "words"))?
        .cast_into::<pyo3::types::PyBytes>()?;
    let mut needles = Vec::with_capacity(added.len());
    let mut kept = Vec::with_capacity(added.len());
    for needle in added {
        let text = needle.cast::<PyString>()?.to_str()?;
        if filter::may_hold(words.as_bytes(), text) {
            needles.push(text);
            kept.push(needle.clone());
        }
    }
    if needles.is_empty() {
        return Ok(false);
    }
    for name in [intern!(py, "hay"), intern!(py, "out_hay")] {
        let hay = checkpoint.getattr(name)?.cast_into::<PyString>()?;
        let Ok(hay) = hay.to_str() else {
            let held =
                checkpoint.call_method1(intern!(py, "holds_any"), (PyList::new(py, kept)?,))?;
            return held.is_truthy();
        };
        if !crate::search::code_point_matches(py, hay, &needles)?.is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}
