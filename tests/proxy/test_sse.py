"""The incremental SSE decoder: any split of the bytes gives the same events."""

from __future__ import annotations

import random

import pytest

from phiwall.proxy.sse import ServerSentEvent, SSEDecoder

STREAM = (
    b'data: {"a": "caf\xc3\xa9"}\n\n'
    b": keep-alive comment\n\n"
    b"event: error\nid: 7\ndata: first line\ndata: second line\n\n"
    b"data:no-space\n\n"
    b"data: [DONE]\n\n"
)
EXPECTED = [
    ServerSentEvent(b'{"a": "caf\xc3\xa9"}'),
    ServerSentEvent(b"first line\nsecond line", event=b"error", id=b"7"),
    ServerSentEvent(b"no-space"),
    ServerSentEvent(b"[DONE]"),
]


def decode_in_pieces(data: bytes, sizes: list[int]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    position = 0
    for size in sizes:
        events += decoder.feed(data[position : position + size])
        position += size
    events += decoder.feed(data[position:])
    return events + decoder.flush()


def test_whole_stream() -> None:
    assert decode_in_pieces(STREAM, []) == EXPECTED


def test_one_byte_at_a_time() -> None:
    assert decode_in_pieces(STREAM, [1] * len(STREAM)) == EXPECTED


@pytest.mark.parametrize("seed", range(20))
def test_random_splits(seed: int) -> None:
    rng = random.Random(seed)
    sizes = [rng.randint(1, 9) for _ in range(len(STREAM))]
    assert decode_in_pieces(STREAM, sizes) == EXPECTED


@pytest.mark.parametrize("ending", [b"\r\n", b"\r", b"\n"])
def test_every_line_ending_even_split_between_cr_and_lf(ending: bytes) -> None:
    data = STREAM.replace(b"\n", ending)
    assert decode_in_pieces(data, [1] * len(data)) == EXPECTED
    assert decode_in_pieces(data, []) == EXPECTED


def test_unterminated_last_event_comes_out_on_flush() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: tail") == []
    assert decoder.flush() == [ServerSentEvent(b"tail")]
    assert decoder.flush() == []


def test_non_json_data_is_kept_as_is() -> None:
    (event,) = decode_in_pieces(b"data: <html>oops</html>\n\n", [])
    assert event.data == b"<html>oops</html>"


def test_encode_round_trips() -> None:
    wire = b"".join(event.encode() for event in EXPECTED)
    assert decode_in_pieces(wire, []) == EXPECTED


def test_retry_and_unknown_fields() -> None:
    (event,) = decode_in_pieces(b"retry: 100\nfoo: bar\ndata: x\n\n", [])
    assert event == ServerSentEvent(b"x", retry=b"100")
