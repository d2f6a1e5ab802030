"""The proxy's routes, matched by hand: a handful of fixed shapes, no regular expressions.

Bases: `/proxy/{agent_id}` and `/proxy/{agent_id}/v1` (platforms append the OpenAI
suffix differently), and the demo base `/agents/custom/s/{session}/v1` bound to the
default agent. Under each base: `POST chat/completions` and `GET models`. Plus
`GET /health`.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from phiwall.errors import MethodNotAllowed, NotFound


class Endpoint(enum.Enum):
    CHAT = "chat"
    MODELS = "models"
    HEALTH = "health"


_METHODS = {Endpoint.CHAT: "POST", Endpoint.MODELS: "GET", Endpoint.HEALTH: "GET"}
_SUFFIXES = {("chat", "completions"): Endpoint.CHAT, ("models",): Endpoint.MODELS}


class Route(NamedTuple):
    """A matched route: `agent_id` for `/proxy/...`, `session_id` for the demo base."""

    endpoint: Endpoint
    agent_id: str | None = None
    session_id: str | None = None


def match(method: str, path: str) -> Route:
    """The route for `method` and `path`; a split and a few tuple look-ups.

    Raises `NotFound` (404) for an unknown path, `MethodNotAllowed` (405) for a
    known path with another method.
    """
    parts = path.strip("/").split("/")
    route = _route(parts)
    if route is None:
        raise NotFound("no route for this path")
    allowed = _METHODS[route.endpoint]
    if method != allowed:
        raise MethodNotAllowed(f"this path accepts {allowed} only", headers={"allow": allowed})
    return route


def _route(parts: list[str]) -> Route | None:
    if parts == ["health"]:
        return Route(Endpoint.HEALTH)
    if len(parts) >= 3 and parts[0] == "proxy" and parts[1]:
        rest = parts[2:]
        if rest[0] == "v1":
            rest = rest[1:]
        endpoint = _SUFFIXES.get(tuple(rest))
        return Route(endpoint, agent_id=parts[1]) if endpoint else None
    if len(parts) >= 5 and parts[:3] == ["agents", "custom", "s"] and parts[3]:
        rest = parts[4:]
        if rest[0] == "v1":
            rest = rest[1:]
        endpoint = _SUFFIXES.get(tuple(rest))
        return Route(endpoint, session_id=parts[3]) if endpoint else None
    return None
