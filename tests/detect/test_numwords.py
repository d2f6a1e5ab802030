"""Spoken number words to characters."""

from __future__ import annotations

import pytest

from phiwall.detect.numwords import count_chars, to_chars


@pytest.mark.parametrize(
    ("spoken", "chars"),
    [
        ("four one five five five five two six seven one", "4155552671"),
        ("oh three fourteen", "0314"),
        ("double five triple seven", "55777"),
        ("nineteen eighty five", "1985"),
        ("ninety nine eighty nine", "9989"),
        ("two thousand and four", "2004"),
        ("two thousand twenty four", "2024"),
        ("one hundred twelve", "112"),
        ("two hundred five", "205"),
        ("one forty nine", "149"),
        ("twenty", "20"),
        ("sixty oh", "600"),  # "oh" after a tens word is its own digit
        ("p a two six", "pa26"),
        ("415 five five five 2671", "4155552671"),
        ("x l f dash four six", "xlf46"),
        ("double", ""),  # a repeat without a digit says nothing
    ],
)
def test_to_chars(spoken: str, chars: str) -> None:
    assert to_chars(spoken.split()) == chars


def test_count_chars() -> None:
    assert count_chars(["k", "p", "eight", "three"]) == (2, 2)
