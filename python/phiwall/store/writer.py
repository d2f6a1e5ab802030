"""Background, batched writing of turn events, so that recording one never blocks a request.

`EventWriter.submit` puts the event on a bounded queue (~1 µs, never waits). A daemon
thread takes events off the queue and hands them to a sink function in batches: one
transaction per batch instead of one per turn. Having taken an event, the thread lingers
(`linger`, 50 ms) before draining the queue, so that at a steady request rate it wakes and
writes once per batch, not once per turn: the worker's interpreter lock and CPU go to
requests instead. When the queue is full — the disk is
slower than the traffic — new events are dropped and counted in `dropped`; the proxy
keeps answering. A sink that raises loses that batch (counted in `dropped` too) and is
logged without the events' content.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from phiwall.store.event import TurnEvent

log = logging.getLogger(__name__)

Sink = Callable[[list[TurnEvent]], None]


class EventWriter:
    """A bounded queue of events drained by one background thread into `sink`.

    `max_pending` bounds memory (events waiting to be written); `batch_size` bounds one
    call to `sink`; `linger` is how long the thread waits after the first event of a
    batch (events reach the store at most that much later). `close` writes everything
    already queued, then stops the thread.
    """

    def __init__(
        self,
        sink: Sink,
        *,
        max_pending: int = 10_000,
        batch_size: int = 500,
        linger: float = 0.05,
    ) -> None:
        self._sink = sink
        self._batch_size = batch_size
        self._linger = linger
        self._queue: queue.Queue[TurnEvent | None] = queue.Queue(maxsize=max_pending)  # None: stop
        self._closed = False
        self._refused = 0  # counted on the submitting thread
        self._lost = 0  # counted on the writer thread
        self.written = 0
        self._thread = threading.Thread(target=self._run, name="phiwall-event-writer", daemon=True)
        self._thread.start()

    @property
    def dropped(self) -> int:
        """Events not written: refused while the queue was full or closed, or lost by the sink."""
        return self._refused + self._lost

    def submit(self, event: TurnEvent) -> bool:
        """Queue `event` for writing; False (and counted in `dropped`) if full or closed."""
        if self._closed:
            self._refused += 1
            return False
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            self._refused += 1
            return False
        return True

    def close(self) -> None:
        """Write every queued event, then stop the thread; blocks until done. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)  # may wait for room: the thread is draining
        self._thread.join()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch: list[TurnEvent] = []
            item = self._queue.get()
            if item is not None and self._linger > 0:
                time.sleep(self._linger)  # let the next events arrive: one wake-up per batch
            while item is not None:
                batch.append(item)
                if len(batch) >= self._batch_size:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            stopping = item is None
            if batch:
                self._write(batch)

    def _write(self, batch: list[TurnEvent]) -> None:
        try:
            self._sink(batch)
        except Exception as error:  # the writer must outlive a failing disk
            self._lost += len(batch)
            log.warning("dropped %d turn events: %s", len(batch), type(error).__name__)
        else:
            self.written += len(batch)
