"""The few ASGI types and response helpers the hand-rolled proxy routes need."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from phiwall.errors import PhiwallError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]

JSON_HEADERS: Headers = [(b"content-type", b"application/json")]
SSE_HEADERS: Headers = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),
]


async def send_json(
    send: Send, status: int, body: bytes, headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    """Answer a complete JSON `body` with `status` (two ASGI sends)."""
    await send(
        {"type": "http.response.start", "status": status, "headers": [*JSON_HEADERS, *headers]}
    )
    await send({"type": "http.response.body", "body": body})


async def send_error(send: Send, error: PhiwallError) -> None:
    """Answer `error` in OpenAI's shape, with its status and headers (e.g. Retry-After)."""
    headers = [
        (name.encode("latin-1"), value.encode("latin-1")) for name, value in error.headers.items()
    ]
    await send_json(send, error.status, error.body(), headers)


def header(scope: Scope, name: bytes) -> bytes | None:
    """The value of the request header `name` (lower case), or None; a linear scan."""
    for key, value in scope["headers"]:
        if key == name:
            return value
    return None


def headers_mapping(scope: Scope) -> dict[str, str]:
    """The request headers as a `{lower-case name: value}` dict (for signatures)."""
    return {
        key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]
    }
