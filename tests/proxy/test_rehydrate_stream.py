"""The per-event stream rewriter: held text, finish_reason, tool calls, [DONE]."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from proxy_support import make_rehydrator

from phiwall.proxy.rehydrate import rehydrate_completion
from phiwall.proxy.rehydrate_stream import StreamRehydrator
from phiwall.proxy.sse import ServerSentEvent, SSEDecoder

TABLE = {"[NAME_1]": 'Ana "Nan" Lee', "[PHONE_1]": "415-555-0134"}


def event(choices: list[dict[str, Any]], **extra: Any) -> ServerSentEvent:
    chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m"}
    return ServerSentEvent(msgspec.json.encode({**chunk, "choices": choices, **extra}))


def content(text: str | None, index: int = 0, finish: str | None = None) -> dict[str, Any]:
    return {"index": index, "delta": {"content": text}, "finish_reason": finish}


def run(events: list[ServerSentEvent]) -> list[ServerSentEvent]:
    rewriter = StreamRehydrator(make_rehydrator(TABLE))
    wire = b"".join(rewriter.rewrite(e) for e in events) + rewriter.finish()
    decoder = SSEDecoder()
    return decoder.feed(wire) + decoder.flush()


def chunks(events: list[ServerSentEvent]) -> list[dict[str, Any]]:
    return [msgspec.json.decode(e.data) for e in events if e.data != b"[DONE]"]


def text_of(events: list[ServerSentEvent], index: int = 0) -> str:
    return "".join(
        choice["delta"].get("content") or ""
        for chunk in chunks(events)
        for choice in chunk["choices"]
        if choice["index"] == index
    )


def test_token_split_across_events_is_held_then_replaced() -> None:
    out = run(
        [
            event([content("Hi [NA")]),
            event([content("ME_1], ok")]),
            event([content("", finish="stop")]),
        ]
    )
    assert text_of(out) == 'Hi Ana "Nan" Lee, ok'
    assert chunks(out)[0]["choices"][0]["delta"]["content"] == "Hi "


def test_held_text_is_flushed_into_the_finish_reason_chunk() -> None:
    out = run([event([content("call [PHONE")]), event([content(None, finish="stop")])])
    last = chunks(out)[-1]["choices"][0]
    assert last["finish_reason"] == "stop"
    assert last["delta"]["content"] == "[PHONE"  # not a token: given back as written
    assert text_of(out) == "call [PHONE"


def test_held_text_without_finish_reason_is_flushed_before_done() -> None:
    out = run([event([content("bye [NAME_")]), ServerSentEvent(b"[DONE]")])
    assert out[-1].data == b"[DONE]"
    assert text_of(out) == "bye [NAME_"
    assert chunks(out)[-1]["id"] == "c1"


def test_held_text_is_flushed_when_stream_just_ends() -> None:
    out = run([event([content("bye [NAME_1")])])
    assert text_of(out) == "bye [NAME_1"


def test_choices_have_their_own_rewriters() -> None:
    out = run(
        [
            event([content("A [NAM", 0), content("B [PHO", 1)]),
            event([content("E_1]", 0), content("NE_1]", 1)]),
            event([content(None, 0, "stop"), content(None, 1, "stop")]),
        ]
    )
    assert text_of(out, 0) == 'A Ana "Nan" Lee'
    assert text_of(out, 1) == "B 415-555-0134"


def test_tool_call_arguments_are_json_escaped() -> None:
    def call(arguments: str, number: int = 0) -> dict[str, Any]:
        calls = [{"index": number, "function": {"arguments": arguments}}]
        return {"index": 0, "delta": {"tool_calls": calls}, "finish_reason": None}

    out = run(
        [
            event([call('{"who": "[NA')]),
            event([call('ME_1]"}')]),
            event([call('{"n": "[PHONE_1]"}', 1)]),
            event([{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]),
        ]
    )
    arguments: dict[int, str] = {}
    for chunk in chunks(out):
        for calls in [c["delta"].get("tool_calls") or [] for c in chunk["choices"]]:
            for item in calls:
                arguments[item["index"]] = (
                    arguments.get(item["index"], "") + item["function"]["arguments"]
                )
    assert msgspec.json.decode(arguments[0]) == {"who": 'Ana "Nan" Lee'}
    assert msgspec.json.decode(arguments[1]) == {"n": "415-555-0134"}


def test_legacy_function_call_arguments_are_json_escaped_and_flushed() -> None:
    def legacy(arguments: str, finish: str | None = None) -> dict[str, Any]:
        return {
            "index": 0,
            "delta": {"function_call": {"arguments": arguments}},
            "finish_reason": finish,
        }

    out = run([event([legacy('{"who": "[NA')]), event([legacy('ME_1]", "p": "[PHO')])])
    arguments = "".join(c["choices"][0]["delta"]["function_call"]["arguments"] for c in chunks(out))
    assert msgspec.json.decode(arguments + '"}') == {"who": 'Ana "Nan" Lee', "p": "[PHO"}
    assert chunks(out)[-1]["choices"][0]["delta"]["function_call"] == {"arguments": "[PHO"}


def test_held_arguments_are_flushed_into_the_finish_chunk() -> None:
    calls = [{"index": 0, "function": {"arguments": '{"a": "[NAME_'}}]
    out = run(
        [
            event([{"index": 0, "delta": {"tool_calls": calls}, "finish_reason": None}]),
            event([{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]),
        ]
    )
    last = chunks(out)[-1]["choices"][0]
    assert last["delta"]["tool_calls"][0]["function"]["arguments"].endswith("[NAME_")


@pytest.mark.parametrize(
    "data",
    [b"[DONE]", b"not json", b'{"choices": []}', b'{"usage": {"total_tokens": 3}}', b"[1, 2]"],
)
def test_events_without_content_pass_through_byte_for_byte(data: bytes) -> None:
    rewriter = StreamRehydrator(make_rehydrator(TABLE))
    assert rewriter.rewrite(ServerSentEvent(data)) == ServerSentEvent(data).encode()


def test_unchanged_chunk_is_not_reencoded() -> None:
    raw = b'{"choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]}'
    rewriter = StreamRehydrator(make_rehydrator(TABLE))
    assert rewriter.rewrite(ServerSentEvent(raw)) == b"data: " + raw + b"\n\n"


def test_malformed_chunk_shapes_do_not_raise() -> None:
    odd: list[Any] = [
        {"choices": [1, None, {"delta": 5}, {"delta": {"content": 7}}]},
        {"choices": [{"index": "x", "delta": {"tool_calls": [None, {"function": 3}]}}]},
        {"choices": [{"delta": {"tool_calls": "x"}, "finish_reason": "stop"}]},
    ]
    rewriter = StreamRehydrator(make_rehydrator(TABLE))
    for chunk in odd:
        rewriter.rewrite(ServerSentEvent(msgspec.json.encode(chunk)))
    assert rewriter.finish() == b""


def test_whole_completion_rehydration() -> None:
    body = msgspec.json.encode(
        {
            "choices": [
                {
                    "message": {
                        "content": "Hello [NAME_1]",
                        "tool_calls": [
                            {"function": {"arguments": '{"p": "[PHONE_1]", "n": "[NAME_1]"}'}}
                        ],
                    }
                }
            ]
        }
    )
    answer = msgspec.json.decode(rehydrate_completion(make_rehydrator(TABLE), body))
    message = answer["choices"][0]["message"]
    assert message["content"] == 'Hello Ana "Nan" Lee'
    arguments = msgspec.json.decode(message["tool_calls"][0]["function"]["arguments"])
    assert arguments == {"p": "415-555-0134", "n": 'Ana "Nan" Lee'}


@pytest.mark.parametrize("body", [b"oops", b"[]", b'{"choices": 3}', b'{"x": 1}'])
def test_whole_completion_unreadable_is_returned_unchanged(body: bytes) -> None:
    assert rehydrate_completion(make_rehydrator(TABLE), body) == body


def test_events_without_brackets_pass_untouched_while_nothing_is_held() -> None:
    raw = b'{ "choices" : [ {"index": 0, "delta": {"content": "plain text"} } ] }'
    rewriter = StreamRehydrator(make_rehydrator(TABLE))
    assert rewriter.rewrite(ServerSentEvent(raw)) == b"data: " + raw + b"\n\n"


def test_a_closed_bracket_ends_holding() -> None:
    out = run(
        [
            event([content("see [NAME_1] and [x")]),
            event([content("y] then more")]),
            event([content(None, finish="stop")]),
        ]
    )
    assert text_of(out) == 'see Ana "Nan" Lee and [xy] then more'


def test_refusal_deltas_are_rehydrated_too() -> None:
    def refusal(text: str | None, finish: str | None = None) -> dict[str, Any]:
        return {"index": 0, "delta": {"refusal": text}, "finish_reason": finish}

    out = run(
        [event([refusal("no, [NA")]), event([refusal("ME_1]")]), event([refusal(None, "stop")])]
    )
    texts = [c["choices"][0]["delta"].get("refusal") or "" for c in chunks(out)]
    assert "".join(texts) == 'no, Ana "Nan" Lee'
