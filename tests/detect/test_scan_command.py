"""`phiwall scan` end to end, as a subprocess: JSON lines in, spans out, errors without PHI."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading


def scan(stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "phiwall", "scan"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_spans_per_line_in_order() -> None:
    lines = [
        {"id": "a", "text": "my dob is march third nineteen eighty five"},
        {"id": 7, "text": "okay thanks"},
        {"id": "c", "text": "Call 415-555-2671."},
    ]
    result = scan("\n".join(json.dumps(x) for x in lines) + "\n\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 7, "c"]
    assert out[1]["spans"] == []
    assert out[2]["spans"] == [{"start": 5, "end": 17, "label": "PHONE"}]
    (date,) = [s for s in out[0]["spans"] if s["label"] == "DATE"]
    assert lines[0]["text"][date["start"] : date["end"]] == "march third nineteen eighty five"


def test_malformed_line_stops_with_exit_1_and_no_text_echo() -> None:
    secret = "SSN 123-45-6789"
    result = scan(json.dumps({"id": 1, "text": "ok"}) + "\n" + secret + "\n")
    assert result.returncode == 1
    assert result.stdout.count("\n") == 1  # the good line before it was written
    assert "line 2" in result.stderr
    assert "123-45-6789" not in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_text_field() -> None:
    result = scan('{"id": 1, "txt": "123-45-6789"}\n')
    assert result.returncode == 1
    assert "text" in result.stderr
    assert "123-45-6789" not in result.stderr


def test_detection_failure_is_reported_without_traceback() -> None:
    # A finder that raises: run the command in-process with a failing engine finder.
    code = (
        "import sys\n"
        "from phiwall.detect import engine\n"
        "def boom(text): raise RuntimeError(text)\n"
        "engine.NATIVE = False\n"
        "engine.FINDERS[:] = [boom]\n"
        "from phiwall.cli import main\n"
        "sys.exit(main(['scan']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input='{"id": 1, "text": "SSN 123-45-6789"}\n',
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "line 1: detection failed (RuntimeError)" in result.stderr
    assert "123-45-6789" not in result.stderr
    assert "Traceback" not in result.stderr


def test_reader_leaving_early_ends_the_scan_quietly() -> None:
    """`phiwall scan | head -1`: a closed stdout stops the scan with no traceback."""
    lines = "".join(
        json.dumps({"id": i, "text": f"call 415-555-{i:04d}"}) + "\n" for i in range(20_000)
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "phiwall", "scan"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    stdin = process.stdin

    def feed() -> None:  # in a thread: the scan blocks on its full stdout meanwhile
        with contextlib.suppress(BrokenPipeError):
            stdin.write(lines.encode())
            stdin.close()

    feeder = threading.Thread(target=feed)
    feeder.start()
    first = json.loads(process.stdout.readline())
    process.stdout.close()
    stderr = process.stderr.read() if process.stderr is not None else b""
    process.wait(timeout=120)
    feeder.join(timeout=120)
    assert first["id"] == 0
    assert process.returncode == 0
    assert b"Traceback" not in stderr
