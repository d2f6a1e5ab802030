"""A client that hangs up mid-stream cancels phiwall's upstream request: the mock sees its
stream abandoned (`cancelled`), never completed."""

from __future__ import annotations

import uuid

import openai
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

MESSAGES = [{"role": "user", "content": "my name is Sarah Chen and I need a long answer " * 4}]
SLOW = {"chunking": "chars", "chunk_delay_ms": 50}  # ~10 s of stream if nobody hangs up


def test_sync_client_closing_the_stream(mock: MockUpstreamProcess, demo_base: str) -> None:
    """Sync SDK: read a few chunks, close the stream: the upstream is cancelled."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    stream = client.chat.completions.create(
        model="mock-model",
        messages=MESSAGES,
        stream=True,
        extra_body={"mock": {**SLOW, "tag": tag}},
    )
    received = [next(stream) for _ in range(3)]
    assert received[0].choices[0].delta.role == "assistant"
    stream.close()
    stats = mock.control.wait_for_stat("cancelled", 1, tag)
    assert (stats["cancelled"], stats["completed"], stats["in_flight"]) == (1, 0, 0)


@pytest.mark.anyio
async def test_async_client_leaving_early(mock: MockUpstreamProcess, agent_base: str) -> None:
    """Async SDK on an agent route: break out of the stream and close the client."""
    tag = uuid.uuid4().hex
    text = ""
    async with openai.AsyncOpenAI(base_url=agent_base, api_key="x", max_retries=0) as client:
        stream = await client.chat.completions.create(
            model="mock-model",
            messages=MESSAGES,
            stream=True,
            extra_body={"mock": {**SLOW, "tag": tag}},
        )
        async for chunk in stream:
            text += chunk.choices[0].delta.content or "" if chunk.choices else ""
            if len(text) >= 12:
                break
        await stream.close()
    assert text.startswith("You said: ")
    stats = mock.control.wait_for_stat("cancelled", 1, tag)
    assert (stats["cancelled"], stats["completed"], stats["in_flight"]) == (1, 0, 0)


def test_hanging_up_before_the_first_byte(mock: MockUpstreamProcess, demo_base: str) -> None:
    """A client that times out while the upstream is still silent cancels it too."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0, timeout=0.5)
    with pytest.raises(openai.APITimeoutError):
        client.chat.completions.create(
            model="mock-model",
            messages=MESSAGES,
            stream=True,
            extra_body={"mock": {"first_byte_delay_ms": 30_000, "tag": tag}},
        )
    stats = mock.control.wait_for_stat("cancelled", 1, tag)
    assert (stats["cancelled"], stats["completed"]) == (1, 0)
