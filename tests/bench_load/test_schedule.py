"""benches/load/schedule.py: open-loop arrival times and the interleaved plan."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest
from benches.load.schedule import arrival_offsets, interleaved_plan

TARGETS = ("direct", "passthrough", "phiwall")


def test_uniform_arrivals_are_evenly_spaced() -> None:
    assert arrival_offsets(4, 100.0, "uniform", random.Random(0)) == [0.0, 0.01, 0.02, 0.03]


def test_poisson_arrivals_average_the_rate_and_repeat_with_the_seed() -> None:
    offsets = arrival_offsets(5000, 100.0, "poisson", random.Random(1))
    assert offsets == arrival_offsets(5000, 100.0, "poisson", random.Random(1))
    assert offsets[-1] / len(offsets) == pytest.approx(0.01, rel=0.05)


def test_every_target_gets_the_same_requests_at_the_rate() -> None:
    plan = interleaved_plan(TARGETS, duration=2.0, rate=100.0, block=0.2)
    per_target = Counter(slot.target for slot in plan)
    assert per_target == dict.fromkeys(TARGETS, 200)
    for target in TARGETS:
        assert sorted(s.request for s in plan if s.target == target) == list(range(200))
    # Back to back: the machine sees the rate throughout, 3 targets' worth of time.
    assert plan[-1].at == pytest.approx(3 * 2.0 - 0.01)
    assert all(a.at <= b.at for a, b in itertools.pairwise(plan))


def test_rounds_rotate_which_target_goes_first() -> None:
    plan = interleaved_plan(TARGETS, duration=0.3, rate=10.0, block=0.1)
    firsts = [next(s.target for s in plan if s.round == r) for r in range(3)]
    assert firsts == ["direct", "passthrough", "phiwall"]


@pytest.mark.parametrize(
    ("targets", "duration", "rate", "block"),
    [((), 1.0, 1.0, 1.0), (TARGETS, 0.0, 1.0, 1.0), (TARGETS, 1.0, 0.0, 1.0)],
)
def test_bad_plans_are_refused(
    targets: tuple[str, ...], duration: float, rate: float, block: float
) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        interleaved_plan(targets, duration, rate, block)
