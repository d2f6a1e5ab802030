"""Values to tokens: `[LABEL_N]`, numbered per label by first appearance."""

from __future__ import annotations

import re

from phiwall.detect.span import LABELS
from phiwall.masking.cache import Value

#: A label as `Rehydrator` reads it (words of A-Z joined by "_"): no escaping needed anywhere.
_LABEL = re.compile(r"[A-Z]+(?:_[A-Z]+)*\Z")
#: The detector's labels: accepted without the regex.
KNOWN_LABELS = frozenset(LABELS)


def check_label(label: str) -> None:
    """Raise `ValueError` unless `label` can be written inside a token as it is."""
    if label not in KNOWN_LABELS and not (isinstance(label, str) and _LABEL.match(label)):
        raise ValueError("detector returned a label that is not a token label")


class TokenTable:
    """The tokens of one request.

    Values are identified by `matching.normalize`: "Sarah Chen" and "sarah  chen"
    share one token, which stands for the spelling seen first (what `Rehydrator`
    puts back). A value keeps the label it was first found with. Every spelling
    seen is a needle, so "Sarah  Chen" (two spaces) found once is also masked, and
    checked for, where the detector missed it. Cost: a few dict operations per
    value; memory: proportional to the values added.
    """

    __slots__ = ("_counts", "needles", "table")

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        #: canonical token -> original value: the input of `Rehydrator`.
        self.table: dict[str, str] = {}
        #: folded spelling (and key) to search for -> canonical token. Only ever
        #: grows, in insertion order (a copy too): the needles a copy added come last.
        self.needles: dict[str, str] = {}

    def add(self, value: Value) -> str:
        """Return the token of `value` (labels checked by `check_label`), creating it
        if its key is new.

        A spelling already in `needles` needs no call: its token is `needles[needle]`.
        """
        needles = self.needles
        token = needles.get(value.key)
        if token is None:
            number = self._counts.get(value.label, 0) + 1
            self._counts[value.label] = number
            token = f"[{value.label}_{number}]"
            self.table[token] = value.raw
            needles[value.key] = token
        needles.setdefault(value.needle, token)
        return token

    def copy(self) -> TokenTable:
        """An independent copy, to extend without changing this one. O(values)."""
        other = TokenTable()
        other._counts = dict(self._counts)
        other.table = dict(self.table)
        other.needles = dict(self.needles)
        return other

    def counts(self) -> dict[str, int]:
        """Distinct values per label."""
        return dict(self._counts)
