//! Copy-on-write edits of a decoded JSON request: `phiwall.masking.edit.with_edits` (the
//! Python reference, and its contract) at native speed, since a resumed conversation writes
//! every field masked in its earlier turns into each new request again.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

/// `value.copy()`, without the method lookup for a dict or a list.
fn shallow_copy<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if let Ok(dict) = value.cast::<PyDict>() {
        return Ok(dict.copy()?.into_any());
    }
    if let Ok(list) = value.cast::<PyList>() {
        return Ok(list.get_slice(0, list.len()).into_any());
    }
    value.call_method0(intern!(value.py(), "copy"))
}

/// A copy of `body` with the string at each path replaced; `body` is not changed.
///
/// Only the containers on an edited path are copied (shallowly, once each, by their `copy()`
/// method); everything else is shared with `body`. The top-level dict is always a new one.
/// Raises what indexing raises (`KeyError`, `IndexError`, `TypeError`) if a path, its last
/// step included, does not exist in `body`.
#[pyfunction]
pub fn with_edits<'py>(
    body: &Bound<'py, PyDict>,
    edits: Vec<(Bound<'py, PyTuple>, Bound<'py, PyAny>)>,
) -> PyResult<Bound<'py, PyDict>> {
    apply(body, &edits)
}

/// `with_edits`, borrowing the edits (the masking paths read them again afterwards).
pub fn apply<'py>(
    body: &Bound<'py, PyDict>,
    edits: &[(Bound<'py, PyTuple>, Bound<'py, PyAny>)],
) -> PyResult<Bound<'py, PyDict>> {
    let root = body.copy()?;
    // By the address of the original container (`body` keeps every original alive): a
    // list, not a hash map, since a request copies a few dozen containers at most and a
    // scan of their addresses costs less than hashing each step's.
    let mut copies: Vec<(usize, Bound<'py, PyAny>)> =
        vec![(body.as_ptr() as usize, root.clone().into_any())];
    for (path, value) in edits {
        let steps = path.len();
        if steps == 0 {
            return Err(pyo3::exceptions::PyIndexError::new_err("an empty path"));
        }
        let mut original = body.clone().into_any();
        let mut node = root.clone().into_any();
        for step in path.iter().take(steps - 1) {
            original = original.get_item(&step)?;
            let address = original.as_ptr() as usize;
            // The newest copies first: consecutive edits share their containers.
            let child = match copies.iter().rev().find(|(at, _)| *at == address) {
                Some((_, child)) => child.clone(),
                None => {
                    let child = shallow_copy(&original)?;
                    node.set_item(&step, &child)?;
                    copies.push((address, child.clone()));
                    child
                }
            };
            node = child;
        }
        let last = path.get_item(steps - 1)?;
        original.get_item(&last)?; // only ever replaces: a missing field raises
        node.set_item(last, value)?;
    }
    Ok(root)
}
