"""benches/load/stages.py: phiwall's own work from its access log."""

from __future__ import annotations

import json
from pathlib import Path

from benches.load.stages import own_work_us, read_access_log, select, summarize_stages


def _line(session: str, status: int = 200, **timings: int) -> str:
    return json.dumps(
        {"at": 1.0, "route": "chat", "status": status, "session": session, "timings_us": timings}
    )


def test_access_log_lines_are_read_and_other_output_skipped(tmp_path: Path) -> None:
    log = tmp_path / "phiwall.log"
    log.write_text(
        "\n".join(
            [
                "phiwall: forwarding to http://127.0.0.1:1/v1",
                _line("rate-stream-s1", parse=10, mask=100, encode=5, rehydrate=20, total=900),
                '{"route": "models", "status": 200}',
                "{not json",
                _line("sat-stream-s1", parse=1),
            ]
        )
        + "\n"
    )
    records = read_access_log(log)
    assert [r["session"] for r in records] == ["rate-stream-s1", "sat-stream-s1"]
    assert own_work_us(records[0]) == 135.0  # total and the upstream wait are not own work
    assert select(records, "rate-stream-") == [records[0]]


def test_failed_requests_are_not_selected() -> None:
    records = [json.loads(_line("rate-stream-a", status=502, parse=1))]
    assert select(records, "rate-stream-") == []


def test_summaries_per_stage_and_own_work() -> None:
    records = [
        json.loads(_line("p-a", parse=10, mask=100)),
        json.loads(_line("p-b", parse=30, mask=300, rehydrate=10)),
    ]
    summaries = summarize_stages(records)
    assert summaries["parse"].p50 == 20.0
    assert summaries["rehydrate"].n == 1
    assert summaries["own_work"].max == 340.0
