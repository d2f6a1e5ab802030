//! A JSON document as a tree that remembers where each value came from, so that writing it
//! back copies every untouched value's bytes and serialises only what changed.
//!
//! [`parse`] accepts exactly RFC 8259 JSON (what msgspec accepts): one value, whitespace
//! around it, strings of valid UTF-8 whose `\u` escapes pair their surrogates. Strings and
//! keys are decoded, borrowing from the input when they have no escape. [`write`] emits an
//! untouched node as its input bytes, and a changed or new one compactly, so the output
//! decodes to the edited document and keeps the upstream's bytes wherever nothing changed.
//!
//! Cost: O(input) to parse, one allocation per container (and per string with escapes);
//! nesting is bounded by [`MAX_DEPTH`]. Failure: `None` for anything that is not JSON.

use std::borrow::Cow;

use crate::json::escape_string_content;

/// Deeper documents are refused (a chunk of a chat completion nests about five levels;
/// msgspec refuses at about Python's recursion limit, 1000).
pub const MAX_DEPTH: usize = 512;

/// One value: its bytes in the input (`start..end`, empty for a new value) and whether it,
/// or anything inside it, changed.
#[derive(Debug)]
pub struct Node<'a> {
    pub start: usize,
    pub end: usize,
    pub dirty: bool,
    pub value: Value<'a>,
}

#[derive(Debug)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// A number; `integer` when it has no fraction or exponent.
    Number {
        integer: bool,
    },
    Str(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    /// Members in input order, duplicates kept (a lookup takes the last, as decoders do).
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
    /// A new value given as JSON text (a number copied from elsewhere).
    Raw(String),
}

impl<'a> Node<'a> {
    /// A new value, written out when the tree is.
    pub fn new(value: Value<'a>) -> Self {
        Node {
            start: 0,
            end: 0,
            dirty: true,
            value,
        }
    }

    /// The member `key` of an object (the last one of that name), or None.
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        match &self.value {
            Value::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|m| &m.1),
            _ => None,
        }
    }

    /// `get`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node<'a>> {
        match &mut self.value {
            Value::Object(members) => members
                .iter_mut()
                .rev()
                .find(|(k, _)| k == key)
                .map(|m| &mut m.1),
            _ => None,
        }
    }

    /// Sets member `key` of an object to `value`: in place if present (the last one of that
    /// name), else appended. Marks the object changed. Does nothing on another value.
    pub fn set(&mut self, key: &'a str, value: Node<'a>) {
        if let Value::Object(members) = &mut self.value {
            self.dirty = true;
            match members.iter_mut().rev().find(|(k, _)| k == key) {
                Some(member) => member.1 = value,
                None => members.push((Cow::Borrowed(key), value)),
            }
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(text) => Some(text),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self.value, Value::Object(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The input bytes of this value (empty for a new one).
    pub fn raw<'s>(&self, source: &'s [u8]) -> &'s [u8] {
        &source[self.start..self.end]
    }
}

/// The tree of `source`, or None if it is not exactly one JSON value.
pub fn parse(source: &[u8]) -> Option<Node<'_>> {
    let text = std::str::from_utf8(source).ok()?;
    let mut parser = Parser { text, at: 0 };
    parser.skip_space();
    let node = parser.value(0)?;
    parser.skip_space();
    (parser.at == text.len()).then_some(node)
}

/// Appends the JSON of `node` to `out`: input bytes where unchanged, compact JSON elsewhere.
pub fn write(node: &Node<'_>, source: &[u8], out: &mut Vec<u8>) {
    if !node.dirty {
        out.extend_from_slice(node.raw(source));
        return;
    }
    match &node.value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number { .. } => out.extend_from_slice(node.raw(source)),
        Value::Raw(text) => out.extend_from_slice(text.as_bytes()),
        Value::Str(text) => write_str(text, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(item, source, out);
            }
            out.push(b']');
        }
        Value::Object(members) => {
            out.push(b'{');
            for (i, (key, value)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(key, out);
                out.push(b':');
                write(value, source, out);
            }
            out.push(b'}');
        }
    }
}

/// `text` as a JSON string literal.
pub fn write_str(text: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    out.extend_from_slice(escape_string_content(text).as_bytes());
    out.push(b'"');
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Parser<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        self.bytes()[self.at..]
            .starts_with(word.as_bytes())
            .then(|| self.at += word.len())
    }

    fn value(&mut self, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.at;
        let value = match self.peek()? {
            b'{' => self.object(depth)?,
            b'[' => self.array(depth)?,
            b'"' => Value::Str(self.string()?),
            b'n' => self.literal("null").map(|_| Value::Null)?,
            b't' => self.literal("true").map(|_| Value::Bool(true))?,
            b'f' => self.literal("false").map(|_| Value::Bool(false))?,
            _ => self.number()?,
        };
        Some(Node {
            start,
            end: self.at,
            dirty: false,
            value,
        })
    }

    fn object(&mut self, depth: usize) -> Option<Value<'a>> {
        self.at += 1;
        let mut members = Vec::new();
        self.skip_space();
        if self.eat(b'}').is_some() {
            return Some(Value::Object(members));
        }
        loop {
            self.skip_space();
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.skip_space();
            self.eat(b':')?;
            self.skip_space();
            let value = self.value(depth + 1)?;
            members.push((key, value));
            self.skip_space();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(Value::Object(members));
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Value<'a>> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.eat(b']').is_some() {
            return Some(Value::Array(items));
        }
        loop {
            self.skip_space();
            items.push(self.value(depth + 1)?);
            self.skip_space();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(Value::Array(items));
                }
                _ => return None,
            }
        }
    }

    fn number(&mut self) -> Option<Value<'a>> {
        let bytes = self.bytes();
        let start = self.at;
        let mut at = start;
        let digits = |at: &mut usize| {
            let from = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at > from
        };
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        match bytes.get(at)? {
            b'0' => at += 1,
            b'1'..=b'9' => {
                digits(&mut at);
            }
            _ => return None,
        }
        let mut integer = true;
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            integer = false;
            if !digits(&mut at) {
                return None;
            }
        }
        if let Some(b'e' | b'E') = bytes.get(at) {
            at += 1;
            integer = false;
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            if !digits(&mut at) {
                return None;
            }
        }
        // A float beyond f64 is refused, as msgspec refuses it; integers may be any size.
        if !integer
            && !self.text[start..at]
                .parse::<f64>()
                .is_ok_and(f64::is_finite)
        {
            return None;
        }
        self.at = at;
        Some(Value::Number { integer })
    }

    /// A string literal at `self.at` (on its `"`), decoded.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let text = self.text;
        let bytes = text.as_bytes();
        let start = self.at + 1;
        let mut at = start;
        // The common case: no escape, so the text between the quotes as it is.
        loop {
            match *bytes.get(at)? {
                b'"' => {
                    self.at = at + 1;
                    return Some(Cow::Borrowed(&text[start..at]));
                }
                b'\\' => break,
                0x00..=0x1f => return None,
                _ => at += 1,
            }
        }
        let mut decoded = String::from(&text[start..at]);
        loop {
            match *bytes.get(at)? {
                b'"' => {
                    self.at = at + 1;
                    return Some(Cow::Owned(decoded));
                }
                b'\\' => {
                    at += 1;
                    let escaped = match *bytes.get(at)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let (c, next) = unicode_escape(bytes, at + 1)?;
                            at = next;
                            decoded.push(c);
                            continue;
                        }
                        _ => return None,
                    };
                    decoded.push(escaped);
                    at += 1;
                }
                0x00..=0x1f => return None,
                _ => {
                    // Copy a run up to the next quote, backslash or control byte: all ASCII, so
                    // the run ends on a character boundary.
                    let from = at;
                    while let Some(&b) = bytes.get(at) {
                        if b == b'"' || b == b'\\' || b < 0x20 {
                            break;
                        }
                        at += 1;
                    }
                    decoded.push_str(&text[from..at]);
                }
            }
        }
    }
}

/// The character of the `\uXXXX` escape whose hex digits start at `at` (a surrogate must be
/// followed by its pair), and the index after it.
fn unicode_escape(bytes: &[u8], at: usize) -> Option<(char, usize)> {
    let first = hex4(bytes, at)?;
    match first {
        0xD800..=0xDBFF => {
            if bytes.get(at + 4) != Some(&b'\\') || bytes.get(at + 5) != Some(&b'u') {
                return None;
            }
            let second = hex4(bytes, at + 6)?;
            if !(0xDC00..=0xDFFF).contains(&second) {
                return None;
            }
            let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            Some((char::from_u32(code)?, at + 10))
        }
        0xDC00..=0xDFFF => None,
        _ => Some((char::from_u32(first)?, at + 4)),
    }
}

fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at + 4)?;
    let text = std::str::from_utf8(digits).ok()?;
    if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(text, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(source: &str) -> Option<String> {
        let node = parse(source.as_bytes())?;
        let mut out = Vec::new();
        write(&node, source.as_bytes(), &mut out);
        Some(String::from_utf8(out).unwrap())
    }

    #[test]
    fn untouched_documents_come_back_byte_for_byte() {
        for source in [
            "{}",
            "[ 1 , -2.5e3 , true , null , \"a\\u00e9\\\"\" ]",
            "{\"a\": {\"b\": [{}, []]}, \"a\": 1}",
            "\"\\ud83d\\ude00\"",
            "0",
        ] {
            assert_eq!(round(source).as_deref(), Some(source), "{source}");
        }
    }

    #[test]
    fn refuses_what_is_not_json() {
        for source in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "1.",
            "-",
            "\"\\ud800\"",
            "\"\\udc00x\"",
            "\"a\nb\"",
            "nul",
            "{} {}",
            "\"\\x\"",
            "[1 2]",
            "{1: 2}",
            "1e400",
            "NaN",
        ] {
            assert!(parse(source.as_bytes()).is_none(), "{source:?}");
        }
        assert!(parse(b"\"\xff\"").is_none());
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert!(parse(deep.as_bytes()).is_none());
    }

    #[test]
    fn strings_are_decoded_and_a_changed_node_is_rewritten_compactly() {
        let source = br#"{ "k\"ey" : "v\n\u00e9\ud83d\ude00", "n": 1 }"#;
        let mut node = parse(source).unwrap();
        assert_eq!(node.get("k\"ey").and_then(Node::as_str), Some("v\né😀"));
        node.set("n", Node::new(Value::Str(Cow::Borrowed("x\"y"))));
        node.set("new", Node::new(Value::Raw("2".into())));
        let mut out = Vec::new();
        write(&node, source, &mut out);
        let expected = r#"{"k\"ey":"v\n\u00e9\ud83d\ude00","n":"x\"y","new":2}"#;
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn numbers_know_whether_they_are_integers() {
        for (source, integer) in [("0", true), ("-12", true), ("1.0", false), ("1e2", false)] {
            let node = parse(source.as_bytes()).unwrap();
            assert!(matches!(node.value, Value::Number { integer: i } if i == integer));
        }
    }
}
