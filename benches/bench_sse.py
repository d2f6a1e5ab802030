"""Relaying an answer: the proxy's per-read, per-event and per-completion work, native and
Python.

The proxy relays a stream with the native `Rehydrator.events()` (SSE decoding and
rehydration in one call per network read); the Python `SSEDecoder` feeding a
`StreamRehydrator` is its reference, measured side by side. Each figure includes the
set-up, as it is once per answer:

- one event of three shapes: a content delta with no `[` (the fast path: most events of
  an answer), a delta that carries a whole token, and a token cut across two deltas;
- a whole voice-sized answer (a delta per word, three tokens, `[DONE]`), arriving in one
  network read or in one read per event;
- the same answer not streamed: one chat completion (`Rehydrator.completion` against the
  reference `rehydrate_completion`).

    .venv/bin/pytest benches/bench_sse.py --benchmark-only
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import pytest

from phiwall._native import Rehydrator
from phiwall.proxy.rehydrate import rehydrate_completion
from phiwall.proxy.rehydrate_stream import StreamRehydrator
from phiwall.proxy.sse import ServerSentEvent, SSEDecoder

TABLE = {"[NAME_1]": "Sarah Chen", "[PHONE_1]": "415-555-2671", "[DATE_1]": "March 3, 1985"}
REHYDRATOR = Rehydrator(TABLE)


def _event(content: str, finish: str | None = None) -> bytes:
    chunk = {
        "id": "chatcmpl-9xyz",
        "object": "chat.completion.chunk",
        "created": 1_763_700_000,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}],
    }
    return ServerSentEvent(msgspec.json.encode(chunk)).encode()


PLAIN = [_event(" and your appointment")]
WHOLE_TOKEN = [_event(" thanks, [NAME_1].")]
CUT_TOKEN = [_event(" call [PHO"), _event("NE_1] back")]
_SAID = "Thanks [NAME_1], I have your number as [PHONE_1] and your date of birth as [DATE_1]."
ANSWER = [
    *(_event(word + " ") for word in _SAID.split()),
    _event("", "stop"),
    b"data: [DONE]\n\n",
]


def python_relay(reads: list[bytes]) -> bytes:
    """The reference: `SSEDecoder` and `StreamRehydrator`, as the relay used them."""
    decoder, rewriter = SSEDecoder(), StreamRehydrator(REHYDRATOR)
    out = [b"".join([rewriter.rewrite(event) for event in decoder.feed(read)]) for read in reads]
    tail = b"".join([rewriter.rewrite(event) for event in decoder.flush()]) + rewriter.finish()
    return b"".join(out) + tail


def native_relay(reads: list[bytes]) -> bytes:
    """What the proxy runs: one `EventStream` call per read."""
    events = REHYDRATOR.events()
    return b"".join([events.feed(read) for read in reads]) + events.flush()


RELAYS: dict[str, Callable[[list[bytes]], bytes]] = {
    "native": native_relay,
    "python": python_relay,
}


def _text(wire: bytes) -> str:
    decoder = SSEDecoder()
    events = [e for e in decoder.feed(wire) + decoder.flush() if e.data != b"[DONE]"]
    chunks = [msgspec.json.decode(event.data) for event in events]
    return "".join(chunk["choices"][0]["delta"].get("content") or "" for chunk in chunks)


@pytest.mark.benchmark(group="sse: rewrite one event")
@pytest.mark.parametrize("impl", RELAYS)
@pytest.mark.parametrize(
    ("shape", "events"),
    [("no bracket", PLAIN), ("whole token", WHOLE_TOKEN), ("token cut in two", CUT_TOKEN)],
)
def test_rewrite_event(
    compare: Callable[..., Any], shape: str, events: list[bytes], impl: str
) -> None:
    out = compare(f"{shape}, {impl}", RELAYS[impl], events, per=len(events))
    assert _text(out) == REHYDRATOR.replace(_text(b"".join(events)))


@pytest.mark.benchmark(group="sse: relay a 20-event answer")
@pytest.mark.parametrize("impl", RELAYS)
@pytest.mark.parametrize("reads", ["one read", "a read per event"])
def test_relay_answer(compare: Callable[..., Any], reads: str, impl: str) -> None:
    wire = [b"".join(ANSWER)] if reads == "one read" else ANSWER
    out = compare(f"{reads}, {impl}", RELAYS[impl], wire)
    assert _text(out) == REHYDRATOR.replace(_SAID + " ")


COMPLETION = msgspec.json.encode(
    {
        "id": "chatcmpl-9xyz",
        "object": "chat.completion",
        "created": 1_763_700_000,
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": _SAID, "refusal": None},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1480, "completion_tokens": 24, "total_tokens": 1504},
    }
)
COMPLETIONS: dict[str, Callable[[bytes], bytes]] = {
    "native": REHYDRATOR.completion,
    "python": lambda body: rehydrate_completion(REHYDRATOR, body),
}


@pytest.mark.benchmark(group="rehydrate a whole completion")
@pytest.mark.parametrize("impl", COMPLETIONS)
def test_rehydrate_completion(compare: Callable[..., Any], impl: str) -> None:
    out = compare(impl, COMPLETIONS[impl], COMPLETION)
    content = msgspec.json.decode(out)["choices"][0]["message"]["content"]
    assert content == REHYDRATOR.replace(_SAID)


@pytest.mark.benchmark(group="sse: parse one network read")
def test_parse_network_read(compare: Callable[..., Any]) -> None:
    read = b"".join(PLAIN * 4 + WHOLE_TOKEN * 2)

    def parse() -> int:
        return len(SSEDecoder().feed(read))

    assert compare("6 events, python", parse, per=6) == 6
