"""Properties of `Masker.mask` over generated conversations.

The detector finds the values of `PHI` (case-sensitive, at word boundaries) except
in texts holding the word "echo", standing for assistant read-backs the detector
misses: there only the known-value sweep can mask them.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from phiwall._native import Rehydrator
from phiwall.detect import Span
from phiwall.mask import Masker
from phiwall.masking import walk

PHI = {
    "Sarah Chen": "NAME",
    "Sarah": "NAME",
    "Ann": "NAME",
    "José García": "NAME",
    "415-555-2671": "PHONE",
    "4155552671": "PHONE",
    "03/14/1985": "DATE",
    "sarah.chen@gmail.com": "EMAIL",
    "XJH482913": "MEMBER_ID",
    "94103": "ZIP",
}
# Words that contain values without being them, and tokens' own letters.
FILLER = ["Annual", "JoAnn", "Sarahs", "14155552671", "941030", "name", "NAME", "1", "echo"]
FILLER += ["the", "caller", "asked", "about", "an", "appointment", "on", "Tuesday", "at", "3", "pm"]

_PATTERN = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(v) for v in sorted(PHI, key=len, reverse=True)) + r")(?!\w)"
)


def detector(text: str) -> list[Span]:
    if "echo" in text:
        return []
    return [Span(m.start(), m.end(), PHI[m.group()]) for m in _PATTERN.finditer(text)]


words = st.sampled_from([*PHI, *FILLER])
texts = st.lists(
    st.tuples(words, st.sampled_from([" ", ", ", ". ", " (", ") ", "\n"])), min_size=1, max_size=8
).map(lambda pairs: "".join(w + sep for w, sep in pairs).strip())
json_args = st.dictionaries(st.sampled_from(["name", "dob", "note", "phone"]), texts, max_size=3)


def _message(kind: str, text: str, args: dict[str, str]) -> dict[str, Any]:
    if kind == "user":
        return {"role": "user", "content": text}
    if kind == "parts":
        return {"role": "user", "content": [{"type": "text", "text": text}]}
    if kind == "assistant":
        return {"role": "assistant", "content": text}
    arguments = msgspec.json.encode(args).decode()
    if kind == "call":
        function = {"name": "lookup", "arguments": arguments}
        return {"role": "assistant", "tool_calls": [{"id": "c", "function": function}]}
    return {"role": "tool", "tool_call_id": "c", "content": arguments}


messages = st.builds(
    _message, st.sampled_from(["user", "parts", "assistant", "call", "tool"]), texts, json_args
)
conversations = st.lists(messages, min_size=1, max_size=8)


def visible(body: dict[str, Any]) -> list[str]:
    """Every text masking reads, JSON texts read as their string leaves."""
    found: list[str] = []
    for slot in walk.slots(body):
        try:
            doc = msgspec.json.decode(slot.text) if slot.kind == walk.JSON else None
        except msgspec.DecodeError:
            doc = None
        found.extend(_strings(doc) if isinstance(doc, (dict, list)) else [slot.text])
    return found


def _strings(doc: Any) -> list[str]:
    if isinstance(doc, str):
        return [doc]
    if isinstance(doc, dict):
        return [s for k, v in doc.items() for s in (k, *_strings(v))]
    if isinstance(doc, list):
        return [s for v in doc for s in _strings(v)]
    return []


@settings(max_examples=150, deadline=None)
@given(conversations)
def test_rehydrating_the_masked_texts_restores_the_originals(conversation: list) -> None:
    request = {"model": "m", "messages": conversation}
    masked = Masker(detector).mask(request)
    rehydrator = Rehydrator(masked.table) if masked.table else None
    sent = visible(masked.body)
    restored = [rehydrator.replace(text) if rehydrator else text for text in sent]
    # Equal up to case: spellings that differ by case share the first one's token,
    # so "sarah" swept out of "sarah.chen@..." comes back as "Sarah".
    assert [text.lower() for text in restored] == [text.lower() for text in visible(request)]


@settings(max_examples=150, deadline=None)
@given(conversations)
def test_no_value_of_the_table_remains_in_the_masked_body(conversation: list) -> None:
    masked = Masker(detector).mask({"model": "m", "messages": conversation})
    for text in visible(masked.body):
        for value in masked.table.values():
            boundary = rf"(?<![^\W_]){re.escape(value)}(?![^\W_])"
            assert not re.search(boundary, text, re.IGNORECASE)


@settings(max_examples=100, deadline=None)
@given(conversations, st.booleans())
def test_each_turn_s_table_extends_the_previous_one(conversation: list, shared: bool) -> None:
    masker = Masker(detector)
    previous: dict[str, str] = {}
    for end in range(1, len(conversation) + 1):
        request = msgspec.json.decode(msgspec.json.encode({"messages": conversation[:end]}))
        table = (masker if shared else Masker(detector)).mask(request).table
        assert list(table.items())[: len(previous)] == list(previous.items())
        previous = table


@settings(max_examples=100, deadline=None)
@given(conversations)
def test_a_warm_cache_gives_the_same_answer_as_a_cold_one(conversation: list) -> None:
    warm = Masker(detector)
    for end in range(1, len(conversation) + 1):
        request = {"messages": conversation[:end]}
        assert warm.mask(request) == Masker(detector).mask(request)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["role", "content", "name", "text", "type", "tool_calls", "function", "arguments",
             "description", "parameters", "properties", "enum", "user", "messages", "x"]
        ),
        inner,
        max_size=4,
    ),
    max_leaves=20,
)  # fmt: skip
shapes = st.dictionaries(
    st.sampled_from(["messages", "tools", "functions", "user", "metadata", "model"]),
    json_values,
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(shapes)
def test_any_shape_is_masked_never_crashes_and_leaks_nothing(body: dict) -> None:
    masker = Masker(detector)
    masked = masker.mask(body)  # not even MaskingFailed is expected here
    for text in visible(masked.body):
        for value in masked.table.values():
            if value.lower() not in ("name", "1"):  # these occur in tokens' own text
                boundary = rf"(?<![^\W_]){re.escape(value)}(?![^\W_])"
                assert not re.search(boundary, text, re.IGNORECASE)
    assert masker.mask(body) == masked
