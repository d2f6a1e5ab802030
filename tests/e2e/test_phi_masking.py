"""The core promise, through the official SDK: the upstream never sees raw PHI, and the
client gets back exactly the echo of its own, unmasked, words.

Runs sync and async, streaming and not, on the demo route and on an agent route.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import openai
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

PHI = [
    "Sarah Chen",
    "415-555-2671",
    "sarah.chen@example.com",
    "123-45-6789",
    "March 3, 1985",
]
USER_TEXT = (
    "Hi, my name is Sarah Chen, born March 3, 1985. Call me at 415-555-2671 or write "
    "to sarah.chen@example.com. My SSN is 123-45-6789."
)
ECHO = "You said: " + USER_TEXT
TOKEN = re.compile(r"\[[A-Z_]+_\d+\]")


def _messages() -> list[dict[str, Any]]:
    """A conversation with PHI in the system prompt, an earlier turn and the new turn."""
    return [
        {"role": "system", "content": "You are the front desk of a clinic. Patient: Sarah Chen."},
        {"role": "user", "content": "Hello, I need to book a visit."},
        {"role": "assistant", "content": "Of course. Can I have your name and number?"},
        {"role": "user", "content": USER_TEXT},
    ]


def _check_upstream(mock: MockUpstreamProcess, tag: str) -> None:
    """Exactly one request reached the mock, masked: tokens in, raw values out."""
    records = mock.control.requests(tag)
    assert len(records) == 1
    assert mock.control.leaks(PHI, tag) == []
    forwarded = records[0]["body"]["messages"]
    assert [m["role"] for m in forwarded] == ["system", "user", "assistant", "user"]
    assert len(TOKEN.findall(forwarded[-1]["content"])) >= len(PHI)


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
def test_sync(mock: MockUpstreamProcess, base_url: str, stream: bool) -> None:
    """Sync SDK: masked upstream, exact unmasked answer."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(base_url=base_url, api_key="sk-platform", max_retries=0)
    kwargs: dict[str, Any] = {
        "model": "mock-model",
        "messages": _messages(),
        "extra_body": {"mock": {"tag": tag}},
    }
    if stream:
        chunks = list(client.chat.completions.create(stream=True, **kwargs))
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    else:
        answer = client.chat.completions.create(**kwargs)
        text = answer.choices[0].message.content or ""
        assert answer.choices[0].finish_reason == "stop"
    assert text == ECHO
    _check_upstream(mock, tag)


@pytest.mark.anyio
@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
async def test_async(
    mock: MockUpstreamProcess,
    base_url: str,
    stream: bool,
) -> None:
    """Async SDK: masked upstream, exact unmasked answer."""
    tag = uuid.uuid4().hex
    kwargs: dict[str, Any] = {
        "model": "mock-model",
        "messages": _messages(),
        "extra_body": {"mock": {"tag": tag, "chunking": "random", "seed": 3}},
    }
    async with openai.AsyncOpenAI(base_url=base_url, api_key="x", max_retries=0) as client:
        if stream:
            text = ""
            async for chunk in await client.chat.completions.create(stream=True, **kwargs):
                text += "".join(choice.delta.content or "" for choice in chunk.choices)
        else:
            answer = await client.chat.completions.create(**kwargs)
            text = answer.choices[0].message.content or ""
    assert text == ECHO
    _check_upstream(mock, tag)


def test_same_value_keeps_its_token_across_turns(mock: MockUpstreamProcess, demo_base: str) -> None:
    """The value repeated in the history and the new turn gets one token, everywhere."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    client.chat.completions.create(
        model="mock-model", messages=_messages(), extra_body={"mock": {"tag": tag}}
    )
    (record,) = mock.control.requests(tag)
    system, last = (
        record["body"]["messages"][0]["content"],
        record["body"]["messages"][-1]["content"],
    )
    name_token = TOKEN.findall(system)
    assert len(name_token) == 1
    assert name_token[0] in last


def test_text_parts(mock: MockUpstreamProcess, agent_base: str) -> None:
    """Content given as text parts is masked part by part and rehydrated in the answer."""
    tag = uuid.uuid4().hex
    parts = [
        {"type": "text", "text": "Hi, my name is Sarah Chen."},
        {"type": "text", "text": "Call 415-555-2671 or sarah.chen@example.com."},
    ]
    client = openai.OpenAI(base_url=agent_base, api_key="x", max_retries=0)
    answer = client.chat.completions.create(
        model="mock-model",
        messages=[{"role": "user", "content": parts}],
        extra_body={"mock": {"tag": tag}},
    )
    assert answer.choices[0].message.content == "You said: " + " ".join(p["text"] for p in parts)
    assert mock.control.leaks(PHI, tag) == []
    (record,) = mock.control.requests(tag)
    forwarded = record["body"]["messages"][0]["content"]
    assert [part["type"] for part in forwarded] == ["text", "text"]
    assert all(TOKEN.search(part["text"]) for part in forwarded)
