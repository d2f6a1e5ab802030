#!/usr/bin/env python3
"""Run the gazetteer finders (names, places, spelling) alone over a labelled corpus.

Usage:
    python scripts/eval_gazetteers.py GOLD.jsonl PRED.jsonl [--threshold 0.5]
    python ../shared/eval/score.py GOLD.jsonl PRED.jsonl --worst 30

Writes score.py PRED lines with the NAME, ADDRESS and LOCATION candidates at or above the
threshold (overlaps resolved by score, as the engine would), and prints CPU time per
utterance: the shared gazetteer scan alone, each finder on top of it, and all three (the
median of --runs passes after a warm-up pass; each pass uses fresh strings, so the scan is
paid once per text as in a detection; min in brackets, since the machine may be shared).
The output holds offsets and labels, no text.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from phiwall.detect import gazetteer as gz
from phiwall.detect import names, places, spelling
from phiwall.detect.candidate import Candidate

Finder = Callable[[str], list[Candidate]]
Timed = Callable[[str], object]  # a finder, or the scan
FINDERS: tuple[Finder, ...] = (names.find, places.find, spelling.find)


def candidates(text: str, threshold: float) -> list[Candidate]:
    """Every finder's candidates above `threshold`, overlaps resolved by score then length."""
    found = [c for find in FINDERS for c in find(text) if c.score >= threshold]
    found.sort(key=lambda c: (-c.score, c.start - c.end))
    kept: list[Candidate] = []
    for cand in found:
        if all(cand.end <= k.start or cand.start >= k.end for k in kept):
            kept.append(cand)
    return sorted(kept)


def main() -> None:
    """Write the predictions and print the timing."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("pred", type=Path)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--runs", type=int, default=9, help="timed passes (default 9)")
    args = parser.parse_args()
    records = [json.loads(line) for line in args.gold.read_text().splitlines() if line]
    texts = [r["text"] for r in records]
    with args.pred.open("w") as out:
        for record in records:
            spans = [
                {"start": c.start, "end": c.end, "label": c.label}
                for c in candidates(record["text"], args.threshold)
            ]
            out.write(json.dumps({"id": record["id"], "spans": spans}) + "\n")
    scan = _per_utterance(texts, (gz.scan,), args.runs)
    print(f"shared scan: {scan[0]:.1f} us/utterance [{scan[1]:.1f}]")
    rows = [(f.__module__, (f,)) for f in FINDERS] + [("all three", FINDERS)]
    for label, finders in rows:
        median, best = _per_utterance(texts, (gz.scan, *finders), args.runs)
        print(
            f"{label}: {median - scan[0]:.1f} us/utterance on top of the scan "
            f"[{best - scan[1]:.1f}], {median:.1f} with it"
        )


def _per_utterance(texts: list[str], finders: tuple[Finder, ...], runs: int) -> tuple[float, float]:
    """Median and min over `runs` passes of the CPU time per text of `finders`, each text
    new to the shared scan cache (so the scan is paid once per text, as in a detection)."""
    times = []
    for run in range(runs + 1):
        fresh = [text + " " * (run + 1) for text in texts]  # new strings: no cached scans
        start = time.process_time()
        for text in fresh:
            for find in finders:
                find(text)
        if run:  # the first pass warms caches up
            times.append((time.process_time() - start) / len(texts) * 1e6)
    return statistics.median(times), min(times)


if __name__ == "__main__":
    main()
