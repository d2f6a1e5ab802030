"""`phiwall.masking.edit`: copy-on-write edits of a request."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from phiwall.masking.edit import with_edits


def body() -> dict[str, Any]:
    return {
        "model": "m",
        "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}],
        "tools": [{"function": {"description": "d", "name": "f"}}],
    }


def test_only_the_containers_on_an_edited_path_are_copied_and_the_input_is_unchanged() -> None:
    original = body()
    before = copy.deepcopy(original)
    paths = [(("messages", 1, "content"), "B"), (("tools", 0, "function", "description"), "D")]
    edited = with_edits(original, paths)
    assert original == before
    assert edited["messages"][1]["content"] == "B"
    assert edited["tools"][0]["function"] == {"description": "D", "name": "f"}
    assert edited["messages"][0] is original["messages"][0]  # untouched: shared
    assert edited["messages"] is not original["messages"]
    assert with_edits(original, []) is not original  # the top level is always new


@pytest.mark.parametrize(
    ("path", "error"),
    [
        (("messages", 5, "content"), IndexError),
        (("messages", 0, "name"), KeyError),  # a missing last step: never added
        (("nothing", 0), KeyError),
        ((), IndexError),
    ],
)
def test_a_path_that_does_not_exist_raises(path: tuple, error: type[Exception]) -> None:
    with pytest.raises(error):
        with_edits(body(), [(path, "x")])
