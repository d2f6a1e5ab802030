"""The native pattern scanner (rust/detect/scanner.rs) finds exactly Hyperscan's hits.

The native detector scans the patterns of `patterns.NATIVE_KINDS` itself and asks Hyperscan
(a smaller database) for the rest; pruned, the two together must equal `patterns.scan(text)`
(full Hyperscan) on every text: `native_corpus.corpus()`, `spliced()`, and random texts
built from the patterns' own vocabulary (number words, months, ordinals, digit groups,
"oh", "double", letters, "as in", joiners, fillers, punctuation, case changes), which meet
text edges and each other in ways no one wrote. The three word patterns alone (the costly
ones in Hyperscan) are checked too, with the other fourteen left to Hyperscan.

    .venv/bin/pytest tests/detect/test_native_words.py -x
"""

from __future__ import annotations

import random
import string
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import pytest
from tests.detect.native_corpus import corpus, spliced

from phiwall import _native
from phiwall.detect import engine, lexicon, patterns
from phiwall.detect.native import detector
from phiwall.detect.patterns import Kind

SHOWN = 8
WORD_KINDS = frozenset({Kind.DATE_WORDS, Kind.SPOKEN_RUN, Kind.ORDINAL})
RANDOM_TEXTS = 30_000
CHAR_TEXTS = 10_000

_NUMBERS = [*lexicon.DIGITS, *lexicon.TEENS, *lexicon.TENS, "hundred", "thousand"]
_WORDS = [
    *_NUMBERS,
    *_NUMBERS,
    *lexicon.MONTHS,
    *lexicon.ORDINALS,
    *lexicon.REPEATS,
    *lexicon.JOINERS,
    *lexicon.FILLERS,
    "oh",
    "point",
    "as in",
    "boy",
    "of",
    "the",
    "at",
    "dot com",
    "dot co dot uk",
    "gmail",
    "www",
    "https://",
    "born",
    "date",
    "birth",
    "call",
    "hello",
    "'85",
    "'",
    "-",
    "/",
    ".",
    ":",
    "@",
    "!",
    "?",
    "_",
]
_SEPARATORS = [" "] * 8 + [", ", ",", "-", "", "  ", ". ", "/", ":", "\n"]


def _token(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.55:
        word = rng.choice(_WORDS)
    elif roll < 0.7:
        word = rng.choice(string.ascii_lowercase)  # a spelled letter
    elif roll < 0.85:
        word = "".join(rng.choice(string.digits) for _ in range(rng.randint(1, 5)))
    elif roll < 0.93:
        day = str(rng.randint(0, 39))
        word = day + rng.choice(["st", "nd", "rd", "th", "th", ""])
    else:
        word = "".join(rng.choice("abcdef0123456789") for _ in range(rng.randint(1, 4)))
        word += rng.choice([":", "-", ".", "@", ""])
    case = rng.random()
    if case < 0.1:
        return word.upper()
    if case < 0.2:
        return word.capitalize()
    return word


def _random_texts(count: int, seed: int) -> tuple[str, ...]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 24)):
            parts.append(_token(rng))
            parts.append(rng.choice(_SEPARATORS))
        if rng.random() < 0.5:
            parts.pop()  # end on a word (a text edge right after a value)
        out.append("".join(parts))
    return tuple(out)


def _char_texts(count: int, seed: int) -> tuple[str, ...]:
    """Short strings of the characters the patterns turn on: boundaries at every place."""
    rng = random.Random(seed)
    chars = "aeinortwyAENT0123459 ,-./:@'_\t\n\x00"
    return tuple(
        "".join(rng.choice(chars) for _ in range(rng.randint(1, 30))) for _ in range(count)
    )


@cache
def _word_scanner() -> _native.Detector:
    """A detector scanning the three word patterns only (no lexicon: scanning needs none)."""
    return _native.Detector({}, [], patterns.native_patterns(WORD_KINDS))


def _assert_same(texts: tuple[str, ...], native: frozenset[Kind], scanner: object) -> None:
    wrong = []
    for text in texts:
        expected = [tuple(h) for h in patterns.scan(text)]
        rest = patterns.reports_except_native(text.encode(), native)
        got = scanner.hits_from_reports(text, rest)  # type: ignore[attr-defined]
        if expected != got:
            wrong.append(f"{text!r}\n    hyperscan: {expected}\n    native:    {got}")
    assert not wrong, f"{len(wrong)} of {len(texts)} texts differ; the first {SHOWN}:\n" + (
        "\n".join(wrong[:SHOWN])
    )


def _texts(name: str) -> tuple[str, ...]:
    if name == "corpus":
        return corpus()
    if name == "spliced":
        return spliced()
    if name == "random":
        return _random_texts(RANDOM_TEXTS, seed=5)
    return _char_texts(CHAR_TEXTS, seed=6)


TEXT_SETS = ["corpus", "spliced", "random", "chars"]


@pytest.mark.parametrize("name", TEXT_SETS)
def test_shipped_detector_matches_hyperscan(name: str) -> None:
    """The detector `engine.spans` uses, with `patterns.NATIVE_KINDS` scanned natively."""
    _assert_same(_texts(name), patterns.NATIVE_KINDS, detector())


@pytest.mark.parametrize("name", TEXT_SETS)
def test_word_patterns_alone_match_hyperscan(name: str) -> None:
    _assert_same(_texts(name), WORD_KINDS, _word_scanner())


def test_random_texts_have_word_hits() -> None:
    """The random texts do exercise the word patterns, and long spoken runs."""
    kinds: dict[Kind, int] = {}
    longest = 0
    for text in _random_texts(2000, seed=5):
        for hit in patterns.scan(text):
            kinds[hit.kind] = kinds.get(hit.kind, 0) + 1
            if hit.kind == Kind.SPOKEN_RUN:
                longest = max(longest, hit.end - hit.start)
    assert all(kinds.get(k, 0) > 50 for k in WORD_KINDS), kinds
    assert longest > 40


def test_long_texts() -> None:
    """Long spoken runs (every word an end: the reverse passes are memoised) and long
    runs of digits, letters and dashes, alone and mixed, match too."""
    rng = random.Random(9)
    texts = (
        "five " * 3000,
        "five four " * 1500 + "march the third",
        "one, two, three-four " * 500,
        "a1-" * 3000,
        "1" * 10000,
        " ".join(_random_texts(300, seed=8)),
        "-".join(rng.choice(_NUMBERS) for _ in range(4000)),
    )
    _assert_same(texts, patterns.NATIVE_KINDS, detector())
    _assert_same(texts, WORD_KINDS, _word_scanner())


def test_engine_spans_match_the_hyperscan_path() -> None:
    """`engine.spans` (native scan) == the native spans of full Hyperscan's hits."""
    det = detector()
    for text in (*corpus()[:3000], *_random_texts(3000, seed=7)):
        want = det.spans(text, [tuple(h) for h in patterns.scan(text)])
        assert [(s.start, s.end, s.label) for s in engine.spans(text)] == want, text


def test_full_reports_are_harmless() -> None:
    """Reports of natively scanned kinds handed in too are duplicates the prune drops."""
    for text in corpus()[:2000]:
        full = detector().hits_from_reports(text, patterns.reports(text.encode()))
        assert full == [tuple(h) for h in patterns.scan(text)], text


def test_detector_without_patterns_only_prunes() -> None:
    text = "march the third, five five five"
    got = _native.Detector({}, []).hits_from_reports(text, patterns.reports(text.encode()))
    assert got == [tuple(h) for h in patterns.scan(text)]
    assert _native.Detector({}, []).hits_from_reports(text, []) == []


def test_bad_patterns_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot compile"):
        _native.Detector({}, [], [(0, "(")])
    with pytest.raises(ValueError, match="no pattern kind"):
        _native.Detector({}, [], [(99, "a")])


def test_threads_share_the_detector() -> None:
    """Each thread gets its own DFA caches (a pool): concurrent scans agree with Hyperscan."""
    texts = (*corpus()[:1500], *_random_texts(1500, seed=4))
    expected = [[tuple(h) for h in patterns.scan(t)] for t in texts]
    det = detector()
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(
            pool.map(
                lambda t: det.hits_from_reports(t, patterns.reports_except_native(t.encode())),
                texts,
                chunksize=50,
            )
        )
    assert got == expected
