"""The mock's text and wire chunkings: every cut reassembles to its input."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phiwall.mock_upstream.chunking import TEXT_CHUNKINGS, WireCutter, split_text

chunkings = st.one_of(
    st.sampled_from(TEXT_CHUNKINGS),
    st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=5),
)
wires = st.one_of(
    st.sampled_from(["event", "bytes", "random"]),
    st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=5),
)
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=200) | st.sampled_from(
    ["Hi [NAME_1], call [PHONE_2] or [NAME_10].", "[DATE_1][SSN_1]", "  spaced  out  "]
)


@given(text=texts, chunking=chunkings, seed=st.integers(0, 2**32))
def test_every_text_chunking_reassembles(text: str, chunking: str | list[int], seed: int) -> None:
    """Joining the pieces gives the text back, and no piece is empty."""
    pieces = split_text(text, chunking, seed)
    assert "".join(pieces) == text
    assert all(pieces)


def test_chars_gives_one_character_per_piece() -> None:
    """`chars` streams one character per delta."""
    assert split_text("ab [X_1]", "chars") == ["a", "b", " ", "[", "X", "_", "1", "]"]


def test_words_keep_trailing_whitespace() -> None:
    """`words` cuts after each word's trailing whitespace, leading whitespace on its own."""
    assert split_text("  my name is  Sarah", "words") == ["  ", "my ", "name ", "is  ", "Sarah"]


def test_tokens_cuts_every_token_inside() -> None:
    """`tokens` never leaves a bracketed token whole in one piece."""
    text = "Hello [NAME_1], your number [PHONE_12] is ok [A]"
    pieces = split_text(text, "tokens")
    assert not any(re.search(r"\[[A-Z_0-9]+\]", piece) for piece in pieces)
    assert "[" in pieces  # the opening bracket alone


def test_explicit_sizes_are_cycled() -> None:
    """A list of sizes gives pieces of those lengths in turn, the last one shorter."""
    assert split_text("abcdefghij", [1, 3]) == ["a", "bcd", "e", "fgh", "i", "j"]


def test_random_depends_only_on_the_seed() -> None:
    """The same seed gives the same cut; another seed gives another cut."""
    text = "You said: my name is [NAME_1] and my phone is [PHONE_1]. " * 3
    assert split_text(text, "random", 7) == split_text(text, "random", 7)
    assert split_text(text, "random", 7) != split_text(text, "random", 8)


def test_empty_text_has_no_pieces() -> None:
    """Nothing to stream gives no content delta at all."""
    assert split_text("", "words") == []


@pytest.mark.parametrize("chunking", ["lines", [], [0], [2, -1]])
def test_unknown_chunking_is_rejected(chunking: str | list[int]) -> None:
    """A chunking that is not a known name nor a list of positive sizes is an error."""
    with pytest.raises(ValueError, match="chunk"):
        split_text("abc", chunking)


@given(
    events=st.lists(st.binary(min_size=1, max_size=80), max_size=12),
    wire=wires,
    seed=st.integers(0, 1000),
)
def test_every_wire_cut_reassembles(events: list[bytes], wire: str | list[int], seed: int) -> None:
    """Whatever the wire cut, the writes concatenate to the events, none empty."""
    cutter = WireCutter(wire, seed)
    writes = [w for event in events for w in cutter.feed(event)] + cutter.flush()
    assert b"".join(writes) == b"".join(events)
    assert all(writes)


def test_event_wire_writes_each_event_once() -> None:
    """`event` is what real servers do: one write per event."""
    cutter = WireCutter("event")
    assert cutter.feed(b"data: 1\n\n") == [b"data: 1\n\n"]
    assert cutter.flush() == []


def test_sized_wire_cuts_across_events() -> None:
    """Sizes cut regardless of event boundaries and carry the remainder over."""
    cutter = WireCutter([4])
    assert cutter.feed(b"abcdef") == [b"abcd"]
    assert cutter.feed(b"ghij") == [b"efgh"]
    assert cutter.flush() == [b"ij"]


def test_bytes_wire_splits_utf8_characters() -> None:
    """`bytes` cuts inside multi-byte UTF-8 characters too."""
    cutter = WireCutter("bytes")
    assert cutter.feed("é".encode()) == [b"\xc3", b"\xa9"]


def test_unknown_wire_is_rejected() -> None:
    """A wire cut that is not known is an error."""
    with pytest.raises(ValueError, match="wire"):
        WireCutter("lines")
