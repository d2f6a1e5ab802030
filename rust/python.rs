//! The Python classes: `Rehydrator`, and the `RehydratorStream` and `EventStream` it starts.
//!
//! Thin wrappers: argument conversion, error mapping, and handing a chunk back as the very same
//! `str` object when the rewriter passes it through unchanged (the common case in a stream).

use std::borrow::Cow;
use std::sync::Arc;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use crate::completion;
use crate::rewriter::{self, Rewriter};
use crate::sse::Relay;
use crate::table::{Mode, Table};

/// Replaces tokens with the values of one request's token table.
#[pyclass(module = "phiwall._native", frozen)]
pub struct Rehydrator {
    table: Arc<Table>,
}

#[pymethods]
impl Rehydrator {
    #[new]
    fn new(table: &Bound<'_, PyDict>) -> PyResult<Self> {
        let mut entries = Vec::with_capacity(table.len());
        for (position, (key, value)) in table.iter().enumerate() {
            let not_str = |what: &str| {
                PyTypeError::new_err(format!(
                    "token table {what} at position {position} is not a str"
                ))
            };
            let key = key.cast_into::<PyString>().map_err(|_| not_str("key"))?;
            let value = value
                .cast_into::<PyString>()
                .map_err(|_| not_str("value"))?;
            entries.push((key, value));
        }
        // A second pass: the `&str`s borrow from the str objects, which `entries` keeps alive.
        let texts = entries
            .iter()
            .enumerate()
            .map(|(position, (key, value))| {
                Ok((utf8(key, "key", position)?, utf8(value, "value", position)?))
            })
            .collect::<PyResult<Vec<_>>>()?;
        let table = Table::new(texts).map_err(|error| PyValueError::new_err(error.to_string()))?;
        Ok(Self {
            table: Arc::new(table),
        })
    }

    #[pyo3(signature = (text, *, json_string = false))]
    fn replace<'py>(
        &self,
        text: &Bound<'py, PyString>,
        json_string: bool,
    ) -> PyResult<Bound<'py, PyString>> {
        let input = text.to_str()?;
        let output = rewriter::replace(&self.table, mode(json_string), input);
        Ok(into_py_str(text, input, output))
    }

    #[pyo3(signature = (json_string = false))]
    fn stream(&self, json_string: bool) -> RehydratorStream {
        RehydratorStream {
            rewriter: Rewriter::new(Arc::clone(&self.table), mode(json_string)),
            flushed: false,
        }
    }

    fn completion<'py>(&self, body: &Bound<'py, PyBytes>) -> Bound<'py, PyBytes> {
        match completion::rehydrate(&self.table, body.as_bytes()) {
            Some(answer) => PyBytes::new(body.py(), &answer),
            None => body.clone(),
        }
    }

    fn events(&self) -> EventStream {
        EventStream {
            relay: Relay::new(Arc::clone(&self.table)),
            flushed: false,
        }
    }
}

/// One streamed chat completion's SSE bytes being rehydrated; made by `Rehydrator.events()`.
#[pyclass(module = "phiwall._native")]
pub struct EventStream {
    relay: Relay,
    flushed: bool,
}

#[pymethods]
impl EventStream {
    fn feed<'py>(&mut self, chunk: &Bound<'py, PyBytes>) -> PyResult<Bound<'py, PyBytes>> {
        self.check_open("feed")?;
        let py = chunk.py();
        let input = chunk.as_bytes();
        let output = self.relay.feed(input);
        // Most reads while nothing is held: handed back as the very object when unchanged.
        if output == input {
            return Ok(chunk.clone());
        }
        Ok(PyBytes::new(py, &output))
    }

    fn flush<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        self.check_open("flush")?;
        self.flushed = true;
        Ok(PyBytes::new(py, &self.relay.flush()))
    }
}

impl EventStream {
    fn check_open(&self, method: &str) -> PyResult<()> {
        check_open(self.flushed, method, "an EventStream", "events")
    }
}

/// One text being rehydrated chunk by chunk; made by `Rehydrator.stream()`.
#[pyclass(module = "phiwall._native")]
pub struct RehydratorStream {
    rewriter: Rewriter,
    flushed: bool,
}

#[pymethods]
impl RehydratorStream {
    fn feed<'py>(&mut self, chunk: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyString>> {
        self.check_open("feed")?;
        let input = chunk.to_str()?;
        let output = self.rewriter.feed(input);
        Ok(into_py_str(chunk, input, output))
    }

    fn flush<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        self.check_open("flush")?;
        self.flushed = true;
        Ok(PyString::new(py, &self.rewriter.finish()))
    }
}

impl RehydratorStream {
    fn check_open(&self, method: &str) -> PyResult<()> {
        check_open(self.flushed, method, "a RehydratorStream", "stream")
    }
}

/// The ValueError for `method` called on `what` once `flushed`: it names the
/// `Rehydrator.<starter>()` that starts a new one.
fn check_open(flushed: bool, method: &str, what: &str, starter: &str) -> PyResult<()> {
    if flushed {
        return Err(PyValueError::new_err(format!(
            "{method}() on {what} that was already flushed; \
             start a new one with Rehydrator.{starter}()"
        )));
    }
    Ok(())
}

fn mode(json_string: bool) -> Mode {
    if json_string {
        Mode::JsonString
    } else {
        Mode::Plain
    }
}

/// The UTF-8 text of a table entry. A lone surrogate is reported without quoting the text.
fn utf8<'a>(text: &'a Bound<'_, PyString>, what: &str, position: usize) -> PyResult<&'a str> {
    text.to_str().map_err(|_| {
        PyValueError::new_err(format!(
            "token table {what} at position {position} is not valid Unicode (lone surrogate)"
        ))
    })
}

/// `output` as a Python str: `input` itself when `output` is all of it, unchanged.
fn into_py_str<'py>(
    input: &Bound<'py, PyString>,
    text: &str,
    output: Cow<'_, str>,
) -> Bound<'py, PyString> {
    match output {
        // A borrowed output is a slice of `text`; of the same length, it is `text`.
        Cow::Borrowed(same)
            if same.len() == text.len() && input.is_exact_instance_of::<PyString>() =>
        {
            input.clone()
        }
        _ => PyString::new(input.py(), &output),
    }
}
