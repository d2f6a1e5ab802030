"""Fixtures for the mock upstream's tests: one real `phiwall mock-upstream` process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess


@pytest.fixture(scope="session")
def mock_server() -> Iterator[MockUpstreamProcess]:
    """A mock upstream subprocess shared by this directory's tests."""
    with MockUpstreamProcess() as mock:
        yield mock


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """Async tests (`pytest.mark.anyio`) run on asyncio, like phiwall."""
    return "asyncio"
