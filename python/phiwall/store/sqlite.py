"""The embedded store: agents and session events in one SQLite file.

- Agents are read once into an `AgentCache`; `get_agent` never touches the database.
  A watcher thread asks the database every `refresh_interval` seconds (default 1) for
  `agents_version`, a counter bumped by triggers on any change to the agents table,
  and reloads the cache only when it moved. So agents created or deleted by
  `phiwall agents` in another process are seen within about a second, at the cost of
  one indexed single-row query per second per process.
- Events go through an `EventWriter`: queued in memory, written in batches by a
  background thread, which also deletes those older than the retention
  (`DEFAULT_EVENT_RETENTION_DAYS` by default) about once a minute.
- Upstream keys and signature secrets are sealed with AES-256-GCM (`phiwall.store.cipher`
  says where the key lives); the database holds no secret in clear.
- Several processes (Granian workers, the CLI) may open the same file: WAL mode, one
  connection per thread, write transactions that wait for the lock. Open the store in
  each worker process (after fork), not before.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import msgspec

from phiwall.errors import InvalidRequest
from phiwall.store import DEFAULT_EVENT_RETENTION_DAYS, SECONDS_PER_DAY
from phiwall.store.agent import Agent, SignatureScheme, check_agent
from phiwall.store.base import StoreError
from phiwall.store.cache import AgentCache
from phiwall.store.cipher import SecretBox, load_key
from phiwall.store.connections import Connections, write_transaction
from phiwall.store.event import TurnEvent
from phiwall.store.ids import new_agent_id
from phiwall.store.schema import migrate
from phiwall.store.writer import EventWriter

log = logging.getLogger(__name__)

DEFAULT_AGENT_NAME = "default"
#: How long turn events are kept, in seconds (`phiwall serve --event-retention-days`).
DEFAULT_EVENT_RETENTION = DEFAULT_EVENT_RETENTION_DAYS * SECONDS_PER_DAY
#: Expired events are deleted at most this often (seconds; by the event writer before a
#: batch, else by the agents watcher, so that they expire with no traffic too), among the
#: `PRUNE_BATCH` oldest rows (by id, which follows insertion: no index on time needed), so
#: that a pass stays short and keeps up with any realistic rate (10,000 a minute).
PRUNE_INTERVAL = 60.0
PRUNE_BATCH = 10_000

_AGENT_COLUMNS = (
    "id, name, upstream_url, upstream_key, allowed_models, rate_per_second, burst, signature, "
    "created_at"
)
_EVENT_COLUMNS = (
    "agent_id, session_id, at, status, stream, model, timings_us, entity_counts, masked_text"
)
_json_encode = msgspec.json.encode
_decode_models = msgspec.json.Decoder(tuple[str, ...]).decode
_decode_timings = msgspec.json.Decoder(dict[str, float]).decode
_decode_counts = msgspec.json.Decoder(dict[str, int]).decode
_decode_signature = msgspec.json.Decoder(SignatureScheme).decode


P = ParamSpec("P")
R = TypeVar("R")


def _database_errors(method: Callable[P, R]) -> Callable[P, R]:
    """Let SQLite's errors ("database is locked", "disk I/O error") out as `StoreError`."""

    @functools.wraps(method)
    def translated(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as error:
            raise StoreError(f"database error: {error}") from error

    return translated


class SqliteStore:
    """The `Store` protocol over one SQLite file; see the module docstring.

    Opening costs a schema check and one read of all agents (each secret decrypted).
    Raises `StoreError` when the file is not a usable database or the secret key is
    malformed. `refresh_interval=None` disables the watcher thread (call
    `refresh_agents` yourself, as tests do). Events older than `event_retention` seconds
    are deleted by the event writer, about once a minute (None: kept for ever).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        secret_key: bytes | None = None,
        refresh_interval: float | None = 1.0,
        max_pending_events: int = 10_000,
        event_batch_size: int = 500,
        busy_timeout: float = 5.0,
        event_retention: float | None = DEFAULT_EVENT_RETENTION,
    ) -> None:
        self.path = Path(path).expanduser()
        self._cache = AgentCache()
        self._agents_version: int | None = None
        try:
            self._db = Connections(self.path, busy_timeout=busy_timeout)
        except OSError as error:
            raise StoreError(f"cannot create the database at {self.path}: {error}") from None
        try:
            migrate(self._db.get())
            self._box = SecretBox(load_key(self.path) if secret_key is None else secret_key)
            self.refresh_agents()
        except (OSError, sqlite3.Error) as error:
            self._db.close()
            raise StoreError(f"cannot open the database at {self.path}: {error}") from None
        except StoreError:
            self._db.close()
            raise
        self._retention = event_retention
        self._pruned_at = 0.0  # when expired events were last deleted (under _prune_lock)
        self._prune_lock = threading.Lock()  # the event writer and the watcher both prune
        self._writer = EventWriter(
            self._insert_events, max_pending=max_pending_events, batch_size=event_batch_size
        )
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None
        if refresh_interval is not None:
            self._watcher = threading.Thread(
                target=self._watch, args=(refresh_interval,), name="phiwall-agents", daemon=True
            )
            self._watcher.start()
        self._closed = False

    # -- the hot path ---------------------------------------------------------------------

    def get_agent(self, agent_id: str) -> Agent | None:
        """The agent with this id, or None; from memory by keyed digest (~2 µs, no I/O).

        The time taken says nothing of how close a wrong id is to a real one.
        """
        return self._cache.get(agent_id)

    def record_event(self, event: TurnEvent) -> None:
        """Queue `event` for the background writer (~2 µs); dropped and counted when full."""
        self._writer.submit(event)

    @property
    def dropped_events(self) -> int:
        """Events not written since opening: queue full, store closed, or a failed write."""
        return self._writer.dropped

    # -- agents ---------------------------------------------------------------------------

    @_database_errors
    def ensure_default_agent(self, upstream_url: str, upstream_key: str | None) -> Agent:
        """The default agent, created on first start and re-pointed at this upstream later.

        Its id is kept in the `meta` table, so it is stable across restarts and shared
        by concurrent workers (the write lock serialises their first start). If the
        default agent was deleted, a new one with a new id takes its place. Blocking:
        one write transaction.
        """
        connection = self._connection()
        with write_transaction(connection):
            row = connection.execute(
                "SELECT a.id FROM meta m JOIN agents a ON a.id = m.value "
                "WHERE m.key = 'default_agent_id'"
            ).fetchone()
            if row is None:
                agent = Agent(
                    id=new_agent_id(),
                    name=DEFAULT_AGENT_NAME,
                    upstream_url=upstream_url,
                    upstream_key=upstream_key,
                    created_at=time.time(),
                )
                check_agent(agent)
                self._insert_agent(connection, agent)
                connection.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('default_agent_id', ?)",
                    (agent.id,),
                )
            else:
                agent = self._repoint_default(connection, row[0], upstream_url, upstream_key)
        self._cache.put(agent)
        return agent

    def _repoint_default(
        self,
        connection: sqlite3.Connection,
        agent_id: str,
        upstream_url: str,
        upstream_key: str | None,
    ) -> Agent:
        """The default agent pointed at this upstream: updated only if something changed.

        A default agent whose secrets no longer decrypt (the secret key changed) gets
        the new upstream key and loses its signature scheme, keeping its id.
        """
        try:
            agent = self._read_agent(connection, agent_id)
        except StoreError:
            connection.execute(
                "UPDATE agents SET upstream_key = NULL, signature = NULL WHERE id = ?",
                (agent_id,),
            )
            agent = self._read_agent(connection, agent_id)
        if (agent.upstream_url, agent.upstream_key) == (upstream_url, upstream_key):
            return agent
        agent = msgspec.structs.replace(agent, upstream_url=upstream_url, upstream_key=upstream_key)
        check_agent(agent)
        connection.execute(
            "UPDATE agents SET upstream_url = ?, upstream_key = ?, updated_at = ? WHERE id = ?",
            (upstream_url, self._seal_key(agent), time.time(), agent.id),
        )
        return agent

    @_database_errors
    def create_agent(
        self,
        *,
        name: str,
        upstream_url: str,
        upstream_key: str | None = None,
        allowed_models: tuple[str, ...] | list[str] = (),
        rate_per_second: float = 100.0,
        burst: int = 200,
        signature: SignatureScheme | None = None,
    ) -> Agent:
        """Create an agent with a fresh `agt_` id and return it. Blocking: one insert.

        Header names of the signature scheme are stored lower-cased. Raises
        `InvalidRequest` (naming the field) for unusable settings.
        """
        if signature is not None:
            signature = msgspec.structs.replace(
                signature,
                header=signature.header.strip().lower(),
                timestamp_header=signature.timestamp_header.strip().lower(),
            )
        agent = Agent(
            id=new_agent_id(),
            name=name.strip(),
            upstream_url=upstream_url.strip(),
            upstream_key=upstream_key,
            allowed_models=tuple(dict.fromkeys(allowed_models)),
            rate_per_second=float(rate_per_second),
            burst=int(burst),
            signature=signature,
            created_at=time.time(),
        )
        check_agent(agent)
        connection = self._connection()
        with write_transaction(connection):
            self._insert_agent(connection, agent)
        self._cache.put(agent)
        return agent

    @_database_errors
    def list_agents(self) -> list[Agent]:
        """Every agent, oldest first, secrets decrypted. Blocking: one query.

        Raises `StoreError` if a secret cannot be decrypted (the secret key changed).
        """
        rows = self._connection().execute(
            f"SELECT {_AGENT_COLUMNS} FROM agents ORDER BY created_at, id"
        )
        return [self._agent_from_row(row) for row in rows]

    @_database_errors
    def delete_agent(self, agent_id: str) -> bool:
        """Delete an agent (and, if it was the default, forget that); True if it existed."""
        connection = self._connection()
        with write_transaction(connection):
            deleted = connection.execute("DELETE FROM agents WHERE id = ?", (agent_id,)).rowcount
            connection.execute(
                "DELETE FROM meta WHERE key = 'default_agent_id' AND value = ?", (agent_id,)
            )
        self._cache.discard(agent_id)
        return deleted > 0

    @_database_errors
    def refresh_agents(self) -> bool:
        """Reload the agent cache if the agents table changed since the last load.

        One single-row query when nothing changed; otherwise one read of all agents.
        Returns whether it reloaded. Agents whose secrets cannot be decrypted, or whose
        settings are unusable, are left out (so they answer 404) and logged by name;
        other agents keep working.
        """
        connection = self._connection()
        connection.execute("BEGIN")  # one snapshot for the version and the rows
        try:
            version = int(
                connection.execute(
                    "SELECT value FROM meta WHERE key = 'agents_version'"
                ).fetchone()[0]
            )
            if version == self._agents_version:
                return False
            rows = connection.execute(f"SELECT {_AGENT_COLUMNS} FROM agents").fetchall()
        finally:
            connection.execute("COMMIT")
        agents = []
        for row in rows:
            try:
                agents.append(self._agent_from_row(row))
            except StoreError as error:
                log.warning("agent %r is not served: %s", row[1], error.message)
        self._cache.replace(agents)
        self._agents_version = version
        return True

    # -- events ---------------------------------------------------------------------------

    @_database_errors
    def session_events(self, session_id: str, limit: int = 100) -> list[TurnEvent]:
        """The session's newest `limit` written events, oldest first. Blocking: one query.

        Events still queued for the writer are not included.
        """
        rows = self._connection().execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE session_id = ? "
            "ORDER BY at DESC, id DESC LIMIT ?",
            (session_id, limit),
        )
        events = [
            TurnEvent(
                agent_id=agent_id,
                session_id=session,
                at=at,
                status=status,
                stream=bool(stream),
                model=model,
                timings_us=_decode_timings(timings),
                entity_counts=_decode_counts(counts),
                masked_text=masked_text,
            )
            for agent_id, session, at, status, stream, model, timings, counts, masked_text in rows
        ]
        events.reverse()
        return events

    def close(self) -> None:
        """Stop the watcher, write every queued event, close connections. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.join()
        self._writer.close()
        self._db.close()

    # -- internals ------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        return self._db.get()

    def _watch(self, interval: float) -> None:
        while not self._stopping.wait(interval):
            try:
                self.refresh_agents()
            except Exception as error:  # keep serving the last good table
                log.warning("cannot refresh agents: %s", type(error).__name__)
            try:  # also here, so that events expire while no new ones are written
                self._prune_expired(self._connection(), time.time())
            except Exception as error:  # the next pass retries
                log.warning("cannot delete expired events: %s", type(error).__name__)

    def _prune_expired(self, connection: sqlite3.Connection, now: float) -> None:
        """Delete the expired events among the `PRUNE_BATCH` oldest rows, if the last pass
        was `PRUNE_INTERVAL` ago or more; else nothing (a clock read and a compare)."""
        if self._retention is None:
            return
        with self._prune_lock:
            if now - self._pruned_at < PRUNE_INTERVAL:
                return
            self._pruned_at = now
        with write_transaction(connection):
            connection.execute(
                "DELETE FROM events WHERE id IN "
                "(SELECT id FROM events ORDER BY id LIMIT ?) AND at < ?",
                (PRUNE_BATCH, now - self._retention),
            )

    def _insert_events(self, events: list[TurnEvent]) -> None:
        connection = self._connection()
        self._prune_expired(connection, time.time())
        with write_transaction(connection):
            connection.executemany(
                f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        event.agent_id,
                        event.session_id,
                        event.at,
                        event.status,
                        int(event.stream),
                        event.model,
                        _json_encode(event.timings_us).decode(),
                        _json_encode(event.entity_counts).decode(),
                        event.masked_text,
                    )
                    for event in events
                ],
            )

    def _insert_agent(self, connection: sqlite3.Connection, agent: Agent) -> None:
        now = time.time()
        connection.execute(
            f"INSERT INTO agents ({_AGENT_COLUMNS}, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                agent.id,
                agent.name,
                agent.upstream_url,
                self._seal_key(agent),
                _json_encode(agent.allowed_models).decode(),
                agent.rate_per_second,
                agent.burst,
                self._seal_signature(agent),
                agent.created_at,
                now,
            ),
        )

    def _read_agent(self, connection: sqlite3.Connection, agent_id: str) -> Agent:
        row = connection.execute(
            f"SELECT {_AGENT_COLUMNS} FROM agents WHERE id = ?", (agent_id,)
        ).fetchone()
        return self._agent_from_row(row)

    def _agent_from_row(self, row: tuple[Any, ...]) -> Agent:
        """An `Agent` from an `_AGENT_COLUMNS` row.

        Raises `StoreError` if a secret does not open or the row holds unusable
        settings (written around phiwall, e.g. a rate of 0).
        """
        agent_id, name, url, key, models, rate, burst, signature, created_at = row
        if signature is not None:
            signature = _decode_signature(self._box.open(signature, f"{agent_id}/signature"))
        agent = Agent(
            id=agent_id,
            name=name,
            upstream_url=url,
            upstream_key=None if key is None else self._box.open(key, f"{agent_id}/key"),
            allowed_models=_decode_models(models),
            rate_per_second=rate,
            burst=burst,
            signature=signature,
            created_at=created_at,
        )
        try:
            check_agent(agent)
        except InvalidRequest as error:
            raise StoreError(f"a stored agent is unusable: {error.message}") from None
        return agent

    def _seal_key(self, agent: Agent) -> str | None:
        if agent.upstream_key is None:
            return None
        return self._box.seal(agent.upstream_key, f"{agent.id}/key")

    def _seal_signature(self, agent: Agent) -> str | None:
        if agent.signature is None:
            return None
        return self._box.seal(_json_encode(agent.signature).decode(), f"{agent.id}/signature")
