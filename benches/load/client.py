"""One benchmark request over a keep-alive aiohttp session: timed, and its answer checked.

Non-streaming: the total time is until the whole body is read. Streaming: time to first
token is until the first SSE event whose `delta.content` is not empty (the first content
byte the caller would hear), and the total is until the stream ends. The answer (content
joined across events) must equal the expected text exactly; for phiwall that proves every
token was rehydrated.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import aiohttp
import msgspec

JSON_HEADERS = {"Content-Type": "application/json"}


class _Delta(msgspec.Struct):
    content: str | None = None


class _ChunkChoice(msgspec.Struct):
    delta: _Delta = msgspec.field(default_factory=_Delta)


class _Chunk(msgspec.Struct):
    choices: list[_ChunkChoice] = msgspec.field(default_factory=list)


class _Message(msgspec.Struct):
    content: str | None = None


class _Choice(msgspec.Struct):
    message: _Message


class _Completion(msgspec.Struct):
    choices: list[_Choice]


_decode_chunk = msgspec.json.Decoder(_Chunk).decode
_decode_completion = msgspec.json.Decoder(_Completion).decode


@dataclass(slots=True)
class Outcome:
    """What one request measured (times in ms from the moment it was sent)."""

    status: int  # HTTP status; 0 when no answer came (connection error, timeout)
    total_ms: float
    ttft_ms: float | None  # streaming only
    answer: str | None  # the content received, None if none could be read
    error: str | None = None


async def send(session: aiohttp.ClientSession, url: str, body: bytes, stream: bool) -> Outcome:
    """POST `body` to `url` and read the whole answer, timing it.

    Costs one round trip plus reading the answer (each SSE event is decoded once, ~5 µs).
    Never raises for a failed request: connection errors and timeouts give status 0 and the
    error's type in `error`; an error status keeps its body's first 200 characters.
    """
    started = time.perf_counter()
    try:
        async with session.post(url, data=body, headers=JSON_HEADERS) as response:
            if response.status != 200:
                text = (await response.read()).decode("utf-8", "replace")
                elapsed = (time.perf_counter() - started) * 1000
                return Outcome(response.status, elapsed, None, None, text[:200])
            if not stream:
                raw = await response.read()
                elapsed = (time.perf_counter() - started) * 1000
                return Outcome(200, elapsed, None, _completion_text(raw))
            return await _read_stream(response, started)
    except (aiohttp.ClientError, TimeoutError, OSError) as error:
        elapsed = (time.perf_counter() - started) * 1000
        return Outcome(0, elapsed, None, None, type(error).__name__)


async def _read_stream(response: aiohttp.ClientResponse, started: float) -> Outcome:
    """Read an SSE answer line by line until `[DONE]` or the end of the body."""
    first: float | None = None
    parts: list[str] = []
    async for line in response.content:
        if not line.startswith(b"data:"):
            continue
        payload = line[5:].strip()
        if payload == b"[DONE]":
            break
        try:
            chunk = _decode_chunk(payload)
        except msgspec.DecodeError:
            return _failed(started, "an SSE event is not a chat.completion.chunk")
        for choice in chunk.choices:
            if choice.delta.content:
                if first is None:
                    first = time.perf_counter()
                parts.append(choice.delta.content)
    ended = time.perf_counter()
    ttft = None if first is None else (first - started) * 1000
    return Outcome(200, (ended - started) * 1000, ttft, "".join(parts))


def _completion_text(raw: bytes) -> str | None:
    """The first choice's content of a chat.completion body, None if it has none."""
    try:
        completion = _decode_completion(raw)
    except msgspec.DecodeError:
        return None
    return completion.choices[0].message.content if completion.choices else None


def _failed(started: float, error: str) -> Outcome:
    return Outcome(200, (time.perf_counter() - started) * 1000, None, None, error)
