"""Agents managed with the CLI while `phiwall serve` runs: a new agent starts working, a
deleted one answers 404 `agent_not_found`, without restarting the server."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import openai

from phiwall.mock_upstream.process import MockUpstreamProcess

MESSAGES = [{"role": "user", "content": "hello"}]


def _phiwall(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "phiwall", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def _status(base: str) -> int:
    """The HTTP status of one turn on `base`."""
    client = openai.OpenAI(base_url=base, api_key="x", max_retries=0)
    try:
        client.chat.completions.create(model="mock-model", messages=MESSAGES)
    except openai.APIStatusError as error:
        return error.status_code
    return 200


def _wait_for_status(base: str, status: int, timeout: float = 15.0) -> int:
    """Poll (bounded) until a turn on `base` answers `status`; the last status seen."""
    deadline = time.monotonic() + timeout
    seen = _status(base)
    while seen != status and time.monotonic() < deadline:
        time.sleep(0.2)
        seen = _status(base)
    return seen


def test_create_then_delete_while_serving(
    mock: MockUpstreamProcess, proxy: str, store_dir: Path
) -> None:
    """Created: served (200). Deleted: 404. Both picked up by the running server."""
    db = str(store_dir / "phiwall.db")
    created = _phiwall(
        "agents", "create", "--db", db, "--name", "late", "--upstream", mock.base_url, "--json"
    )  # fmt: skip
    agent_id = json.loads(created)["id"]
    base = f"{proxy}/proxy/{agent_id}/v1"
    assert _wait_for_status(base, 200) == 200
    assert agent_id in _phiwall("agents", "list", "--db", db, "--json")
    _phiwall("agents", "delete", "--db", db, agent_id)
    assert _wait_for_status(base, 404) == 404
