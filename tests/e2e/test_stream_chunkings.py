"""Rehydration survives every way the upstream can cut its stream: tokens split across
deltas, one-character deltas, random cuts, SSE events split across network writes (and
inside UTF-8 characters), several events per write, CRLF lines and several choices."""

from __future__ import annotations

import uuid
from typing import Any

import openai
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

PHI = ["Sarah Chen", "415-555-2671", "sarah.chen@example.com", "123-45-6789"]
USER_TEXT = (
    "my name is Sarah Chen — réservé — phone 415-555-2671, email sarah.chen@example.com, "
    "SSN 123-45-6789, thanks"
)
ECHO = "You said: " + USER_TEXT
MESSAGES = [{"role": "user", "content": USER_TEXT}]

CHUNKINGS: list[dict[str, Any]] = [
    {"chunking": "words"},
    {"chunking": "chars"},
    {"chunking": "tokens"},
    {"chunking": "whole"},
    *({"chunking": "random", "seed": seed} for seed in (1, 2, 3, 4, 5)),
    {"chunking": [1]},
    {"chunking": [2, 3]},
    {"chunking": [5, 1, 7]},
    {"chunking": [13]},
    {"chunking": "chars", "wire": "bytes"},
    {"chunking": "tokens", "wire": "bytes"},
    {"chunking": "random", "seed": 9, "wire": "random"},
    {"chunking": "words", "wire": [7, 1, 30]},
    {"chunking": "chars", "wire": [4096]},
    {"chunking": "tokens", "line_ending": "crlf"},
    {"chunking": "random", "seed": 6, "line_ending": "crlf", "wire": "random"},
]


@pytest.mark.parametrize("directive", CHUNKINGS, ids=str)
def test_stream_rehydrates_exactly(
    mock: MockUpstreamProcess, demo_base: str, directive: dict[str, Any]
) -> None:
    """The streamed content reassembles to the exact unmasked echo; usage and order kept."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    stream = client.chat.completions.create(
        model="mock-model",
        messages=MESSAGES,
        stream=True,
        stream_options={"include_usage": True},
        extra_body={"mock": {**directive, "tag": tag}},
    )
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == ECHO
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop"
    assert all(reason is None for reason in finishes[:-1])
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert mock.control.leaks(PHI, tag) == []


@pytest.mark.anyio
@pytest.mark.parametrize("chunking", ["chars", "tokens", [3]], ids=str)
async def test_several_choices_rehydrate_independently(
    mock: MockUpstreamProcess, agent_base: str, chunking: str | list[int]
) -> None:
    """With `n=3` interleaved choices, each choice reassembles to the exact echo."""
    tag = uuid.uuid4().hex
    texts = ["", "", ""]
    async with openai.AsyncOpenAI(base_url=agent_base, api_key="x", max_retries=0) as client:
        stream = await client.chat.completions.create(
            model="mock-model",
            messages=MESSAGES,
            n=3,
            stream=True,
            extra_body={"mock": {"chunking": chunking, "tag": tag}},
        )
        async for chunk in stream:
            for choice in chunk.choices:
                texts[choice.index] += choice.delta.content or ""
    assert texts == [ECHO] * 3
    assert mock.control.leaks(PHI, tag) == []


def test_complete_with_several_choices(mock: MockUpstreamProcess, demo_base: str) -> None:
    """Non-streaming `n=2`: every choice's content is rehydrated."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    answer = client.chat.completions.create(
        model="mock-model", messages=MESSAGES, n=2, extra_body={"mock": {"tag": tag}}
    )
    assert [c.message.content for c in answer.choices] == [ECHO, ECHO]
    assert mock.control.leaks(PHI, tag) == []


def test_unknown_token_is_left_alone(demo_base: str) -> None:
    """A token the request's table does not know is never guessed: it stays as it is."""
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    for stream in (False, True):
        reply = "Hello [NAME_1], meet [NAME_9]."
        kwargs: dict[str, Any] = {
            "model": "mock-model",
            "messages": [{"role": "user", "content": "my name is Sarah Chen"}],
            "extra_body": {"mock": {"reply": reply, "chunking": "chars"}},
        }
        if stream:
            chunks = client.chat.completions.create(stream=True, **kwargs)
            text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        else:
            text = client.chat.completions.create(**kwargs).choices[0].message.content or ""
        prefix = "Hello Sarah Chen, meet "
        assert text.startswith(prefix)
        assert "Sarah Chen" not in text[len(prefix) :]  # left as is or a fallback, not a guess
