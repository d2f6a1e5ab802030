"""`_native.json_digest`: a checkpoint's fingerprint of its messages stands for their JSON."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phiwall._native import json_digest

encode, decode = msgspec.json.encode, msgspec.json.decode

#: JSON data as msgspec decodes it (NaN and infinities encode to null: left out here, so
#: that a value and its decoded copy are the same data).
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=12,
)
# Few distinct leaves, so that equal pairs come up often enough to be tested.
close_values = st.recursive(
    st.sampled_from([None, True, False, 0, 1, 1.0, -0.0, 0.0, "", "a", "1", "true"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b"]), children, max_size=2)
    ),
    max_leaves=5,
)


@settings(max_examples=400)
@given(json_values)
def test_the_same_data_has_the_same_digest_in_separate_objects(value: Any) -> None:
    text = encode([value])
    assert json_digest(decode(text)) == json_digest(decode(text)) is not None


@settings(max_examples=1500)
@given(close_values, close_values)
def test_equal_digests_are_equal_json_and_the_reverse(first: Any, second: Any) -> None:
    one, other = decode(encode([first])), decode(encode([second]))
    assert (json_digest(one) == json_digest(other)) == (encode(one) == encode(other))


@settings(max_examples=300)
@given(st.lists(json_values, max_size=6), st.integers(min_value=0, max_value=6))
def test_a_digest_chained_after_a_prefix_is_the_whole_lists(values: list[Any], cut: int) -> None:
    values = decode(encode(values))
    assert json_digest(values[cut:], json_digest(values[:cut])) == json_digest(values)


class Text(str):
    pass


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(object(), id="an object"),
        pytest.param(("a",), id="a tuple"),
        pytest.param({1: "a"}, id="a key that is not a str"),
        pytest.param(Text("a"), id="a str subclass"),
        pytest.param(2**64, id="an int beyond 64 bits"),
        pytest.param("\ud800", id="a lone surrogate"),
    ],
)
def test_what_is_not_exactly_json_data_has_no_digest(value: Any) -> None:
    assert json_digest([{"content": "a"}]) is not None
    assert json_digest([{"content": value}]) is None


def test_nesting_deeper_than_the_limit_has_no_digest() -> None:
    def nested(depth: int) -> list[Any]:
        value: list[Any] = []
        for _ in range(depth):
            value = [value]
        return value

    assert json_digest([nested(250)]) is not None
    assert json_digest([nested(300)]) is None
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    assert json_digest([cyclic]) is None  # stops at the limit, does not recurse forever


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param({"a": 1, "b": 2}, {"b": 2, "a": 1}, id="key order"),
        pytest.param(1, 1.0, id="int and float"),
        pytest.param(1, True, id="int and bool"),
        pytest.param(0.0, -0.0, id="zero's sign"),
        pytest.param(["ab"], ["a", "b"], id="string bounds"),
        pytest.param({"a": "b"}, ["a", "b"], id="object and array"),
        pytest.param(None, "null", id="null and its text"),
    ],
)
def test_what_encodes_differently_has_another_digest(first: Any, second: Any) -> None:
    assert encode(first) != encode(second)
    assert json_digest([first]) != json_digest([second])
