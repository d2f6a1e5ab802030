//! Request masking's resumed path, native: `Masker._mask` of `phiwall.mask` (the reference,
//! and its contract) for a request that continues a checkpoint, when no new field is a JSON
//! document.
//!
//! A voice platform resends the whole history every turn; the Python `Masker` finds the
//! checkpoint of the previous request and masks only the new messages. That costs about
//! 250 Python-level calls spread over walk, units, cache, table, sweep, rewrite, edits and
//! check; here it is one call. It works on the Python `Masker`'s own state (its detection
//! cache, the checkpoint, a copy of the checkpoint's token table), so a request this path
//! does not take (`Stop::Unsupported`, decided before anything changes) is masked by the
//! Python path with the very same state, and detection stays the Python `_detect_text`
//! (fakes and the real detector alike), except that the default detector's ASCII texts are
//! detected by the native detector directly (`Native`, same values).
//!
//! - `walk`: the slots of the new messages and the other top-level fields.
//! - `text`: Python `str` semantics on UTF-8 (code points, fold, rewrite).
//! - `search`: the known-value sweep over several texts.
//! - `leaks`: the fail-closed check.
//! - `cache`: the Python `DetectionCache`, read and written with C-API calls.
//! - `checkpoint`: `Checkpoints.find` (lookup and verification) and the checkpoint's key.
//! - `filter`: the checkpoints' word filters, which spare most history searches.
//! - `fresh`: the path of a request with no checkpoint; `defs`: its tool definitions.
//!
//! Cost: the detector on texts not cached, plus O(new text) native work and a few dozen
//! C-API calls. Failure: whatever detection raises, `MaskingFailed` from the check, or
//! indexing errors; the caller turns any of them into `MaskingFailed` (no request content).

pub mod cache;
pub mod checkpoint;
pub mod defs;
pub mod filter;
pub mod fresh;
pub mod leaks;
pub mod search;
pub mod text;
pub mod walk;

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use cache::{Cache, DIGEST_ABOVE};
use text::{is_py_space, looks_like_json, name_view, rewrite, Claim};
use walk::{Kind, Slot};

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
    /// `jsontext.texts`.
    pub texts: Bound<'py, PyAny>,
    /// `cache.cache_key`.
    pub cache_key: Bound<'py, PyAny>,
    /// `phiwall.errors.MaskingFailed`.
    pub failed: Bound<'py, PyAny>,
}

/// The native detector, when `Masker` uses the default `phiwall.detect.detect` and every
/// pattern kind is scanned natively: an ASCII text without `[` (no token lookalikes) is
/// then detected here, as `Masker._detect_text(text)` would (`detect` folds nothing in
/// ASCII text, and `spans_from_reports(text, [])` is `engine.spans`), without the Python
/// wrapper, `Span` objects and per-span Python work.
pub struct Native<'py> {
    /// `phiwall.detect.native.detector()`.
    pub detector: Bound<'py, PyAny>,
    /// `cache.Value`.
    pub value: Bound<'py, PyAny>,
    /// `table.KNOWN_LABELS`: any other label goes to `check_label` (through Python).
    pub labels: Bound<'py, PyAny>,
}

/// What the resumed path produced.
pub enum Outcome<'py> {
    /// A value new in these messages also occurs in the checkpoint's: mask in full.
    Restart,
    /// The masked body; the rewritten conversation fields `(path, text)`; each
    /// conversation unit's view and masked view (for the checkpoint, built by `settle`).
    Done {
        body: Bound<'py, PyDict>,
        mine: Bound<'py, PyList>,
        views: Bound<'py, PyList>,
        outputs: Bound<'py, PyList>,
    },
}

/// One text to mask (`units.Unit` of a slot that is not a JSON document).
struct Unit<'py> {
    view: Bound<'py, PyString>,
    bare: bool,
    key: Option<Bound<'py, PyAny>>,
}

/// A detected value (`cache.Value`): code point span, the key naming its token.
struct Value<'py> {
    start: usize,
    end: usize,
    key: Bound<'py, PyString>,
}

/// `Masker._mask(request, messages, start, checkpoint)` with `table` the copy of the
/// checkpoint's table to extend, `cache` the `DetectionCache`, `detect_text` the
/// `Masker._detect_text` bound method.
#[allow(clippy::too_many_arguments)]
pub fn mask_resumed<'py>(
    request: &Bound<'py, PyDict>,
    messages: &Bound<'py, PyList>,
    start: usize,
    checkpoint: &Bound<'py, PyAny>,
    table: &Bound<'py, PyAny>,
    cache: &Bound<'py, PyAny>,
    detect_text: &Bound<'py, PyAny>,
    helpers: &Helpers<'py>,
    native: Option<&Native<'py>>,
) -> Result<Outcome<'py>, Stop> {
    let py = request.py();
    let mut slots: Vec<Slot<'py>> = Vec::new();
    walk::conversation(messages, start, &mut slots)?;
    let size = slots.len();
    walk::others(request, &mut slots)?;
    let needles = table
        .getattr(intern!(py, "needles"))?
        .cast_into::<PyDict>()?;
    // Everything Python could do differently is decided here, before any state changes.
    for slot in &slots {
        let text = slot.text.to_str().map_err(|_| Stop::Unsupported)?;
        if slot.kind == Kind::Json && looks_like_json(text) {
            return Err(Stop::Unsupported);
        }
    }
    for needle in needles.keys() {
        let utf8 = needle
            .cast::<PyString>()
            .ok()
            .and_then(|n| n.to_str().ok().map(|_| ()));
        utf8.ok_or(Stop::Unsupported)?;
    }

    let units = expand(&slots, helpers)?;
    let before = needles.len();
    let values = detect_all(&units, table, &needles, cache, detect_text, native)?;
    if needles.len() > before {
        let added: Vec<Bound<'py, PyAny>> = needles.keys().iter().skip(before).collect();
        if holds_any(checkpoint, &added)? {
            return Ok(Outcome::Restart);
        }
    }

    // The sweep: every occurrence of every known value, in every new text.
    let known = search::Known::read(&needles)?;
    let (needle_strs, token_strs) = known.strs()?;
    let views = units.iter().map(|u| &u.view);
    let found = search::sweep(py, views, &needle_strs, &helpers.fold)?;

    // Tokens in place of every detected value and sweep finding, unit by unit.
    let mut edits: Vec<(&Slot<'py>, Bound<'py, PyString>)> = Vec::new();
    let mut outputs: Vec<Bound<'py, PyString>> = units.iter().map(|u| u.view.clone()).collect();
    let mut indices: Vec<usize> = values
        .iter()
        .map(|(i, _)| *i)
        .chain(found.iter().map(|(i, _)| *i))
        .collect();
    indices.sort_unstable();
    indices.dedup();
    for index in indices {
        let unit = &units[index];
        let mut claims: Vec<Claim<'_>> = Vec::new();
        let mut value_tokens: Vec<Bound<'py, PyString>> = Vec::new();
        if let Some((_, mine)) = values.iter().find(|(i, _)| *i == index) {
            for value in mine {
                let token = needles.get_item(&value.key)?;
                let token = token.ok_or_else(|| pyo3::exceptions::PyKeyError::new_err("value"))?;
                value_tokens.push(token.cast_into::<PyString>()?);
            }
            for (value, token) in mine.iter().zip(&value_tokens) {
                claims.push(Claim {
                    start: value.start,
                    end: value.end,
                    token: token.to_str()?,
                });
            }
        }
        search::claim_found(&found, index, &token_strs, &mut claims);
        let slot = &slots[index];
        let Some(text) = rewrite(slot.text.to_str()?, unit.bare, claims) else {
            continue;
        };
        let output = if unit.bare {
            PyString::new(py, &name_view(&text))
        } else {
            PyString::new(py, &text)
        };
        let text = if unit.bare {
            PyString::new(py, &text)
        } else {
            output.clone()
        };
        outputs[index] = output;
        edits.push((slot, text));
    }

    let carried = checkpoint
        .getattr(intern!(py, "edits"))?
        .cast_into::<PyTuple>()?;
    let mut all: Vec<(Bound<'py, PyTuple>, Bound<'py, PyAny>)> =
        Vec::with_capacity(carried.len() + edits.len());
    for pair in carried.iter() {
        let pair = pair.cast_into::<PyTuple>()?;
        all.push((pair.get_item(0)?.cast_into::<PyTuple>()?, pair.get_item(1)?));
    }
    let paths: Vec<Bound<'py, PyTuple>> = edits
        .iter()
        .map(|(slot, _)| PyTuple::new(py, &slot.path))
        .collect::<PyResult<_>>()?;
    for ((_, text), path) in edits.iter().zip(&paths) {
        all.push((path.clone(), text.clone().into_any()));
    }
    let carried_count = carried.len();
    let body = crate::edit::apply(request, &all)?;

    // The check: carried fields read back, edited ones read back and searched.
    let root = body.clone().into_any();
    for (path, text) in all.iter().take(carried_count) {
        let mut node = root.clone();
        for step in path.iter() {
            node = node.get_item(step)?;
        }
        if !node.is(text) {
            let steps: Vec<Bound<'py, PyAny>> = path.iter().collect();
            let message = format!("masked text did not reach {}", leaks::field(&steps));
            return Err(Stop::Py(leaks::failed(helpers, message)));
        }
    }
    leaks::assert_no_leak(&root, &edits, &needle_strs, &token_strs, helpers)?;

    let mine = PyList::empty(py);
    for ((slot, text), path) in edits.iter().zip(&paths) {
        let index = slots
            .iter()
            .position(|s| std::ptr::eq(s, *slot))
            .unwrap_or(usize::MAX);
        if index < size {
            mine.append((path, text))?;
        }
    }
    let views = PyList::new(py, units.iter().take(size).map(|u| &u.view))?;
    let outputs = PyList::new(py, outputs.iter().take(size))?;
    Ok(Outcome::Done {
        body,
        mine,
        views,
        outputs,
    })
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

/// `units.expand` for slots that are not JSON documents: one unit per slot.
fn expand<'py>(slots: &[Slot<'py>], helpers: &Helpers<'py>) -> PyResult<Vec<Unit<'py>>> {
    let py = helpers.fold.py();
    let mut units = Vec::with_capacity(slots.len());
    for slot in slots {
        let (view, bare) = match slot.kind {
            Kind::Name => match name_view(slot.text.to_str()?) {
                std::borrow::Cow::Borrowed(_) => (slot.text.clone(), true),
                std::borrow::Cow::Owned(view) => (PyString::new(py, &view), true),
            },
            _ => (slot.text.clone(), false),
        };
        let key = match slot.kind {
            Kind::Sweep => None,
            _ if view.len()? <= DIGEST_ABOVE => Some(view.clone().into_any()),
            _ => Some(helpers.cache_key.call1((&view,))?),
        };
        units.push(Unit { view, bare, key });
    }
    Ok(units)
}

/// `Masker._detect_all`: the values of each unit that has any, by index, tokens added to
/// `table` in order of first detection. The cache is the Python `DetectionCache`: its
/// entries read here, misses kept by its own `keep`.
fn detect_all<'py>(
    units: &[Unit<'py>],
    table: &Bound<'py, PyAny>,
    needles: &Bound<'py, PyDict>,
    cache: &Bound<'py, PyAny>,
    detect_text: &Bound<'py, PyAny>,
    native: Option<&Native<'py>>,
) -> PyResult<Vec<(usize, Vec<Value<'py>>)>> {
    let py = table.py();
    let cache = Cache::of(cache)?;
    let mut found = Vec::new();
    let mut tables: Option<(Bound<'py, PyDict>, Bound<'py, PyDict>)> = None;
    for (index, unit) in units.iter().enumerate() {
        let Some(key) = &unit.key else { continue };
        let values = match cache.get(key)? {
            Some(values) => values.cast_into::<PyTuple>()?,
            None => {
                let text = unit.view.to_str()?;
                let values = match native {
                    Some(native) if text.is_ascii() && !text.contains('[') => {
                        detect_natively(native, &unit.view, text, detect_text)?
                    }
                    _ => detect_text.call1((&unit.view,))?,
                };
                let values = values.cast_into::<PyTuple>()?;
                cache.keep(key, &values)?;
                values
            }
        };
        if values.is_empty() {
            continue;
        }
        let mut mine = Vec::with_capacity(values.len());
        for value in values.iter() {
            let key = value.getattr(intern!(py, "key"))?.cast_into::<PyString>()?;
            let needle = value.getattr(intern!(py, "needle"))?;
            if !needles.contains(&needle)? {
                if tables.is_none() {
                    let counts = table
                        .getattr(intern!(py, "_counts"))?
                        .cast_into::<PyDict>()?;
                    let tokens = table.getattr(intern!(py, "table"))?.cast_into::<PyDict>()?;
                    tables = Some((counts, tokens));
                }
                let (counts, tokens) = tables.as_ref().expect("set above");
                add(&value, &key, &needle, needles, counts, tokens)?;
            }
            let start = value.getattr(intern!(py, "start"))?.extract()?;
            let end = value.getattr(intern!(py, "end"))?.extract()?;
            mine.push(Value { start, end, key });
        }
        found.push((index, mine));
    }
    Ok(found)
}

/// `TokenTable.add`: the token of the value's key, created if new; its needle recorded.
fn add<'py>(
    value: &Bound<'py, PyAny>,
    key: &Bound<'py, PyString>,
    needle: &Bound<'py, PyAny>,
    needles: &Bound<'py, PyDict>,
    counts: &Bound<'py, PyDict>,
    tokens: &Bound<'py, PyDict>,
) -> PyResult<()> {
    let py = value.py();
    let token = match needles.get_item(key)? {
        Some(token) => token,
        None => {
            let label = value.getattr(intern!(py, "label"))?;
            let number: u64 = match counts.get_item(&label)? {
                Some(count) => count.extract::<u64>()? + 1,
                None => 1,
            };
            counts.set_item(&label, number)?;
            let token = PyString::new(
                py,
                &format!("[{}_{number}]", label.cast::<PyString>()?.to_str()?),
            );
            tokens.set_item(&token, value.getattr(intern!(py, "raw"))?)?;
            needles.set_item(key, &token)?;
            token.into_any()
        }
    };
    if !needles.contains(needle)? {
        needles.set_item(needle, token)?; // `setdefault`
    }
    Ok(())
}

/// `Masker._detect_text(text)` for ASCII `text` without `[`, by the native detector: the
/// values `(start, end, label, key, raw, needle)` of its spans, `key` being the needle with
/// whitespace runs made single spaces (a span of whitespace only is dropped). A label
/// outside `KNOWN_LABELS` is left to the Python method (it checks and raises).
fn detect_natively<'py>(
    native: &Native<'py>,
    view: &Bound<'py, PyString>,
    text: &str,
    detect_text: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = view.py();
    let found = fresh::spans(&native.detector, view)?;
    let mut values = Vec::with_capacity(found.len());
    for (start, end, label) in found {
        if !native.labels.contains(&label)? {
            return detect_text.call1((view,));
        }
        if !(start < end && end <= text.len()) {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "detector returned a span outside its text",
            ));
        }
        let raw = &text[start..end];
        let needle = raw.to_ascii_lowercase();
        let key = needle
            .split(|c: char| is_py_space(c))
            .filter(|word| !word.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if key.is_empty() {
            continue;
        }
        let value = native.value.call1((start, end, label, key, raw, needle))?;
        values.push(value);
    }
    Ok(PyTuple::new(py, values)?.into_any())
}
