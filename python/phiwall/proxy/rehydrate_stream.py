"""Rehydration of a streamed chat completion, one SSE event at a time: the reference.

The proxy relays streams with the native `Rehydrator.events()` (`rust/sse`), which
decodes a whole network read and rehydrates its events in one call; this module, with
`sse.SSEDecoder`, is the behaviour it is held to (`tests/proxy/test_native_events.py`).

Each choice's `delta.content` (and `delta.refusal`) gets its own streaming
rehydrator, and so does each tool call's `function.arguments` and the legacy
`function_call.arguments` (in JSON-string mode).
A rehydrator emits text at once and holds back only a tail that could still be the
start of a token; that held text is flushed into the chunk carrying the choice's
`finish_reason`, or, if the upstream never sends one, into a chunk of its own just
before `[DONE]` (or the end of the stream). Events that are not JSON chunks (`[DONE]`,
usage, anything else) pass through byte for byte; a chunk is re-encoded only when a
field in it changed.

The fast path: while no rehydrator holds text back, a chunk whose texts have no `[`
cannot contain or start a token, so it goes out exactly as it came — most events of an
answer. Checking costs a typed msgspec decode of just those texts (about half of a
full decode, and no encode).
"""

from __future__ import annotations

from time import perf_counter_ns
from typing import Any

import msgspec

from phiwall.proxy.rehydrate import Rehydrator, TextStream
from phiwall.proxy.sse import ServerSentEvent

_decode = msgspec.json.Decoder().decode
_encode = msgspec.json.Encoder().encode

DONE = b"[DONE]"
TEXT_FIELDS = ("content", "refusal")  # a delta's texts, rehydrated as plain text
#: The key part of the legacy `function_call`'s stream (tool calls have int indexes).
LEGACY = "function_call"


class _Function(msgspec.Struct, gc=False):
    arguments: str | None = None


class _ToolCall(msgspec.Struct, gc=False):
    function: _Function | None = None


class _Delta(msgspec.Struct, gc=False):
    content: str | None = None
    refusal: str | None = None
    tool_calls: list[_ToolCall] | None = None
    function_call: _Function | None = None


class _Choice(msgspec.Struct, gc=False):
    delta: _Delta | None = None


class _Texts(msgspec.Struct, gc=False):
    """Only the texts of a chunk that may carry tokens; everything else is skipped."""

    choices: list[_Choice] = []


_peek = msgspec.json.Decoder(_Texts).decode


def _has_bracket(data: bytes) -> bool:
    """Whether a chunk's content or arguments contain `[` (True if it has another shape)."""
    try:
        texts = _peek(data)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return True  # not the usual shape: let the general path look at it
    for choice in texts.choices:
        delta = choice.delta
        if delta is None:
            continue
        if delta.content is not None and "[" in delta.content:
            return True
        if delta.refusal is not None and "[" in delta.refusal:
            return True
        functions = [call.function for call in delta.tool_calls or ()]
        for function in [*functions, delta.function_call]:
            if function is not None and function.arguments and "[" in function.arguments:
                return True
    return False


class StreamRehydrator:
    """Rewrites the events of one streamed answer; `elapsed_ns` is its total work.

    Cost per event: the typed peek (under a µs) when nothing is held and its texts
    have no `[`; otherwise a full decode, the rehydrators' feeds and, when a field
    changed, an encode (a few µs). Never raises on what the upstream sends: anything
    it cannot read as a chunk is passed through unchanged.
    """

    __slots__ = ("_arguments", "_holding", "_last", "_rehydrator", "_texts", "elapsed_ns")

    def __init__(self, rehydrator: Rehydrator) -> None:
        self._rehydrator = rehydrator
        self._texts: dict[tuple[int, str], TextStream] = {}  # (choice, field) -> stream
        # (choice, call index or LEGACY) -> stream
        self._arguments: dict[tuple[int, int | str], TextStream] = {}
        self._holding: set[object] = set()  # keys of the streams that may hold a token start
        self._last: dict[str, Any] = {}  # the last chunk with choices: its id, model, ...
        self.elapsed_ns = 0

    def rewrite(self, event: ServerSentEvent) -> bytes:
        """The wire bytes to send for `event` (with held text flushed before `[DONE]`)."""
        started = perf_counter_ns()
        try:
            if event.data == DONE:
                return self.finish() + event.encode()
            if not self._holding and not _has_bracket(event.data):
                return event.encode()  # nothing held, no token can start here: unchanged
            try:
                chunk = _decode(event.data)
            except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
                return event.encode()
            if not isinstance(chunk, dict) or not self._rewrite_chunk(chunk):
                return event.encode()
            return ServerSentEvent(_encode(chunk), event.event, event.id, event.retry).encode()
        finally:
            self.elapsed_ns += perf_counter_ns() - started

    def finish(self) -> bytes:
        """End of stream: a chunk carrying whatever text is still held, or `b""`."""
        deltas: dict[int, dict[str, Any]] = {}
        for (index, field), stream in self._texts.items():
            held = stream.flush()
            if held:
                deltas.setdefault(index, {})[field] = held
        for (index, call), stream in self._arguments.items():
            held = stream.flush()
            if held and call == LEGACY:
                deltas.setdefault(index, {})["function_call"] = {"arguments": held}
            elif held:
                calls = deltas.setdefault(index, {}).setdefault("tool_calls", [])
                calls.append({"index": call, "function": {"arguments": held}})
        self._texts.clear()
        self._arguments.clear()
        self._holding.clear()
        if not deltas:
            return b""
        chunk = {
            "id": self._last.get("id", ""),
            "object": self._last.get("object", "chat.completion.chunk"),
            "created": self._last.get("created", 0),
            "model": self._last.get("model", ""),
            "choices": [
                {"index": index, "delta": delta, "finish_reason": None}
                for index, delta in sorted(deltas.items())
            ],
        }
        return ServerSentEvent(_encode(chunk)).encode()

    def _rewrite_chunk(self, chunk: dict[str, Any]) -> bool:
        choices = chunk.get("choices")
        if not isinstance(choices, list) or not choices:
            return False
        self._last = chunk
        changed = False
        for position, choice in enumerate(choices):
            if isinstance(choice, dict):
                changed = self._rewrite_choice(choice, position) or changed
        return changed

    def _rewrite_choice(self, choice: dict[str, Any], position: int) -> bool:
        index = choice.get("index", position)
        if not isinstance(index, int):
            index = position
        delta = choice.get("delta")
        changed = False
        if isinstance(delta, dict):
            for field in TEXT_FIELDS:
                text = delta.get(field)
                if isinstance(text, str) and text:
                    key = (index, field)
                    rewritten = self._feed(key, self._text_stream(key), text)
                    if rewritten != text:
                        delta[field] = rewritten
                        changed = True
            calls = delta.get("tool_calls")
            if isinstance(calls, list):
                changed = self._rewrite_calls(index, calls) or changed
            legacy = delta.get("function_call")
            if isinstance(legacy, dict):
                changed = self._rewrite_arguments((index, LEGACY), legacy) or changed
        if choice.get("finish_reason") is not None:
            changed = self._flush_choice(index, choice) or changed
        return changed

    def _rewrite_calls(self, index: int, calls: list[Any]) -> bool:
        changed = False
        for position, call in enumerate(calls):
            if not isinstance(call, dict):
                continue
            function = call.get("function")
            if not isinstance(function, dict):
                continue
            number = call.get("index", position)
            key = (index, number if isinstance(number, int) else position)
            changed = self._rewrite_arguments(key, function) or changed
        return changed

    def _rewrite_arguments(self, key: tuple[int, int | str], function: dict[str, Any]) -> bool:
        """Feed a function's `arguments` to the stream of `key`; whether they changed."""
        arguments = function.get("arguments")
        if not isinstance(arguments, str) or not arguments:
            return False
        stream = self._arguments.get(key)
        if stream is None:
            stream = self._arguments[key] = self._rehydrator.stream(json_string=True)
        rewritten = self._feed(key, stream, arguments)
        if rewritten == arguments:
            return False
        function["arguments"] = rewritten
        return True

    def _flush_choice(self, index: int, choice: dict[str, Any]) -> bool:
        """Put the choice's held text into this, its last chunk."""
        changed = False
        delta = choice.get("delta")
        if not isinstance(delta, dict):
            delta = None
        for field in TEXT_FIELDS:
            self._holding.discard((index, field))
            stream = self._texts.pop((index, field), None)
            held = stream.flush() if stream is not None else ""
            if held:
                if delta is None:
                    delta = choice["delta"] = {}
                before = delta.get(field)
                delta[field] = (before if isinstance(before, str) else "") + held
                changed = True
        for key in [key for key in self._arguments if key[0] == index]:
            self._holding.discard(key)
            held = self._arguments.pop(key).flush()
            if held:
                if delta is None:
                    delta = choice["delta"] = {}
                if key[1] == LEGACY:
                    _append_function_call(delta, held)
                else:
                    _append_arguments(delta, key[1], held)
                changed = True
        return changed

    def _feed(self, key: object, stream: TextStream, text: str) -> str:
        """Feed `stream`, noting whether it may now hold text back.

        A stream holds back only a tail that starts with `[` and has no `]`, so it
        may hold after a chunk whose last `[` follows its last `]`, and holds nothing
        after a chunk whose last `]` follows its last `[`. Otherwise nothing changed.
        """
        opened = text.rfind("[")
        closed = text.rfind("]")
        if opened > closed:
            self._holding.add(key)
        elif closed > opened:
            self._holding.discard(key)
        return stream.feed(text)

    def _text_stream(self, key: tuple[int, str]) -> TextStream:
        stream = self._texts.get(key)
        if stream is None:
            stream = self._texts[key] = self._rehydrator.stream()
        return stream


def _append_function_call(delta: dict[str, Any], held: str) -> None:
    """Append `held` to the legacy `function_call.arguments` of `delta`, adding it if absent."""
    function = delta.get("function_call")
    if not isinstance(function, dict):
        function = delta["function_call"] = {}
    arguments = function.get("arguments")
    function["arguments"] = (arguments if isinstance(arguments, str) else "") + held


def _append_arguments(delta: dict[str, Any], number: int | str, held: str) -> None:
    """Append `held` to tool call `number`'s arguments in `delta`, adding it if absent."""
    calls = delta.get("tool_calls")
    if not isinstance(calls, list):
        calls = delta["tool_calls"] = []
    for position, call in enumerate(calls):
        if isinstance(call, dict) and call.get("index", position) == number:
            function = call.get("function")
            if not isinstance(function, dict):
                function = call["function"] = {}
            arguments = function.get("arguments")
            function["arguments"] = (arguments if isinstance(arguments, str) else "") + held
            return
    calls.append({"index": number, "function": {"arguments": held}})
