//! A decoded chat-completions request checked and trimmed in one call: the native twin of
//! `phiwall.proxy.request.parse_chat_request`'s checks (its Python body is the reference).
//!
//! Right after the body arrives a turn's caches are cold, and the reference's loop over the
//! messages, its type checks and its field removals run a few hundred bytecodes whose
//! interpreter paths must come from memory first. This does the same work as a handful of
//! C-API calls on the dict. It only accepts: anything the reference would refuse (or that
//! is not exactly the shapes msgspec decodes to) gives `None`, and the caller runs the
//! reference, which raises the precise error. Fields are removed only once every check has
//! passed, so a refused payload is left as it came.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString, PyTuple};

/// What the reference returns besides the payload: `(stream, model, session_id)`.
type Checked<'py> = (bool, Bound<'py, PyAny>, Bound<'py, PyAny>);

/// `(stream, model, session_id)` of `payload`, with `platform_fields` removed from it, or
/// `None` (nothing removed) if the reference must decide.
///
/// `session_keys` are `(field, key)` pairs, tried in order: the first `payload[field][key]`
/// that is a string of 1 to `max_session_id` code points is the session id. Cost: one dict
/// lookup per message and per key, no allocation. Fails only if a key's hash or comparison
/// raises (never for msgspec's output).
#[pyfunction]
pub fn check_chat_request<'py>(
    payload: &Bound<'py, PyAny>,
    platform_fields: &Bound<'py, PyTuple>,
    session_keys: &Bound<'py, PyTuple>,
    max_session_id: usize,
) -> PyResult<Option<Checked<'py>>> {
    let py = payload.py();
    let Ok(payload) = payload.cast_exact::<PyDict>() else {
        return Ok(None);
    };
    if !messages_are_valid(payload)? {
        return Ok(None);
    }
    let model = match payload.get_item(intern!(py, "model"))? {
        None => py.None().into_bound(py),
        Some(model) if model.is_none() || model.is_exact_instance_of::<PyString>() => model,
        Some(_) => return Ok(None),
    };
    let stream = match payload.get_item(intern!(py, "stream"))? {
        None => false,
        Some(stream) if stream.is_none() => false,
        Some(stream) => match stream.cast_exact::<PyBool>() {
            Ok(stream) => stream.is_true(),
            Err(_) => return Ok(None),
        },
    };
    let Some(session) = session_id(payload, session_keys, max_session_id)? else {
        return Ok(None);
    };
    for field in platform_fields.iter() {
        if payload.contains(&field)? {
            payload.del_item(&field)?;
        }
    }
    Ok(Some((stream, model, session)))
}

/// `_check_messages` accepting: a non-empty list of dicts, each with a string `role` and a
/// `content` that is absent, null, a string or a list (exact types, as msgspec decodes).
fn messages_are_valid(payload: &Bound<'_, PyDict>) -> PyResult<bool> {
    let py = payload.py();
    let Some(messages) = payload.get_item(intern!(py, "messages"))? else {
        return Ok(false);
    };
    let Ok(messages) = messages.cast_exact::<PyList>() else {
        return Ok(false);
    };
    if messages.is_empty() {
        return Ok(false);
    }
    for message in messages.iter() {
        let Ok(message) = message.cast_exact::<PyDict>() else {
            return Ok(false);
        };
        match message.get_item(intern!(py, "role"))? {
            Some(role) if role.is_exact_instance_of::<PyString>() => {}
            _ => return Ok(false),
        }
        if let Some(content) = message.get_item(intern!(py, "content"))? {
            let valid = content.is_none()
                || content.is_exact_instance_of::<PyString>()
                || content.is_exact_instance_of::<PyList>();
            if !valid {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// `_session_id`: `Some` of the first short string id found under `session_keys` (or of
/// None), or `None` for a container that is a dict subclass, whose `get` the reference calls.
fn session_id<'py>(
    payload: &Bound<'py, PyDict>,
    session_keys: &Bound<'py, PyTuple>,
    max_session_id: usize,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let py = payload.py();
    for pair in session_keys.iter() {
        let (field, key): (Bound<'py, PyAny>, Bound<'py, PyAny>) = pair.extract()?;
        let Some(container) = payload.get_item(&field)? else {
            continue;
        };
        if !container.is_instance_of::<PyDict>() {
            continue;
        }
        let Ok(container) = container.cast_exact::<PyDict>() else {
            return Ok(None);
        };
        if let Some(value) = container.get_item(&key)? {
            if value.is_instance_of::<PyString>() && (1..=max_session_id).contains(&value.len()?) {
                return Ok(Some(value));
            }
        }
    }
    Ok(Some(py.None().into_bound(py)))
}
