"""benches/load/coldlines.py: callgrind's counts read, divided and tabled; the child's turns
(without valgrind: `operator.call` works without it)."""

from __future__ import annotations

import json
import math
import operator
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from benches.load import coldlines
from benches.load.conversation import generate
from benches.load.mask_profile import WARMUP_SEED

EVENTS = "events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\n"


def _callgrind(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "callgrind.out"
    path.write_text("version: 1\ncreator: callgrind-3.19.0\n" + "".join(lines), encoding="utf-8")
    return path


def test_the_summary_line_is_read_by_the_events_line_names(tmp_path: Path) -> None:
    path = _callgrind(
        tmp_path,
        EVENTS,
        "fn=(1) _operator_call\n0 5 1 1\n",
        "summary: 1000 400 200 30 20 10 9 8 7\n",
        "totals: 1 1 1 1 1 1 1 1 1\n",  # the summary wins
    )
    totals = coldlines.read_callgrind(path)
    assert totals == {
        "Ir": 1000,
        "Dr": 400,
        "Dw": 200,
        "I1mr": 30,
        "D1mr": 20,
        "D1mw": 10,
        "ILmr": 9,
        "DLmr": 8,
        "DLmw": 7,
    }


def test_without_a_summary_the_totals_are_read_and_missing_numbers_are_zeros(
    tmp_path: Path,
) -> None:
    path = _callgrind(tmp_path, "events: Ir ILmr DLmr DLmw\n", "totals: 50 4\n")
    assert coldlines.read_callgrind(path) == {"Ir": 50, "ILmr": 4, "DLmr": 0, "DLmw": 0}


@pytest.mark.parametrize(
    "lines", [("summary: 1 2 3\n",), (EVENTS, "fn=(1) f\n")], ids=["no events", "no summary"]
)
def test_a_file_without_events_or_numbers_is_refused(tmp_path: Path, lines: tuple[str]) -> None:
    with pytest.raises(ValueError, match="has no"):
        coldlines.read_callgrind(_callgrind(tmp_path, *lines))


def test_counts_per_turn_add_the_three_misses_into_all_lines() -> None:
    totals = {"Ir": 1000, "Dr": 5, "ILmr": 40, "DLmr": 30, "DLmw": 10}
    assert coldlines.per_turn(totals, 4) == {
        "Ir": 250.0,
        "ILmr": 10.0,
        "DLmr": 7.5,
        "DLmw": 2.5,
        "lines": 20.0,
    }
    assert all(math.isnan(value) for value in coldlines.per_turn(totals, 0).values())
    with pytest.raises(KeyError):  # no cache simulation
        coldlines.per_turn({"Ir": 1000}, 4)


def _measured(scale: float, turns: int = 5) -> coldlines.Measured:
    values = {"Ir": 1000 * scale, "ILmr": 10 * scale, "DLmr": 20 * scale, "DLmw": 5 * scale}
    values["lines"] = 35 * scale
    return coldlines.Measured(values, {"resumed": turns, "fresh": 5}, "/x/phiwall")


def _nan() -> coldlines.Measured:
    return coldlines.Measured({name: math.nan for name, _ in coldlines.COLUMNS}, {}, "")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_the_table_has_a_row_per_stage_and_their_total_per_kind() -> None:
    results = {
        ("this tree", "parse", "resumed"): _measured(1),
        ("this tree", "mask", "resumed"): _measured(2),
        ("this tree", "parse", "fresh"): _nan(),  # no turn of that kind
        ("this tree", "mask", "fresh"): _measured(3),
    }
    lines = coldlines.table(results, ["parse", "mask"], ["resumed", "fresh"], ["this tree"])
    assert _cells(lines[0]) == [
        "kind",
        "stage",
        "instructions",
        "code lines",
        "data lines read",
        "data lines written",
        "all lines",
    ]
    assert lines[1] == "|---|---|---:|---:|---:|---:|---:|"
    rows = [_cells(line) for line in lines[2:]]
    assert [row[:2] for row in rows] == [
        ["resumed", "parse"],
        ["resumed", "mask"],
        ["resumed", "**total**"],
        ["fresh", "parse"],
        ["fresh", "mask"],
        ["fresh", "**total**"],
    ]
    assert rows[2][2:] == ["3,000", "30", "60", "15", "105"]
    assert rows[3][2:] == ["n/a"] * 5  # no turn of that kind
    assert rows[5][2:] == ["n/a"] * 5  # ... so no total either


def test_with_a_base_each_stage_has_both_builds_and_their_ratio() -> None:
    results = {
        ("base", "encode", "fresh"): _measured(2),
        ("this tree", "encode", "fresh"): _measured(1),
    }
    lines = coldlines.table(results, ["encode"], ["fresh"], ["base", "this tree"])
    assert _cells(lines[0])[:3] == ["kind", "stage", "build"]
    rows = [_cells(line) for line in lines[2:]]
    assert [row[2] for row in rows] == ["base", "this tree", "this / base"] * 2
    assert rows[0][3:] == ["2,000", "20", "40", "10", "70"]
    assert rows[2][3:] == ["0.500"] * 5


def test_arguments_default_to_everything_and_keep_the_turn_order() -> None:
    args = coldlines.parse_args([])
    assert (args.count, args.warmup, args.seed, args.jobs) == (100, 300, 500, 2)
    assert args.stages == list(coldlines.STAGES)
    assert args.kinds == ["resumed", "fresh"]
    args = coldlines.parse_args(["--stages", "settle", "parse", "--kinds", "fresh"])
    assert (args.stages, args.kinds, args.base, args.child) == (
        ["parse", "settle"],
        ["fresh"],
        None,
        None,
    )
    assert coldlines.parse_args(["--base", str(coldlines.REPO / "python")]).base


@pytest.mark.parametrize(
    "argv",
    [
        ["--stages", "rehydrate"],
        ["--kinds", "warm"],
        ["--count", "0"],
        ["--base", "."],
        ["--child", "mask", "warm"],
    ],
    ids=["stage", "kind", "count", "base", "child"],
)
def test_bad_arguments_exit(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        coldlines.parse_args(argv)


def test_missing_valgrind_exits_2_with_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(coldlines.shutil, "which", lambda name: None)
    assert coldlines.main(["--count", "60"]) == 2
    assert "valgrind is not installed" in capsys.readouterr().err


def test_the_children_count_in_operator_call_only_from_the_repository() -> None:
    command = coldlines.valgrind_command(Path("/tmp/out"), ["--child", "mask", "fresh"])
    assert command[:8] == [
        "valgrind",
        "--tool=callgrind",
        "--cache-sim=yes",
        "--LL=33554432,16,64",
        "--instr-atstart=no",
        "--collect-atstart=no",
        "--toggle-collect=_operator_call",
        "--callgrind-out-file=/tmp/out",
    ]
    assert command[-5:] == ["-m", "benches.load.coldlines", "--child", "mask", "fresh"]


def test_a_child_s_environment_is_minimal_and_of_one_size_for_either_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("UNRELATED", "x")
    monkeypatch.setenv("PYTHONPATH", "/extra")
    base, this = coldlines.child_env("/elsewhere/base/python"), coldlines.child_env(None)
    assert base["PYTHONPATH"].split(":") == [
        "/elsewhere/base/python",
        str(coldlines.REPO),
        "/extra",
    ]
    assert this["PYTHONPATH"].split(":") == [
        f"{coldlines.REPO}/python",
        str(coldlines.REPO),
        "/extra",
    ]
    for env in (base, this):
        assert env["PYTHONHASHSEED"] == "0"
        assert set(env) <= {
            "PATH",
            "HOME",
            "TMPDIR",
            "PYTHONPATH",
            "PYTHONHASHSEED",
            "COLDLINES_PAD",
        }
    sizes = [sum(len(name) + len(value) + 2 for name, value in env.items()) for env in (base, this)]
    assert sizes[0] == sizes[1]


def test_main_prints_the_command_commits_turns_and_table(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def measure(stage: str, kind: str, *args: Any) -> coldlines.Measured:
        return _measured(2 if args[3] else 1)  # args[3]: the base folder, or None

    monkeypatch.setattr(coldlines.shutil, "which", lambda name: "/usr/bin/valgrind")
    monkeypatch.setattr(coldlines, "measure", measure)
    base = str(coldlines.REPO / "python")
    argv = ["--count", "60", "--stages", "parse", "--base", base]
    assert coldlines.main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2] == f"command: python -m benches.load.coldlines {' '.join(argv)}"
    assert out[3].startswith("base: commit ")
    assert out[4].startswith("this tree: commit ")
    assert out[4].endswith("phiwall from /x/phiwall; turns: 5 resumed, 5 fresh")
    ratios = [_cells(line) for line in out if "this / base" in line]
    assert [row[:2] for row in ratios] == [
        ["resumed", "parse"],
        ["resumed", "**total**"],
        ["fresh", "parse"],
        ["fresh", "**total**"],
    ]
    assert all(cells[3:] == ["0.500"] * 5 for cells in ratios)


def test_a_kind_without_turns_is_explained(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(coldlines.shutil, "which", lambda name: "/usr/bin/valgrind")
    monkeypatch.setattr(coldlines, "measure", lambda *args: _measured(1, turns=0))
    assert coldlines.main(["--count", "30", "--stages", "find"]) == 0
    out = capsys.readouterr().out
    assert "No resumed turn measured: the first 50 requests" in out
    assert "No fresh turn" not in out


def _fake_child(
    monkeypatch: pytest.MonkeyPatch, callgrind: str, report: object, status: int | str = 0
) -> None:
    """Make `measure` run, instead of valgrind, a child that writes `callgrind` as its
    output file, prints `report` as JSON and exits with `status`."""
    script = (
        "import json, sys\n"
        f"if {callgrind!r}: open(sys.argv[1], 'w').write({callgrind!r})\n"
        f"print(json.dumps({report!r}))\n"
        f"sys.exit({status!r})\n"
    )

    def command(out_file: Path, child_args: object) -> list[str]:
        return [sys.executable, "-c", script, str(out_file)]

    monkeypatch.setattr(coldlines, "valgrind_command", command)


def test_a_child_s_counts_are_divided_by_its_turns_of_the_kind(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    report = {"turns": {"resumed": 4, "fresh": 2}, "phiwall": "/base/python/phiwall"}
    _fake_child(monkeypatch, EVENTS + "summary: 8000 0 0 0 0 0 80 40 8\n", report)
    measured = coldlines.measure("mask", "resumed", 500, 6, 1, "/base/python", tmp_path)
    assert measured == coldlines.Measured(
        {"Ir": 2000.0, "ILmr": 20.0, "DLmr": 10.0, "DLmw": 2.0, "lines": 32.0},
        {"resumed": 4, "fresh": 2},
        "/base/python/phiwall",
    )


TURNS = {"turns": {"resumed": 3, "fresh": 0}, "phiwall": "p"}


@pytest.mark.parametrize(
    ("callgrind", "report", "status", "message"),
    [
        (EVENTS + "summary: 1\n", TURNS, "boom", "the parse-resumed-this child failed (1):\nboom"),
        ("", TURNS, 0, "result is unreadable (FileNotFoundError"),
        (EVENTS + "summary: 1\n", {}, 0, "result is unreadable (KeyError"),
        (EVENTS + "summary: 0\n", TURNS, 0, "counted nothing: no _operator_call?"),
    ],
    ids=["exit", "no file", "no turns", "nothing counted"],
)
def test_a_failed_child_is_a_runtime_error(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    callgrind: str,
    report: object,
    status: int | str,
    message: str,
) -> None:
    _fake_child(monkeypatch, callgrind, report, status)
    with pytest.raises(RuntimeError, match=re.escape(message)):
        coldlines.measure("parse", "resumed", 500, 6, 1, None, tmp_path)


COUNT = 60  # 50 calls are in progress at once: the first 50 requests are first turns


def _first_turns(count: int) -> int:
    return sum(request.turn == 0 for request in generate(500, count))


class Recorder:
    """`operator.call` that also records what it was given."""

    def __init__(self) -> None:
        self.calls: list[Any] = []

    def __call__(self, function: Any, *args: Any) -> Any:
        self.calls.append(function)
        return operator.call(function, *args)


@pytest.fixture(scope="module")
def bodies() -> tuple[list[bytes], list[bytes]]:
    return coldlines.request_bodies(500, COUNT), coldlines.request_bodies(WARMUP_SEED, 20)


def test_a_calls_first_request_is_fresh_and_its_later_ones_resume(
    bodies: tuple[list[bytes], list[bytes]],
) -> None:
    recorder = Recorder()
    counts = coldlines.run_turns(*bodies, call=recorder)
    fresh = _first_turns(COUNT)
    assert 0 < fresh < COUNT
    assert counts == {"resumed": COUNT - fresh, "fresh": fresh}
    assert recorder.calls == []  # no stage measured: nothing through operator.call


@pytest.mark.parametrize(
    ("stage", "kind", "function"),
    [
        ("parse", "resumed", "parse_chat_request"),
        ("find", "fresh", "find"),
        ("mask", "fresh", "_mask"),
        ("encode", "resumed", "encode"),
        ("settle", "resumed", "settle"),
    ],
)
def test_only_the_measured_stage_of_the_measured_kind_goes_through_the_call(
    bodies: tuple[list[bytes], list[bytes]], stage: str, kind: str, function: str
) -> None:
    recorder = Recorder()
    started: list[bool] = []
    counts = coldlines.run_turns(
        *bodies, stage, kind, call=recorder, on_start=lambda: started.append(True)
    )
    assert started == [True]
    assert {getattr(called, "__name__", None) for called in recorder.calls} == {function}
    assert len(recorder.calls) == counts[kind]  # once a turn (a fresh turn masks once)


def test_the_child_mode_prints_its_turns_and_phiwall_as_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["--child", "parse", "fresh", "--count", str(COUNT), "--warmup", "10"]
    assert coldlines.main(argv) == 0
    report = json.loads(capsys.readouterr().out.splitlines()[-1])
    fresh = _first_turns(COUNT)
    assert report["turns"] == {"resumed": COUNT - fresh, "fresh": fresh}
    assert Path(report["phiwall"], "__init__.py").is_file()
