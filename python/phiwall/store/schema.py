"""The SQLite schema: tables, indexes, and the agents version counter.

`agents` keeps secrets sealed (see `phiwall.store.cipher`): `upstream_key` and
`signature` hold `v1:…` ciphertexts, never clear text. `meta` holds the default agent's
id and `agents_version`, a counter that triggers bump on every change to `agents`, so
that other processes notice a change with one tiny query instead of re-reading agents.
`events` holds turn events, indexed by session and time.
"""

from __future__ import annotations

import sqlite3

from phiwall.store.base import StoreError
from phiwall.store.connections import write_transaction

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT OR IGNORE INTO meta (key, value) VALUES ('agents_version', '0');

CREATE TABLE IF NOT EXISTS agents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    upstream_url TEXT NOT NULL,
    upstream_key TEXT,
    allowed_models TEXT NOT NULL DEFAULT '[]',
    rate_per_second REAL NOT NULL,
    burst INTEGER NOT NULL,
    signature TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);

CREATE TRIGGER IF NOT EXISTS agents_inserted AFTER INSERT ON agents BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'agents_version';
END;
CREATE TRIGGER IF NOT EXISTS agents_updated AFTER UPDATE ON agents BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'agents_version';
END;
CREATE TRIGGER IF NOT EXISTS agents_deleted AFTER DELETE ON agents BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'agents_version';
END;

CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    agent_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    at REAL NOT NULL,
    status INTEGER NOT NULL,
    stream INTEGER NOT NULL,
    model TEXT NOT NULL,
    timings_us TEXT NOT NULL,
    entity_counts TEXT NOT NULL,
    masked_text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_session ON events (session_id, at);
"""


def migrate(connection: sqlite3.Connection) -> None:
    """Create the schema if missing, in one write transaction; safe to race.

    Several worker processes may start at once: the first takes the write lock and
    creates the tables, the others wait (busy timeout) and find them there.
    Raises `StoreError` if a newer phiwall made the database, `sqlite3.Error` if it is
    unusable.
    """
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise StoreError("the database was made by a newer phiwall; upgrade phiwall to use it")
    with write_transaction(connection):
        for statement in _statements(_SCHEMA):
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _statements(script: str) -> list[str]:
    """Split a script into complete statements (triggers contain inner semicolons)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    return statements
