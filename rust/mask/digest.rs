//! A checkpoint's fingerprint of the messages it was made from: a keyed digest of JSON
//! data held in Python objects, which a longer list continues.
//!
//! A resumed request is verified against its checkpoint by this digest instead of by
//! encoding its history to JSON and comparing the bytes: the walk reads the request's
//! objects (just decoded, so in cache) and only 8 bytes of the checkpoint, where the
//! encoding wrote ~6 KB and compared them with ~6 KB of the checkpoint's, cold by then.
//!
//! The walk turns the values into a prefix-free sequence of 64-bit words: each value a
//! tag word (its type, and its length for a str, list or dict), a str then its UTF-8 bytes
//! 8 to a word, dict keys in order. Each top-level value's words are hashed UMAC-style:
//! NH over blocks of [`BLOCK`] words (`sum of (a + k) * (b + k')` over pairs, keys drawn
//! per process), then each block's 128-bit sum and length into a polynomial hash modulo the
//! prime 2^61 - 1 at a point drawn per process, started from a nonzero constant. Two
//! different lists then collide with a chance of about `n / 2^61` for `n` blocks (NH adds
//! 2^-64 per block), whatever the requests hold: they never see a key nor a digest. The
//! digest is stricter than "encodes to the same JSON": `1` and `1.0`, `true` and `1` differ,
//! as in JSON. Values that are not exactly JSON's types as msgspec encodes them (a `str`
//! subclass, a tuple, a non-str key, an `int` beyond 64 bits, a lone surrogate, nesting
//! deeper than [`MAX_DEPTH`]) have no digest: a request holding one is never resumed.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::ptr::{addr_of_mut, null_mut};
use std::sync::OnceLock;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyList;

/// Deeper values have no digest (a request's JSON nests a few levels; the bound keeps a
/// list that holds itself from recursing without end).
pub const MAX_DEPTH: usize = 256;

/// The Mersenne prime 2^61 - 1: the digest's field.
const PRIME: u64 = (1 << 61) - 1;
/// The digest of no values, where every chain starts (nonzero, so that sequences of
/// different lengths hash as polynomials of different degrees).
const START: u64 = 0x0068_6977_616c_6c01;
/// Words per NH block (an even number: NH multiplies pairs).
pub const BLOCK: usize = 64;

const TAG_STR: u64 = 1;
const TAG_KEY: u64 = 2;
const TAG_DICT: u64 = 3;
const TAG_LIST: u64 = 4;
const TAG_NULL: u64 = 5;
const TAG_TRUE: u64 = 6;
const TAG_FALSE: u64 = 7;
const TAG_INT: u64 = 8;
const TAG_UINT: u64 = 9;
const TAG_FLOAT: u64 = 10;

/// This process's keys: the polynomial's point, in `1..PRIME`, and NH's key words, drawn
/// once from the OS's randomness (SipHash outputs under a random `RandomState` key).
fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let random = RandomState::new();
        let mut words = [0; BLOCK];
        for (index, word) in words.iter_mut().enumerate() {
            *word = random.hash_one(index);
        }
        Keys {
            point: random.hash_one(u64::MAX) % (PRIME - 1) + 1,
            words,
        }
    })
}

struct Keys {
    point: u64,
    words: [u64; BLOCK],
}

/// `(a * b) mod PRIME` for `a, b < PRIME`.
#[inline(always)]
fn multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    let sum = (product as u64 & PRIME) + (product >> 61) as u64;
    if sum >= PRIME {
        sum - PRIME
    } else {
        sum
    }
}

/// A digest being computed: the current block's words, and the polynomial hash of the
/// blocks before it.
struct Digest {
    keys: &'static Keys,
    block: [u64; BLOCK],
    filled: usize,
    value: u64,
}

impl Digest {
    fn new(keys: &'static Keys, value: u64) -> Self {
        Self {
            keys,
            block: [0; BLOCK],
            filled: 0,
            value: value % PRIME,
        }
    }

    #[inline(always)]
    fn word(&mut self, word: u64) {
        if self.filled == BLOCK {
            self.end_block();
        }
        self.block[self.filled] = word;
        self.filled += 1;
    }

    /// A tag word with a length.
    #[inline(always)]
    fn tag(&mut self, tag: u64, length: usize) {
        self.word((length as u64) << 8 | tag);
    }

    /// The bytes, 8 to a word, the last word padded with zeros (the length, in the tag
    /// before them, tells the padding from the text).
    #[inline(always)]
    fn bytes(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for chunk in &mut words {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.word(u64::from_le_bytes(word));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let word = rest
                .iter()
                .rev()
                .fold(0, |word, &byte| word << 8 | u64::from(byte));
            self.word(word);
        }
    }

    /// Hashes the block (NH, its words padded to an even count with zero) into the
    /// polynomial, with its length, and empties it.
    fn end_block(&mut self) {
        if self.filled % 2 == 1 {
            self.block[self.filled] = 0;
        }
        let keys = &self.keys.words;
        let mut sum: u128 = 0;
        for pair in 0..self.filled.div_ceil(2) {
            let (at, next) = (2 * pair, 2 * pair + 1);
            let left = self.block[at].wrapping_add(keys[at]);
            let right = self.block[next].wrapping_add(keys[next]);
            sum = sum.wrapping_add(u128::from(left) * u128::from(right));
        }
        self.polynomial(self.filled as u64);
        for part in 0..4 {
            self.polynomial((sum >> (32 * part)) as u64 & 0xffff_ffff);
        }
        self.filled = 0;
    }

    /// Horner's rule: one more coefficient (below 2^32) of the digest.
    #[inline(always)]
    fn polynomial(&mut self, coefficient: u64) {
        let sum = self.value + coefficient; // < 2^61 + 2^32: no overflow
        let sum = if sum >= PRIME { sum - PRIME } else { sum };
        self.value = multiply(sum, self.keys.point);
    }
}

/// The digest of `values[start..end]` continuing `previous` (None: from the start), or
/// None if one of them is not JSON data. The digest of a list continued by the digest of
/// its prefix is the list's: `chain(chain(None, v, 0, k), v, k, n) == chain(None, v, 0, n)`.
///
/// Cost: about 8 instructions per 8 bytes of text, plus a few C-API calls per value; no
/// allocation, no Python code run. Fails only as `PyList_GetItem` does (never for indices
/// within the list).
pub fn chain(
    previous: Option<u64>,
    values: &Bound<'_, PyList>,
    start: usize,
    end: usize,
) -> PyResult<Option<u64>> {
    let mut digest = Digest::new(keys(), previous.unwrap_or(START));
    for index in start..end.min(values.len()) {
        let item = values.get_item(index)?;
        // SAFETY: `item` is a live object and the GIL is held for the whole walk, which runs
        // no Python code, so every borrowed reference it takes stays valid.
        if !unsafe { feed(&mut digest, item.as_ptr(), 0) } {
            return Ok(None);
        }
        digest.end_block(); // a value ends its block: the next chains after this value
    }
    Ok(Some(digest.value))
}

/// Feeds `value` to `digest`; false if it is not JSON data.
///
/// # Safety
/// `value` must be a live object, and the GIL held.
unsafe fn feed(digest: &mut Digest, value: *mut ffi::PyObject, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let kind = ffi::Py_TYPE(value);
    if kind == addr_of_mut!(ffi::PyUnicode_Type) {
        return feed_str(digest, TAG_STR, value);
    }
    if kind == addr_of_mut!(ffi::PyDict_Type) {
        digest.tag(TAG_DICT, ffi::PyDict_Size(value) as usize);
        let (mut position, mut key, mut item) = (0, null_mut(), null_mut());
        while ffi::PyDict_Next(value, &mut position, &mut key, &mut item) != 0 {
            if ffi::Py_TYPE(key) != addr_of_mut!(ffi::PyUnicode_Type)
                || !feed_str(digest, TAG_KEY, key)
                || !feed(digest, item, depth + 1)
            {
                return false;
            }
        }
        return true;
    }
    if kind == addr_of_mut!(ffi::PyList_Type) {
        let length = ffi::PyList_Size(value);
        digest.tag(TAG_LIST, length as usize);
        for index in 0..length {
            let item = ffi::PyList_GetItem(value, index);
            if item.is_null() || !feed(digest, item, depth + 1) {
                ffi::PyErr_Clear();
                return false;
            }
        }
        return true;
    }
    if value == ffi::Py_None() {
        digest.tag(TAG_NULL, 0);
        return true;
    }
    if kind == addr_of_mut!(ffi::PyBool_Type) {
        digest.tag(
            if value == ffi::Py_True() {
                TAG_TRUE
            } else {
                TAG_FALSE
            },
            0,
        );
        return true;
    }
    if kind == addr_of_mut!(ffi::PyLong_Type) {
        return feed_int(digest, value);
    }
    if kind == addr_of_mut!(ffi::PyFloat_Type) {
        digest.tag(TAG_FLOAT, 0);
        digest.word(ffi::PyFloat_AsDouble(value).to_bits());
        return true;
    }
    false
}

/// Feeds an exact `int` within 64 bits (signed, else unsigned: what msgspec encodes).
///
/// # Safety
/// `value` must be a live exact `int`, and the GIL held.
unsafe fn feed_int(digest: &mut Digest, value: *mut ffi::PyObject) -> bool {
    let (tag, bits) = {
        let signed = ffi::PyLong_AsLongLong(value);
        if signed != -1 || ffi::PyErr_Occurred().is_null() {
            (TAG_INT, signed as u64)
        } else {
            ffi::PyErr_Clear();
            let unsigned = ffi::PyLong_AsUnsignedLongLong(value);
            if unsigned == u64::MAX && !ffi::PyErr_Occurred().is_null() {
                ffi::PyErr_Clear();
                return false;
            }
            (TAG_UINT, unsigned)
        }
    };
    digest.tag(tag, 0);
    digest.word(bits);
    true
}

/// Feeds a `str` as a tag with its UTF-8 length, then its bytes; false for a lone
/// surrogate (which has no UTF-8).
///
/// # Safety
/// `text` must be a live `str`, and the GIL held.
unsafe fn feed_str(digest: &mut Digest, tag: u64, text: *mut ffi::PyObject) -> bool {
    let mut length: ffi::Py_ssize_t = 0;
    let data = ffi::PyUnicode_AsUTF8AndSize(text, &mut length);
    if data.is_null() {
        ffi::PyErr_Clear();
        return false;
    }
    // SAFETY: CPython keeps the UTF-8 buffer as long as the string lives.
    let bytes = std::slice::from_raw_parts(data.cast::<u8>(), length as usize);
    digest.tag(tag, bytes.len());
    digest.bytes(bytes);
    true
}

/// `phiwall._native.json_digest`: [`chain`] over all of `values` after `previous`.
#[pyfunction]
#[pyo3(signature = (values, previous=None))]
pub fn json_digest(values: &Bound<'_, PyList>, previous: Option<u64>) -> PyResult<Option<u64>> {
    chain(previous, values, 0, values.len())
}

#[cfg(test)]
mod tests {
    use super::{keys, multiply, Digest, BLOCK, PRIME, START};

    fn digest_of_bytes(bytes: &[u8]) -> u64 {
        let mut digest = Digest::new(keys(), START);
        digest.tag(1, bytes.len());
        digest.bytes(bytes);
        digest.end_block();
        digest.value
    }

    #[test]
    fn multiplying_stays_in_the_field() {
        for (a, b) in [
            (PRIME - 1, PRIME - 1),
            (0, PRIME - 1),
            (1 << 60, 3),
            (12345, 67890),
        ] {
            let expected = (u128::from(a) * u128::from(b) % u128::from(PRIME)) as u64;
            assert_eq!(multiply(a, b), expected);
        }
    }

    #[test]
    fn every_bit_of_every_byte_of_every_length_counts() {
        // Lengths across several blocks, so block ends and the remainder are both covered.
        for length in (0..40).chain([8 * BLOCK - 9, 8 * BLOCK, 8 * BLOCK + 1, 20 * BLOCK]) {
            let text: Vec<u8> = (0..length).map(|i| b'a' + (i % 26) as u8).collect();
            let base = digest_of_bytes(&text);
            for at in 0..length {
                for bit in [0x01, 0x80] {
                    let mut changed = text.clone();
                    changed[at] ^= bit;
                    assert_ne!(digest_of_bytes(&changed), base, "byte {at} of {length}");
                }
            }
            let mut longer = text.clone();
            longer.push(0); // a trailing NUL is not padding
            assert_ne!(digest_of_bytes(&longer), base);
        }
    }
}
