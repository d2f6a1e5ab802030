"""The ASGI app's own routes and lifespan: health, models, start-up with the real parts."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from typing import Any

import msgspec
import pytest
from proxy_support import MockUpstream, Proxy, call_app, make_proxy

from phiwall.proxy.access_log import AccessLog
from phiwall.proxy.app import ProxyApp
from phiwall.proxy.config import ProxySettings
from phiwall.store import Agent

pytestmark = pytest.mark.anyio


async def test_health(proxy: Proxy) -> None:
    answer = await call_app(proxy.app, "GET", "/health")
    assert answer.status == 200
    assert answer.json() == {
        "status": "ok",
        "pid": os.getpid(),
        "dropped": {"access_log_lines": 0, "events": 0},
    }


async def test_health_counts_what_the_worker_dropped(proxy: Proxy) -> None:
    read, write = os.pipe()
    os.set_blocking(write, False)
    with contextlib.suppress(BlockingIOError):  # fill the pipe: nobody reads it
        while True:
            os.write(write, b"x" * 4096)
    os.set_blocking(write, True)
    proxy.runtime.access_log = AccessLog(write)
    proxy.store.dropped_events = 2
    try:
        await proxy.chat({"model": "m", "messages": [{"role": "user", "content": "hi"}]})
        proxy.runtime.access_log.flush()  # the line's batch: dropped, the pipe is full
        dropped = (await call_app(proxy.app, "GET", "/health")).json()["dropped"]
    finally:
        os.close(write)
        os.close(read)
    assert dropped == {"access_log_lines": 1, "events": 2}  # the chat turn's line


async def test_models_come_from_the_upstream(proxy: Proxy) -> None:
    for path in (f"/proxy/{proxy.agent.id}/v1/models", "/agents/custom/s/x/v1/models"):
        answer = await call_app(proxy.app, "GET", path)
        assert answer.status == 200
        assert "mock-model" in [model["id"] for model in answer.json()["data"]]


async def test_models_fall_back_to_a_local_list_when_the_upstream_fails() -> None:
    proxy = await make_proxy("http://127.0.0.1:9/v1")
    try:
        answer = await call_app(proxy.app, "GET", f"/proxy/{proxy.agent.id}/v1/models")
        assert answer.status == 200
        assert answer.json()["object"] == "list"
        assert answer.json()["data"]
    finally:
        await proxy.runtime.upstream.close()


async def test_models_of_a_restricted_agent_are_exactly_its_models(
    mock_upstream: MockUpstream,
) -> None:
    agent = Agent(
        id="agt_01JMODELS00000000000000000",
        name="m",
        upstream_url=mock_upstream.base_url,
        allowed_models=("gpt-4o", "o3"),
    )
    proxy = await make_proxy(mock_upstream.base_url, agent=agent)
    try:
        answer = await call_app(proxy.app, "GET", f"/proxy/{agent.id}/v1/models")
        assert [model["id"] for model in answer.json()["data"]] == ["gpt-4o", "o3"]
    finally:
        await proxy.runtime.upstream.close()


async def test_models_of_an_unknown_agent_is_404(proxy: Proxy) -> None:
    answer = await call_app(proxy.app, "GET", "/proxy/agt_nope/v1/models")
    assert answer.status == 404


async def test_not_started_answers_500_in_shape() -> None:
    answer = await call_app(ProxyApp(), "GET", "/health")
    assert answer.status == 500
    assert answer.json()["error"]["code"] == "internal_error"


async def lifespan(app: ProxyApp, *messages: str) -> list[dict[str, Any]]:
    incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for kind in messages:
        incoming.put_nowait({"type": kind})
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": "lifespan"}, incoming.get, send)
    return sent


async def test_lifespan_builds_the_real_runtime_and_serves(
    tmp_path: Path, mock_upstream: MockUpstream
) -> None:
    settings = ProxySettings(
        upstream_url=mock_upstream.base_url, db_path=str(tmp_path / "p.db"), access_log=False
    )
    app = ProxyApp(settings)
    incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    incoming.put_nowait({"type": "lifespan.startup"})
    running = asyncio.ensure_future(app({"type": "lifespan"}, incoming.get, send))
    for _ in range(600):  # the masker loads its detectors: bounded wait
        if sent:
            break
        await asyncio.sleep(0.05)
    assert sent == [{"type": "lifespan.startup.complete"}]
    body = {"model": "m", "messages": [{"role": "user", "content": "I am Sarah Chen"}]}
    path = "/agents/custom/s/s-1/v1/chat/completions"
    answer = await call_app(app, "POST", path, msgspec.json.encode(body))
    assert answer.status == 200
    assert answer.json()["choices"][0]["message"]["content"] == "You said: I am Sarah Chen"
    incoming.put_nowait({"type": "lifespan.shutdown"})
    await running
    assert sent[-1] == {"type": "lifespan.shutdown.complete"}


async def test_lifespan_startup_failure_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    app = ProxyApp(ProxySettings(db_path=str(blocker / "p.db")))
    sent = await lifespan(app, "lifespan.startup")
    assert sent[0]["type"] == "lifespan.startup.failed"
