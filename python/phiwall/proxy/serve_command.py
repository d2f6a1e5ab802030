"""`phiwall serve`: run the proxy on Granian (ASGI, uvloop) with nothing else to set up.

    phiwall serve --host 127.0.0.1 --port 8000 --upstream https://api.openai.com/v1

Every flag can also come from a `PHIWALL_*` environment variable named after it
(`--first-byte-timeout` <- `PHIWALL_FIRST_BYTE_TIMEOUT`); a flag given on the command
line wins. The default agent's upstream key comes from `PHIWALL_UPSTREAM_KEY` or
`OPENAI_API_KEY` only — never a flag, which `ps` would show. On start the embedded
store is opened (created on first start), the default agent ensured, and the proxy
URLs printed; then Granian serves `phiwall.proxy.app` in `--workers` processes.
"""

from __future__ import annotations

import argparse
import sys

from phiwall.proxy.config import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_EVENT_RETENTION_DAYS,
    DEFAULT_FIRST_BYTE_TIMEOUT,
    DEFAULT_MAX_BODY_BYTES,
    OPENAI_URL,
    ProxySettings,
    env_name,
    env_value,
    upstream_key_from_env,
)

_FALSE = ("0", "false", "no", "off")

# Granian's logging, sent to stderr with phiwall's own logger: stdout carries only the
# JSON access-log lines. Merged into Granian's default configuration.
LOG_CONFIG = {
    "handlers": {
        "console": {
            "formatter": "generic",
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
        },
    },
    "loggers": {
        "_granian": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "phiwall": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `serve` flags; each default reads its `PHIWALL_*` variable."""

    def flag(name: str, default: str | None, help_text: str, **kwargs: object) -> None:
        shown = f"default {default}, " if default is not None else ""
        parser.add_argument(
            name,
            default=env_value(name, default),
            help=f"{help_text} [{shown}env {env_name(name)}]",
            **kwargs,
        )

    flag("--host", "127.0.0.1", "interface to bind")
    flag("--port", "8000", "port to bind", type=int)
    flag("--upstream", OPENAI_URL, "the default agent's upstream base URL (key: OPENAI_API_KEY)")
    flag("--workers", "1", "worker processes", type=_positive_int)
    flag("--ssl-certfile", None, "TLS certificate (PEM); serve HTTPS with --ssl-keyfile")
    flag("--ssl-keyfile", None, "TLS key (PEM); password from PHIWALL_SSL_KEYFILE_PASSWORD")
    flag("--db", None, "SQLite store path (else PHIWALL_HOME/phiwall.db or ~/.local/share/phiwall)")
    flag("--max-body-bytes", str(DEFAULT_MAX_BODY_BYTES), "request body limit", type=_positive_int)
    flag(
        "--connect-timeout",
        str(DEFAULT_CONNECT_TIMEOUT),
        "upstream connect timeout, s",
        type=_positive_float,
    )
    flag(
        "--first-byte-timeout",
        str(DEFAULT_FIRST_BYTE_TIMEOUT),
        "upstream first-byte (and longest mid-stream silence) timeout, s",
        type=_positive_float,
    )
    flag(
        "--event-retention-days",
        str(DEFAULT_EVENT_RETENTION_DAYS),
        "days the store keeps turn events (timings, counts, masked text)",
        type=_positive_float,
    )
    flag("--backlog", "1024", "listen backlog", type=_positive_int)
    flag("--http", "auto", "HTTP version: auto, 1 or 2", choices=("auto", "1", "2"))
    flag("--log-level", "info", "Granian's log level", choices=("error", "warning", "info"))
    access_default = (env_value("--access-log") or "1").lower() not in _FALSE
    parser.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_false",
        default=access_default,
        help=f"no JSON access-log lines on stdout [env {env_name('--access-log')}=0]",
    )


def run(args: argparse.Namespace) -> int:
    """Ensure the default agent, print the URLs, serve until interrupted. 0 on a clean stop."""
    from functools import partial
    from pathlib import Path

    from granian import Granian
    from granian.constants import HTTPModes, Interfaces, Loops, SSLProtocols
    from granian.log import LogLevels

    from phiwall.errors import PhiwallError
    from phiwall.proxy.app import create_app
    from phiwall.store import open_store

    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        print("phiwall serve: --ssl-certfile and --ssl-keyfile go together", file=sys.stderr)
        return 2
    settings = ProxySettings(
        upstream_url=args.upstream,
        upstream_key=upstream_key_from_env(),
        db_path=args.db,
        max_body_bytes=args.max_body_bytes,
        connect_timeout=args.connect_timeout,
        first_byte_timeout=args.first_byte_timeout,
        access_log=args.access_log,
        event_retention_days=args.event_retention_days,
    )
    try:
        store = open_store(settings.db_path)
        try:
            agent = store.ensure_default_agent(settings.upstream_url, settings.upstream_key)
        finally:
            store.close()
    except PhiwallError as error:
        print(f"phiwall serve: {error.message}", file=sys.stderr)
        return 1
    scheme = "https" if args.ssl_certfile else "http"
    _print_urls(f"{scheme}://{_display_host(args.host)}:{args.port}", agent.id, settings)

    server = Granian(
        "phiwall.proxy.app:create_app",
        address=args.host,
        port=args.port,
        interface=Interfaces.ASGI,
        workers=args.workers,
        loop=Loops.uvloop,
        http=HTTPModes(args.http),
        websockets=False,
        backlog=args.backlog,
        log_level=LogLevels(args.log_level),
        log_dictconfig=LOG_CONFIG,
        log_access=False,  # phiwall writes its own, content-free access log
        ssl_cert=Path(args.ssl_certfile) if args.ssl_certfile else None,
        ssl_key=Path(args.ssl_keyfile) if args.ssl_keyfile else None,
        ssl_key_password=env_value("--ssl-keyfile-password"),
        ssl_protocol_min=SSLProtocols.tls12,
    )
    server.serve(target_loader=partial(create_app, settings), wrap_loader=False)
    return 0


def _display_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _print_urls(origin: str, agent_id: str, settings: ProxySettings) -> None:
    """Tell the user where to point their platform (the agent id is the URL's secret)."""
    lines = [
        f"phiwall: forwarding to {settings.upstream_url}"
        + ("" if settings.upstream_key else " (no upstream key: set OPENAI_API_KEY)"),
        f"  default agent:  {agent_id}",
        f"  OpenAI base URL: {origin}/proxy/{agent_id}/v1",
        f"  chat:           {origin}/proxy/{agent_id}/v1/chat/completions",
        f"  demo:           {origin}/agents/custom/s/{{session}}/v1/chat/completions",
        f"  health:         {origin}/health",
    ]
    print("\n".join(lines), file=sys.stderr, flush=True)
