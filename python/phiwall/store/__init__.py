"""Agents and session events: the `Store` interface and `open_store`.

```python
from phiwall.store import open_store, Store, TurnEvent

store = open_store()                 # the embedded SQLite store at the default path
agent = store.get_agent(agent_id)    # hot path: memory only
store.record_event(TurnEvent(...))   # hot path: queued, written in the background
store.close()                        # at shutdown: writes what is queued
```

Where the database lives, first match wins: the `path` argument; `$PHIWALL_DB`;
`$PHIWALL_HOME/phiwall.db`; `$XDG_DATA_HOME/phiwall/phiwall.db`;
`~/.local/share/phiwall/phiwall.db`. The file is created with mode 0600 and its
directory with 0700. How secrets are protected at rest: `phiwall.store.cipher`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from phiwall.store.agent import Agent, SignatureScheme
from phiwall.store.base import Store, StoreError
from phiwall.store.event import TurnEvent

__all__ = [
    "Agent",
    "SignatureScheme",
    "Store",
    "StoreError",
    "TurnEvent",
    "default_path",
    "open_store",
]

DB_NAME = "phiwall.db"
#: How long turn events are kept (`phiwall serve --event-retention-days`).
DEFAULT_EVENT_RETENTION_DAYS = 30.0
SECONDS_PER_DAY = 86_400.0


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    """The database path when none is given (see the module docstring for the order)."""
    env = os.environ if environ is None else environ
    if db := env.get("PHIWALL_DB"):
        return Path(db).expanduser()
    if home := env.get("PHIWALL_HOME"):
        return Path(home).expanduser() / DB_NAME
    if data := env.get("XDG_DATA_HOME"):
        return Path(data).expanduser() / "phiwall" / DB_NAME
    return Path.home() / ".local" / "share" / "phiwall" / DB_NAME


def open_store(
    path: str | None = None, event_retention_days: float = DEFAULT_EVENT_RETENTION_DAYS
) -> Store:
    """Open (creating if needed) the embedded SQLite store at `path` or `default_path()`,
    keeping turn events `event_retention_days`.

    Costs a schema check and one read of all agents; starts two daemon threads (event
    writer, agent watcher) that `close()` stops. Call it in each worker process.
    Raises `StoreError` with a clean message when the file or the secret key is unusable.
    """
    from phiwall.store.sqlite import SqliteStore

    retention = event_retention_days * SECONDS_PER_DAY
    return SqliteStore(default_path() if path is None else path, event_retention=retention)
