//! `Checkpoints.find` of `phiwall.masking.checkpoints`, natively: the stored checkpoint of
//! a request's longest prefix of messages, looked up by the same keys in the same
//! `OrderedDict` and verified the same way (the prefix and the tool definitions have the
//! digests the checkpoint holds, [`digest`]), with no Python frame per try.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use super::digest;

/// The top-level fields that belong to the conversation besides `messages`
/// (`checkpoints.DEFINITIONS`).
const DEFINITIONS: [&str; 2] = ["tools", "functions"];

/// The checkpoint of the longest stored prefix of `messages` among the `max_new + 1`
/// longest, with its length, now the most recently used; None if there is none.
///
/// `entries` is the `Checkpoints` store's `OrderedDict`. Cost: per prefix tried, one tuple
/// and one dict lookup (hashing the last two texts once); per key hit, the digest of the
/// prefix and of the definitions (one pass over their text). Fails only with what a
/// `dict` lookup raises.
///
/// Exposed to Python as `_native.find_checkpoint` (`_native.pyi`).
#[pyfunction]
#[pyo3(name = "find_checkpoint")]
pub fn find<'py>(
    entries: &Bound<'py, PyDict>,
    request: &Bound<'py, PyDict>,
    messages: &Bound<'py, PyList>,
    max_new: usize,
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
        if matches(&found, request, messages, length)? {
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

/// `Checkpoint.matches`: the digests of `messages[:length]` and of the request's
/// definitions are the checkpoint's `digest` and `definitions`.
fn matches<'py>(
    checkpoint: &Bound<'py, PyAny>,
    request: &Bound<'py, PyDict>,
    messages: &Bound<'py, PyList>,
    length: usize,
) -> PyResult<bool> {
    let py = request.py();
    let Some(prefix) = digest::chain(None, messages, 0, length)? else {
        return Ok(false);
    };
    if checkpoint
        .getattr(intern!(py, "digest"))?
        .extract::<u64>()
        .ok()
        != Some(prefix)
    {
        return Ok(false);
    }
    let Some(shape) = definitions(request)? else {
        return Ok(false);
    };
    Ok(checkpoint
        .getattr(intern!(py, "definitions"))?
        .extract::<u64>()
        .ok()
        == Some(shape))
}

/// `checkpoints.definitions(request)`: the digest of the request's `tools` and `functions`
/// (each present one as its name then its value), or None if they are not JSON data.
pub fn definitions(request: &Bound<'_, PyDict>) -> PyResult<Option<u64>> {
    let present = PyList::empty(request.py());
    for field in DEFINITIONS {
        if let Some(value) = request.get_item(field)? {
            present.append(field)?;
            present.append(value)?;
        }
    }
    digest::chain(None, &present, 0, present.len())
}
