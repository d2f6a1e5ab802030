"""`phiwall.masking.jsontext`: JSON texts as leaves."""

from __future__ import annotations

import msgspec
import pytest

from phiwall.masking import jsontext

PARSE = [
    ('{"a": 1}', {"a": 1}),
    ('  [1, "x"]', [1, "x"]),
    ('"just a string"', None),
    ("42", None),
    ("{broken", None),
    ("plain text", None),
    ("[" * 100_000, None),
]


@pytest.mark.parametrize(("text", "doc"), PARSE)
def test_only_objects_and_arrays_are_parsed(text: str, doc: object) -> None:
    assert jsontext.parse(text) == doc


def test_leaves_are_keys_strings_and_integers_in_document_order_with_key_hints() -> None:
    doc = jsontext.parse('{"full_name": "Ann", "ids": [7, true, 1.5, null], "x-y": {"k": "v"}}')
    assert [(leaf.text, leaf.hint, leaf.is_key) for leaf in jsontext.leaves(doc)] == [
        ("full_name", "", True),
        ("Ann", "full name: ", False),
        ("ids", "", True),
        ("7", "ids: ", False),
        ("x-y", "", True),
        ("k", "", True),
        ("v", "k: ", False),
    ]


def test_encode_writes_new_leaves_and_renames_keys_in_place() -> None:
    doc = jsontext.parse('{"Ann": {"phone": 4155552671, "note": "hi"}}')
    leaves = {leaf.text: leaf for leaf in jsontext.leaves(doc)}
    text = jsontext.encode(doc, [(leaves["Ann"], "[NAME_1]"), (leaves["4155552671"], "[P_1]")])
    assert msgspec.json.decode(text) == {"[NAME_1]": {"phone": "[P_1]", "note": "hi"}}
    assert list(msgspec.json.decode(text)) == ["[NAME_1]"]


def test_two_keys_masked_to_one_fail() -> None:
    doc = jsontext.parse('{"Ann": 1, "ANN": 2}')
    keys = [leaf for leaf in jsontext.leaves(doc) if leaf.is_key]
    with pytest.raises(ValueError, match="two keys"):
        jsontext.encode(doc, [(leaf, "[NAME_1]") for leaf in keys])


def test_texts_are_the_texts_of_the_leaves() -> None:
    doc = {"a": ["x", 1, True, 2.5, None, {"b": "y", "c": [3]}], "d": "z"}
    assert sorted(jsontext.texts(doc)) == sorted(leaf.text for leaf in jsontext.leaves(doc))
