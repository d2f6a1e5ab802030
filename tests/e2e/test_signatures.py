"""Signed agents: Vapi's `X-Vapi-Signature` (HMAC-SHA256 of the raw body) and the general
HMAC scheme (SHA-512 of `{timestamp}.{body}` with a timestamp header and a replay window).
Signatures are computed here, independently of phiwall's code, over the exact bytes sent."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable

import httpx
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

VAPI_SECRET = b"vapi-secret-e2e"
HMAC_SECRET = b"hmac-secret-e2e"
TEXT = "my name is Sarah Chen, phone 415-555-2671"


def _body(tag: str) -> bytes:
    request = {
        "model": "mock-model",
        "messages": [{"role": "user", "content": TEXT}],
        "call": {"id": "call-123"},
        "mock": {"tag": tag},
    }
    return json.dumps(request).encode()


def _post(url: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(
        url, content=body, headers={"content-type": "application/json", **headers}, timeout=30
    )


def _vapi(body: bytes, secret: bytes = VAPI_SECRET) -> str:
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def _general(body: bytes, timestamp: str, secret: bytes = HMAC_SECRET) -> str:
    return hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha512).hexdigest()


def _check(answer: httpx.Response, status: int) -> None:
    assert answer.status_code == status, answer.text
    if status == 200:
        assert answer.json()["choices"][0]["message"]["content"] == "You said: " + TEXT
    else:
        assert answer.json()["error"]["code"] == "bad_signature"


@pytest.fixture
def vapi_url(proxy: str, agents: dict[str, str]) -> str:
    """Chat URL of the agent that requires Vapi signatures."""
    return f"{proxy}/proxy/{agents['vapi']}/v1/chat/completions"


@pytest.fixture
def hmac_url(proxy: str, agents: dict[str, str]) -> str:
    """Chat URL of the agent that requires general HMAC-SHA512 signatures."""
    return f"{proxy}/proxy/{agents['hmac']}/chat/completions"


@pytest.mark.parametrize(
    ("make_header", "status"),
    [
        (lambda body: _vapi(body), 200),
        (lambda body: "sha256=" + _vapi(body), 200),
        (lambda body: _vapi(body + b" "), 401),  # signed other bytes
        (lambda body: _vapi(body, b"wrong-secret"), 401),
        (lambda body: "sha256=" + "0" * 64, 401),
        (lambda body: "", 401),
    ],
    ids=["hex", "prefixed", "other-body", "other-secret", "zeros", "empty"],
)
def test_vapi(
    mock: MockUpstreamProcess, vapi_url: str, make_header: Callable[[bytes], str], status: int
) -> None:
    """Only a signature of these exact bytes under the agent's secret gets through."""
    tag = uuid.uuid4().hex
    body = _body(tag)
    answer = _post(vapi_url, body, {"X-Vapi-Signature": make_header(body)})
    _check(answer, status)
    assert len(mock.control.requests(tag)) == (1 if status == 200 else 0)


def test_vapi_missing_header(mock: MockUpstreamProcess, vapi_url: str) -> None:
    """No signature header at all: 401."""
    tag = uuid.uuid4().hex
    _check(_post(vapi_url, _body(tag), {}), 401)
    assert mock.control.requests(tag) == []


@pytest.mark.parametrize(
    ("age", "secret", "status"),
    [
        (0, HMAC_SECRET, 200),
        (30, HMAC_SECRET, 200),
        (-30, HMAC_SECRET, 200),
        (3600, HMAC_SECRET, 401),  # outside the 60 s replay window
        (-3600, HMAC_SECRET, 401),
        (0, b"wrong-secret", 401),
    ],
)
def test_general_hmac(
    mock: MockUpstreamProcess, hmac_url: str, age: int, secret: bytes, status: int
) -> None:
    """A fresh timestamp signed with the secret passes; stale or wrong ones are 401."""
    tag = uuid.uuid4().hex
    body = _body(tag)
    timestamp = str(int(time.time()) - age)
    headers = {
        "X-Phiwall-Signature": _general(body, timestamp, secret),
        "X-Phiwall-Timestamp": timestamp,
    }
    _check(_post(hmac_url, body, headers), status)
    assert len(mock.control.requests(tag)) == (1 if status == 200 else 0)


def test_general_hmac_needs_both_headers(mock: MockUpstreamProcess, hmac_url: str) -> None:
    """The signature without its timestamp, or the signature of another timestamp: 401."""
    tag = uuid.uuid4().hex
    body = _body(tag)
    now = str(int(time.time()))
    _check(_post(hmac_url, body, {"X-Phiwall-Signature": _general(body, now)}), 401)
    other = str(int(time.time()) - 5)
    headers = {"X-Phiwall-Signature": _general(body, other), "X-Phiwall-Timestamp": now}
    _check(_post(hmac_url, body, headers), 401)
    assert mock.control.requests(tag) == []
