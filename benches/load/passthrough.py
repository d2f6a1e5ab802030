"""The floor: a bare passthrough proxy on phiwall's stack, with no masking and no rehydration.

Granian (ASGI, uvloop) plus phiwall's own pooled aiohttp `UpstreamClient`: read the body,
forward it, relay the answer's bytes as they arrive. Whatever latency this adds over calling
the upstream directly is the cost of the stack itself; phiwall's own work is measured
against it.

Run it as `python -m benches.load.passthrough --port P --upstream URL [--workers N]` from the
repository root; it is ready when `GET /health` answers 200.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from phiwall.errors import PhiwallError, UpstreamError
from phiwall.proxy.asgi import Receive, Scope, Send, send_error, send_json
from phiwall.proxy.config import DEFAULT_CONNECT_TIMEOUT, DEFAULT_FIRST_BYTE_TIMEOUT
from phiwall.proxy.upstream import UpstreamClient

UPSTREAM_ENV = "PHIWALL_BENCH_UPSTREAM"
REPO = Path(__file__).resolve().parents[2]


class Passthrough:
    """The ASGI app: `POST …/chat/completions` is forwarded to `$PHIWALL_BENCH_UPSTREAM`.

    `GET /health` answers 200. Anything else is 404. The upstream's status and content type
    are passed back; the body is relayed chunk by chunk as aiohttp reads it.
    """

    def __init__(self) -> None:
        self.upstream_url = os.environ.get(UPSTREAM_ENV, "")
        self.client = UpstreamClient(DEFAULT_CONNECT_TIMEOUT, DEFAULT_FIRST_BYTE_TIMEOUT)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection scope (lifespan or http); never raises for a request."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.client.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.client.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        if scope["method"] == "GET" and path == "/health":
            await send_json(send, 200, b'{"status":"ok"}')
            return
        if scope["method"] != "POST" or not path.endswith("/chat/completions"):
            await send_json(send, 404, b'{"error":{"message":"not found","type":"not_found"}}')
            return
        body = await _read_body(receive)
        try:
            response = await self.client.post_chat(self.upstream_url, None, body)
        except PhiwallError as error:
            await send_error(send, error)
            return
        try:
            content_type = response.headers.get("Content-Type", "application/json")
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status,
                    "headers": [(b"content-type", content_type.encode("latin-1"))],
                }
            )
            async for chunk in response.content.iter_any():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        except (OSError, UpstreamError):
            # The upstream or the client went away mid-answer: nothing more can be sent.
            pass
        finally:
            response.release()


async def _read_body(receive: Receive) -> bytes:
    """The whole request body from ASGI `http.request` messages; O(body size)."""
    parts: list[bytes] = []
    while True:
        message = await receive()
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(parts)


app = Passthrough()


def main(argv: list[str] | None = None) -> int:
    """Serve the passthrough with Granian until SIGINT/SIGTERM; returns the exit status."""
    from granian import Granian
    from granian.constants import Interfaces, Loops

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True, help="OpenAI base URL, e.g. http://h:p/v1")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ[UPSTREAM_ENV] = args.upstream  # read by the app in every worker
    Granian(
        "benches.load.passthrough:app",
        address=args.host,
        port=args.port,
        interface=Interfaces.ASGI,
        loop=Loops.uvloop,
        workers=args.workers,
        log_access=False,
        working_dir=REPO,
    ).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
