"""The `phiwall` command's own behaviour: version, help, unknown sub-commands."""

from __future__ import annotations

import subprocess
import sys

import pytest

from phiwall import __version__
from phiwall.cli import COMMANDS, build_parser, main


def _phiwall(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "phiwall", *args], capture_output=True, text=True, timeout=60
    )


def test_version_matches_the_installed_distribution() -> None:
    result = _phiwall("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"phiwall {__version__}"


def test_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    assert __version__ == version("phiwall")


def test_no_command_prints_help_and_fails() -> None:
    result = _phiwall()
    assert result.returncode == 2
    assert "usage: phiwall" in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    result = _phiwall("no-such-command")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_registered_command_has_help(name: str) -> None:
    parser = build_parser()
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args([name, "--help"])
    assert exit_info.value.code == 0


def test_main_returns_the_exit_code_of_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out
