"""`phiwall.masking.checkpoints`: bounded, verified conversation checkpoints."""

from __future__ import annotations

from typing import Any

import pytest

from phiwall.masking import checkpoints
from phiwall.masking.checkpoints import Checkpoint, Checkpoints
from phiwall.masking.table import TokenTable


def messages(*texts: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text} for text in texts]


def point(found: list[dict[str, Any]], chars: int = 1, request: Any = None) -> Checkpoint:
    definitions = checkpoints.definitions(request or {})
    masked = {"messages": found}
    return Checkpoint(found, masked, definitions, (), TokenTable(), "x" * chars, "")


def test_the_longest_stored_prefix_is_found_and_verified(monkeypatch: pytest.MonkeyPatch) -> None:
    store = Checkpoints(10)
    turn = messages("a", "b", "c", "d")
    for length in (1, 3):
        store.keep(point(turn[:length]))
    assert store.find({}, turn) == (3, store.find({}, turn)[1])
    assert store.find({}, turn)[1].messages == turn[:3]
    other = messages("a", "B", "c", "d")
    assert store.find({}, other)[0] == 1
    # Other tool definitions: never resumed.
    assert store.find({"tools": []}, turn) is None
    # A key that matches but messages that do not: never trusted.
    monkeypatch.setattr(checkpoints, "key", lambda messages, length: 0)
    assert store.find({}, messages("z")) is None


def test_key_order_matters_only_where_walk_reads_in_key_order() -> None:
    store = Checkpoints(10)
    first = [{"role": "user", "content": "a", "x": "1", "y": "2"}]
    store.keep(
        Checkpoint(
            first, {"messages": first}, b"{}", ((0, _slots(first[0])),), TokenTable(), "", ""
        )
    )
    assert store.find({}, [{"role": "user", "content": "a", "x": "1", "y": "2"}]) is not None
    assert store.find({}, [{"role": "user", "content": "a", "y": "2", "x": "1"}]) is None


def _slots(message: dict[str, Any]) -> list[Any]:
    from phiwall.masking import walk

    return walk.message_slots(message, 0)


def test_the_count_and_character_bounds_evict_the_least_recently_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(checkpoints, "MAX_CHARS", 90)
    store = Checkpoints(2)
    for key in range(3):
        store.keep(point(messages(str(key))))
    assert len(store) == 2
    store.keep(point(messages("big"), chars=30))  # counts 90: evicts both others
    assert len(store) == 1
    store.keep(point(messages("huge"), chars=40))  # over the bound alone: not kept
    assert len(store) == 1


def test_zero_keeps_nothing() -> None:
    store = Checkpoints(0)
    store.keep(point(messages("a")))
    assert len(store) == 0
    with pytest.raises(ValueError, match="checkpoint count"):
        Checkpoints(-1)
