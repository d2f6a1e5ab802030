"""Request signatures: proof that a request comes from the agent's voice platform.

Two schemes, chosen per agent by `SignatureScheme.kind`:

- `vapi`: hex HMAC-SHA256 of the raw body under the shared secret, in the header
  `X-Vapi-Signature` (or the scheme's `header`); a `sha256=` prefix is accepted.
- `hmac`: hex HMAC (SHA-256 or SHA-512) of `{timestamp}.{body}`, where `timestamp` is
  the timestamp header's value exactly as sent (Unix seconds). Requests whose
  timestamp is more than `replay_window` seconds before or after now are refused.
  Within the window a captured request can be replayed: phiwall keeps no nonces.

Hex digits may be upper- or lower-case. Digests are compared with
`hmac.compare_digest`, so the time taken does not reveal how much of a forged
signature was right. Failures say only "missing", "expired" or "invalid".
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Mapping

from phiwall.errors import BadSignature
from phiwall.store.agent import SignatureScheme

_MISSING = "missing request signature"
_EXPIRED = "expired request signature"
_INVALID = "invalid request signature"

_DIGESTS = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}


def verify_signature(
    scheme: SignatureScheme, headers: Mapping[str, str], body: bytes, now: float
) -> None:
    """Return if `body` carries a valid signature under `scheme`; raise `BadSignature` if not.

    `headers` has lower-cased names (as ASGI gives them); `now` is Unix seconds
    (`time.time()`). Cost: one HMAC over the body, ~1 µs per KiB plus ~2 µs.
    """
    if scheme.kind == "vapi":
        provided = headers.get(scheme.header.lower())
        if not provided:
            raise BadSignature(_MISSING)
        _check_digest(scheme, body, provided)
    elif scheme.kind == "hmac":
        provided = headers.get(scheme.header.lower())
        timestamp = headers.get(scheme.timestamp_header.lower())
        if not provided or not timestamp:
            raise BadSignature(_MISSING)
        _check_fresh(timestamp, now, scheme.replay_window)
        _check_digest(scheme, timestamp.encode("ascii") + b"." + body, provided)
    else:  # refused when agents are created; reaching here is a corrupt store
        raise BadSignature(_INVALID)


def sign(scheme: SignatureScheme, body: bytes, timestamp: str | None = None) -> str:
    """The hex signature a client sends for `body` (and `timestamp`, required for `hmac`).

    For clients, tests and the CLI; the proxy only verifies.
    """
    if scheme.kind == "vapi":
        return _digest(scheme, body)
    if timestamp is None:
        raise ValueError("the hmac scheme signs a timestamp")
    return _digest(scheme, timestamp.encode("ascii") + b"." + body)


def _check_fresh(timestamp: str, now: float, window: float) -> None:
    if not timestamp.isascii():
        raise BadSignature(_INVALID)
    try:
        sent = float(timestamp)
    except ValueError:
        raise BadSignature(_INVALID) from None
    if not math.isfinite(sent):
        raise BadSignature(_INVALID)
    if abs(now - sent) > window:
        raise BadSignature(_EXPIRED)


def _check_digest(scheme: SignatureScheme, payload: bytes, provided: str) -> None:
    value = provided.strip()
    prefix = _algorithm(scheme) + "="
    if value[: len(prefix)].lower() == prefix:
        value = value[len(prefix) :]
    expected = _digest(scheme, payload).encode("ascii")
    given = value.lower().encode("utf-8", "surrogateescape")
    if not hmac.compare_digest(expected, given):
        raise BadSignature(_INVALID)


def _algorithm(scheme: SignatureScheme) -> str:
    """Vapi always signs with SHA-256; the general scheme names its algorithm."""
    return "sha256" if scheme.kind == "vapi" else scheme.algorithm


def _digest(scheme: SignatureScheme, payload: bytes) -> str:
    digest = _DIGESTS.get(_algorithm(scheme))
    if digest is None:  # refused when agents are created; reaching here is a corrupt store
        raise BadSignature(_INVALID)
    return hmac.new(scheme.secret.encode(), payload, digest).hexdigest()
