"""Numbers as a speech-to-text engine writes them: "four one five", "march third", "nineteen
eighty five"."""

from __future__ import annotations

# fmt: off
_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"
)
# fmt: on
_TENS = ("_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# fmt: off
_ORDINAL_ONES = (
    "_", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth"
)
# fmt: on
_ORDINAL_TENS = {20: "twentieth", 30: "thirtieth"}
# fmt: off
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december"
)
# fmt: on


def digits(number: str) -> str:
    """Spell every digit of `number` ("415" -> "four one five"), dropping other characters.

    O(len(number)); never fails (a string without digits gives "").
    """
    return " ".join(_ONES[int(c)] for c in number if c.isdigit())


def cardinal(n: int) -> str:
    """Spell 0 <= n < 100 ("85" -> "eighty five").

    O(1); raises ValueError outside 0..99.
    """
    if not 0 <= n < 100:
        raise ValueError(f"cardinal() spells 0..99, not {n}")
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] if ones == 0 else f"{_TENS[tens]} {_ONES[ones]}"


def ordinal(n: int) -> str:
    """Spell a day of the month 1..31 as an ordinal ("3" -> "third", "24" -> "twenty fourth").

    O(1); raises ValueError outside 1..31.
    """
    if not 1 <= n <= 31:
        raise ValueError(f"ordinal() spells days 1..31, not {n}")
    if n < 20:
        return _ORDINAL_ONES[n]
    tens, ones = divmod(n, 10)
    if ones == 0:
        return _ORDINAL_TENS[n]
    return f"{_TENS[tens]} {_ORDINAL_ONES[ones]}"


def year(n: int) -> str:
    """Spell a year the way people say it ("1985" -> "nineteen eighty five", "2004" -> "two
    thousand four", "1907" -> "nineteen oh seven").

    O(1); raises ValueError outside 1900..2099.
    """
    if not 1900 <= n <= 2099:
        raise ValueError(f"year() spells 1900..2099, not {n}")
    century, rest = divmod(n, 100)
    if century == 20 and rest < 10:
        return "two thousand" if rest == 0 else f"two thousand {_ONES[rest]}"
    head = cardinal(century)
    if rest == 0:
        return f"{head} hundred"
    if rest < 10:
        return f"{head} oh {_ONES[rest]}"
    return f"{head} {cardinal(rest)}"
