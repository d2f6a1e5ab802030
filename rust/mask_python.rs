//! The masking functions of `phiwall._native`: `mask_resumed`, `mask_fresh` and
//! `word_filter`, `mask`'s paths for Python. Their contracts are in
//! `python/phiwall/_native.pyi`.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::mask::fresh::{Fresh, Masked};
use crate::mask::{self, Helpers, Outcome, Stop};

/// `Masker._mask` resumed from `checkpoint`, then `Masker._masked`, natively:
/// `NotImplemented` if the request is left to Python (nothing was changed), None to mask in
/// full, else `(masked, pending)`: the `MaskedRequest`, and the checkpoint build `settle`
/// runs (`(_point, arguments)`), or None if the new messages are not JSON data.
/// `detectors`, `helpers` and `extras` are `mask_fresh`'s; `finish` is `(TokenTable,
/// MaskedRequest, _point)`.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub fn mask_resumed<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyDict>,
    messages: &Bound<'py, PyList>,
    start: usize,
    checkpoint: &Bound<'py, PyAny>,
    cache: &Bound<'py, PyAny>,
    detectors: &Bound<'py, PyTuple>,
    helpers: &Bound<'py, PyTuple>,
    extras: &Bound<'py, PyTuple>,
    finish: &Bound<'py, PyTuple>,
) -> PyResult<Bound<'py, PyAny>> {
    let helpers = helpers_of(helpers)?;
    let fresh = fresh_of(detectors, extras)?;
    let (table_type, masked_type) = (finish.get_item(0)?, finish.get_item(1)?);
    let point = finish.get_item(2)?;
    let table = copy_table(&checkpoint.getattr(intern!(py, "table"))?, &table_type)?;
    let outcome = mask::mask_resumed(
        request, messages, start, checkpoint, &table, cache, &helpers, &fresh,
    );
    let Masked {
        body,
        mine,
        views,
        outputs,
    } = match outcome {
        Err(Stop::Unsupported) => return Ok(py.NotImplemented().into_bound(py)),
        Err(Stop::Py(error)) => return Err(error),
        Ok(Outcome::Restart) => return Ok(py.None().into_bound(py)),
        Ok(Outcome::Done(masked)) => masked,
    };
    // `Masker._masked` for a resumed request: the digest of the whole list (the new
    // messages chained after the checkpoint's) and its key, the table's copies for the
    // result.
    let tokens = table
        .getattr(intern!(py, "table"))?
        .cast_into::<PyDict>()?
        .copy()?;
    let counts = table
        .getattr(intern!(py, "_counts"))?
        .cast_into::<PyDict>()?
        .copy()?;
    let masked = masked_type.call1((body, tokens, counts))?;
    let shape = checkpoint.getattr(intern!(py, "definitions"))?;
    let before = checkpoint
        .getattr(intern!(py, "digest"))?
        .extract::<u64>()?;
    let after = mask::digest::chain(Some(before), messages, start, messages.len())?;
    let pending = match after {
        Some(after) if !messages.is_empty() => {
            let name = mask::checkpoint::key(messages, messages.len())?;
            let carried = checkpoint.getattr(intern!(py, "edits"))?;
            let arguments = (
                name, after, shape, checkpoint, table, carried, mine, views, outputs,
            );
            PyTuple::new(py, [point, arguments.into_pyobject(py)?.into_any()])?.into_any()
        }
        _ => py.None().into_bound(py),
    };
    Ok(PyTuple::new(py, [masked, pending])?.into_any())
}

/// `TokenTable.copy()` without a Python frame: a new `table_type` instance whose three
/// dicts are copies of `table`'s.
fn copy_table<'py>(
    table: &Bound<'py, PyAny>,
    table_type: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = table.py();
    let copy = table_type.call_method1(intern!(py, "__new__"), (table_type,))?;
    for name in [
        intern!(py, "_counts"),
        intern!(py, "table"),
        intern!(py, "needles"),
    ] {
        let dict = table.getattr(name)?.cast_into::<PyDict>()?.copy()?;
        copy.setattr(name, dict)?;
    }
    Ok(copy)
}

/// `Masker._mask(request, messages, 0, None)`, natively (`mask::fresh`): `NotImplemented`
/// if the request is left to Python (nothing was changed), else `(body, mine, views,
/// outputs)`. `detectors` is `(Masker._detect_text, Masker._detect_leaves, the native
/// Detector or None)`, `extras` `phiwall.mask._EXTRAS` (see `fresh_of`).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub fn mask_fresh<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyDict>,
    messages: &Bound<'py, PyList>,
    table: &Bound<'py, PyAny>,
    cache: &Bound<'py, PyAny>,
    detectors: &Bound<'py, PyTuple>,
    helpers: &Bound<'py, PyTuple>,
    extras: &Bound<'py, PyTuple>,
) -> PyResult<Bound<'py, PyAny>> {
    let helpers = helpers_of(helpers)?;
    let fresh = fresh_of(detectors, extras)?;
    match mask::fresh::mask_fresh(request, messages, table, cache, &helpers, &fresh) {
        Err(Stop::Unsupported) => Ok(py.NotImplemented().into_bound(py)),
        Err(Stop::Py(error)) => Err(error),
        Ok(done) => Ok(PyTuple::new(
            py,
            [
                done.body.into_any(),
                done.mine.into_any(),
                done.views.into_any(),
                done.outputs.into_any(),
            ],
        )?
        .into_any()),
    }
}

/// `phiwall.mask._HELPERS`: (fold, jsontext.parse, cache_key, MaskingFailed).
fn helpers_of<'py>(helpers: &Bound<'py, PyTuple>) -> PyResult<Helpers<'py>> {
    Ok(Helpers {
        fold: helpers.get_item(0)?,
        parse: helpers.get_item(1)?,
        cache_key: helpers.get_item(2)?,
        failed: helpers.get_item(3)?,
    })
}

/// `(Masker._detect_text, Masker._detect_leaves, Detector or None)` and
/// `phiwall.mask._EXTRAS` (Value, lookalikes.find, msgspec.json.encode, detect.fold.fold).
fn fresh_of<'py>(
    detectors: &Bound<'py, PyTuple>,
    extras: &Bound<'py, PyTuple>,
) -> PyResult<Fresh<'py>> {
    let native = detectors.get_item(2)?;
    Ok(Fresh {
        detect_text: detectors.get_item(0)?,
        detect_leaves: detectors.get_item(1)?,
        native: if native.is_none() { None } else { Some(native) },
        value: extras.get_item(0)?,
        lookalikes: extras.get_item(1)?,
        encode: extras.get_item(2)?,
        fold_text: extras.get_item(3)?,
    })
}

/// `Checkpoint.words` after `previous` (None: a conversation's first checkpoint) and the
/// folded `texts`: see `mask::filter`. `b""` (no filter) if `previous` is `b""` or a text
/// holds a lone surrogate: a later checkpoint must not forget earlier words.
#[pyfunction]
pub fn word_filter<'py>(
    py: Python<'py>,
    previous: Option<&[u8]>,
    texts: Vec<Bound<'py, pyo3::types::PyString>>,
) -> Bound<'py, pyo3::types::PyBytes> {
    let empty = || pyo3::types::PyBytes::new(py, b"");
    let mut filter = match previous {
        None => vec![0; mask::filter::BYTES],
        Some(bytes) if bytes.len() == mask::filter::BYTES => bytes.to_vec(),
        Some(_) => return empty(),
    };
    for text in &texts {
        let Ok(text) = text.to_str() else {
            return empty();
        };
        mask::filter::add(&mut filter, text);
    }
    pyo3::types::PyBytes::new(py, &filter)
}
