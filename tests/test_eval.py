"""Quality gate: `phiwall scan` on the dev corpus, scored by the shared scorer.

Fails below 0.97 leak recall or 0.90 precision (the targets are 0.99 / 0.95; the margin
keeps the gate about regressions, not noise).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

MIN_LEAK_RECALL = 0.97
MIN_PRECISION = 0.90


@pytest.mark.slow
def test_dev_corpus_quality(shared_dir: Path, tmp_path: Path) -> None:
    gold = shared_dir / "eval" / "dev.jsonl"
    pred = tmp_path / "pred.jsonl"
    with gold.open("rb") as stdin, pred.open("wb") as stdout:
        subprocess.run(
            [sys.executable, "-m", "phiwall", "scan"], stdin=stdin, stdout=stdout, check=True
        )
    scored = subprocess.run(
        [sys.executable, str(shared_dir / "eval" / "score.py"), str(gold), str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(scored.stdout)
    summary = f"leak recall {report['leak_recall']:.4f}, precision {report['precision']:.4f}"
    assert report["leak_recall"] >= MIN_LEAK_RECALL, summary
    assert report["precision"] >= MIN_PRECISION, summary
