"""`phiwall.masking.checkpoints`: bounded, verified conversation checkpoints."""

from __future__ import annotations

import pytest

from phiwall.masking import checkpoints
from phiwall.masking.checkpoints import Checkpoint, Checkpoints, chain
from phiwall.masking.table import TokenTable
from phiwall.masking.walk import TEXT, Slot


def slots(*texts: str) -> list[Slot]:
    return [Slot(("messages", i, "content"), TEXT, text) for i, text in enumerate(texts)]


def point(found: list[Slot], chars: int = 1) -> Checkpoint:
    return Checkpoint(tuple(found), TokenTable(), frozenset(), (), "x" * chars, "")


def test_the_longest_stored_prefix_is_found_and_verified() -> None:
    store = Checkpoints(10)
    turn = slots("a", "b", "c", "d")
    for length in (1, 3):
        store.keep(chain(turn[:length])[length], point(turn[:length]))
    assert store.find(turn, chain(turn)) == (3, store.find(turn, chain(turn))[1])
    assert store.find(turn, chain(turn))[1].slots == tuple(turn[:3])
    other = slots("a", "B", "c", "d")
    assert store.find(other, chain(other))[0] == 1
    # A key that matches but slots that do not: never trusted.
    assert store.find(slots("z"), [0, chain(turn[:1])[1]]) is None


def test_the_count_and_character_bounds_evict_the_least_recently_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(checkpoints, "MAX_CHARS", 90)
    store = Checkpoints(2)
    for key in range(3):
        store.keep(key, point(slots(str(key))))
    assert len(store) == 2
    store.keep(9, point(slots("big"), chars=30))  # counts 90: evicts both others
    assert len(store) == 1
    store.keep(10, point(slots("huge"), chars=40))  # over the bound alone: not kept
    assert len(store) == 1


def test_zero_keeps_nothing() -> None:
    store = Checkpoints(0)
    store.keep(1, point(slots("a")))
    assert len(store) == 0
    with pytest.raises(ValueError, match="checkpoint count"):
        Checkpoints(-1)
