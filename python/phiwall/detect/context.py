"""Per-text detection state: the cues found and the values accepted so far, in text order.

Finders ask `Context.label_for(start)` which label the words before a value give it:
the nearest cue before `start` if only glue words ("is", "my", "number", "uh") sit between,
or else the label of the value just before it when only fillers separate the two ("four one
five uh five five five": the second fragment continues the first). Finders call
`Context.accept` for every value they keep so the chain can follow it.

Each cue's reach (how far glue words extend after it) and the previous value's filler reach
are computed once, by one regex match each, so `label_for` is a bisection and two
comparisons. Never raises.

Public API (stable): `Context(text, extra_cues=None)` with `.text`, `.lower`, `.cues`,
`label_for`, `cue_before`, `cue_inside`, `chained`, `emit`, `accept`, `word_after`; `GLUE`.
"""

from __future__ import annotations

import bisect
import operator
import re

from phiwall.detect import cues as cue_table
from phiwall.detect.candidate import Candidate
from phiwall.detect.cues import Cue
from phiwall.detect.lexicon import FILLERS

_WORD = re.compile(r"[a-z0-9#'.]+")
# Words allowed between a cue and its value ("the card ending like in", "MRN is").
GLUE: frozenset[str] = FILLERS | {
    "are",
    "was",
    "as",
    "number",
    "#",
    "my",
    "your",
    "his",
    "her",
    "their",
    "our",
    "to",
    "verify",
    "file",
    "in",
    "of",
    "it",
    "be",
    "would",
    "will",
    "still",
    "now",
    "new",
    "just",
    "a",
    "an",
    "said",
    "says",
    "shows",
    "yeah",
    "yes",
    "sure",
    "here",
    "part",
    "b",
    "d",
    "id",
    "card",
    "code",
    "listed",
    "have",
    "has",
    "we",
    "got",
    "correct",
    "for",
    "by",
    "way",
    "that",
}
_new_candidate = tuple.__new__  # builds a Candidate without NamedTuple's Python-level __new__
CHAIN_GAP = 30  # a restart or filler is a few words at most
_BY_END_START = operator.itemgetter(1, 0)  # (cue.end, cue.start), read in C
_END = operator.itemgetter(1)  # cue.end, read in C


class Context:
    """Cues and accepted values for one text; see the module docstring."""

    __slots__ = (
        "_chain_reach",
        "_cue_ends",
        "_cue_reach",
        "_last_end",
        "_last_label",
        "cues",
        "lower",
        "text",
    )

    def __init__(self, text: str, extra_cues: list[Cue] | None = None) -> None:
        """Find the cues of `text`; `extra_cues` (any order) come from other finders."""
        self.text = text
        self.lower = _lower(text)
        self.cues: list[Cue] = cue_table.find(self.lower)
        if extra_cues:
            # A cue phrase inside another finder's value ("street" in "250 Oak Street") is
            # part of that value, not context for the next one: the value's own cue speaks.
            kept = [c for c in self.cues if not _within(c, extra_cues)]
            self.cues = sorted([*kept, *extra_cues], key=_BY_END_START)
        self._cue_ends = list(map(_END, self.cues))
        self._cue_reach: list[int] = [-1] * len(self.cues)  # -1: not computed yet
        self._last_end = -(10**9)
        self._chain_reach = self._last_end
        self._last_label: str | None = None

    def cue_before(self, start: int) -> Cue | None:
        """Return the nearest cue ending at or before `start` whose gap is glue only."""
        i = bisect.bisect_right(self._cue_ends, start) - 1
        if i < 0:
            return None
        cue = self.cues[i]
        reach = self._cue_reach[i]
        if reach < 0:
            reach = self._cue_reach[i] = _GLUE_RUN.match(self.lower, cue.end).end()
        if start - cue.end <= cue.max_gap and start <= reach:
            return cue
        return None

    def cue_inside(self, start: int, end: int) -> int:
        """Return the end of the last cue that ends inside `[start, end)`, or `start`."""
        i = bisect.bisect_right(self._cue_ends, end - 1) - 1
        if i >= 0 and self.cues[i].end > start:
            return self.cues[i].end
        return start

    def label_for(self, start: int) -> str | None:
        """Label the context gives a value at `start`: its cue's, or the chained value's."""
        cue = self.cue_before(start)
        if cue is not None and cue.end > self._last_end:
            return cue.label
        if self._last_label is not None and self.chained(start):
            return self._last_label
        return cue.label if cue is not None else None

    def chained(self, start: int) -> bool:
        """True if a value at `start` continues the previous value after a filler."""
        if not 0 < start - self._last_end <= CHAIN_GAP:
            return False
        if self._chain_reach < 0:
            self._chain_reach = _FILLER_RUN.match(self.lower, self._last_end).end()
        return start <= self._chain_reach

    def emit(self, out: list[Candidate], start: int, end: int, label: str, score: float) -> None:
        """Append a kept value to `out` and remember it for chaining (see `accept`)."""
        out.append(_new_candidate(Candidate, (start, end, label, score)))
        self.accept(end, label)

    def accept(self, end: int, label: str) -> None:
        """Record a kept value ending at `end` so a following fragment can chain to it."""
        self._last_end = end
        self._last_label = label
        self._chain_reach = -1  # computed on the first `chained` question

    def word_after(self, end: int) -> str:
        """The word right after `end` (lower-case), or "" at the end of the text."""
        m = _WORD.search(self.lower, end, end + 40)
        return m.group().rstrip(".'") if m else ""


def _within(cue: Cue, values: list[Cue]) -> bool:
    """True if `cue` lies inside one of `values` (cues that span another finder's value)."""
    return any(v.start <= cue.start and cue.end <= v.end for v in values)


def _run_of(words: frozenset[str]) -> re.Pattern[str]:
    """A regex matching a stretch of punctuation, spaces and `words` only (whole words)."""
    alt = "|".join(sorted((re.escape(w) for w in words), key=lambda w: (-len(w), w)))
    return re.compile(rf"(?:[^a-z0-9#']+|(?<![a-z0-9#'])(?:{alt})(?![a-z0-9#']))*")


_GLUE_RUN = _run_of(GLUE)
_FILLER_RUN = _run_of(FILLERS)


def _lower(text: str) -> str:
    """Lower-case `text` keeping every index (a few characters grow when lower-cased)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
