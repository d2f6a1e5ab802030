"""Token buckets per agent, driven by an explicit clock."""

from __future__ import annotations

import pytest

from phiwall.errors import RateLimited
from phiwall.proxy.ratelimit import RateLimiter
from phiwall.store.agent import Agent


def agent(agent_id: str = "agt_a", rate: float = 100.0, burst: int = 200) -> Agent:
    return Agent(
        id=agent_id, name=agent_id, upstream_url="http://u", rate_per_second=rate, burst=burst
    )


def take(limiter: RateLimiter, who: Agent, now: float, count: int) -> int:
    """How many of `count` requests at time `now` pass."""
    passed = 0
    for _ in range(count):
        try:
            limiter.check(who, now)
        except RateLimited:
            continue
        passed += 1
    return passed


@pytest.mark.parametrize(
    ("rate", "burst", "requests", "passed"),
    [
        (100.0, 200, 250, 200),  # the default: a burst of 200 at once
        (1.0, 1, 3, 1),
        (0.5, 5, 5, 5),
        (10.0, 3, 4, 3),
    ],
)
def test_a_burst_passes_then_the_bucket_is_empty(
    rate: float, burst: int, requests: int, passed: int
) -> None:
    assert take(RateLimiter(), agent(rate=rate, burst=burst), 0.0, requests) == passed


def test_the_bucket_refills_at_the_sustained_rate() -> None:
    limiter, who = RateLimiter(), agent(rate=100.0, burst=200)
    assert take(limiter, who, 0.0, 200) == 200
    assert take(limiter, who, 0.5, 100) == 50  # half a second refills 50
    assert take(limiter, who, 10.0, 300) == 200  # refills no further than the burst


@pytest.mark.parametrize(
    ("rate", "burst", "drained_at", "asked_at", "retry_after"),
    [
        (100.0, 200, 0.0, 0.0, 0.01),
        (1.0, 1, 0.0, 0.0, 1.0),
        (1.0, 1, 0.0, 0.25, 0.75),
        (0.5, 1, 0.0, 0.0, 2.0),
    ],
)
def test_retry_after_is_the_time_until_one_token(
    rate: float, burst: int, drained_at: float, asked_at: float, retry_after: float
) -> None:
    limiter, who = RateLimiter(), agent(rate=rate, burst=burst)
    take(limiter, who, drained_at, burst)
    with pytest.raises(RateLimited) as caught:
        limiter.check(who, asked_at)
    assert caught.value.retry_after == pytest.approx(retry_after)
    assert caught.value.status == 429
    assert caught.value.headers["retry-after"] == str(max(1, -int(-retry_after // 1)))


def test_waiting_retry_after_is_enough() -> None:
    limiter, who = RateLimiter(), agent(rate=3.0, burst=1)
    limiter.check(who, 0.0)
    with pytest.raises(RateLimited) as caught:
        limiter.check(who, 0.1)
    limiter.check(who, 0.1 + caught.value.retry_after)


def test_agents_have_separate_buckets() -> None:
    limiter, first, second = RateLimiter(), agent("agt_1", burst=2), agent("agt_2", burst=2)
    assert take(limiter, first, 0.0, 5) == 2
    assert take(limiter, second, 0.0, 5) == 2


def test_changed_limits_apply_at_once() -> None:
    limiter = RateLimiter()
    assert take(limiter, agent(rate=1.0, burst=2), 0.0, 5) == 2
    assert take(limiter, agent(rate=1000.0, burst=2), 0.002, 5) == 2


def test_a_clock_stepping_back_refills_nothing() -> None:
    limiter, who = RateLimiter(), agent(rate=1.0, burst=1)
    limiter.check(who, 100.0)
    with pytest.raises(RateLimited):
        limiter.check(who, 50.0)
    with pytest.raises(RateLimited):
        limiter.check(who, 100.5)
    limiter.check(who, 101.0)


def test_full_buckets_of_idle_agents_are_evicted() -> None:
    limiter = RateLimiter()
    for number in range(1000):
        limiter.check(agent(f"agt_{number}", rate=100.0, burst=200), 0.0)
    assert len(limiter) == 1000
    active = agent("agt_active", rate=10_000.0, burst=200)
    for step in range(600):  # every check evicts up to two refilled buckets
        limiter.check(active, 1.0 + step / 1000)
    assert len(limiter) == 1  # only the active agent is left


def test_eviction_keeps_buckets_that_are_still_refilling() -> None:
    limiter = RateLimiter()
    slow = agent("agt_slow", rate=1.0, burst=10)
    assert take(limiter, slow, 0.0, 10) == 10  # empty; full again only at t=10
    other = agent("agt_other", rate=1000.0, burst=1000)
    for step in range(100):
        limiter.check(other, 5.0 + step / 1000)
    assert len(limiter) == 2
    assert take(limiter, slow, 5.0, 10) == 5  # its state survived: 5 tokens refilled


def test_forget_drops_a_bucket() -> None:
    limiter, who = RateLimiter(), agent(rate=1.0, burst=1)
    limiter.check(who, 0.0)
    limiter.forget(who.id)
    limiter.forget("agt_never_seen")
    assert len(limiter) == 0
    limiter.check(who, 0.0)  # a fresh, full bucket
