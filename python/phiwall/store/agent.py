"""An agent: one voice-agent deployment behind phiwall, with its upstream and policies."""

from __future__ import annotations

import msgspec


class SignatureScheme(msgspec.Struct, frozen=True):
    """How requests to this agent must be signed.

    `kind="vapi"`: HMAC-SHA256 of the raw body, hex, in `X-Vapi-Signature`
    (an optional `sha256=` prefix is accepted).
    `kind="hmac"`: HMAC (`algorithm` sha256 or sha512) of `{timestamp}.{body}`, hex, in
    `header`, the timestamp (Unix seconds) in `timestamp_header`, accepted within
    `replay_window` seconds of now.
    """

    secret: str
    kind: str = "vapi"
    header: str = "x-vapi-signature"
    algorithm: str = "sha256"
    timestamp_header: str = "x-phiwall-timestamp"
    replay_window: float = 300.0


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
