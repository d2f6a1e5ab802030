"""Fixtures for the proxy's tests; the fakes and drivers live in `proxy_support`."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from proxy_support import MockUpstream, Proxy, make_proxy, running_mock_upstream


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def mock_upstream() -> AsyncIterator[MockUpstream]:
    """The mock upstream, in the test's event loop."""
    async with running_mock_upstream() as mock:
        yield mock


@pytest.fixture
async def proxy(mock_upstream: MockUpstream) -> AsyncIterator[Proxy]:
    """A proxy over fakes whose only agent forwards to the mock upstream."""
    built = await make_proxy(mock_upstream.base_url)
    try:
        yield built
    finally:
        await built.runtime.upstream.close()
