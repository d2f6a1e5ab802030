"""The PHI-leak check: did any raw value of the benchmark reach the upstream through phiwall?

The mock upstream records every request it receives, tagged by target. After a phase, the
records of phiwall's requests are searched for every raw PHI value the phase's requests
contained (Aho-Corasick over all values at once, matches at word boundaries only, case
as written). One hit is a leak.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ahocorasick
import aiohttp
from benches.load.patients import Phi

MAX_EXAMPLES = 5
CONTEXT = 40  # characters of masked text shown each side of a leaked value


@dataclass
class LeakReport:
    """How many recorded requests were searched, every leaked value found in them, and a
    few of them in context (the values are synthetic, so showing them is harmless)."""

    checked: int = 0
    leaks: list[Phi] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    def by_label(self) -> dict[str, int]:
        """Leaked values counted per label."""
        return dict(Counter(phi.label for phi in self.leaks))

    def merge(self, other: LeakReport) -> None:
        """Add `other`'s counts and leaks to this report."""
        self.checked += other.checked
        self.leaks.extend(other.leaks)
        self.examples.extend(other.examples[: MAX_EXAMPLES - len(self.examples)])


class LeakFinder:
    """Finds any of a set of raw PHI values in text.

    Building costs O(total length of the values); `find` costs O(len(text) + matches).
    """

    def __init__(self, values: Iterable[Phi]) -> None:
        self._automaton = ahocorasick.Automaton()
        for phi in values:
            self._automaton.add_word(phi.text, phi)
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, Phi]]:
        """Every value that occurs in `text` between word boundaries, with its start."""
        if self._empty:
            return []
        found = []
        for end, phi in self._automaton.iter(text):
            start = end - len(phi.text) + 1
            before = text[start - 1] if start > 0 else " "
            after = text[end + 1] if end + 1 < len(text) else " "
            # "Mei" inside "Meier" or "4155" inside "41555" is not that value.
            if not (_is_word(before) or _is_word(after)):
                found.append((start, phi))
        return found


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"


def strings_of(value: Any) -> Iterator[str]:
    """Every string in a decoded JSON document, keys included, depth first."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item)


def check_records(records: Iterable[dict[str, Any]], finder: LeakFinder) -> LeakReport:
    """Search each mock record's body (decoded; its raw text if it was not JSON)."""
    report = LeakReport()
    for record in records:
        report.checked += 1
        body = record.get("body")
        texts = strings_of(body) if body is not None else [str(record.get("raw", ""))]
        for text in texts:
            for start, phi in finder.find(text):
                report.leaks.append(phi)
                if len(report.examples) < MAX_EXAMPLES:
                    end = start + len(phi.text)
                    context = text[max(0, start - CONTEXT) : end + CONTEXT]
                    report.examples.append(f"{phi.label} {phi.text!r} in …{context}…")
    return report


async def fetch_records(
    session: aiohttp.ClientSession, mock_base: str, tag: str
) -> list[dict[str, Any]]:
    """The mock's records of requests tagged `tag` (`GET /_mock/requests?tag=`).

    Costs the mock a decode of every kept request. Raises aiohttp.ClientError if the mock
    cannot be reached or answers an error.
    """
    async with session.get(f"{mock_base}/_mock/requests", params={"tag": tag}) as response:
        response.raise_for_status()
        records: list[dict[str, Any]] = await response.json()
        return records


async def clear_records(session: aiohttp.ClientSession, mock_base: str) -> None:
    """Forget everything the mock recorded (`DELETE /_mock/requests`)."""
    async with session.delete(f"{mock_base}/_mock/requests") as response:
        response.raise_for_status()
