"""benches/load/inproc.py: phiwall served in process against a real mock, CPU and stages."""

from __future__ import annotations

import pytest
from benches.load import inproc


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
def test_a_small_run_reports_cpu_and_stages_for_both_modes(
    capsys: pytest.CaptureFixture[str], stream: bool
) -> None:
    argv = ["--count", "12", "--gap", "1", *(["--stream"] if stream else [])]
    assert inproc.main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "12 requests of the load benchmark (seed 500), in one process:"
    assert lines[1].startswith("back to back: CPU per request, event loop p50 ")
    assert lines[3].startswith("paced 1 ms: CPU per request, event loop p50 ")
    for stages in (lines[2], lines[4]):
        assert stages.startswith("  stages p50 µs: own work ")
        assert all(f"{stage} " in stages for stage in inproc.STAGES)


def test_the_recorder_puts_record_turn_back() -> None:
    from phiwall.proxy import chat

    original = chat.record_turn
    with inproc.Recorder():
        assert chat.record_turn is not original
    assert chat.record_turn is original
