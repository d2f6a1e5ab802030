#!/usr/bin/env python3
"""Run the gazetteer finders (names, places, spelling) alone over a labelled corpus.

Usage:
    python scripts/eval_gazetteers.py GOLD.jsonl PRED.jsonl [--threshold 0.5]
    python ../shared/eval/score.py GOLD.jsonl PRED.jsonl --worst 30

Writes score.py PRED lines with the NAME, ADDRESS and LOCATION candidates at or above the
threshold (overlaps resolved by score, as the engine would), and prints each finder's CPU
time per utterance (best of three runs, after a warm-up pass; each finder alone pays the
shared scan, "all three" pays it once). The output holds offsets and labels, no text.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

from phiwall.detect import names, places, spelling
from phiwall.detect.candidate import Candidate

Finder = Callable[[str], list[Candidate]]
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
    for label, finders in [(f.__module__, (f,)) for f in FINDERS] + [("all three", FINDERS)]:
        print(f"{label}: {_per_utterance(texts, finders):.1f} us/utterance")


def _per_utterance(texts: list[str], finders: tuple[Finder, ...], runs: int = 3) -> float:
    """Best-of-`runs` CPU time per text of `finders`, each text new to the shared scan cache
    (so the scan is paid once per text, as in a detection)."""
    best = float("inf")
    for run in range(runs):
        fresh = [text + " " * (run + 1) for text in texts]  # new strings: no cached scans
        start = time.process_time()
        for text in fresh:
            for find in finders:
                find(text)
        best = min(best, time.process_time() - start)
    return best / len(texts) * 1e6


if __name__ == "__main__":
    main()
