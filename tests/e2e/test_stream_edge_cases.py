"""Rehydration edge cases: ten-plus tokens of a label (`[PHONE_1]` inside `[PHONE_12]`),
tokens the model reshaped (case, spaces), text that only looks like the start of a token
held back at the end of the stream, SSE comments and non-JSON `data:` lines from the
upstream, and an upstream error event in the middle of a stream."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import openai
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

COUNT = 12
PHONES = [f"415-555-{2600 + i:04d}" for i in range(COUNT)]
EMAILS = [f"caller{i}@example.com" for i in range(COUNT)]
MANY_TEXT = "Numbers: " + ", ".join(
    f"{phone} ({email})" for phone, email in zip(PHONES, EMAILS, strict=True)
)


def _stream_text(client: openai.OpenAI, content: str, directive: dict[str, Any]) -> str:
    """The streamed answer's text; checks the usage chunk is still last."""
    stream = client.chat.completions.create(
        model="mock-model",
        messages=[{"role": "user", "content": content}],
        stream=True,
        stream_options={"include_usage": True},
        extra_body={"mock": directive},
    )
    chunks = list(stream)
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


@pytest.mark.parametrize("chunking", ["chars", "tokens", "random", "whole"])
def test_more_than_ten_tokens_per_label(
    mock: MockUpstreamProcess, demo_base: str, chunking: str
) -> None:
    """Twelve phones and twelve emails: `[PHONE_1]` is never matched inside `[PHONE_12]`."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    text = _stream_text(client, MANY_TEXT, {"chunking": chunking, "seed": 4, "tag": tag})
    assert text == "You said: " + MANY_TEXT
    assert mock.control.leaks(PHONES + EMAILS, tag) == []
    (record,) = mock.control.requests(tag)
    assert "[PHONE_12]" in record["body"]["messages"][0]["content"]


@pytest.mark.parametrize("tail", ["[", "[NAME", "[NAME_", "[NAME_1", "[[", "cost: [$5"])
@pytest.mark.parametrize("chunking", ["chars", "whole"])
def test_held_back_tail_is_flushed(demo_base: str, tail: str, chunking: str) -> None:
    """An answer ending in what could have been the start of a token arrives whole."""
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    reply = f"Thanks [NAME_1], see you {tail}"
    text = _stream_text(client, "my name is Sarah Chen", {"reply": reply, "chunking": chunking})
    assert text == f"Thanks Sarah Chen, see you {tail}"


def test_sse_comments_are_tolerated(demo_base: str) -> None:
    """Upstream keep-alive comments between events do not disturb the relay."""
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    content = "my name is Sarah Chen, phone 415-555-2671"
    directive = {"interleave": ": keep-alive\n\n", "chunking": "chars", "wire": "random"}
    assert _stream_text(client, content, directive) == "You said: " + content


@pytest.mark.parametrize(
    ("interleave", "payload"),
    [
        ("data: not json at all\n\n", "not json at all"),
        ("event: ping\ndata: ping\n\n", "ping"),
        ("data: {}\n\n", {}),
        ('data: {"choices": []}\n\n', {"choices": []}),
        ('data: {"choices": [{"index": 0, "delta": {}}]}\n\n', None),
    ],
    ids=["text", "event-line", "empty-object", "no-choices", "empty-delta"],
)
def test_unusual_data_lines_pass_through(
    demo_base: str, interleave: str, payload: str | dict[str, Any] | None
) -> None:
    """`data:` lines that are not JSON, or JSON that is no content chunk, are relayed
    between the rehydrated ones without breaking them (read as raw SSE)."""
    content = "my name is Sarah Chen, phone 415-555-2671"
    body = {
        "model": "mock-model",
        "stream": True,
        "messages": [{"role": "user", "content": content}],
        "mock": {"interleave": interleave, "chunking": "tokens"},
    }
    with httpx.stream("POST", f"{demo_base}/chat/completions", json=body, timeout=30) as answer:
        assert answer.status_code == 200
        data = [line[6:] for line in answer.iter_lines() if line.startswith("data: ")]
    assert data[-1] == "[DONE]"
    decoded: list[Any] = []
    for item in data[:-1]:
        try:
            decoded.append(json.loads(item))
        except json.JSONDecodeError:
            decoded.append(item)
    if payload is not None:
        assert decoded.count(payload) >= 3
    text = "".join(
        choice["delta"].get("content") or ""
        for item in decoded
        if isinstance(item, dict)
        for choice in item.get("choices", [])
    )
    assert text == "You said: " + content


def test_upstream_error_event_reaches_the_client(demo_base: str) -> None:
    """A mid-stream `data: {"error": ...}` from the upstream reaches the SDK as an error,
    after a rehydrated prefix of the answer."""
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    content = "my name is Sarah Chen, phone 415-555-2671"
    message = f"model overloaded {uuid.uuid4().hex}"
    stream = client.chat.completions.create(
        model="mock-model",
        messages=[{"role": "user", "content": content}],
        stream=True,
        extra_body={
            "mock": {"chunking": "chars", "stream_error": {"after": 30, "message": message}}
        },
    )
    text = ""
    with pytest.raises(openai.APIError, match=message):  # noqa: PT012 - the error ends the loop
        for chunk in stream:
            text += chunk.choices[0].delta.content or "" if chunk.choices else ""
    assert ("You said: " + content).startswith(text)
    assert "[" not in text


@pytest.mark.parametrize("form", ["[name_1]", "[Name_1]", "[ NAME_1 ]"])
@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
def test_tokens_the_model_reshaped(demo_base: str, form: str, stream: bool) -> None:
    """Models change a token's case or pad it with spaces: it is still put back, the same
    way streamed or not."""
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    directive = {"reply": f"Hi {form}!", "chunking": "chars"}
    content = "my name is Sarah Chen"
    if stream:
        text = _stream_text(client, content, directive)
    else:
        answer = client.chat.completions.create(
            model="mock-model",
            messages=[{"role": "user", "content": content}],
            extra_body={"mock": directive},
        )
        text = answer.choices[0].message.content or ""
    assert text == "Hi Sarah Chen!"


@pytest.mark.parametrize("chunking", ["chars", "tokens", [5]], ids=str)
def test_last_piece_in_the_finish_chunk(demo_base: str, chunking: str | list[int]) -> None:
    """Servers that send the last piece with `finish_reason`: a token cut across the last
    two chunks is still rehydrated, nothing held back is lost."""
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    directive = {"reply": "Goodbye [NAME_1]", "chunking": chunking, "finish_in_last_delta": True}
    stream = client.chat.completions.create(
        model="mock-model",
        messages=[{"role": "user", "content": "my name is Sarah Chen"}],
        stream=True,
        extra_body={"mock": directive},
    )
    chunks = [c for c in stream if c.choices]
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "Goodbye Sarah Chen"
    assert chunks[-1].choices[0].finish_reason == "stop"


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
def test_token_lookalike_typed_by_the_caller(demo_base: str, stream: bool) -> None:
    """A caller who types bracketed text shaped like a token gets their own text back."""
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    content = "my name is Sarah Chen, and the form field says [NAME_1]"
    if stream:
        text = _stream_text(client, content, {"chunking": "chars"})
    else:
        answer = client.chat.completions.create(
            model="mock-model", messages=[{"role": "user", "content": content}]
        )
        text = answer.choices[0].message.content or ""
    assert text == "You said: " + content
