"""Noticing that the client went away, so the upstream request can be cancelled.

Granian silently drops what is sent to a closed connection, so a relay would go on
reading the upstream for nobody. Once the request body has been read, the only ASGI
message left to receive is `http.disconnect`: a small task waits for it and cancels
the request's task, which closes the upstream response (aiohttp closes a connection
whose response is abandoned mid-body instead of returning it to the pool).
"""

from __future__ import annotations

import asyncio
from types import TracebackType

from phiwall.proxy.asgi import Receive


class ClientGone(Exception):
    """The client disconnected before its answer was complete; there is no one to answer."""


class DisconnectWatch:
    """While inside, a client disconnect cancels the work and surfaces as `ClientGone`.

        async with DisconnectWatch(receive):
            await forward_and_relay()

    Only for after the request body was read (the watcher consumes `receive`).
    Cost: one task per request, a few µs. Cancellation from anywhere else passes
    through untouched.
    """

    __slots__ = ("_receive", "_task", "_watcher", "disconnected")

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self.disconnected = False

    async def __aenter__(self) -> DisconnectWatch:
        task = asyncio.current_task()
        if task is None:
            raise RuntimeError("DisconnectWatch needs a running task")
        self._task = task
        self._watcher = asyncio.get_running_loop().create_task(self._watch())
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._watcher.cancel()
        if kind is not None and issubclass(kind, asyncio.CancelledError) and self.disconnected:
            self._task.uncancel()
            raise ClientGone from None

    async def _watch(self) -> None:
        try:
            while (await self._receive())["type"] != "http.disconnect":
                pass
        except Exception:  # the server refused to receive: nothing left to watch
            return
        self.disconnected = True
        self._task.cancel()
