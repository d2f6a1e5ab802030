"""The mock's control endpoints: what it received, in order, and its counters."""

from __future__ import annotations

import uuid

import httpx
import openai
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess


@pytest.fixture
def tag() -> str:
    """A tag unique to the test, so the shared mock's records never need clearing."""
    return uuid.uuid4().hex


def test_requests_are_recorded_in_order_with_headers(
    mock_server: MockUpstreamProcess, tag: str
) -> None:
    """Every body and header set is listed, in the order received, filtered by tag."""
    client = openai.OpenAI(base_url=mock_server.base_url, api_key="sk-upstream", max_retries=0)
    for word in ("first", "second"):
        client.chat.completions.create(
            model="mock-model",
            messages=[{"role": "user", "content": word}],
            extra_body={"mock": {"tag": tag}},
        )
    records = httpx.get(f"{mock_server.url}/_mock/requests", params={"tag": tag}).json()
    assert [r["body"]["messages"][0]["content"] for r in records] == ["first", "second"]
    assert records[0]["seq"] < records[1]["seq"]
    assert all(r["path"] == "/v1/chat/completions" and r["method"] == "POST" for r in records)
    assert all(r["headers"]["authorization"] == "Bearer sk-upstream" for r in records)
    assert '"first"' in records[0]["raw"]
    assert [r["outcome"] for r in records] == ["completed", "completed"]


def test_non_json_body_is_recorded_raw(mock_server: MockUpstreamProcess) -> None:
    """A body that is not JSON is answered 400 and still recorded, as text."""
    marker = uuid.uuid4().hex
    answer = httpx.post(f"{mock_server.url}/v1/chat/completions", content=f"{{{marker}")
    assert answer.status_code == 400
    assert answer.json()["error"]["type"] == "invalid_request_error"
    records = httpx.get(f"{mock_server.url}/_mock/requests").json()
    (mine,) = [r for r in records if marker in r["raw"]]
    assert (mine["body"], mine["outcome"]) == (None, "rejected")


def test_stats_count_per_tag(mock_server: MockUpstreamProcess, tag: str) -> None:
    """The counters of a tag count that tag's completions and streams only."""
    client = openai.OpenAI(base_url=mock_server.base_url, api_key="x", max_retries=0)
    messages = [{"role": "user", "content": "hi"}]
    client.chat.completions.create(model="m", messages=messages, extra_body={"mock": {"tag": tag}})
    list(
        client.chat.completions.create(
            model="m", messages=messages, stream=True, extra_body={"mock": {"tag": tag}}
        )
    )
    stats = httpx.get(f"{mock_server.url}/_mock/stats", params={"tag": tag}).json()
    assert stats == {
        "requests": 2,
        "completions": 1,
        "streams": 1,
        "completed": 2,
        "cancelled": 0,
        "errors_injected": 0,
        "disconnects_injected": 0,
        "in_flight": 0,
    }


def test_clearing(mock_server: MockUpstreamProcess, tag: str) -> None:
    """`DELETE` forgets the recorded requests and zeroes the counters."""
    client = openai.OpenAI(base_url=mock_server.base_url, api_key="x", max_retries=0)
    client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "hi"}], extra_body={"mock": {"tag": tag}}
    )
    assert httpx.delete(f"{mock_server.url}/_mock/requests").status_code == 200
    assert httpx.delete(f"{mock_server.url}/_mock/stats").status_code == 200
    assert httpx.get(f"{mock_server.url}/_mock/requests").json() == []
    assert httpx.get(f"{mock_server.url}/_mock/stats").json()["requests"] == 0


def test_leaks_finds_values_in_bodies_and_headers(
    mock_server: MockUpstreamProcess, tag: str
) -> None:
    """`MockControl.leaks` reports, case-insensitively, the values the mock did receive."""
    client = openai.OpenAI(base_url=mock_server.base_url, api_key="sk-Header-Value", max_retries=0)
    client.chat.completions.create(
        model="m",
        messages=[{"role": "user", "content": "call Sarah Chen"}],
        extra_body={"mock": {"tag": tag}},
    )
    values = ["sarah chen", "SK-HEADER-VALUE", "415-555-2671"]
    assert mock_server.control.leaks(values, tag) == ["sarah chen", "SK-HEADER-VALUE"]
    assert mock_server.control.leaks(values, "another-tag") == []


def test_recording_off_for_load_runs() -> None:
    """`--max-recorded 0` keeps no request but still counts them."""
    with MockUpstreamProcess(max_recorded=0) as mock:
        client = openai.OpenAI(base_url=mock.base_url, api_key="x", max_retries=0)
        answer = client.chat.completions.create(
            model="m",
            messages=[{"role": "user", "content": "hi"}],
            extra_body={"mock": {"tag": "t"}},
        )
        assert answer.choices[0].message.content == "You said: hi"
        assert mock.control.requests() == []
        assert mock.control.stats("t")["completed"] == 1
