"""Sealing secrets at rest, and where the store key comes from."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from phiwall.store.base import StoreError
from phiwall.store.cipher import KEY_ENV, SecretBox, key_path, load_key

KEY = bytes(range(32))


def test_seal_then_open_round_trips_without_showing_the_secret() -> None:
    box = SecretBox(KEY)
    sealed = box.seal("sk-live-secret", "agt_1/key")
    assert sealed.startswith("v1:")
    assert "sk-live-secret" not in sealed
    assert box.open(sealed, "agt_1/key") == "sk-live-secret"
    assert box.seal("sk-live-secret", "agt_1/key") != sealed  # a fresh nonce every time


@pytest.mark.parametrize(
    ("key", "context", "mutate"),
    [
        (bytes(32), "agt_1/key", None),  # another key
        (KEY, "agt_2/key", None),  # copied to another agent
        (KEY, "agt_1/signature", None),  # copied to another column
        (KEY, "agt_1/key", "flip"),  # tampered
        (KEY, "agt_1/key", "format"),  # not a sealed value
        (KEY, "agt_1/key", "base64"),  # not base64
    ],
)
def test_open_refuses_anything_but_the_original(key: bytes, context: str, mutate: str | None):
    sealed = SecretBox(KEY).seal("sk-live-secret", "agt_1/key")
    if mutate == "flip":
        raw = bytearray(base64.urlsafe_b64decode(sealed[3:]))
        raw[-1] ^= 1
        sealed = "v1:" + base64.urlsafe_b64encode(bytes(raw)).decode()
    elif mutate == "format":
        sealed = "sk-live-secret"
    elif mutate == "base64":
        sealed = "v1:***"
    with pytest.raises(StoreError) as caught:
        SecretBox(key).open(sealed, context)
    assert "sk-live-secret" not in caught.value.message


def test_keys_must_be_32_bytes() -> None:
    with pytest.raises(StoreError, match="32 bytes"):
        SecretBox(b"short")


@pytest.mark.parametrize(
    "encoded",
    [
        KEY.hex(),
        KEY.hex().upper(),
        base64.b64encode(KEY).decode(),
        base64.urlsafe_b64encode(KEY).decode(),
        base64.urlsafe_b64encode(KEY).decode().rstrip("="),
        f"  {KEY.hex()}\n",
    ],
)
def test_the_environment_key_may_be_hex_or_base64(tmp_path: Path, encoded: str) -> None:
    assert load_key(tmp_path / "p.db", {KEY_ENV: encoded}) == KEY
    assert not key_path(tmp_path / "p.db").exists()  # no key file when the variable is set


@pytest.mark.parametrize(
    "encoded", ["secret", KEY.hex()[:-2], base64.b64encode(bytes(31)).decode()]
)
def test_a_malformed_environment_key_is_refused_without_echoing_it(
    tmp_path: Path, encoded: str
) -> None:
    with pytest.raises(StoreError) as caught:
        load_key(tmp_path / "p.db", {KEY_ENV: encoded})
    assert KEY_ENV in caught.value.message
    assert encoded not in caught.value.message


def test_a_key_file_is_created_private_once_and_reused(tmp_path: Path) -> None:
    db = tmp_path / "data" / "p.db"
    first = load_key(db, {})
    path = key_path(db)
    assert path == tmp_path / "data" / "p.db.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key(db, {}) == first
    assert len(first) == 32
    assert os.listdir(path.parent) == ["p.db.key"]  # no temporary files left behind


def test_an_existing_key_file_wins(tmp_path: Path) -> None:
    key_path(tmp_path / "p.db").write_text(base64.urlsafe_b64encode(KEY).decode() + "\n")
    assert load_key(tmp_path / "p.db", {}) == KEY


def test_a_corrupt_key_file_is_refused(tmp_path: Path) -> None:
    key_path(tmp_path / "p.db").write_text("not a key\n")
    with pytest.raises(StoreError, match="key file"):
        load_key(tmp_path / "p.db", {})
