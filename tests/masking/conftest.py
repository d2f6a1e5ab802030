"""The repository root on `sys.path`: the parity tests replay the benchmarks' requests
(`benches.*`) and reuse the property tests' strategies (`tests.masking.*`)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
