"""The background event writer: batching, bounding, flushing, surviving failures."""

from __future__ import annotations

import threading

import pytest

from phiwall.store.event import TurnEvent
from phiwall.store.writer import EventWriter


def event(number: int) -> TurnEvent:
    return TurnEvent(agent_id="agt_1", session_id="s", at=float(number), status=200)


class GatedSink:
    """A sink whose first call waits until `open()`, recording every batch."""

    def __init__(self, fail: bool = False) -> None:
        self.batches: list[list[int]] = []
        self.entered = threading.Event()
        self._gate = threading.Event()
        self._fail = fail

    def __call__(self, batch: list[TurnEvent]) -> None:
        self.entered.set()
        self._gate.wait(timeout=30)
        self.batches.append([int(item.at) for item in batch])
        if self._fail:
            raise OSError("disk full")

    def open(self) -> None:
        self._gate.set()


def started(sink: GatedSink, **options: int) -> EventWriter:
    """A writer whose thread holds event 0 inside the sink, so the queue is empty."""
    writer = EventWriter(sink, **options)
    writer.submit(event(0))
    assert sink.entered.wait(timeout=30)
    return writer


def test_close_writes_everything_in_bounded_batches() -> None:
    sink = GatedSink()
    writer = started(sink, batch_size=3)
    for number in range(1, 8):
        assert writer.submit(event(number))
    sink.open()
    writer.close()
    assert sink.batches == [[0], [1, 2, 3], [4, 5, 6], [7]]
    assert (writer.written, writer.dropped) == (8, 0)


def test_a_full_queue_drops_and_counts_instead_of_waiting() -> None:
    sink = GatedSink()
    writer = started(sink, max_pending=4)
    accepted = [writer.submit(event(number)) for number in range(1, 8)]
    assert accepted == [True] * 4 + [False] * 3
    assert writer.dropped == 3
    sink.open()
    writer.close()
    assert [number for batch in sink.batches for number in batch] == [0, 1, 2, 3, 4]
    assert writer.written == 5


def test_a_failing_sink_loses_its_batch_but_not_the_writer(caplog: pytest.LogCaptureFixture):
    sink = GatedSink(fail=True)
    writer = started(sink)
    writer.submit(event(1))
    sink.open()
    writer.close()
    assert (writer.written, writer.dropped) == (0, 2)
    assert "disk full" not in caplog.text  # the error's type only, never its text


def test_submitting_after_close_is_counted_as_dropped() -> None:
    sink = GatedSink()
    sink.open()
    writer = EventWriter(sink)
    writer.close()
    writer.close()  # idempotent
    assert writer.submit(event(1)) is False
    assert writer.dropped == 1


def test_events_of_one_linger_are_written_in_one_batch() -> None:
    batches: list[list[int]] = []
    writer = EventWriter(lambda batch: batches.append([int(e.at) for e in batch]), linger=0.5)
    for number in range(3):
        assert writer.submit(event(number))  # all within the writer's linger
    writer.close()
    assert batches == [[0, 1, 2]]


def test_without_linger_the_writer_takes_what_is_queued_at_once() -> None:
    sink = GatedSink()
    writer = started(sink, linger=0)
    assert writer.submit(event(1))
    sink.open()
    writer.close()
    assert sink.batches == [[0], [1]]
