"""Generalisation probe: the dev corpus with its person names swapped for names from
another source (Faker's locale lists, independent of phiwall's Census/SSA gazetteers).

The held-out corpus uses name pools disjoint from dev; this approximates that by
rewriting every plain NAME span of dev.jsonl (spelled-out names and names with
punctuation are kept) with a name drawn from several Faker locales, cased like the
original (lowercase in spoken style), and re-computing all span offsets.

    python scripts/swap_eval.py ../shared/eval/dev.jsonl --seed 1 > /tmp/swapped.jsonl
    phiwall scan < /tmp/swapped.jsonl > /tmp/pred.jsonl
    python ../shared/eval/score.py /tmp/swapped.jsonl /tmp/pred.jsonl

Needs `faker` (not a phiwall dependency: `pip install faker`).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import unicodedata
from collections.abc import Callable

from faker import Faker

LOCALES = ["en_US", "es_MX", "en_IN", "en_GB", "fr_FR", "it_IT", "de_DE", "pt_BR", "tr_TR"]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _styled(name: str, original: str) -> str:
    if original.islower():
        return _ascii(name).lower()
    if original.isupper():
        return name.upper()
    return name


def _word(draw: Callable[[], str]) -> str:
    """One single-word name from `draw` (compound names such as "da Silva" are redrawn,
    so that cutting them would not leave a bare particle)."""
    while True:
        name = draw()
        if name.isalpha():
            return name


def _replacement(fakes: list[Faker], rng: random.Random, original: str) -> str | None:
    words = original.split()
    if any(not w.isalpha() for w in words) or all(len(w) == 1 for w in words):
        return None  # punctuation, initials or spelled letters: keep the original
    fake = rng.choice(fakes)
    if len(words) == 1:
        parts = [_word(fake.first_name if rng.random() < 0.5 else fake.last_name)]
    else:
        parts = [_word(fake.first_name)] + [_word(fake.last_name) for _ in words[1:]]
    return _styled(" ".join(parts), original)


def swap(record: dict, fakes: list[Faker], rng: random.Random) -> dict:
    text = record["text"]
    out, spans, shift, cursor = [], [], 0, 0
    for span in record["spans"]:
        start, end, label = span["start"], span["end"], span["label"]
        value = text[start:end]
        new = _replacement(fakes, rng, value) if label == "NAME" else None
        new = value if new is None else new
        out.append(text[cursor:start])
        out.append(new)
        spans.append({"start": start + shift, "end": start + shift + len(new), "label": label})
        shift += len(new) - len(value)
        cursor = end
    out.append(text[cursor:])
    return {**record, "text": "".join(out), "spans": spans}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    fakes = [Faker(locale) for locale in LOCALES]
    for i, fake in enumerate(fakes):
        fake.seed_instance(args.seed * 100 + i)
    with open(args.gold, encoding="utf-8") as gold:
        for line in gold:
            sys.stdout.write(json.dumps(swap(json.loads(line), fakes, rng)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
