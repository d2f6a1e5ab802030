"""`Rehydrator.completion` (native) against `rehydrate.rehydrate_completion` (the reference).

The two must agree once decoded; the native one also keeps the upstream's bytes when no
text changed (it returns the very body).
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phiwall._native import Rehydrator
from phiwall.proxy.rehydrate import rehydrate_completion

TABLE = {"[NAME_1]": 'Ana "Nan" Lee', "[PHONE_1]": "415-555-0134", "[NAME_2]": "José\nO\\B"}
REHYDRATOR = Rehydrator(TABLE)


def assert_same(body: bytes) -> None:
    expected = rehydrate_completion(REHYDRATOR, body)
    actual = REHYDRATOR.completion(body)
    try:
        want = msgspec.json.decode(expected)
    except msgspec.DecodeError:
        assert actual is body  # unreadable: returned as it came, by both
        assert expected == body
        return
    assert msgspec.json.decode(actual) == want
    if msgspec.json.decode(body) == want:
        assert actual is body  # nothing changed: the upstream's bytes, not a copy


def message(**fields: Any) -> bytes:
    return msgspec.json.encode({"id": "c", "choices": [{"index": 0, "message": fields}]})


ARGUMENTS = msgspec.json.encode({"n": "[NAME_1]", "p": "[PHONE_1]", "x": "[NAME_2]"}).decode()

CASES = [
    message(role="assistant", content="Hi [NAME_1], is [PHONE_1] right?"),
    message(role="assistant", content="no token, [x] and [NAME_"),
    message(role="assistant", content=None, refusal="I can't share [NAME_2]."),
    message(content="[name_1] and [ NAME_1 ] and [NAME_10]"),
    message(content=None, tool_calls=[{"id": "1", "function": {"arguments": ARGUMENTS}}]),
    message(tool_calls=[{"function": {"arguments": ARGUMENTS}}, 5, {"function": 3}]),
    message(function_call={"name": "f", "arguments": ARGUMENTS}),
    message(content=5, refusal=["[NAME_1]"], tool_calls="x"),
    msgspec.json.encode({"choices": [None, 3, {"message": "[NAME_1]"}, {"message": None}]}),
    msgspec.json.encode({"choices": [{"message": {"content": "[NAME_1]"}}] * 3, "x": 1.5e3}),
    b' { "choices" : [ { "message" : { "content" : "spaced [PHONE_1]" } } ] , "n" : 1E2 } ',
    b'{"choices":[{"message":{"content":"esc \\u005bNAME_1] \\ud83d\\ude00 [NAME_1]"}}]}',
    b'{"choices":[{"message":{"content":"[NAME_1]","content":"dup [PHONE_1]"}}]}',
    b'{"choices":[{"message":{"content":"big [NAME_1]"}}],"x":1e400}',
    b'{"choices":[{"message":{"content":"\\ud800 [NAME_1]"}}]}',
    b"oops",
    b"[]",
    b'{"choices": 3}',
    b'{"x": 1}',
    b'{"choices": []}',
    b"\xff",
]


@pytest.mark.parametrize("body", CASES)
def test_same_as_reference(body: bytes) -> None:
    assert_same(body)


texts = st.lists(
    st.sampled_from(["Hi ", "[NAME_1]", "[PHONE_1]", "[NAME_2]", "[NAME_", "[x]", "é", '"', "\\"]),
    max_size=8,
).map("".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
messages = st.fixed_dictionaries(
    {},
    optional={
        "content": texts | json_values,
        "refusal": texts | json_values,
        "tool_calls": st.lists(
            st.fixed_dictionaries(
                {}, optional={"function": st.fixed_dictionaries({"arguments": texts})}
            )
            | json_values,
            max_size=3,
        ),
        "function_call": st.fixed_dictionaries({}, optional={"arguments": texts}),
        "role": st.just("assistant"),
    },
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.fixed_dictionaries({"message": messages}) | json_values, max_size=3))
def test_generated_completions(choices: list[Any]) -> None:
    assert_same(msgspec.json.encode({"id": "c", "choices": choices, "usage": {"n": 1}}))
