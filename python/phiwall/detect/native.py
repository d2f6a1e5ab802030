"""The native detector (`rust/detect`), built once from the gazetteers' data and the
patterns of `patterns.NATIVE_KINDS`, which it scans itself (in `spans_from_reports`).

`detector()` costs about 100 ms to build, once per process (`engine.warm()` pays it at
start-up). It reads ASCII text only: the engine sends every other text to the Python
finders.
"""

from __future__ import annotations

from functools import cache

from phiwall import _native
from phiwall.detect import gazetteer, patterns


@cache
def detector() -> _native.Detector:
    """The process's native detector; raises if the gazetteer data is missing (broken wheel)."""
    return _native.Detector(
        gazetteer.lexicon(), list(gazetteer.drug_endings()), patterns.native_patterns()
    )
