"""The three things a benchmark request can be sent to, and the URL of each."""

from __future__ import annotations

from dataclasses import dataclass

DIRECT, PASSTHROUGH, PHIWALL = "direct", "passthrough", "phiwall"
TARGET_NAMES = (DIRECT, PASSTHROUGH, PHIWALL)


@dataclass(frozen=True, slots=True)
class Target:
    """A target: `direct` (the mock upstream), `passthrough` (the floor) or `phiwall`.

    `url_template` is the chat-completions URL, with `{session}` where the route takes one
    (phiwall's demo route groups a call's turns in one session).
    """

    name: str
    url_template: str

    def url(self, session: str) -> str:
        """The URL for a request of call `session`; O(len(url))."""
        return self.url_template.replace("{session}", session)

    @property
    def tag(self) -> str:
        """The mock directive's tag of this target's requests (see `BenchRequest.body`)."""
        return f"bench-{self.name}"


def direct(mock_base: str) -> Target:
    """Straight to the mock upstream at `mock_base` (`http://host:port`)."""
    return Target(DIRECT, f"{mock_base}/v1/chat/completions")


def passthrough(base: str) -> Target:
    """Through the bare passthrough proxy at `base`."""
    return Target(PASSTHROUGH, f"{base}/v1/chat/completions")


def phiwall(base: str, agent_id: str | None = None) -> Target:
    """Through phiwall at `base`: agent `agent_id`'s route, or the demo route (the default
    agent, the session in the path) without one."""
    if agent_id is not None:
        return Target(PHIWALL, f"{base}/proxy/{agent_id}/v1/chat/completions")
    return Target(PHIWALL, f"{base}/agents/custom/s/{{session}}/v1/chat/completions")
