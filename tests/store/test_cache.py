"""The in-memory agent table."""

from __future__ import annotations

from phiwall.store.agent import Agent
from phiwall.store.cache import AgentCache

ID = "agt_01HZY7Q8W5V3JQK2M4N6P8R0ST"


def agent(agent_id: str = ID, name: str = "a") -> Agent:
    return Agent(id=agent_id, name=name, upstream_url="http://u")


def test_finds_exact_ids_only() -> None:
    cache = AgentCache([agent()])
    assert cache.get(ID) == agent()
    for near_miss in ("", ID[:-1], ID + "0", ID.lower(), ID[:4], "agt_", ID[:-1] + "U"):
        assert cache.get(near_miss) is None


def test_odd_ids_are_simply_not_found() -> None:
    cache = AgentCache([agent()])
    for odd in ("\udcff", "é" * 10_000, "\x00"):
        assert cache.get(odd) is None


def test_put_replaces_and_discard_forgets() -> None:
    cache = AgentCache()
    cache.put(agent(name="old"))
    cache.put(agent(name="new"))
    assert len(cache) == 1
    assert cache.get(ID).name == "new"
    cache.discard(ID)
    cache.discard("agt_unknown")
    assert cache.get(ID) is None


def test_replace_swaps_the_whole_table() -> None:
    cache = AgentCache([agent()])
    other = "agt_01HZY7Q8W5V3JQK2M4N6P8R0SV"
    cache.replace([agent(other)])
    assert cache.get(ID) is None
    assert cache.get(other) is not None


def test_ids_are_not_kept_as_keys() -> None:
    cache = AgentCache([agent()])
    assert all(key != ID and ID.encode() not in key for key in cache._agents)
