"""The mock's reply builder: what it echoes, and the completions and SSE streams it makes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from phiwall.mock_upstream.directives import Directive, parse_directive
from phiwall.mock_upstream.script import (
    Reply,
    RequestShapeError,
    build_reply,
    completion,
    stream_events,
)


def _body(content: object = "my name is [NAME_1]", **extra: Any) -> dict[str, Any]:
    return {
        "model": "mock-model",
        "messages": [
            {"role": "system", "content": "You are a clinic assistant."},
            {"role": "user", "content": "first turn"},
            {"role": "assistant", "content": "ok"},
            {"role": "user", "content": content},
        ],
        **extra,
    }


def _reply(body: dict[str, Any], directive: Directive | None = None) -> Reply:
    return build_reply(body, directive or Directive(), request_id="chatcmpl-1", created=1)


def _chunks(events: list[bytes]) -> list[dict[str, Any]]:
    assert events[-1] == b"data: [DONE]\n\n"
    return [json.loads(e.removeprefix(b"data: ")) for e in events[:-1]]


def test_echoes_the_last_user_message() -> None:
    """The default reply is the prefix plus the last user message."""
    assert _reply(_body()).content == "You said: my name is [NAME_1]"


def test_echoes_text_parts() -> None:
    """A content given as parts echoes its text parts joined by spaces."""
    parts = [
        {"type": "text", "text": "call [PHONE_1]"},
        {"type": "image_url", "image_url": {"url": "x"}},
        {"type": "text", "text": "today"},
    ]
    assert _reply(_body(parts)).content == "You said: call [PHONE_1] today"


def test_echo_all_repeats_every_message() -> None:
    """`echo: all` repeats every message with its role, one per line."""
    reply = _reply(_body("hi"), parse_directive({"echo": "all", "prefix": ""}))
    assert reply.content == (
        "system: You are a clinic assistant.\nuser: first turn\nassistant: ok\nuser: hi"
    )


def test_reply_overrides_the_echo() -> None:
    """`reply` answers the given text verbatim."""
    assert _reply(_body(), parse_directive({"reply": "[NAME_99]"})).content == "[NAME_99]"


def test_tool_call_arguments_carry_the_echo_inside_json_strings() -> None:
    """Tool-call arguments are JSON whose string values hold the echoed text."""
    directive = parse_directive(
        {"tool_call": {"name": "book", "arguments": {"note": "for {echo}!", "n": 2}}}
    )
    reply = _reply(_body('say "[NAME_1]"'), directive)
    assert reply.content is None
    assert reply.finish_reason == "tool_calls"
    (call,) = reply.tool_calls
    assert call.name == "book"
    assert json.loads(call.arguments) == {
        "text": 'You said: say "[NAME_1]"',
        "note": 'for You said: say "[NAME_1]"!',
        "n": 2,
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "JSON object"),
        ({"messages": []}, "messages"),
        ({"messages": "hi"}, "messages"),
        (_body(n=0), "'n'"),
        (_body(n="2"), "'n'"),
    ],
)
def test_rejects_what_is_not_a_chat_request(body: object, message: str) -> None:
    """A body the mock cannot answer raises `RequestShapeError`."""
    with pytest.raises(RequestShapeError, match=message):
        _reply(body)  # type: ignore[arg-type]


def test_completion_has_openai_shape_and_n_choices() -> None:
    """The non-streaming answer is a `chat.completion` with one choice per `n`."""
    data = json.loads(completion(_reply(_body(n=3))))
    assert data["object"] == "chat.completion"
    assert [c["index"] for c in data["choices"]] == [0, 1, 2]
    for choice in data["choices"]:
        assert choice["message"] == {
            "role": "assistant",
            "content": "You said: my name is [NAME_1]",
            "refusal": None,
        }
        assert choice["finish_reason"] == "stop"
    usage = data["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


@pytest.mark.parametrize("chunking", ["words", "chars", "random", "tokens", "whole", [2, 5]])
def test_stream_reassembles_every_choice(chunking: str | list[int]) -> None:
    """Role delta first, content deltas reassemble per choice, finish chunk last."""
    reply = _reply(_body(n=2))
    directive = parse_directive({"chunking": chunking, "seed": 3})
    chunks = _chunks(stream_events(reply, directive, include_usage=False))
    assert all("usage" not in chunk for chunk in chunks)
    for index in (0, 1):
        mine = [c["choices"][0] for c in chunks if c["choices"][0]["index"] == index]
        assert mine[0]["delta"] == {"role": "assistant", "content": "", "refusal": None}
        assert mine[-1] == {"index": index, "delta": {}, "logprobs": None, "finish_reason": "stop"}
        assert all(c["finish_reason"] is None for c in mine[:-1])
        text = "".join(c["delta"]["content"] for c in mine[:-1])
        assert text == reply.content


@pytest.mark.parametrize("tool", [False, True])
def test_finish_in_last_delta(tool: bool) -> None:
    """The last piece arrives in the `finish_reason` chunk; nothing is lost or repeated."""
    mock: dict[str, Any] = {"finish_in_last_delta": True, "chunking": [4]}
    if tool:
        mock["tool_call"] = {"name": "f"}
    directive = parse_directive(mock)
    reply = _reply(_body(), directive)
    chunks = _chunks(stream_events(reply, directive, include_usage=False))
    last = chunks[-1]["choices"][0]
    assert last["finish_reason"] == reply.finish_reason
    assert last["delta"]
    deltas = [c["choices"][0]["delta"] for c in chunks]
    if tool:
        pieces = [d["tool_calls"][0]["function"]["arguments"] for d in deltas if "tool_calls" in d]
        assert json.loads("".join(pieces))["text"] == "You said: my name is [NAME_1]"
    else:
        assert "".join(d.get("content") or "" for d in deltas) == reply.content


def test_stream_usage_chunk_comes_last() -> None:
    """With `include_usage`, every chunk has `usage: null` but the last, which has no choices."""
    reply = _reply(_body())
    chunks = _chunks(stream_events(reply, Directive(), include_usage=True))
    assert all(c["usage"] is None for c in chunks[:-1])
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"] == reply.usage()


def test_stream_tool_call_as_openai_does() -> None:
    """First delta carries id, type and name; then argument fragments that reassemble."""
    directive = parse_directive({"tool_call": {"name": "lookup", "id": "call_7"}, "chunking": [3]})
    reply = _reply(_body(), directive)
    chunks = _chunks(stream_events(reply, directive, include_usage=False))
    first = chunks[0]["choices"][0]["delta"]
    assert first["role"] == "assistant"
    assert first["content"] is None
    assert first["tool_calls"] == [
        {
            "index": 0,
            "id": "call_7",
            "type": "function",
            "function": {"name": "lookup", "arguments": ""},
        }
    ]
    fragments = [c["choices"][0]["delta"]["tool_calls"][0] for c in chunks[1:-1]]
    assert all(set(f) == {"index", "function"} and f["index"] == 0 for f in fragments)
    assert all(len(f["function"]["arguments"]) <= 3 for f in fragments)
    arguments = "".join(f["function"]["arguments"] for f in fragments)
    assert json.loads(arguments) == {"text": "You said: my name is [NAME_1]"}
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_several_tool_calls_have_their_own_index() -> None:
    """A list of tool calls gives one call per index, each with its head delta."""
    directive = parse_directive({"tool_call": [{"name": "a"}, {"name": "b"}]})
    chunks = _chunks(stream_events(_reply(_body(), directive), directive, include_usage=False))
    heads = [
        call
        for c in chunks
        for call in c["choices"][0]["delta"].get("tool_calls", [])
        if "id" in call
    ]
    assert [(h["index"], h["function"]["name"]) for h in heads] == [(0, "a"), (1, "b")]


def test_crlf_line_endings() -> None:
    """`line_ending: crlf` ends every event with a blank CRLF line."""
    directive = parse_directive({"line_ending": "crlf"})
    events = stream_events(_reply(_body()), directive, include_usage=False)
    assert all(e.endswith(b"\r\n\r\n") and b"\n\n" not in e for e in events)


def test_stream_error_replaces_the_rest() -> None:
    """`stream_error` keeps N events, then one error event, and no `[DONE]`."""
    directive = parse_directive({"stream_error": {"after": 2, "message": "boom", "code": "c"}})
    events = stream_events(_reply(_body()), directive, include_usage=False)
    assert len(events) == 3
    assert json.loads(events[-1].removeprefix(b"data: ")) == {
        "error": {"message": "boom", "type": "server_error", "param": None, "code": "c"}
    }


def test_interleave_follows_every_event_but_done() -> None:
    """`interleave` text rides after each event; `[DONE]` stays last and alone."""
    directive = parse_directive({"interleave": ": ping\n\n"})
    events = stream_events(_reply(_body()), directive, include_usage=False)
    plain = stream_events(_reply(_body()), Directive(), include_usage=False)
    assert events[:-1] == [e + b": ping\n\n" for e in plain[:-1]]
    assert events[-1] == b"data: [DONE]\n\n"


@pytest.mark.parametrize(
    "value",
    [
        {"unknown": 1},
        {"chunking": "lines"},
        {"chunking": [0]},
        {"wire": "lines"},
        {"delay_ms": -1},
        {"error": {"status": 200}},
        {"tool_call": {"arguments": {}}},
        {"disconnect_after": -2},
        {"stream_error": {"after": -1}},
        {"interleave": ": no blank line"},
        "words",
    ],
)
def test_invalid_directives_are_rejected(value: object) -> None:
    """A directive the mock does not understand is an error, never silently ignored."""
    with pytest.raises(ValueError, match="invalid mock directive"):
        parse_directive(value)
