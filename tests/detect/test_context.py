"""Context: which label the words before a value give it (cues, glue, chained fragments)."""

from __future__ import annotations

import pytest

from phiwall.detect.context import Context


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("my date of birth is 12", "12", "DATE"),
        ("the d o b on file is 12", "12", "DATE"),
        ("the card ending like in 12", "12", "ACCOUNT"),  # longest cue wins at its end
        ("the number ending in 12", "12", "PHONE"),
        ("my m r n um is 12", "12", "MRN"),
        ("Medicare Part B, the number is 12", "12", "MEMBER_ID"),
        ("parking is validated for plate 12", "12", "VEHICLE"),
        ("chicago illinois 12", "12", "ZIP"),  # a state cues a ZIP right after it
        ("we moved from illinois in 12", "12", None),  # ... but not further away
        ("my social worker comes at 12", "12", None),  # a real word breaks the cue
        ("I live at 12", "12", "BLOCK"),  # street numbers belong to the address finder
        ("okay thanks 12", "12", None),
    ],
)
def test_label_from_cue(text: str, value: str, label: str | None) -> None:
    ctx = Context(text)
    assert ctx.label_for(text.rindex(value)) == label


def test_fragments_chain_after_fillers_only() -> None:
    text = "call me at 41 uh 55 and then 67 for 89"
    ctx = Context(text)
    ctx.accept(text.index("41") + 2, "PHONE")
    assert ctx.chained(text.index("55"))
    assert ctx.label_for(text.index("55")) == "PHONE"
    ctx.accept(text.index("55") + 2, "PHONE")
    assert ctx.label_for(text.index("67")) == "PHONE"  # "and then" are fillers
    ctx.accept(text.index("67") + 2, "PHONE")
    assert not ctx.chained(text.index("89"))  # "for" is not


def test_word_after_and_cue_inside() -> None:
    text = "member i d w three two, five mg"
    ctx = Context(text)
    assert ctx.cue_inside(text.index("i d"), len(text)) == text.index(" w")
    assert ctx.word_after(text.index("five") + 4) == "mg"
    assert ctx.word_after(len(text)) == ""
