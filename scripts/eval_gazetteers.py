#!/usr/bin/env python3
"""Run the gazetteer finders (names, places, spelling) alone over a labelled corpus.

Usage:
    python scripts/eval_gazetteers.py GOLD.jsonl PRED.jsonl [--threshold 0.5]
    python ../shared/eval/score.py GOLD.jsonl PRED.jsonl --worst 30

Writes score.py PRED lines with the NAME, ADDRESS and LOCATION candidates at or above the
threshold (overlaps resolved by score, as the engine would), and prints the finders' mean
time per utterance after a warm-up pass. The output holds offsets and labels, no text.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from phiwall.detect import names, places, spelling
from phiwall.detect.candidate import Candidate

FINDERS = (names.find, places.find, spelling.find)


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
    for find in FINDERS:
        start = time.perf_counter()
        for text in texts:
            find(text)
        per = (time.perf_counter() - start) / len(texts) * 1e6
        print(f"{find.__module__}: {per:.1f} us/utterance (scan cached)")
    start = time.perf_counter()
    for text in texts:
        for find in FINDERS:
            find(text + " ")  # a new string each time: the shared scan is not cached
    per = (time.perf_counter() - start) / len(texts) * 1e6
    print(f"all three, cold scan: {per:.1f} us/utterance")


if __name__ == "__main__":
    main()
