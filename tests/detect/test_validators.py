"""Validators: checksums and shapes, table-driven."""

from __future__ import annotations

import pytest

from phiwall.detect import validators


@pytest.mark.parametrize(
    ("digits", "ok"),
    [
        ("4111111111111111", True),  # Visa test number
        ("6011000990139424", True),  # Discover test number
        ("4242424242424242", True),
        ("378282246310005", True),  # Amex test number
        ("4111111111111112", False),
        ("", False),
        ("12a4", False),
    ],
)
def test_luhn(digits: str, ok: bool) -> None:
    assert validators.luhn(digits) is ok


@pytest.mark.parametrize(
    ("digits", "ok"),
    [
        ("123456789", True),
        ("000456789", False),  # area 000
        ("666456789", False),  # area 666
        ("912456789", False),  # area 9xx
        ("123006789", False),  # group 00
        ("123450000", False),  # serial 0000
        ("12345678", False),
    ],
)
def test_ssn(digits: str, ok: bool) -> None:
    assert validators.ssn(digits) is ok


@pytest.mark.parametrize(
    ("month", "day", "year", "ok"),
    [
        (3, 14, 1985, True),
        (2, 29, 2024, True),
        (2, 29, 2023, False),
        (2, 29, 1900, False),
        (2, 29, 2000, True),
        (2, 29, None, True),
        (4, 31, None, False),
        (13, 1, None, False),
        (0, 10, None, False),
        (12, 0, None, False),
    ],
)
def test_calendar_date(month: int, day: int, year: int | None, ok: bool) -> None:
    assert validators.calendar_date(month, day, year) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1EG4TE5MK73", True),  # CMS example MBI
        ("2YP2N43HA03", True),
        ("9c01at6yq10", True),  # case does not matter
        ("0EG4TE5MK73", False),  # first digit 1-9
        ("1SG4TE5MK73", False),  # S is excluded
        ("1EG4TE5MK7", False),  # too short
        ("1EG4-TE5-MK73", False),  # callers strip dashes first
    ],
)
def test_mbi(value: str, ok: bool) -> None:
    assert validators.mbi(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1HGCM82633A004352", True),
        ("2M5JAD906FK991500", True),
        ("1HGCM82633A00435", False),  # 16 chars
        ("1HGCM82633A0O4352", False),  # O is never used
        ("12345678901234567", False),  # digits only
    ],
)
def test_vin(value: str, ok: bool) -> None:
    assert validators.vin(value) is ok


@pytest.mark.parametrize(
    ("octets", "ok"),
    [([192, 168, 1, 20], True), ([256, 1, 1, 1], False), ([0, 1, 2, 3], False), ([1, 2, 3], False)],
)
def test_ipv4(octets: list[int], ok: bool) -> None:
    assert validators.ipv4(octets) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [("2001:db8::8a2e:370:7334", True), ("fe80::1", True), ("10:15:30:45", False), ("g::1", False)],
)
def test_ipv6(value: str, ok: bool) -> None:
    assert validators.ipv6(value) is ok
