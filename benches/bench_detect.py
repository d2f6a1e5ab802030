"""Detection speed on the dev corpus, and what Hyperscan buys over Python's `re`.

    .venv/bin/pytest benches/bench_detect.py --benchmark-only

Each benchmark runs over all 1,500 dev utterances (about 84 characters each); the summary
prints the mean per utterance, and `extra_info` holds MB/s. Groups:

* `detect per utterance`: `detect()` as shipped (the native detector for ASCII text) and
  with the Python reference finders on every text (`engine.NATIVE = False`), in one run,
  so the ratio line shows what the Rust port buys; then the Python path with its text
  finders off (patterns only), and natively on utterances that contain no trigger at all
  (group `detect variants per utterance`).
* `structured patterns per utterance`: the same `patterns.PATTERNS` run as one Hyperscan
  database (`patterns.scan`, the reference, and the path of non-ASCII text), as the native
  scanner that replaces it for ASCII text (regex-automata lazy DFAs reporting exactly what
  Hyperscan reports, pruned alike), and as compiled `re` patterns (`finditer` each), in one
  run, so the ratio lines show what each buys.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from phiwall.detect import detect, engine, native, patterns

_SHARED = Path(os.environ.get("PHIWALL_SHARED", Path(__file__).resolve().parents[2] / "shared"))
_DEV = _SHARED / "eval" / "dev.jsonl"


@pytest.fixture(scope="module")
def texts() -> list[str]:
    if not _DEV.exists():
        pytest.skip(f"dev corpus not found at {_DEV}")
    with _DEV.open(encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def _over(fn: Callable[[str], Any], texts: list[str]) -> Callable[[], None]:
    def run() -> None:
        for text in texts:
            fn(text)

    return run


def _throughput(benchmark: Any, texts: list[str]) -> None:
    if benchmark.stats is not None:
        size = sum(len(t.encode()) for t in texts)
        benchmark.extra_info["MB_per_s"] = round(size / benchmark.stats.stats.mean / 1e6, 2)
        per = benchmark.stats.stats.mean / len(texts)
        benchmark.extra_info["us_per_utterance"] = round(per * 1e6, 2)


@pytest.mark.benchmark(group="detect per utterance")
def test_detect_all_finders(compare: Any, benchmark: Any, texts: list[str]) -> None:
    detect(texts[0])  # compile the database and load the gazetteers outside the timing
    compare("native", _over(detect, texts), per=len(texts))
    _throughput(benchmark, texts)


@pytest.mark.benchmark(group="detect per utterance")
def test_detect_python_reference(
    compare: Any, benchmark: Any, texts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "NATIVE", False)
    detect(texts[0])
    compare("python", _over(detect, texts), per=len(texts))
    _throughput(benchmark, texts)


@pytest.mark.benchmark(group="detect variants per utterance")
def test_detect_own_finders(
    compare: Any, benchmark: Any, texts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "NATIVE", False)
    monkeypatch.setattr(engine, "FINDERS", [])
    detect(texts[0])
    compare("python, patterns only", _over(detect, texts), per=len(texts))
    _throughput(benchmark, texts)


@pytest.mark.benchmark(group="detect variants per utterance")
def test_detect_no_trigger(
    compare: Any, benchmark: Any, texts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet = [t for t in texts if not patterns.scan(t)]
    compare("native, no trigger", _over(detect, quiet), per=len(quiet))
    _throughput(benchmark, quiet)


_COMPILED = [re.compile(p, re.IGNORECASE) for _, p in patterns.PATTERNS]


def _re_scan(text: str) -> list[tuple[int, int]]:
    """The same patterns with Python's `re`: every pattern's matches, like one Hyperscan pass."""
    return [m.span() for rx in _COMPILED for m in rx.finditer(text)]


@pytest.mark.benchmark(group="structured patterns per utterance")
def test_patterns_hyperscan(compare: Any, benchmark: Any, texts: list[str]) -> None:
    patterns.warm()
    compare("hyperscan (one database)", _over(patterns.scan, texts), per=len(texts))
    _throughput(benchmark, texts)


@pytest.mark.benchmark(group="structured patterns per utterance")
def test_patterns_native_scanner(compare: Any, benchmark: Any, texts: list[str]) -> None:
    scanner = native.detector()
    ascii_texts = [t for t in texts if t.isascii()]

    def scan(text: str) -> None:
        scanner.hits_from_reports(text, [])

    compare("native scanner", _over(scan, ascii_texts), per=len(ascii_texts))
    _throughput(benchmark, ascii_texts)


@pytest.mark.benchmark(group="structured patterns per utterance")
def test_patterns_python_re(compare: Any, benchmark: Any, texts: list[str]) -> None:
    compare("python re (finditer each)", _over(_re_scan, texts), per=len(texts))
    _throughput(benchmark, texts)
