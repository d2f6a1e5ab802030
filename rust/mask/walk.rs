//! Which strings of a request the resumed masking path reads: `phiwall.masking.walk`
//! (the reference, and its rules) for `messages[start:]` and the other top-level fields.
//!
//! Cost: O(fields walked), one small tuple per slot path. Never raises for a malformed
//! body (what is not a dict, list or str where expected is skipped, as in Python); a
//! nesting deeper than `MAX_DEPTH` stops with `Stop::Unsupported` (Python walks it).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyList, PyString};

use super::Stop;

/// How the model reads a slot (`walk.TEXT`, `NAME`, `JSON`, `SWEEP`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Text,
    Name,
    Json,
    Sweep,
}

/// The string `text` at `path` of the request, read as `kind`.
pub struct Slot<'py> {
    pub path: Vec<Bound<'py, PyAny>>,
    pub kind: Kind,
    pub text: Bound<'py, PyString>,
}

/// Nesting walked natively; deeper vendor fields go to the Python path (no stack limit).
pub(super) const MAX_DEPTH: usize = 64;

const IDENTIFIERS: [&str; 5] = ["model", "role", "type", "id", "tool_call_id"];
const OPAQUE: [&str; 6] = [
    "image_url",
    "input_audio",
    "file",
    "audio",
    "logit_bias",
    "tool_choice",
];
const MESSAGE_FIELDS: [&str; 7] = [
    "role",
    "content",
    "name",
    "refusal",
    "tool_calls",
    "function_call",
    "tool_call_id",
];

/// Whether `key` is a `str` equal to one of `names` (Python's `key in frozenset`).
pub(super) fn is_one_of(key: &Bound<'_, PyAny>, names: &[&str]) -> bool {
    match key.cast::<PyString>() {
        Ok(key) => key.to_str().is_ok_and(|key| names.contains(&key)),
        Err(_) => false,
    }
}

fn skipped_other(key: &Bound<'_, PyAny>) -> bool {
    is_one_of(key, &IDENTIFIERS) || is_one_of(key, &OPAQUE)
}

fn skipped_top(key: &Bound<'_, PyAny>) -> bool {
    is_one_of(key, &["messages", "tools", "functions"]) || skipped_other(key)
}

pub(super) fn with<'py>(
    prefix: &[Bound<'py, PyAny>],
    step: Bound<'py, PyAny>,
) -> Vec<Bound<'py, PyAny>> {
    let mut path = Vec::with_capacity(prefix.len() + 1);
    path.extend_from_slice(prefix);
    path.push(step);
    path
}

/// `walk.conversation(messages, start)`.
pub fn conversation<'py>(
    messages: &Bound<'py, PyList>,
    start: usize,
    found: &mut Vec<Slot<'py>>,
) -> Result<(), Stop> {
    let py = messages.py();
    let root = PyString::new(py, "messages").into_any();
    for i in start..messages.len() {
        let message = messages.get_item(i)?;
        if let Ok(message) = message.cast::<PyDict>() {
            let prefix = [root.clone(), PyInt::new(py, i).into_any()];
            message_slots(message, &prefix, found)?;
        }
    }
    Ok(())
}

/// Whether a message's role is a result role (`tool`, `function`): its texts may be JSON.
fn is_result(role: Option<Bound<'_, PyAny>>) -> bool {
    role.is_some_and(|role| is_one_of(&role, &["tool", "function"]))
}

fn message_slots<'py>(
    message: &Bound<'py, PyDict>,
    prefix: &[Bound<'py, PyAny>; 2],
    found: &mut Vec<Slot<'py>>,
) -> Result<(), Stop> {
    let py = message.py();
    let step = |name: &str| PyString::new(py, name).into_any();
    let content = message.get_item("content")?;
    let text = content
        .as_ref()
        .and_then(|c| c.cast::<PyString>().ok().cloned());
    if let Some(text) = &text {
        if message.len() == 2 && message.contains("role")? {
            let kind = if is_result(message.get_item("role")?) {
                Kind::Json
            } else {
                Kind::Text
            };
            let path = with(prefix, step("content"));
            found.push(Slot {
                path,
                kind,
                text: text.clone(),
            });
            return Ok(());
        }
    }
    if let Some(name) = message.get_item("name")? {
        if let Ok(name) = name.cast_into::<PyString>() {
            found.push(Slot {
                path: with(prefix, step("name")),
                kind: Kind::Name,
                text: name,
            });
        }
    }
    let kind = if is_result(message.get_item("role")?) {
        Kind::Json
    } else {
        Kind::Text
    };
    if let Some(text) = text {
        found.push(Slot {
            path: with(prefix, step("content")),
            kind,
            text,
        });
    } else if let Some(parts) = content.as_ref().and_then(|c| c.cast::<PyList>().ok()) {
        for (j, part) in parts.iter().enumerate() {
            let Ok(part) = part.cast::<PyDict>() else {
                continue;
            };
            if let Some(text) = part.get_item("text")? {
                if let Ok(text) = text.cast_into::<PyString>() {
                    let mut path = with(prefix, step("content"));
                    path.push(PyInt::new(py, j).into_any());
                    path.push(step("text"));
                    found.push(Slot { path, kind, text });
                }
            }
        }
    }
    if let Some(refusal) = message.get_item("refusal")? {
        if let Ok(text) = refusal.cast_into::<PyString>() {
            found.push(Slot {
                path: with(prefix, step("refusal")),
                kind: Kind::Text,
                text,
            });
        }
    }
    if let Some(calls) = message.get_item("tool_calls")? {
        if let Ok(calls) = calls.cast::<PyList>() {
            for (k, call) in calls.iter().enumerate() {
                let Ok(call) = call.cast::<PyDict>() else {
                    continue;
                };
                let Some(function) = call.get_item("function")? else {
                    continue;
                };
                let Ok(function) = function.cast::<PyDict>() else {
                    continue;
                };
                let Some(args) = function.get_item("arguments")? else {
                    continue;
                };
                if let Ok(text) = args.cast_into::<PyString>() {
                    let mut path = with(prefix, step("tool_calls"));
                    path.extend([
                        PyInt::new(py, k).into_any(),
                        step("function"),
                        step("arguments"),
                    ]);
                    found.push(Slot {
                        path,
                        kind: Kind::Json,
                        text,
                    });
                }
            }
        }
    }
    if let Some(legacy) = message.get_item("function_call")? {
        if let Ok(legacy) = legacy.cast::<PyDict>() {
            if let Some(args) = legacy.get_item("arguments")? {
                if let Ok(text) = args.cast_into::<PyString>() {
                    let mut path = with(prefix, step("function_call"));
                    path.push(step("arguments"));
                    found.push(Slot {
                        path,
                        kind: Kind::Json,
                        text,
                    });
                }
            }
        }
    }
    for (key, value) in message.iter() {
        if !is_one_of(&key, &MESSAGE_FIELDS) {
            other_slots(&key, &value, prefix, found, 0)?;
        }
    }
    Ok(())
}

/// `walk.others(body)`: the top-level fields besides tools, functions and messages.
pub fn others<'py>(body: &Bound<'py, PyDict>, found: &mut Vec<Slot<'py>>) -> Result<(), Stop> {
    for (key, value) in body.iter() {
        if !skipped_top(&key)
            && (value.is_instance_of::<PyString>()
                || value.is_instance_of::<PyDict>()
                || value.is_instance_of::<PyList>())
        {
            other_slots(&key, &value, &[], found, 0)?;
        }
    }
    Ok(())
}

/// `walk._other_slots`: every string under `value` as `SWEEP`, in document order (a
/// child's strings before its later siblings'), identifiers and opaque fields skipped.
pub(super) fn other_slots<'py>(
    key: &Bound<'py, PyAny>,
    value: &Bound<'py, PyAny>,
    prefix: &[Bound<'py, PyAny>],
    found: &mut Vec<Slot<'py>>,
    depth: usize,
) -> Result<(), Stop> {
    if skipped_other(key) {
        return Ok(());
    }
    if let Ok(text) = value.cast::<PyString>() {
        let path = with(prefix, key.clone());
        found.push(Slot {
            path,
            kind: Kind::Sweep,
            text: text.clone(),
        });
        return Ok(());
    }
    if depth >= MAX_DEPTH {
        return Err(Stop::Unsupported);
    }
    let path = with(prefix, key.clone());
    if let Ok(dict) = value.cast::<PyDict>() {
        for (inner, child) in dict.iter() {
            other_slots(&inner, &child, &path, found, depth + 1)?;
        }
    } else if let Ok(list) = value.cast::<PyList>() {
        for (index, child) in list.iter().enumerate() {
            let inner = PyInt::new(value.py(), index).into_any();
            other_slots(&inner, &child, &path, found, depth + 1)?;
        }
    }
    Ok(())
}
