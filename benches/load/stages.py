"""phiwall's own work per turn, from the stage timings of its JSON access log.

Each access-log line carries `timings_us` — `read`, `parse`, `mask`, `encode` (the
forwarded body and the rehydrator: the forward set-up), `upstream_first_byte`,
`rehydrate`, `total`. phiwall's own work is the sum of the CPU stages
(parse + mask + encode + rehydrate); `read` (receiving the body), the upstream wait and
`total` are network time and excluded, but summarised too so the report can show where
the rest goes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import msgspec
from benches.load.stats import Summary, summarize

OWN_WORK_STAGES = ("parse", "mask", "encode", "rehydrate")

_decode = msgspec.json.Decoder().decode


def read_access_log(path: Path) -> list[dict[str, Any]]:
    """Every chat access-log line of a phiwall log file (other lines are skipped).

    O(file size). Raises OSError if the file cannot be read.
    """
    records = []
    with path.open("rb") as log:
        for line in log:
            if not line.startswith(b"{"):
                continue
            try:
                record = _decode(line)
            except msgspec.DecodeError:
                continue
            if isinstance(record, dict) and record.get("route") == "chat":
                records.append(record)
    return records


def own_work_us(record: dict[str, Any], stages: Sequence[str] = OWN_WORK_STAGES) -> float:
    """The sum of `stages` in one record's timings (a missing stage counts 0)."""
    timings = record.get("timings_us") or {}
    return float(sum(timings.get(stage, 0) for stage in stages))


def select(records: Iterable[dict[str, Any]], session_prefix: str) -> list[dict[str, Any]]:
    """The successful (200) records whose session starts with `session_prefix`."""
    return [
        record
        for record in records
        if record.get("status") == 200
        and str(record.get("session") or "").startswith(session_prefix)
    ]


def summarize_stages(records: Sequence[dict[str, Any]]) -> dict[str, Summary]:
    """Per stage name (µs), plus `own_work`: the distribution over `records`."""
    names = sorted({stage for record in records for stage in record.get("timings_us") or {}})
    summaries = {
        stage: summarize(
            [float(r["timings_us"][stage]) for r in records if stage in r["timings_us"]]
        )
        for stage in names
    }
    summaries["own_work"] = summarize([own_work_us(record) for record in records])
    return summaries
