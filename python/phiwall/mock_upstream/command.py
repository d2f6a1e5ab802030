"""`phiwall mock-upstream`: run the OpenAI-compatible fake model (see `phiwall.mock_upstream`)."""

from __future__ import annotations

import argparse
import os


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's flags."""
    parser.add_argument(
        "--host",
        default=os.environ.get("PHIWALL_MOCK_HOST", "127.0.0.1"),
        help="interface to listen on (default 127.0.0.1, env PHIWALL_MOCK_HOST)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PHIWALL_MOCK_PORT", "8001")),
        help="port to listen on; 0 picks a free one (default 8001, env PHIWALL_MOCK_PORT)",
    )
    parser.add_argument(
        "--max-recorded",
        type=int,
        default=10_000,
        help="requests kept for GET /_mock/requests (default 10000; 0 records none)",
    )


async def _serve(host: str, port: int, max_recorded: int) -> None:
    import asyncio
    import signal

    from aiohttp import web

    from phiwall.mock_upstream.app import create_app

    runner = web.AppRunner(create_app(max_recorded), handler_cancellation=True, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port, backlog=4096, reuse_address=True)
    await site.start()
    actual_port = runner.addresses[0][1]
    shown = f"[{host}]" if ":" in host else host
    print(f"phiwall mock upstream listening on http://{shown}:{actual_port}/v1", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT or SIGTERM."""
    import asyncio

    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency off Windows
        loop_factory = None
    else:
        loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(_serve(args.host, args.port, args.max_recorded))
    return 0
