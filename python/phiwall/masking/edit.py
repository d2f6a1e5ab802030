"""Copy-on-write edits of a decoded JSON request."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from phiwall.masking.walk import Path


def with_edits(body: dict[str, Any], edits: Iterable[tuple[Path, str]]) -> dict[str, Any]:
    """A copy of `body` with the string at each path replaced; `body` is not changed.

    Only the containers on an edited path are copied (shallowly, once each);
    everything else is shared with `body`. The top-level dict is always a new
    one. Cost: O(path length) per edit plus the size of the copied containers.
    Raises `KeyError`/`IndexError`/`TypeError` if a path does not exist in `body`
    (so an edit resumed from a checkpoint can never add a field beside the one it
    was meant to replace).
    """
    root = dict(body)
    copies: dict[int, Any] = {id(body): root}
    for path, value in edits:
        original: Any = body
        node: Any = root
        for key in path[:-1]:
            original = original[key]
            child = copies.get(id(original))
            if child is None:
                child = copies[id(original)] = original.copy()
                node[key] = child
            node = child
        original[path[-1]]  # only ever replaces: a path that does not exist raises
        node[path[-1]] = value
    return root
