"""One turn's record: what the proxy learned while serving it, and where that goes.

A `Turn` collects the agent, session, status, stage timings (µs, from
`perf_counter_ns`) and entity counts of one chat-completions request; `record_turn`
writes it as one access-log line and queues it as the session's `TurnEvent`. Neither
ever carries raw content: the event's text is the masked newest user message.
"""

from __future__ import annotations

import time
from time import perf_counter_ns
from typing import Any

from phiwall.proxy.access_log import AccessLog, AccessRecord, redact_agent_id
from phiwall.proxy.errors_log import log_internal_error
from phiwall.store import Agent, Store, TurnEvent


class Turn:
    """What is known about one turn so far; becomes an access-log line and an event."""

    __slots__ = (
        "agent",
        "counts",
        "error",
        "masked_body",
        "model",
        "responded",
        "session_id",
        "started",
        "status",
        "stream",
        "timings",
    )

    def __init__(self, session_id: str | None) -> None:
        self.started = perf_counter_ns()
        self.agent: Agent | None = None
        self.session_id = session_id
        self.status = 200
        self.error: str | None = None
        self.stream = False
        self.model: str | None = None
        self.responded = False  # response headers sent: errors go in-band from here
        self.timings: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self.masked_body: dict[str, Any] | None = None

    def lap(self, stage: str, since: int) -> int:
        """Record the µs from `since` to now under `stage`; return now (ns)."""
        now = perf_counter_ns()
        self.timings[stage] = (now - since) // 1000
        return now


def record_turn(access_log: AccessLog, store: Store, turn: Turn) -> None:
    """Write the access-log line and queue the session event; never raises."""
    agent_id = turn.agent.id if turn.agent is not None else None
    try:
        access_log.write(
            AccessRecord(
                at=time.time(),
                route="chat",
                status=turn.status,
                agent=redact_agent_id(agent_id),
                session=turn.session_id,
                stream=turn.stream,
                model=turn.model,
                error=turn.error,
                timings_us=turn.timings,
                entities=turn.counts,
            )
        )
        if agent_id is not None:
            store.record_event(
                TurnEvent(
                    agent_id=agent_id,
                    session_id=turn.session_id or "",
                    at=time.time(),
                    status=turn.status,
                    stream=turn.stream,
                    model=turn.model or "",
                    timings_us={stage: float(us) for stage, us in turn.timings.items()},
                    entity_counts=turn.counts,
                    masked_text=last_user_text(turn.masked_body),
                )
            )
    except Exception as exc:
        log_internal_error(exc)


def last_user_text(body: dict[str, Any] | None) -> str:
    """The newest user message's text in a (masked) body, or `""`."""
    messages = body.get("messages") if body is not None else None
    if not isinstance(messages, list):
        return ""
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                texts = [p.get("text") for p in content if isinstance(p, dict)]
                return " ".join(t for t in texts if isinstance(t, str))
            return ""
    return ""
