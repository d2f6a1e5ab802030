//! Where a text's capital letters are, read 8 bytes at a time (SWAR).
//!
//! Most text the detector sees is lowercase, or nearly so: the finders that only care about
//! capitals (is the text cased at all, where may a capitalised name start) skip to them
//! with these instead of testing every byte. Any bytes are accepted; only `A`..=`Z` count.

/// One in each byte lane.
const LANES: u64 = 0x0101_0101_0101_0101;
/// The top bit of each byte lane.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The top bit of each byte lane of `block` set where that byte is `A`..=`Z`, the rest 0.
#[inline]
fn capital_lanes(block: u64) -> u64 {
    // With the top bits cleared, adding less than 0x80 per lane cannot carry across lanes.
    let low = block & !HIGH;
    // Top bit set where the byte is 'A' or above, and where it is above 'Z'.
    let from_a = low + LANES * (0x80 - u64::from(b'A'));
    let past_z = low + LANES * (0x80 - u64::from(b'Z') - 1);
    // `!block`: a byte of 0x80 or more is no capital, whatever its low bits.
    from_a & !past_z & !block & HIGH
}

/// The 8 bytes of `text` from `at` as a little-endian word, zeros past the end.
#[inline]
fn block_at(text: &[u8], at: usize) -> u64 {
    match text.get(at..at + 8) {
        Some(bytes) => u64::from_le_bytes(bytes.try_into().unwrap_or([0; 8])),
        None => {
            let mut bytes = [0u8; 8];
            let tail = &text[at.min(text.len())..];
            bytes[..tail.len()].copy_from_slice(tail);
            u64::from_le_bytes(bytes)
        }
    }
}

/// Whether `text` holds a capital letter (`text.iter().any(u8::is_ascii_uppercase)`).
/// Cost: about one instruction per byte, less than half the byte-by-byte test's.
pub fn any(text: &[u8]) -> bool {
    let mut blocks = text.chunks_exact(8);
    let found = blocks
        .by_ref()
        .any(|b| capital_lanes(u64::from_le_bytes(b.try_into().unwrap_or([0; 8]))) != 0);
    found || blocks.remainder().iter().any(u8::is_ascii_uppercase)
}

/// The offsets of the capital letters of `text`, in order. Cost: about one instruction per
/// byte to skip, a few per capital found. Never fails.
pub fn positions(text: &[u8]) -> Positions<'_> {
    Positions {
        text,
        base: 0,
        lanes: capital_lanes(block_at(text, 0)),
    }
}

/// The iterator of [`positions`].
pub struct Positions<'a> {
    text: &'a [u8],
    /// Where the block of `lanes` starts.
    base: usize,
    /// The capitals of that block not yet returned.
    lanes: u64,
}

impl Iterator for Positions<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.lanes == 0 {
            self.base += 8;
            if self.base >= self.text.len() {
                return None;
            }
            self.lanes = capital_lanes(block_at(self.text, self.base));
        }
        let lane = self.lanes.trailing_zeros() as usize / 8;
        self.lanes &= self.lanes - 1;
        Some(self.base + lane)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_are_found_like_the_byte_test() {
        let cases: &[&[u8]] = &[
            b"",
            b"a",
            b"Z",
            b"lowercase only, and digits 0123456789",
            b"have Yutika Vohra bring",
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            b"@[`{ AZ az", // the neighbours of A and Z
            b"\x80\xc1\xda\xff A \xc1",
            b"seven..X",
            b"eight...X",
            b"the quick brown fox jumps over the lazy doG",
        ];
        for text in cases {
            let expected: Vec<usize> = (0..text.len())
                .filter(|&i| text[i].is_ascii_uppercase())
                .collect();
            assert_eq!(positions(text).collect::<Vec<_>>(), expected, "{text:?}");
            assert_eq!(any(text), !expected.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn every_byte_value_in_every_lane() {
        for byte in 0..=255u8 {
            for lane in 0..9 {
                let mut text = vec![b'a'; 9];
                text[lane] = byte;
                let expected = byte.is_ascii_uppercase().then_some(lane);
                assert_eq!(positions(&text).next(), expected, "{byte} at {lane}");
            }
        }
    }
}
