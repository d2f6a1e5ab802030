//! The Python `DetectionCache` (`phiwall.masking.cache`), driven from Rust: its
//! `OrderedDict` read and written with C-API calls, so that a lookup or a store costs no
//! Python frame. Same entries, order and bounds as the class's own `get` and `keep`.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

/// Texts longer than this are cache-keyed by digest (`cache.DIGEST_ABOVE`).
pub const DIGEST_ABOVE: usize = 1024;
/// The 16 bytes of `cache.cache_key`'s digest of a long text: BLAKE2b with a 16-byte
/// output, as `hashlib.blake2b(data, digest_size=16).digest()`. Cost: ~1 µs per KB.
pub fn digest(data: &[u8]) -> [u8; 16] {
    use blake2::digest::consts::U16;
    use blake2::{Blake2b, Digest};
    Blake2b::<U16>::digest(data).into()
}

/// Entries with more values than this are not kept (`cache.MAX_FINDINGS`).
pub const MAX_FINDINGS: usize = 32;

/// A `DetectionCache` borrowed for one request.
pub struct Cache<'py> {
    /// Its `_entries`, an `OrderedDict`: read with `PyDict` calls, written through the
    /// mapping protocol (a plain `PyDict_SetItem` would bypass the order it keeps).
    entries: Bound<'py, PyDict>,
    size: usize,
}

impl<'py> Cache<'py> {
    /// Borrow `cache`'s entries and bound. Fails if it is not a `DetectionCache`.
    pub fn of(cache: &Bound<'py, PyAny>) -> PyResult<Self> {
        let py = cache.py();
        Ok(Cache {
            entries: cache
                .getattr(intern!(py, "_entries"))?
                .cast_into::<PyDict>()?,
            size: cache.getattr(intern!(py, "size"))?.extract()?,
        })
    }

    /// `DetectionCache.get`: the values of `key`, now the most recently used, or None.
    /// Cost: one lookup, and an O(1) move on a hit.
    pub fn get(&self, key: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let found = self.entries.get_item(key)?;
        if found.is_some() {
            self.entries
                .call_method1(intern!(key.py(), "move_to_end"), (key,))?;
        }
        Ok(found)
    }

    /// `DetectionCache.keep`: store `values` under `key` unless too many, evicting the
    /// oldest entries beyond the bound. Cost: one insertion, O(1) per eviction.
    pub fn keep(&self, key: &Bound<'py, PyAny>, values: &Bound<'py, PyTuple>) -> PyResult<()> {
        if self.size == 0 || values.len() > MAX_FINDINGS {
            return Ok(());
        }
        let py = key.py();
        let entries = self.entries.as_any();
        entries.set_item(key, values)?;
        entries.call_method1(intern!(py, "move_to_end"), (key,))?; // a key kept again is the newest
        while self.entries.len() > self.size {
            entries.call_method1(intern!(py, "popitem"), (false,))?; // the oldest: last=False
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::digest;

    fn hex(bytes: [u8; 16]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The digests `hashlib.blake2b(data, digest_size=16)` gives (the Python path's keys).
    #[test]
    fn digest_is_hashlibs_blake2b_of_16_bytes() {
        let long = "José ".repeat(300);
        for (data, expected) in [
            (&b"abc"[..], "cf4ab791c62b8d2b2109c90275287816"),
            (&b""[..], "cae66941d9efbd404e4d88758ea67670"),
            (long.as_bytes(), "2bd69d78c28853192b2eb92277cac2ab"),
        ] {
            assert_eq!(hex(digest(data)), expected);
        }
    }
}
