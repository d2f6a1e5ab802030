"""The access log of `phiwall serve` (issue 4 §7): one JSON line per request with agent,
session, status, stage timings and entity counts, and never any content: no PHI, no masked
text, no keys, no full agent id."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import openai
import pytest

PHI = ["Rosalind Okafor", "617-555-0143", "rosalind.okafor@example.org", "234-56-7890"]
TEXT = (
    "my name is Rosalind Okafor, phone 617-555-0143, email rosalind.okafor@example.org, "
    "SSN 234-56-7890"
)


def _lines_of(log: Path, session: str, count: int) -> list[dict[str, Any]]:
    """The JSON log lines of `session`, waiting (bounded) until `count` of them are there."""
    deadline = time.monotonic() + 10
    while True:
        lines = []
        for raw in log.read_text(errors="replace").splitlines():
            if raw.startswith("{"):
                record = json.loads(raw)
                if record.get("session") == session:
                    lines.append(record)
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def test_one_line_per_request_without_content(
    proxy_log: Path, demo_base: str, agents: dict[str, str], default_agent: str
) -> None:
    """Three turns (complete, stream, upstream error) give three content-free JSON lines."""
    session = f"log-{uuid.uuid4().hex[:12]}"
    base = demo_base.replace("/s/e2e-session/", f"/s/{session}/")
    client = openai.OpenAI(base_url=base, api_key="sk-platform-log-secret", max_retries=0)
    messages = [{"role": "user", "content": TEXT}]
    client.chat.completions.create(model="mock-model", messages=messages)
    list(client.chat.completions.create(model="mock-model", messages=messages, stream=True))
    with pytest.raises(openai.InternalServerError):
        client.chat.completions.create(
            model="mock-model",
            messages=messages,
            extra_body={"mock": {"error": {"status": 500, "message": "boom"}}},
        )

    lines = _lines_of(proxy_log, session, 3)
    assert [(line["status"], line["stream"]) for line in lines] == [
        (200, False),
        (200, True),
        (502, False),
    ]
    for line in lines:
        assert line["route"] == "chat"
        assert line["model"] == "mock-model"
        assert line["entities"]
        assert sum(line["entities"].values()) >= len(PHI)
        assert all(isinstance(v, int) and v >= 0 for v in line["timings_us"].values())
        assert "total" in line["timings_us"]

    log = proxy_log.read_text(errors="replace")
    assert [value for value in PHI if value.lower() in log.lower()] == []
    assert "sk-platform-log-secret" not in log
    assert "sk-default-upstream-e2e" not in log
    assert "[NAME_1]" not in log  # not even the masked text
    json_lines = "\n".join(line for line in log.splitlines() if line.startswith("{"))
    assert all(agent_id not in json_lines for agent_id in [default_agent, *agents.values()])
