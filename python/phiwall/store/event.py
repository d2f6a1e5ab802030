"""A turn event: what the store keeps of one proxied request, for a session's history."""

from __future__ import annotations

import msgspec


class TurnEvent(msgspec.Struct, frozen=True):
    """One turn as the proxy saw it; PHI-free by construction.

    `agent_id` and `session_id` group events; `at` is Unix seconds; `status` the HTTP
    status answered; `stream` whether the answer was streamed; `model` the requested
    model (empty when the request could not be read); `timings_us` microseconds per
    stage (e.g. `{"mask": 41.0, "upstream_first_byte": 180000.0}`); `entity_counts`
    detected values per label (e.g. `{"NAME": 2}`); `masked_text` the newest user text
    after masking — placeholder tokens only, never raw values.
    """

    agent_id: str
    session_id: str
    at: float
    status: int
    stream: bool = False
    model: str = ""
    timings_us: dict[str, float] = {}
    entity_counts: dict[str, int] = {}
    masked_text: str = ""
