"""Every error the proxy answers: status, OpenAI shape, headers, nothing forwarded."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import msgspec
import pytest
from proxy_support import FakeMasker, MockUpstream, Proxy, call_app, make_proxy

from phiwall.store import Agent, SignatureScheme

pytestmark = pytest.mark.anyio

GOOD = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Jane Doe here"}]}


def error_of(body: bytes) -> dict[str, Any]:
    """The `error` object, after checking the exact OpenAI shape."""
    decoded = msgspec.json.decode(body)
    assert set(decoded) == {"error"}
    assert set(decoded["error"]) == {"message", "type", "param", "code"}
    return decoded["error"]


async def mock_requests(mock: MockUpstream) -> int:
    import aiohttp

    async with aiohttp.ClientSession() as session, session.get(mock.url + "/_mock/stats") as r:
        return (await r.json())["requests"]


@pytest.mark.parametrize(
    ("body", "param", "fragment"),
    [
        (b"{not json", None, "not valid JSON"),
        (b"", None, "not valid JSON"),
        (b'"a string"', None, "JSON object"),
        (b"[1, 2]", None, "JSON object"),
        (b'{"model": "m"}', "messages", "required"),
        (b'{"messages": "hello"}', "messages", "array"),
        (b'{"messages": []}', "messages", "empty"),
        (b'{"messages": [42]}', "messages", "object"),
        (b'{"messages": [{"content": "x"}]}', "messages[0].role", "role"),
        (b'{"messages": [{"role": "user", "content": 5}]}', "messages[0].content", "content"),
        (b'{"model": 5, "messages": [{"role": "user", "content": "x"}]}', "model", "model"),
        (b'{"stream": "yes", "messages": [{"role": "user", "content": "x"}]}', "stream", "stream"),
        (b'{"messages": [{"role": "user", "content": "\xff\xfe"}]}', None, "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, None, "nested too deeply"),
    ],
)
async def test_bad_bodies_answer_400_and_forward_nothing(
    proxy: Proxy, mock_upstream: MockUpstream, body: bytes, param: str | None, fragment: str
) -> None:
    answer = await proxy.chat(body)
    assert answer.status == 400
    error = error_of(answer.body)
    assert error["code"] == "invalid_request"
    assert error["param"] == param
    assert fragment in error["message"]
    assert await mock_requests(mock_upstream) == 0
    # and the app keeps serving
    assert (await proxy.chat(GOOD)).status == 200


async def test_deeply_nested_object_inside_valid_request(proxy: Proxy) -> None:
    nested = b'{"x":' * 50_000 + b"1" + b"}" * 50_000
    body = b'{"messages": [{"role": "user", "content": "x"}], "extra": ' + nested + b"}"
    answer = await proxy.chat(body)
    assert answer.status == 400


async def test_body_over_the_limit_is_413_when_streamed_in(mock_upstream: MockUpstream) -> None:
    proxy = await make_proxy(mock_upstream.base_url, max_body_bytes=1000)
    try:
        answer = await proxy.chat([b"x" * 600, b"x" * 600, b"never read"])
        assert answer.status == 413
        assert error_of(answer.body)["code"] == "body_too_large"
    finally:
        await proxy.runtime.upstream.close()


async def test_declared_content_length_over_the_limit_is_413_before_reading(
    mock_upstream: MockUpstream,
) -> None:
    proxy = await make_proxy(mock_upstream.base_url, max_body_bytes=1000)
    try:
        answer = await proxy.chat(b"{}", headers=[("content-length", "5000")])
        assert answer.status == 413
    finally:
        await proxy.runtime.upstream.close()


async def test_unknown_agent_is_404_without_echoing_the_id(proxy: Proxy) -> None:
    answer = await proxy.chat(GOOD, path="/proxy/agt_NOPE1234/v1/chat/completions")
    assert answer.status == 404
    error = error_of(answer.body)
    assert error["code"] == "agent_not_found"
    assert "agt_NOPE1234" not in error["message"]


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/proxy/agt_x/v1/chat/completions", 405, "method_not_allowed"),
        ("POST", "/health", 405, "method_not_allowed"),
        ("POST", "/proxy/agt_x/v1/models", 405, "method_not_allowed"),
        ("POST", "/proxy/agt_x/v1/completions", 404, "not_found"),
        ("GET", "/", 404, "not_found"),
        ("POST", "/agents/custom/s//v1/chat/completions", 404, "not_found"),
    ],
)
async def test_unknown_routes_and_methods(
    proxy: Proxy, method: str, path: str, status: int, code: str
) -> None:
    answer = await call_app(proxy.app, method, path)
    assert answer.status == status
    assert error_of(answer.body)["code"] == code
    if status == 405:
        assert "allow" in answer.headers


async def test_model_not_allowed_is_422(mock_upstream: MockUpstream) -> None:
    agent = Agent(
        id="agt_01JRESTRICTED0000000000000",
        name="r",
        upstream_url=mock_upstream.base_url,
        allowed_models=("gpt-4o",),
    )
    proxy = await make_proxy(mock_upstream.base_url, agent=agent)
    try:
        answer = await proxy.chat(GOOD)
        assert answer.status == 422
        error = error_of(answer.body)
        assert (error["code"], error["param"]) == ("model_not_allowed", "model")
        assert (await proxy.chat({**GOOD, "model": "gpt-4o"})).status == 200
    finally:
        await proxy.runtime.upstream.close()


async def test_rate_limited_is_429_with_retry_after(mock_upstream: MockUpstream) -> None:
    agent = Agent(
        id="agt_01JLIMITED000000000000000",
        name="l",
        upstream_url=mock_upstream.base_url,
        rate_per_second=0.01,
        burst=1,
    )
    proxy = await make_proxy(mock_upstream.base_url, agent=agent)
    try:
        assert (await proxy.chat(GOOD)).status == 200
        answer = await proxy.chat(GOOD)
        assert answer.status == 429
        assert error_of(answer.body)["code"] == "rate_limited"
        assert int(answer.headers["retry-after"]) >= 1
    finally:
        await proxy.runtime.upstream.close()


async def test_signature_required_is_401_unless_signed(mock_upstream: MockUpstream) -> None:
    secret = "s3cret"
    agent = Agent(
        id="agt_01JSIGNED00000000000000000",
        name="s",
        upstream_url=mock_upstream.base_url,
        signature=SignatureScheme(secret=secret),
    )
    proxy = await make_proxy(mock_upstream.base_url, agent=agent)
    try:
        body = msgspec.json.encode(GOOD)
        answer = await proxy.chat(body)
        assert answer.status == 401
        assert error_of(answer.body)["code"] == "bad_signature"
        digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        signed = await proxy.chat(body, headers=[("X-Vapi-Signature", digest)])
        assert signed.status == 200
    finally:
        await proxy.runtime.upstream.close()


async def test_masking_failure_is_500_and_forwards_nothing(mock_upstream: MockUpstream) -> None:
    proxy = await make_proxy(mock_upstream.base_url, masker=FakeMasker(fail=True))
    try:
        answer = await proxy.chat(GOOD)
        assert answer.status == 500
        error = error_of(answer.body)
        assert error["code"] == "masking_failed"
        assert "Jane" not in error["message"]
        assert await mock_requests(mock_upstream) == 0
    finally:
        await proxy.runtime.upstream.close()


class ExplodingMasker:
    def mask(self, request: dict[str, Any]) -> Any:
        raise KeyError("Jane Doe")  # a bug whose message quotes PHI

    def settle(self) -> None:
        """Nothing to finish: `mask` raises."""


async def test_unexpected_failure_is_500_without_phi(
    mock_upstream: MockUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    proxy = await make_proxy(mock_upstream.base_url, masker=ExplodingMasker())
    try:
        answer = await proxy.chat(GOOD)
        assert answer.status == 500
        assert error_of(answer.body)["code"] == "internal_error"
        assert b"Jane" not in answer.body
        assert "KeyError" in caplog.text
        assert "Jane" not in caplog.text
        assert await mock_requests(mock_upstream) == 0
    finally:
        await proxy.runtime.upstream.close()


@pytest.mark.parametrize("stream", [False, True])
async def test_upstream_error_is_502_with_its_message_and_status(
    proxy: Proxy, stream: bool
) -> None:
    mock = {"error": {"status": 429, "message": "quota exceeded", "type": "x", "code": "y"}}
    answer = await proxy.chat({**GOOD, "stream": stream, "mock": mock})
    assert answer.status == 502
    error = error_of(answer.body)
    assert error["code"] == "upstream_error"
    assert "429" in error["message"]
    assert "quota exceeded" in error["message"]


async def test_unreachable_upstream_is_502() -> None:
    proxy = await make_proxy("http://127.0.0.1:9/v1")  # discard port: nothing listens
    try:
        answer = await proxy.chat(GOOD)
        assert answer.status == 502
        assert error_of(answer.body)["code"] == "upstream_error"
    finally:
        await proxy.runtime.upstream.close()


async def test_slow_first_byte_is_504(mock_upstream: MockUpstream) -> None:
    proxy = await make_proxy(mock_upstream.base_url, first_byte_timeout=0.2)
    try:
        answer = await proxy.chat({**GOOD, "mock": {"first_byte_delay_ms": 3000}})
        assert answer.status == 504
        assert error_of(answer.body)["code"] == "upstream_timeout"
    finally:
        await proxy.runtime.upstream.close()


async def test_upstream_dropping_mid_stream_ends_with_an_error_event(proxy: Proxy) -> None:
    answer = await proxy.chat({**GOOD, "stream": True, "mock": {"disconnect_after": 3}})
    assert answer.status == 200
    last = answer.body.rstrip(b"\n").rsplit(b"\n\n", 1)[-1]
    assert last.startswith(b"data: ")
    assert error_of(last[len(b"data: ") :])["code"] == "upstream_error"
    assert proxy.log.records[-1].error == "upstream_error"
