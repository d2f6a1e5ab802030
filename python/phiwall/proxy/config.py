"""The proxy's settings, as `phiwall serve` passes them to every Granian worker.

Flags come from the command line or from `PHIWALL_*` environment variables (see
`serve_command`); this struct is what the ASGI app receives. It is a frozen msgspec
struct, so it pickles cheaply into spawned workers.
"""

from __future__ import annotations

import os

import msgspec

from phiwall.store import DEFAULT_EVENT_RETENTION_DAYS

OPENAI_URL = "https://api.openai.com/v1"
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_FIRST_BYTE_TIMEOUT = 60.0


class ProxySettings(msgspec.Struct, frozen=True, kw_only=True):
    """What a worker needs to serve: where the store is and the request limits.

    `upstream_url`/`upstream_key` configure the default agent (the demo route's);
    other agents carry their own. `db_path` None means the store's default path.
    `access_log` False silences the per-request JSON lines on stdout.
    `event_retention_days` is how long the store keeps turn events.
    """

    upstream_url: str = OPENAI_URL
    upstream_key: str | None = None
    db_path: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    first_byte_timeout: float = DEFAULT_FIRST_BYTE_TIMEOUT
    access_log: bool = True
    event_retention_days: float = DEFAULT_EVENT_RETENTION_DAYS

    def __repr__(self) -> str:  # never print the key
        key = "set" if self.upstream_key else "none"
        return (
            f"ProxySettings(upstream_url={self.upstream_url!r}, upstream_key=<{key}>, "
            f"db_path={self.db_path!r}, max_body_bytes={self.max_body_bytes}, "
            f"connect_timeout={self.connect_timeout}, "
            f"first_byte_timeout={self.first_byte_timeout}, access_log={self.access_log}, "
            f"event_retention_days={self.event_retention_days})"
        )


def env_name(flag: str) -> str:
    """`--first-byte-timeout` -> `PHIWALL_FIRST_BYTE_TIMEOUT`."""
    return "PHIWALL_" + flag.lstrip("-").replace("-", "_").upper()


def env_value(flag: str, default: str | None = None) -> str | None:
    """The `PHIWALL_*` environment value for `flag`, or `default`."""
    return os.environ.get(env_name(flag), default)


def upstream_key_from_env() -> str | None:
    """The default agent's upstream key: `PHIWALL_UPSTREAM_KEY`, else `OPENAI_API_KEY`.

    Read from the environment only, never from a flag: a flag would show in `ps`.
    """
    return os.environ.get("PHIWALL_UPSTREAM_KEY") or os.environ.get("OPENAI_API_KEY") or None
