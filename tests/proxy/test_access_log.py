"""The access log's line format, and the upstream error messages it may quote."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading

import msgspec
import pytest

from phiwall.proxy import access_log
from phiwall.proxy.access_log import PIPE_BUF, AccessLog, AccessRecord, redact_agent_id
from phiwall.proxy.upstream import upstream_message


def test_one_json_line_per_record() -> None:
    read, write = os.pipe()
    try:
        log = AccessLog(write)
        log.write(AccessRecord(at=1.0, route="chat", status=200, timings_us={"mask": 12}))
        log.write(AccessRecord(at=2.0, route="health", status=200))
        lines = os.read(read, 65536).decode().splitlines()
    finally:
        os.close(read)
        os.close(write)
    assert [msgspec.json.decode(line)["route"] for line in lines] == ["chat", "health"]
    assert msgspec.json.decode(lines[0])["timings_us"] == {"mask": 12}


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """What each `write(2)` of the access log wrote, in order (the writes still happen)."""
    made: list[bytes] = []

    def recording_write(fd: int, data: bytes) -> int:
        made.append(bytes(data))
        return real_write(fd, data)

    real_write = os.write
    monkeypatch.setattr(access_log.os, "write", recording_write)
    return made


def test_in_an_event_loop_lines_wait_and_go_out_in_one_write(writes: list[bytes]) -> None:
    read, write = os.pipe()
    log = AccessLog(write, flush_delay=0.02)

    async def turns() -> int:
        for at in range(3):
            log.write(AccessRecord(at=float(at), route="chat", status=200))
        waiting = len(writes)
        await asyncio.sleep(0.1)  # past the delay: the timer flushed
        return waiting

    try:
        waiting = asyncio.run(turns())
        received = os.read(read, 65536)
    finally:
        os.close(read)
        os.close(write)
    assert waiting == 0
    assert writes == [received]  # one write(2) for the three lines
    assert [msgspec.json.decode(line)["at"] for line in received.splitlines()] == [0, 1, 2]


def test_a_batch_never_exceeds_pipe_buf_and_close_writes_the_rest(writes: list[bytes]) -> None:
    read, write = os.pipe()
    log = AccessLog(write, flush_delay=60.0)  # only a full batch or `close` writes
    record = AccessRecord(at=1.0, route="chat", status=200, timings_us={"mask": 12})
    line = len(msgspec.json.encode(record)) + 1
    count = 2 * (PIPE_BUF // line) + 1  # two full batches, and one line more

    async def turns() -> int:
        for _ in range(count):
            log.write(record)
        full = len(writes)
        log.close()
        log.write(record)  # after close: at once
        return full

    try:
        full = asyncio.run(turns())
        received = b""
        while len(received) < sum(map(len, writes)):
            received += os.read(read, 65536)
    finally:
        os.close(read)
        os.close(write)
    assert full == 2  # the batches that filled up; the last line waited for `close`
    assert len(writes) == 4
    assert all(len(chunk) <= PIPE_BUF and chunk.endswith(b"\n") for chunk in writes)
    assert received.count(b"\n") == count + 1
    assert log.dropped == 0


def test_a_closed_descriptor_drops_the_line_quietly() -> None:
    read, write = os.pipe()
    os.close(read)
    os.close(write)
    AccessLog(write).write(AccessRecord(at=1.0, route="chat", status=200))


def test_a_reader_that_stops_draining_never_blocks_the_writer() -> None:
    read, write = os.pipe()  # a blocking pipe, as stdout is
    log = AccessLog(write)
    record = AccessRecord(at=1.0, route="chat", status=200, timings_us={"mask": 12})
    done = threading.Event()

    def flood() -> None:
        for _ in range(2_000):  # ~150 KB: far beyond a pipe's 64 KB
            log.write(record)
        done.set()

    writer = threading.Thread(target=flood, daemon=True)
    writer.start()
    try:
        assert done.wait(timeout=10), "the writer blocked on the full pipe"
        assert 0 < log.dropped < 2_000
        os.set_blocking(read, False)  # the read end only: the writer's stays blocking
        kept = b""
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(read, 65536):
                kept += chunk
        assert len(kept) > 10_000
        # Whole lines only: none was cut when the pipe filled up.
        assert all(msgspec.json.decode(line)["route"] == "chat" for line in kept.splitlines())
        log.write(record)  # drained: lines get through again
        os.set_blocking(read, True)
        assert os.read(read, 65536).count(b"\n") == 1
    finally:
        os.close(write)  # unblocks a writer stuck in write(2), if the test failed
        writer.join(timeout=5)
        os.close(read)


def test_agent_ids_are_redacted() -> None:
    assert redact_agent_id("agt_01JABCDEFGHJKMNPQRSTVWXYZ") == "agt_…WXYZ"
    assert redact_agent_id(None) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"error": {"message": "quota exceeded", "type": "x"}}', "quota exceeded"),
        (b'{"error": "bad key"}', "bad key"),
        (b'{"message": "plain"}', "plain"),
        (b"Service Unavailable", "Service Unavailable"),
        (b"", "no error message"),
        (b"\xff\xfe", "\ufffd\ufffd"),
    ],
)
def test_upstream_messages(raw: bytes, message: str) -> None:
    assert upstream_message(raw) == message


def test_upstream_messages_are_bounded() -> None:
    assert len(upstream_message(b"x" * 10_000)) == 500
