"""benches/load/passthrough.py: the floor relays bodies and streams untouched (ASGI level)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from aiohttp import web
from benches.load.passthrough import UPSTREAM_ENV, Passthrough

SSE = [b'data: {"n": 1}\n\n', b'data: {"n": 2}\n\n', b"data: [DONE]\n\n"]


async def _upstream(request: web.Request) -> web.StreamResponse:
    body = await request.read()
    if not json.loads(body).get("stream"):
        return web.Response(body=b'{"echo": ' + body + b"}", content_type="application/json")
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    for event in SSE:
        await response.write(event)
    return response


async def _call(
    monkeypatch: pytest.MonkeyPatch, method: str, path: str, body: bytes
) -> list[dict[str, Any]]:
    """Run one ASGI request through a Passthrough in front of a local upstream."""
    upstream = web.Application()
    upstream.router.add_post("/v1/chat/completions", _upstream)
    runner = web.AppRunner(upstream)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    monkeypatch.setenv(UPSTREAM_ENV, f"http://127.0.0.1:{runner.addresses[0][1]}/v1")
    app = Passthrough()
    await app.client.start()
    sent: list[dict[str, Any]] = []
    chunks = [{"type": "http.request", "body": body[:3], "more_body": True}]
    chunks.append({"type": "http.request", "body": body[3:], "more_body": False})

    async def receive() -> dict[str, Any]:
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(dict(message))

    scope = {"type": "http", "method": method, "path": path, "headers": []}
    try:
        await app(scope, receive, send)
    finally:
        await app.client.close()
        await runner.cleanup()
    return sent


def _body_of(sent: list[dict[str, Any]]) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_a_completion_is_forwarded_and_answered_unchanged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = b'{"stream": false, "messages": []}'
    sent = asyncio.run(_call(monkeypatch, "POST", "/v1/chat/completions", body))
    assert sent[0]["status"] == 200
    assert _body_of(sent) == b'{"echo": ' + body + b"}"


def test_a_stream_is_relayed_byte_for_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    body = b'{"stream": true, "messages": []}'
    sent = asyncio.run(_call(monkeypatch, "POST", "/v1/chat/completions", body))
    assert (b"content-type", b"text/event-stream") in sent[0]["headers"]
    assert _body_of(sent) == b"".join(SSE)
    assert sent[-1] == {"type": "http.response.body", "body": b""}


@pytest.mark.parametrize(
    ("method", "path", "status"), [("GET", "/health", 200), ("GET", "/x", 404)]
)
def test_health_and_unknown_paths(
    monkeypatch: pytest.MonkeyPatch, method: str, path: str, status: int
) -> None:
    sent = asyncio.run(_call(monkeypatch, method, path, b""))
    assert sent[0]["status"] == status
