//! The Python class `Detector`: the native detector behind `phiwall.detect` for ASCII text.

use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::marker::Ungil;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};

use crate::detect::candidate::{Candidate, Hit, Kind, Label};
use crate::detect::lexicon::Lexicon;
use crate::detect::scanner::Scanner;
use crate::detect::{hits, names, places, spelling, Detector as Engine};

/// PHI detection for ASCII text, after Python's Hyperscan pass (of the patterns it was not
/// given: those it scans itself, `scanner`).
#[pyclass(module = "phiwall._native", frozen)]
pub struct Detector {
    engine: Engine,
    scanner: Option<Scanner>,
}

/// Texts longer than this (bytes) are detected with the GIL released. Shorter ones keep it:
/// releasing it for a few µs of work could hand it to another thread mid-request.
const DETACH_ABOVE: usize = 16 * 1024;

/// `work` on `text`, with the GIL released if `text` is longer than [`DETACH_ABOVE`].
fn detached<T: Ungil>(py: Python<'_>, text: &str, work: impl Ungil + FnOnce() -> T) -> T {
    if text.len() > DETACH_ABOVE {
        py.detach(work)
    } else {
        work()
    }
}

impl Detector {
    /// `spans_from_reports(text, [])` for Rust callers (the masking paths): the spans of
    /// ASCII `text` as `(start, end, label)`, every pattern kind scanned natively. Cost: the
    /// detection itself, with no Python objects. Fails if `text` is not ASCII or a pattern
    /// scan fails.
    pub(crate) fn ascii_spans(&self, text: &str) -> PyResult<Spans> {
        ascii(text)?;
        let mut reports = Reports::new();
        if let Some(scanner) = &self.scanner {
            scanner
                .reports(text.as_bytes(), &mut reports)
                .map_err(PyRuntimeError::new_err)?;
        }
        let hits = checked(text, &pruned(reports)?)?;
        Ok(spans_of(&self.engine.spans(text, &hits)))
    }
}

type Reports = Vec<(usize, i64, u32)>;
type Hits = Vec<(usize, usize, u32)>;

type Spans = Vec<(usize, usize, &'static str)>;
/// Spans for Python: each label one of [`LABELS`].
type PySpans = Vec<(usize, usize, Py<PyString>)>;
type Candidates = Vec<(usize, usize, &'static str, f64)>;

#[pymethods]
impl Detector {
    #[new]
    #[pyo3(signature = (lexicon, drug_endings, patterns=None))]
    fn new(
        lexicon: &Bound<'_, PyDict>,
        drug_endings: Vec<String>,
        patterns: Option<Vec<(u32, String)>>,
    ) -> PyResult<Self> {
        let mut entries = Vec::with_capacity(lexicon.len());
        for (word, flags) in lexicon.iter() {
            let word = word
                .cast_into::<PyString>()
                .map_err(|_| PyTypeError::new_err("lexicon keys must be str"))?;
            entries.push((word.to_str()?.to_owned(), flags.extract::<u32>()?));
        }
        let lexicon = Lexicon::new(entries, drug_endings).map_err(PyValueError::new_err)?;
        let scanner = match patterns {
            None => None,
            Some(patterns) => {
                if let Some(&(kind, _)) = patterns.iter().find(|p| Kind::from_index(p.0).is_none())
                {
                    return Err(PyValueError::new_err(format!("no pattern kind {kind}")));
                }
                Some(Scanner::new(&patterns).map_err(PyValueError::new_err)?)
            }
        };
        Ok(Detector {
            engine: Engine::new(lexicon),
            scanner,
        })
    }

    /// The spans of ASCII `text` given its `patterns.scan` hits as (start, end, kind) ints.
    fn spans(
        &self,
        py: Python<'_>,
        text: &str,
        hits: Vec<(usize, usize, u32)>,
    ) -> PyResult<PySpans> {
        let hits = checked(text, &hits)?;
        let found = detached(py, text, || self.engine.spans(text, &hits));
        Ok(py_spans(py, &found))
    }

    /// `spans` from Hyperscan's raw reports (`patterns.reports`: (start, -end, kind),
    /// unsorted), pruned here exactly as `patterns.scan` prunes them: sorted, and a report
    /// ending within an earlier one of the same kind from the same or an earlier start
    /// dropped. Saves the Python side its sort and loop. The reports of the patterns given
    /// at construction are computed here (`scanner`), so `reports` need only hold the
    /// others' (any of theirs it holds are duplicates, which the prune drops).
    fn spans_from_reports(
        &self,
        py: Python<'_>,
        text: &str,
        reports: Reports,
    ) -> PyResult<PySpans> {
        let hits = self.hits_from_reports(py, text, reports)?;
        self.spans(py, text, hits)
    }

    /// The pruned hits `spans_from_reports` detects from, as `(start, end, kind)` in
    /// `patterns.scan`'s order: for parity tests and benchmarks.
    fn hits_from_reports(
        &self,
        py: Python<'_>,
        text: &str,
        mut reports: Reports,
    ) -> PyResult<Hits> {
        if let Some(scanner) = &self.scanner {
            ascii(text)?;
            detached(py, text, || scanner.reports(text.as_bytes(), &mut reports))
                .map_err(PyRuntimeError::new_err)?;
        }
        pruned(reports)
    }

    /// Every candidate before thresholds and overlaps (`engine.candidates`), for parity tests.
    fn candidates(&self, text: &str, hits: Vec<(usize, usize, u32)>) -> PyResult<Candidates> {
        let hits = checked(text, &hits)?;
        Ok(listed(&self.engine.candidates(text, &hits)))
    }

    /// One finder's candidates: "names", "places" or "spelling", for parity tests.
    fn finder(&self, name: &str, text: &str) -> PyResult<Candidates> {
        ascii(text)?;
        let lexicon = &self.engine.lexicon;
        let scan = lexicon.scan(text);
        let found = match name {
            "names" => names::find(lexicon, text, &scan),
            "places" => places::find(lexicon, text, &scan),
            "spelling" => spelling::find(lexicon, text, &scan),
            _ => return Err(PyValueError::new_err(format!("no finder {name:?}"))),
        };
        Ok(listed(&found))
    }

    /// The hit handlers' candidates alone, given the places found before, for parity tests.
    fn hit_candidates(
        &self,
        text: &str,
        hits: Vec<(usize, usize, u32)>,
        place_values: Vec<(usize, usize)>,
    ) -> PyResult<Candidates> {
        let hits = checked(text, &hits)?;
        let mut out = Vec::new();
        hits::candidates(&self.engine.lexicon, text, &hits, &place_values, &mut out);
        Ok(listed(&out))
    }

    /// The gazetteer phrase hits of ASCII `text` (`gazetteer.scan`), for parity tests.
    fn scan(&self, text: &str) -> PyResult<Vec<(usize, usize, u32)>> {
        ascii(text)?;
        let scan = self.engine.lexicon.scan(text);
        Ok(scan.iter().map(|h| (h.start, h.end, h.flags)).collect())
    }
}

/// `reports` sorted and pruned as `patterns.scan` prunes them: a report ending within an
/// earlier one of the same kind from the same or an earlier start is dropped.
fn pruned(mut reports: Reports) -> PyResult<Hits> {
    reports.sort_unstable();
    let mut reach = [-1i64; 17];
    let mut hits = Vec::with_capacity(reports.len());
    for (start, neg_end, kind) in reports {
        let Some(seen) = reach.get_mut(kind as usize) else {
            return Err(PyValueError::new_err(format!("no pattern kind {kind}")));
        };
        if *seen >= -neg_end {
            continue; // a shorter report of the same match, or nested in a longer one
        }
        *seen = -neg_end;
        hits.push((start, (-neg_end).max(0) as usize, kind));
    }
    Ok(hits)
}

fn ascii(text: &str) -> PyResult<()> {
    if text.is_ascii() {
        Ok(())
    } else {
        Err(PyValueError::new_err(
            "the native detector reads ASCII text only",
        ))
    }
}

fn checked(text: &str, hits: &[(usize, usize, u32)]) -> PyResult<Vec<Hit>> {
    ascii(text)?;
    hits.iter()
        .map(|&(start, end, kind)| {
            let kind = Kind::from_index(kind)
                .ok_or_else(|| PyValueError::new_err(format!("no pattern kind {kind}")))?;
            if start > end || end > text.len() {
                return Err(PyValueError::new_err(format!(
                    "hit {start}..{end} is outside a text of {} characters",
                    text.len()
                )));
            }
            Ok(Hit { start, end, kind })
        })
        .collect()
}

fn spans_of(found: &[Candidate]) -> Spans {
    found
        .iter()
        .map(|c| (c.start, c.end, c.label.as_str()))
        .collect()
}

/// The fifteen labels as Python strings, made once per process.
static LABELS: PyOnceLock<[Py<PyString>; 15]> = PyOnceLock::new();

/// `found` as Python's spans: each label a new reference to one of [`LABELS`], not a new
/// string per span (a reference count, where a string costs an allocation and a UTF-8
/// decode). Never fails.
fn py_spans(py: Python<'_>, found: &[Candidate]) -> PySpans {
    let labels = LABELS.get_or_init(py, || {
        Label::ALL.map(|label| PyString::intern(py, label.as_str()).unbind())
    });
    found
        .iter()
        .map(|c| (c.start, c.end, labels[c.label as usize].clone_ref(py)))
        .collect()
}

fn listed(found: &[Candidate]) -> Candidates {
    found
        .iter()
        .map(|c| (c.start, c.end, c.label.as_str(), c.score))
        .collect()
}
