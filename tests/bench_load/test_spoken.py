"""benches/load/spoken.py: numbers as speech-to-text writes them."""

from __future__ import annotations

import pytest
from benches.load import spoken


def test_digits_spells_each_digit_and_drops_the_rest() -> None:
    assert spoken.digits("415-555-2671") == "four one five five five five two six seven one"
    assert spoken.digits("abc") == ""


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (1, "first"),
        (3, "third"),
        (12, "twelfth"),
        (20, "twentieth"),
        (24, "twenty fourth"),
        (30, "thirtieth"),
        (31, "thirty first"),
    ],
)
def test_ordinal_days(day: int, text: str) -> None:
    assert spoken.ordinal(day) == text


@pytest.mark.parametrize(
    ("year", "text"),
    [
        (1985, "nineteen eighty five"),
        (1907, "nineteen oh seven"),
        (1900, "nineteen hundred"),
        (2000, "two thousand"),
        (2004, "two thousand four"),
        (2012, "twenty twelve"),
    ],
)
def test_years_as_people_say_them(year: int, text: str) -> None:
    assert spoken.year(year) == text


@pytest.mark.parametrize(("function", "value"), [(spoken.ordinal, 0), (spoken.year, 1850)])
def test_out_of_range_raises(function: object, value: int) -> None:
    with pytest.raises(ValueError, match="spells"):
        function(value)  # type: ignore[operator]
