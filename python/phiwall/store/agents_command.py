"""`phiwall agents create | list | show | delete`: manage the agents of a store.

Secrets are never printed: upstream keys and signature secrets show masked
(`sk-…abcd`). To keep them off the command line (and out of `ps` and shell history),
pass the name of an environment variable instead: `--upstream-key-env OPENAI_API_KEY`,
`--signature-secret-env VAPI_SECRET`. A running `phiwall serve` sees the changes within
about a second.

Exit status: 0 on success, 1 when the agent does not exist or the store refuses the
request (the message says why), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from phiwall.store import Agent, Store

PROXY_PATH = "/proxy/{id}/v1/chat/completions"
_DEFAULT_HEADERS = {"vapi": "x-vapi-signature", "hmac": "x-phiwall-signature"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `create`, `list`, `show` and `delete` actions and their options."""
    _add_db(parser, default=None)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    create = actions.add_parser("create", help="create an agent and print its proxy path")
    _add_db(create)
    create.add_argument("--name", required=True, help="a name for people (not secret)")
    create.add_argument(
        "--upstream", required=True, metavar="URL", help="upstream base URL, e.g. OpenAI's"
    )
    key = create.add_mutually_exclusive_group()
    key.add_argument(
        "--upstream-key", metavar="KEY", help="upstream API key (prefer --upstream-key-env)"
    )
    key.add_argument("--upstream-key-env", metavar="VAR", help="read the key from $VAR")
    create.add_argument(
        "--allow-model",
        action="append",
        default=[],
        metavar="MODEL",
        help="allow this model (repeatable; default: every model)",
    )
    create.add_argument("--rate", type=float, default=100.0, help="requests/s sustained (100)")
    create.add_argument("--burst", type=int, default=200, help="requests at once (200)")
    secret = create.add_mutually_exclusive_group()
    secret.add_argument(
        "--signature-secret", metavar="SECRET", help="require signed requests with this secret"
    )
    secret.add_argument("--signature-secret-env", metavar="VAR", help="read it from $VAR")
    create.add_argument("--signature-kind", choices=("vapi", "hmac"), default="vapi")
    create.add_argument(
        "--signature-header",
        metavar="NAME",
        help="signature header (default x-vapi-signature, or x-phiwall-signature for hmac)",
    )
    create.add_argument(
        "--signature-algorithm", choices=("sha256", "sha512"), default="sha256", help="hmac only"
    )
    create.add_argument(
        "--timestamp-header",
        default="x-phiwall-timestamp",
        metavar="NAME",
        help="hmac only: the header carrying the signing time in Unix seconds",
    )
    create.add_argument(
        "--replay-window",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="hmac only: how far the signing time may be from now",
    )
    create.add_argument("--json", action="store_true", help="print the agent as JSON")

    listing = actions.add_parser("list", help="list agents")
    _add_db(listing)
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")

    show = actions.add_parser("show", help="show one agent, secrets masked")
    _add_db(show)
    show.add_argument("agent_id", metavar="ID")
    show.add_argument("--json", action="store_true", help="print the agent as JSON")

    delete = actions.add_parser("delete", help="delete an agent")
    _add_db(delete)
    delete.add_argument("agent_id", metavar="ID")


def run(args: argparse.Namespace) -> int:
    """Run one action; print a one-line error and return 1 instead of raising."""
    from phiwall.errors import PhiwallError
    from phiwall.store import open_store

    try:
        store = open_store(args.db)
    except PhiwallError as error:
        return _fail(error.message)
    try:
        return _ACTIONS[args.action](store, args)
    except PhiwallError as error:
        return _fail(error.message)
    finally:
        store.close()


def _create(store: Store, args: argparse.Namespace) -> int:
    from phiwall.store import SignatureScheme

    upstream_key = args.upstream_key
    if args.upstream_key_env:
        upstream_key = _from_env(args.upstream_key_env)
    secret = args.signature_secret
    if args.signature_secret_env:
        secret = _from_env(args.signature_secret_env)
    signature = None
    if secret is not None:
        default_header = (
            "x-vapi-signature" if args.signature_kind == "vapi" else "x-phiwall-signature"
        )
        signature = SignatureScheme(
            secret=secret,
            kind=args.signature_kind,
            header=args.signature_header or default_header,
            algorithm=args.signature_algorithm,
            timestamp_header=args.timestamp_header,
            replay_window=args.replay_window,
        )
    agent = store.create_agent(
        name=args.name,
        upstream_url=args.upstream,
        upstream_key=upstream_key,
        allowed_models=args.allow_model,
        rate_per_second=args.rate,
        burst=args.burst,
        signature=signature,
    )
    if args.json:
        _print_json(agent_view(agent))
    else:
        print(f"created agent {agent.id} ({agent.name})")
        print(f"proxy path: {PROXY_PATH.format(id=agent.id)}")
    return 0


def _list(store: Store, args: argparse.Namespace) -> int:
    agents = store.list_agents()
    if args.json:
        _print_json([agent_view(agent) for agent in agents])
        return 0
    header = ("ID", "NAME", "UPSTREAM", "MODELS", "RATE/S", "BURST", "SIGNATURE")
    rows = [header] + [
        (
            agent.id,
            agent.name,
            agent.upstream_url,
            ",".join(agent.allowed_models) or "*",
            f"{agent.rate_per_second:g}",
            str(agent.burst),
            agent.signature.kind if agent.signature else "-",
        )
        for agent in agents
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return 0


def _show(store: Store, args: argparse.Namespace) -> int:
    agent = store.get_agent(args.agent_id)  # the cache was just loaded from the database
    if agent is None:
        return _fail("no agent has this id")
    view = agent_view(agent)
    if args.json:
        _print_json(view)
        return 0
    for field, value in view.items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                if inner_value is not None:
                    print(f"{field}.{inner}: {inner_value}")
        elif isinstance(value, list):
            print(f"{field}: {', '.join(value) or '* (every model)'}")
        else:
            print(f"{field}: {'-' if value is None else value}")
    return 0


def _delete(store: Store, args: argparse.Namespace) -> int:
    if not store.delete_agent(args.agent_id):
        return _fail("no agent has this id")
    print(f"deleted agent {args.agent_id}")
    return 0


def agent_view(agent: Agent) -> dict[str, Any]:
    """The agent as it may be shown: every field, secrets masked, plus its proxy path."""
    from phiwall.store.agent import mask_secret

    signature = agent.signature
    return {
        "id": agent.id,
        "name": agent.name,
        "proxy_path": PROXY_PATH.format(id=agent.id),
        "upstream_url": agent.upstream_url,
        "upstream_key": mask_secret(agent.upstream_key),
        "allowed_models": list(agent.allowed_models),
        "rate_per_second": agent.rate_per_second,
        "burst": agent.burst,
        "signature": None
        if signature is None
        else {
            "kind": signature.kind,
            "header": signature.header,
            "algorithm": "sha256" if signature.kind == "vapi" else signature.algorithm,
            "timestamp_header": signature.timestamp_header if signature.kind == "hmac" else None,
            "replay_window": signature.replay_window if signature.kind == "hmac" else None,
            "secret": mask_secret(signature.secret),
        },
        "created_at": agent.created_at,
    }


def _from_env(name: str) -> str:
    from phiwall.errors import InvalidRequest

    value = os.environ.get(name)
    if not value:
        raise InvalidRequest(f"the environment variable {name} is not set or empty")
    return value


def _print_json(value: object) -> None:
    import msgspec

    print(msgspec.json.format(msgspec.json.encode(value)).decode())


def _fail(message: str) -> int:
    print(f"phiwall agents: error: {message}", file=sys.stderr)
    return 1


def _add_db(parser: argparse.ArgumentParser, default: object = argparse.SUPPRESS) -> None:
    parser.add_argument(
        "--db",
        default=default,
        metavar="PATH",
        help="the store's database (default: $PHIWALL_DB, else the standard path)",
    )


_ACTIONS = {"create": _create, "list": _list, "show": _show, "delete": _delete}
