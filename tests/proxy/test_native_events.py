"""Parity of the native SSE rewriter, `Rehydrator.events()`, with the Python reference.

The reference is what `relay_stream` does with each network read: `SSEDecoder`, then
`StreamRehydrator`, then `finish` at the end. Both sides get the same reads. Each read's
output must hold the same events, with the same `event`, `id` and `retry`. Their `data`
must be equal as bytes, or else be JSON with equal values: the native side splices
values into the upstream's bytes where the reference re-encodes. Each text (content,
refusal, tool-call arguments) joined over all reads must also be the same. Each
table-driven case runs through several wire cuttings. Hypothesis draws streams from the
mock upstream's builder and cutters.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from proxy_support import make_rehydrator

from phiwall.mock_upstream.chunking import TEXT_CHUNKINGS, WireCutter, split_text
from phiwall.mock_upstream.directives import Directive, StreamErrorDirective
from phiwall.mock_upstream.script import Reply, ToolCall, stream_events
from phiwall.proxy.rehydrate_stream import StreamRehydrator
from phiwall.proxy.sse import ServerSentEvent, SSEDecoder


def _has_events() -> bool:
    """Whether the built native module has `Rehydrator.events` yet."""
    try:
        from phiwall._native import Rehydrator
    except ImportError:
        return False
    return hasattr(Rehydrator({}), "events")


pytestmark = pytest.mark.skipif(
    not _has_events(), reason="phiwall._native.Rehydrator.events() is not built yet"
)

TABLE = {
    "[NAME_1]": 'Ana "Nan" Lee',
    "[PHONE_1]": "415-555-0134",
    "[NAME_2]": "José\nO'Brien \\ x",
    "[NAME_10]": "Bo",
    "[CITY_1]": "São Paulo 🌆",
}
_decode_errors = (msgspec.DecodeError, UnicodeDecodeError, RecursionError)


# --- the two sides and the comparison ---------------------------------------------------


def reference(table: dict[str, str], reads: list[bytes]) -> list[bytes]:
    """What `relay_stream` sends for each read, then its tail, as the last element."""
    decoder = SSEDecoder()
    rewriter = StreamRehydrator(make_rehydrator(table))
    outs = [b"".join([rewriter.rewrite(event) for event in decoder.feed(read)]) for read in reads]
    tail = b"".join([rewriter.rewrite(event) for event in decoder.flush()]) + rewriter.finish()
    return [*outs, tail]


def native(table: dict[str, str], reads: list[bytes]) -> list[bytes]:
    """What `Rehydrator(table).events()` returns for each read, then its flush."""
    from phiwall._native import Rehydrator

    rehydrator: Any = Rehydrator(table)
    events = rehydrator.events()
    return [*[events.feed(read) for read in reads], events.flush()]


def decode(out: bytes) -> list[ServerSentEvent]:
    """The events of one output, read by a fresh decoder."""
    decoder = SSEDecoder()
    return decoder.feed(out) + decoder.flush()


def canonical(data: bytes) -> bytes | None:
    """`data` decoded as JSON and re-encoded with sorted keys; None if it is not JSON.

    Stricter than comparing the decoded values: `true` is not `1`, `1.0` is not `1`.
    """
    try:
        return msgspec.json.encode(msgspec.json.decode(data), order="sorted")
    except _decode_errors:
        return None


def same_data(expected: bytes, actual: bytes) -> bool:
    """Equal bytes, or JSON texts of equal values."""
    if expected == actual:
        return True
    want = canonical(expected)
    return want is not None and want == canonical(actual)


def _json_key(value: object) -> str:
    return msgspec.json.encode(value).decode()


def _texts(data: bytes) -> Iterator[tuple[str, str]]:
    """Each (choice, field) text of one event's chunk; nothing if it is not a chunk."""
    try:
        chunk = msgspec.json.decode(data)
    except _decode_errors:
        return
    choices = chunk.get("choices") if isinstance(chunk, dict) else None
    if not isinstance(choices, list):
        return
    for position, choice in enumerate(choices):
        delta = choice.get("delta") if isinstance(choice, dict) else None
        if not isinstance(delta, dict):
            continue
        index = _json_key(choice.get("index", position))
        for field in ("content", "refusal"):
            text = delta.get(field)
            if isinstance(text, str):
                yield f"{index}/{field}", text
        calls = delta.get("tool_calls")
        for number, call in enumerate(calls if isinstance(calls, list) else []):
            function = call.get("function") if isinstance(call, dict) else None
            arguments = function.get("arguments") if isinstance(function, dict) else None
            if isinstance(arguments, str):
                yield f"{index}/call {_json_key(call.get('index', number))}", arguments
        legacy = delta.get("function_call")
        arguments = legacy.get("arguments") if isinstance(legacy, dict) else None
        if isinstance(arguments, str):
            yield f"{index}/function_call", arguments


def texts_of(outs: list[bytes]) -> dict[str, str]:
    """Every text stream of the answer, joined over all the outputs."""
    joined: dict[str, str] = {}
    for out in outs:
        for event in decode(out):
            for key, text in _texts(event.data):
                joined[key] = joined.get(key, "") + text
    return joined


def assert_same_output(where: str, want: bytes, got: bytes) -> None:
    """One output of each side: the same events, JSON data equal in value."""
    assert isinstance(got, bytes), where
    assert bool(got) == bool(want), f"{where}: {want!r} vs {got!r}"
    want_events, got_events = decode(want), decode(got)
    assert len(got_events) == len(want_events), f"{where}: {want!r} vs {got!r}"
    for a, b in zip(want_events, got_events, strict=True):
        assert (b.event, b.id, b.retry) == (a.event, a.id, a.retry), f"{where}: {a} vs {b}"
        assert same_data(a.data, b.data), f"{where}: {a.data!r} vs {b.data!r}"


def assert_same(table: dict[str, str], reads: list[bytes]) -> None:
    """The native rewriter gives the reference's events for every read and the tail."""
    expected = reference(table, reads)
    actual = native(table, reads)
    assert len(actual) == len(expected)
    for number, (want, got) in enumerate(zip(expected, actual, strict=True)):
        assert_same_output(f"read {number}" if number < len(reads) else "flush", want, got)
    assert texts_of(actual) == texts_of(expected)


# --- building streams --------------------------------------------------------------------

HEAD: dict[str, Any] = {
    "id": "chatcmpl-1",
    "object": "chat.completion.chunk",
    "created": 1700000000,
    "model": "gpt-4o-mini",
    "system_fingerprint": "fp_1",
}


def chunk(*choices: Any, **fields: Any) -> bytes:
    """A chunk in the mock's shape (compact JSON) with these choices."""
    return msgspec.json.encode({**HEAD, "choices": list(choices), **fields})


def choice(index: Any = 0, finish: Any = None, **delta: Any) -> dict[str, Any]:
    """One choice whose delta has the given fields."""
    return {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}


def say(content: str, index: Any = 0, finish: Any = None) -> dict[str, Any]:
    """A content delta."""
    return choice(index, finish, content=content)


def call(arguments: str, number: Any = 0, index: Any = 0, finish: Any = None) -> dict[str, Any]:
    """A delta with one tool call's arguments fragment."""
    return choice(
        index, finish, tool_calls=[{"index": number, "function": {"arguments": arguments}}]
    )


def legacy(arguments: str, index: Any = 0, finish: Any = None) -> dict[str, Any]:
    """A delta with a fragment of the legacy `function_call`'s arguments."""
    return choice(index, finish, function_call={"arguments": arguments})


def stop(index: Any = 0, reason: Any = "stop", **shape: Any) -> dict[str, Any]:
    """The finish_reason choice; `shape` replaces its delta (`delta=None`, `delta=...`)."""
    finished: dict[str, Any] = {"index": index, "delta": {}, "logprobs": None}
    finished.update(shape)
    finished["finish_reason"] = reason
    return finished


def sse(data: bytes, *fields: tuple[bytes, bytes], eol: bytes = b"\n") -> bytes:
    """One event on the wire: `fields` (name, value) first, then `data` lines, blank line."""
    lines = [name + b": " + value for name, value in fields]
    lines += [b"data: " + line for line in data.split(b"\n")]
    return eol.join(lines) + eol + eol


def ev(*choices: Any, **fields: Any) -> bytes:
    """One `data:` event of a chunk with these choices."""
    return sse(chunk(*choices, **fields))


DONE = sse(b"[DONE]")
ROLE = ev(choice(role="assistant", content="", refusal=None))
TOOL_HEAD = ev(
    choice(
        role="assistant",
        content=None,
        tool_calls=[
            {
                "index": 0,
                "id": "call_1",
                "type": "function",
                "function": {"name": "lookup", "arguments": ""},
            }
        ],
    )
)
USAGE = sse(chunk(usage={"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}))


def answer(*pieces: str, finish: bool = True, done: bool = True) -> list[bytes]:
    """A plain answer: role delta, one content delta per piece, finish chunk, [DONE]."""
    events = [ROLE, *[ev(say(piece)) for piece in pieces]]
    return events + [ev(stop())] * finish + [DONE] * done


def with_eol(events: list[bytes], eol: bytes) -> list[bytes]:
    """The same events with another line ending."""
    return [event.replace(b"\n", eol) for event in events]


def raw(data: bytes) -> bytes:
    """An event whose data is exactly `data` (one line)."""
    return b"data: " + data + b"\n\n"


NESTED_200 = b"[" * 200 + b"]" * 200
NESTED_3000 = b"[" * 3000 + b"]" * 3000
ARGUMENTS = msgspec.json.encode({"who": "[NAME_2]", "phone": "[PHONE_1]", "q": 'say "[NAME_1]"'})

CASES = [
    pytest.param([], id="empty-stream"),
    pytest.param(answer("Hello ", "there."), id="no-tokens"),
    pytest.param(answer("Hi [NAME_1], call [PHONE_1]."), id="tokens-whole-in-one-delta"),
    pytest.param(answer("Hi [NA", "ME_1], call [PHO", "NE_1] now"), id="token-split-across-events"),
    pytest.param(answer(*"[NAME_1] [PHONE_1]"), id="token-one-char-per-event"),
    pytest.param(answer("[ name", "_1 ] and [Phone_1", "  ]"), id="token-case-and-spaces-variants"),
    pytest.param(answer("[NAME_1", "0] vs [NAME_1", "]"), id="token-prefix-of-longer-token"),
    pytest.param(answer("[NAME_9", "] and [x", "] [[", "NAME_1]]"), id="unknown-and-near-tokens"),
    pytest.param(answer("call [PHONE"), id="held-flushed-into-finish-empty-delta"),
    pytest.param(
        [ROLE, ev(say("call [PHO")), ev(say("NE_1] or [NA", finish="stop")), DONE],
        id="held-in-finish-chunk-with-content",
    ),
    pytest.param(
        [ROLE, ev(say("call [PHONE")), ev(stop(delta=None)), DONE], id="held-finish-delta-null"
    ),
    pytest.param(
        [
            ROLE,
            ev(say("call [PHONE")),
            ev({"index": 0, "finish_reason": "stop"}),
            DONE,
        ],
        id="held-finish-delta-missing",
    ),
    pytest.param(
        [ROLE, ev(say("call [PHONE")), ev(stop(delta={"role": "assistant"})), DONE],
        id="held-finish-content-key-missing",
    ),
    pytest.param(
        [ROLE, ev(say("call [PHONE")), ev(stop(delta={"content": None})), DONE],
        id="held-finish-content-null",
    ),
    pytest.param(
        [ROLE, ev(say("call [PHONE")), ev(stop(delta={"content": ""})), DONE],
        id="held-finish-content-empty",
    ),
    pytest.param(
        [ROLE, ev(say("call [PHONE")), ev(stop(delta={"content": 0})), DONE],
        id="held-finish-content-zero",
    ),
    pytest.param(
        [ROLE, ev(say("call [PHONE")), ev(stop(delta="x")), DONE],
        id="held-finish-delta-a-string",
    ),
    pytest.param(
        [ROLE, ev(say("call [PHONE")), ev(stop(delta={"content": 7})), DONE],
        id="held-finish-content-a-number",
    ),
    pytest.param(
        [ROLE, ev(say("x [NAME_")), ev(stop(reason=False)), ev(say("then [PH")), DONE],
        id="finish-reason-false-flushes",
    ),
    pytest.param(
        [ROLE, ev(say("x [NAME_")), ev(stop(reason="")), ev(say("[PHONE_1]")), DONE],
        id="finish-reason-empty-string-flushes",
    ),
    pytest.param(
        [ROLE, ev(say("x [NAME_")), ev(stop(reason=None)), DONE], id="finish-reason-null-holds"
    ),
    pytest.param(answer("bye [NAME_", finish=False), id="held-no-finish-flushed-before-done"),
    pytest.param(answer("bye [NAME_1", finish=False, done=False), id="held-flushed-at-end"),
    pytest.param(answer("bye [NAME_1", done=False), id="held-finish-no-done"),
    pytest.param(
        [ROLE, ev(say("bye [NA")), sse(b"[DONE]", (b"event", b"end"), (b"id", b"9"))],
        id="held-before-done-with-fields",
    ),
    pytest.param([ROLE, ev(say("all done")), DONE], id="done-with-nothing-held"),
    pytest.param(
        [ROLE, ev(say("a [NAM")), DONE, ev(say("E_1] b [PHO")), DONE, ev(say("NE_1"))],
        id="events-after-done",
    ),
    pytest.param(
        [raw(b"[DONE] "), raw(b" [DONE]"), raw(b"[done]"), ev(say("[NA")), raw(b"[DONE]\n")],
        id="done-lookalikes",
    ),
    pytest.param(
        [
            ROLE,
            ev(say("A [NAM", 0)),
            ev(say("B [PHO", 1)),
            ev(say("E_1] a2 [CI", 0)),
            ev(stop(0)),
            ev(say("NE_1] b2 [NAME_", 1)),
            ev(say("TY_1]", 0)),
            DONE,
        ],
        id="choices-have-own-streams",
    ),
    pytest.param(
        [
            ev(say("A [NAM", 0), say("B [PHO", 1)),
            ev(say("E_1]", 0), say("NE_1] [NAM", 1)),
            ev(stop(0), stop(1, delta=None)),
            DONE,
        ],
        id="two-choices-per-chunk",
    ),
    pytest.param(
        [
            ev({"delta": {"content": "no index [NA"}}, {"delta": {"content": "[PHO"}}),
            ev({"delta": {"content": "ME_1]"}}, {"delta": {"content": "NE_1]"}}),
            ev({"finish_reason": "stop"}, {"finish_reason": "stop"}),
        ],
        id="choice-index-missing",
    ),
    pytest.param(
        [ev(say("s [NA", "0")), ev(say("ME_1] [PHO", "0")), ev(say("x", 0)), DONE],
        id="choice-index-a-string",
    ),
    pytest.param(
        [ev(say("t [NA", True)), ev(say("ME_1] [PHO", 1)), ev(say("NE_", True)), DONE],
        id="choice-index-a-bool",
    ),
    pytest.param(
        [ev(say("t [NA", True)), ev(stop(1)), ev(say("[PHO", False)), DONE],
        id="choice-index-bool-finish",
    ),
    pytest.param(
        [ev(say("f [NA", 1.0)), ev(say("n [PHO", -1), say("b [CI", 2**40)), DONE],
        id="choice-index-float-negative-big",
    ),
    pytest.param(
        [ev(say("a [NA", 1)), ev(say("b [PHO", 0)), DONE], id="finish-chunk-sorted-by-index"
    ),
    pytest.param(
        [
            ev(choice(refusal="no, [NA")),
            ev(choice(refusal="ME_1] and [PHO")),
            ev(choice(refusal="NE_1")),
            ev(stop()),
            DONE,
        ],
        id="refusal",
    ),
    pytest.param(
        [ev(choice(content="c [NA", refusal="r [PHO")), ev(stop(delta={"refusal": None})), DONE],
        id="refusal-and-content-held-to-finish",
    ),
    pytest.param(
        [ev(choice(content="c [NA", refusal="r [PHO")), DONE], id="refusal-and-content-at-done"
    ),
    pytest.param(
        [
            TOOL_HEAD,
            *[
                ev(call(piece.decode()))
                for piece in (ARGUMENTS[:9], ARGUMENTS[9:30], ARGUMENTS[30:])
            ],
            ev(stop(reason="tool_calls")),
            DONE,
        ],
        id="tool-call-arguments-json-escaped",
    ),
    pytest.param(
        [TOOL_HEAD, ev(call('{"a": "[NAME_1]", "b": "[NAME_2]"}')), DONE],
        id="tool-call-arguments-whole",
    ),
    pytest.param(
        [TOOL_HEAD, ev(call('{"a": "[NAME_')), ev(stop(reason="tool_calls")), DONE],
        id="held-arguments-into-finish-without-entry",
    ),
    pytest.param(
        [
            TOOL_HEAD,
            ev(call('{"a": "[NAME_')),
            ev(stop(reason="tool_calls", delta={"tool_calls": [{"index": 0, "function": {}}]})),
            DONE,
        ],
        id="held-arguments-into-existing-entry",
    ),
    pytest.param(
        [
            TOOL_HEAD,
            ev(call('{"a": "[NA')),
            ev(call('ME_1]", "b": "[PHO', finish="tool_calls")),
            DONE,
        ],
        id="held-arguments-into-entry-with-arguments",
    ),
    pytest.param(
        [
            TOOL_HEAD,
            ev(call('{"a": "[NA')),
            ev(stop(reason="tool_calls", delta={"tool_calls": [{"index": 0, "function": 5}]})),
            DONE,
        ],
        id="held-arguments-into-entry-function-not-dict",
    ),
    pytest.param(
        [
            TOOL_HEAD,
            ev(call('{"a": "[NA')),
            ev(stop(reason="tool_calls", delta={"tool_calls": [{"index": 3, "function": {}}]})),
            DONE,
        ],
        id="held-arguments-entry-of-other-index",
    ),
    pytest.param(
        [
            TOOL_HEAD,
            ev(call('{"a": "[NA')),
            ev(stop(reason="tool_calls", delta={"tool_calls": "x"})),
            DONE,
        ],
        id="held-arguments-tool-calls-not-list-in-finish",
    ),
    pytest.param(
        [
            ev(choice(function_call={"name": "lookup", "arguments": ""})),
            ev(legacy('{"who": "[NAME_2]", "q": "[NA')),
            ev(legacy("ME_1] and [PHO")),
            ev(stop(reason="function_call")),
            DONE,
        ],
        id="legacy-function-call-rehydrated-and-flushed-into-finish",
    ),
    pytest.param(
        [ev(legacy('{"p": "[PHONE_1]", "q": "[NAME_')), DONE],
        id="legacy-function-call-held-flushed-before-done",
    ),
    pytest.param(
        [
            ev(legacy('{"q": "[NAME_1')),
            ev(stop(reason="function_call", delta={"function_call": 5})),
            ev(legacy('{"x": "[NAME_1]"}', index=1, finish="stop")),
        ],
        id="legacy-function-call-not-an-object-in-finish",
    ),
    pytest.param(
        [
            TOOL_HEAD,
            ev(call('{"a": "[NA')),
            ev(stop(reason="tool_calls", delta={"tool_calls": [{"function": {"arguments": 1}}]})),
            DONE,
        ],
        id="held-arguments-entry-without-index",
    ),
    pytest.param(
        [
            ev(call('{"a": "[NA', 0), call('{"b": "[PHO', 1)),
            ev(call('{"c": "[CITY', 1, index=1)),
            ev(choice(content="and [NAME_")),
            ev(stop(reason="tool_calls", delta=None)),
            ev(stop(1, reason="tool_calls")),
        ],
        id="several-calls-and-content-held",
    ),
    pytest.param(
        [ev(call('{"a": "[NA', 0), call('{"b": "[PHO', 2)), DONE],
        id="held-arguments-at-done",
    ),
    pytest.param(
        [
            ev(choice(tool_calls=[{"function": {"arguments": '{"a": "[NA'}}])),
            ev(choice(tool_calls=[{"index": "0", "function": {"arguments": 'ME_1]"}'}}])),
            ev(choice(tool_calls=[{"index": True, "function": {"arguments": '"[PHO'}}])),
            DONE,
        ],
        id="tool-call-index-missing-string-bool",
    ),
    pytest.param(
        [
            ev(choice(tool_calls=[None, 3, {"function": None}, {"function": {"arguments": 4}}])),
            ev(choice(tool_calls={"0": {"function": {"arguments": "[NAME_1]"}}})),
            ev(choice(tool_calls=[{"function": {"arguments": ""}}, {"function": "[NAME_1]"}])),
            DONE,
        ],
        id="tool-calls-wrong-shapes",
    ),
    pytest.param(
        [
            sse(chunk(say("a [NA")), (b"event", b"message"), (b"id", b"1"), (b"retry", b"30")),
            sse(chunk(say("ME_1] b")), (b"id", b"2")),
            sse(chunk(say("plain")), (b"event", b"x"), (b"retry", b"100")),
            sse(chunk(stop()), (b"id", b"")),
            DONE,
        ],
        id="event-id-retry-fields",
    ),
    pytest.param(
        [
            b"retry: soon\nid: a\x00b\nfoo: bar\ndata\nevent\n"
            + b"data: "
            + chunk(say("[NAME_1]"))
            + b"\n\n",
            b"event: lonely\nid: 3\n\n",
            ev(say("after")),
        ],
        id="ignored-and-odd-fields",
    ),
    pytest.param(
        [
            b": keep-alive\n\n",
            ev(say("a [NA")),
            b": ping\n: pong\n\n",
            b"data: " + chunk(say("ME_1]")) + b"\n: inside\n\n",
            b":\n\n",
            DONE,
        ],
        id="comments",
    ),
    pytest.param(
        with_eol(answer("Hi [NA", "ME_1] and [PHO", finish=False), b"\r\n"), id="crlf-endings"
    ),
    pytest.param(with_eol(answer("Hi [NA", "ME_1] and [PHO"), b"\r"), id="cr-endings"),
    pytest.param(
        with_eol(answer("Hi [NA", "ME_1]", done=False, finish=False), b"\r"),
        id="cr-endings-no-done",
    ),
    pytest.param(
        [
            ev(say("a [NA")).replace(b"\n", b"\r\n"),
            ev(say("ME_1] [PHO")).replace(b"\n", b"\r"),
            ev(say("NE_1]")),
            DONE.replace(b"\n", b"\r"),
        ],
        id="mixed-endings",
    ),
    pytest.param(
        [
            b'data: {"choices":[{"index":0,\ndata: "delta":{"content":"[NAME_1] x"}}]}\n\n',
            b'data: {"choices":[{"index":0,"delta":\r\ndata: {"content":"[NA"}}]}\r\n\r\n',
            b"data: first [NAME_1]\ndata: second\n\n",
            b'data: {"choices":[{"delta":{"content":"ME_1]"}}]}\ndata:\n\n',
        ],
        id="multi-line-data",
    ),
    pytest.param(
        [
            ev(say("a [NA")),
            raw(b"<html>[NAME_1]</html>"),
            raw(b"not json {"),
            sse(b""),
            raw(b'{"choices":[{"delta":{"content":"x"}}]} trailing'),
            ev(say("ME_1]")),
            DONE,
        ],
        id="non-json-data",
    ),
    pytest.param(
        [
            raw(b'{"choices":[{"delta":{"content":"\xff [NAME_1]"}}]}'),
            ev(say("a [NA")),
            raw(b'{"choices":[{"delta":{"content":"\xed\xa0\x80 [PHONE_1]"}}]}'),
            raw(b"\xc3"),
            ev(say("ME_1]")),
        ],
        id="invalid-utf8-data",
    ),
    pytest.param(
        [
            ev(say("a [NA")),
            raw(b"[1, 2]"),
            raw(b'"[NAME_1]"'),
            raw(b"null"),
            raw(b"42"),
            raw(b'["ME_1]"]'),
            ev(say("ME_1]")),
        ],
        id="json-not-an-object",
    ),
    pytest.param(
        [
            ev(say("a [NA")),
            raw(b'{"choices":{"0":{"delta":{"content":"[NAME_1]"}}}}'),
            raw(b'{"choices":null}'),
            raw(b'{"choices":"[NAME_1]"}'),
            raw(b'{"choices":[1,null,"x",[]]}'),
            raw(b'{"choices":[{"delta":"[NAME_1]"},{"delta":null},{"delta":[]}]}'),
            raw(b'{"choices":[{"delta":{"content":7}},{"delta":{"content":["[NA"]}}]}'),
            raw(b'{"choices":[{"delta":{"content":true,"refusal":{"a":"[NAME_1]"}}}]}'),
            ev(say("ME_1]")),
            DONE,
        ],
        id="wrong-chunk-shapes",
    ),
    pytest.param(
        [
            raw(b'{"choices":[{"delta":{"content":7}},{"delta":{"content":"[NAME_1]"}}]}'),
            raw(b'{"choices":[{"index":"x","delta":{"tool_calls":[null,{"function":3}]}}]}'),
            raw(b'{"choices":[{"delta":{"tool_calls":"x"},"finish_reason":"stop"}]}'),
            raw(b'{"choices":[{"delta":5,"finish_reason":"stop"}]}'),
        ],
        id="wrong-shapes-with-nothing-held",
    ),
    pytest.param(
        [ROLE, USAGE, ev(say("a [NA")), USAGE, raw(b'{"choices":[]}'), ev(say("ME_1]")), DONE],
        id="usage-only-chunks",
    ),
    pytest.param(
        [ROLE, ev(say("a [NA")), sse(chunk(usage={"total_tokens": 1}, id="other")), DONE],
        id="usage-chunk-id-not-used-for-held-chunk",
    ),
    pytest.param(
        [
            ev(say("a [NA"), id="first", model="m1"),
            raw(b'{"id":"odd","model":null,"created":"x","object":{"a":[1]},"choices":[null]}'),
            DONE,
        ],
        id="held-chunk-takes-last-rewritten-chunk-fields",
    ),
    pytest.param(
        [ev(say("a [NA"), id="first"), raw(b'{"choices":[5]}'), DONE],
        id="held-chunk-defaults-when-last-has-no-fields",
    ),
    pytest.param(
        [
            ev(say("x [NAME_1] y"), id="has-bracket"),
            ev(say("plain"), id="fast-path"),
            ev(say("[NA"), id=5, created=2.5),
        ],
        id="held-chunk-id-not-a-string",
    ),
    pytest.param(
        answer("José [NAME_1]é", "日本[PHO", "NE_1]語 😀[CITY_1]😀", "ü[NAME_", "2]ß"),
        id="non-ascii-around-tokens",
    ),
    pytest.param(answer("[NAME_2]", " and [NA", "ME_2]!"), id="value-with-newline-and-backslash"),
    pytest.param(
        [
            raw(b'{"choices":[{"index":0,"delta":{"content":"\\u005bNAME_1] \\"[NAME_1]\\""}}]}'),
            raw(b'{"choices":[{"index":0,"delta":{"content":"a\\/b \\u00e9[NA"}}]}'),
            raw(b'{"choices":[{"index":0,"delta":{"content":"ME_1]\\ud83d\\ude00\\n\\t[PHO"}}]}'),
            raw(b'{"choices":[{"index":0,"delta":{"content":"NE\\u005f1\\u005d"}}]}'),
            DONE,
        ],
        id="json-escapes-in-upstream-strings",
    ),
    pytest.param(
        [
            raw(b'{"choices":[{"delta":{"content":"\\ud800 [NAME_1]"}}]}'),
            raw(b'{"choices":[{"delta":{"content":"\\udc00 [NAME_1]"}}]}'),
            raw(b'{"choices":[{"delta":{"content":"raw \x01 [NAME_1]"}}]}'),
            raw(b'\xef\xbb\xbf{"choices":[{"delta":{"content":"bom [NAME_1]"}}]}'),
            raw(b'{"choices":[{"delta":{"content":"nan [NAME_1]"}}],"x":NaN}'),
            raw(b'{"choices":[{"delta":{"content":"big [NAME_1]"}}],"x":1e400}'),
        ],
        id="json-msgspec-rejects-passes-through",
    ),
    pytest.param(
        [
            raw(
                b' { "id" : "w" , "choices" : [ { "index" : 0 , "delta" : '
                b'{ "content" : "spaced [NAME_1]" } } ] , "n" : 1E2 , "z" : -0 } '
            ),
            raw(
                b'{"created":123456789012345678901234567890,"u":18446744073709551616,'
                b'"f":1.50e-7,"choices":[{"delta":{"content":"[PHONE_1]"}}]}'
            ),
        ],
        id="json-whitespace-and-numbers",
    ),
    pytest.param(
        [raw(b'{"choices":[{"delta":{"content":"[NAME_1]","content":"x [NA"}}]}'), DONE],
        id="json-duplicate-keys",
    ),
    pytest.param(
        [
            raw(b'{"x":' + NESTED_200 + b',"choices":[{"delta":{"content":"[NAME_1]"}}]}'),
            raw(b'{"x":' + NESTED_3000 + b',"choices":[{"delta":{"content":"[NAME_1]"}}]}'),
        ],
        id="json-deep-nesting",
    ),
    pytest.param(
        [ev(say("cut [NA")), b"data: " + chunk(say("ME_1] off"))],
        id="stream-ends-mid-event",
    ),
    pytest.param(
        [ev(say("cut [NA")), b"data: " + chunk(say("ME_1] off")) + b"\r"],
        id="stream-ends-after-cr",
    ),
    pytest.param(
        [ev(say("cut [NA")), b'data: {"choices":[{"delta":{"content":"ME_'],
        id="stream-ends-mid-json",
    ),
    pytest.param(
        [
            ev(say("a [NA")),
            ev(say("ME_1] [PHO", finish="stop")),
            ev(say("again [NA")),
            ev(say("ME_1]", finish="length")),
            DONE,
        ],
        id="stream-restarts-after-finish",
    ),
]

CUTTINGS = ["whole", "event", "bytes", "random-0", "random-1", "random-2"]


def cut(events: list[bytes], cutting: str) -> list[bytes]:
    """The network reads of the stream: whole, or as `WireCutter` writes it."""
    if cutting == "whole":
        wire = b"".join(events)
        return [wire] if wire else []
    kind, _, seed = cutting.partition("-")
    cutter = WireCutter(kind, int(seed or 0))
    return [write for event in events for write in cutter.feed(event)] + cutter.flush()


@pytest.mark.parametrize("cutting", CUTTINGS)
@pytest.mark.parametrize("events", CASES)
def test_same_as_reference(events: list[bytes], cutting: str) -> None:
    """Every case, however the wire is cut, gives the reference's events per read."""
    assert_same(TABLE, cut(events, cutting))


@pytest.mark.parametrize("events", CASES[:12])
def test_same_as_reference_with_an_empty_table(events: list[bytes]) -> None:
    """Without tokens to put back nothing changes, but text is still held and flushed."""
    assert_same({}, cut(events, "bytes"))


def test_cr_then_lf_in_the_next_read() -> None:
    """A read ending in `\\r` whose `\\n` comes with the next read."""
    first, second = ev(say("a [NA")), ev(say("ME_1] b"))
    wire = (first + second).replace(b"\n", b"\r\n")
    middle = len(first.replace(b"\n", b"\r\n")) - 1
    assert_same(TABLE, [wire[:middle], wire[middle:]])
    assert_same(TABLE, [wire[: middle - 2], wire[middle - 2 : middle], wire[middle:]])


# --- the API ----------------------------------------------------------------------------


def _events() -> Any:
    """A fresh native event stream over `TABLE`."""
    from phiwall._native import Rehydrator

    rehydrator: Any = Rehydrator(TABLE)
    return rehydrator.events()


def test_feed_after_flush_raises() -> None:
    """A flushed stream takes no more reads."""
    events = _events()
    events.feed(ev(say("a [NA")))
    events.flush()
    with pytest.raises(ValueError, match="already flushed"):
        events.feed(DONE)


def test_flush_after_flush_raises() -> None:
    """A stream is flushed once, even when there was nothing to flush."""
    events = _events()
    assert events.flush() == b""
    with pytest.raises(ValueError, match="already flushed"):
        events.flush()


def test_feeding_nothing_returns_nothing() -> None:
    """`b""` gives `b""` at the start, mid-event and while a token start is held."""
    events = _events()
    assert events.feed(b"") == b""
    events.feed(ev(say("a [NA")))
    assert events.feed(b"") == b""
    events.feed(b'data: {"choices":[{"delta":{"cont')
    assert events.feed(b"") == b""
    expected = reference(TABLE, [ev(say("a [NA")), b'data: {"choices":[{"delta":{"cont'])
    assert_same_output("flush", expected[-1], events.flush())


# --- properties --------------------------------------------------------------------------

PIECES = [
    "[NAME_1]",
    "[name_1]",
    "[ NAME_1 ]",
    "[Name_1  ]",
    "[PHONE_1]",
    "[NAME_2]",
    "[NAME_10]",
    "[CITY_1]",
    "[NAME_3]",
    "[NAME_",
    "[NAME_1",
    "NAME_1]",
    "[x]",
    "[[",
    "[",
    "]",
    "[ ",
    "Hi ",
    "ok",
    " ",
    "\n",
    '"',
    "\\",
    "José ",
    "日本",
    "😀",
]
phrases = st.lists(st.sampled_from(PIECES), max_size=10).map("".join)
chunkings = st.one_of(
    st.sampled_from(TEXT_CHUNKINGS),
    st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=3),
)
wires = st.one_of(
    st.sampled_from(["event", "bytes", "random"]),
    st.lists(st.integers(min_value=1, max_value=300), min_size=1, max_size=3),
)
tables = st.sampled_from([TABLE, {"[NAME_1]": "Al"}, {}])
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _arguments(draw: st.DrawFn) -> str:
    """A tool call's arguments: JSON with tokens in its strings, or any text."""
    if draw(st.booleans()):
        return msgspec.json.encode({"who": draw(phrases), "n": [1, [2]]}).decode()
    return draw(phrases)


def _reads(draw: st.DrawFn, events: list[bytes]) -> list[bytes]:
    cutter = WireCutter(draw(wires), draw(st.integers(0, 2**16)))
    return [write for event in events for write in cutter.feed(event)] + cutter.flush()


@st.composite
def mock_streams(draw: st.DrawFn) -> tuple[dict[str, str], list[bytes]]:
    """A stream as the mock upstream builds and cuts it; some finishes or [DONE] dropped."""
    text = draw(phrases)
    calls = [
        ToolCall(f"call_{number}", "lookup", _arguments(draw))
        for number in range(draw(st.integers(0, 2)))
    ]
    reply = Reply(
        id="chatcmpl-h",
        created=1,
        model="m",
        n=draw(st.integers(1, 3)),
        content=None if calls else text,
        tool_calls=calls,
    )
    directive = Directive(
        chunking=draw(chunkings),
        seed=draw(st.integers(0, 2**16)),
        line_ending=draw(st.sampled_from(["lf", "crlf"])),
        finish_in_last_delta=draw(st.booleans()),
        interleave=draw(st.sampled_from([None, ": ping\n\n", "event: note\nid: 1\ndata: [x\n\n"])),
        stream_error=draw(st.none() | st.builds(StreamErrorDirective, st.integers(0, 12))),
    )
    events = stream_events(reply, directive, include_usage=draw(st.booleans()))
    kept = [
        event
        for event in events
        if not (b'"finish_reason":"' in event or event.startswith(b"data: [DONE]"))
        or draw(st.booleans())
    ]
    return draw(tables), _reads(draw, kept)


@st.composite
def placed_streams(draw: st.DrawFn) -> tuple[dict[str, str], list[bytes]]:
    """Choices' deltas interleaved at random, each finish anywhere (or nowhere)."""
    chunking, seed = draw(chunkings), draw(st.integers(0, 2**16))
    lanes: list[list[dict[str, Any]]] = []
    for index in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["content", "refusal", "tool"]))
        pieces = split_text(_arguments(draw) if kind == "tool" else draw(phrases), chunking, seed)
        if kind == "tool":
            lane = [call(piece, draw(st.integers(0, 1)), index) for piece in pieces]
        else:
            lane = [choice(index, **{kind: piece}) for piece in pieces]
        for _ in range(draw(st.integers(0, 2))):
            shape = draw(st.sampled_from([{}, {"delta": None}, {"delta": {"content": "z ["}}]))
            lane.insert(draw(st.integers(0, len(lane))), stop(index, **shape))
        lanes.append(lane)
    order = draw(st.permutations([n for n, lane in enumerate(lanes) for _ in lane]))
    events = [ev(lanes[n].pop(0)) for n in order]
    if draw(st.booleans()):
        events.insert(draw(st.integers(0, len(events))), USAGE)
    events += [DONE] * draw(st.booleans())
    eol = draw(st.sampled_from([b"\n", b"\r\n", b"\r"]))
    return draw(tables), _reads(draw, with_eol(events, eol))


@PROPERTY
@given(mock_streams())
def test_mock_streams_same_as_reference(case: tuple[dict[str, str], list[bytes]]) -> None:
    """Streams the mock upstream sends, cut as it cuts them."""
    assert_same(*case)


@PROPERTY
@given(placed_streams())
def test_random_finish_placement_same_as_reference(
    case: tuple[dict[str, str], list[bytes]],
) -> None:
    """Finish chunks of every shape anywhere in a choice's deltas, or missing."""
    assert_same(*case)
