"""Secrets at rest: AES-256-GCM sealing of upstream API keys and signature secrets.

The store never writes an agent's upstream key or signature secret in clear. Each is
sealed with AES-256-GCM under a 32-byte store key, with a fresh 96-bit random nonce,
and bound to its agent and field as associated data: a sealed value copied to another
agent's row, or to another column, does not open. Stored form: `v1:` + base64url of
nonce ‖ ciphertext ‖ tag.

The store key comes from, in order:

1. `PHIWALL_SECRET_KEY`: 32 bytes, as 64 hex digits or (url-safe) base64. Use this
   when a secrets manager injects the key, or to keep the key off the database's disk.
2. A key file beside the database, `<database>.key` (e.g. `phiwall.db.key`), created
   with mode 0600 on first use from `os.urandom`, holding the key in base64url.

Anyone who can read both the database and its key file (or the environment) can read
the secrets: the protection is against leaked database files, backups and copies, not
against the account that runs phiwall. Losing the key makes the sealed secrets
unreadable; the agents must then be re-created or their keys set again.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from phiwall.store.base import StoreError

KEY_ENV = "PHIWALL_SECRET_KEY"
_VERSION = "v1:"
_KEY_BYTES = 32
_NONCE_BYTES = 12


class SecretBox:
    """Seals and opens short secrets with one AES-256-GCM key; each call ~5 µs."""

    def __init__(self, key: bytes) -> None:
        if len(key) != _KEY_BYTES:
            raise StoreError("the store secret key must be 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, plaintext: str, context: str) -> str:
        """`plaintext` encrypted and authenticated, bound to `context` (e.g. `agt_…/key`)."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), context.encode())
        return _VERSION + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, token: str, context: str) -> str:
        """The plaintext of a `seal`ed value under the same `context`.

        Raises `StoreError` when the value is malformed, was sealed under another key
        (the secret key changed or was lost) or another context, or was tampered with.
        """
        if not token.startswith(_VERSION):
            raise StoreError("a stored secret has an unknown format")
        try:
            raw = base64.urlsafe_b64decode(token[len(_VERSION) :])
            plaintext = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode())
        except (binascii.Error, ValueError, InvalidTag):
            raise StoreError(
                "a stored secret cannot be decrypted: the store secret key "
                f"({KEY_ENV} or the key file) is not the one it was sealed with"
            ) from None
        return plaintext.decode()


def load_key(db_path: Path, environ: Mapping[str, str] | None = None) -> bytes:
    """The store key: from `PHIWALL_SECRET_KEY`, else the key file beside `db_path`.

    Creates the key file (mode 0600, atomically, so concurrent workers agree on one
    key) when neither exists. Costs one small file read, or a write on first use.
    Raises `StoreError` when the variable or the file does not hold 32 bytes.
    """
    env = os.environ if environ is None else environ
    if value := env.get(KEY_ENV):
        return _decode_key(value, source=KEY_ENV)
    path = key_path(db_path)
    if not path.exists():
        _create_key_file(path)
    return _decode_key(path.read_text(encoding="ascii").strip(), source=f"key file {path}")


def key_path(db_path: Path) -> Path:
    """Where the key file of the database at `db_path` lives: `<database>.key`."""
    return db_path.with_name(db_path.name + ".key")


def _decode_key(text: str, *, source: str) -> bytes:
    """32 key bytes from 64 hex digits or base64 (standard or url-safe, padded or not)."""
    text = text.strip()
    candidates = []
    if len(text) == 2 * _KEY_BYTES:
        with contextlib.suppress(ValueError):
            candidates.append(bytes.fromhex(text))
    standard = text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4)
    with contextlib.suppress(binascii.Error, ValueError):
        candidates.append(base64.b64decode(standard, validate=True))
    for key in candidates:
        if len(key) == _KEY_BYTES:
            return key
    raise StoreError(f"the {source} must hold 32 bytes as 64 hex digits or base64")


def _create_key_file(path: Path) -> None:
    """Write a new random key to `path` with mode 0600; a concurrent creator wins silently.

    The key is written to a private temporary file which is then hard-linked into
    place: `link` fails if the file exists, so readers never see a half-written key.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    encoded = base64.urlsafe_b64encode(os.urandom(_KEY_BYTES)).decode("ascii") + "\n"
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as file:
            file.write(encoded)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another process won: use its key
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
