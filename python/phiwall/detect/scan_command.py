"""`phiwall scan`: detect PHI in JSON lines.

Reads `{"id": ..., "text": "..."}` per line on stdin and writes
`{"id": ..., "spans": [{"start": s, "end": e, "label": L}]}` per line on stdout, in input
order, with `detect`'s spans (Python str indices). Blank lines are skipped.

Errors: a line that is not a JSON object with a string `text` is a hard error — nothing more
is read, a message naming the line number and the problem (never the text) goes to stderr,
and the exit status is 1. If detection itself fails (a finder bug, missing data), the
message names the line and the exception type only, and the exit status is 2. Lines before
it have already been written. Failing the whole run keeps a pipeline from silently scoring
a short prediction file.

Cost: one msgspec decode and encode per line (encoder and decoder built once) plus `detect`.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

_EXIT_BAD_INPUT = 1
_EXIT_DETECTION_FAILED = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`phiwall scan` takes no options: JSON lines in on stdin, JSON lines out on stdout."""
    parser.epilog = (
        'stdin: {"id": ..., "text": "..."} per line; '
        'stdout: {"id": ..., "spans": [{"start", "end", "label"}]} per line. '
        "A malformed line stops the scan with exit status 1; a detection failure, with 2. "
        "Errors name the line, never its text."
    )


def run(args: argparse.Namespace) -> int:
    """Scan stdin to stdout; return 0, 1 on a malformed line, 2 if detection fails."""
    import msgspec

    class Record(msgspec.Struct):
        text: str
        id: Any = None

    class Out(msgspec.Struct):
        id: Any
        spans: list[Any]

    decoder = msgspec.json.Decoder(Record)
    encoder = msgspec.json.Encoder()
    try:
        return _scan(decoder, encoder, Out)
    except BrokenPipeError:  # the reader left (`phiwall scan | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _scan(decoder: Any, encoder: Any, out: Any) -> int:
    import msgspec

    from phiwall.detect import detect

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    for number, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        try:
            record = decoder.decode(line)
        except msgspec.DecodeError as exc:
            print(f"phiwall scan: line {number}: {_describe(exc)}", file=sys.stderr)
            return _EXIT_BAD_INPUT
        try:
            spans = detect(record.text)
        except Exception as exc:  # report without a traceback: its locals may hold the text
            print(
                f"phiwall scan: line {number}: detection failed ({type(exc).__name__})",
                file=sys.stderr,
            )
            return _EXIT_DETECTION_FAILED
        stdout.write(encoder.encode(out(record.id, spans)))
        stdout.write(b"\n")
    stdout.flush()
    return 0


def _describe(exc: Exception) -> str:
    """The decoder's complaint without any of the input (msgspec messages name fields only)."""
    message = str(exc)
    return message if len(message) < 200 else "malformed JSON line"
