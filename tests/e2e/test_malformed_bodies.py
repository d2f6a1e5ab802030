"""Hostile bodies, sent as raw HTTP (aiohttp): each is answered 4xx in OpenAI's error shape, nothing
reaches the upstream, and the server keeps serving afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import httpx
import openai
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

DEPTH = 10_000
NESTED = (
    b'{"model": "m", "messages": [{"role": "user", "content": '
    + b"[" * DEPTH
    + b"]" * DEPTH
    + b"}]}"
)
DEEP_OBJECTS = (
    b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "extra": '
    + b'{"a": ' * DEPTH
    + b"1"
    + b"}" * DEPTH
    + b"}"
)
BODIES: dict[str, bytes] = {
    "truncated": b'{"model": "mock-model", "messages": [{"role": "user", "content": "hi',
    "not-json": b"model=mock-model&messages=hi",
    "empty": b"",
    "trailing-garbage": b'{"model": "m", "messages": [{"role": "user", "content": "hi"}]} x',
    "array-body": b'[{"role": "user", "content": "hi"}]',
    "string-body": b'"hello"',
    "messages-missing": b'{"model": "mock-model"}',
    "messages-string": b'{"model": "m", "messages": "my name is Sarah Chen"}',
    "messages-null": b'{"model": "m", "messages": null}',
    "messages-of-numbers": b'{"model": "m", "messages": [1, 2, 3]}',
    "nested-10k-arrays": NESTED,
    "nested-10k-objects": DEEP_OBJECTS,
    "non-utf8": b'{"model": "m", "messages": [{"role": "user", "content": "caf\xe9 \xff\xfe"}]}',
    "lone-surrogate": b'{"model": "m", "messages": [{"role": "user", "content": "\\ud800"}]}',
    "oversized": b'{"model": "m", "messages": [{"role": "user", "content": "'
    + b"a" * 300_000
    + b'"}]}',
}


@pytest.mark.anyio
@pytest.mark.parametrize("name", list(BODIES))
async def test_bad_body_is_4xx_and_server_survives(
    mock: MockUpstreamProcess, proxy: str, demo_base: str, name: str
) -> None:
    """4xx with the error shape, nothing forwarded, then /health and a real turn still work."""
    before = mock.control.stats()["requests"]
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        async with session.post(
            f"{demo_base}/chat/completions",
            data=BODIES[name],
            headers={"content-type": "application/json"},
        ) as answer:
            assert 400 <= answer.status < 500, (answer.status, (await answer.text())[:200])
            error = (await answer.json())["error"]
        assert set(error) == {"message", "type", "param", "code"}
        assert error["type"] == "invalid_request_error"
        if name == "oversized":
            assert answer.status == 413
        async with session.get(f"{proxy}/health") as health:
            assert health.status == 200
    assert mock.control.stats()["requests"] == before
    async with openai.AsyncOpenAI(base_url=demo_base, api_key="x", max_retries=0) as sdk:
        reply = await sdk.chat.completions.create(
            model="mock-model", messages=[{"role": "user", "content": "still there?"}]
        )
    assert reply.choices[0].message.content == "You said: still there?"


@pytest.mark.anyio
async def test_chunked_upload_over_the_limit_is_413(proxy: str, demo_base: str) -> None:
    """A body without Content-Length (chunked) is limited while it streams in.

    aiohttp reads the answer while it is still uploading, as a client must to see an early
    413 (a client that only reads after sending everything may see the connection closed
    instead).
    """

    async def pieces() -> AsyncIterator[bytes]:
        yield b'{"model": "m", "messages": [{"role": "user", "content": "'
        for _ in range(8):
            yield b"b" * 65_536
        yield b'"}]}'

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        async with session.post(f"{demo_base}/chat/completions", data=pieces()) as answer:
            assert answer.status == 413
            assert (await answer.json())["error"]["code"] == "body_too_large"
        async with session.get(f"{proxy}/health") as health:
            assert health.status == 200


def test_wrong_method_and_unknown_path(proxy: str, agents: dict[str, str]) -> None:
    """GET on a chat route is 405, an unknown path 404, both in OpenAI's error shape."""
    with httpx.Client(timeout=30) as client:
        wrong_method = client.get(f"{proxy}/proxy/{agents['open']}/v1/chat/completions")
        assert wrong_method.status_code == 405
        assert set(wrong_method.json()["error"]) == {"message", "type", "param", "code"}
        unknown = client.post(f"{proxy}/v2/whatever", content=b"{}")
        assert unknown.status_code == 404
        assert set(unknown.json()["error"]) == {"message", "type", "param", "code"}
