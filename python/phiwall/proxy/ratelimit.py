"""Per-agent rate limits: a token bucket for each agent, in this process's memory.

Each agent's bucket holds up to `agent.burst` tokens and refills at
`agent.rate_per_second`; a request takes one token or is refused with `RateLimited`,
whose `retry_after` is the time until one token is back. The rate and burst are read
from the agent on every check, so changed limits apply at once.

The limit is per process: with N Granian workers an agent may get up to N times its
rate in total. Sharing one bucket across workers and hosts (Redis) comes later, behind
this same `check` interface.

Memory is bounded: buckets live in least-recently-used order, and each check also
evicts up to two of the oldest buckets that have refilled to their burst — a full
bucket behaves exactly like a missing one, so eviction never changes a decision.
Buckets of deleted or idle agents disappear once refilled (`burst / rate` seconds, 2 s
by default) and a later check of any agent comes by.
"""

from __future__ import annotations

from collections import OrderedDict

from phiwall.errors import RateLimited
from phiwall.store.agent import Agent

_EVICTIONS_PER_CHECK = 2


class _Bucket:
    """Tokens at time `updated`; `full_at` is when they will have refilled to the burst."""

    __slots__ = ("full_at", "tokens", "updated")

    def __init__(self, tokens: float, updated: float) -> None:
        self.tokens = tokens
        self.updated = updated
        self.full_at = updated


class RateLimiter:
    """Token buckets keyed by agent id. O(1) per check; not thread-safe (one event loop)."""

    __slots__ = ("_buckets",)

    def __init__(self) -> None:
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def check(self, agent: Agent, now: float) -> None:
        """Take one token from `agent`'s bucket, or raise `RateLimited`.

        `now` is a monotonic clock in seconds (`time.monotonic()`), the same clock on
        every call; a clock that steps back refills nothing. `RateLimited.retry_after`
        is the seconds until the next token. Cost: ~1 µs.
        """
        self._evict_full(now)  # first, so the bucket used below stays in the table
        rate, burst = agent.rate_per_second, float(agent.burst)
        bucket = self._buckets.get(agent.id)
        if bucket is None:
            bucket = self._buckets[agent.id] = _Bucket(burst, now)
        else:
            self._buckets.move_to_end(agent.id)
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(burst, bucket.tokens + elapsed * rate)
            bucket.updated = max(now, bucket.updated)
        if bucket.tokens < 1.0:
            retry_after = (1.0 - bucket.tokens) / rate
            raise RateLimited("rate limit exceeded for this agent", retry_after=retry_after)
        bucket.tokens -= 1.0
        bucket.full_at = bucket.updated + (burst - bucket.tokens) / rate

    def forget(self, agent_id: str) -> None:
        """Drop an agent's bucket now (e.g. when the agent is deleted)."""
        self._buckets.pop(agent_id, None)

    def __len__(self) -> int:
        return len(self._buckets)

    def _evict_full(self, now: float) -> None:
        """Drop up to two least-recently-used buckets that have refilled to their burst."""
        for _ in range(_EVICTIONS_PER_CHECK):
            if not self._buckets:
                return
            oldest = next(iter(self._buckets.values()))
            if oldest.full_at > now:
                return
            self._buckets.popitem(last=False)
