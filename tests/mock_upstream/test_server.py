"""The mock as a real server, spoken to with the official `openai` SDK (sync and async)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import aiohttp
import openai
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

TEXT = "my name is [NAME_1] and my phone is [PHONE_1]"
ECHO = "You said: " + TEXT
MESSAGES = [{"role": "user", "content": TEXT}]


@pytest.fixture
def client(mock_server: MockUpstreamProcess) -> openai.OpenAI:
    """A sync SDK client on the mock."""
    return openai.OpenAI(base_url=mock_server.base_url, api_key="sk-test", max_retries=0)


@pytest.fixture
async def async_client(mock_server: MockUpstreamProcess) -> AsyncIterator[openai.AsyncOpenAI]:
    """An async SDK client on the mock, closed inside the test's event loop."""
    async with openai.AsyncOpenAI(
        base_url=mock_server.base_url, api_key="sk-test", max_retries=0
    ) as client:
        yield client


def test_completion_echoes(client: openai.OpenAI) -> None:
    """A non-streaming request gets the echo, parsed by the SDK."""
    answer = client.chat.completions.create(model="mock-model", messages=MESSAGES)
    assert answer.choices[0].message.content == ECHO
    assert answer.choices[0].finish_reason == "stop"
    assert answer.model == "mock-model"


def test_path_without_v1(mock_server: MockUpstreamProcess) -> None:
    """Platforms that drop `/v1` reach the same endpoint."""
    client = openai.OpenAI(base_url=mock_server.url, api_key="x", max_retries=0)
    answer = client.chat.completions.create(model="m", messages=MESSAGES)
    assert answer.choices[0].message.content == ECHO


@pytest.mark.parametrize(
    "mock",
    [
        {"chunking": "words"},
        {"chunking": "chars"},
        {"chunking": "random", "seed": 11},
        {"chunking": "tokens"},
        {"chunking": [1, 4, 2]},
        {"chunking": "chars", "wire": "bytes"},
        {"chunking": "random", "wire": "random", "seed": 5},
        {"chunking": "chars", "wire": [700]},
        {"line_ending": "crlf", "wire": "bytes"},
        {"interleave": ": keep-alive\n\n", "wire": "random"},
    ],
    ids=str,
)
def test_stream_reassembles_through_the_sdk(client: openai.OpenAI, mock: dict[str, object]) -> None:
    """Every chunking and wire cut is valid SSE the SDK parses back to the echo."""
    stream = client.chat.completions.create(
        model="mock-model",
        messages=MESSAGES,
        stream=True,
        stream_options={"include_usage": True},
        extra_body={"mock": mock},
    )
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == ECHO
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None


@pytest.mark.anyio
async def test_async_stream_with_n_choices(async_client: openai.AsyncOpenAI) -> None:
    """`n` choices stream interleaved and each reassembles to the echo."""
    stream = await async_client.chat.completions.create(
        model="mock-model",
        messages=MESSAGES,
        n=3,
        stream=True,
        extra_body={"mock": {"chunking": "chars"}},
    )
    texts = ["", "", ""]
    async for chunk in stream:
        for choice in chunk.choices:
            texts[choice.index] += choice.delta.content or ""
    assert texts == [ECHO] * 3


def test_tool_call_completion(client: openai.OpenAI) -> None:
    """A tool call on request: arguments JSON with the echo in a string value."""
    answer = client.chat.completions.create(
        model="mock-model",
        messages=MESSAGES,
        extra_body={"mock": {"tool_call": {"name": "lookup_patient"}}},
    )
    choice = answer.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    (call,) = choice.message.tool_calls or []
    assert call.function.name == "lookup_patient"
    assert json.loads(call.function.arguments) == {"text": ECHO}


@pytest.mark.anyio
async def test_async_tool_call_stream(async_client: openai.AsyncOpenAI) -> None:
    """Streamed tool calls: id and name once, argument fragments that reassemble."""
    stream = await async_client.chat.completions.create(
        model="mock-model",
        messages=MESSAGES,
        stream=True,
        extra_body={"mock": {"tool_call": {"name": "lookup", "id": "call_1"}, "chunking": "chars"}},
    )
    ids, names, arguments, finish = [], [], "", None
    async for chunk in stream:
        for call in chunk.choices[0].delta.tool_calls or []:
            ids += [call.id] if call.id else []
            names += [call.function.name] if call.function and call.function.name else []
            arguments += (call.function.arguments or "") if call.function else ""
        finish = chunk.choices[0].finish_reason or finish
    assert (ids, names, finish) == (["call_1"], ["lookup"], "tool_calls")
    assert json.loads(arguments) == {"text": ECHO}


def test_models(client: openai.OpenAI) -> None:
    """`GET /v1/models` lists the mock's models."""
    assert "mock-model" in {model.id for model in client.models.list()}


def test_invalid_directive_is_a_400(client: openai.OpenAI) -> None:
    """A directive the mock does not understand answers 400 in OpenAI's shape."""
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="m", messages=MESSAGES, extra_body={"mock": {"chunking": "lines"}}
        )
    assert caught.value.code == "invalid_mock_request"
    assert "chunking" in caught.value.message


def test_stream_error_event_raises_in_the_sdk(client: openai.OpenAI) -> None:
    """A mid-stream `data: {"error": ...}` is what the SDK reports as an `APIError`."""
    stream = client.chat.completions.create(
        model="mock-model",
        messages=MESSAGES,
        stream=True,
        extra_body={"mock": {"stream_error": {"after": 3, "message": "overloaded"}}},
    )
    received = []
    with pytest.raises(openai.APIError, match="overloaded"):
        received.extend(stream)
    assert len(received) == 3


@pytest.mark.anyio
async def test_many_concurrent_keep_alive_connections(mock_server: MockUpstreamProcess) -> None:
    """100 connections at once, each reused for three streams: every answer is complete."""
    body = {"model": "m", "stream": True, "messages": MESSAGES, "mock": {"chunking": "chars"}}
    connector = aiohttp.TCPConnector(limit=100, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def three_turns() -> list[str]:
            texts = []
            for _ in range(3):
                async with session.post(
                    f"{mock_server.base_url}/chat/completions", json=body
                ) as answer:
                    texts.append(await answer.text())
            return texts

        results = await asyncio.gather(*(three_turns() for _ in range(100)))
    streams = [text for texts in results for text in texts]
    assert len(streams) == 300
    for text in streams:
        assert text.endswith("data: [DONE]\n\n")
        events = [json.loads(line[6:]) for line in text.splitlines() if line[6:7] == "{"]
        assert "".join(e["choices"][0]["delta"].get("content") or "" for e in events) == ECHO
