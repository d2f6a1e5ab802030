"""Deterministic clinic calls (`script.py`) cut into the requests a voice platform sends.

The platform resends the whole history on every turn, so each user turn of a call is one
request carrying everything before it. Every message records the raw PHI values it
contains, so each request knows exactly which strings must never reach the upstream.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from benches.load.patients import Phi
from benches.load.prompts import MODEL, TOOLS
from benches.load.script import Call, Message, write_call

MIN_TURNS = 4  # non-system messages in the smallest request
MAX_TURNS = 20  # ... and in the largest


@dataclass(frozen=True)
class BenchRequest:
    """One request of the benchmark: a prefix of a call that ends with a user turn.

    `messages` is shared with the other requests of the call (never mutate it); `phi` holds
    every raw PHI value of the request (word-bounded, case-sensitive, see `leaks.py`);
    `last_user_text` is what the echoing mock upstream answers about.
    """

    call_id: str
    turn: int
    messages: tuple[Message, ...]
    tools: bool
    phi: tuple[Phi, ...]
    last_user_text: str

    def body(
        self, *, stream: bool, tag: str, session: str, chunking: str = "words"
    ) -> dict[str, Any]:
        """The JSON body for one target; O(1) (the messages are shared, not copied).

        `call.id` is the session, as Vapi sends it (phiwall groups a call's turns by it and
        removes the field before forwarding). The `mock` field is the mock upstream's
        directive (phiwall forwards unknown fields): `tag` tells its records and counters
        apart by target, `chunking` says how to split a streamed answer.
        """
        body: dict[str, Any] = {
            "model": MODEL,
            "messages": self.messages,
            "temperature": 0.4,
            "max_tokens": 200,
            "stream": stream,
            "mock": {"tag": tag, "chunking": chunking},
            "call": {"id": session},
        }
        if self.tools:
            body["tools"] = TOOLS
        return body


def _requests_of(call: Call, call_id: str) -> list[BenchRequest]:
    """Every prefix of `call` that ends with a user turn and has 4..20 non-system messages."""
    requests = []
    for end, message in enumerate(call.messages, start=1):
        if message["role"] != "user" or not MIN_TURNS <= end - 1 <= MAX_TURNS:
            continue
        phi = {value: None for values in call.phi[:end] for value in values}  # ordered set
        requests.append(
            BenchRequest(
                call_id=call_id,
                turn=len(requests),
                messages=tuple(call.messages[:end]),
                tools=call.tools,
                phi=tuple(phi),
                last_user_text=message["content"],
            )
        )
    return requests


def generate(seed: int, count: int, concurrent_calls: int = 50) -> list[BenchRequest]:
    """`count` requests from `concurrent_calls` calls in progress at once, turn by turn.

    Requests are interleaved round-robin across the calls in progress, so every call's turns
    arrive in order (a per-message detection cache sees each turn's history before) while
    neighbouring requests belong to different calls. The same seed gives the same requests.
    Costs about 50 µs per request; raises ValueError if `count` or `concurrent_calls` < 1.
    """
    if count < 1 or concurrent_calls < 1:
        raise ValueError("count and concurrent_calls must be at least 1")
    rng = random.Random(seed)
    numbers = iter(range(1 << 62))

    def fresh() -> Iterator[BenchRequest]:
        number = next(numbers)
        return iter(_requests_of(write_call(rng), f"s{seed}c{number}"))

    lanes = [fresh() for _ in range(concurrent_calls)]
    out: list[BenchRequest] = []
    while len(out) < count:
        lane = len(out) % concurrent_calls
        request = next(lanes[lane], None)
        if request is None:
            lanes[lane] = fresh()
            request = next(lanes[lane])
        out.append(request)
    return out
