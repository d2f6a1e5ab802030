"""Logging an unexpected exception without the PHI its message might carry.

An exception's message can quote the data it failed on (`KeyError: 'Jane Doe'`), so
only its type and the places it passed through are logged: enough to find the bug,
nothing from the request.
"""

from __future__ import annotations

import logging
import traceback

logger = logging.getLogger("phiwall.proxy")


def describe(exc: BaseException) -> str:
    """`ValueError at chat.py:120 in _serve <- ...`: the type and frames, no message."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(
        f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} in {frame.name}"
        for frame in reversed(frames[-6:])
    )
    return f"{type(exc).__name__} at {where or 'unknown'}"


def log_internal_error(exc: BaseException) -> None:
    """Log an unexpected exception as one line, without its message."""
    logger.error("internal error: %s", describe(exc))
