"""Body reading under a limit, and the chat request's decode, checks and stripping."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from phiwall.errors import BodyTooLarge, InvalidRequest
from phiwall.proxy import request as request_module
from phiwall.proxy.disconnect import ClientGone
from phiwall.proxy.request import parse_chat_request, read_body

pytestmark = pytest.mark.anyio

MESSAGES = [{"role": "user", "content": "hello"}]


def parse(**fields: Any) -> Any:
    return parse_chat_request(msgspec.json.encode({"messages": MESSAGES, **fields}))


def receiver(*messages: dict[str, Any]) -> Any:
    queue = list(messages)

    async def receive() -> dict[str, Any]:
        return queue.pop(0)

    return receive


def part(body: bytes, more: bool) -> dict[str, Any]:
    return {"type": "http.request", "body": body, "more_body": more}


async def test_body_in_parts_is_joined() -> None:
    receive = receiver(part(b"ab", True), part(b"", True), part(b"cd", False))
    assert await read_body(receive, None, 10) == b"abcd"


async def test_body_over_the_limit_is_drained_then_refused() -> None:
    messages = [part(b"x" * 6, True), part(b"x" * 6, True), part(b"x" * 6, False)]
    receive = receiver(*messages)
    with pytest.raises(BodyTooLarge):
        await read_body(receive, None, 10)
    with pytest.raises(IndexError):  # everything was read: the client can read its 413
        await receive()


async def test_draining_stops_at_its_byte_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(request_module, "DRAIN_MAX_BYTES", 20)
    messages = [part(b"x" * 11, True)] + [part(b"x" * 8, True) for _ in range(5)]
    receive = receiver(*messages)
    with pytest.raises(BodyTooLarge):
        await read_body(receive, None, 10)
    # The second part crosses the limit; 3 more (24 bytes) pass the 20-byte drain bound.
    assert await receive() == messages[5]
    with pytest.raises(IndexError):
        await receive()


async def test_single_part_over_the_limit() -> None:
    with pytest.raises(BodyTooLarge):
        await read_body(receiver(part(b"x" * 11, False)), None, 10)


async def test_declared_length_over_the_limit_keeps_nothing_and_drains() -> None:
    receive = receiver(part(b"x" * 6, True), part(b"x" * 5, False))
    with pytest.raises(BodyTooLarge):
        await read_body(receive, 11, 10)
    with pytest.raises(IndexError):
        await receive()


async def test_declared_length_over_the_drain_bound_reads_nothing() -> None:
    with pytest.raises(BodyTooLarge):
        await read_body(receiver(), request_module.DRAIN_MAX_BYTES + 1, 10)


async def test_disconnect_while_reading() -> None:
    with pytest.raises(ClientGone):
        await read_body(receiver(part(b"x", True), {"type": "http.disconnect"}), None, 10)


def test_platform_fields_are_removed_and_others_kept() -> None:
    request = parse(
        call={"id": "c-1"},
        customer={"number": "+1"},
        phoneNumber={"id": "p"},
        metadata={"k": "v"},
        elevenlabs_extra_body={"conversation_id": "e-1"},
        temperature=0.5,
        mock={"x": 1},
    )
    assert set(request.payload) == {"messages", "temperature", "mock"}
    assert request.session_id == "c-1"


@pytest.mark.parametrize(
    ("fields", "session"),
    [
        ({"elevenlabs_extra_body": {"conversation_id": "e-1"}}, "e-1"),
        ({"metadata": {"session_id": "m-1"}}, "m-1"),
        ({"call": {"id": 5}}, None),
        ({"call": {"id": "x" * 500}}, None),
        ({}, None),
    ],
)
def test_session_id_sources(fields: dict[str, Any], session: str | None) -> None:
    assert parse(**fields).session_id == session


def test_stream_and_model_are_read() -> None:
    request = parse(stream=True, model="gpt-4o")
    assert (request.stream, request.model) == (True, "gpt-4o")
    assert parse(stream=None).stream is False


def test_content_parts_and_null_content_are_accepted() -> None:
    messages = [
        {"role": "user", "content": [{"type": "text", "text": "hi"}]},
        {"role": "assistant", "content": None, "tool_calls": []},
    ]
    assert parse_chat_request(msgspec.json.encode({"messages": messages})).payload


def test_error_messages_never_quote_the_body() -> None:
    secret = b'{"messages": [{"role": "user", "content": "Jane Doe"}], "stream": "Jane Doe"}'
    with pytest.raises(InvalidRequest) as caught:
        parse_chat_request(secret)
    assert "Jane" not in caught.value.message


async def test_body_complete_at_its_declared_length_needs_no_closing_message() -> None:
    receive = receiver(part(b"abcd", True))  # a second receive would fail
    assert await read_body(receive, 4, 10) == b"abcd"


# Bodies the native check must treat exactly as the reference: accepted ones with every
# kind of field it reads, and one refusal of each check (the reference then raises).
PARITY_BODIES = [
    {"messages": MESSAGES},
    {"messages": MESSAGES, "model": "gpt-4o", "stream": True, "temperature": 0.2},
    {"messages": MESSAGES, "model": None, "stream": None},
    {"messages": MESSAGES, "stream": False, "call": {"id": "c-1"}, "metadata": {"x": 1}},
    {"messages": MESSAGES, "call": {"id": ""}, "metadata": {"call_id": "m-2"}},
    {"messages": MESSAGES, "call": {"id": "x" * 128}},
    {"messages": MESSAGES, "call": {"id": "x" * 129}, "customer": {}, "phoneNumber": 1},
    {"messages": MESSAGES, "call": ["id"], "elevenlabs_extra_body": {"session_id": "e"}},
    {"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]},
    {"messages": [{"role": "assistant", "content": None, "tool_calls": []}]},
    {"messages": [{"role": "tool"}]},
    {"messages": MESSAGES, "model": 4},
    {"messages": MESSAGES, "stream": "yes"},
    {"messages": MESSAGES, "stream": 1},
    {"messages": []},
    {"messages": {"role": "user"}},
    {"messages": None},
    {"model": "gpt-4o"},
    {"messages": [MESSAGES[0], "hello"]},
    {"messages": [{"role": 1, "content": "hi"}]},
    {"messages": [{"content": "hi"}]},
    {"messages": [{"role": "user", "content": 5}]},
    {"messages": [{"role": "user", "content": {"text": "hi"}}]},
    [MESSAGES],
    "messages",
]


#: `check_chat_request`'s arguments after the payload, as `parse_chat_request` passes them.
CHECK_ARGUMENTS = (
    request_module.PLATFORM_FIELDS,
    request_module._SESSION_KEYS,
    request_module.MAX_SESSION_ID,
)


def _outcome(body: bytes) -> tuple[Any, ...]:
    try:
        request = parse_chat_request(body)
    except InvalidRequest as error:
        return ("refused", error.message, error.param)
    return ("accepted", request.payload, request.stream, request.model, request.session_id)


@pytest.mark.parametrize("payload", PARITY_BODIES)
def test_native_check_parses_as_the_reference(
    payload: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = msgspec.json.encode(payload)
    native = _outcome(body)
    monkeypatch.setattr(request_module, "_NATIVE_CHECK", None)
    assert native == _outcome(body)


@pytest.mark.parametrize("payload", PARITY_BODIES)
def test_native_check_accepts_what_the_reference_accepts_and_leaves_refusals_alone(
    payload: Any,
) -> None:
    check = request_module._NATIVE_CHECK
    assert check is not None, "the extension has check_chat_request"
    decoded = msgspec.json.decode(msgspec.json.encode(payload))
    before = msgspec.json.encode(decoded)
    checked = check(decoded, *CHECK_ARGUMENTS)
    try:
        request_module.parse_chat_request(before)
    except InvalidRequest:
        assert checked is None
        assert msgspec.json.encode(decoded) == before  # nothing removed
    else:
        assert checked is not None
        assert not set(request_module.PLATFORM_FIELDS) & set(decoded)


class Subclassed(dict[str, Any]):
    """A dict subclass: the reference's `isinstance` and `get` accept it, so the native
    check leaves it to the reference."""


def test_native_check_leaves_dict_subclasses_to_the_reference() -> None:
    check = request_module._NATIVE_CHECK
    assert check is not None
    assert check(Subclassed(messages=MESSAGES), *CHECK_ARGUMENTS) is None
    payload = {"messages": MESSAGES, "call": Subclassed(id="c-1")}
    assert check(payload, *CHECK_ARGUMENTS) is None
    assert "call" in payload
