"""Routes (issue 4 §2) and what is forwarded (§3): both agent path shapes, `/v1/models` on
every base, `/health`; unknown fields forwarded unchanged, platform-only fields removed, the
platform's Authorization replaced by the agent's upstream key."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import openai
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

MESSAGES = [{"role": "user", "content": "hello, I am Sarah Chen"}]
ECHO = "You said: hello, I am Sarah Chen"
PLATFORM_SECRET = "sk-platform-secret-never-forwarded"
PLATFORM_FIELDS: dict[str, Any] = {
    "call": {"id": "call_1", "customer": {"number": "+14155552671"}},
    "customer": {"number": "+14155552671", "name": "Sarah Chen"},
    "phoneNumber": {"number": "+14155550000"},
    "metadata": {"patient": "Sarah Chen", "crm_id": "42"},
    "elevenlabs_extra_body": {"patient_dob": "March 3, 1985"},
}
UNKNOWN_FIELDS: dict[str, Any] = {
    "temperature": 0.25,
    "max_tokens": 77,
    "user": "caller-7",
    "seed": 123,
    "custom_vendor_field": {"nested": [1, "two", {"three": None}], "flag": True},
}


def test_agent_path_with_and_without_v1(
    mock: MockUpstreamProcess, proxy: str, agents: dict[str, str]
) -> None:
    """`/proxy/{id}/v1/chat/completions` and `/proxy/{id}/chat/completions` both serve."""
    for base in (f"{proxy}/proxy/{agents['open']}/v1", f"{proxy}/proxy/{agents['open']}"):
        client = openai.OpenAI(base_url=base, api_key="x", max_retries=0)
        answer = client.chat.completions.create(model="mock-model", messages=MESSAGES)
        assert answer.choices[0].message.content == ECHO


def test_models_on_every_base(proxy: str, agents: dict[str, str], demo_base: str) -> None:
    """LiveKit prewarms with `GET <base>/v1/models`: every base answers a model list."""
    bases = [demo_base, f"{proxy}/proxy/{agents['open']}/v1", f"{proxy}/proxy/{agents['open']}"]
    for base in bases:
        client = openai.OpenAI(base_url=base, api_key="x", max_retries=0)
        models = list(client.models.list())
        assert models
        assert all(model.id for model in models)


def test_health(proxy: str) -> None:
    """`GET /health` answers 200."""
    assert httpx.get(f"{proxy}/health", timeout=10).status_code == 200


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
def test_forwarded_body(mock: MockUpstreamProcess, base_url: str, stream: bool) -> None:
    """Unknown fields arrive unchanged, platform-only fields do not arrive at all, and the
    PHI inside those platform fields never reaches the upstream."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(base_url=base_url, api_key=PLATFORM_SECRET, max_retries=0)
    extra = {**PLATFORM_FIELDS, **UNKNOWN_FIELDS, "mock": {"tag": tag}}
    answer: Any = client.chat.completions.create(
        model="gpt-4o-mini", messages=MESSAGES, stream=stream, extra_body=extra
    )
    if stream:
        text = "".join(c.choices[0].delta.content or "" for c in answer if c.choices)
    else:
        text = answer.choices[0].message.content
    assert text == ECHO
    (record,) = mock.control.requests(tag)
    body = record["body"]
    assert not set(PLATFORM_FIELDS) & set(body)
    for key, value in UNKNOWN_FIELDS.items():
        assert body[key] == value
    assert body["model"] == "gpt-4o-mini"
    assert body["mock"] == {"tag": tag}
    assert body.get("stream", False) is stream
    phi = ["Sarah Chen", "+14155552671", "4155552671", "March 3, 1985"]
    assert mock.control.leaks(phi, tag) == []


def test_upstream_key_replaces_the_platform_key(
    mock: MockUpstreamProcess, proxy: str, demo_base: str, agent_base: str, default_agent: str
) -> None:
    """The demo route and the printed default agent use the default agent's key (from
    `PHIWALL_UPSTREAM_KEY`), an agent route its own key; the platform's Authorization is
    never forwarded."""
    expected = {
        demo_base: "Bearer sk-default-upstream-e2e",
        f"{proxy}/proxy/{default_agent}/v1": "Bearer sk-default-upstream-e2e",
        agent_base: "Bearer sk-agent-open-e2e",
    }
    for base, authorization in expected.items():
        tag = uuid.uuid4().hex
        client = openai.OpenAI(base_url=base, api_key=PLATFORM_SECRET, max_retries=0)
        client.chat.completions.create(
            model="mock-model", messages=MESSAGES, extra_body={"mock": {"tag": tag}}
        )
        (record,) = mock.control.requests(tag)
        assert record["headers"].get("authorization") == authorization
        assert mock.control.leaks([PLATFORM_SECRET], tag) == []


def test_upstream_base_url_with_a_query(
    mock: MockUpstreamProcess, proxy: str, agents: dict[str, str]
) -> None:
    """An upstream base URL with a query (Azure OpenAI's `?api-version=`): the path goes
    before the query, and the query reaches the upstream."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(
        base_url=f"{proxy}/proxy/{agents['azure']}/v1", api_key="x", max_retries=0
    )
    answer = client.chat.completions.create(
        model="mock-model", messages=MESSAGES, extra_body={"mock": {"tag": tag}}
    )
    assert answer.choices[0].message.content == ECHO
    (record,) = mock.control.requests(tag)
    assert (record["path"], record["query"]) == ("/v1/chat/completions", "api-version=2024-06-01")
