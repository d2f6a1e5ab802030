"""The unit of detection: one PHI value found in a text."""

import msgspec

LABELS: tuple[str, ...] = (
    "NAME",
    "PHONE",
    "EMAIL",
    "SSN",
    "DATE",
    "ADDRESS",
    "LOCATION",
    "ZIP",
    "MRN",
    "MEMBER_ID",
    "ACCOUNT",
    "LICENSE",
    "VEHICLE",
    "URL",
    "IP",
)


class Span(msgspec.Struct, frozen=True, order=True):
    """`text[start:end]` is a PHI value of kind `label`.

    `start` and `end` are Python `str` indices (code points), `end` exclusive.
    """

    start: int
    end: int
    label: str
