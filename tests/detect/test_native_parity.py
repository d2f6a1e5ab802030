"""The native detector (rust/detect) finds exactly what the Python reference finds.

Each finder is compared on its own, then the whole engine, on `native_corpus.corpus()`:
the same candidates (start, end, label, score) in the same order. A failure lists the
first mismatches with both outputs, so a port can be fixed text by text:

    .venv/bin/pytest tests/detect/test_native_parity.py -k names -x
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.detect.native_corpus import corpus, spliced

from phiwall.detect import engine, gazetteer, names, patterns, places, spelling
from phiwall.detect.native import detector

Row = tuple[int, int, str, float]
SHOWN = 8


def _rows(cands: object) -> list[Row]:
    return [(c.start, c.end, c.label, c.score) for c in cands]  # type: ignore[attr-defined]


Finder = Callable[[str], list[Row]]


def _assert_same(
    name: str, python: Finder, native: Finder, texts: tuple[str, ...] | None = None
) -> None:
    texts = corpus() if texts is None else texts
    wrong = []
    for text in texts:
        expected, got = python(text), native(text)
        if expected != got:
            wrong.append(f"{text!r}\n    python: {expected}\n    native: {got}")
    assert not wrong, (
        f"{name}: {len(wrong)} of {len(texts)} texts differ; the first {SHOWN}:\n"
        + "\n".join(wrong[:SHOWN])
    )


def test_corpus_is_large_and_ascii() -> None:
    texts = corpus()
    assert len(texts) > 5000
    assert all(t.isascii() for t in texts)


def test_gazetteer_scan() -> None:
    _assert_same(
        "scan",
        lambda t: [tuple(h) for h in gazetteer.scan(t)],  # type: ignore[misc]
        lambda t: detector().scan(t),  # type: ignore[arg-type, return-value]
    )


#: Phrases whose words are separated by more than one space in the data ("camp h m  smith"),
#: punctuation as gaps, and texts without words: the native scan goes word by word.
GAPS = (
    "I was at Camp H. M.  Smith",
    "Camp H M. Smith base",
    "camp h m smith",
    "K. I. Sawyer Air Force Base",
    "k  i  sawyer air force base",
    "land o' lakes",
    "New  York",
    "new-york city",
    "St. Louis, saint louis heights",
    "",
    "   ",
    "1 2 3",
)


def test_gazetteer_scan_across_gaps() -> None:
    found = [detector().scan(t) for t in GAPS]
    found_1 = [GAPS[1][s:e] for s, e, _ in found[1]]
    assert found_1 == ["H", "H M", "M", "Camp H M. Smith"]  # lone letters: initials
    # a gap of three where the phrase has two: only the lone letters
    assert [GAPS[0][s:e] for s, e, _ in found[0]] == ["H", "M"]
    _assert_same(
        "scan",
        lambda t: [tuple(h) for h in gazetteer.scan(t)],  # type: ignore[misc]
        lambda t: detector().scan(t),  # type: ignore[arg-type, return-value]
        GAPS,
    )


@pytest.mark.parametrize("finder", [names, places, spelling], ids=lambda m: m.__name__[15:])
def test_text_finder(finder: object) -> None:
    name = finder.__name__[15:]  # type: ignore[attr-defined]  # "phiwall.detect.names"
    _assert_same(
        name,
        lambda t: _rows(finder.find(t)),  # type: ignore[attr-defined]
        lambda t: detector().finder(name, t),
    )


def _python_hit_candidates(text: str) -> list[Row]:
    found = [c for find in engine.FINDERS for c in find(text)]
    everything = engine.candidates(text)
    return _rows(everything[len(found) :])


def _native_hit_candidates(text: str) -> list[Row]:
    found = [c for find in engine.FINDERS for c in find(text)]
    places_found = [
        (c.start, c.end)
        for c in found
        if c.label in ("LOCATION", "ADDRESS") and c.score >= engine.DEFAULT_THRESHOLD
    ]
    hits = patterns.scan(text)
    if not hits:
        return []
    return detector().hit_candidates(text, hits, places_found)


def test_hit_handlers() -> None:
    _assert_same("hit handlers", _python_hit_candidates, _native_hit_candidates)


def test_engine_candidates() -> None:
    _assert_same(
        "candidates",
        lambda t: _rows(engine.candidates(t)),
        lambda t: detector().candidates(t, patterns.scan(t)),
    )


def test_engine_spans() -> None:
    """The shipped path (`engine.spans`: raw Hyperscan reports, pruned natively)."""
    assert engine.NATIVE
    _assert_same(
        "spans",
        lambda t: [(s.start, s.end, s.label, 0.0) for s in engine.resolve(engine.candidates(t))],
        lambda t: [(s.start, s.end, s.label, 0.0) for s in engine.spans(t)],
    )


def test_engine_spans_on_spliced_texts() -> None:
    """Texts no one wrote: heads and tails of corpus texts joined at spaces."""
    _assert_same(
        "spliced",
        lambda t: _rows(engine.candidates(t)),
        lambda t: detector().candidates(t, patterns.scan(t)),
        spliced(),
    )
