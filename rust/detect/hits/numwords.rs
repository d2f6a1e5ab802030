//! Number words to characters: `python/phiwall/detect/numwords.py`. (Being ported.)

/// `numwords.to_chars(words)`.
pub fn to_chars(_words: &[&str]) -> String {
    String::new()
}

/// `numwords.count_chars(words)`.
pub fn count_chars(_words: &[&str]) -> (usize, usize) {
    (0, 0)
}
