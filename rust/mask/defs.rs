//! The strings of a request's tool and function definitions: `walk.definitions` of
//! `phiwall.masking.walk` (the reference, and its rules), for the native cold path.
//!
//! Cost: O(schema nodes), one small path per slot. Never raises for a malformed body (what
//! is not a dict, list or str where expected is skipped); a schema or vendor field nested
//! deeper than `walk::MAX_DEPTH` stops with `Stop::Unsupported` (Python walks it).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyList, PyString};

use super::walk::{is_one_of, other_slots, with, Kind, Slot, MAX_DEPTH};
use super::Stop;

/// Schema keywords whose string values are names, not text (`walk._SCHEMA_NAMES`).
const SCHEMA_NAMES: [&str; 7] = [
    "required", "type", "$ref", "$schema", "$id", "pattern", "format",
];
const FUNCTION_FIELDS: [&str; 3] = ["name", "description", "parameters"];

/// `walk.definitions(body)`: `tools` then `functions`.
pub fn definitions<'py>(body: &Bound<'py, PyDict>, found: &mut Vec<Slot<'py>>) -> Result<(), Stop> {
    let py = body.py();
    for field in ["tools", "functions"] {
        let Some(list) = body.get_item(field)? else {
            continue;
        };
        let Ok(list) = list.cast_into::<PyList>() else {
            continue;
        };
        let name = PyString::new(py, field).into_any();
        let tools = field == "tools";
        for (i, definition) in list.iter().enumerate() {
            let Ok(definition) = definition.cast_into::<PyDict>() else {
                continue;
            };
            let index = PyInt::new(py, i).into_any();
            let function = if tools {
                definition.get_item("function")?
            } else {
                Some(definition.clone().into_any())
            };
            if let Some(function) = function.and_then(|f| f.cast_into::<PyDict>().ok()) {
                let mut prefix = vec![name.clone(), index.clone()];
                if tools {
                    prefix.push(PyString::new(py, "function").into_any());
                }
                function_slots(&function, &prefix, found)?;
            }
            if tools {
                let prefix = [name.clone(), index];
                for (key, value) in definition.iter() {
                    if !is_one_of(&key, &["function"]) {
                        other_slots(&key, &value, &prefix, found, 0)?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn function_slots<'py>(
    function: &Bound<'py, PyDict>,
    prefix: &[Bound<'py, PyAny>],
    found: &mut Vec<Slot<'py>>,
) -> Result<(), Stop> {
    let py = function.py();
    if let Some(description) = function.get_item("description")? {
        if let Ok(text) = description.cast_into::<PyString>() {
            let path = with(prefix, PyString::new(py, "description").into_any());
            found.push(Slot {
                path,
                kind: Kind::Text,
                text,
            });
        }
    }
    if let Some(parameters) = function.get_item("parameters")? {
        if parameters.is_instance_of::<PyDict>() || parameters.is_instance_of::<PyList>() {
            let path = with(prefix, PyString::new(py, "parameters").into_any());
            schema_slots(&parameters, &path, found, 0)?;
        }
    }
    for (key, value) in function.iter() {
        if !is_one_of(&key, &FUNCTION_FIELDS) {
            other_slots(&key, &value, prefix, found, 0)?;
        }
    }
    Ok(())
}

/// `walk._schema_slots`: a node's own strings (each `description` as text, other values
/// to sweep, names untouched), then its children's, depth first in order.
fn schema_slots<'py>(
    node: &Bound<'py, PyAny>,
    path: &[Bound<'py, PyAny>],
    found: &mut Vec<Slot<'py>>,
    depth: usize,
) -> Result<(), Stop> {
    if depth >= MAX_DEPTH {
        return Err(Stop::Unsupported);
    }
    let py = node.py();
    let items: Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)> = if let Ok(dict) = node.cast::<PyDict>()
    {
        dict.iter().collect()
    } else if let Ok(list) = node.cast::<PyList>() {
        list.iter()
            .enumerate()
            .map(|(i, v)| (PyInt::new(py, i).into_any(), v))
            .collect()
    } else {
        return Ok(());
    };
    let mut children = Vec::new();
    for (key, value) in items {
        if let Ok(text) = value.cast::<PyString>() {
            let kind = if is_one_of(&key, &["description"]) {
                Kind::Text
            } else if !is_one_of(&key, &SCHEMA_NAMES) {
                Kind::Sweep
            } else {
                continue;
            };
            found.push(Slot {
                path: with(path, key),
                kind,
                text: text.clone(),
            });
        } else if value.is_instance_of::<PyDict>()
            || (value.is_instance_of::<PyList>() && !is_one_of(&key, &SCHEMA_NAMES))
        {
            children.push((key, value)); // a property may be called "type": still walked
        }
    }
    for (key, value) in children {
        schema_slots(&value, &with(path, key), found, depth + 1)?;
    }
    Ok(())
}
