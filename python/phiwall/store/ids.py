"""Agent ids: `agt_` followed by a ULID (26 characters of Crockford base32).

A ULID is 48 bits of millisecond time then 80 random bits from `os.urandom`, so ids
sort by creation time. The id appears in the proxy URL and acts as a shared secret;
its secrecy rests on the 80 random bits (the time part is guessable).
"""

from __future__ import annotations

import os
import time

AGENT_PREFIX = "agt_"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ULID_LENGTH = 26


def new_ulid(now: float | None = None) -> str:
    """A new ULID for time `now` (Unix seconds, default: the current time); ~2 µs."""
    millis = int((time.time() if now is None else now) * 1000)
    if not 0 <= millis < 1 << 48:
        raise ValueError("a ULID time must be within 0 and 2**48 milliseconds")
    value = (millis << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(_ULID_LENGTH):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_agent_id(now: float | None = None) -> str:
    """A new agent id, `agt_` + ULID."""
    return AGENT_PREFIX + new_ulid(now)
