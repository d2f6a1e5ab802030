"""Agent settings: validation, display of secrets, model policy."""

from __future__ import annotations

import msgspec
import pytest

from phiwall.errors import InvalidRequest
from phiwall.store.agent import Agent, SignatureScheme, check_agent, mask_secret

GOOD = Agent(id="agt_x", name="clinic", upstream_url="https://api.example.com/v1")
SCHEME = SignatureScheme(secret="s3cret")


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"name": "  "}, "name"),
        ({"upstream_url": "ftp://example.com"}, "upstream_url"),
        ({"upstream_url": "example.com"}, "upstream_url"),
        ({"rate_per_second": 0.0}, "rate_per_second"),
        ({"rate_per_second": -1.0}, "rate_per_second"),
        ({"rate_per_second": float("nan")}, "rate_per_second"),
        ({"rate_per_second": float("inf")}, "rate_per_second"),
        ({"burst": 0}, "burst"),
        ({"signature": msgspec.structs.replace(SCHEME, secret="")}, "signature.secret"),
        ({"signature": msgspec.structs.replace(SCHEME, kind="rsa")}, "signature.kind"),
        ({"signature": msgspec.structs.replace(SCHEME, algorithm="md5")}, "signature.algorithm"),
        ({"signature": msgspec.structs.replace(SCHEME, header=" ")}, "signature.header"),
        (
            {"signature": msgspec.structs.replace(SCHEME, timestamp_header="")},
            "signature.header",
        ),
        (
            {"signature": msgspec.structs.replace(SCHEME, replay_window=0.0)},
            "signature.replay_window",
        ),
    ],
)
def test_unusable_settings_are_refused_naming_the_field(
    changes: dict[str, object], param: str
) -> None:
    with pytest.raises(InvalidRequest) as caught:
        check_agent(msgspec.structs.replace(GOOD, **changes))
    assert caught.value.param == param
    assert caught.value.status == 400
    assert "s3cret" not in caught.value.message


@pytest.mark.parametrize(
    "agent",
    [
        GOOD,
        msgspec.structs.replace(GOOD, upstream_url="http://localhost:8001", burst=1),
        msgspec.structs.replace(GOOD, signature=SCHEME),
        msgspec.structs.replace(
            GOOD, signature=SignatureScheme(secret="k", kind="hmac", algorithm="sha512")
        ),
    ],
)
def test_usable_settings_pass(agent: Agent) -> None:
    check_agent(agent)


@pytest.mark.parametrize(
    ("secret", "shown"),
    [
        (None, "-"),
        ("", "…"),
        ("short", "…"),
        ("x" * 23, "…"),
        ("sk-proj-0123456789abcdefabcd", "sk-…abcd"),
        ("sk-" + "a" * 45 + "wxyz", "sk-…wxyz"),
    ],
)
def test_mask_secret_shows_little(secret: str | None, shown: str) -> None:
    assert mask_secret(secret) == shown


def test_repr_never_shows_secrets() -> None:
    agent = msgspec.structs.replace(GOOD, upstream_key="sk-very-secret-key", signature=SCHEME)
    for text in (repr(agent), str(agent), repr(agent.signature), f"{agent}"):
        assert "sk-very-secret-key" not in text
        assert "s3cret" not in text


@pytest.mark.parametrize(
    ("allowed", "model", "allows"),
    [((), "anything", True), (("gpt-4o",), "gpt-4o", True), (("gpt-4o",), "gpt-4", False)],
)
def test_allows_model(allowed: tuple[str, ...], model: str, allows: bool) -> None:
    assert msgspec.structs.replace(GOOD, allowed_models=allowed).allows_model(model) is allows
