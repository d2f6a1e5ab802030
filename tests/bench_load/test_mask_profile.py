"""benches/load/mask_profile.py: the in-process measurement runs and reports its lines."""

from __future__ import annotations

import pytest
from benches.load import mask_profile


def test_a_small_measurement_prints_cpu_and_wall_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert mask_profile.main(["--count", "20", "--gap", "1"]) == 0
    out = capsys.readouterr().out
    assert "mask back to back, CPU" in out
    assert "mask paced 1 ms, wall" in out
    assert "detect(last user text), CPU" in out


def test_cold_detection_reports_each_component_in_three_columns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert mask_profile.main(["--count", "6", "--gap", "1", "--cold"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("after a pause of 1 ms"))
    rows = lines[header + 1 : header + 5]
    assert [row.split("  ")[0] for row in rows] == [
        "pattern scan (lazy DFA)",
        "gazetteer scan + spelling",
        "gazetteer scan + names",
        "all of detection",
    ]
    for row in rows:
        assert len([float(v) for v in row.removesuffix(" µs").split()[-3:]]) == 3
