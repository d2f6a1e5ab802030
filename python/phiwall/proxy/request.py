"""Reading and validating a chat-completions request.

`read_body` collects the ASGI body under a size limit; `parse_chat_request` decodes it
once with msgspec, checks the few fields phiwall relies on, and removes the fields
that voice platforms add and OpenAI rejects. Everything else is forwarded unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, NamedTuple

import msgspec

from phiwall import _native
from phiwall.errors import BodyTooLarge, InvalidRequest
from phiwall.proxy.asgi import Receive
from phiwall.proxy.disconnect import ClientGone

# Platform-only fields: Vapi's `call`, `customer`, `phoneNumber`, `metadata`;
# ElevenLabs' `elevenlabs_extra_body`.
PLATFORM_FIELDS = ("call", "customer", "phoneNumber", "metadata", "elevenlabs_extra_body")
# Where a platform field carries the call's id: (field, key inside it).
_SESSION_KEYS = (
    ("call", "id"),
    ("elevenlabs_extra_body", "conversation_id"),
    ("elevenlabs_extra_body", "session_id"),
    ("metadata", "session_id"),
    ("metadata", "call_id"),
)
MAX_SESSION_ID = 128

_decode = msgspec.json.Decoder().decode
#: `parse_chat_request`'s checks in one native call (`_native.check_chat_request`), or None.
_NATIVE_CHECK = getattr(_native, "check_chat_request", None)


class ChatRequest(NamedTuple):
    """A decoded chat-completions request, platform fields already removed."""

    payload: dict[str, Any]
    stream: bool
    model: str | None
    session_id: str | None


# An oversized body is read and dropped up to these bounds before the 413 is sent: a
# client that uploads its whole body before reading the answer (httpx, so the openai
# SDK) would otherwise see a reset connection instead of the error.
DRAIN_MAX_BYTES = 16 * 1024 * 1024
DRAIN_MAX_SECONDS = 2.0


async def read_body(receive: Receive, content_length: int | None, limit: int) -> bytes:
    """The request body, refusing more than `limit` bytes.

    A declared `content_length` over the limit is refused before anything is kept;
    otherwise reading stops keeping at the first chunk that crosses the limit. Once the
    declared length has arrived the body is complete: the server's closing empty
    message is not waited for (one round trip less; a `DisconnectWatch` drains it, or
    nobody: Granian does not need it read).
    Raises `BodyTooLarge` (413, after draining the rest of the body within
    `DRAIN_MAX_BYTES` and `DRAIN_MAX_SECONDS`) or `ClientGone`.
    """
    if content_length is not None and content_length > limit:
        if content_length <= DRAIN_MAX_BYTES:
            await _drain(receive)
        raise _too_large(limit)
    message = await receive()
    if message["type"] != "http.request":
        raise ClientGone
    body: bytes = message.get("body", b"")
    if not message.get("more_body", False) or len(body) == content_length:
        if len(body) > limit:
            raise _too_large(limit)
        return body
    parts = [body]
    size = len(body)
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise ClientGone
        part = message.get("body", b"")
        size += len(part)
        more = message.get("more_body", False)
        if size > limit:
            if more:
                await _drain(receive)
            raise _too_large(limit)
        parts.append(part)
        if not more:
            return b"".join(parts)


def _too_large(limit: int) -> BodyTooLarge:
    return BodyTooLarge(f"the request body is over the limit of {limit} bytes")


async def _drain(receive: Receive) -> None:
    """Read and drop what is left of the body, within the drain bounds; never raises."""

    async def drop() -> None:
        dropped = 0
        while dropped <= DRAIN_MAX_BYTES:
            message = await receive()
            if message["type"] != "http.request":
                return
            dropped += len(message.get("body", b""))
            if not message.get("more_body", False):
                return

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(drop(), DRAIN_MAX_SECONDS)


def parse_chat_request(body: bytes) -> ChatRequest:
    """Decode and check a chat-completions body; strip the platform-only fields.

    Cost: one msgspec decode (a few µs for a long voice conversation) and a pass over
    the messages' roles, in one native call (`_native.check_chat_request`; the Python
    checks below are the reference, and run for whatever it refuses). Raises
    `InvalidRequest` (400) for a body that is not UTF-8, not JSON (or nested too deep),
    not an object, or whose `messages`, `model` or `stream` have the wrong type.
    Messages never quote the body: it may hold PHI.
    """
    try:
        payload = _decode(body)
    except UnicodeDecodeError:
        raise InvalidRequest("the request body is not valid UTF-8") from None
    except RecursionError:
        raise InvalidRequest("the request body is nested too deeply") from None
    except msgspec.DecodeError:
        raise InvalidRequest("the request body is not valid JSON") from None
    if _NATIVE_CHECK is not None:
        checked = _NATIVE_CHECK(payload, PLATFORM_FIELDS, _SESSION_KEYS, MAX_SESSION_ID)
        if checked is not None:
            return ChatRequest(payload, *checked)
    # The reference: every request without the extension, and any the native check refuses.
    if not isinstance(payload, dict):
        raise InvalidRequest("the request body must be a JSON object")
    _check_messages(payload.get("messages"))
    model = payload.get("model")
    if model is not None and not isinstance(model, str):
        raise InvalidRequest("'model' must be a string", param="model")
    stream = payload.get("stream", False)
    if stream is None:
        stream = False
    if not isinstance(stream, bool):
        raise InvalidRequest("'stream' must be a boolean", param="stream")
    session_id = _session_id(payload)
    for field in PLATFORM_FIELDS:
        payload.pop(field, None)
    return ChatRequest(payload, stream, model, session_id)


def _check_messages(messages: object) -> None:
    if messages is None:
        raise InvalidRequest("'messages' is required", param="messages")
    if type(messages) is not list:
        raise InvalidRequest("'messages' must be an array", param="messages")
    if not messages:
        raise InvalidRequest("'messages' must not be empty", param="messages")
    # msgspec decodes to exact dict/list/str, so `type() is` is both right and fastest
    # (an `isinstance` against `str | list` costs several times more per message).
    for number, message in enumerate(messages):
        if type(message) is not dict or type(message.get("role")) is not str:
            raise _bad_message(number, message)
        content = message.get("content")
        if content is not None and type(content) is not str and type(content) is not list:
            raise _bad_message(number, message)


def _bad_message(number: int, message: object) -> InvalidRequest:
    """The 400 naming what is wrong with `messages[number]` (never its content)."""
    if type(message) is not dict:
        return InvalidRequest(f"'messages[{number}]' must be an object", param="messages")
    if type(message.get("role")) is not str:
        param = f"messages[{number}].role"
        return InvalidRequest(f"'{param}' must be a string", param=param)
    param = f"messages[{number}].content"
    return InvalidRequest(f"'{param}' must be a string or an array", param=param)


def _session_id(payload: dict[str, Any]) -> str | None:
    """The platform's call id, if one of its fields carries a short string id."""
    for field, key in _SESSION_KEYS:
        container = payload.get(field)
        if isinstance(container, dict):
            value = container.get(key)
            if isinstance(value, str) and 0 < len(value) <= MAX_SESSION_ID:
                return value
    return None
