//! Rehydrating a whole (non-streamed) chat completion: `phiwall.proxy.rehydrate
//! .rehydrate_completion` (the reference), natively.
//!
//! Each choice's `message.content` and `message.refusal` get their tokens replaced, and each
//! tool call's `function.arguments` (and the legacy `function_call.arguments`), a JSON text,
//! gets the values JSON-escaped. The answer is written back through [`jsontree::write`]:
//! the upstream's bytes wherever nothing changed (the reference re-encodes the whole answer;
//! the two agree once decoded).
//!
//! Cost: one parse of the answer (O(its size)) and one replace per text; the answer itself,
//! not a copy, when no text changed. An answer that is not a JSON object with a `choices`
//! array comes back unchanged: there is nothing it could reveal. Never fails.

use std::borrow::Cow;

use crate::jsontree::{self, Node, Value};
use crate::rewriter::replace;
use crate::table::{Mode, Table};

/// The answer `body` with the tokens of `table` replaced, or None if nothing changed.
pub fn rehydrate(table: &Table, body: &[u8]) -> Option<Vec<u8>> {
    let mut answer = jsontree::parse(body)?;
    let Some(Node {
        value: Value::Array(choices),
        dirty,
        ..
    }) = answer.get_mut("choices")
    else {
        return None;
    };
    let mut changed = false;
    for choice in choices.iter_mut() {
        let Some(message) = choice.get_mut("message").filter(|m| m.is_object()) else {
            continue;
        };
        if rehydrate_message(table, message) {
            choice.dirty = true;
            changed = true;
        }
    }
    if !changed {
        return None;
    }
    *dirty = true;
    answer.dirty = true;
    let mut out = Vec::with_capacity(body.len() + 64);
    jsontree::write(&answer, body, &mut out);
    Some(out)
}

/// Replaces the tokens of one message in place; whether any text changed.
fn rehydrate_message(table: &Table, message: &mut Node<'_>) -> bool {
    let mut changed = false;
    for field in ["content", "refusal"] {
        if let Some(text) = message.get_mut(field) {
            changed |= replace_in(table, Mode::Plain, text);
        }
    }
    if let Some(Node {
        value: Value::Array(calls),
        dirty,
        ..
    }) = message.get_mut("tool_calls")
    {
        let mut calls_changed = false;
        for call in calls.iter_mut() {
            if let Some(function) = call.get_mut("function") {
                if rehydrate_function(table, function) {
                    call.dirty = true;
                    calls_changed = true;
                }
            }
        }
        *dirty |= calls_changed;
        changed |= calls_changed;
    }
    if let Some(function) = message.get_mut("function_call") {
        changed |= rehydrate_function(table, function);
    }
    message.dirty |= changed;
    changed
}

fn rehydrate_function(table: &Table, function: &mut Node<'_>) -> bool {
    let changed = function
        .get_mut("arguments")
        .is_some_and(|arguments| replace_in(table, Mode::JsonString, arguments));
    function.dirty |= changed;
    changed
}

/// Replaces the tokens of a string node (anything else is left alone); whether it changed.
fn replace_in(table: &Table, mode: Mode, node: &mut Node<'_>) -> bool {
    let Value::Str(text) = &node.value else {
        return false;
    };
    let Cow::Owned(rewritten) = replace(table, mode, text) else {
        return false; // borrowed: no token, the text as it was
    };
    node.value = Value::Str(Cow::Owned(rewritten));
    node.dirty = true;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table::new([("[NAME_1]", "Ana \"Nan\" Lee"), ("[PHONE_1]", "415")]).unwrap()
    }

    #[test]
    fn texts_and_arguments_are_rehydrated_and_the_rest_kept_as_sent() {
        let body = br#"{"id": "x", "choices": [{"index": 0, "message": {"role": "assistant",
            "content": "Hi [NAME_1]", "tool_calls": [{"function": {"name": "f",
            "arguments": "{\"n\": \"[NAME_1]\"}"}}]}}], "usage": {"total_tokens": 9}}"#;
        let out = String::from_utf8(rehydrate(&table(), body).unwrap()).unwrap();
        assert!(out.starts_with(r#"{"id":"x","choices":[{"index":0,"message":{"role":"#));
        assert!(out.contains(r#""content":"Hi Ana \"Nan\" Lee""#), "{out}");
        assert!(
            out.contains(r#""arguments":"{\"n\": \"Ana \\\"Nan\\\" Lee\"}""#),
            "{out}"
        );
        assert!(out.ends_with(r#""usage":{"total_tokens": 9}}"#), "{out}");
    }

    #[test]
    fn nothing_to_replace_or_nothing_readable_gives_none() {
        for body in [
            &br#"{"choices": [{"message": {"content": "plain"}}]}"#[..],
            b"oops",
            b"[]",
            br#"{"choices": 3}"#,
            br#"{"choices": [{"message": {"content": 5}}, null]}"#,
        ] {
            assert!(rehydrate(&table(), body).is_none());
        }
    }
}
