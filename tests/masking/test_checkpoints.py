"""`phiwall.masking.checkpoints`: bounded, verified conversation checkpoints."""

from __future__ import annotations

from typing import Any

import pytest

from phiwall import _native
from phiwall.masking import checkpoints
from phiwall.masking.checkpoints import Checkpoint, Checkpoints
from phiwall.masking.table import TokenTable


def messages(*texts: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text} for text in texts]


def point(found: list[dict[str, Any]], chars: int = 1) -> Checkpoint:
    digest, shape = checkpoints.digest(found), checkpoints.definitions({})
    assert digest is not None
    assert shape is not None
    return Checkpoint(digest, shape, (), TokenTable(), "x" * chars, "")


def keep(store: Checkpoints, found: list[dict[str, Any]], chars: int = 1) -> None:
    store.keep(checkpoints.key(found, len(found)), point(found, chars))


@pytest.fixture(params=["native", "python"])
def implementation(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with `Checkpoints.find` native (when the extension has it) or Python."""
    if request.param == "python":
        monkeypatch.setattr(checkpoints, "_NATIVE_FIND", None)
    elif checkpoints._NATIVE_FIND is None:
        pytest.skip("the extension has no find_checkpoint")
    return str(request.param)


@pytest.mark.usefixtures("implementation")
def test_the_longest_stored_prefix_is_found_and_verified() -> None:
    store = Checkpoints(10)
    turn = messages("a", "b", "c", "d")
    for length in (1, 3):
        keep(store, turn[:length])
    assert store.find({}, turn) == (3, store.find({}, turn)[1])
    other = messages("a", "B", "c", "d")
    assert store.find({}, other)[0] == 1
    # Other tool definitions: never resumed.
    assert store.find({"tools": []}, turn) is None
    # A key that matches but messages that do not: never trusted.
    store.keep(checkpoints.key(messages("z"), 1), point(messages("y")))
    assert store.find({}, messages("z")) is None


@pytest.mark.usefixtures("implementation")
def test_only_the_newest_messages_may_be_new_and_a_hit_becomes_the_most_recent() -> None:
    store = Checkpoints(2)
    turn = messages(*"abcdefghijklmnopqrstuvwxyz")
    keep(store, turn[:2])
    keep(store, turn[:9])
    # 26 messages: prefixes of 26 down to 26 - MAX_NEW_MESSAGES are tried, 9 is not.
    assert store.find({}, turn) is None
    assert store.find({}, turn[:20]) == (9, store.find({}, turn[:9])[1])
    assert store.find({}, turn[:3])[0] == 2  # now the most recent: the next keep evicts 9
    keep(store, turn[:5])
    assert store.find({}, turn[:10])[0] == 5
    assert store.find({}, turn[:4])[0] == 2


@pytest.mark.usefixtures("implementation")
@pytest.mark.parametrize(
    ("stored", "later"),
    [
        pytest.param([{"role": "user"}], [{"role": "user"}, {"content": 1}], id="no texts"),
        pytest.param(["not a message"], ["not a message", "x"], id="not objects"),
        pytest.param([{"content": ["part"]}], [{"content": ["part"]}, {}], id="parts"),
    ],
)
def test_messages_without_text_are_keyed_and_found(stored: list[Any], later: list[Any]) -> None:
    store = Checkpoints(10)
    keep(store, stored)
    assert store.find({}, later) == (1, store.find({}, stored)[1])


@pytest.mark.usefixtures("implementation")
def test_what_json_cannot_hold_is_never_resumed() -> None:
    store = Checkpoints(10)
    keep(store, messages("a"))
    stored = store.find({}, messages("a"))
    assert store.find({}, [*messages("a"), {"content": object()}]) == stored
    assert store.find({"tools": [object()]}, messages("a", "b")) is None
    unencodable = [{"role": "user", "content": "a", "x": object()}]
    store.keep(checkpoints.key(unencodable, 1), point(messages("a")))
    assert store.find({}, unencodable) is None


@pytest.mark.usefixtures("implementation")
def test_key_order_and_types_count_and_later_changes_to_the_request_do_not() -> None:
    store = Checkpoints(10)
    first = [{"role": "user", "content": "a", "x": "1", "y": 1}]
    keep(store, first)
    first[0]["content"] = "changed after masking"  # the digest is of the request as masked
    assert store.find({}, [{"role": "user", "content": "a", "x": "1", "y": 1}]) is not None
    assert store.find({}, [{"role": "user", "content": "a", "y": 1, "x": "1"}]) is None
    assert store.find({}, [{"role": "user", "content": "a", "x": "1", "y": True}]) is None
    assert store.find({}, first) is None


def test_a_digest_chains_message_by_message() -> None:
    whole = checkpoints.digest(messages("a", "b", "c"))
    before = checkpoints.digest(messages("a"))
    assert whole is not None
    assert before is not None
    assert checkpoints.digest(messages("b", "c"), before) == whole
    assert checkpoints.digest([], before) == before
    assert checkpoints.digest(messages("a", "b")) != whole
    assert checkpoints.digest(messages("b", "c")) != whole  # the chain's start counts
    assert checkpoints.digest([object()]) is None  # not JSON data: never resumed


def test_the_count_and_character_bounds_evict_the_least_recently_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(checkpoints, "MAX_CHARS", 100)
    store = Checkpoints(2)
    for key in range(3):
        keep(store, messages(str(key)))
    assert len(store) == 2
    keep(store, messages("big"), chars=100)  # with the other two's 1 each: evicts both
    assert len(store) == 1
    keep(store, messages("huge"), chars=101)  # over the bound alone: not kept
    assert len(store) == 1


def test_zero_keeps_nothing() -> None:
    store = Checkpoints(0)
    keep(store, messages("a"))
    assert len(store) == 0
    with pytest.raises(ValueError, match="checkpoint count"):
        Checkpoints(-1)


@pytest.mark.skipif(not hasattr(_native, "word_filter"), reason="no extension")
def test_the_word_filter_grows_with_the_conversation_and_never_forgets() -> None:
    first = _native.word_filter(None, ["hi sarah chen", "hi [name_1]"])
    assert len(first) == 1024
    later = _native.word_filter(first, ["born 1985"])
    assert later != first
    # Every bit of the earlier filter is kept.
    assert all(a & b == a for a, b in zip(first, later, strict=True))
    assert _native.word_filter(later, []) == later
    assert _native.word_filter(b"", ["no filter before: none after"]) == b""
    assert _native.word_filter(first, ["a lone \ud800 surrogate"]) == b""


def test_a_masker_keeps_a_word_filter_with_each_checkpoint() -> None:
    from phiwall.mask import Masker

    masker = Masker()
    masker.mask({"model": "m", "messages": messages("I am Sarah Chen")})
    masker.settle()
    (point,) = masker._checkpoints._entries.values()
    assert len(point.words) == (1024 if hasattr(_native, "word_filter") else 0)
