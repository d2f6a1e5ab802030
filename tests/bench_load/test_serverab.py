"""benches/load/serverab.py: two phiwall servers under one interleaved load, compared."""

from __future__ import annotations

import pytest
from benches.load import serverab


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
def test_a_build_against_itself_reports_both_servers_and_their_ratios(
    capsys: pytest.CaptureFixture[str], stream: bool
) -> None:
    base = str(serverab.REPO / "python")  # this tree on both sides: the same code
    argv = ["--base", base, "--count", "20", "--rate", "40", *(["--stream"] if stream else [])]
    assert serverab.main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "20 requests each, 40/s each, interleaved (ABBA):"
    measure = "time to first token" if stream else "total"
    rows = {line[:36].strip(): line[36:].split() for line in lines[2:]}
    assert list(rows) == [
        f"latency, {measure} (ms)",
        "own_work (µs)",
        "read (µs)",
        "parse (µs)",
        "mask (µs)",
        "encode (µs)",
        "rehydrate (µs)",
        "CPU per request (µs)",
    ]
    for label, cells in rows.items():
        numbers = [float(cell) for cell in cells if cell != "/"]
        assert len(numbers) == (3 if label.startswith("CPU") else 6), label
        assert all(number > 0 for number in numbers), label  # every stage ran, on both


def test_the_base_must_be_a_python_folder_with_phiwall() -> None:
    with pytest.raises(SystemExit):  # else the venv's phiwall would be compared with itself
        serverab.main(["--base", str(serverab.REPO)])
