"""benches/load/plot.py: the PNG is drawn from a run's samples."""

from __future__ import annotations

from pathlib import Path

import pytest
from benches.load.plot import plot

from .test_analysis import _run


def test_plot_writes_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "load.png"
    plot(_run().phases, path, 100.0)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
