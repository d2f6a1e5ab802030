"""An agent: one voice-agent deployment behind phiwall, with its upstream and policies."""

from __future__ import annotations

import math

import msgspec

from phiwall.errors import InvalidRequest

SIGNATURE_KINDS = ("vapi", "hmac")
SIGNATURE_ALGORITHMS = ("sha256", "sha512")


class SignatureScheme(msgspec.Struct, frozen=True):
    """How requests to this agent must be signed.

    `kind="vapi"`: HMAC-SHA256 of the raw body, hex, in `X-Vapi-Signature`
    (an optional `sha256=` prefix is accepted).
    `kind="hmac"`: HMAC (`algorithm` sha256 or sha512) of `{timestamp}.{body}`, hex, in
    `header`, the timestamp (Unix seconds) in `timestamp_header`, accepted within
    `replay_window` seconds of now.

    `secret` is a shared secret: it is stored encrypted and never echoed.
    Header names are matched case-insensitively.
    """

    secret: str
    kind: str = "vapi"
    header: str = "x-vapi-signature"
    algorithm: str = "sha256"
    timestamp_header: str = "x-phiwall-timestamp"
    replay_window: float = 300.0

    def __repr__(self) -> str:
        # The default repr would print the secret.
        return f"SignatureScheme(kind={self.kind!r}, header={self.header!r})"


class Agent(msgspec.Struct, frozen=True):
    """An agent, as the proxy needs it on every request.

    `id` is `agt_` + a ULID and is a shared secret: it appears in the proxy URL.
    `upstream_key` is never logged or echoed. An empty `allowed_models` allows all.
    """

    id: str
    name: str
    upstream_url: str
    upstream_key: str | None = None
    allowed_models: tuple[str, ...] = ()
    rate_per_second: float = 100.0
    burst: int = 200
    signature: SignatureScheme | None = None
    created_at: float = 0.0

    def allows_model(self, model: str) -> bool:
        """Whether this agent may call `model` (every model when `allowed_models` is empty)."""
        return not self.allowed_models or model in self.allowed_models

    def __repr__(self) -> str:
        # The default repr would print the upstream key and the signature secret.
        return f"Agent(id={self.id!r}, name={self.name!r}, upstream_url={self.upstream_url!r})"


def check_agent(agent: Agent) -> None:
    """Validate an agent's settings before it is stored; O(1).

    Raises `InvalidRequest` (its `param` names the field) when a setting is unusable:
    an empty name, an upstream URL that is not http(s), a rate or burst that is not
    positive, or an incomplete signature scheme. Messages never contain secrets.
    """
    if not agent.name.strip():
        raise InvalidRequest("the agent name must not be empty", param="name")
    if not agent.upstream_url.startswith(("http://", "https://")):
        raise InvalidRequest(
            "the upstream URL must start with http:// or https://", param="upstream_url"
        )
    if not (math.isfinite(agent.rate_per_second) and agent.rate_per_second > 0):
        raise InvalidRequest(
            "the rate must be a positive number per second", param="rate_per_second"
        )
    if agent.burst < 1:
        raise InvalidRequest("the burst must be at least 1", param="burst")
    if agent.signature is not None:
        check_signature_scheme(agent.signature)


def check_signature_scheme(scheme: SignatureScheme) -> None:
    """Validate a signature scheme; raises `InvalidRequest` naming the bad field."""
    if not scheme.secret:
        raise InvalidRequest("the signature secret must not be empty", param="signature.secret")
    if scheme.kind not in SIGNATURE_KINDS:
        raise InvalidRequest("the signature kind must be vapi or hmac", param="signature.kind")
    if scheme.algorithm not in SIGNATURE_ALGORITHMS:
        raise InvalidRequest(
            "the signature algorithm must be sha256 or sha512", param="signature.algorithm"
        )
    if not scheme.header.strip() or not scheme.timestamp_header.strip():
        raise InvalidRequest("signature header names must not be empty", param="signature.header")
    if not (math.isfinite(scheme.replay_window) and scheme.replay_window > 0):
        raise InvalidRequest(
            "the replay window must be a positive number of seconds",
            param="signature.replay_window",
        )


def mask_secret(secret: str | None) -> str:
    """A secret as it may be shown: its first three and last four characters, e.g. `sk-…abcd`.

    Only secrets of 24 characters or more show any characters (at most 7, under a
    third); shorter ones show as `…`, so little of a short secret is revealed. `None`
    shows as `-`.
    """
    if secret is None:
        return "-"
    if len(secret) < 24:
        return "…"
    return f"{secret[:3]}…{secret[-4:]}"
