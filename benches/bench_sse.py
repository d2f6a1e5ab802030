"""Rewriting one SSE event of a streamed answer: the proxy's per-event work.

Three shapes of event, each through a fresh `StreamRehydrator` (its set-up is part of
the figure, as it is once per answer) with the real Rust rehydrator: a content delta
with no `[` (the fast path: most events of an answer), a delta that carries a whole
token, and a token cut across two deltas. Plus the SSE parser on one network read
holding several events.

    .venv/bin/pytest benches/bench_sse.py --benchmark-only
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import pytest

from phiwall._native import Rehydrator
from phiwall.proxy.rehydrate_stream import StreamRehydrator
from phiwall.proxy.sse import ServerSentEvent, SSEDecoder

TABLE = {"[NAME_1]": "Sarah Chen", "[PHONE_1]": "415-555-2671", "[DATE_1]": "March 3, 1985"}
REHYDRATOR = Rehydrator(TABLE)


def _event(content: str) -> ServerSentEvent:
    chunk = {
        "id": "chatcmpl-9xyz",
        "object": "chat.completion.chunk",
        "created": 1_763_700_000,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}],
    }
    return ServerSentEvent(msgspec.json.encode(chunk))


PLAIN = [_event(" and your appointment")]
WHOLE_TOKEN = [_event(" thanks, [NAME_1].")]
CUT_TOKEN = [_event(" call [PHO"), _event("NE_1] back")]


def _rewrite_all(events: list[ServerSentEvent]) -> list[bytes]:
    rewriter = StreamRehydrator(REHYDRATOR)
    return [rewriter.rewrite(event) for event in events]


@pytest.mark.benchmark(group="sse: rewrite one event")
@pytest.mark.parametrize(
    ("shape", "events"),
    [("no bracket", PLAIN), ("whole token", WHOLE_TOKEN), ("token cut in two", CUT_TOKEN)],
)
def test_rewrite_event(
    compare: Callable[..., Any], shape: str, events: list[ServerSentEvent]
) -> None:
    out = compare(shape, _rewrite_all, events, per=len(events))
    parsed = SSEDecoder().feed(b"".join(out))
    text = "".join(
        msgspec.json.decode(event.data)["choices"][0]["delta"]["content"] for event in parsed
    )
    original = "".join(
        msgspec.json.decode(event.data)["choices"][0]["delta"]["content"] for event in events
    )
    assert text == REHYDRATOR.replace(original)


@pytest.mark.benchmark(group="sse: parse one network read")
def test_parse_network_read(compare: Callable[..., Any]) -> None:
    read = b"".join(event.encode() for event in PLAIN * 4 + WHOLE_TOKEN * 2)

    def parse() -> int:
        return len(SSEDecoder().feed(read))

    assert compare("6 events", parse, per=6) == 6
