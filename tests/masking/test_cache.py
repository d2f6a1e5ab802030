"""`phiwall.masking.cache`: the bounded per-text memo of detections."""

from __future__ import annotations

import pytest

from phiwall.masking.cache import DIGEST_ABOVE, MAX_FINDINGS, DetectionCache, Value, cache_key


def test_short_texts_are_their_own_keys_and_long_ones_a_digest() -> None:
    short, long = "a" * DIGEST_ABOVE, "a" * (DIGEST_ABOVE + 1)
    assert cache_key(short) == short
    assert isinstance(cache_key(long), bytes)
    assert len(cache_key(long)) == 16
    assert cache_key(long) != cache_key(long + "b")
    assert cache_key("\ud800" * (DIGEST_ABOVE + 1))  # a lone surrogate is hashed, not refused


def value(i: int) -> Value:
    return Value(i, i + 1, "NAME", "n", "N", "n")


def test_the_least_recently_used_entry_is_evicted() -> None:
    cache = DetectionCache(2)
    a, b, c = (value(0),), (value(1),), (value(2),)
    cache.keep("a", a)
    cache.keep("b", b)
    assert cache.get("a") is a  # "b" is now the oldest
    cache.keep("c", c)
    assert (cache.get("b"), cache.get("a"), cache.get("c"), len(cache)) == (None, a, c, 2)


def test_an_entry_with_too_many_findings_is_not_kept() -> None:
    cache = DetectionCache(10)
    cache.keep("x", tuple(value(i) for i in range(MAX_FINDINGS + 1)))
    assert cache.get("x") is None


def test_size_zero_keeps_nothing_and_a_negative_size_is_refused() -> None:
    cache = DetectionCache(0)
    cache.keep("x", ())
    assert (len(cache), cache.get("x")) == (0, None)
    with pytest.raises(ValueError, match="cache size"):
        DetectionCache(-1)
