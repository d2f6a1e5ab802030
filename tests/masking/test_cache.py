"""`phiwall.masking.cache`: the bounded per-text memo."""

from __future__ import annotations

import pytest

from phiwall.masking.cache import DIGEST_ABOVE, MAX_FINDINGS, Scan, ScanCache, cache_key


def test_short_texts_are_their_own_keys_and_long_ones_a_digest() -> None:
    short, long = "a" * DIGEST_ABOVE, "a" * (DIGEST_ABOVE + 1)
    assert cache_key(short) == short
    assert isinstance(cache_key(long), bytes)
    assert len(cache_key(long)) == 16
    assert cache_key(long) != cache_key(long + "b")
    assert cache_key("\ud800" * (DIGEST_ABOVE + 1))  # a lone surrogate is hashed, not refused


def test_the_least_recently_used_entry_is_evicted() -> None:
    cache = ScanCache(2)
    a, b, c = Scan(), Scan(), Scan()
    cache.keep("a", a)
    cache.keep("b", b)
    assert cache.get("a") is a  # "b" is now the oldest
    cache.keep("c", c)
    assert (cache.get("b"), cache.get("a"), cache.get("c"), len(cache)) == (None, a, c, 2)


def test_an_entry_with_too_many_findings_is_not_kept() -> None:
    cache = ScanCache(10)
    scan = Scan()
    cache.keep("x", scan)
    scan.occurrences = tuple((i, i + 1, "n") for i in range(MAX_FINDINGS + 1))
    cache.keep("x", scan)
    assert cache.get("x") is None


def test_size_zero_keeps_nothing_and_a_negative_size_is_refused() -> None:
    cache = ScanCache(0)
    cache.keep("x", Scan())
    assert (len(cache), cache.get("x")) == (0, None)
    with pytest.raises(ValueError, match="cache size"):
        ScanCache(-1)
