"""The embedded SQLite store: agents, secrets at rest, other processes' changes, events."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from phiwall.errors import InvalidRequest
from phiwall.store import Agent, SignatureScheme, StoreError, TurnEvent, default_path, open_store
from phiwall.store import sqlite as sqlite_store
from phiwall.store.cipher import KEY_ENV
from phiwall.store.sqlite import SqliteStore

UPSTREAM_KEY = "sk-proj-UPSTREAM-0123456789abcdef"
SIGNING_SECRET = "whsec-SIGNING-fedcba9876543210"


@pytest.fixture(autouse=True)
def _no_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "home" / "phiwall.db"


@pytest.fixture
def store(db: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(db, refresh_interval=None)
    yield opened
    opened.close()


def other_process(db: Path) -> SqliteStore:
    """A second store on the same file, as another worker or the CLI would open it."""
    return SqliteStore(db, refresh_interval=None)


def create(store: SqliteStore, name: str = "clinic", **options: Any) -> Agent:
    return store.create_agent(name=name, upstream_url="https://api.example.com/v1", **options)


# -- agents -------------------------------------------------------------------------------


def test_created_agents_are_found_listed_and_deleted(store: SqliteStore) -> None:
    first = create(store, "first", upstream_key=UPSTREAM_KEY, allowed_models=["a", "b", "a"])
    second = create(store, "second", rate_per_second=5, burst=10)
    assert first.id.startswith("agt_")
    assert len(first.id) == 30
    assert first.allowed_models == ("a", "b")
    assert store.get_agent(first.id) == first
    assert store.list_agents() == [first, second]
    assert store.delete_agent(first.id) is True
    assert store.delete_agent(first.id) is False
    assert store.get_agent(first.id) is None
    assert store.list_agents() == [second]


def test_unknown_and_near_miss_ids_are_not_found(store: SqliteStore) -> None:
    agent = create(store)
    for guess in ("", "agt_", agent.id[:-1], agent.id + "X", agent.id.lower()):
        assert store.get_agent(guess) is None


def test_signature_header_names_are_stored_lower_cased(store: SqliteStore) -> None:
    scheme = SignatureScheme(secret=SIGNING_SECRET, header=" X-Vapi-Signature", kind="vapi")
    agent = create(store, signature=scheme)
    assert agent.signature is not None
    assert agent.signature.header == "x-vapi-signature"


@pytest.mark.parametrize(
    ("options", "param"),
    [
        ({"name": ""}, "name"),
        ({"upstream_url": "api.example.com"}, "upstream_url"),
        ({"rate_per_second": 0}, "rate_per_second"),
        ({"burst": 0}, "burst"),
        ({"signature": SignatureScheme(secret="s", kind="jwt")}, "signature.kind"),
    ],
)
def test_unusable_agents_are_refused_and_not_stored(
    store: SqliteStore, options: dict[str, object], param: str
) -> None:
    settings: dict[str, Any] = {"name": "x", "upstream_url": "https://u"} | options
    with pytest.raises(InvalidRequest) as caught:
        store.create_agent(**settings)
    assert caught.value.param == param
    assert store.list_agents() == []


def test_agents_survive_reopening_with_their_secrets(store: SqliteStore, db: Path) -> None:
    scheme = SignatureScheme(secret=SIGNING_SECRET, kind="hmac", algorithm="sha512")
    agent = create(store, upstream_key=UPSTREAM_KEY, signature=scheme)
    store.close()
    reopened = other_process(db)
    try:
        assert reopened.get_agent(agent.id) == agent
        assert reopened.list_agents() == [agent]
    finally:
        reopened.close()


# -- secrets at rest ----------------------------------------------------------------------


def test_secrets_are_never_on_disk_in_clear(store: SqliteStore, db: Path) -> None:
    scheme = SignatureScheme(secret=SIGNING_SECRET)
    create(store, upstream_key=UPSTREAM_KEY, signature=scheme)
    store.ensure_default_agent("https://api.example.com/v1", UPSTREAM_KEY + "-default")
    store.close()
    files = list(db.parent.iterdir())
    assert {path.name for path in files} >= {"phiwall.db", "phiwall.db.key"}
    for path in files:
        content = path.read_bytes()
        assert UPSTREAM_KEY.encode() not in content, path.name
        assert SIGNING_SECRET.encode() not in content, path.name


def test_database_and_key_files_are_private(store: SqliteStore, db: Path) -> None:
    create(store, upstream_key=UPSTREAM_KEY)  # writes, so the -wal file exists
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    for path in db.parent.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_the_environment_key_replaces_the_key_file(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, "11" * 32)
    with_env = other_process(db)
    agent = create(with_env, upstream_key=UPSTREAM_KEY)
    with_env.close()
    assert not (db.parent / "phiwall.db.key").exists()
    reopened = other_process(db)
    assert reopened.get_agent(agent.id) == agent
    reopened.close()


def test_agents_sealed_under_another_key_are_not_served(
    db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(KEY_ENV, "11" * 32)
    first = other_process(db)
    sealed = create(first, "sealed-elsewhere", upstream_key=UPSTREAM_KEY)
    first.close()
    monkeypatch.setenv(KEY_ENV, "22" * 32)
    second = other_process(db)
    try:
        plain = create(second, "no-secrets")
        assert second.get_agent(sealed.id) is None  # 404, while other agents still work
        assert second.get_agent(plain.id) == plain
        assert "sealed-elsewhere" in caplog.text
        with pytest.raises(StoreError, match="cannot be decrypted"):
            second.list_agents()
    finally:
        second.close()


def test_a_sealed_key_copied_to_another_agent_does_not_open(store: SqliteStore, db: Path) -> None:
    victim = create(store, "victim", upstream_key=UPSTREAM_KEY)
    thief = create(store, "thief", upstream_key="sk-thief-0000000000000000")
    with closing(sqlite3.connect(db)) as raw, raw:
        raw.execute(
            "UPDATE agents SET upstream_key = (SELECT upstream_key FROM agents WHERE id = ?) "
            "WHERE id = ?",
            (victim.id, thief.id),
        )
    store.refresh_agents()
    assert store.get_agent(thief.id) is None
    assert store.get_agent(victim.id) == victim


def test_agents_made_unusable_behind_phiwalls_back_are_not_served(
    store: SqliteStore, db: Path
) -> None:
    broken, fine = create(store, "broken"), create(store, "fine")
    with closing(sqlite3.connect(db)) as raw, raw:
        raw.execute("UPDATE agents SET rate_per_second = 0 WHERE id = ?", (broken.id,))
    assert store.refresh_agents() is True
    assert store.get_agent(broken.id) is None
    assert store.get_agent(fine.id) == fine


# -- changes made by other processes ------------------------------------------------------


def test_changes_by_another_process_appear_on_refresh(store: SqliteStore, db: Path) -> None:
    cli = other_process(db)
    try:
        agent = create(cli, upstream_key=UPSTREAM_KEY)
        assert store.get_agent(agent.id) is None  # the hot path never queries the database
        assert store.refresh_agents() is True
        assert store.get_agent(agent.id) == agent
        assert store.refresh_agents() is False  # nothing changed: nothing reloaded
        cli.delete_agent(agent.id)
        assert store.refresh_agents() is True
        assert store.get_agent(agent.id) is None
    finally:
        cli.close()


def test_the_watcher_thread_stops_on_close(db: Path) -> None:
    watched = SqliteStore(db, refresh_interval=0.05)
    watcher = watched._watcher
    assert watcher is not None
    assert watcher.is_alive()
    watched.close()
    assert not watcher.is_alive()


WORKER = """
import sys, time
from phiwall.store import TurnEvent, open_store
store = open_store(sys.argv[1])
agent = store.ensure_default_agent("https://u.example/v1", "sk-shared-upstream-key-0000")
for number in range(50):
    store.record_event(TurnEvent(agent.id, "shared", time.time(), 200, masked_text=str(number)))
store.close()
print(agent.id)
"""


def test_worker_processes_starting_together_share_one_file(db: Path) -> None:
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(db)], stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    ids = {worker.communicate(timeout=120)[0].strip() for worker in workers}
    assert [worker.returncode for worker in workers] == [0] * 4
    assert len(ids) == 1  # one key file, one schema, one default agent, despite the race
    reader = other_process(db)
    try:
        assert [agent.id for agent in reader.list_agents()] == list(ids)
        assert len(reader.session_events("shared", limit=1000)) == 200
    finally:
        reader.close()


# -- the default agent --------------------------------------------------------------------


def test_the_default_agent_keeps_its_id_and_follows_the_upstream(
    store: SqliteStore, db: Path
) -> None:
    first = store.ensure_default_agent("https://one.example/v1", "sk-one")
    assert store.get_agent(first.id) == first
    assert first.name == "default"
    store.close()
    restarted = other_process(db)
    try:
        second = restarted.ensure_default_agent("https://two.example/v1", None)
        assert second.id == first.id
        assert (second.upstream_url, second.upstream_key) == ("https://two.example/v1", None)
        assert restarted.get_agent(first.id) == second
        assert restarted.list_agents() == [second]
    finally:
        restarted.close()


def test_workers_starting_together_share_one_default_agent(store: SqliteStore, db: Path) -> None:
    worker = other_process(db)
    try:
        mine = store.ensure_default_agent("https://u.example", "sk-x")
        theirs = worker.ensure_default_agent("https://u.example", "sk-x")
        assert mine == theirs
        assert len(store.list_agents()) == 1
    finally:
        worker.close()


def test_a_deleted_default_agent_is_replaced_with_a_new_id(store: SqliteStore) -> None:
    old = store.ensure_default_agent("https://u.example", None)
    store.delete_agent(old.id)
    new = store.ensure_default_agent("https://u.example", None)
    assert new.id != old.id
    assert store.list_agents() == [new]


def test_a_default_agent_sealed_under_a_lost_key_is_repaired(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, "11" * 32)
    before = other_process(db)
    old = before.ensure_default_agent("https://u.example", "sk-old")
    before.close()
    monkeypatch.setenv(KEY_ENV, "22" * 32)
    after = other_process(db)
    try:
        repaired = after.ensure_default_agent("https://u.example", "sk-new")
        assert (repaired.id, repaired.upstream_key) == (old.id, "sk-new")
        assert after.list_agents() == [repaired]
    finally:
        after.close()


# -- events -------------------------------------------------------------------------------


def turn(session: str, at: float, **fields: Any) -> TurnEvent:
    return TurnEvent(agent_id="agt_1", session_id=session, at=at, status=200, **fields)


def test_events_are_written_on_close_and_read_back_per_session(db: Path) -> None:
    writer = other_process(db)
    full = turn(
        "s1",
        1.0,
        stream=True,
        model="gpt-4o",
        timings_us={"mask": 41.5, "upstream": 180000.0},
        entity_counts={"NAME": 2, "PHONE": 1},
        masked_text="my name is [NAME_1]",
    )
    writer.record_event(full)
    writer.record_event(turn("s2", 2.0))
    writer.record_event(turn("s1", 3.0))
    writer.close()
    reader = other_process(db)
    try:
        assert reader.session_events("s1") == [full, turn("s1", 3.0)]
        assert reader.session_events("s2") == [turn("s2", 2.0)]
        assert reader.session_events("nobody") == []
    finally:
        reader.close()


def test_session_events_returns_the_newest_oldest_first(db: Path) -> None:
    writer = other_process(db)
    for second in (5.0, 1.0, 4.0, 2.0, 3.0):
        writer.record_event(turn("s", second))
    writer.close()
    reader = other_process(db)
    try:
        assert [event.at for event in reader.session_events("s", limit=3)] == [3.0, 4.0, 5.0]
    finally:
        reader.close()


def test_events_older_than_the_retention_are_deleted_as_new_ones_are_written(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = time.time()
    first = SqliteStore(db, refresh_interval=None, event_retention=None)  # keeps everything
    for age_days in (40, 31, 29, 1):
        first.record_event(turn("s", now - age_days * 86_400, masked_text=f"{age_days} days"))
    first.close()
    monkeypatch.setattr(sqlite_store, "PRUNE_BATCH", 3)  # the oldest three rows per pass

    writer = SqliteStore(db, refresh_interval=None, event_retention=30 * 86_400)
    writer.record_event(turn("s", now, masked_text="now"))
    writer.close()
    reader = other_process(db)
    try:
        kept = [event.masked_text for event in reader.session_events("s")]
    finally:
        reader.close()
    assert kept == ["29 days", "1 days", "now"]


def test_events_expire_while_none_are_written(db: Path) -> None:
    now = time.time()
    first = SqliteStore(db, refresh_interval=None, event_retention=None)
    for age_days in (31, 1):
        first.record_event(turn("s", now - age_days * 86_400, masked_text=f"{age_days} days"))
    first.close()

    idle = SqliteStore(db, refresh_interval=0.01, event_retention=30 * 86_400)
    reader = other_process(db)
    try:
        deadline = time.monotonic() + 10
        while len(reader.session_events("s")) > 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        kept = [event.masked_text for event in reader.session_events("s")]
    finally:
        idle.close()
        reader.close()
    assert kept == ["1 days"]


def test_events_are_pruned_at_most_once_an_interval(db: Path) -> None:
    now = time.time()
    writer = SqliteStore(db, refresh_interval=None, event_retention=60.0)
    writer.record_event(turn("s", now, masked_text="first batch"))  # its pass prunes
    deadline = time.monotonic() + 10
    while writer._writer.written < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    writer.record_event(turn("s", now - 120, masked_text="expired, next batch"))
    writer.close()  # the second batch comes within PRUNE_INTERVAL: no pass, it stays
    reader = other_process(db)
    try:
        kept = [event.masked_text for event in reader.session_events("s")]
    finally:
        reader.close()
    assert kept == ["expired, next batch", "first batch"]


def test_events_recorded_after_close_are_dropped_and_counted(store: SqliteStore) -> None:
    store.close()
    store.record_event(turn("s", 1.0))
    assert store.dropped_events == 1


# -- opening ------------------------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are not the pages you are looking for" * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        SqliteStore(path, refresh_interval=None)


def test_a_database_from_a_newer_phiwall_is_refused(db: Path) -> None:
    other_process(db).close()
    with closing(sqlite3.connect(db)) as raw:
        raw.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer phiwall"):
        other_process(db)


def test_a_locked_database_is_a_clean_error(db: Path) -> None:
    impatient = SqliteStore(db, refresh_interval=None, busy_timeout=0.0)
    with closing(sqlite3.connect(db, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        with pytest.raises(StoreError, match="database is locked"):
            create(impatient)
        other.execute("ROLLBACK")
    create(impatient)
    impatient.close()


def test_open_store_opens_the_given_path(tmp_path: Path) -> None:
    opened = open_store(str(tmp_path / "given.db"))
    try:
        agent = opened.create_agent(name="x", upstream_url="http://u")
        assert opened.get_agent(agent.id) == agent
    finally:
        opened.close()
    assert (tmp_path / "given.db").exists()


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"PHIWALL_DB": "/srv/a.db", "PHIWALL_HOME": "/srv/home"}, "/srv/a.db"),
        ({"PHIWALL_HOME": "/srv/home", "XDG_DATA_HOME": "/xdg"}, "/srv/home/phiwall.db"),
        ({"XDG_DATA_HOME": "/xdg"}, "/xdg/phiwall/phiwall.db"),
        ({}, "~/.local/share/phiwall/phiwall.db"),
    ],
)
def test_default_path_order(environ: dict[str, str], expected: str) -> None:
    assert default_path(environ) == Path(expected).expanduser()
