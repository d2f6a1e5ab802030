"""What one worker shares across requests: store, masker, upstream client, limits.

`Runtime.start(settings)` builds it at ASGI lifespan startup, inside the worker's
event loop; `close()` releases it at shutdown. Tests build a `Runtime` directly with
fakes for any part.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from phiwall.errors import AgentNotFound
from phiwall.proxy.access_log import AccessLog
from phiwall.proxy.collector import TurnCollector
from phiwall.proxy.config import ProxySettings
from phiwall.proxy.rehydrate import Rehydrator
from phiwall.proxy.upstream import UpstreamClient
from phiwall.store import Agent, Store


class Masked(Protocol):
    """`Masker.mask`'s result: the body to forward, the token table, counts per label."""

    body: dict[str, Any]
    table: dict[str, str]  # this request's own: the rehydrator is built from it as is
    counts: Mapping[str, int]


class Masker(Protocol):
    """`phiwall.mask.Masker`: masks a chat-completions request; raises `MaskingFailed`."""

    def mask(self, request: dict[str, Any]) -> Masked: ...

    def settle(self) -> None:
        """Finish the last `mask`'s bookkeeping; never raises. The proxy calls it once a
        turn is answered, whether or not that turn was masked."""


class Limiter(Protocol):
    """`phiwall.proxy.ratelimit.RateLimiter`: raises `RateLimited` when over budget."""

    def check(self, agent: Agent, now: float) -> None: ...


# A request that exercises detection once, so its lazy loading happens at startup.
# Non-ASCII on purpose: it builds detection's look-alike fold table too.
WARM_UP: dict[str, Any] = {
    "messages": [{"role": "user", "content": "This is José Doe, born 3/4/1985, at 415-555-0134."}]
}


@dataclass(slots=True)
class Runtime:
    """The per-worker state of the proxy; every field is safe to share between requests."""

    store: Store
    masker: Masker
    upstream: UpstreamClient
    limiter: Limiter
    access_log: AccessLog
    default_agent: Agent
    make_rehydrator: Callable[[dict[str, str]], Rehydrator]
    max_body_bytes: int
    #: Runs the cyclic GC after turns (started by `start`: a test's runtime keeps
    #: Python's automatic collection).
    collector: TurnCollector = field(default_factory=TurnCollector)

    @classmethod
    async def start(cls, settings: ProxySettings) -> Runtime:
        """Build and warm the masker, open the store, start the pooled upstream client.

        Costs what the masker and store cost to load (seconds for detection's
        pattern database, once per worker, before the worker accepts requests), then
        freezes what was loaded out of the garbage collector's reach and leaves the
        collector's passes to `collector`, between turns, until `close`.
        Raises whatever they raise: the worker then fails to start, loudly.
        """
        from phiwall._native import Rehydrator as NativeRehydrator
        from phiwall.detect import engine as detection
        from phiwall.mask import Masker as DefaultMasker
        from phiwall.proxy.ratelimit import RateLimiter
        from phiwall.store import open_store

        detection.warm()  # load detection now, not on the first caller's turn
        masker = DefaultMasker()
        masker.mask(WARM_UP)
        store = open_store(settings.db_path, settings.event_retention_days)
        try:
            agent = store.ensure_default_agent(settings.upstream_url, settings.upstream_key)
            upstream = UpstreamClient(settings.connect_timeout, settings.first_byte_timeout)
            await upstream.start()
        except BaseException:
            store.close()
            raise
        runtime = cls(
            store=store,
            masker=masker,
            upstream=upstream,
            limiter=RateLimiter(),
            access_log=AccessLog(1 if settings.access_log else None),
            default_agent=agent,
            make_rehydrator=NativeRehydrator,
            max_body_bytes=settings.max_body_bytes,
        )
        # Everything loaded so far lives as long as the worker: keep it out of the
        # garbage collector's full passes (tens of ms each, over the detectors' data),
        # which would otherwise land on some request's latency.
        gc.collect()
        gc.freeze()
        runtime.collector.start()
        return runtime

    def resolve_agent(self, agent_id: str | None) -> Agent:
        """The agent with `agent_id` (a timing-safe in-memory look-up), or, for None, the
        default agent (the demo route's). Raises `AgentNotFound` (404)."""
        if agent_id is None:
            default = self.default_agent
            return self.store.get_agent(default.id) or default
        agent = self.store.get_agent(agent_id)
        if agent is None:
            raise AgentNotFound("no agent has this id")
        return agent

    async def close(self) -> None:
        """Close the upstream client, then write the access log's waiting lines, give the
        garbage collector back its automatic passes and close the store (which writes
        queued events)."""
        try:
            await self.upstream.close()
        finally:
            self.access_log.close()
            self.collector.stop()
            self.store.close()
