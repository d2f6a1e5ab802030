"""SQLite connections: one per thread, all to one file, in WAL mode.

WAL lets readers and one writer work at once, across threads and across Granian
worker processes that open the same file; writers queue on SQLite's lock for up to
`busy_timeout` seconds. The database file is created with mode 0600 (and its directory
0700) before SQLite opens it; SQLite gives its `-wal` and `-shm` files the same mode.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Connections:
    """Hands each thread its own connection to `path`, and closes them all on `close`."""

    def __init__(self, path: Path, *, busy_timeout: float = 5.0) -> None:
        self.path = path
        self._busy_timeout = busy_timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []
        self._closed = False
        create_private_file(path)

    def get(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use (~100 µs once, then free).

        Raises `sqlite3.Error` if the file cannot be opened, `RuntimeError` after `close`.
        """
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None:
            return connection
        with self._lock:
            if self._closed:
                raise RuntimeError("the store is closed")
            connection = self._open()
            self._all.append(connection)
        self._local.connection = connection
        return connection

    def close(self) -> None:
        """Close every connection opened so far. Call when no thread still uses them."""
        with self._lock:
            self._closed = True
            for connection in self._all:
                connection.close()
            self._all.clear()

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path,
            timeout=self._busy_timeout,
            isolation_level=None,  # autocommit; transactions are explicit BEGIN … COMMIT
            check_same_thread=False,  # used by one thread, but closed by `close`'s caller
        )
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        return connection


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 (parents 0700) unless it exists; keeps an old file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)


@contextmanager
def write_transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """`BEGIN IMMEDIATE` … `COMMIT`, rolled back on any error.

    Takes the database's write lock up front, so that a read-then-write sequence
    inside cannot be interleaved with another process's write. Waits up to the busy
    timeout for the lock, then raises `sqlite3.OperationalError`.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
