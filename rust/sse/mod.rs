//! Rehydrating a streamed chat completion: the upstream's SSE bytes in, the client's out.
//!
//! `phiwall.proxy.sse.SSEDecoder` and `phiwall.proxy.rehydrate_stream.StreamRehydrator`
//! (the reference) in one native object, fed once per network read ([`Relay::feed`],
//! [`Relay::flush`]), so a read costs one call instead of Python work per event.
//!
//! Each choice's `delta.content` and `delta.refusal` gets its own streaming [`Rewriter`], and
//! so does each tool call's `function.arguments` and the legacy `function_call.arguments`
//! (JSON-string mode). A rewriter holds back
//! only a tail that could still start a token; held text is flushed into the chunk carrying
//! the choice's `finish_reason`, or into a chunk of its own before `[DONE]` (or the end).
//! Every event is written back in the reference's wire form ([`Event::encode`]); a chunk's
//! JSON is rewritten only where a text changed ([`tree::write`]: untouched values keep the
//! upstream's bytes, where the reference re-encodes the whole chunk, so the two agree once
//! decoded). Anything that is not a JSON chunk passes through.
//!
//! The fast path: while nothing is held, an event whose data has no `[` inside a JSON string
//! cannot contain or start a token, so it is written back without being parsed: most events
//! of an answer.
//!
//! Cost per event: one pass over its bytes on the fast path; else a parse of the chunk
//! (O(its size)), the rewriters' feeds, and a write of the chunk if a text changed. Never
//! fails.

pub mod decoder;

use std::borrow::Cow;
use std::sync::Arc;

use crate::jsontree::{self as tree, Node, Value};
use crate::rewriter::Rewriter;
use crate::table::{Mode, Table};
use decoder::{Decoder, Event};

/// A delta's texts, rehydrated as plain text.
const TEXT_FIELDS: [&str; 2] = ["content", "refusal"];
/// What the chunk of held text written at the end copies from the last chunk.
const META_FIELDS: [&str; 4] = ["id", "object", "created", "model"];

/// Which text a rewriter streams: a delta field of a choice, a tool call's arguments, or
/// the legacy `function_call`'s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    Text { choice: i64, field: usize },
    Arguments { choice: i64, call: i64 },
    Legacy { choice: i64 },
}

impl Key {
    fn choice(self) -> i64 {
        match self {
            Key::Text { choice, .. } | Key::Arguments { choice, .. } | Key::Legacy { choice } => {
                choice
            }
        }
    }
}

/// A rewriter and how its choice's `index` was written when it started (`true` is 1 in
/// Python's keys, and the reference writes back the first spelling it saw).
struct Stream {
    key: Key,
    index: String,
    call: String,
    rewriter: Rewriter,
}

/// The relay of one streamed answer: SSE decoding and rehydration, read by read.
pub struct Relay {
    table: Arc<Table>,
    decoder: Decoder,
    /// Text rewriters, then argument rewriters, each in order of creation.
    texts: Vec<Stream>,
    arguments: Vec<Stream>,
    /// The streams that may hold the start of a token.
    holding: Vec<Key>,
    /// The data of the last chunk rewritten, and where its `id`, `object`, `created` and
    /// `model` are in it, for the chunk of held text written at the end.
    last: Vec<u8>,
    last_fields: [Option<(usize, usize)>; 4],
    events: Vec<Event>,
}

impl Relay {
    pub fn new(table: Arc<Table>) -> Self {
        Relay {
            table,
            decoder: Decoder::default(),
            texts: Vec::new(),
            arguments: Vec::new(),
            holding: Vec::new(),
            last: Vec::new(),
            last_fields: [None; 4],
            events: Vec::new(),
        }
    }

    /// The bytes to send for one network read of the upstream's stream.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<u8> {
        let mut events = std::mem::take(&mut self.events);
        self.decoder.feed(chunk, &mut events);
        let mut out = Vec::with_capacity(chunk.len() + 64);
        for event in events.drain(..) {
            self.rewrite(&event, &mut out);
        }
        self.events = events;
        out
    }

    /// End of the stream: the event it ended in the middle of, and a chunk with the text
    /// still held, if any.
    pub fn flush(&mut self) -> Vec<u8> {
        let mut events = std::mem::take(&mut self.events);
        self.decoder.flush(&mut events);
        let mut out = Vec::new();
        for event in events.drain(..) {
            self.rewrite(&event, &mut out);
        }
        self.finish(&mut out);
        out
    }

    fn rewrite(&mut self, event: &Event, out: &mut Vec<u8>) {
        if event.data == b"[DONE]" {
            self.finish(out);
            event.encode(None, out);
            return;
        }
        if self.holding.is_empty() && !bracket_in_string(&event.data) {
            event.encode(None, out);
            return;
        }
        let Some(mut chunk) = tree::parse(&event.data) else {
            event.encode(None, out);
            return;
        };
        if !self.rewrite_chunk(&mut chunk, &event.data) {
            event.encode(None, out);
            return;
        }
        let mut data = Vec::with_capacity(event.data.len() + 64);
        tree::write(&chunk, &event.data, &mut data);
        event.encode(Some(&data), out);
    }

    /// Rewrites the texts of a chunk in place; whether any changed.
    fn rewrite_chunk(&mut self, chunk: &mut Node<'_>, source: &[u8]) -> bool {
        let Some(Value::Array(choices)) = chunk.get("choices").map(|c| &c.value) else {
            return false;
        };
        if choices.is_empty() {
            return false;
        }
        self.last.clear();
        self.last.extend_from_slice(source);
        for (slot, name) in self.last_fields.iter_mut().zip(META_FIELDS) {
            *slot = chunk.get(name).map(|value| (value.start, value.end));
        }
        let mut changed = false;
        let Some(Node {
            value: Value::Array(choices),
            dirty,
            ..
        }) = chunk.get_mut("choices")
        else {
            return false;
        };
        for (position, choice) in choices.iter_mut().enumerate() {
            if choice.is_object() && self.rewrite_choice(choice, position, source) {
                changed = true;
                choice.dirty = true;
            }
        }
        if changed {
            *dirty = true;
            chunk.dirty = true;
        }
        changed
    }

    fn rewrite_choice(&mut self, choice: &mut Node<'_>, position: usize, source: &[u8]) -> bool {
        let (index, spelling) = index_of(choice.get("index"), position, source);
        let mut changed = false;
        if let Some(delta) = choice.get_mut("delta").filter(|d| d.is_object()) {
            for (field, name) in TEXT_FIELDS.iter().enumerate() {
                let key = Key::Text {
                    choice: index,
                    field,
                };
                if let Some(text) = delta.get_mut(name) {
                    if self.feed_node(key, (spelling, spelling), source, text) {
                        changed = true;
                        delta.dirty = true;
                    }
                }
            }
            if let Some(Node {
                value: Value::Array(calls),
                dirty,
                ..
            }) = delta.get_mut("tool_calls")
            {
                let mut calls_changed = false;
                for (position, call) in calls.iter_mut().enumerate() {
                    let (number, call_spelling) = index_of(call.get("index"), position, source);
                    let Some(function) = call.get_mut("function").filter(|f| f.is_object()) else {
                        continue;
                    };
                    let Some(arguments) = function.get_mut("arguments") else {
                        continue;
                    };
                    let key = Key::Arguments {
                        choice: index,
                        call: number,
                    };
                    if self.feed_node(key, (spelling, call_spelling), source, arguments) {
                        function.dirty = true;
                        call.dirty = true;
                        calls_changed = true;
                    }
                }
                if calls_changed {
                    *dirty = true;
                    delta.dirty = true;
                    changed = true;
                }
            }
            if let Some(function) = delta.get_mut("function_call").filter(|f| f.is_object()) {
                let key = Key::Legacy { choice: index };
                let fed = match function.get_mut("arguments") {
                    Some(arguments) => self.feed_node(key, (spelling, spelling), source, arguments),
                    None => false,
                };
                if fed {
                    function.dirty = true;
                    delta.dirty = true;
                    changed = true;
                }
            }
        }
        if choice.get("finish_reason").is_some_and(|f| !f.is_null()) {
            changed |= self.flush_choice(index, choice, source);
        }
        changed
    }

    /// Feeds a string node (non-empty) to its stream, replacing it if the text changed.
    fn feed_node(
        &mut self,
        key: Key,
        spellings: (Spelling, Spelling),
        source: &[u8],
        node: &mut Node<'_>,
    ) -> bool {
        let Value::Str(text) = &node.value else {
            return false;
        };
        if text.is_empty() {
            return false;
        }
        let opened = text.rfind('[');
        let closed = text.rfind(']');
        if opened.map(|o| o as isize) > closed.map(|c| c as isize) {
            if !self.holding.contains(&key) {
                self.holding.push(key);
            }
        } else if closed > opened {
            self.holding.retain(|held| *held != key);
        }
        let stream = self.stream(key, spellings, source);
        let rewritten = stream.rewriter.feed(text);
        if rewritten == *text {
            return false;
        }
        let rewritten = rewritten.into_owned();
        node.value = Value::Str(Cow::Owned(rewritten));
        node.dirty = true;
        true
    }

    fn stream(&mut self, key: Key, spellings: (Spelling, Spelling), source: &[u8]) -> &mut Stream {
        let (streams, mode) = match key {
            Key::Text { .. } => (&mut self.texts, Mode::Plain),
            Key::Arguments { .. } | Key::Legacy { .. } => (&mut self.arguments, Mode::JsonString),
        };
        match streams.iter().position(|s| s.key == key) {
            Some(found) => &mut streams[found],
            None => {
                streams.push(Stream {
                    key,
                    index: spellings.0.render(source),
                    call: spellings.1.render(source),
                    rewriter: Rewriter::new(Arc::clone(&self.table), mode),
                });
                streams.last_mut().expect("just pushed")
            }
        }
    }

    /// Puts the choice's held text into this, its last chunk; whether anything was added.
    fn flush_choice(&mut self, index: i64, choice: &mut Node<'_>, source: &[u8]) -> bool {
        let mut changed = false;
        for (field, name) in TEXT_FIELDS.into_iter().enumerate() {
            let key = Key::Text {
                choice: index,
                field,
            };
            self.holding.retain(|held| *held != key);
            let Some(found) = self.texts.iter().position(|s| s.key == key) else {
                continue;
            };
            let held = self.texts.remove(found).rewriter.finish();
            if held.is_empty() {
                continue;
            }
            let delta = delta_of(choice);
            let before = delta.get(name).and_then(Node::as_str).unwrap_or("");
            let text = format!("{before}{held}");
            delta.set(name, Node::new(Value::Str(Cow::Owned(text))));
            changed = true;
        }
        let mut position = 0;
        while position < self.arguments.len() {
            let key = self.arguments[position].key;
            if key.choice() != index {
                position += 1;
                continue;
            }
            self.holding.retain(|held| *held != key);
            let mut stream = self.arguments.remove(position);
            let held = stream.rewriter.finish();
            if held.is_empty() {
                continue;
            }
            match key {
                Key::Arguments { call, .. } => {
                    append_arguments(delta_of(choice), (call, &stream.call), held, source);
                }
                _ => append_to(delta_of(choice), "function_call", held),
            }
            changed = true;
        }
        if changed {
            choice.dirty = true;
        }
        changed
    }

    /// End of stream: a chunk carrying whatever text is still held.
    fn finish(&mut self, out: &mut Vec<u8>) {
        // (index, its spelling, delta) in order of first appearance, sorted by index below.
        let mut deltas: Vec<(i64, String, Node<'static>)> = Vec::new();
        let delta_for = |deltas: &mut Vec<(i64, String, Node<'static>)>, s: &Stream| {
            let choice = s.key.choice();
            match deltas.iter().position(|(i, _, _)| *i == choice) {
                Some(found) => found,
                None => {
                    deltas.push((choice, s.index.clone(), object(Vec::new())));
                    deltas.len() - 1
                }
            }
        };
        for stream in &mut self.texts {
            let held = stream.rewriter.finish();
            if let (false, Key::Text { field, .. }) = (held.is_empty(), stream.key) {
                let at = delta_for(&mut deltas, stream);
                let text = Node::new(Value::Str(Cow::Owned(held)));
                deltas[at].2.set(TEXT_FIELDS[field], text);
            }
        }
        for stream in &mut self.arguments {
            let held = stream.rewriter.finish();
            if held.is_empty() {
                continue;
            }
            let at = delta_for(&mut deltas, stream);
            let delta = &mut deltas[at].2;
            if let Key::Legacy { .. } = stream.key {
                let arguments = Node::new(Value::Str(Cow::Owned(held)));
                delta.set("function_call", object(vec![("arguments", arguments)]));
                continue;
            }
            if delta.get("tool_calls").is_none() {
                delta.set("tool_calls", Node::new(Value::Array(Vec::new())));
            }
            if let Some(Node {
                value: Value::Array(calls),
                ..
            }) = delta.get_mut("tool_calls")
            {
                calls.push(new_call(Value::Raw(stream.call.clone()), held));
            }
        }
        self.texts.clear();
        self.arguments.clear();
        self.holding.clear();
        if deltas.is_empty() {
            return;
        }
        deltas.sort_by_key(|(index, _, _)| *index);
        let choices = deltas
            .into_iter()
            .map(|(_, spelling, delta)| {
                object(vec![
                    ("index", Node::new(Value::Raw(spelling))),
                    ("delta", delta),
                    ("finish_reason", Node::new(Value::Null)),
                ])
            })
            .collect();
        let defaults: [&[u8]; 4] = [b"\"\"", b"\"chat.completion.chunk\"", b"0", b"\"\""];
        let mut members = Vec::new();
        for ((name, last), default) in META_FIELDS.into_iter().zip(self.last_fields).zip(defaults) {
            let json = last.map_or(default, |(start, end)| &self.last[start..end]);
            let text = String::from_utf8_lossy(json).into_owned();
            members.push((name, Node::new(Value::Raw(text))));
        }
        members.push(("choices", Node::new(Value::Array(choices))));
        let mut data = Vec::new();
        tree::write(&object(members), b"", &mut data);
        Event {
            data,
            ..Event::default()
        }
        .encode(None, out);
    }
}

/// Whether a `[` occurs inside a JSON string of `data` (read as JSON, whatever it is): where
/// a token could be. One pass, no allocation.
/// A `\u` escape counts as a `[`: it may spell one (`\u005b`).
fn bracket_in_string(data: &[u8]) -> bool {
    // A plain loop: a chunk has dozens of quotes, too many for a `memchr` per quote.
    let mut inside = false;
    let mut escaped = false;
    for &byte in data {
        if !inside {
            inside = byte == b'"';
        } else if escaped {
            if byte == b'u' {
                return true;
            }
            escaped = false;
        } else {
            match byte {
                b'"' => inside = false,
                b'\\' => escaped = true,
                b'[' => return true,
                _ => {}
            }
        }
    }
    false
}

/// How an index is written back: its position, or its JSON in the chunk.
#[derive(Clone, Copy)]
enum Spelling {
    Position(usize),
    Source(usize, usize),
}

impl Spelling {
    fn render(self, source: &[u8]) -> String {
        match self {
            Spelling::Position(position) => position.to_string(),
            Spelling::Source(start, end) => String::from_utf8_lossy(&source[start..end]).into(),
        }
    }
}

/// A choice's (or tool call's) `index` when it is an integer (`true`/`false` count as 1/0,
/// as in Python), else its position; and how to write it back.
fn index_of(node: Option<&Node<'_>>, position: usize, source: &[u8]) -> (i64, Spelling) {
    let fallback = (position as i64, Spelling::Position(position));
    let Some(node) = node else {
        return fallback;
    };
    let spelling = Spelling::Source(node.start, node.end);
    match node.value {
        Value::Number { integer: true } => std::str::from_utf8(node.raw(source))
            .ok()
            .and_then(|text| text.parse::<i64>().ok())
            .map_or(fallback, |number| (number, spelling)),
        Value::Bool(flag) => (i64::from(flag), spelling),
        _ => fallback,
    }
}

/// The choice's `delta`, made an empty object first if it is missing or not an object.
fn delta_of<'c, 'a>(choice: &'c mut Node<'a>) -> &'c mut Node<'a> {
    if !choice.get("delta").is_some_and(Node::is_object) {
        choice.set("delta", object(Vec::new()));
    }
    choice.dirty = true;
    let delta = choice.get_mut("delta").expect("set above");
    delta.dirty = true;
    delta
}

/// Appends `held` to tool call `number`'s arguments in `delta`, adding the call (its index
/// written as `spelling`) if absent.
fn append_arguments(delta: &mut Node<'_>, call: (i64, &str), held: String, source: &[u8]) {
    let (number, spelling) = call;
    if !matches!(
        delta.get("tool_calls").map(|c| &c.value),
        Some(Value::Array(_))
    ) {
        delta.set("tool_calls", Node::new(Value::Array(Vec::new())));
    }
    let Some(Node {
        value: Value::Array(calls),
        dirty,
        ..
    }) = delta.get_mut("tool_calls")
    else {
        return;
    };
    *dirty = true;
    for (position, call) in calls.iter_mut().enumerate() {
        if !call.is_object() || !index_equals(call.get("index"), position, number, source) {
            continue;
        }
        append_to(call, "function", held);
        return;
    }
    calls.push(new_call(Value::Raw(spelling.to_owned()), held));
}

/// Appends `held` to `owner[field].arguments` (a string: anything else counts as empty),
/// making `owner[field]` an object first if it is not one.
fn append_to(owner: &mut Node<'_>, field: &'static str, held: String) {
    if !owner.get(field).is_some_and(Node::is_object) {
        owner.set(field, object(Vec::new()));
    }
    owner.dirty = true;
    let function = owner.get_mut(field).expect("set above");
    let before = function
        .get("arguments")
        .and_then(Node::as_str)
        .unwrap_or("");
    let text = format!("{before}{held}");
    function.set("arguments", Node::new(Value::Str(Cow::Owned(text))));
}

/// Whether a tool call's `index` (its position when absent) equals `number`, as Python's
/// `==` between the decoded value and an int decides.
fn index_equals(node: Option<&Node<'_>>, position: usize, number: i64, source: &[u8]) -> bool {
    let Some(node) = node else {
        return position as i64 == number;
    };
    match node.value {
        Value::Bool(flag) => i64::from(flag) == number,
        // Integers and floats alike, as `2.0 == 2` in Python (exact for any index a stream
        // can have: far below 2^53).
        Value::Number { .. } => std::str::from_utf8(node.raw(source))
            .ok()
            .and_then(|text| text.parse::<f64>().ok())
            .is_some_and(|value| value == number as f64),
        _ => false,
    }
}

/// `{"index": <index>, "function": {"arguments": <held>}}`.
fn new_call(index: Value<'static>, held: String) -> Node<'static> {
    let arguments = Node::new(Value::Str(Cow::Owned(held)));
    let function = object(vec![("arguments", arguments)]);
    object(vec![("index", Node::new(index)), ("function", function)])
}

fn object<'a>(members: Vec<(&'a str, Node<'a>)>) -> Node<'a> {
    let members = members
        .into_iter()
        .map(|(key, value)| (Cow::Borrowed(key), value))
        .collect();
    Node::new(Value::Object(members))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relay() -> Relay {
        let table = Table::new([("[NAME_1]", "Ana \"Nan\" Lee"), ("[PHONE_1]", "415")]).unwrap();
        Relay::new(Arc::new(table))
    }

    fn chunk(delta: &str, finish: &str) -> String {
        format!(
            "data: {{\"id\":\"c\",\"choices\":[{{\"index\":0,\"delta\":{delta},\"finish_reason\":{finish}}}]}}\n\n"
        )
    }

    /// The stream cut at every byte, in two reads and then flushed.
    fn every_cut(stream: &str) -> Vec<String> {
        (0..=stream.len())
            .map(|cut| {
                let mut relay = relay();
                let mut out = relay.feed(&stream.as_bytes()[..cut]);
                out.extend(relay.feed(&stream.as_bytes()[cut..]));
                out.extend(relay.flush());
                String::from_utf8(out).unwrap()
            })
            .collect()
    }

    #[test]
    fn a_token_cut_across_events_and_reads_is_replaced_and_the_rest_kept() {
        let stream = chunk(r#"{"content":"Hi [NA"}"#, "null")
            + &chunk(r#"{"content":"ME_1]!"}"#, "null")
            + "data: [DONE]\n\n";
        let expected = chunk(r#"{"content":"Hi "}"#, "null")
            + &chunk(r#"{"content":"Ana \"Nan\" Lee!"}"#, "null")
            + "data: [DONE]\n\n";
        for out in every_cut(&stream) {
            assert_eq!(out, expected);
        }
    }

    #[test]
    fn held_text_goes_into_the_finish_chunk_or_a_chunk_before_done() {
        let finished = chunk(r#"{"content":"call [PHO"}"#, "null")
            + &chunk(r#"{}"#, "\"stop\"")
            + "data: [DONE]\n\n";
        let expected = chunk(r#"{"content":"call "}"#, "null")
            + &chunk(r#"{"content":"[PHO"}"#, "\"stop\"")
            + "data: [DONE]\n\n";
        for out in every_cut(&finished) {
            assert_eq!(out, expected);
        }
        let unfinished = chunk(r#"{"content":"call [PHO"}"#, "null") + "data: [DONE]\n\n";
        let held = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":0,\
            \"model\":\"\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"[PHO\"},\
            \"finish_reason\":null}]}\n\n";
        let expected = chunk(r#"{"content":"call "}"#, "null") + held + "data: [DONE]\n\n";
        for out in every_cut(&unfinished) {
            assert_eq!(out, expected);
        }
    }

    #[test]
    fn tool_call_arguments_get_json_escaped_values_and_other_events_pass() {
        let stream = chunk(
            r#"{"tool_calls":[{"index":0,"function":{"arguments":"{\"n\":\"[NAME_1]\"}"}}]}"#,
            "null",
        ) + ": keep-alive\n\ndata: not json [NAME_1]\n\n";
        let expected = chunk(
            r#"{"tool_calls":[{"index":0,"function":{"arguments":"{\"n\":\"Ana \\\"Nan\\\" Lee\"}"}}]}"#,
            "null",
        ) + "data: not json [NAME_1]\n\n";
        for out in every_cut(&stream) {
            assert_eq!(out, expected);
        }
    }
}
