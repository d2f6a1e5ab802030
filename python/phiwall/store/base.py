"""The store interface: agents and session events, whatever holds them.

The embedded SQLite store (`phiwall.store.sqlite`) is the default; Redis or PostgreSQL
stores for many processes and hosts implement the same protocol.

Which calls are safe on the event loop:

- `get_agent` and `record_event` are the hot path: in memory, no I/O, microseconds.
- Everything else does I/O and may block for milliseconds (or up to the database's
  busy timeout when other processes hold its write lock): call it at start-up, from
  the CLI, or through `asyncio.to_thread`.
"""

from __future__ import annotations

from typing import Protocol

from phiwall.errors import InternalError
from phiwall.store.agent import Agent, SignatureScheme
from phiwall.store.event import TurnEvent


class StoreError(InternalError):
    """The store cannot do its job: unusable or locked database, wrong secret key, bad key file.

    Messages name files and settings, never secrets or request content.
    """

    code = "store_error"


class Store(Protocol):
    """Agents and session events. Implementations are safe to share between threads."""

    def get_agent(self, agent_id: str) -> Agent | None:
        """The agent with this id, or None; O(1) from memory, no I/O.

        The time taken says nothing of how close a wrong id is to a real one.
        Agents created, changed or deleted by other processes appear within a few
        seconds.
        """
        ...

    def ensure_default_agent(self, upstream_url: str, upstream_key: str | None) -> Agent:
        """The default agent, created on first call and pointed at this upstream after.

        Its id is stable across restarts. Blocking.
        """
        ...

    def create_agent(
        self,
        *,
        name: str,
        upstream_url: str,
        upstream_key: str | None = None,
        allowed_models: tuple[str, ...] | list[str] = (),
        rate_per_second: float = 100.0,
        burst: int = 200,
        signature: SignatureScheme | None = None,
    ) -> Agent:
        """Create and return a new agent with a fresh `agt_` id. Blocking.

        Raises `InvalidRequest` (naming the field) for unusable settings.
        """
        ...

    def list_agents(self) -> list[Agent]:
        """Every agent, oldest first. Blocking."""
        ...

    def delete_agent(self, agent_id: str) -> bool:
        """Delete an agent; True if it existed. Blocking."""
        ...

    def record_event(self, event: TurnEvent) -> None:
        """Queue an event for writing; never blocks, drops (and counts) when full."""
        ...

    @property
    def dropped_events(self) -> int:
        """Events not written since opening (queue full, store closed, a failed write)."""
        ...

    def session_events(self, session_id: str, limit: int = 100) -> list[TurnEvent]:
        """The session's newest `limit` events, oldest first. Blocking."""
        ...

    def close(self) -> None:
        """Write pending events and release resources; idempotent. Blocking."""
        ...
