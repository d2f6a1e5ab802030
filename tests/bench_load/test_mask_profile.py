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
