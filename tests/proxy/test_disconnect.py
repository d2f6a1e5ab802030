"""A client that leaves mid-answer cancels the upstream request."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from proxy_support import MockUpstream, Proxy

pytestmark = pytest.mark.anyio

SLOW = {"chunking": "chars", "chunk_delay_ms": 50}
BODY = {"model": "m", "messages": [{"role": "user", "content": "Jane Doe, a long story " * 5}]}


async def stats(mock: MockUpstream) -> dict[str, Any]:
    import aiohttp

    async with aiohttp.ClientSession() as session, session.get(mock.url + "/_mock/stats") as r:
        return await r.json()


async def wait_for_cancelled(mock: MockUpstream) -> dict[str, Any]:
    """The mock's counters once it saw the cancellation (polls, bounded)."""
    for _ in range(100):
        counters = await stats(mock)
        if counters["cancelled"] or not counters["in_flight"]:
            return counters
        await asyncio.sleep(0.05)
    return await stats(mock)


async def test_disconnect_mid_stream_cancels_upstream(
    proxy: Proxy, mock_upstream: MockUpstream
) -> None:
    answer = await proxy.chat({**BODY, "stream": True, "mock": SLOW}, disconnect_after_parts=2)
    assert answer.status == 200
    counters = await wait_for_cancelled(mock_upstream)
    assert counters["cancelled"] == 1
    assert counters["completed"] == 0
    (record,) = proxy.log.records
    assert record.status == 499


async def test_disconnect_while_waiting_for_a_whole_answer_cancels_upstream(
    proxy: Proxy, mock_upstream: MockUpstream
) -> None:
    leave = asyncio.Event()
    body = {**BODY, "mock": {"first_byte_delay_ms": 5000}}
    turn = asyncio.ensure_future(proxy.chat(body, disconnect=leave))
    for _ in range(100):  # wait (bounded) until the upstream is working on it
        if (await stats(mock_upstream))["in_flight"]:
            break
        await asyncio.sleep(0.02)
    leave.set()
    answer = await turn
    assert answer.status == 0  # nothing was answered: nobody is listening
    counters = await wait_for_cancelled(mock_upstream)
    assert counters["cancelled"] == 1
    assert proxy.log.records[-1].status == 499


async def test_disconnect_before_the_body_arrived(proxy: Proxy) -> None:
    from proxy_support import call_app

    answer = await call_app(
        proxy.app,
        "POST",
        f"/proxy/{proxy.agent.id}/v1/chat/completions",
        [b'{"messages": ', b"[]}"],
        disconnect_after_parts=None,
        disconnect_during_body=True,
    )
    assert answer.status == 0
    assert proxy.log.records[-1].status == 499
