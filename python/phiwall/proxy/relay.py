"""Relaying the upstream's answer to the client, with the original values put back.

A non-streamed completion is read whole, rehydrated natively (`Rehydrator.completion`)
and sent as JSON. A stream is
relayed read by read: through the native event rehydrator when the request had PHI,
byte for byte when it had none. Upstream failures while reading
become `UpstreamError`/`UpstreamTimeout`; the caller answers them.
"""

from __future__ import annotations

from time import perf_counter_ns

import aiohttp

from phiwall.errors import UpstreamError, UpstreamTimeout
from phiwall.proxy.asgi import SSE_HEADERS, Send, send_json
from phiwall.proxy.rehydrate import Rehydrator
from phiwall.proxy.turn import Turn


async def relay_whole(
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
        body = rehydrator.completion(body)
        turn.lap("rehydrate", mark)
    turn.responded = True
    await send_json(send, 200, body)


async def relay_stream(
    response: aiohttp.ClientResponse, rehydrator: Rehydrator | None, send: Send, turn: Turn
) -> None:
    """Relay the upstream's SSE stream as it arrives, tokens put back read by read.

    With nothing masked the bytes pass through untouched; otherwise each read goes through
    the native event rehydrator (`Rehydrator.events()`: SSE decoding and per-event
    rehydration in one call; `rehydrate_stream.StreamRehydrator` is its reference). Never
    holds more than one network read plus a token's tail.
    """
    await send({"type": "http.response.start", "status": 200, "headers": SSE_HEADERS})
    turn.responded = True
    reads = response.content.iter_any()
    try:
        if rehydrator is None:
            async for chunk in reads:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        else:
            events = rehydrator.events()
            elapsed = 0
            try:
                async for chunk in reads:
                    started = perf_counter_ns()
                    out = events.feed(chunk)
                    elapsed += perf_counter_ns() - started
                    if out:
                        await send({"type": "http.response.body", "body": out, "more_body": True})
                started = perf_counter_ns()
                tail = events.flush()
                elapsed += perf_counter_ns() - started
                if tail:
                    await send({"type": "http.response.body", "body": tail, "more_body": True})
            finally:
                turn.timings["rehydrate"] = elapsed // 1000
    except TimeoutError:
        raise UpstreamTimeout("the upstream stream went silent for too long") from None
    except aiohttp.ClientError as error:
        raise UpstreamError(f"the upstream stream broke off ({type(error).__name__})") from None
    response.release()
    await send({"type": "http.response.body", "body": b"", "more_body": False})
