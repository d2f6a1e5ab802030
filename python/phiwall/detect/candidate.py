"""A detection candidate: a span with a confidence, before overlaps are resolved."""

from typing import NamedTuple


class Candidate(NamedTuple):
    """`text[start:end]` may be a `label` value with confidence `score` in [0, 1]."""

    start: int
    end: int
    label: str
    score: float
