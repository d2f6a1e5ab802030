//! phiwall's native core: PHI detection, request masking's hot paths, and putting original
//! values back in place of tokens, in streamed text.
//!
//! phiwall masks PHI in a request with tokens such as `[NAME_1]` and keeps a table from token
//! to value. The model's answer arrives in chunks that may cut a token anywhere; this crate
//! replaces the tokens as the chunks pass, holding back no more than the start of one token.
//! The Python package keeps a reference implementation of detection and masking; the native
//! ones are held to it by parity tests.
//!
//! - [`token`]: the grammar, and the variants tolerated (label case, up to two spaces inside
//!   the brackets).
//! - [`table`]: the table, built once per request: keys normalised, values escaped once.
//! - [`trie`]: the flat trie of the table's words, which tells a token's beginning from text.
//! - [`matcher`]: the recogniser, a state machine entered at `[` that rejects a candidate at
//!   the first byte no token of the table can continue with.
//! - [`rewriter`]: `replace` and the streaming [`Rewriter`] (feed / finish).
//! - [`sse`]: a streamed chat completion's SSE bytes rehydrated read by read (the relay).
//! - [`json`]: escaping values inserted into JSON string content (tool-call arguments).
//! - [`jsontree`]: a JSON document that writes back the upstream's bytes where unchanged.
//! - [`completion`]: a whole (non-streamed) chat completion rehydrated.
//! - [`search`]: request masking's known-value search (`find_boundary_matches`).
//! - [`edit`]: request masking's copy-on-write edits of a request (`with_edits`).
//! - [`mask`]: request masking's resumed path (a checkpoint's next request), in one call.
//! - [`detect`]: PHI detection for ASCII text: the pattern scan (Hyperscan's reports, exactly),
//!   the gazetteers, the finders and the overlap rule.
//! - `request`: a decoded chat-completions request's checks, in one call.
//! - `python`, `detect_python`, `mask_python`: the `phiwall._native` bindings; their contract
//!   is in `python/phiwall/_native.pyi`.
//!
//! Matching parses at `[` instead of searching for each token, so the cost does not grow with
//! the table (one trie step per byte of a candidate), and `[NAME_1]` never matches inside
//! `[NAME_10]`: the word is read to its end before it is looked up.
//!
//! In JSON-string mode the text is the escaped content of JSON strings. No escape sequence
//! contains a byte of a token (`\` is not one, and `\"`, `\\`, `\/`, `\b`... `\uXXXX` never
//! contain `[`), and a `\` rejects any open candidate, so tokens are never found inside or
//! across an escape and an escape cut between chunks needs no special care. Only the values
//! change: they are inserted escaped. A token written with escapes (`\u005bNAME_1]`) is not
//! recognised.

use pyo3::prelude::*;

/// Detection and masking allocate many small, short-lived vectors per text, and glibc's
/// malloc took ~10 % of a cold mask's samples (`perf`). With mimalloc, masking measured 4-6 %
/// faster cold, warm, on the load benchmark's requests and paced (`python -m benches.load.ab`),
/// for ~10 MB more resident memory per worker.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod completion;
pub mod detect;
pub(crate) mod detect_python;
pub mod edit;
pub mod json;
pub mod jsontree;
pub mod mask;
mod mask_python;
pub mod matcher;
mod python;
mod request;
pub mod rewriter;
pub mod search;
pub mod sse;
pub mod table;
pub mod token;
pub mod trie;

#[cfg(test)]
mod tests;

pub use rewriter::{replace, Rewriter};
pub use table::{Mode, Table, TableError};

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<python::Rehydrator>()?;
    m.add_class::<python::RehydratorStream>()?;
    m.add_class::<python::EventStream>()?;
    m.add_class::<detect_python::Detector>()?;
    m.add_function(wrap_pyfunction!(edit::with_edits, m)?)?;
    m.add_function(wrap_pyfunction!(search::find_boundary_matches, m)?)?;
    m.add_function(wrap_pyfunction!(mask_python::mask_resumed, m)?)?;
    m.add_function(wrap_pyfunction!(mask_python::mask_fresh, m)?)?;
    m.add_function(wrap_pyfunction!(mask::checkpoint::find, m)?)?;
    m.add_function(wrap_pyfunction!(mask::digest::json_digest, m)?)?;
    m.add_function(wrap_pyfunction!(mask_python::word_filter, m)?)?;
    m.add_function(wrap_pyfunction!(search::find_boundary_matches_per_text, m)?)?;
    m.add_function(wrap_pyfunction!(request::check_chat_request, m)?)?;
    Ok(())
}
