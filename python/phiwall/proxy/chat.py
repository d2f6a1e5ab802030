"""One chat-completions turn, as DESIGN's data flow describes it.

Resolve the agent, read the body, check signature and rate limit, decode and check
the request, mask it (failing closed), forward it over the pooled client, and answer:
a non-streamed completion rehydrated whole, or the SSE stream relayed event by event
with tokens put back. Every stage is timed (`perf_counter_ns`); the timings, the
entity counts and the status go to the access log and to the session's `TurnEvent`.
"""

from __future__ import annotations

import time
from time import perf_counter_ns
from typing import Any

import aiohttp
import msgspec

from phiwall.errors import (
    InternalError,
    ModelNotAllowed,
    PhiwallError,
    UpstreamError,
    UpstreamTimeout,
)
from phiwall.proxy.access_log import AccessRecord, redact_agent_id
from phiwall.proxy.asgi import (
    SSE_HEADERS,
    Receive,
    Scope,
    Send,
    header,
    headers_mapping,
    send_error,
    send_json,
)
from phiwall.proxy.disconnect import ClientGone, DisconnectWatch
from phiwall.proxy.errors_log import log_internal_error
from phiwall.proxy.rehydrate import Rehydrator, rehydrate_completion
from phiwall.proxy.rehydrate_stream import StreamRehydrator
from phiwall.proxy.request import parse_chat_request, read_body
from phiwall.proxy.routes import Route
from phiwall.proxy.runtime import Runtime
from phiwall.proxy.signature import verify_signature
from phiwall.proxy.sse import ServerSentEvent, SSEDecoder
from phiwall.store import Agent, TurnEvent

CLIENT_CLOSED = 499  # nginx's status for "the client closed the request"

_encode = msgspec.json.Encoder().encode


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


async def serve_chat(
    runtime: Runtime, route: Route, scope: Scope, receive: Receive, send: Send
) -> None:
    """Serve one chat-completions request; never raises (except cancellation).

    Errors before the answer started are answered in OpenAI's shape with their
    status; errors mid-stream become a final SSE `{"error": ...}` event, which the
    OpenAI SDKs raise as an `APIError`.
    """
    turn = Turn(route.session_id)
    try:
        await _serve(runtime, route, scope, receive, send, turn)
    except ClientGone:
        turn.status, turn.error = CLIENT_CLOSED, "client_closed"
    except PhiwallError as error:
        await _answer_error(send, turn, error)
    except Exception as exc:
        log_internal_error(exc)
        await _answer_error(send, turn, InternalError("internal error in phiwall"))
    finally:
        turn.timings["total"] = (perf_counter_ns() - turn.started) // 1000
        _record(runtime, turn)


async def _serve(
    runtime: Runtime, route: Route, scope: Scope, receive: Receive, send: Send, turn: Turn
) -> None:
    """Admit, decode and mask the request, then forward it; raises what `serve_chat` answers."""
    agent = runtime.resolve_agent(route.agent_id)
    turn.agent = agent
    mark = perf_counter_ns()
    body = await read_body(receive, _content_length(scope), runtime.max_body_bytes)
    mark = turn.lap("read", mark)
    if agent.signature is not None:
        verify_signature(agent.signature, headers_mapping(scope), body, time.time())
    runtime.limiter.check(agent, time.monotonic())
    request = parse_chat_request(body)
    turn.stream, turn.model = request.stream, request.model
    turn.session_id = turn.session_id or request.session_id
    if agent.allowed_models and request.model not in agent.allowed_models:
        raise ModelNotAllowed("this agent does not allow this model", param="model")
    mark = turn.lap("parse", mark)
    masked = runtime.masker.mask(request.payload)  # raises MaskingFailed: fail closed
    turn.counts = dict(masked.counts)
    turn.masked_body = masked.body
    mark = turn.lap("mask", mark)
    outgoing = _encode(masked.body)
    rehydrator = runtime.make_rehydrator(dict(masked.table)) if masked.table else None
    turn.lap("encode", mark)
    async with DisconnectWatch(receive):
        await _forward(runtime, agent, outgoing, rehydrator, send, turn)


async def _forward(
    runtime: Runtime,
    agent: Agent,
    outgoing: bytes,
    rehydrator: Rehydrator | None,
    send: Send,
    turn: Turn,
) -> None:
    """Send the masked body upstream and relay the answer; always closes the response."""
    mark = perf_counter_ns()
    response = await runtime.upstream.post_chat(agent.upstream_url, agent.upstream_key, outgoing)
    try:
        turn.lap("upstream_first_byte", mark)
        if turn.stream and response.content_type == "text/event-stream":
            await _relay_stream(response, rehydrator, send, turn)
        else:
            await _relay_whole(response, rehydrator, send, turn)
    finally:
        response.close()  # a no-op once released; else drops the unfinished upstream answer


def _content_length(scope: Scope) -> int | None:
    """The declared Content-Length, or None when absent or not a number."""
    value = header(scope, b"content-length")
    return int(value) if value is not None and value.isdigit() else None


async def _relay_whole(
    response: aiohttp.ClientResponse, rehydrator: Rehydrator | None, send: Send, turn: Turn
) -> None:
    """Read the upstream's whole answer, rehydrate it, send it as JSON."""
    try:
        body = await response.read()
    except TimeoutError:
        raise UpstreamTimeout("the upstream stopped sending its answer") from None
    except aiohttp.ClientError as error:
        raise UpstreamError(f"the upstream answer broke off ({type(error).__name__})") from None
    response.release()
    if rehydrator is not None:
        mark = perf_counter_ns()
        body = rehydrate_completion(rehydrator, body)
        turn.lap("rehydrate", mark)
    turn.responded = True
    await send_json(send, 200, body)


async def _relay_stream(
    response: aiohttp.ClientResponse, rehydrator: Rehydrator | None, send: Send, turn: Turn
) -> None:
    """Relay the upstream's SSE stream as it arrives, tokens put back event by event.

    With nothing masked the bytes pass through untouched; otherwise each read goes
    through the SSE decoder and the stream rehydrator. Never holds more than one
    network read plus a token's tail.
    """
    await send({"type": "http.response.start", "status": 200, "headers": SSE_HEADERS})
    turn.responded = True
    reads = response.content.iter_any()
    try:
        if rehydrator is None:
            async for chunk in reads:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        else:
            decoder = SSEDecoder()
            rewriter = StreamRehydrator(rehydrator)
            try:
                async for chunk in reads:
                    out = b"".join([rewriter.rewrite(event) for event in decoder.feed(chunk)])
                    if out:
                        await send({"type": "http.response.body", "body": out, "more_body": True})
                tail = b"".join([rewriter.rewrite(event) for event in decoder.flush()])
                tail += rewriter.finish()
                if tail:
                    await send({"type": "http.response.body", "body": tail, "more_body": True})
            finally:
                turn.timings["rehydrate"] = rewriter.elapsed_ns // 1000
    except TimeoutError:
        raise UpstreamTimeout("the upstream stream went silent for too long") from None
    except aiohttp.ClientError as error:
        raise UpstreamError(f"the upstream stream broke off ({type(error).__name__})") from None
    response.release()
    await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _answer_error(send: Send, turn: Turn, error: PhiwallError) -> None:
    """Answer `error` with its status, or in-band as a last SSE event if streaming began."""
    turn.error = error.code
    if not turn.responded:
        turn.status = error.status
        turn.responded = True
        await send_error(send, error)
        return
    event = ServerSentEvent(error.body()).encode()
    await send({"type": "http.response.body", "body": event, "more_body": False})


def _record(runtime: Runtime, turn: Turn) -> None:
    """Write the access-log line and queue the session event; never raises."""
    agent_id = turn.agent.id if turn.agent is not None else None
    try:
        runtime.access_log.write(
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
            runtime.store.record_event(
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
