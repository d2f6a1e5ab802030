"""Values to tokens: `[LABEL_N]`, numbered per label by first appearance."""

from __future__ import annotations

import re

from phiwall.masking.cache import Value
from phiwall.masking.matching import normalize

#: A label as `Rehydrator` reads it (words of A-Z joined by "_"): no escaping needed anywhere.
_LABEL = re.compile(r"[A-Z]+(?:_[A-Z]+)*\Z")


class TokenTable:
    """The tokens of one request.

    Values are identified by `matching.normalize`: "Sarah Chen" and "sarah  chen"
    share one token, which stands for the spelling seen first (what `Rehydrator`
    puts back). A value keeps the label it was first found with. Cost: a few
    dict operations per value; memory: proportional to the values added.
    """

    __slots__ = ("_by_key", "_counts", "needles", "table")

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        #: canonical token -> original value: the input of `Rehydrator`.
        self.table: dict[str, str] = {}
        #: folded spelling to search for -> canonical token.
        self.needles: dict[str, str] = {}

    def add(self, value: Value) -> str:
        """Return the token of `value`, creating it if its key is new.

        Raises `ValueError` if its label could not be written safely inside a token.
        """
        token = self._by_key.get(value.key)
        if token is None:
            label, key, raw = value.label, value.key, value.raw
            if not _LABEL.match(label):
                raise ValueError("detector returned a label that is not a token label")
            number = self._counts.get(label, 0) + 1
            self._counts[label] = number
            token = f"[{label}_{number}]"
            self._by_key[key] = token
            self.table[token] = raw
            self.needles[key] = token
        # Every spelling seen is searched for, so "Sarah  Chen" (two spaces) found
        # once is also masked, and checked for, where the detector missed it.
        self.needles.setdefault(value.needle, token)
        return token

    def counts(self) -> dict[str, int]:
        """Distinct values per label."""
        return dict(self._counts)


__all__ = ["TokenTable", "normalize"]
