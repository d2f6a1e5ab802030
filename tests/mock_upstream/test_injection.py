"""Faults the mock injects on request: error statuses, slow first bytes, disconnects, and
noticing a client that goes away."""

from __future__ import annotations

import uuid

import openai
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

MESSAGES = [{"role": "user", "content": "hello there"}]


@pytest.fixture
def client(mock_server: MockUpstreamProcess) -> openai.OpenAI:
    """A sync SDK client on the mock, without retries."""
    return openai.OpenAI(base_url=mock_server.base_url, api_key="x", max_retries=0)


@pytest.mark.parametrize(
    ("status", "exception"),
    [
        (400, openai.BadRequestError),
        (401, openai.AuthenticationError),
        (429, openai.RateLimitError),
        (500, openai.InternalServerError),
        (503, openai.InternalServerError),
    ],
)
def test_error_status_with_openai_body(
    client: openai.OpenAI, status: int, exception: type[openai.APIStatusError]
) -> None:
    """`error` answers its status and an OpenAI error body the SDK understands."""
    error = {"status": status, "message": "injected failure", "type": "mock_error", "code": "x1"}
    with pytest.raises(exception) as caught:
        client.chat.completions.create(
            model="m", messages=MESSAGES, stream=True, extra_body={"mock": {"error": error}}
        )
    assert caught.value.status_code == status
    assert caught.value.body == {
        "message": "injected failure",
        "type": "mock_error",
        "param": None,
        "code": "x1",
    }


def test_first_byte_delay_trips_a_client_timeout(client: openai.OpenAI) -> None:
    """Nothing is sent before `first_byte_delay_ms`, so a shorter client timeout expires."""
    with pytest.raises(openai.APITimeoutError):
        client.with_options(timeout=0.3).chat.completions.create(
            model="m", messages=MESSAGES, extra_body={"mock": {"first_byte_delay_ms": 5000}}
        )


def test_disconnect_after_n_events(client: openai.OpenAI, mock_server: MockUpstreamProcess) -> None:
    """`disconnect_after: N` delivers N events then aborts the connection, without [DONE]."""
    tag = uuid.uuid4().hex
    stream = client.chat.completions.create(
        model="m",
        messages=MESSAGES,
        stream=True,
        extra_body={"mock": {"disconnect_after": 3, "chunking": "chars", "tag": tag}},
    )
    received = []
    with pytest.raises(openai.APIConnectionError):  # the SDK's wrapper of the broken transfer
        received.extend(stream)
    assert len(received) == 3
    assert mock_server.control.stats(tag)["disconnects_injected"] == 1


def test_disconnect_before_a_completion(client: openai.OpenAI) -> None:
    """Non-streaming, `disconnect_after` aborts without any answer."""
    with pytest.raises(openai.APIConnectionError):
        client.chat.completions.create(
            model="m", messages=MESSAGES, extra_body={"mock": {"disconnect_after": 0}}
        )


def test_client_going_away_counts_as_cancelled(
    client: openai.OpenAI, mock_server: MockUpstreamProcess
) -> None:
    """A client that closes a slow stream early shows up in the `cancelled` counter."""
    tag = uuid.uuid4().hex
    stream = client.chat.completions.create(
        model="m",
        messages=MESSAGES,
        stream=True,
        extra_body={"mock": {"chunk_delay_ms": 100, "chunking": "chars", "tag": tag}},
    )
    next(iter(stream))
    stream.close()
    stats = mock_server.control.wait_for_stat("cancelled", 1, tag)
    assert (stats["cancelled"], stats["completed"], stats["in_flight"]) == (1, 0, 0)
    assert [r["outcome"] for r in mock_server.control.requests(tag)] == ["cancelled"]
