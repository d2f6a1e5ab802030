"""One turn through the ASGI app against the in-process mock upstream."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from proxy_support import CapturedLog, FakeMasker, MockUpstream, Proxy

from phiwall.proxy.sse import SSEDecoder

pytestmark = pytest.mark.anyio

PHI_TEXT = "Hi, this is Jane Doe, call me at 555-0134."


def chat(content: str = PHI_TEXT, **extra: Any) -> dict[str, Any]:
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": content}], **extra}


async def received(mock: MockUpstream) -> list[dict[str, Any]]:
    """Every chat request the mock upstream received."""
    import aiohttp

    async with aiohttp.ClientSession() as session, session.get(mock.url + "/_mock/requests") as r:
        data = await r.json()
    requests = data["requests"] if isinstance(data, dict) else data
    return [r for r in requests if r["path"].endswith("/chat/completions")]


def stream_text(body: bytes) -> tuple[str, list[dict[str, Any]], bool]:
    """The concatenated content deltas, every chunk, and whether `[DONE]` ended it."""
    decoder = SSEDecoder()
    events = decoder.feed(body) + decoder.flush()
    done = bool(events) and events[-1].data == b"[DONE]"
    chunks = [msgspec.json.decode(e.data) for e in events if e.data != b"[DONE]"]
    text = "".join(
        choice["delta"].get("content") or ""
        for chunk in chunks
        for choice in chunk.get("choices", [])
    )
    return text, chunks, done


async def test_non_streaming_masks_upstream_and_rehydrates_answer(
    proxy: Proxy, mock_upstream: MockUpstream
) -> None:
    answer = await proxy.chat(chat())
    assert answer.status == 200, answer.body
    assert answer.json()["choices"][0]["message"]["content"] == "You said: " + PHI_TEXT
    (seen,) = await received(mock_upstream)
    assert "Jane Doe" not in seen["raw"]
    assert "555-0134" not in seen["raw"]
    assert "[NAME_1]" in seen["raw"]


@pytest.mark.parametrize("chunking", ["chars", "tokens", "words", "random"])
@pytest.mark.parametrize("wire", ["event", "bytes", "random"])
async def test_streaming_rehydrates_every_chunking(proxy: Proxy, chunking: str, wire: str) -> None:
    mock = {"chunking": chunking, "wire": wire, "seed": 7}
    answer = await proxy.chat(chat(stream=True, mock=mock))
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/event-stream")
    text, _, done = stream_text(answer.body)
    assert text == "You said: " + PHI_TEXT
    assert done


async def test_stream_keeps_usage_chunk_and_done(proxy: Proxy) -> None:
    body = chat(stream=True, stream_options={"include_usage": True}, mock={"chunking": "tokens"})
    answer = await proxy.chat(body)
    _, chunks, done = stream_text(answer.body)
    assert done
    assert chunks[-1]["choices"] == []
    assert "usage" in chunks[-1]
    finishing = [c for c in chunks if c["choices"] and c["choices"][0].get("finish_reason")]
    assert len(finishing) == 1


async def test_streamed_tool_call_arguments_are_rehydrated_as_json(proxy: Proxy) -> None:
    tool = {"name": "book", "arguments": {"who": "{echo}"}}
    answer = await proxy.chat(chat(stream=True, mock={"tool_call": tool, "chunking": "chars"}))
    _, chunks, _ = stream_text(answer.body)
    arguments = "".join(
        call["function"].get("arguments") or ""
        for chunk in chunks
        for choice in chunk["choices"]
        for call in choice["delta"].get("tool_calls") or []
    )
    assert msgspec.json.decode(arguments)["who"] == "You said: " + PHI_TEXT


async def test_non_streamed_tool_call_arguments_are_rehydrated(proxy: Proxy) -> None:
    tool = {"name": "book", "arguments": {"who": "{echo}"}}
    answer = await proxy.chat(chat(mock={"tool_call": tool}))
    (call,) = answer.json()["choices"][0]["message"]["tool_calls"]
    assert msgspec.json.decode(call["function"]["arguments"])["who"] == "You said: " + PHI_TEXT


async def test_platform_fields_are_stripped_and_feed_the_session(
    proxy: Proxy, mock_upstream: MockUpstream
) -> None:
    body = chat(call={"id": "call-123"}, customer={"number": "+15550134"}, metadata={"a": 1})
    body["phoneNumber"] = {"number": "+1555"}
    body["elevenlabs_extra_body"] = {"x": 1}
    answer = await proxy.chat(body, headers=[("Authorization", "Bearer platform-secret")])
    assert answer.status == 200
    (seen,) = await received(mock_upstream)
    for platform_field in ("call", "customer", "metadata", "phoneNumber", "elevenlabs_extra_body"):
        assert platform_field not in seen["body"]
    assert "platform-secret" not in str(seen["headers"])
    assert proxy.store.events[-1].session_id == "call-123"


async def test_demo_route_uses_default_agent_and_path_session(proxy: Proxy) -> None:
    answer = await proxy.chat(chat(), path="/agents/custom/s/demo-42/v1/chat/completions")
    assert answer.status == 200
    event = proxy.store.events[-1]
    assert event.session_id == "demo-42"
    assert event.agent_id == proxy.agent.id


async def test_event_and_access_log_carry_no_content(proxy: Proxy) -> None:
    await proxy.chat(chat(stream=True))
    (record,) = proxy.log.records
    line = msgspec.json.encode(record).decode()
    assert "Jane" not in line
    assert "555-0134" not in line
    assert record.status == 200
    assert record.entities == {"NAME": 1, "PHONE": 1}
    assert {"parse", "mask", "upstream_first_byte", "rehydrate", "total"} <= set(record.timings_us)
    event = proxy.store.events[-1]
    assert event.masked_text == "Hi, this is [NAME_1], call me at [PHONE_1]."
    assert proxy.agent.id not in line


async def test_unknown_fields_are_forwarded_unchanged(
    proxy: Proxy, mock_upstream: MockUpstream
) -> None:
    await proxy.chat(chat(temperature=0.2, custom={"deep": [1, 2, {"x": None}]}))
    (seen,) = await received(mock_upstream)
    assert seen["body"]["temperature"] == 0.2
    assert seen["body"]["custom"] == {"deep": [1, 2, {"x": None}]}


async def test_nothing_masked_streams_bytes_through(proxy: Proxy) -> None:
    answer = await proxy.chat(chat("no phi here", stream=True, mock={"chunking": "chars"}))
    text, _, done = stream_text(answer.body)
    assert text == "You said: no phi here"
    assert done


class SettleAfterAnswer(FakeMasker):
    """Records, at each `settle`, how many turns the access log had written."""

    def __init__(self, log: CapturedLog) -> None:
        super().__init__()
        self.log = log
        self.settled_after: list[int] = []

    def settle(self) -> None:
        self.settled_after.append(len(self.log.records))


@pytest.mark.parametrize("stream", [False, True])
async def test_the_masker_settles_once_the_turn_is_answered(proxy: Proxy, stream: bool) -> None:
    masker = SettleAfterAnswer(proxy.log)
    proxy.runtime.masker = masker
    for _ in range(2):
        answer = await proxy.chat(chat(stream=stream))
        assert answer.status == 200
    # once per turn, each time after the turn's access-log line: the answer was complete
    assert masker.settled_after == [1, 2]
