//! The token grammar: what a token looks like and which variants of it are recognised.
//!
//! A canonical token is `[` LABEL `_` N `]`:
//!
//! - LABEL is one or more words of `A`–`Z` joined by single underscores (`NAME`, `MEMBER_ID`);
//! - N is a positive decimal integer without leading zeros (`1`, `10`, `250`).
//!
//! Models retype tokens, so a token is also recognised when it is written
//!
//! - with its label in any ASCII case: `[name_1]`, `[Name_1]`, `[nAmE_1]`;
//! - with up to [`MAX_PAD`] ASCII spaces right inside either bracket: `[ NAME_1]`,
//!   `[NAME_1  ]`, `[  name_1 ]`.
//!
//! Nothing else is tolerated: no space inside the word (`[NAME _1]`), no other whitespace (tab,
//! newline, no-break space), no leading zero (`[NAME_01]`), no missing bracket. Those stay text.
//!
//! The part between the brackets and their padding is the *word* (`NAME_1`): the longest run of
//! [word bytes](word_byte) after the opening padding. Because the word is always read to its
//! end, `[NAME_1]` can never match inside `[NAME_10]`.

use std::fmt;

/// The most spaces tolerated right inside each bracket. It bounds the text a stream holds back.
pub const MAX_PAD: u8 = 2;

/// If `byte` can appear in a token's word (`A`–`Z`, `a`–`z`, `0`–`9`, `_`), the byte as it
/// appears in a canonical word: letters upper-cased. One table load: the recogniser calls this
/// for every byte of every candidate.
#[inline]
pub fn word_byte(byte: u8) -> Option<u8> {
    match CANONICAL[usize::from(byte)] {
        0 => None,
        canonical => Some(canonical),
    }
}

/// [`word_byte`] as a table: 0 for bytes that are not word bytes.
const CANONICAL: [u8; 256] = {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        if b.is_ascii_alphanumeric() || b == b'_' {
            table[byte] = b.to_ascii_uppercase();
        }
        byte += 1;
    }
    table
};

/// Why a table key is not a token. The messages never quote the key: a caller who swapped keys
/// and values would otherwise put PHI into an exception.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// The key does not start with `[` and end with `]`.
    Brackets,
    /// More than [`MAX_PAD`] spaces right inside a bracket.
    Padding,
    /// The label is empty, has a byte other than a letter or `_`, or an empty word (`A__B`).
    Label,
    /// The key does not end in `_N` with N a positive integer without leading zeros.
    Number,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Brackets => "is not enclosed in '[' and ']'",
            Self::Padding => "has more than 2 spaces inside a bracket",
            Self::Label => "has no label of letters A-Z (words joined by single '_')",
            Self::Number => "does not end in '_N' with N a positive integer without leading zeros",
        })
    }
}

impl std::error::Error for TokenError {}

/// The canonical word of a token written in any recognised variant: `"[ name_1 ]"` gives
/// `b"NAME_1"`. Costs one pass over the key; fails with the first rule the key breaks.
pub fn canonical_word(key: &str) -> Result<Vec<u8>, TokenError> {
    let inner = key
        .as_bytes()
        .strip_prefix(b"[")
        .and_then(|rest| rest.strip_suffix(b"]"))
        .ok_or(TokenError::Brackets)?;
    let lead = inner.iter().take_while(|&&b| b == b' ').count();
    let trail = inner[lead..]
        .iter()
        .rev()
        .take_while(|&&b| b == b' ')
        .count();
    if lead > usize::from(MAX_PAD) || trail > usize::from(MAX_PAD) {
        return Err(TokenError::Padding);
    }
    let word = &inner[lead..inner.len() - trail];
    let underscore = word
        .iter()
        .rposition(|&b| b == b'_')
        .ok_or(TokenError::Number)?;
    let (label, number) = (&word[..underscore], &word[underscore + 1..]);
    let number_ok =
        number.first().is_some_and(|&b| b != b'0') && number.iter().all(u8::is_ascii_digit);
    if !number_ok {
        return Err(TokenError::Number);
    }
    let label_ok = label
        .split(|&b| b == b'_')
        .all(|part| !part.is_empty() && part.iter().all(u8::is_ascii_alphabetic));
    if !label_ok {
        return Err(TokenError::Label);
    }
    Ok(word.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_bytes_are_ascii_alphanumerics_and_underscore() {
        for byte in 0..=255u8 {
            let expected =
                (byte.is_ascii_alphanumeric() || byte == b'_').then(|| byte.to_ascii_uppercase());
            assert_eq!(word_byte(byte), expected, "{byte}");
        }
    }

    #[test]
    fn canonical_word_accepts_every_variant() {
        let cases = [
            ("[NAME_1]", "NAME_1"),
            ("[name_1]", "NAME_1"),
            ("[Name_10]", "NAME_10"),
            ("[MEMBER_ID_3]", "MEMBER_ID_3"),
            ("[member_Id_3]", "MEMBER_ID_3"),
            ("[ NAME_1]", "NAME_1"),
            ("[NAME_1 ]", "NAME_1"),
            ("[  NAME_1  ]", "NAME_1"),
            ("[A_1]", "A_1"),
        ];
        for (key, word) in cases {
            assert_eq!(canonical_word(key).as_deref(), Ok(word.as_bytes()), "{key}");
        }
    }

    #[test]
    fn canonical_word_names_the_broken_rule() {
        use TokenError::*;
        let cases = [
            ("NAME_1", Brackets),
            ("[NAME_1", Brackets),
            ("NAME_1]", Brackets),
            ("", Brackets),
            ("[]", Number),
            ("[   NAME_1]", Padding),
            ("[NAME_1   ]", Padding),
            ("[NAME]", Number),
            ("[NAME_]", Number),
            ("[NAME_01]", Number),
            ("[NAME_0]", Number),
            ("[NAME_1a]", Number),
            ("[_1]", Label),
            ("[NAME__1]", Label),
            ("[NA ME_1]", Label),
            ("[NAMÉ_1]", Label),
            ("[N4ME_1]", Label),
            ("[\tNAME_1]", Label),
        ];
        for (key, error) in cases {
            assert_eq!(canonical_word(key), Err(error), "{key:?}");
        }
    }
}
