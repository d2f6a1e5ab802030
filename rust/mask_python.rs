//! The `phiwall._native.mask_resumed` function: `mask::mask_resumed` for Python. Its
//! contract is in `python/phiwall/_native.pyi`.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::mask::{self, Helpers, Outcome, Stop};

/// `Masker._mask` resumed from `checkpoint`, natively: `NotImplemented` if the request is
/// left to Python (nothing was changed), None to mask in full, else
/// `(body, mine, views, outputs)`. `native`, if given, is `(detector, Value, KNOWN_LABELS)`:
/// detect ASCII texts with that native detector directly (`mask::Native`).
#[pyfunction]
#[pyo3(signature = (request, messages, start, checkpoint, table, cache, detect_text, helpers, native=None))]
#[allow(clippy::too_many_arguments)]
pub fn mask_resumed<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyDict>,
    messages: &Bound<'py, PyList>,
    start: usize,
    checkpoint: &Bound<'py, PyAny>,
    table: &Bound<'py, PyAny>,
    cache: &Bound<'py, PyAny>,
    detect_text: &Bound<'py, PyAny>,
    helpers: &Bound<'py, PyTuple>,
    native: Option<&Bound<'py, PyTuple>>,
) -> PyResult<Bound<'py, PyAny>> {
    let native = match native {
        Some(native) => Some(mask::Native {
            detector: native.get_item(0)?,
            value: native.get_item(1)?,
            labels: native.get_item(2)?,
        }),
        None => None,
    };
    let helpers = Helpers {
        fold: helpers.get_item(0)?,
        parse: helpers.get_item(1)?,
        texts: helpers.get_item(2)?,
        cache_key: helpers.get_item(3)?,
        failed: helpers.get_item(4)?,
    };
    let outcome = mask::mask_resumed(
        request,
        messages,
        start,
        checkpoint,
        table,
        cache,
        detect_text,
        &helpers,
        native.as_ref(),
    );
    match outcome {
        Err(Stop::Unsupported) => Ok(py.NotImplemented().into_bound(py)),
        Err(Stop::Py(error)) => Err(error),
        Ok(Outcome::Restart) => Ok(py.None().into_bound(py)),
        Ok(Outcome::Done {
            body,
            mine,
            views,
            outputs,
        }) => Ok(PyTuple::new(
            py,
            [
                body.into_any(),
                mine.into_any(),
                views.into_any(),
                outputs.into_any(),
            ],
        )?
        .into_any()),
    }
}

/// `Masker._mask(request, messages, 0, None)`, natively (`mask::fresh`): `NotImplemented`
/// if the request is left to Python (nothing was changed), else `(body, mine, views,
/// outputs)`. `detectors` is `(Masker._detect_text, Masker._detect_leaves, the native
/// Detector or None)`, `extras` `(cache.Value, lookalikes.find, msgspec.json.encode)`.
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
    let helpers = Helpers {
        fold: helpers.get_item(0)?,
        parse: helpers.get_item(1)?,
        texts: helpers.get_item(2)?,
        cache_key: helpers.get_item(3)?,
        failed: helpers.get_item(4)?,
    };
    let native = detectors.get_item(2)?;
    let fresh = mask::fresh::Fresh {
        detect_text: detectors.get_item(0)?,
        detect_leaves: detectors.get_item(1)?,
        native: if native.is_none() { None } else { Some(native) },
        value: extras.get_item(0)?,
        lookalikes: extras.get_item(1)?,
        encode: extras.get_item(2)?,
    };
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

/// `Checkpoints.find(request, messages)` on the store's `entries`, natively
/// (`mask::checkpoint::find`): `(length, checkpoint)` or None.
#[pyfunction]
pub fn find_checkpoint<'py>(
    entries: &Bound<'py, PyDict>,
    request: &Bound<'py, PyDict>,
    messages: &Bound<'py, PyList>,
    max_new: usize,
    encode: &Bound<'py, PyAny>,
) -> PyResult<Option<(usize, Bound<'py, PyAny>)>> {
    mask::checkpoint::find(entries, request, messages, max_new, encode)
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
