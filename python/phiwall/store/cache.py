"""The in-memory agent table the proxy reads on every request.

Agents are indexed by a keyed BLAKE2b digest of their id, under a random key made per
process, never by the id itself. A lookup hashes the whole candidate id (time depends
only on its length) and then probes a dict of digests: an attacker cannot learn from
response times whether an id exists or how many leading characters of a guess are
right, because the digests of near-miss guesses share nothing with the real ones.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable

from phiwall.store.agent import Agent

_DIGEST_BYTES = 16


class AgentCache:
    """Agents by keyed digest of id. Reads are lock-free; writers swap or mutate whole entries.

    Safe to read from the event loop while another thread calls `replace`: the dict is
    swapped in one reference assignment, and single-item dict writes are atomic.
    """

    __slots__ = ("_agents", "_key")

    def __init__(self, agents: Iterable[Agent] = ()) -> None:
        self._key = os.urandom(32)
        self._agents: dict[bytes, Agent] = {}
        self.replace(agents)

    def get(self, agent_id: str) -> Agent | None:
        """The agent with this id, or None; one BLAKE2b of the id plus a dict probe (~0.5 µs)."""
        return self._agents.get(self._digest(agent_id))

    def put(self, agent: Agent) -> None:
        """Add or update one agent."""
        self._agents[self._digest(agent.id)] = agent

    def discard(self, agent_id: str) -> None:
        """Forget one agent, if present."""
        self._agents.pop(self._digest(agent_id), None)

    def replace(self, agents: Iterable[Agent]) -> None:
        """Swap in a whole new table at once; O(number of agents)."""
        self._agents = {self._digest(agent.id): agent for agent in agents}

    def __len__(self) -> int:
        return len(self._agents)

    def _digest(self, agent_id: str) -> bytes:
        data = agent_id.encode("utf-8", "surrogatepass")
        return hashlib.blake2b(data, key=self._key, digest_size=_DIGEST_BYTES).digest()
