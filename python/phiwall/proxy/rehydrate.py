"""Rehydration of a whole (non-streamed) chat completion: the reference.

The proxy answers with the native `Rehydrator.completion` (`rust/completion.rs`), which
rewrites only the changed strings; `rehydrate_completion` is the behaviour it is held to
(`tests/proxy/test_native_completion.py`).

The answer's `choices[*].message.content` and `refusal` get their tokens replaced by
the original values; each tool call's `function.arguments` (a JSON text) gets them
JSON-escaped. Everything else in the body is left exactly as the upstream sent it.
"""

from __future__ import annotations

from typing import Any, Protocol

import msgspec

_decode = msgspec.json.Decoder().decode
_encode = msgspec.json.Encoder().encode


class TextStream(Protocol):
    """A streaming rehydrator: emits text at once, holds back a possible token start."""

    def feed(self, chunk: str) -> str: ...

    def flush(self) -> str: ...


class EventStream(Protocol):
    """A streamed answer's SSE bytes rehydrated: the bytes to send per read, then the tail."""

    def feed(self, chunk: bytes) -> bytes: ...

    def flush(self) -> bytes: ...


class Rehydrator(Protocol):
    """`phiwall._native.Rehydrator`: puts a request's original values back."""

    def replace(self, text: str, *, json_string: bool = False) -> str: ...

    def stream(self, json_string: bool = False) -> TextStream: ...

    def events(self) -> EventStream: ...

    def completion(self, body: bytes) -> bytes: ...


def rehydrate_arguments(rehydrator: Rehydrator, arguments: str) -> str:
    """Tool-call `arguments` with the original values put back, JSON-escaped."""
    return rehydrator.replace(arguments, json_string=True)


def rehydrate_message(rehydrator: Rehydrator, message: dict[str, Any]) -> None:
    """Rehydrate one assistant `message` in place (content, refusal, tool calls)."""
    for field in ("content", "refusal"):
        text = message.get(field)
        if isinstance(text, str):
            message[field] = rehydrator.replace(text)
    tool_calls = message.get("tool_calls")
    if isinstance(tool_calls, list):
        for call in tool_calls:
            function = call.get("function") if isinstance(call, dict) else None
            _rehydrate_function(rehydrator, function)
    _rehydrate_function(rehydrator, message.get("function_call"))


def rehydrate_completion(rehydrator: Rehydrator, body: bytes) -> bytes:
    """The upstream's JSON answer with the original values put back.

    Cost: one decode and one encode of the answer plus the replacements, a few
    microseconds for a voice-sized answer. A body that is not a JSON object, or has
    no choices, is returned unchanged: there is nothing it could reveal.
    """
    try:
        answer = _decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return body
    choices = answer.get("choices") if isinstance(answer, dict) else None
    if not isinstance(choices, list):
        return body
    for choice in choices:
        message = choice.get("message") if isinstance(choice, dict) else None
        if isinstance(message, dict):
            rehydrate_message(rehydrator, message)
    return _encode(answer)


def _rehydrate_function(rehydrator: Rehydrator, function: object) -> None:
    if isinstance(function, dict):
        arguments = function.get("arguments")
        if isinstance(arguments, str):
            function["arguments"] = rehydrate_arguments(rehydrator, arguments)
