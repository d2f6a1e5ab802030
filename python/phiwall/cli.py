"""The `phiwall` command: one sub-command per job, each defined in its own module.

A sub-command module exposes `add_arguments(parser)` and `run(args) -> int` and keeps
its heavy imports inside `run`, so `phiwall --version` and `phiwall scan` start fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "agents": ("phiwall.store.agents_command", "create, list, show and delete agents"),
    "mock-upstream": (
        "phiwall.mock_upstream.command",
        "run an OpenAI-compatible fake model that echoes what it receives (for tests)",
    ),
    "serve": ("phiwall.proxy.serve_command", "run the PHI-masking OpenAI-compatible proxy"),
    "scan": ("phiwall.detect.scan_command", "detect PHI in JSON lines (stdin -> stdout)"),
}


def _version() -> str:
    from phiwall import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="phiwall",
        description="PHI firewall for voice AI: an OpenAI-compatible masking proxy.",
    )
    parser.add_argument("--version", action="version", version=f"phiwall {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        module = importlib.import_module(module_name)
        module.add_arguments(sub)
        sub.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return int(args._run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
