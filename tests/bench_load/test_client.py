"""benches/load/client.py against a tiny local aiohttp server (loopback, no timing asserts)."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from aiohttp import web
from benches.load.client import Outcome, send

EVENTS = [
    {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]},
    {"choices": [{"index": 0, "delta": {"content": "You said: "}}]},
    {"choices": [{"index": 0, "delta": {"content": "hi"}}]},
    {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
]


async def _chat(request: web.Request) -> web.StreamResponse:
    body = await request.json()
    if body.get("fail"):
        return web.json_response({"error": {"message": "nope"}}, status=502)
    if not body.get("stream"):
        message = {"role": "assistant", "content": "You said: hi"}
        return web.json_response({"choices": [{"index": 0, "message": message}]})
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    for event in EVENTS:
        await response.write(b"data: " + json.dumps(event).encode() + b"\n\n")
    await response.write(b"data: [DONE]\n\n")
    return response


async def _with_server(stream: bool, fail: bool = False, url: str | None = None) -> Outcome:
    """Serve `_chat` on a free loopback port, send one request, stop the server."""
    app = web.Application()
    app.router.add_post("/v1/chat/completions", _chat)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    body = json.dumps({"messages": [], "stream": stream, "fail": fail}).encode()
    try:
        async with aiohttp.ClientSession() as session:
            target = url or f"http://127.0.0.1:{port}/v1/chat/completions"
            return await send(session, target, body, stream)
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("stream", [False, True])
def test_answers_are_read_whole(stream: bool) -> None:
    outcome = asyncio.run(_with_server(stream))
    assert outcome.status == 200
    assert outcome.answer == "You said: hi"
    assert outcome.total_ms > 0
    if stream:
        assert outcome.ttft_ms is not None
        assert 0 < outcome.ttft_ms <= outcome.total_ms
    else:
        assert outcome.ttft_ms is None


def test_an_error_status_keeps_its_message() -> None:
    outcome = asyncio.run(_with_server(False, fail=True))
    assert outcome.status == 502
    assert outcome.answer is None
    assert "nope" in (outcome.error or "")


def test_a_refused_connection_is_status_zero() -> None:
    outcome = asyncio.run(_with_server(False, url="http://127.0.0.1:9/v1/chat/completions"))
    assert outcome.status == 0
    assert outcome.error
