"""Tool calls through phiwall: PHI in tool definitions, tool results and earlier tool-call
arguments never reaches the upstream, and the tool-call arguments the model streams back
(JSON, with tokens inside string values, cut anywhere) arrive rehydrated and valid."""

from __future__ import annotations

import json
import uuid
from typing import Any

import openai
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

PHI = ["Sarah Chen", "415-555-2671", "sarah.chen@example.com", "123-45-6789", "March 3, 1985"]
USER_TEXT = "Please book me. My name is Sarah Chen and my phone is 415-555-2671."
ECHO = "You said: " + USER_TEXT
EXPECTED_ARGUMENTS = {"text": ECHO, "note": f"Booking for: {ECHO}", "priority": 2}
#: Characters JSON must escape, and non-ASCII, right next to the values.
ESCAPED_TEXT = 'Book "Sarah Chen"\n\t(phone: 415-555-2671\\home) — café «ok»'
TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "book_visit",
            "description": "Book a visit. The caller on file is Sarah Chen, SSN 123-45-6789.",
            "parameters": {
                "type": "object",
                "properties": {
                    "text": {"type": "string", "description": "what the caller said"},
                    "note": {
                        "type": "string",
                        "description": "a note; reach sarah.chen@example.com if needed",
                    },
                },
                "required": ["text"],
            },
        },
    }
]
MESSAGES: list[dict[str, Any]] = [
    {"role": "user", "content": "What is on file for me? I was born March 3, 1985."},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_prev",
                "type": "function",
                "function": {
                    "name": "lookup",
                    "arguments": json.dumps({"email": "sarah.chen@example.com"}),
                },
            }
        ],
    },
    {
        "role": "tool",
        "tool_call_id": "call_prev",
        "content": "Record: SSN 123-45-6789, phone 415-555-2671.",
    },
    {"role": "user", "content": USER_TEXT},
]
DIRECTIVE = {
    "tool_call": {
        "name": "book_visit",
        "id": "call_book",
        "arguments": {"note": "Booking for: {echo}", "priority": 2},
    }
}


def _request(tag: str, chunking: str | list[int] = "words", seed: int = 0) -> dict[str, Any]:
    return {
        "model": "mock-model",
        "messages": MESSAGES,
        "tools": TOOLS,
        "extra_body": {"mock": {**DIRECTIVE, "chunking": chunking, "seed": seed, "tag": tag}},
    }


def test_complete(mock: MockUpstreamProcess, base_url: str) -> None:
    """Non-streaming: the tool call's arguments come back rehydrated, as valid JSON."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(base_url=base_url, api_key="x", max_retries=0)
    answer = client.chat.completions.create(**_request(tag))
    choice = answer.choices[0]
    assert choice.finish_reason == "tool_calls"
    (call,) = choice.message.tool_calls or []
    assert (call.id, call.function.name) == ("call_book", "book_visit")
    assert json.loads(call.function.arguments) == EXPECTED_ARGUMENTS
    assert mock.control.leaks(PHI, tag) == []


@pytest.mark.parametrize(
    ("chunking", "seed"),
    [("words", 0), ("chars", 0), ("tokens", 0), ("random", 1), ("random", 2), ("random", 3),
     ([4], 0), ([1, 9], 0)],
    ids=str,
)  # fmt: skip
def test_stream(
    mock: MockUpstreamProcess, demo_base: str, chunking: str | list[int], seed: int
) -> None:
    """Streaming: id and name once, then argument fragments that reassemble to valid,
    rehydrated JSON, whatever the cut."""
    tag = uuid.uuid4().hex
    request = _request(tag, chunking, seed)
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    ids: list[str] = []
    names: list[str] = []
    arguments = ""
    finish = None
    for chunk in client.chat.completions.create(stream=True, **request):
        if not chunk.choices:
            continue
        for call in chunk.choices[0].delta.tool_calls or []:
            assert call.index == 0
            ids += [call.id] if call.id else []
            if call.function is not None:
                names += [call.function.name] if call.function.name else []
                arguments += call.function.arguments or ""
        finish = chunk.choices[0].finish_reason or finish
    assert (ids, names, finish) == (["call_book"], ["book_visit"], "tool_calls")
    assert json.loads(arguments) == EXPECTED_ARGUMENTS
    assert mock.control.leaks(PHI, tag) == []


@pytest.mark.anyio
async def test_async_stream(mock: MockUpstreamProcess, agent_base: str) -> None:
    """The async SDK's streamed tool call, on an agent route, one character at a time."""
    tag = uuid.uuid4().hex
    arguments = ""
    async with openai.AsyncOpenAI(base_url=agent_base, api_key="x", max_retries=0) as client:
        stream = await client.chat.completions.create(stream=True, **_request(tag, "chars"))
        async for chunk in stream:
            for call in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
                if call.function is not None:
                    arguments += call.function.arguments or ""
    assert json.loads(arguments) == EXPECTED_ARGUMENTS
    assert mock.control.leaks(PHI, tag) == []


def test_upstream_sees_tokens_in_tools_and_history(
    mock: MockUpstreamProcess, demo_base: str
) -> None:
    """What the model reads is masked everywhere but keeps its structure."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    client.chat.completions.create(**_request(tag))
    (record,) = mock.control.requests(tag)
    body = record["body"]
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "tool", "user"]
    previous = body["messages"][1]["tool_calls"][0]["function"]["arguments"]
    assert set(json.loads(previous)) == {"email"}  # still valid JSON, value masked
    assert "[" in json.loads(previous)["email"]
    assert body["tools"][0]["function"]["name"] == "book_visit"
    assert body["tools"][0]["function"]["parameters"]["required"] == ["text"]


@pytest.mark.parametrize("chunking", ["chars", "tokens", "random"])
def test_json_escapes_around_values(
    mock: MockUpstreamProcess, demo_base: str, chunking: str
) -> None:
    """Quotes, backslashes, newlines and non-ASCII next to the values: the escaped JSON
    the upstream streams is rehydrated into JSON that still parses to the right text."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    stream = client.chat.completions.create(
        model="mock-model",
        messages=[{"role": "user", "content": ESCAPED_TEXT}],
        stream=True,
        extra_body={"mock": {"tool_call": {"name": "f"}, "chunking": chunking, "tag": tag}},
    )
    arguments = "".join(
        call.function.arguments or ""
        for chunk in stream
        if chunk.choices
        for call in chunk.choices[0].delta.tool_calls or []
        if call.function is not None
    )
    assert json.loads(arguments) == {"text": "You said: " + ESCAPED_TEXT}
    assert mock.control.leaks(["Sarah Chen", "415-555-2671"], tag) == []


def test_json_escapes_around_values_complete(mock: MockUpstreamProcess, agent_base: str) -> None:
    """The same, not streamed: the whole arguments string is rehydrated as JSON."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(base_url=agent_base, api_key="x", max_retries=0)
    answer = client.chat.completions.create(
        model="mock-model",
        messages=[{"role": "user", "content": ESCAPED_TEXT}],
        extra_body={"mock": {"tool_call": {"name": "f"}, "tag": tag}},
    )
    (call,) = answer.choices[0].message.tool_calls or []
    assert json.loads(call.function.arguments) == {"text": "You said: " + ESCAPED_TEXT}
    assert mock.control.leaks(["Sarah Chen", "415-555-2671"], tag) == []


def test_two_tool_calls(mock: MockUpstreamProcess, agent_base: str) -> None:
    """Two streamed tool calls: each index gets its own rehydrated, valid arguments."""
    tag = uuid.uuid4().hex
    calls = [{"name": "first", "arguments": {"n": 1}}, {"name": "second", "arguments": {"n": 2}}]
    client = openai.OpenAI(base_url=agent_base, api_key="x", max_retries=0)
    stream = client.chat.completions.create(
        model="mock-model",
        messages=[{"role": "user", "content": USER_TEXT}],
        stream=True,
        extra_body={"mock": {"tool_call": calls, "chunking": "tokens", "tag": tag}},
    )
    names: dict[int, str] = {}
    arguments: dict[int, str] = {0: "", 1: ""}
    for chunk in stream:
        for call in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
            if call.function is not None and call.function.name:
                names[call.index] = call.function.name
            if call.function is not None:
                arguments[call.index] += call.function.arguments or ""
    assert names == {0: "first", 1: "second"}
    assert json.loads(arguments[0]) == {"text": ECHO, "n": 1}
    assert json.loads(arguments[1]) == {"text": ECHO, "n": 2}
    assert mock.control.leaks(PHI, tag) == []
