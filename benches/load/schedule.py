"""When each request of an open-loop phase starts, and which target it goes to.

The targets take turns in short blocks so that machine noise (other processes on the two
cores) hits them alike: round r gives each target one block, in an order rotated by r, and
every target's block of round r sends the same requests. Within a block, requests arrive
at a fixed rate — evenly spaced, or as a Poisson process — regardless of completions.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Arrivals = Literal["uniform", "poisson"]


@dataclass(frozen=True, slots=True)
class Slot:
    """One request to start `at` seconds after the phase starts, to `target`.

    `request` indexes the phase's request list; `round` is the interleaving round.
    """

    at: float
    target: str
    request: int
    round: int


def arrival_offsets(count: int, rate: float, arrivals: Arrivals, rng: random.Random) -> list[float]:
    """`count` start offsets (seconds, from 0) at `rate` per second; O(count).

    "uniform" spaces them exactly 1/rate apart; "poisson" draws exponential gaps from `rng`.
    Raises ValueError for a rate that is not positive or an unknown arrival process.
    """
    if not rate > 0:
        raise ValueError(f"the arrival rate must be positive, not {rate}")
    if arrivals == "uniform":
        return [i / rate for i in range(count)]
    if arrivals == "poisson":
        offsets, at = [], 0.0
        for _ in range(count):
            offsets.append(at)
            at += rng.expovariate(rate)
        return offsets
    raise ValueError(f"unknown arrival process {arrivals!r}")


def interleaved_plan(
    targets: Sequence[str],
    duration: float,
    rate: float,
    block: float,
    arrivals: Arrivals = "uniform",
    seed: int = 0,
) -> list[Slot]:
    """The open-loop schedule: `duration` seconds of `rate` requests/s for each target.

    Blocks of `block` seconds (the last one shortened so each target gets `duration`);
    blocks follow each other with no gap, so the machine sees `rate` requests/s throughout.
    Request indices restart at the same value for every target of a round, so the three
    targets are sent identical requests. O(len(targets) * duration * rate).
    Raises ValueError if there are no targets or a duration, rate or block is not positive.
    """
    if not targets:
        raise ValueError("at least one target is needed")
    if not (duration > 0 and block > 0):
        raise ValueError("duration and block must be positive")
    rng = random.Random(seed)
    per_block = max(1, round(rate * block))
    total = max(1, round(rate * duration))
    slots: list[Slot] = []
    clock = 0.0
    first_request = 0
    round_number = 0
    while first_request < total:
        count = min(per_block, total - first_request)
        shift = round_number % len(targets)
        order = [*targets[shift:], *targets[:shift]]
        for target in order:
            offsets = arrival_offsets(count, rate, arrivals, rng)
            slots.extend(
                Slot(clock + offset, target, first_request + i, round_number)
                for i, offset in enumerate(offsets)
            )
            clock += count / rate  # the next block starts one block-length later
        first_request += count
        round_number += 1
    slots.sort(key=lambda slot: slot.at)  # Poisson blocks may overlap their neighbours
    return slots
