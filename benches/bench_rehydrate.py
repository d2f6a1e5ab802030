"""Rehydration speed: the Rust `Rehydrator` against the same algorithm in pure Python.

Goal: `feed` at most 1 µs per typical SSE content chunk (4-40 characters), Python call
included, with a release build (`make build-prod`). Run:

    .venv/bin/pytest benches/bench_rehydrate.py --benchmark-only

The summary at the end gives each implementation's mean per operation and its ratio to Rust.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

import pytest
from benches.reference_rehydrator import ReferenceRehydrator

from phiwall._native import Rehydrator

TABLE = {
    "[NAME_1]": "María José García",
    "[NAME_2]": "Chen Wei",
    "[NAME_10]": "Dr. Okafor",
    "[DATE_1]": "March 3, 1984",
    "[DATE_2]": "June 12",
    "[PHONE_1]": "(415) 555-0134",
    "[MEMBER_ID_1]": "XJH-448-2291",
    "[ADDRESS_1]": "1200 Valencia St, Apt 4",
    "[EMAIL_1]": "maria.garcia@example.com",
}

SENTENCES = [
    "Thanks, [NAME_1]. I have your date of birth as [DATE_1]. ",
    "Your appointment with [NAME_10] is on [DATE_2] at 3:30 pm. ",
    "I'll text the confirmation to [PHONE_1] and email it to [EMAIL_1]. ",
    "Is there anything else I can help you with today? ",
    "Please bring your insurance card; the member ID on file is [MEMBER_ID_1]. ",
    "The clinic is at [ADDRESS_1], on the second floor. ",
    "Take 20 mg twice a day with food, and call us if the dizziness comes back. ",
    "[NAME_2] from billing will call you back within two business days. ",
    "Parking is free for the first hour [see the sign at the entrance]. ",
]

IMPLEMENTATIONS: dict[str, Callable[[dict[str, str]], Any]] = {
    "rust": Rehydrator,
    "python": ReferenceRehydrator,
}


def answer(size: int, seed: int = 7) -> str:
    """A plausible assistant answer of about `size` characters."""
    rng = random.Random(seed)
    parts: list[str] = []
    while sum(map(len, parts)) < size:
        parts.append(rng.choice(SENTENCES))
    return "".join(parts)[:size]


def sse_chunks(text: str, seed: int = 11) -> list[str]:
    """`text` cut into chunks of 4 to 40 characters, as an upstream streams content."""
    rng = random.Random(seed)
    chunks, i = [], 0
    while i < len(text):
        step = rng.choice([4, 5, 6, 8, 10, 12, 16, 20, 28, 40])
        chunks.append(text[i : i + step])
        i += step
    return chunks


STREAM = answer(4_000)
CHUNKS = sse_chunks(STREAM)
TOKENS_CUT = sum(("[" in c and "]" not in c.split("[")[-1]) for c in CHUNKS)


def feed_all(rehydrator: Any) -> str:
    stream = rehydrator.stream()
    return "".join(map(stream.feed, CHUNKS)) + stream.flush()


@pytest.mark.benchmark(group="feed, per SSE chunk (4-40 chars)")
@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_feed_per_chunk(compare: Callable[..., Any], impl: str) -> None:
    assert TOKENS_CUT >= 10  # the mix does cut tokens across chunks
    rehydrator = IMPLEMENTATIONS[impl](TABLE)
    expected = Rehydrator(TABLE).replace(STREAM)
    assert compare(impl, feed_all, rehydrator, per=len(CHUNKS)) == expected


@pytest.mark.benchmark(group="feed, one chunk without '['")
@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_feed_plain_chunk(compare: Callable[..., Any], impl: str) -> None:
    chunk = " at 3:30 pm. Is there"
    feed = IMPLEMENTATIONS[impl](TABLE).stream().feed
    assert compare(impl, feed, chunk) == chunk


@pytest.mark.benchmark(group="feed, one chunk with a token")
@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_feed_token_chunk(compare: Callable[..., Any], impl: str) -> None:
    feed = IMPLEMENTATIONS[impl](TABLE).stream().feed
    assert compare(impl, feed, "Thanks, [NAME_1]. I") == "Thanks, María José García. I"


@pytest.mark.benchmark(group="Rehydrator(table), 9 tokens")
@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_build(compare: Callable[..., Any], impl: str) -> None:
    compare(impl, IMPLEMENTATIONS[impl], TABLE)


@pytest.mark.benchmark(group="stream()")
@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_stream(compare: Callable[..., Any], impl: str) -> None:
    compare(impl, IMPLEMENTATIONS[impl](TABLE).stream)


TOKEN = re.compile(r"\[ {0,2}([A-Za-z0-9_]+) {0,2}\]")


def regex_replace(text: str) -> str:
    """What one would write in Python for whole texts (no streaming)."""
    return TOKEN.sub(lambda m: TABLE.get(f"[{m.group(1).upper()}]", m.group(0)), text)


@pytest.mark.parametrize("size", [1_000, 100_000], ids=["1KB", "100KB"])
@pytest.mark.parametrize("impl", [*IMPLEMENTATIONS, "python re.sub"])
def test_replace(compare: Callable[..., Any], benchmark: Any, impl: str, size: int) -> None:
    benchmark.group = f"replace, {size // 1000} KB"
    text = answer(size)
    replace = regex_replace if impl == "python re.sub" else IMPLEMENTATIONS[impl](TABLE).replace
    assert compare(impl, replace, text) == regex_replace(text)
