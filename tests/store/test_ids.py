"""Agent ids: `agt_` + ULID."""

from __future__ import annotations

import re

import pytest

from phiwall.store.ids import new_agent_id, new_ulid

ULID = re.compile(r"[0-9A-HJKMNP-TV-Z]{26}")


def test_agent_ids_are_agt_and_a_ulid() -> None:
    agent_id = new_agent_id()
    assert agent_id.startswith("agt_")
    assert ULID.fullmatch(agent_id[4:])


def test_the_time_part_matches_the_ulid_spec_example() -> None:
    # The spec's example 01ARZ3NDEKTSV4RRFFQ69G5FAV begins with 1469922850259 ms.
    assert new_ulid(1469922850.259)[:10] == "01ARZ3NDEK"


def test_ids_sort_by_creation_time_and_do_not_repeat() -> None:
    ids = [new_ulid(1_700_000_000 + second) for second in range(50)]
    assert ids == sorted(ids)
    assert len({new_agent_id(1_700_000_000) for _ in range(1000)}) == 1000


@pytest.mark.parametrize("now", [-1.0, 2.0**48 / 1000])
def test_times_outside_the_ulid_range_are_refused(now: float) -> None:
    with pytest.raises(ValueError, match="ULID"):
        new_ulid(now)
