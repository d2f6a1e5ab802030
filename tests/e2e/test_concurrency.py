"""Concurrent sessions never mix their token tables: 20 async clients, each with its own
PHI, streamed one character at a time and interleaved, each get exactly their own words."""

from __future__ import annotations

import asyncio
import uuid

import anyio
import openai
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

FIRST = [
    "Sarah",
    "James",
    "Maria",
    "David",
    "Linda",
    "Robert",
    "Susan",
    "Michael",
    "Karen",
    "Thomas",
]
LAST = ["Chen", "Patel", "Garcia", "Nguyen", "Johnson"]
CLIENTS = 20


def _person(i: int) -> tuple[str, list[str]]:
    """Caller `i`'s words and PHI values: every value differs between callers."""
    name = f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST) + i % 3]}"
    phone = f"415-555-{2600 + i:04d}"
    email = f"patient{i}.{uuid.uuid4().hex[:6]}@example.com"
    ssn = f"123-45-{6700 + i:04d}"
    text = f"my name is {name}, call me at {phone}, email {email}, SSN {ssn}."
    return text, [name, phone, email, ssn]


@pytest.mark.anyio
async def test_twenty_concurrent_sessions(mock: MockUpstreamProcess, proxy: str) -> None:
    """Each caller on its own demo session; streams and completions at once."""
    people = [_person(i) for i in range(CLIENTS)]
    tags = [uuid.uuid4().hex for _ in range(CLIENTS)]
    results: list[str] = [""] * CLIENTS

    async def caller(i: int) -> None:
        base = f"{proxy}/agents/custom/s/concurrent-{i}/v1"
        text, _ = people[i]
        directive = {"chunking": "chars", "chunk_delay_ms": 2, "tag": tags[i]}
        async with openai.AsyncOpenAI(base_url=base, api_key="x", max_retries=0) as client:
            request = {
                "model": "mock-model",
                "messages": [{"role": "user", "content": text}],
                "extra_body": {"mock": directive},
            }
            if i % 4 == 3:  # a quarter of the callers do not stream
                answer = await client.chat.completions.create(**request)
                results[i] = answer.choices[0].message.content or ""
                return
            stream = await client.chat.completions.create(stream=True, **request)
            async for chunk in stream:
                results[i] += chunk.choices[0].delta.content or "" if chunk.choices else ""

    with anyio.fail_after(120):
        await asyncio.gather(*(caller(i) for i in range(CLIENTS)))

    every_value = [value for _, values in people for value in values]
    for i, (text, _) in enumerate(people):
        assert results[i] == "You said: " + text
        assert len(mock.control.requests(tags[i])) == 1
        assert mock.control.leaks(every_value, tags[i]) == []
