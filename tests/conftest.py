"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` beside the clone (or `$PHIWALL_SHARED`): DESIGN.md and eval/."""
    path = Path(os.environ.get("PHIWALL_SHARED", REPO.parent / "shared"))
    if not (path / "eval" / "dev.jsonl").exists():
        pytest.fail(f"the shared eval corpus is missing at {path}/eval/dev.jsonl")
    return path
