"""`phiwall.masking.lookalikes`: text shaped like a token."""

from __future__ import annotations

import pytest

from phiwall.masking import lookalikes

CASES = [
    ("says [NAME_1].", [(5, 13, "NAME")]),
    ("[ name_12 ] and [Member_Id_3]", [(0, 11, "NAME"), (16, 29, "MEMBER_ID")]),
    ("[NAME_0] [NAME_01] [NAME _1] [   NAME_1] [NAME1] NAME_1 [1_NAME]", []),
    ("no brackets at all", []),
]


@pytest.mark.parametrize(("text", "found"), CASES)
def test_the_rehydrator_s_token_shapes_are_found(text: str, found: list) -> None:
    assert lookalikes.find(text) == found
