"""`phiwall serve` flags: defaults, `PHIWALL_*` environment, validation."""

from __future__ import annotations

import argparse

import pytest

from phiwall.proxy import serve_command
from phiwall.proxy.config import OPENAI_URL, ProxySettings, env_name, upstream_key_from_env


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    serve_command.add_arguments(parser)
    return parser.parse_args(argv)


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PORT", "UPSTREAM", "WORKERS", "ACCESS_LOG", "EVENT_RETENTION_DAYS"):
        monkeypatch.delenv(f"PHIWALL_{name}", raising=False)
    args = parse()
    assert (args.host, args.port, args.workers) == ("127.0.0.1", 8000, 1)
    assert args.upstream == OPENAI_URL
    assert args.max_body_bytes == 1024 * 1024
    assert args.access_log is True
    assert args.event_retention_days == 30.0


def test_environment_then_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHIWALL_PORT", "9001")
    monkeypatch.setenv("PHIWALL_FIRST_BYTE_TIMEOUT", "2.5")
    monkeypatch.setenv("PHIWALL_ACCESS_LOG", "off")
    args = parse()
    assert (args.port, args.first_byte_timeout, args.access_log) == (9001, 2.5, False)
    assert parse("--port", "9002").port == 9002
    monkeypatch.setenv("PHIWALL_EVENT_RETENTION_DAYS", "7")
    assert parse().event_retention_days == 7.0


@pytest.mark.parametrize(
    "argv",
    [
        ("--workers", "0"),
        ("--connect-timeout", "-1"),
        ("--port", "x"),
        ("--http", "3"),
        ("--event-retention-days", "0"),
    ],
)
def test_bad_values_are_usage_errors(argv: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit):
        parse(*argv)


def test_bad_environment_value_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHIWALL_WORKERS", "many")
    with pytest.raises(SystemExit):
        parse()


def test_env_names() -> None:
    assert env_name("--first-byte-timeout") == "PHIWALL_FIRST_BYTE_TIMEOUT"


def test_upstream_key_comes_from_the_environment_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PHIWALL_UPSTREAM_KEY", raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    assert upstream_key_from_env() == "sk-openai"
    monkeypatch.setenv("PHIWALL_UPSTREAM_KEY", "sk-phiwall")
    assert upstream_key_from_env() == "sk-phiwall"


def test_settings_repr_hides_the_key() -> None:
    assert "sk-secret" not in repr(ProxySettings(upstream_key="sk-secret"))


def test_tls_flags_go_together(capsys: pytest.CaptureFixture[str]) -> None:
    assert serve_command.run(parse("--ssl-certfile", "cert.pem")) == 2
    assert "go together" in capsys.readouterr().err
