//! Request masking's cold path, native: `Masker._mask(request, messages, 0, None)` of
//! `phiwall.mask` (the reference, and its contract), for a request without a checkpoint;
//! its core (`mask_slots`) also masks a resumed request's new messages (`super`).
//!
//! Everything the Python path does, in one call: the walk (definitions, messages, other
//! fields: `defs`, `walk`), JSON documents expanded into leaves (decoded by `jsontext.parse`,
//! msgspec; leaves, hints and cache keys here; changed leaves written back and encoded by
//! msgspec), detection through the `Masker`'s `DetectionCache`, token lookalikes, numbering,
//! the sweep (`search`), rewrite (`text`), edits (`crate::edit`) and the leak check
//! (`leaks`). Detection calls the native `Detector` directly for ASCII text, and for text
//! without `[` that `phiwall.detect.fold` makes ASCII, when the `Masker`'s detector is the
//! default `phiwall.detect.detect` (no `Span` objects, no per-span Python work), else
//! `Masker._detect_text` / `_detect_leaves`, in the order the Python path calls them. The values detected are kept in the Python cache as `Value`s, so
//! the cache and the table are afterwards what the Python path leaves.
//!
//! Cost: the detector on texts not cached, one msgspec decode per JSON document (and an
//! encode per changed one), O(text) native work, a few C-API calls per text and value.
//! Failure: `Stop::Unsupported` (decided before any state changes) for what the Python path
//! must mask (lone surrogates, nesting deeper than `walk::MAX_DEPTH`); else what detection
//! raises, `ValueError` for a span outside its text or two JSON keys made equal,
//! `MaskingFailed` from the check; the caller reports any of them without request content.

use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PyList, PyString, PyTuple};

use super::cache::{digest, Cache, DIGEST_ABOVE};
use super::leaks;
use super::search;
use super::text::{is_py_space, looks_like_json, name_view, rewrite, Claim};
use super::walk::{self, Kind, Slot, MAX_DEPTH};
use super::{defs, Helpers, Stop};

/// What the cold path needs besides `Helpers`.
pub struct Fresh<'py> {
    /// `Masker._detect_text`.
    pub detect_text: Bound<'py, PyAny>,
    /// `Masker._detect_leaves`.
    pub detect_leaves: Bound<'py, PyAny>,
    /// The native `Detector`, when the `Masker` detects with `phiwall.detect.detect` and
    /// that detects ASCII text natively (with every pattern kind): called directly.
    pub native: Option<Bound<'py, PyAny>>,
    /// `cache.Value`.
    pub value: Bound<'py, PyAny>,
    /// `lookalikes.find`.
    pub lookalikes: Bound<'py, PyAny>,
    /// `msgspec.json.encode`.
    pub encode: Bound<'py, PyAny>,
    /// `phiwall.detect.fold.fold`: what `detect` reads a non-ASCII text as.
    pub fold_text: Bound<'py, PyAny>,
}

/// A JSON leaf: where its text sits in the decoded document.
pub(super) struct Leaf<'py> {
    container: Bound<'py, PyAny>,
    key: Bound<'py, PyAny>,
    is_key: bool,
}

/// `units.Unit`: one text to mask.
struct Unit<'py> {
    text: Bound<'py, PyString>,
    view: Bound<'py, PyString>,
    hint: String,
    bare: bool,
    slot: usize,
    leaf: Option<Leaf<'py>>,
    /// The cache key; None for texts only swept.
    key: Option<Bound<'py, PyAny>>,
    /// Detected with the other leaves of its JSON document (slot index).
    group: Option<usize>,
}

/// `cache.Value`, as strings.
#[derive(Clone)]
struct Found<'py> {
    start: usize,
    end: usize,
    label: Bound<'py, PyString>,
    key: Bound<'py, PyString>,
    raw: Bound<'py, PyString>,
    needle: Bound<'py, PyString>,
}

/// A text's values, and the same as a tuple of Python `Value`s (for the cache).
type Detected<'py> = (Vec<Found<'py>>, Bound<'py, PyTuple>);
/// The changed leaves of one JSON slot (by index), with their masked texts.
type Changed<'a, 'py> = (usize, Vec<(&'a Leaf<'py>, Bound<'py, PyString>)>);
/// `Value`'s order: position, then label, key, raw, needle.
type Order = (usize, usize, String, String, String, String);

/// The rewritten fields, the masked body and the checkpoint's texts.
pub struct Masked<'py> {
    pub body: Bound<'py, PyDict>,
    pub mine: Bound<'py, PyList>,
    pub views: Bound<'py, PyList>,
    pub outputs: Bound<'py, PyList>,
}

/// `Masker._mask(request, messages, 0, None)` with `table` a new `TokenTable`.
pub fn mask_fresh<'py>(
    request: &Bound<'py, PyDict>,
    messages: &Bound<'py, PyList>,
    table: &Bound<'py, PyAny>,
    cache: &Bound<'py, PyAny>,
    helpers: &Helpers<'py>,
    fresh: &Fresh<'py>,
) -> Result<Masked<'py>, Stop> {
    let mut slots: Vec<Slot<'py>> = Vec::new();
    defs::definitions(request, &mut slots)?;
    walk::conversation(messages, 0, &mut slots)?;
    let size = slots.len();
    walk::others(request, &mut slots)?;
    let masked = mask_slots(request, &slots, size, table, cache, helpers, fresh, None)?;
    // Only a resumed request restarts (a value new to it was in the checkpoint's texts).
    masked.ok_or_else(|| Stop::Py(PyValueError::new_err("a fresh mask cannot restart")))
}

/// The masking both native paths share: `slots` (the conversation's first, `size` of them,
/// then the other fields) expanded, detected, numbered into `table`, swept, rewritten,
/// edited into a copy of `request` and checked. `resumed` is the checkpoint a resumed
/// request continues: its carried edits are written and checked too, and None is returned
/// (mask in full) when a value new to this request occurs in its texts.
#[allow(clippy::too_many_arguments)]
pub fn mask_slots<'py>(
    request: &Bound<'py, PyDict>,
    slots: &[Slot<'py>],
    size: usize,
    table: &Bound<'py, PyAny>,
    cache: &Bound<'py, PyAny>,
    helpers: &Helpers<'py>,
    fresh: &Fresh<'py>,
    resumed: Option<&Bound<'py, PyAny>>,
) -> Result<Option<Masked<'py>>, Stop> {
    let py = request.py();
    // Everything Python could do differently is decided here, before any state changes.
    for slot in slots {
        slot.text.to_str().map_err(|_| Stop::Unsupported)?;
    }
    let (units, docs) = expand(slots, helpers)?;

    let needles = table
        .getattr(intern!(py, "needles"))?
        .cast_into::<PyDict>()?;
    let counts = table
        .getattr(intern!(py, "_counts"))?
        .cast_into::<PyDict>()?;
    let tokens = table.getattr(intern!(py, "table"))?.cast_into::<PyDict>()?;
    let before = needles.len();
    let values = detect_all(&units, cache, fresh, helpers)?;
    for (_, mine) in &values {
        for value in mine {
            if !needles.contains(&value.needle)? {
                add(value, &needles, &counts, &tokens)?;
            }
        }
    }
    if let Some(checkpoint) = resumed {
        if needles.len() > before {
            let added: Vec<Bound<'py, PyAny>> = needles.keys().iter().skip(before).collect();
            if super::holds_any(checkpoint, &added)? {
                return Ok(None); // earlier texts would change: mask the whole request
            }
        }
    }

    // The sweep: every occurrence of every known value, in every text.
    let known = search::Known::read(&needles)?;
    let (needle_strs, token_strs) = known.strs()?;
    let views = units.iter().map(|u| &u.view);
    let found = search::sweep(py, views, &needle_strs, &helpers.fold)?;

    // Tokens in place of every detected value and sweep finding, unit by unit.
    let mut outputs: Vec<Bound<'py, PyString>> = units.iter().map(|u| u.view.clone()).collect();
    let mut edits: Vec<(usize, Bound<'py, PyString>)> = Vec::new();
    let mut changed: Vec<Changed<'_, 'py>> = Vec::new();
    let mut indices: Vec<usize> = values
        .iter()
        .map(|(i, _)| *i)
        .chain(found.iter().map(|(i, _)| *i))
        .collect();
    indices.sort_unstable();
    indices.dedup();
    let mut at_value = 0;
    for index in indices {
        let unit = &units[index];
        let mut value_tokens: Vec<(usize, usize, Bound<'py, PyString>)> = Vec::new();
        while at_value < values.len() && values[at_value].0 < index {
            at_value += 1;
        }
        if let Some((_, mine)) = values.get(at_value).filter(|(i, _)| *i == index) {
            for value in mine {
                let token = needles
                    .get_item(&value.key)?
                    .ok_or_else(|| PyKeyError::new_err("value"))?;
                value_tokens.push((value.start, value.end, token.cast_into::<PyString>()?));
            }
        }
        let mut claims: Vec<Claim<'_>> = Vec::new();
        for (start, end, token) in &value_tokens {
            claims.push(Claim {
                start: *start,
                end: *end,
                token: token.to_str()?,
            });
        }
        search::claim_found(&found, index, &token_strs, &mut claims);
        let Some(text) = rewrite(unit.text.to_str()?, unit.bare, claims) else {
            continue;
        };
        let masked = PyString::new(py, &text);
        outputs[index] = if unit.bare {
            PyString::new(py, &name_view(&text))
        } else {
            masked.clone()
        };
        match &unit.leaf {
            None => edits.push((unit.slot, masked)),
            Some(leaf) => match changed.iter_mut().find(|(slot, _)| *slot == unit.slot) {
                Some((_, leaves)) => leaves.push((leaf, masked)),
                None => changed.push((unit.slot, vec![(leaf, masked)])),
            },
        }
    }
    for (slot, leaves) in changed {
        let doc = docs
            .iter()
            .find(|(index, _)| *index == slot)
            .map(|(_, doc)| doc)
            .ok_or_else(|| PyKeyError::new_err("document"))?;
        edits.push((slot, encode(doc, &leaves, &fresh.encode)?));
    }

    let paths: Vec<Bound<'py, PyTuple>> = edits
        .iter()
        .map(|(slot, _)| PyTuple::new(py, &slots[*slot].path))
        .collect::<PyResult<_>>()?;
    // The checkpoint's edits first, then this request's.
    let mut all = match resumed {
        Some(checkpoint) => super::carried_edits(checkpoint)?,
        None => Vec::new(),
    };
    let carried_count = all.len();
    all.extend(
        paths
            .iter()
            .zip(&edits)
            .map(|(path, (_, text))| (path.clone(), text.clone().into_any())),
    );
    let body = crate::edit::apply(request, &all)?;
    let checked: Vec<(&Slot<'py>, Bound<'py, PyString>)> = edits
        .iter()
        .map(|(slot, text)| (&slots[*slot], text.clone()))
        .collect();
    leaks::assert_carried(body.as_any(), &all[..carried_count], helpers)?;
    leaks::assert_no_leak(body.as_any(), &checked, &needle_strs, &token_strs, helpers)?;

    let mine = PyList::empty(py);
    for ((slot, text), path) in edits.iter().zip(&paths) {
        if *slot < size {
            mine.append((path, text))?;
        }
    }
    let inside = units.iter().take_while(|u| u.slot < size).count();
    let views = PyList::new(py, units.iter().take(inside).map(|u| &u.view))?;
    let outputs = PyList::new(py, outputs.iter().take(inside))?;
    Ok(Some(Masked {
        body,
        mine,
        views,
        outputs,
    }))
}

/// `units.expand`: the units of `slots`, and each JSON slot's decoded document by index.
#[allow(clippy::type_complexity)]
fn expand<'py>(
    slots: &[Slot<'py>],
    helpers: &Helpers<'py>,
) -> Result<(Vec<Unit<'py>>, Vec<(usize, Bound<'py, PyAny>)>), Stop> {
    let py = helpers.fold.py();
    let mut units = Vec::with_capacity(slots.len());
    let mut docs = Vec::new();
    for (index, slot) in slots.iter().enumerate() {
        let text = slot.text.to_str()?;
        let doc = if slot.kind == Kind::Json && looks_like_json(text) {
            Some(helpers.parse.call1((&slot.text,))?).filter(|doc| !doc.is_none())
        } else {
            None
        };
        let Some(doc) = doc else {
            let (view, bare) = match slot.kind {
                Kind::Name => match name_view(text) {
                    std::borrow::Cow::Borrowed(_) => (slot.text.clone(), true),
                    std::borrow::Cow::Owned(view) => (PyString::new(py, &view), true),
                },
                _ => (slot.text.clone(), false),
            };
            let key = match slot.kind {
                Kind::Sweep => None,
                _ => Some(cache_key(&view, helpers)?),
            };
            units.push(Unit {
                text: slot.text.clone(),
                view,
                hint: String::new(),
                bare,
                slot: index,
                leaf: None,
                key,
                group: None,
            });
            continue;
        };
        let document = cache_key(&slot.text, helpers)?;
        let json = PyString::new(py, "json").into_any();
        let mut leaves = Vec::new();
        leaves_of(&doc, "", &mut leaves, 0)?;
        for (position, (text, hint, leaf)) in leaves.into_iter().enumerate() {
            let key = if leaf.is_key {
                None // swept, not detected (see `jsontext`)
            } else {
                let position = PyInt::new(py, position).into_any();
                Some(PyTuple::new(py, [json.clone(), document.clone(), position])?.into_any())
            };
            let group = key.as_ref().map(|_| index);
            units.push(Unit {
                view: text.clone(),
                text,
                hint,
                bare: false,
                slot: index,
                leaf: Some(leaf),
                key,
                group,
            });
        }
        docs.push((index, doc));
    }
    Ok((units, docs))
}

/// `cache.cache_key`: the text itself, or its digest if long. The digest is computed here
/// (`cache::digest`, the bytes `hashlib`'s gives), or by Python for a text with a lone
/// surrogate (no UTF-8 of its own: Python hashes its "surrogatepass" encoding).
fn cache_key<'py>(
    text: &Bound<'py, PyString>,
    helpers: &Helpers<'py>,
) -> PyResult<Bound<'py, PyAny>> {
    if text.len()? <= DIGEST_ABOVE {
        return Ok(text.clone().into_any());
    }
    match text.to_str() {
        Ok(utf8) => Ok(PyBytes::new(text.py(), &digest(utf8.as_bytes())).into_any()),
        Err(_) => helpers.cache_key.call1((text,)),
    }
}

/// `jsontext._hint`: "date_of_birth" -> "date of birth: ".
fn hint(key: &str) -> String {
    let mut hint = key.replace(['_', '-'], " ");
    hint.push_str(": ");
    hint
}

/// `jsontext.leaves(doc)`: keys, strings and integers in document order, each with its
/// hint. Deeper than `MAX_DEPTH`: `Stop::Unsupported`; a text that is not UTF-8 too.
#[allow(clippy::type_complexity)]
pub(super) fn leaves_of<'py>(
    node: &Bound<'py, PyAny>,
    inherited: &str,
    found: &mut Vec<(Bound<'py, PyString>, String, Leaf<'py>)>,
    depth: usize,
) -> Result<(), Stop> {
    if depth >= MAX_DEPTH {
        return Err(Stop::Unsupported);
    }
    let py = node.py();
    let entries: Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>, bool)> =
        if let Ok(dict) = node.cast::<PyDict>() {
            dict.iter().map(|(k, v)| (k, v, true)).collect()
        } else if let Ok(list) = node.cast::<PyList>() {
            list.iter()
                .enumerate()
                .map(|(i, v)| (PyInt::new(py, i).into_any(), v, false))
                .collect()
        } else {
            return Ok(());
        };
    for (key, value, is_dict) in entries {
        let own;
        let context = if is_dict {
            let name = key.cast::<PyString>().map_err(|_| Stop::Unsupported)?;
            let name_str = name.to_str().map_err(|_| Stop::Unsupported)?;
            found.push((
                name.clone(),
                String::new(),
                Leaf {
                    container: node.clone(),
                    key: key.clone(),
                    is_key: true,
                },
            ));
            own = hint(name_str);
            own.as_str()
        } else {
            inherited
        };
        let leaf = |text: Bound<'py, PyString>| -> Result<_, Stop> {
            text.to_str().map_err(|_| Stop::Unsupported)?;
            let leaf = Leaf {
                container: node.clone(),
                key: key.clone(),
                is_key: false,
            };
            Ok((text, context.to_owned(), leaf))
        };
        if let Ok(text) = value.cast::<PyString>() {
            found.push(leaf(text.clone())?);
        } else if value.is_instance_of::<PyInt>() && !value.is_instance_of::<PyBool>() {
            found.push(leaf(value.str()?)?);
        } else if value.is_instance_of::<PyDict>() || value.is_instance_of::<PyList>() {
            leaves_of(&value, context, found, depth + 1)?;
        }
    }
    Ok(())
}

/// `jsontext.encode`: the changed leaves written into `doc` (in place), keys renamed in
/// order, and `doc` encoded. `ValueError` if two keys of one object became equal.
fn encode<'py>(
    doc: &Bound<'py, PyAny>,
    changed: &[(&Leaf<'py>, Bound<'py, PyString>)],
    encoder: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyString>> {
    let py = doc.py();
    let mut renamed: Vec<(Bound<'py, PyDict>, Bound<'py, PyDict>)> = Vec::new();
    for (leaf, text) in changed {
        if leaf.is_key {
            let container = leaf.container.cast::<PyDict>()?;
            let names = match renamed.iter().find(|(c, _)| c.is(container)) {
                Some((_, names)) => names.clone(),
                None => {
                    let names = PyDict::new(py);
                    renamed.push((container.clone(), names.clone()));
                    names
                }
            };
            names.set_item(&leaf.key, text)?;
        } else {
            leaf.container.set_item(&leaf.key, text)?;
        }
    }
    for (container, names) in renamed {
        let items: Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)> = container.iter().collect();
        container.clear();
        for (key, value) in &items {
            match names.get_item(key)? {
                Some(name) => container.set_item(name, value)?,
                None => container.set_item(key, value)?,
            }
        }
        if container.len() != items.len() {
            return Err(PyValueError::new_err(
                "masking made two keys of one JSON object equal",
            ));
        }
    }
    let encoded = encoder.call1((doc,))?.cast_into::<PyBytes>()?;
    let text = std::str::from_utf8(encoded.as_bytes())
        .map_err(|_| PyValueError::new_err("encoded JSON is not UTF-8"))?;
    Ok(PyString::new(py, text))
}

/// `Masker._detect_all`: each unit's values (in order of units that have any), detecting
/// texts not cached and keeping their values in the cache.
fn detect_all<'py>(
    units: &[Unit<'py>],
    cache: &Bound<'py, PyAny>,
    fresh: &Fresh<'py>,
    helpers: &Helpers<'py>,
) -> PyResult<Vec<(usize, Vec<Found<'py>>)>> {
    let cache = Cache::of(cache)?;
    let mut found = Vec::new();
    // The values of each detected leaf of a document, once it has been detected.
    let mut grouped: Vec<(usize, Vec<Detected<'py>>)> = Vec::new();
    for (index, unit) in units.iter().enumerate() {
        let Some(key) = &unit.key else { continue };
        let values = match cache.get(key)? {
            Some(values) => from_python(&values.cast_into::<PyTuple>()?)?,
            None => {
                let (values, tuple) = match unit.group {
                    None => detect_text(unit, fresh, helpers)?,
                    Some(group) => {
                        if !grouped.iter().any(|(g, _)| *g == group) {
                            grouped.push((group, detect_group(units, group, fresh)?));
                        }
                        let (_, all) = grouped.iter().find(|(g, _)| *g == group).expect("added");
                        let position = units
                            .iter()
                            .filter(|u| u.group == Some(group))
                            .position(|u| std::ptr::eq(u, unit))
                            .expect("in its group");
                        all[position].clone()
                    }
                };
                cache.keep(key, &tuple)?;
                values
            }
        };
        if !values.is_empty() {
            found.push((index, values));
        }
    }
    Ok(found)
}

/// A tuple of Python `Value`s, as strings.
fn from_python<'py>(values: &Bound<'py, PyTuple>) -> PyResult<Vec<Found<'py>>> {
    let py = values.py();
    values
        .iter()
        .map(|value| {
            Ok(Found {
                start: value.getattr(intern!(py, "start"))?.extract()?,
                end: value.getattr(intern!(py, "end"))?.extract()?,
                label: value.getattr(intern!(py, "label"))?.cast_into()?,
                key: value.getattr(intern!(py, "key"))?.cast_into()?,
                raw: value.getattr(intern!(py, "raw"))?.cast_into()?,
                needle: value.getattr(intern!(py, "needle"))?.cast_into()?,
            })
        })
        .collect()
}

/// Values as Python `Value`s, for the cache.
fn to_python<'py>(values: &[Found<'py>], fresh: &Fresh<'py>) -> PyResult<Bound<'py, PyTuple>> {
    let py = fresh.value.py();
    let made: Vec<Bound<'py, PyAny>> = values
        .iter()
        .map(|v| {
            fresh
                .value
                .call1((v.start, v.end, &v.label, &v.key, &v.raw, &v.needle))
        })
        .collect::<PyResult<_>>()?;
    PyTuple::new(py, made)
}

/// `Masker._detect_text(unit.view)`: natively with the default detector for ASCII text, and
/// for text without `[` that `detect` folds to ASCII (`detect_folded`).
fn detect_text<'py>(
    unit: &Unit<'py>,
    fresh: &Fresh<'py>,
    helpers: &Helpers<'py>,
) -> PyResult<Detected<'py>> {
    let text = unit.view.to_str()?;
    let found = match fresh.native.as_ref() {
        Some(native) if text.is_ascii() => Some(detect_ascii(native, &unit.view, fresh)?),
        Some(native) if !text.contains('[') => {
            detect_folded(native, &unit.view, text, fresh, helpers)?
        }
        _ => None,
    };
    let Some(found) = found else {
        let tuple = fresh
            .detect_text
            .call1((&unit.view,))?
            .cast_into::<PyTuple>()?;
        return Ok((from_python(&tuple)?, tuple));
    };
    let tuple = to_python(&found, fresh)?;
    Ok((found, tuple))
}

/// `Masker._detect_text(text)` for ASCII `text`: the native detector's spans as values,
/// then the token lookalikes.
fn detect_ascii<'py>(
    native: &Bound<'py, PyAny>,
    text: &Bound<'py, PyString>,
    fresh: &Fresh<'py>,
) -> PyResult<Vec<Found<'py>>> {
    let (py, plain) = (text.py(), text.to_str()?);
    let mut found = Vec::new();
    for (start, end, label) in spans(native, text)? {
        if let Some(value) = ascii_value(py, plain, start, end, label) {
            found.push(value);
        }
    }
    with_lookalikes(text, found, fresh)
}

/// `Masker._detect_text(text)` for a non-ASCII `text` without `[` (no lookalikes): `detect`
/// reads `fold(text)`, which has the same code points; when that is ASCII the native
/// detector finds the spans in it, and each value is cut from `text` by code points as
/// `_detect_text` cuts it (`raw.lower()`, `fold(raw)` when that changes the length, the
/// key's whitespace runs made single spaces). None when the folded text is not ASCII (the
/// Python detector's).
fn detect_folded<'py>(
    native: &Bound<'py, PyAny>,
    view: &Bound<'py, PyString>,
    text: &str,
    fresh: &Fresh<'py>,
    helpers: &Helpers<'py>,
) -> PyResult<Option<Vec<Found<'py>>>> {
    let folded = fresh.fold_text.call1((view,))?.cast_into::<PyString>()?;
    if !folded.to_str()?.is_ascii() {
        return Ok(None);
    }
    let py = view.py();
    // The byte offset of each code point of `text`, then its length.
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(at, _)| at)
        .chain(std::iter::once(text.len()))
        .collect();
    let mut found = Vec::new();
    for (start, end, label) in spans(native, &folded)? {
        let raw = &text[bytes[start]..bytes[end]];
        if let Some(value) = value_of(py, raw, start, end, label, helpers)? {
            found.push(value);
        }
    }
    Ok(Some(found))
}

/// `mask._value`'s `Value(start, end, label, key, raw, needle)` for any `raw`: Python's
/// `raw.lower()` (`fold(raw)` if that changes its length), the key its whitespace runs
/// made single spaces; None if only whitespace.
fn value_of<'py>(
    py: Python<'py>,
    raw: &str,
    start: usize,
    end: usize,
    label: Bound<'py, PyString>,
    helpers: &Helpers<'py>,
) -> PyResult<Option<Found<'py>>> {
    if raw.is_ascii() {
        return Ok(found_value(
            py,
            raw,
            &raw.to_ascii_lowercase(),
            start,
            end,
            label,
        ));
    }
    let raw_py = PyString::new(py, raw);
    let mut needle = raw_py
        .call_method0(intern!(py, "lower"))?
        .cast_into::<PyString>()?;
    if needle.to_str()?.chars().count() != raw.chars().count() {
        needle = helpers.fold.call1((&raw_py,))?.cast_into::<PyString>()?;
    }
    Ok(found_value(py, raw, needle.to_str()?, start, end, label))
}

/// `Masker._detect_leaves` of the detected leaves of the document at slot `group`: natively
/// when all of them and their hints are ASCII and the detector is the default.
#[allow(clippy::type_complexity)]
fn detect_group<'py>(
    units: &[Unit<'py>],
    group: usize,
    fresh: &Fresh<'py>,
) -> PyResult<Vec<Detected<'py>>> {
    let members: Vec<&Unit<'py>> = units.iter().filter(|u| u.group == Some(group)).collect();
    let texts: Vec<&str> = members
        .iter()
        .map(|u| u.view.to_str())
        .collect::<PyResult<_>>()?;
    let ascii = texts.iter().all(|t| t.is_ascii()) && members.iter().all(|u| u.hint.is_ascii());
    let native = fresh.native.as_ref().filter(|_| ascii);
    let Some(native) = native else {
        let py = fresh.value.py();
        let views = PyList::new(py, members.iter().map(|u| &u.view))?;
        let hints = PyList::new(py, members.iter().map(|u| u.hint.as_str()))?;
        let all = fresh.detect_leaves.call1((views, hints))?;
        let mut out = Vec::with_capacity(members.len());
        for values in all.try_iter()? {
            let tuple = values?.cast_into::<PyTuple>()?;
            out.push((from_python(&tuple)?, tuple));
        }
        if out.len() != members.len() {
            return Err(PyValueError::new_err("detected leaves do not match"));
        }
        return Ok(out);
    };
    let py = native.py();
    let mut starts = Vec::with_capacity(members.len());
    let mut joined = String::new();
    for (unit, text) in members.iter().zip(&texts) {
        if !starts.is_empty() {
            joined.push('\n');
        }
        starts.push(joined.len() + unit.hint.len());
        joined.push_str(&unit.hint);
        joined.push_str(text);
    }
    let mut found: Vec<Vec<Found<'py>>> = vec![Vec::new(); members.len()];
    for (start, end, label) in spans(native, &PyString::new(py, &joined))? {
        let mut index = starts.partition_point(|&s| s <= start).saturating_sub(1);
        while index < texts.len() && starts[index] < end {
            let (base, text) = (starts[index], texts[index]);
            let cut = (start.max(base) - base, end.min(base + text.len()) - base);
            if cut.0 < cut.1 {
                if let Some(value) = ascii_value(py, text, cut.0, cut.1, label.clone()) {
                    found[index].push(value);
                }
            }
            index += 1;
        }
    }
    let mut out = Vec::with_capacity(members.len());
    for ((unit, text), mine) in members.iter().zip(&texts).zip(found) {
        let values = if !mine.is_empty() || text.contains('[') {
            with_lookalikes(&unit.view, mine, fresh)?
        } else {
            Vec::new()
        };
        let tuple = to_python(&values, fresh)?;
        out.push((values, tuple));
    }
    Ok(out)
}

/// The native detector's spans of ASCII `text` (`Detector.spans_from_reports`, with no
/// reports: it scans every pattern kind itself), called in Rust: no Python call, list or
/// tuples. Fails if `native` is not a `Detector`, or as the detection fails.
pub fn spans<'py>(
    native: &Bound<'py, PyAny>,
    text: &Bound<'py, PyString>,
) -> PyResult<Vec<(usize, usize, Bound<'py, PyString>)>> {
    let py = native.py();
    let detector = native.cast::<crate::detect_python::Detector>()?.get();
    let text = text.to_str()?;
    let found = detector.ascii_spans(text)?;
    // `_detect_text`'s check, for every caller (ASCII: bytes are code points).
    if found
        .iter()
        .any(|&(start, end, _)| !(start < end && end <= text.len()))
    {
        return Err(PyValueError::new_err(
            "detector returned a span outside its text",
        ));
    }
    Ok(found
        .into_iter()
        .map(|(start, end, label)| (start, end, PyString::intern(py, label)))
        .collect())
}

/// `mask._value(text, start, end, label)` for ASCII text; None if only whitespace.
fn ascii_value<'py>(
    py: Python<'py>,
    text: &str,
    start: usize,
    end: usize,
    label: Bound<'py, PyString>,
) -> Option<Found<'py>> {
    let raw = &text[start..end];
    found_value(py, raw, &raw.to_ascii_lowercase(), start, end, label)
}

/// The `Found` of `raw` at `start..end` with its `needle`: the key is the needle's
/// whitespace runs made single spaces; None if that leaves nothing.
fn found_value<'py>(
    py: Python<'py>,
    raw: &str,
    needle: &str,
    start: usize,
    end: usize,
    label: Bound<'py, PyString>,
) -> Option<Found<'py>> {
    let key: Vec<&str> = needle
        .split(is_py_space)
        .filter(|word| !word.is_empty())
        .collect();
    if key.is_empty() {
        return None;
    }
    Some(Found {
        start,
        end,
        label,
        key: PyString::new(py, &key.join(" ")),
        raw: PyString::new(py, raw),
        needle: PyString::new(py, needle),
    })
}

/// `mask._with_lookalikes` for ASCII text: `found` and the token lookalikes, by position.
fn with_lookalikes<'py>(
    text: &Bound<'py, PyString>,
    mut found: Vec<Found<'py>>,
    fresh: &Fresh<'py>,
) -> PyResult<Vec<Found<'py>>> {
    let plain = text.to_str()?;
    if !plain.contains('[') {
        return Ok(found);
    }
    let shaped = fresh.lookalikes.call1((text,))?.cast_into::<PyList>()?;
    if shaped.is_empty() {
        return Ok(found);
    }
    let py = text.py();
    for lookalike in shaped.iter() {
        let (start, end, label): (usize, usize, Bound<'py, PyString>) = lookalike.extract()?;
        if let Some(value) = ascii_value(py, plain, start, end, label) {
            found.push(value);
        }
    }
    // `Value` order: position, then label, key, raw, needle.
    let mut keyed: Vec<(Order, Found<'py>)> = found
        .into_iter()
        .map(|v| {
            let key = (
                v.start,
                v.end,
                v.label.to_string(),
                v.key.to_string(),
                v.raw.to_string(),
                v.needle.to_string(),
            );
            (key, v)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(keyed.into_iter().map(|(_, v)| v).collect())
}

/// `TokenTable.add`: the token of the value's key, created if new; its needle recorded.
fn add<'py>(
    value: &Found<'py>,
    needles: &Bound<'py, PyDict>,
    counts: &Bound<'py, PyDict>,
    tokens: &Bound<'py, PyDict>,
) -> PyResult<()> {
    let py = needles.py();
    let token = match needles.get_item(&value.key)? {
        Some(token) => token,
        None => {
            let number: u64 = match counts.get_item(&value.label)? {
                Some(count) => count.extract::<u64>()? + 1,
                None => 1,
            };
            counts.set_item(&value.label, number)?;
            let token = PyString::new(py, &format!("[{}_{number}]", value.label.to_str()?));
            tokens.set_item(&token, &value.raw)?;
            needles.set_item(&value.key, &token)?;
            token.into_any()
        }
    };
    if !needles.contains(&value.needle)? {
        needles.set_item(&value.needle, token)?; // `setdefault`
    }
    Ok(())
}
