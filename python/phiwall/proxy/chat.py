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

import msgspec

from phiwall.errors import InternalError, ModelNotAllowed, PhiwallError
from phiwall.proxy.asgi import Receive, Scope, Send, header, headers_mapping, send_error
from phiwall.proxy.disconnect import ClientGone, DisconnectWatch
from phiwall.proxy.errors_log import log_internal_error
from phiwall.proxy.rehydrate import Rehydrator
from phiwall.proxy.relay import relay_stream, relay_whole
from phiwall.proxy.request import parse_chat_request, read_body
from phiwall.proxy.routes import Route
from phiwall.proxy.runtime import Runtime
from phiwall.proxy.signature import verify_signature
from phiwall.proxy.sse import ServerSentEvent
from phiwall.proxy.turn import Turn, record_turn
from phiwall.store import Agent

CLIENT_CLOSED = 499  # nginx's status for "the client closed the request"

_encode = msgspec.json.Encoder().encode


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
        record_turn(runtime.access_log, runtime.store, turn)
        # The answer is out: the masker's bookkeeping (the conversation's checkpoint) and a
        # due GC pass run here, where no caller waits (the next turn comes after the answer;
        # one that comes sooner settles first, in `mask`).
        runtime.masker.settle()
        runtime.collector.collect()


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
    rehydrator = runtime.make_rehydrator(masked.table) if masked.table else None
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
            await relay_stream(response, rehydrator, send, turn)
        else:
            await relay_whole(response, rehydrator, send, turn)
    finally:
        response.close()  # a no-op once released; else drops the unfinished upstream answer


def _content_length(scope: Scope) -> int | None:
    """The declared Content-Length, or None when absent or not a number."""
    value = header(scope, b"content-length")
    return int(value) if value is not None and value.isdigit() else None


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
