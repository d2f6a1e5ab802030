"""Fakes and drivers for the proxy's tests: no Granian, no network beyond localhost.

Imported by the tests as `proxy_support` (conftest puts this directory on `sys.path`).

- `FakeMasker` masks a fixed list of values; `FakeRehydrator` follows the
  `phiwall._native.Rehydrator` contract (used when the native one is not built).
- `call_app` drives the ASGI app directly, with control over how the body arrives
  and when the client disconnects.
- `mock_upstream` runs phiwall's mock upstream (aiohttp) in the test's event loop.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import msgspec
from aiohttp import web

from phiwall.errors import MaskingFailed
from phiwall.proxy.access_log import AccessLog
from phiwall.proxy.app import ProxyApp
from phiwall.proxy.ratelimit import RateLimiter
from phiwall.proxy.runtime import Runtime
from phiwall.proxy.upstream import UpstreamClient
from phiwall.store import Agent, TurnEvent

_TOKEN = re.compile(r"\[[A-Z_]+_[1-9][0-9]*\]")
_MAX_TOKEN = 40
AGENT_ID = "agt_01JTEST00000000000000000001"


class FakeStream:
    """A streaming rewriter: holds back from an unclosed `[` (up to a token's length)."""

    def __init__(self, rehydrator: FakeRehydrator, json_string: bool) -> None:
        self._rehydrator = rehydrator
        self._json_string = json_string
        self._held = ""

    def feed(self, chunk: str) -> str:
        text = self._held + chunk
        cut = text.rfind("[")
        if cut != -1 and "]" not in text[cut:] and len(text) - cut < _MAX_TOKEN:
            self._held = text[cut:]
            text = text[:cut]
        else:
            self._held = ""
        return self._rehydrator.replace(text, json_string=self._json_string)

    def flush(self) -> str:
        held, self._held = self._held, ""
        return self._rehydrator.replace(held, json_string=self._json_string)


class FakeRehydrator:
    """Exact-case token replacement, enough to test the proxy's plumbing."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = dict(table)

    def replace(self, text: str, *, json_string: bool = False) -> str:
        def value(match: re.Match[str]) -> str:
            original = self.table.get(match.group(0))
            if original is None:
                return match.group(0)
            return msgspec.json.encode(original).decode()[1:-1] if json_string else original

        return _TOKEN.sub(value, text)

    def stream(self, json_string: bool = False) -> FakeStream:
        return FakeStream(self, json_string)


def make_rehydrator(table: dict[str, str]) -> Any:
    """The native rehydrator when built, else the fake."""
    try:
        from phiwall._native import Rehydrator  # type: ignore[attr-defined]
    except ImportError:
        return FakeRehydrator(table)
    return Rehydrator(table)


@dataclass
class FakeMasked:
    body: dict[str, Any]
    table: dict[str, str]
    counts: dict[str, int]


class FakeMasker:
    """Masks the given values (value -> label) in every string message content."""

    def __init__(self, values: dict[str, str] | None = None, fail: bool = False) -> None:
        self.values = values if values is not None else {"Jane Doe": "NAME", "555-0134": "PHONE"}
        self.fail = fail

    def settle(self) -> None:
        """Nothing to finish: `mask` keeps no state."""

    def mask(self, request: dict[str, Any]) -> FakeMasked:
        if self.fail:
            raise MaskingFailed("masking failed; nothing was forwarded")
        body = msgspec.json.decode(msgspec.json.encode(request))
        table: dict[str, str] = {}
        counts: dict[str, int] = {}
        numbers: dict[str, int] = {}
        for message in body["messages"]:
            content = message.get("content")
            if not isinstance(content, str):
                continue
            for value, label in self.values.items():
                if value in content:
                    token = next((t for t, v in table.items() if v == value), None)
                    if token is None:
                        numbers[label] = numbers.get(label, 0) + 1
                        token = f"[{label}_{numbers[label]}]"
                        table[token] = value
                        counts[label] = counts.get(label, 0) + 1
                    content = content.replace(value, token)
            message["content"] = content
        return FakeMasked(body, table, counts)


@dataclass
class FakeStore:
    """Agents in a dict; events in a list."""

    agents: dict[str, Agent]
    events: list[TurnEvent] = field(default_factory=list)
    dropped_events: int = 0

    def get_agent(self, agent_id: str) -> Agent | None:
        return self.agents.get(agent_id)

    def record_event(self, event: TurnEvent) -> None:
        self.events.append(event)

    def close(self) -> None:
        pass


class CapturedLog(AccessLog):
    """An access log that keeps its records."""

    def __init__(self) -> None:
        super().__init__(None)
        self.records: list[Any] = []

    def write(self, record: Any) -> None:
        self.records.append(record)


@dataclass
class Answer:
    """What the ASGI app sent back."""

    status: int
    headers: dict[str, str]
    body: bytes
    parts: list[bytes]

    def json(self) -> Any:
        return msgspec.json.decode(self.body)


async def call_app(
    app: Any,
    method: str,
    path: str,
    body: bytes | Iterable[bytes] = b"",
    headers: Iterable[tuple[str, str]] = (),
    disconnect_after_parts: int | None = None,
    disconnect_during_body: bool = False,
    disconnect: asyncio.Event | None = None,
) -> Answer:
    """One request through the ASGI app; the body as one chunk or several.

    With `disconnect_after_parts`, the client disconnects once that many body parts
    of the answer arrived (0: as soon as the request body was sent); with
    `disconnect_during_body`, it leaves instead of sending the last body chunk; with
    `disconnect`, it leaves when that event is set.
    """
    chunks = [body] if isinstance(body, bytes) else list(body)
    incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    if disconnect_during_body:
        chunks.pop()
    for number, chunk in enumerate(chunks):
        more = disconnect_during_body or number < len(chunks) - 1
        incoming.put_nowait({"type": "http.request", "body": chunk, "more_body": more})
    if disconnect_after_parts == 0 or disconnect_during_body:
        incoming.put_nowait({"type": "http.disconnect"})
    answer = Answer(0, {}, b"", [])

    async def receive() -> dict[str, Any]:
        return await incoming.get()

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            if message.get("body"):
                answer.parts.append(message["body"])
            if disconnect_after_parts and len(answer.parts) == disconnect_after_parts:
                incoming.put_nowait({"type": "http.disconnect"})

    async def leave_when_told(event: asyncio.Event) -> None:
        await event.wait()
        incoming.put_nowait({"type": "http.disconnect"})

    leaving = asyncio.ensure_future(leave_when_told(disconnect)) if disconnect else None
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
    }
    try:
        await app(scope, receive, send)
    finally:
        if leaving is not None:
            leaving.cancel()
    answer.body = b"".join(answer.parts)
    return answer


@dataclass
class MockUpstream:
    """The mock upstream running in this event loop."""

    url: str

    @property
    def base_url(self) -> str:
        return self.url + "/v1"


@asynccontextmanager
async def running_mock_upstream() -> AsyncIterator[MockUpstream]:
    """phiwall's mock upstream (aiohttp) on a free port in the current event loop."""
    from phiwall.mock_upstream.app import create_app

    runner = web.AppRunner(create_app(), handler_cancellation=True, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield MockUpstream(f"http://127.0.0.1:{port}")
    finally:
        await runner.cleanup()


@dataclass
class Proxy:
    """A `ProxyApp` over fakes, with its parts at hand for assertions."""

    app: ProxyApp
    runtime: Runtime
    store: FakeStore
    log: CapturedLog
    agent: Agent

    async def chat(self, payload: Any, path: str | None = None, **kwargs: Any) -> Answer:
        body = payload if isinstance(payload, bytes) else msgspec.json.encode(payload)
        path = path or f"/proxy/{self.agent.id}/v1/chat/completions"
        return await call_app(self.app, "POST", path, body, **kwargs)


async def make_proxy(
    upstream_url: str,
    *,
    masker: Any = None,
    agent: Agent | None = None,
    first_byte_timeout: float = 10.0,
    max_body_bytes: int = 1024 * 1024,
) -> Proxy:
    """A started proxy whose default agent (and only agent) points at `upstream_url`."""
    agent = agent or Agent(id=AGENT_ID, name="test", upstream_url=upstream_url)
    store = FakeStore({agent.id: agent})
    upstream = UpstreamClient(connect_timeout=2.0, first_byte_timeout=first_byte_timeout)
    await upstream.start()
    log = CapturedLog()
    runtime = Runtime(
        store=store,  # type: ignore[arg-type]
        masker=masker or FakeMasker(),
        upstream=upstream,
        limiter=RateLimiter(),
        access_log=log,
        default_agent=agent,
        make_rehydrator=make_rehydrator,
        max_body_bytes=max_body_bytes,
    )
    return Proxy(ProxyApp(runtime=runtime), runtime, store, log, agent)
