"""The mock upstream's aiohttp application: routes, recording, and the streaming writer.

The server is a single aiohttp process (uvloop when available) with keep-alive and no
access log, fast enough to be the upstream of the load benchmark. It is started with
`handler_cancellation=True`, so a client that goes away cancels the handler at once and
the `cancelled` counter of `/_mock/stats` says so.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter, deque
from typing import Any

import msgspec
from aiohttp import web

from phiwall.mock_upstream.chunking import WireCutter
from phiwall.mock_upstream.directives import Directive, parse_directive
from phiwall.mock_upstream.script import (
    RequestShapeError,
    build_reply,
    completion,
    error_body,
    stream_events,
)

_decode = msgspec.json.decode
_encode = msgspec.json.Encoder().encode
JSON = "application/json"
MODELS = ("mock-model", "gpt-4o-mini", "gpt-4o")
STAT_KEYS = (
    "requests",
    "completions",
    "streams",
    "completed",
    "cancelled",
    "errors_injected",
    "disconnects_injected",
    "in_flight",
)


class Recorder:
    """Everything the mock received, in order, and counters overall and per tag.

    Keeps the last `max_recorded` requests (0 keeps none, for load runs).
    """

    def __init__(self, max_recorded: int) -> None:
        self.requests: deque[dict[str, Any]] = deque(maxlen=max_recorded)
        self.record_enabled = max_recorded > 0
        self.totals: Counter[str] = Counter()
        self.by_tag: dict[str, Counter[str]] = {}
        self._seq = itertools.count(1)

    def record(self, request: web.Request, raw: bytes, tag: str | None) -> dict[str, Any]:
        """Store one request (body bytes and headers) and return its mutable entry."""
        if not self.record_enabled:  # load runs: only what the handler itself needs
            return {"tag": tag, "outcome": "in_flight"}
        entry: dict[str, Any] = {
            "seq": next(self._seq),
            "method": request.method,
            "path": request.path,
            "query": request.query_string,
            "headers": {k.lower(): v for k, v in request.headers.items()},
            "tag": tag,
            "outcome": "in_flight",
            "raw": raw,
        }
        self.requests.append(entry)
        return entry

    def count(self, tag: str | None, key: str, delta: int = 1) -> None:
        """Add `delta` to counter `key`, overall and for `tag`."""
        self.totals[key] += delta
        if tag is not None:
            self.by_tag.setdefault(tag, Counter())[key] += delta

    def stats(self, tag: str | None) -> dict[str, int]:
        """The counters overall, or of one tag."""
        counter = self.totals if tag is None else self.by_tag.get(tag, Counter())
        return {key: counter[key] for key in STAT_KEYS}

    def listing(self, tag: str | None) -> list[dict[str, Any]]:
        """The recorded requests (of one tag), bodies decoded when they are JSON."""
        out = []
        for entry in self.requests:
            if tag is not None and entry["tag"] != tag:
                continue
            raw: bytes = entry["raw"]
            try:
                body = _decode(raw)
            except msgspec.DecodeError:
                body = None
            out.append({**entry, "raw": raw.decode("utf-8", "replace"), "body": body})
        return out


RECORDER = web.AppKey("recorder", Recorder)
_ids = itertools.count(1)


def _json(data: object, status: int = 200) -> web.Response:
    return web.Response(body=_encode(data), status=status, content_type=JSON)


def _error(status: int, message: str, type_: str, code: str | None) -> web.Response:
    return web.Response(body=error_body(message, type_, code), status=status, content_type=JSON)


async def _sleep_ms(ms: float) -> None:
    if ms > 0:
        await asyncio.sleep(ms / 1000)


def _abort(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.abort()


async def chat_completions(request: web.Request) -> web.StreamResponse:
    """`POST /v1/chat/completions`: answer as the request's `mock` directive says."""
    recorder = request.app[RECORDER]
    raw = await request.read()
    try:
        body = _decode(raw)
    except msgspec.DecodeError:
        body = None
        parsed = False
    else:
        parsed = True
    mock_field = body.get("mock") if isinstance(body, dict) else None
    tag = mock_field.get("tag") if isinstance(mock_field, dict) else None
    entry = recorder.record(request, raw, tag if isinstance(tag, str) else None)
    tag = entry["tag"]
    recorder.count(tag, "requests")
    if not parsed:
        entry["outcome"] = "rejected"
        return _error(400, "the body is not valid JSON", "invalid_request_error", None)
    try:
        directive = parse_directive(mock_field)
        reply = build_reply(
            body, directive, request_id=f"chatcmpl-mock-{next(_ids)}", created=int(time.time())
        )
    except (ValueError, RequestShapeError) as exc:
        entry["outcome"] = "rejected"
        return _error(400, str(exc), "invalid_request_error", "invalid_mock_request")

    recorder.count(tag, "in_flight")
    try:
        await _sleep_ms(directive.first_byte_delay_ms)
        if directive.error is not None:
            err = directive.error
            recorder.count(tag, "errors_injected")
            entry["outcome"] = "error"
            return _error(err.status, err.message, err.type, err.code)
        stream = body.get("stream") is True
        if not stream:
            recorder.count(tag, "completions")
            await _sleep_ms(directive.delay_ms)
            if directive.disconnect_after is not None:
                recorder.count(tag, "disconnects_injected")
                entry["outcome"] = "disconnected"
                _abort(request)
                return web.Response()
            entry["outcome"] = "completed"
            recorder.count(tag, "completed")
            return web.Response(body=completion(reply), content_type=JSON)
        recorder.count(tag, "streams")
        options = body.get("stream_options")
        include_usage = isinstance(options, dict) and options.get("include_usage") is True
        events = stream_events(reply, directive, include_usage=include_usage)
        return await _stream(request, directive, events, entry)
    except asyncio.CancelledError:
        entry["outcome"] = "cancelled"
        recorder.count(tag, "cancelled")
        raise
    except ConnectionResetError:  # a write found the client gone before the cancellation
        entry["outcome"] = "cancelled"
        recorder.count(tag, "cancelled")
        return web.Response()
    finally:
        recorder.count(tag, "in_flight", -1)


async def _stream(
    request: web.Request, directive: Directive, events: list[bytes], entry: dict[str, Any]
) -> web.StreamResponse:
    """Write `events` as the directive says: delays, wire cuts, injected disconnect."""
    recorder = request.app[RECORDER]
    tag = entry["tag"]
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    cutter = WireCutter(directive.wire, directive.seed)
    await _sleep_ms(directive.delay_ms)
    for number, event in enumerate(events):
        if directive.disconnect_after is not None and number >= directive.disconnect_after:
            for write in cutter.flush():
                await response.write(write)
            recorder.count(tag, "disconnects_injected")
            entry["outcome"] = "disconnected"
            _abort(request)
            return response
        if number:
            await _sleep_ms(directive.chunk_delay_ms)
        for write in cutter.feed(event):
            await response.write(write)
    for write in cutter.flush():
        await response.write(write)
    await response.write_eof()
    entry["outcome"] = "completed"
    recorder.count(tag, "completed")
    return response


async def models(request: web.Request) -> web.Response:
    """`GET /v1/models`: a fixed list; the mock answers any model name anyway."""
    data = [{"id": m, "object": "model", "created": 0, "owned_by": "phiwall-mock"} for m in MODELS]
    return _json({"object": "list", "data": data})


async def health(request: web.Request) -> web.Response:
    """`GET /health`."""
    return _json({"status": "ok"})


async def list_requests(request: web.Request) -> web.Response:
    """`GET /_mock/requests[?tag=T]`: every request received, in order."""
    return _json(request.app[RECORDER].listing(request.query.get("tag")))


async def clear_requests(request: web.Request) -> web.Response:
    """`DELETE /_mock/requests`: forget the recorded requests."""
    request.app[RECORDER].requests.clear()
    return _json({"cleared": True})


async def get_stats(request: web.Request) -> web.Response:
    """`GET /_mock/stats[?tag=T]`: the counters, overall or of one tag."""
    return _json(request.app[RECORDER].stats(request.query.get("tag")))


async def reset_stats(request: web.Request) -> web.Response:
    """`DELETE /_mock/stats`: zero every counter (except requests still in flight)."""
    recorder = request.app[RECORDER]
    in_flight = recorder.totals["in_flight"]
    recorder.totals.clear()
    recorder.by_tag.clear()
    recorder.totals["in_flight"] = in_flight
    return _json({"cleared": True})


def create_app(max_recorded: int = 10_000) -> web.Application:
    """The mock's application, recording at most `max_recorded` requests."""
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app[RECORDER] = Recorder(max_recorded)
    for prefix in ("/v1", ""):
        app.router.add_post(f"{prefix}/chat/completions", chat_completions)
        app.router.add_get(f"{prefix}/models", models)
    app.router.add_get("/health", health)
    app.router.add_get("/_mock/requests", list_requests)
    app.router.add_delete("/_mock/requests", clear_requests)
    app.router.add_get("/_mock/stats", get_stats)
    app.router.add_delete("/_mock/stats", reset_stats)
    return app
