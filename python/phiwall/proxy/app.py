"""The ASGI application: lifespan builds each worker's `Runtime`, requests are routed.

Routing is hand-rolled (`phiwall.proxy.routes`): the proxy has a handful of fixed
paths and its per-request budget is a fraction of a millisecond. Every error is
answered in OpenAI's shape; nothing a client sends can crash the worker.
"""

from __future__ import annotations

import time
from time import perf_counter_ns

from phiwall.errors import InternalError, PhiwallError
from phiwall.proxy.access_log import AccessRecord, redact_agent_id
from phiwall.proxy.asgi import Receive, Scope, Send, send_error, send_json
from phiwall.proxy.chat import serve_chat
from phiwall.proxy.config import ProxySettings
from phiwall.proxy.errors_log import log_internal_error
from phiwall.proxy.health import health_body
from phiwall.proxy.models import list_models
from phiwall.proxy.routes import Endpoint, Route, match
from phiwall.proxy.runtime import Runtime


class ProxyApp:
    """phiwall's ASGI callable.

    Give it `settings` and it builds its `Runtime` at lifespan startup (Granian
    runs the lifespan in every worker), or give it a ready `runtime` (tests).
    """

    def __init__(
        self, settings: ProxySettings | None = None, runtime: Runtime | None = None
    ) -> None:
        self.settings = settings or ProxySettings()
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)
        elif kind == "websocket":
            await send({"type": "websocket.close", "code": 1003})

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = perf_counter_ns()
        route: Route | None = None
        try:
            route = match(scope["method"], scope["path"])
            runtime = self.runtime
            if runtime is None:
                raise InternalError("phiwall is not started")
            if route.endpoint is Endpoint.CHAT:
                await serve_chat(runtime, route, scope, receive, send)  # logs its own line
                return
            if route.endpoint is Endpoint.HEALTH:
                await send_json(send, 200, health_body(runtime))
            else:
                agent = runtime.resolve_agent(route.agent_id)
                await send_json(send, 200, await list_models(runtime, agent))
            self._log(route, 200, None, started)
        except PhiwallError as error:
            await send_error(send, error)
            self._log(route, error.status, error.code, started)
        except Exception as exc:
            log_internal_error(exc)
            error = InternalError("internal error")
            await send_error(send, error)
            self._log(route, error.status, error.code, started)

    def _log(self, route: Route | None, status: int, error: str | None, started: int) -> None:
        """One access-log line for a request other than a chat turn."""
        if self.runtime is None:
            return
        self.runtime.access_log.write(
            AccessRecord(
                at=time.time(),
                route=route.endpoint.value if route is not None else "none",
                status=status,
                agent=redact_agent_id(route.agent_id) if route is not None else None,
                session=route.session_id if route is not None else None,
                error=error,
                timings_us={"total": (perf_counter_ns() - started) // 1000},
            )
        )

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        """ASGI lifespan: build the runtime at startup, release it at shutdown."""
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    if self.runtime is None:
                        self.runtime = await Runtime.start(self.settings)
                except Exception as exc:
                    # The message names files and settings, never secrets (StoreError).
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.runtime is not None:
                    await self.runtime.close()
                    self.runtime = None
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_app(settings: ProxySettings) -> ProxyApp:
    """The app for one Granian worker (the target loader `phiwall serve` passes)."""
    return ProxyApp(settings)
