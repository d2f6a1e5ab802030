"""Checks that tell a real identifier from something that only has its shape.

Every function is pure, O(length of its input), and returns False (never raises) on
malformed input. Public API (stable): `luhn`, `ssn`, `calendar_date`, `mbi`, `vin`,
`ipv4`, `ipv6`.
"""

from __future__ import annotations

import ipaddress

_MBI_LETTERS = frozenset("ACDEFGHJKMNPQRTUVWXY")  # Medicare excludes S L O I B Z
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def luhn(digits: str) -> bool:
    """True if `digits` (only 0-9) pass the Luhn checksum used by payment cards."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def ssn(digits: str) -> bool:
    """True if 9 `digits` follow SSA rules: area not 000/666/9xx, group not 00, serial not 0000."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def calendar_date(month: int, day: int, year: int | None = None) -> bool:
    """True if `month`/`day` exist on a calendar (Feb 29 only in leap years when `year` given)."""
    if not 1 <= month <= 12 or not 1 <= day <= _MONTH_DAYS[month - 1]:
        return False
    if month == 2 and day == 29 and year is not None and year >= 100:
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return True


def mbi(value: str) -> bool:
    """True if `value` (dashes/spaces removed, any case) has the Medicare MBI shape.

    Shape: digit 1-9, letter, alnum, digit, letter, alnum, digit, letter, letter, digit, digit;
    letters exclude S, L, O, I, B, Z.
    """
    v = value.upper()
    if len(v) != 11 or not v.isalnum() or not v.isascii():
        return False
    digit = str.isdigit

    def letter(c: str) -> bool:
        return c in _MBI_LETTERS

    def alnum(c: str) -> bool:
        return digit(c) or letter(c)

    checks = (digit, letter, alnum, digit, letter, alnum, digit, letter, letter, digit, digit)
    return v[0] != "0" and all(check(c) for check, c in zip(checks, v, strict=True))


def vin(value: str) -> bool:
    """True if `value` has a VIN's shape: 17 letters/digits without I, O, Q, both kinds present."""
    v = value.upper()
    if len(v) != 17 or not v.isalnum() or not v.isascii() or set(v) & set("IOQ"):
        return False
    return any(c.isdigit() for c in v) and any(c.isalpha() for c in v)


def ipv4(octets: list[int]) -> bool:
    """True if four `octets` make a plausible host address (0-255, not 0.x.x.x)."""
    return len(octets) == 4 and all(0 <= o <= 255 for o in octets) and octets[0] != 0


def ipv6(value: str) -> bool:
    """True if `value` parses as an IPv6 address."""
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True
