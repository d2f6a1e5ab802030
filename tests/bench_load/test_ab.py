"""benches/load/ab.py: two builds masking in lockstep, compared."""

from __future__ import annotations

import pytest
from benches.load import ab


@pytest.mark.parametrize("scenario", ab.SCENARIOS)
def test_a_build_against_itself_reports_both_sides_and_their_ratios(
    capsys: pytest.CaptureFixture[str], scenario: str
) -> None:
    base = str(ab.REPO / "python")  # this tree as the base: the same code on both sides
    assert ab.main(["--base", base, "--scenario", scenario, "--count", "6", "--pause", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"6 masks each, {scenario}, in lockstep (µs):"
    for line, name in zip(lines[1:3], ("base", "this tree"), strict=True):
        assert line.split()[: len(name.split())] == name.split()
        assert all(float(value) > 0 for value in line.split()[-5::2])
    assert lines[3].startswith("  this tree / base: p25 ")


@pytest.mark.parametrize("argv", [[], ["--base", str(ab.REPO)]], ids=["none", "not python/"])
def test_the_base_must_be_a_python_folder_with_phiwall(argv: list[str]) -> None:
    with pytest.raises(SystemExit):  # else the venv's phiwall would be compared with itself
        ab.main([*argv, "--scenario", "warm"])
