"""aiohttp vs httpx as phiwall's upstream client, under concurrency, side by side.

    .venv/bin/python benches/compare_upstream_clients.py [--seconds 3] [--concurrency 1 16 64]

Starts `phiwall mock-upstream` in a subprocess (recording nothing), then, in this process
on uvloop, drives the same non-streaming chat-completions POST (a ~4 KB voice-sized body)
through each client for `--seconds` per round at each concurrency level: aiohttp's pooled
`ClientSession` (as `phiwall.proxy.upstream` configures it) and httpx's `AsyncClient` with
its default transport (pool limits raised to the concurrency). Rounds alternate between
the clients, `--rounds` times, so machine noise hits both alike; the best round of each
is reported as requests/s with p50/p99 latency. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable

import msgspec

from phiwall.mock_upstream.process import MockUpstreamProcess

Sender = Callable[[], Awaitable[None]]

BODY = msgspec.json.encode(
    {
        "model": "mock-model",
        "messages": [
            {"role": "system", "content": "You are a clinic receptionist. " * 50},
            *(
                {"role": role, "content": "I would like to move my appointment to Friday."}
                for role in ("user", "assistant") * 20
            ),
        ],
    }
)


async def run_round(send: Sender, concurrency: int, seconds: float) -> tuple[float, list[float]]:
    """Requests/s and per-request latencies (s) of `concurrency` loops for `seconds`."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def loop() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            await send()
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(concurrency)))
    return len(latencies) / (time.perf_counter() - started), latencies


async def aiohttp_sender(
    url: str, concurrency: int
) -> tuple[Sender, Callable[[], Awaitable[None]]]:
    """A sender over phiwall's own `UpstreamClient` (pooled aiohttp)."""
    from phiwall.proxy.upstream import UpstreamClient

    client = UpstreamClient(connect_timeout=5.0, first_byte_timeout=30.0)
    await client.start()

    async def send() -> None:
        response = await client.post_chat(url, None, BODY)
        await response.read()

    return send, client.close


async def httpx_sender(url: str, concurrency: int) -> tuple[Sender, Callable[[], Awaitable[None]]]:
    """A sender over httpx's `AsyncClient` with its default transport."""
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    client = httpx.AsyncClient(limits=limits, timeout=30.0)
    target = url.rstrip("/") + "/chat/completions"
    headers = {"content-type": "application/json"}

    async def send() -> None:
        response = await client.post(target, content=BODY, headers=headers)
        response.raise_for_status()

    return send, client.aclose


CLIENTS = {"aiohttp": aiohttp_sender, "httpx": httpx_sender}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def compare(url: str, levels: list[int], seconds: float, rounds: int) -> list[str]:
    rows = [
        "| concurrency | client | requests/s | p50 ms | p99 ms |",
        "|---:|---|---:|---:|---:|",
    ]
    for concurrency in levels:
        best: dict[str, tuple[float, list[float]]] = {}
        senders = {name: await make(url, concurrency) for name, make in CLIENTS.items()}
        for send, _ in senders.values():  # warm the pools
            await run_round(send, concurrency, 0.3)
        for _ in range(rounds):
            for name, (send, _) in senders.items():
                result = await run_round(send, concurrency, seconds)
                if name not in best or result[0] > best[name][0]:
                    best[name] = result
        for _, close in senders.values():
            await close()
        for name, (rate, latencies) in best.items():
            p50 = percentile(latencies, 0.5) * 1000
            p99 = percentile(latencies, 0.99) * 1000
            rows.append(f"| {concurrency} | {name} | {rate:,.0f} | {p50:.2f} | {p99:.2f} |")
        ratio = best["aiohttp"][0] / best["httpx"][0]
        print(f"concurrency {concurrency}: aiohttp/httpx = {ratio:.2f}x", file=sys.stderr)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of one round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per client and level")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16, 64])
    args = parser.parse_args()
    import uvloop

    with MockUpstreamProcess(max_recorded=0) as mock:
        rows = uvloop.run(compare(mock.base_url, args.concurrency, args.seconds, args.rounds))
    print("\n".join(rows))
    print(f"\n{len(BODY)} B request body, non-streaming, mock upstream on localhost")
    return 0


if __name__ == "__main__":
    sys.exit(main())
