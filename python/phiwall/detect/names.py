"""Placeholder: finder for names (owned by the gazetteer work)."""

from phiwall.detect.candidate import Candidate


def find(text: str) -> list[Candidate]:
    """Return candidate spans in `text`."""
    return []
