"""Every error of issue 4 §4, seen by the official SDK: status, OpenAI body shape
`{"error": {"message", "type", "param", "code"}}`, headers, and nothing forwarded."""

from __future__ import annotations

import json
import uuid
from typing import Any

import aiohttp
import openai
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

MESSAGES = [{"role": "user", "content": "hello, my name is Sarah Chen"}]


def _error(exc: openai.APIStatusError, status: int, code: str) -> dict[str, Any]:
    """Check status, content type and the exact error shape; return the error object."""
    assert exc.status_code == status
    assert exc.response.headers["content-type"].startswith("application/json")
    body = exc.response.json()
    assert list(body) == ["error"]
    error = body["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert isinstance(error["message"], str)
    assert error["message"]
    assert isinstance(error["type"], str)
    assert error["code"] == code
    return error


def _client(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=base_url, api_key="x", max_retries=0)


def test_unknown_agent_is_404(mock: MockUpstreamProcess, proxy: str) -> None:
    """A well-formed id nobody owns, and a malformed one: 404 `agent_not_found`."""
    tag = uuid.uuid4().hex
    for agent in ("agt_01J0000000000000000000000Z", "not-an-agent"):
        with pytest.raises(openai.NotFoundError) as caught:
            _client(f"{proxy}/proxy/{agent}/v1").chat.completions.create(
                model="mock-model", messages=MESSAGES, extra_body={"mock": {"tag": tag}}
            )
        _error(caught.value, 404, "agent_not_found")
    assert mock.control.requests(tag) == []


def test_model_not_allowed_is_422(
    mock: MockUpstreamProcess, proxy: str, agents: dict[str, str]
) -> None:
    """An agent with allowed models refuses another model (422) and serves its own."""
    tag = uuid.uuid4().hex
    client = _client(f"{proxy}/proxy/{agents['models']}/v1")
    with pytest.raises(openai.UnprocessableEntityError) as caught:
        client.chat.completions.create(
            model="gpt-4o", messages=MESSAGES, extra_body={"mock": {"tag": tag}}
        )
    error = _error(caught.value, 422, "model_not_allowed")
    assert error["type"] == "invalid_request_error"
    assert mock.control.requests(tag) == []
    answer = client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    assert answer.choices[0].message.content == "You said: " + MESSAGES[0]["content"]


def test_rate_limit_is_429_with_retry_after(
    mock: MockUpstreamProcess, proxy: str, agents: dict[str, str]
) -> None:
    """Burst 2 at 0.01 request/s, then 429 `rate_limited` with a whole-seconds
    `Retry-After` no longer than the 100 s a token takes to come back."""
    tag = uuid.uuid4().hex
    client = _client(f"{proxy}/proxy/{agents['limited']}/v1")
    for _ in range(2):
        client.chat.completions.create(
            model="mock-model", messages=MESSAGES, extra_body={"mock": {"tag": tag}}
        )
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(
            model="mock-model", messages=MESSAGES, extra_body={"mock": {"tag": tag}}
        )
    error = _error(caught.value, 429, "rate_limited")
    assert error["type"] == "rate_limit_error"
    retry_after = caught.value.response.headers["retry-after"]
    assert retry_after.isdigit()
    assert 1 <= int(retry_after) <= 100  # one request per 100 s refills the bucket
    assert len(mock.control.requests(tag)) == 2  # the refused one never went upstream


def test_unsigned_request_is_401(
    mock: MockUpstreamProcess, proxy: str, agents: dict[str, str]
) -> None:
    """An agent that requires a signature refuses an unsigned request: 401 `bad_signature`."""
    tag = uuid.uuid4().hex
    for name in ("vapi", "hmac"):
        with pytest.raises(openai.AuthenticationError) as caught:
            _client(f"{proxy}/proxy/{agents[name]}/v1").chat.completions.create(
                model="mock-model", messages=MESSAGES, extra_body={"mock": {"tag": tag}}
            )
        _error(caught.value, 401, "bad_signature")
    assert mock.control.requests(tag) == []


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
@pytest.mark.parametrize("status", [400, 401, 429, 500, 503])
def test_upstream_error_is_502_with_its_message(
    mock: MockUpstreamProcess, demo_base: str, status: int, stream: bool
) -> None:
    """Whatever error the upstream answers, the client gets 502 `upstream_error` carrying
    the upstream's own message."""
    message = f"upstream exploded {uuid.uuid4().hex}"
    directive = {"error": {"status": status, "message": message, "type": "server_error"}}
    with pytest.raises(openai.InternalServerError) as caught:
        _client(demo_base).chat.completions.create(
            model="mock-model", messages=MESSAGES, stream=stream, extra_body={"mock": directive}
        )
    error = _error(caught.value, 502, "upstream_error")
    assert message in error["message"]


def test_unreachable_upstream_is_502(proxy: str, agents: dict[str, str]) -> None:
    """An upstream that refuses connections: 502 `upstream_error`."""
    with pytest.raises(openai.InternalServerError) as caught:
        _client(f"{proxy}/proxy/{agents['dead']}/v1").chat.completions.create(
            model="mock-model", messages=MESSAGES
        )
    _error(caught.value, 502, "upstream_error")


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
def test_slow_first_byte_is_504(mock: MockUpstreamProcess, slow_proxy: str, stream: bool) -> None:
    """Upstream silent past `--first-byte-timeout` (0.5 s here): 504 `upstream_timeout`,
    and the upstream request is abandoned."""
    tag = uuid.uuid4().hex
    with pytest.raises(openai.APIStatusError) as caught:
        _client(f"{slow_proxy}/agents/custom/s/slow/v1").chat.completions.create(
            model="mock-model",
            messages=MESSAGES,
            stream=stream,
            extra_body={"mock": {"first_byte_delay_ms": 5000, "tag": tag}},
        )
    _error(caught.value, 504, "upstream_timeout")
    stats = mock.control.wait_for_stat("cancelled", 1, tag)
    assert stats["cancelled"] == 1


@pytest.mark.anyio
async def test_body_errors_are_400_and_413(mock: MockUpstreamProcess, demo_base: str) -> None:
    """Invalid JSON, missing or mistyped `messages`: 400; over `--max-body-bytes`: 413."""
    url = f"{demo_base}/chat/completions"
    tag = uuid.uuid4().hex
    mock_field = b'"mock": {"tag": "%s"}' % tag.encode()
    cases: list[tuple[bytes, int, str]] = [
        (b'{"model": "mock-model", "messages": [', 400, "invalid_request"),
        (b'{"model": "mock-model", %s}' % mock_field, 400, "invalid_request"),
        (b'{"model": "m", "messages": "hi", %s}' % mock_field, 400, "invalid_request"),
        (b'{"model": "m", "messages": [' + b'"x",' * 70_000 + b'"x"]}', 413, "body_too_large"),
    ]
    headers = {"content-type": "application/json"}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        for body, status, code in cases:
            async with session.post(url, data=body, headers=headers) as answer:
                assert answer.status == status, body[:80]
                error = (await answer.json())["error"]
            assert set(error) == {"message", "type", "param", "code"}
            assert (error["type"], error["code"]) == ("invalid_request_error", code)
    assert mock.control.requests(tag) == []


@pytest.mark.anyio
async def test_body_limit_from_the_environment(proxy: str, slow_proxy: str) -> None:
    """`PHIWALL_MAX_BODY_BYTES=4096` (the slow proxy's environment) limits bodies to 4 KiB;
    the same 5 KB body is fine on the main proxy (limit 256 KiB)."""
    body = json.dumps(
        {"model": "mock-model", "messages": [{"role": "user", "content": "a" * 5000}]}
    ).encode()
    headers = {"content-type": "application/json"}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        path = "/agents/custom/s/limits/v1/chat/completions"
        async with session.post(slow_proxy + path, data=body, headers=headers) as answer:
            assert answer.status == 413
            assert (await answer.json())["error"]["code"] == "body_too_large"
        async with session.post(proxy + path, data=body, headers=headers) as answer:
            assert answer.status == 200


@pytest.mark.parametrize("attempt", range(3))
def test_sdk_sending_an_oversized_body_gets_the_413(
    mock: MockUpstreamProcess, slow_proxy: str, attempt: int
) -> None:
    """The openai SDK (httpx) uploads its whole body before reading the answer: the proxy
    drains the rest of an oversized body, so the SDK reads the 413, not a reset."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(
        base_url=f"{slow_proxy}/agents/custom/s/limits/v1", api_key="x", max_retries=0
    )
    with pytest.raises(openai.APIStatusError) as caught:
        client.chat.completions.create(
            model="mock-model",
            messages=[{"role": "user", "content": "my name is Sarah Chen " * 20_000}],
            extra_body={"mock": {"tag": tag}},
        )
    _error(caught.value, 413, "body_too_large")
    assert mock.control.requests(tag) == []
