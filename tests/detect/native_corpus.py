"""The texts the native detector is held to Python's on (`test_native_parity.py`).

- every utterance of the dev corpus, as written, lower-cased and upper-cased;
- the dev corpus with its names swapped for Faker names (`scripts/swap_eval.py`, 2 seeds);
- every message of 40 load-benchmark calls (spoken and formatted styles, tool JSON);
- every string literal of 8+ characters in the detector's own tests (the edge cases);
- the probe phrasings of `PROBES`: leak classes found by probing, and their look-alikes.

`spliced()` adds texts no one wrote: the head of one corpus text joined to the tail of
another at word boundaries, so cues meet values, and values meet text ends, in new ways.

Only ASCII texts are kept: the native detector reads nothing else.
"""

from __future__ import annotations

import ast
import json
import random
import sys
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEV = REPO.parent / "shared" / "eval" / "dev.jsonl"


# Phrasings probed for leaks (and the ordinary text that looks like them), each said
# spoken and typed; `corpus()` adds their lower- and upper-case forms.
PROBES: tuple[str, ...] = (
    # family name first, no cue
    "pham minh tuan",
    "Pham Minh Tuan called",
    "park ji hoon",
    "Park Ji Hoon called",
    "kim soo jin",
    "this is kim soo jin",
    "nguyen van binh",
    "li wei",
    "my name is li wei",
    "wang xiu ying",
    "Wang Xiu Ying called",
    "zhang wei called yesterday",
    "liu yang called",
    "choi min jun",
    "cho soo jin",
    "lee min ho",
    "vo thi lan",
    "ngo thanh hai",
    "xu ming",
    "my father pham van long needs a refill",
    "i'm calling for park ji hoon",
    "i went to the park ji hoon was there",
    "the park john smith",
    # an ordinary-word first name, a middle initial, a surname
    "maria t lopez",
    "the patient is grace k morgan",
    "will j turner called",
    "Will J. Turner called.",
    "Maria T. Lopez called.",
    "mark t brown is my husband",
    "will u call me back",
    "mark u down for tuesday",
    "i may b late",
    "you will b fine",
    "it's five p m",
    "may j smith",
    "robin d hood",
    # streets with no suffix word, numbered roads
    "i'm at seventeen twenty two south broadway",
    "i live at 1722 broadway",
    "I live at 1722 Broadway, New York, NY 10019.",
    "i live at 22 south broadway apartment 4",
    "i live at 1722 highway 9",
    "my address is 4500 route 66",
    "4500 state route nine",
    "i live at twelve hundred highway sixty six",
    "take route 9 for 2 miles",
    "turn left on highway 9 after 3 miles",
    "we saw a show on broadway",
    "matthew broadway called",
    "the 3 broadway shows",
    # NATO words inside identifiers, and as months and names
    "member id is alpha bravo one two three four five",
    "my mrn is kilo seven seven two nine",
    "my member id is xray yankee zulu one two three",
    "policy number is golf hotel four five six seven eight",
    "my medicare number is one echo golf four tango echo five mike kilo seven three",
    "my birthday is november twelve",
    "it was november one two three",
    "call mike four one five five five five one two one two",
    "my policy number is victor one two three four five six",
    # "it's spelled" before a word, letters, or no name
    "it's spelled okafor",
    "that's spelled okafor",
    "it's spelled o k a f o r",
    "it's spelled the same way",
    "it's spelled k as in kilo",
    "it's spelled okafor o k a f o r",
    "how is it spelled",
)


@cache
def corpus() -> tuple[str, ...]:
    """Every parity text, deduplicated, in a fixed order."""
    texts: dict[str, None] = {}
    for text in [*_dev(), *_swapped(), *_load_bench(), *_test_literals(), *PROBES]:
        for variant in (text, text.lower(), text.upper()):
            if variant.isascii():
                texts[variant] = None
    return tuple(texts)


def _dev() -> list[str]:
    with DEV.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines]


def _swapped() -> list[str]:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from faker import Faker

        from swap_eval import LOCALES, swap
    finally:
        sys.path.pop(0)
    with DEV.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    out = []
    for seed in (1, 2):
        rng = random.Random(seed)
        fakes = [Faker(locale) for locale in LOCALES]
        for i, fake in enumerate(fakes):
            fake.seed_instance(seed * 100 + i)
        out.extend(swap(record, fakes, rng)["text"] for record in records)
    return out


def _load_bench() -> list[str]:
    sys.path.insert(0, str(REPO))
    try:
        from benches.load.script import write_call
    finally:
        sys.path.pop(0)
    rng = random.Random(7)
    out = []
    for _ in range(40):
        for message in write_call(rng).messages:
            if isinstance(message.get("content"), str):
                out.append(message["content"])
            for call in message.get("tool_calls") or ():
                out.append(call["function"]["arguments"])
    return out


def _test_literals() -> list[str]:
    out = []
    for path in sorted((REPO / "tests" / "detect").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and len(node.value) >= 8:
                out.append(node.value)
    return out


@cache
def spliced(count: int = 6000, seed: int = 11) -> tuple[str, ...]:
    """`count` texts, each one corpus text's head spliced to another's tail (seeded)."""
    rng = random.Random(seed)
    texts = corpus()
    out = []
    for _ in range(count):
        head, tail = rng.choice(texts), rng.choice(texts)
        cut_head = rng.choice([i for i, c in enumerate(head) if c == " "] or [len(head)])
        cut_tail = rng.choice([i for i, c in enumerate(tail) if c == " "] or [0])
        out.append(head[:cut_head] + tail[cut_tail:])
    return tuple(out)
