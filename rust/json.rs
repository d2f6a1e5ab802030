//! Escaping a value for insertion into the content of a JSON string literal.

/// `value` written as JSON string content, without the surrounding quotes: `"` and `\` are
/// backslash-escaped, control characters (U+0000–U+001F) become `\b \t \n \f \r` or `\u00XX`,
/// and everything else, non-ASCII included, is copied as raw UTF-8 (what JSON allows and what
/// `json.dumps(..., ensure_ascii=False)` writes). One pass; never fails.
pub fn escape_string_content(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + value.len() / 8);
    let mut copied = 0;
    for (i, byte) in value.bytes().enumerate() {
        let short = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        // Every escaped byte is ASCII, so `i` and `i + 1` are char boundaries.
        out.push_str(&value[copied..i]);
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(short);
        }
        copied = i + 1;
    }
    out.push_str(&value[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_json_requires_and_nothing_else() {
        let cases = [
            ("", ""),
            ("plain", "plain"),
            ("O\"Brien", "O\\\"Brien"),
            ("C:\\dir", "C:\\\\dir"),
            ("a\nb\r\tc", "a\\nb\\r\\tc"),
            ("\u{8}\u{c}", "\\b\\f"),
            ("\u{0}\u{1f}\u{1}", "\\u0000\\u001f\\u0001"),
            ("/ \u{7f}", "/ \u{7f}"),
            ("José 東京 👩🏽‍⚕️ e\u{301}", "José 東京 👩🏽‍⚕️ e\u{301}"),
            ("\u{2028}", "\u{2028}"),
            ("\\u00e9", "\\\\u00e9"),
        ];
        for (value, escaped) in cases {
            assert_eq!(escape_string_content(value), escaped, "{value:?}");
        }
    }
}
