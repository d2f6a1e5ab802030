//! `Checkpoints.find` of `phiwall.masking.checkpoints`, natively: the stored checkpoint of
//! a request's longest prefix of messages, looked up by the same keys in the same
//! `OrderedDict` and verified the same way (the prefix and the tool definitions encode to
//! the bytes the checkpoint holds), with no Python frame per try.

use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

/// The top-level fields that belong to the conversation besides `messages`
/// (`checkpoints.DEFINITIONS`).
const DEFINITIONS: [&str; 2] = ["tools", "functions"];

/// The checkpoint of the longest stored prefix of `messages` among the `max_new + 1`
/// longest, with its length, now the most recently used; None if there is none.
///
/// `entries` is the `Checkpoints` store's `OrderedDict`, `encode` `msgspec.json.encode`.
/// Cost: per prefix tried, one tuple and one dict lookup (hashing the last two texts once);
/// per key hit, one JSON encoding of the prefix and of the definitions, compared as bytes.
/// Fails only with what a `dict` lookup or `encode` raises beyond what JSON cannot hold.
///
/// Exposed to Python as `_native.find_checkpoint` (`_native.pyi`).
#[pyfunction]
#[pyo3(name = "find_checkpoint")]
pub fn find<'py>(
    entries: &Bound<'py, PyDict>,
    request: &Bound<'py, PyDict>,
    messages: &Bound<'py, PyList>,
    max_new: usize,
    encode: &Bound<'py, PyAny>,
) -> PyResult<Option<(usize, Bound<'py, PyAny>)>> {
    if entries.is_empty() {
        return Ok(None);
    }
    let count = messages.len();
    let lowest = count.saturating_sub(max_new + 1);
    for length in (lowest + 1..=count).rev() {
        let name = key(messages, length)?;
        let Some(found) = entries.get_item(&name)? else {
            continue;
        };
        if matches(&found, request, messages, length, encode)? {
            entries.call_method1(intern!(entries.py(), "move_to_end"), (&name,))?;
            return Ok(Some((length, found)));
        }
    }
    Ok(None)
}

/// `checkpoints.key(messages, length)`: `(length, text of the last, text of the one before
/// or None)`, a text being a message's `content` when it is a str.
pub fn key<'py>(messages: &Bound<'py, PyList>, length: usize) -> PyResult<Bound<'py, PyTuple>> {
    let py = messages.py();
    let before = if length > 1 {
        text(&messages.get_item(length - 2)?)?
    } else {
        None
    };
    let last = text(&messages.get_item(length - 1)?)?;
    PyTuple::new(
        py,
        [
            length.into_pyobject(py)?.into_any(),
            or_none(py, last),
            or_none(py, before),
        ],
    )
}

fn or_none<'py>(py: Python<'py>, text: Option<Bound<'py, PyAny>>) -> Bound<'py, PyAny> {
    text.unwrap_or_else(|| py.None().into_bound(py))
}

/// `checkpoints._text`: the message's `content` if the message is a dict and it is a str.
fn text<'py>(message: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    let Ok(message) = message.cast::<PyDict>() else {
        return Ok(None);
    };
    let content = message.get_item(intern!(message.py(), "content"))?;
    Ok(content.filter(|c| c.is_instance_of::<PyString>()))
}

/// `Checkpoint.matches`: `messages[:length]` and the request's definitions encode to the
/// checkpoint's `snapshot` and `definitions` bytes.
fn matches<'py>(
    checkpoint: &Bound<'py, PyAny>,
    request: &Bound<'py, PyDict>,
    messages: &Bound<'py, PyList>,
    length: usize,
    encode: &Bound<'py, PyAny>,
) -> PyResult<bool> {
    let py = request.py();
    let prefix = messages.get_slice(0, length);
    if !same(
        encode,
        prefix.as_any(),
        &checkpoint.getattr(intern!(py, "snapshot"))?,
    )? {
        return Ok(false);
    }
    let present = PyDict::new(py);
    for field in DEFINITIONS {
        if let Some(value) = request.get_item(field)? {
            present.set_item(field, value)?;
        }
    }
    same(
        encode,
        present.as_any(),
        &checkpoint.getattr(intern!(py, "definitions"))?,
    )
}

/// `checkpoints.snapshot(value)`: `value` as JSON bytes, or None if JSON cannot hold it.
pub fn snapshot<'py>(
    encode: &Bound<'py, PyAny>,
    value: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyBytes>>> {
    let py = value.py();
    match encode.call1((value,)) {
        Ok(encoded) => Ok(Some(encoded.cast_into::<PyBytes>()?)),
        Err(error) if unencodable(py, &error) => Ok(None),
        Err(error) => Err(error),
    }
}

fn unencodable(py: Python<'_>, error: &PyErr) -> bool {
    error.is_instance_of::<PyTypeError>(py)
        || error.is_instance_of::<PyValueError>(py)
        || error.is_instance_of::<PyOverflowError>(py)
}

/// Whether `value` encodes to `expected` (bytes); false if JSON cannot hold `value`
/// (`checkpoints._UNENCODABLE`: the Python side's None never equals bytes).
fn same<'py>(
    encode: &Bound<'py, PyAny>,
    value: &Bound<'py, PyAny>,
    expected: &Bound<'py, PyAny>,
) -> PyResult<bool> {
    let Some(encoded) = snapshot(encode, value)? else {
        return Ok(false);
    };
    Ok(expected
        .cast::<PyBytes>()
        .is_ok_and(|expected| encoded.as_bytes() == expected.as_bytes()))
}
