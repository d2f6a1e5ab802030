"""`phiwall.mask`: masking whole chat-completions requests.

Most tests use `known`, a deterministic detector that finds exactly the values it
is given (case-sensitive, at word boundaries), so every expectation is exact. The
last section runs the real `phiwall.detect.detect`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

import msgspec
import pytest

import phiwall.mask
from phiwall.detect import Span, detect
from phiwall.errors import MaskingFailed
from phiwall.mask import MaskedRequest, Masker

Detector = Callable[[str], list[Span]]


def known(values: dict[str, str]) -> Detector:
    """A detector that finds exactly `values` (value -> label), longest first."""
    alternatives = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def find(text: str) -> list[Span]:
        return [Span(m.start(), m.end(), values[m.group()]) for m in pattern.finditer(text)]

    return find


PHI = {
    "Sarah Chen": "NAME",
    "Sarah": "NAME",
    "Ann": "NAME",
    "David Chen": "NAME",
    "415-555-2671": "PHONE",
    "4155552671": "PHONE",
    "03/14/1985": "DATE",
    "José García": "NAME",
    "XJH482913": "MEMBER_ID",
}
DETECT = known(PHI)


@pytest.fixture(autouse=True, params=["python", "native"])
def implementation(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test against the Python `Masker` and the one with the native resumed path."""
    monkeypatch.setattr(phiwall.mask, "NATIVE", request.param == "native")
    return request.param


def chat(*messages: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"model": "gpt-4o-mini", "messages": list(messages), **fields}


def user(content: Any, **fields: Any) -> dict[str, Any]:
    return {"role": "user", "content": content, **fields}


def assistant(content: Any, **fields: Any) -> dict[str, Any]:
    return {"role": "assistant", "content": content, **fields}


def call(arguments: str, name: str = "lookup_patient") -> dict[str, Any]:
    return {"id": "call_1", "type": "function", "function": {"name": name, "arguments": arguments}}


def mask(request: dict[str, Any], detector: Detector = DETECT) -> MaskedRequest:
    return Masker(detector).mask(request)


# -- fields ------------------------------------------------------------------------------


FIELDS = [
    pytest.param(
        chat(user("I am Sarah Chen")),
        ("messages", 0, "content"),
        "I am [NAME_1]",
        id="string content",
    ),
    pytest.param(
        chat(user([{"type": "text", "text": "call 415-555-2671"}])),
        ("messages", 0, "content", 0, "text"),
        "call [PHONE_1]",
        id="text part",
    ),
    pytest.param(
        chat(user("hi", name="Sarah_Chen")),
        ("messages", 0, "name"),
        "NAME_1",
        id="name field: bare token, as OpenAI allows only [A-Za-z0-9_-]",
    ),
    pytest.param(
        chat({"role": "system", "content": "The caller is Sarah Chen."}),
        ("messages", 0, "content"),
        "The caller is [NAME_1].",
        id="system prompt",
    ),
    pytest.param(
        chat(assistant(None, refusal="I cannot discuss Sarah Chen.")),
        ("messages", 0, "refusal"),
        "I cannot discuss [NAME_1].",
        id="assistant refusal",
    ),
    pytest.param(
        chat(assistant(None, tool_calls=[call('{"name": "Sarah Chen"}')])),
        ("messages", 0, "tool_calls", 0, "function", "arguments"),
        '{"name":"[NAME_1]"}',
        id="tool call arguments",
    ),
    pytest.param(
        chat(assistant(None, function_call={"name": "f", "arguments": '{"n": "Sarah Chen"}'})),
        ("messages", 0, "function_call", "arguments"),
        '{"n":"[NAME_1]"}',
        id="legacy function_call arguments",
    ),
    pytest.param(
        chat({"role": "tool", "tool_call_id": "call_1", "content": "found Sarah Chen"}),
        ("messages", 0, "content"),
        "found [NAME_1]",
        id="tool result, plain text",
    ),
    pytest.param(
        chat({"role": "tool", "tool_call_id": "call_1", "content": '{"dob": "03/14/1985"}'}),
        ("messages", 0, "content"),
        '{"dob":"[DATE_1]"}',
        id="tool result, JSON",
    ),
    pytest.param(
        chat({"role": "function", "name": "lookup", "content": '["Sarah Chen"]'}),
        ("messages", 0, "content"),
        '["[NAME_1]"]',
        id="legacy function result",
    ),
    pytest.param(
        chat(
            user("hi"),
            tools=[{"type": "function", "function": {"name": "f", "description": "For Ann."}}],
        ),
        ("tools", 0, "function", "description"),
        "For [NAME_1].",
        id="tool description",
    ),
    pytest.param(
        chat(
            user("hi"),
            tools=[
                {
                    "type": "function",
                    "function": {
                        "name": "f",
                        "parameters": {
                            "type": "object",
                            "properties": {
                                "x": {"type": "array", "items": {"description": "e.g. Ann"}}
                            },
                        },
                    },
                }
            ],
        ),
        ("tools", 0, "function", "parameters", "properties", "x", "items", "description"),
        "e.g. [NAME_1]",
        id="nested parameter description",
    ),
    pytest.param(
        chat(user("hi"), functions=[{"name": "f", "description": "Calls Ann."}]),
        ("functions", 0, "description"),
        "Calls [NAME_1].",
        id="legacy functions",
    ),
]


def at(body: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        body = body[step]
    return body


@pytest.mark.parametrize(("request_", "path", "expected"), FIELDS)
def test_every_model_visible_field_is_masked(
    request_: dict[str, Any], path: tuple[str | int, ...], expected: str
) -> None:
    assert at(mask(request_).body, path) == expected


PASS_THROUGH = [
    pytest.param(("model",), id="model"),
    pytest.param(("messages", 0, "content", 1), id="image part"),
    pytest.param(("messages", 0, "content", 2), id="audio part"),
    pytest.param(("messages", 1, "tool_calls", 0, "id"), id="tool call id"),
    pytest.param(("messages", 1, "tool_calls", 0, "function", "name"), id="function name"),
    pytest.param(("tools", 0, "function", "name"), id="tool name"),
    pytest.param(("tools", 0, "function", "parameters"), id="schema keys, required, pattern"),
    pytest.param(("tool_choice",), id="tool_choice"),
]


@pytest.mark.parametrize("path", PASS_THROUGH)
def test_identifiers_and_binary_parts_pass_through_untouched(
    path: tuple[str | int, ...],
) -> None:
    request = chat(
        user(
            [
                {"type": "text", "text": "Sarah Chen here"},
                {"type": "image_url", "image_url": {"url": "https://x/Sarah Chen.png"}},
                {"type": "input_audio", "input_audio": {"data": "U2FyYWg=", "format": "wav"}},
            ]
        ),
        assistant(None, tool_calls=[call('{"q": "Sarah Chen"}', name="find_Sarah")]),
        model="Sarah Chen",
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "find_Sarah",
                    "parameters": {
                        "properties": {"Sarah": {"type": "string", "pattern": "Sarah Chen"}},
                        "required": ["Sarah"],
                    },
                },
            }
        ],
        tool_choice={"type": "function", "function": {"name": "Sarah"}},
    )
    original = copy.deepcopy(request)
    masked = mask(request)
    assert masked.table == {"[NAME_1]": "Sarah Chen"}
    assert at(masked.body, path) == at(original, path)
    assert at(masked.body, path) is at(request, path)  # shared, not copied


def tool(**schema: Any) -> list[dict[str, Any]]:
    parameters = {"type": "object", "properties": {"who": {"type": "string", **schema}}}
    return [{"type": "function", "function": {"name": "lookup", "parameters": parameters}}]


ELSEWHERE = [
    pytest.param({"tools": tool(enum=["Sarah Chen", "other"])}, id="schema enum"),
    pytest.param({"tools": tool(default="415-555-2671")}, id="schema default"),
    pytest.param({"tools": tool(examples=["Sarah Chen"])}, id="schema examples"),
    pytest.param({"tools": tool(title="Record of Sarah Chen")}, id="schema title"),
    pytest.param(
        {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "b", "schema": {"description": "for Sarah Chen"}},
            }
        },
        id="response_format",
    ),
    pytest.param({"user": "415-555-2671"}, id="user"),
    pytest.param({"metadata": {"caller": ["Sarah Chen"]}}, id="vendor field"),
    pytest.param(
        {"tools": [{"type": "function", "function": {"name": "f"}, "x": "Sarah Chen"}]},
        id="tool-level field",
    ),
    pytest.param(
        {"messages": [user("I am Sarah Chen, 415-555-2671", vendor={"who": "Sarah Chen"})]},
        id="message-level field",
    ),
]


@pytest.mark.parametrize("fields", ELSEWHERE)
def test_known_values_are_swept_from_every_other_string(fields: dict[str, Any]) -> None:
    request = {**chat(user("I am Sarah Chen, 415-555-2671")), **fields}
    masked = mask(request)
    sent = msgspec.json.encode(masked.body).decode()
    assert "Sarah Chen" not in sent
    assert "415-555-2671" not in sent
    elsewhere = sent.replace('"content":"I am [NAME_1], [PHONE_1]"', "")
    assert re.search(r"\[(NAME|PHONE)_1\]", elsewhere)  # replaced, not dropped


def test_other_strings_are_swept_but_never_detected() -> None:
    seen: list[str] = []
    masked = mask(
        chat(user("hi"), user="Sarah Chen"),
        lambda text: seen.append(text) or DETECT(text),
    )
    assert seen == ["hi"]
    assert masked.body["user"] == "Sarah Chen"


def test_the_input_is_never_mutated_and_untouched_parts_are_shared() -> None:
    request = chat(
        {"role": "system", "content": "You are a receptionist."},
        user([{"type": "text", "text": "I am Sarah Chen"}]),
        assistant(None, tool_calls=[call('{"name": "Sarah Chen"}')]),
    )
    original = copy.deepcopy(request)
    masked = mask(request)
    assert request == original
    assert masked.body is not request
    assert masked.body["messages"][0] is request["messages"][0]
    assert masked.body["messages"][1] is not request["messages"][1]


def test_a_request_without_phi_comes_back_equal_with_an_empty_table() -> None:
    request = chat(user("What are your opening hours?"), assistant("8 to 6."))
    masked = mask(request)
    assert masked.body == request
    assert (masked.table, masked.counts) == ({}, {})


# -- JSON texts --------------------------------------------------------------------------


JSON_ARGUMENTS = [
    pytest.param(
        r'{"name": "Jos\u00e9 Garc\u00eda"}',
        {"name": "[NAME_1]"},
        id="value written with \\u escapes",
    ),
    pytest.param(
        r'{"note": "called by \"Sarah Chen\"\nat 415-555-2671"}',
        {"note": 'called by "[NAME_1]"\nat [PHONE_1]'},
        id="quotes and newline escapes around values",
    ),
    pytest.param(
        '{"phone": 4155552671, "n": 3, "ok": true}',
        {"phone": "[PHONE_1]", "n": 3, "ok": True},
        id="integer holding a value becomes a token string",
    ),
    pytest.param(
        '{"Sarah Chen": {"dob": ["03/14/1985"]}, "n": "Sarah Chen"}',
        {"[NAME_1]": {"dob": ["[DATE_1]"]}, "n": "[NAME_1]"},
        id="object keys (swept) and nested arrays",
    ),
    pytest.param(
        '{"Sarah Chen": 1}',
        {"Sarah Chen": 1},
        id="a key is not detected",
    ),
]


@pytest.mark.parametrize(("arguments", "expected"), JSON_ARGUMENTS)
def test_json_arguments_are_masked_leaf_by_leaf_and_stay_valid_json(
    arguments: str, expected: Any
) -> None:
    masked = mask(chat(assistant(None, tool_calls=[call(arguments)])))
    text = masked.body["messages"][0]["tool_calls"][0]["function"]["arguments"]
    assert msgspec.json.decode(text) == expected


def test_json_arguments_without_a_value_are_left_byte_for_byte() -> None:
    arguments = '{ "date" : "tomorrow" }'
    masked = mask(chat(assistant(None, tool_calls=[call(arguments)])))
    assert masked.body["messages"][0]["tool_calls"][0]["function"]["arguments"] is arguments


def test_text_that_is_not_json_is_masked_as_text() -> None:
    masked = mask(chat(assistant(None, tool_calls=[call('{"name": "Sarah Chen"')])))
    assert masked.body["messages"][0]["tool_calls"][0]["function"]["arguments"] == (
        '{"name": "[NAME_1]"'
    )


def test_json_leaves_are_detected_with_their_key_as_context() -> None:
    seen: list[str] = []

    def recording(text: str) -> list[Span]:
        seen.append(text)
        return []

    mask(chat(assistant(None, tool_calls=[call('{"date_of_birth": "x"}')])), recording)
    assert "date of birth: x" in seen


def test_a_json_document_is_detected_in_one_call_and_spans_are_cut_per_leaf() -> None:
    seen: list[str] = []

    def across(text: str) -> list[Span]:
        seen.append(text)
        # One span from inside the first leaf to inside the second, one in a key.
        start, end = text.index("Sarah"), text.index("Chen") + len("Chen")
        return [Span(0, 4, "NAME"), Span(start, end, "NAME")]

    arguments = '{"name": "Sarah", "last": "Chen", "n": 1}'
    masked = mask(chat(assistant(None, tool_calls=[call(arguments)])), across)
    assert seen == ["name: Sarah\nlast: Chen\nn: 1"]
    text = masked.body["messages"][0]["tool_calls"][0]["function"]["arguments"]
    assert msgspec.json.decode(text) == {"name": "[NAME_1]", "last": "[NAME_2]", "n": 1}


# -- tokens ------------------------------------------------------------------------------


def test_tokens_are_numbered_per_label_by_first_appearance() -> None:
    masked = mask(
        chat(
            user("I am Sarah Chen, 415-555-2671"),
            assistant("Thanks Sarah Chen. And Ann?"),
            user("Ann is 4155552671, David Chen too"),
        )
    )
    assert masked.table == {
        "[NAME_1]": "Sarah Chen",
        "[PHONE_1]": "415-555-2671",
        "[NAME_2]": "Ann",
        "[PHONE_2]": "4155552671",
        "[NAME_3]": "David Chen",
    }
    assert masked.counts == {"NAME": 3, "PHONE": 2}
    assert masked.body["messages"][1]["content"] == "Thanks [NAME_1]. And [NAME_2]?"


def test_tool_definitions_are_numbered_before_messages() -> None:
    masked = mask(
        chat(
            user("Sarah Chen"),
            tools=[{"type": "function", "function": {"name": "f", "description": "Ann"}}],
        )
    )
    assert list(masked.table.items()) == [("[NAME_1]", "Ann"), ("[NAME_2]", "Sarah Chen")]


def test_values_equal_up_to_case_and_spacing_share_the_first_spelling_s_token() -> None:
    detector = known({"Sarah Chen": "NAME", "SARAH  CHEN": "NAME", "sarah chen": "NAME"})
    masked = mask(chat(user("Sarah Chen"), user("SARAH  CHEN"), user("sarah chen")), detector)
    assert masked.table == {"[NAME_1]": "Sarah Chen"}
    assert [m["content"] for m in masked.body["messages"]] == ["[NAME_1]"] * 3


def test_the_same_value_under_two_labels_keeps_its_first_label() -> None:
    detector = known({"94103": "ZIP"})
    other = known({"94103": "ACCOUNT"})
    masked = mask(
        chat(user("zip 94103"), user("account 94103")),
        lambda text: (detector if "zip" in text else other)(text),
    )
    assert masked.table == {"[ZIP_1]": "94103"}
    assert masked.body["messages"][1]["content"] == "account [ZIP_1]"


# -- the known-value sweep ---------------------------------------------------------------


SWEEP = [
    pytest.param("Our records say SARAH CHEN.", "Our records say [NAME_1].", id="case"),
    pytest.param("sarah chen, right?", "[NAME_1], right?", id="lower case"),
    pytest.param("(Sarah Chen)", "([NAME_1])", id="punctuation is a boundary"),
    pytest.param("SarahChen", "SarahChen", id="no boundary inside a word"),
    pytest.param("Sarah Chens", "Sarah Chens", id="no boundary before a letter"),
    pytest.param("Sarah Chen2", "Sarah Chen2", id="no boundary before a digit"),
    pytest.param("x415-555-2671", "x415-555-2671", id="no boundary after a letter"),
    pytest.param("1415-555-2671", "1415-555-2671", id="no boundary inside a digit run"),
    pytest.param("+1 415-555-2671.", "+1 [PHONE_1].", id="digits then a non-digit"),
    pytest.param("Sarah  Chen", "Sarah  Chen", id="another spacing is another spelling"),
]


@pytest.mark.parametrize(("later", "expected"), SWEEP)
def test_the_sweep_masks_values_the_detector_missed_at_word_boundaries(
    later: str, expected: str
) -> None:
    # The detector finds the values only in the first turn, as it would miss a
    # value phiwall itself put back into an assistant turn.
    detector = known({"Sarah Chen": "NAME", "415-555-2671": "PHONE"})
    masked = mask(
        chat(user("Sarah Chen, 415-555-2671"), assistant(later)),
        lambda text: detector(text) if text.startswith("Sarah Chen,") else [],
    )
    assert masked.body["messages"][1]["content"] == expected


def test_a_short_name_does_not_eat_longer_words() -> None:
    masked = mask(chat(user("I am Ann"), assistant("Annual visit for Ann, JoAnn and ANN.")))
    assert masked.body["messages"][1]["content"] == (
        "Annual visit for [NAME_1], JoAnn and [NAME_1]."
    )


def test_overlaps_resolve_to_the_earliest_then_longest_value() -> None:
    detector = known({"Sarah Chen": "NAME", "Chen": "NAME", "Sarah": "NAME"})
    masked = mask(chat(user("Sarah"), user("Chen"), user("Sarah Chen")), detector)
    assert masked.body["messages"][2]["content"] == "[NAME_3]"
    assert masked.table["[NAME_3]"] == "Sarah Chen"


def test_the_sweep_reaches_json_leaves_and_names() -> None:
    detector = known({"Sarah Chen": "NAME"})
    masked = mask(
        chat(
            user("hi", name="sarah_chen"),
            user("I am Sarah Chen"),
            assistant(None, tool_calls=[call(r'{"n": "SARAH CHEN"}')]),
        ),
        lambda text: detector(text) if text.startswith("I am") else [],
    )
    messages = masked.body["messages"]
    assert messages[0]["name"] == "NAME_1"
    assert messages[2]["tool_calls"][0]["function"]["arguments"] == '{"n":"[NAME_1]"}'


# -- the detection cache -----------------------------------------------------------------


class Counting:
    """A detector that records the texts it is asked about."""

    def __init__(self, detector: Detector) -> None:
        self.detector = detector
        self.texts: list[str] = []

    def __call__(self, text: str) -> list[Span]:
        self.texts.append(text)
        return self.detector(text)


def test_a_resent_history_costs_only_its_new_texts() -> None:
    detector = Counting(DETECT)
    masker = Masker(detector)
    history = [user("I am Sarah Chen"), assistant("Hello Sarah Chen, your date of birth?")]
    first = masker.mask(chat(*history))
    detector.texts.clear()
    # Decoded again, as the proxy would: equal texts, new objects.
    resent = msgspec.json.decode(msgspec.json.encode(chat(*history, user("03/14/1985"))))
    second = masker.mask(resent)
    assert detector.texts == ["03/14/1985"]
    assert second.table == {**first.table, "[DATE_1]": "03/14/1985"}
    assert second.body["messages"][:2] == first.body["messages"]


def test_cache_size_bounds_the_entries_and_zero_disables_it() -> None:
    detector = Counting(DETECT)
    masker = Masker(detector, cache_size=2, checkpoints=0)
    for text in ("a", "b", "c", "a"):
        masker.mask(chat(user(text)))
    assert detector.texts == ["a", "b", "c", "a"]  # "a" was evicted by "c"
    assert len(masker._cache) == 2

    uncached = Counting(DETECT)
    masker = Masker(uncached, cache_size=0, checkpoints=0)
    for _ in range(2):
        assert masker.mask(chat(user("I am Ann"))).table == {"[NAME_1]": "Ann"}
    assert uncached.texts == ["I am Ann", "I am Ann"]


CALL = [
    user("I am Sarah Chen"),
    assistant("Hello Sarah Chen. Your date of birth?"),
    user("03/14/1985"),
    assistant("Thanks. Is 415-555-2671 still your number? Ann said so."),
    user("yes, and my member ID is XJH482913"),
]


def test_a_call_resumed_turn_after_turn_equals_masking_each_request_afresh() -> None:
    masker = Masker(DETECT)
    for end in range(1, len(CALL) + 1):
        request = chat(*CALL[:end])
        assert masker.mask(request) == Masker(DETECT).mask(request)
    masker.settle()  # the last request's checkpoint is built here (or by the next mask)
    assert len(masker._checkpoints) == len(CALL)


def test_a_top_level_field_changing_every_turn_is_swept_and_does_not_stop_resuming(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from phiwall.masking.checkpoints import Checkpoints

    found: list[object] = []
    find = Checkpoints.find
    monkeypatch.setattr(
        Checkpoints, "find", lambda self, *args: found.append(find(self, *args)) or found[-1]
    )
    masker = Masker(DETECT)
    for end in range(1, len(CALL) + 1):
        request = chat(*CALL[:end], user=f"Sarah Chen #{end}")
        masked = masker.mask(request)
        assert masked == Masker(DETECT).mask(request)
        assert masked.body["user"] == f"[NAME_1] #{end}"
    assert None not in found[2::2]  # every turn of `masker` after the first resumed
    assert len(found) == 2 * len(CALL)


def test_a_value_new_in_this_turn_that_occurs_earlier_remasks_the_whole_request() -> None:
    detector = known({"Sarah Chen": "NAME", "Ann": "NAME"})
    # "Ann" is found only in the newest turn, but occurs in the assistant turn before.
    only_last = lambda text: detector(text) if text.startswith("It's Ann") else []  # noqa: E731
    masker = Masker(only_last)
    history = [user("hello"), assistant("Is this Ann?")]
    masker.mask(chat(*history))
    masked = masker.mask(chat(*history, user("It's Ann")))
    assert masked == Masker(only_last).mask(chat(*history, user("It's Ann")))
    assert masked.body["messages"][1]["content"] == "Is this [NAME_1]?"


def test_a_branch_of_the_conversation_is_masked_on_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import phiwall.mask

    masker = Masker(DETECT)
    masker.mask(chat(user("I am Sarah Chen"), assistant("Hi Sarah Chen")))
    # The platform cut the assistant turn short (barge-in) and resent another one.
    branch = chat(user("I am Sarah Chen"), assistant("Hi"), user("Ann here"))
    assert masker.mask(branch) == Masker(DETECT).mask(branch)
    # A hash match alone is never trusted: every prefix "collides" here.
    monkeypatch.setattr(phiwall.mask.checkpoints, "key", lambda messages, length: 0)
    other = chat(user("I am Ann"), assistant("Hi Ann"), user("03/14/1985"))
    assert masker.mask(other) == Masker(DETECT).mask(other)


def test_settle_keeps_the_last_checkpoint_once_and_mask_settles_first() -> None:
    masker = Masker(DETECT)
    request = chat(*CALL[:2])
    masker.mask(request)
    assert len(masker._checkpoints) == 0  # left to `settle`
    masker.settle()
    masker.settle()  # nothing left: a no-op
    assert len(masker._checkpoints) == 1
    # Without `settle`, the next `mask` builds it first and resumes from it.
    following = chat(*CALL[:3])
    masker.mask(chat(*CALL[:3]))
    assert len(masker._checkpoints) == 1  # the new one is pending again
    assert masker.mask(chat(*CALL)) == Masker(DETECT).mask(chat(*CALL))
    assert masker._checkpoints.find(following, following["messages"]) is not None


def test_a_checkpoint_that_cannot_be_built_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    import phiwall.mask

    def broken(*args: object) -> None:
        raise RuntimeError("a bug while building a checkpoint")

    monkeypatch.setattr(phiwall.mask, "_checkpoint", broken)
    monkeypatch.setattr(phiwall.mask, "_point", broken)  # what the native paths build with
    masker = Masker(DETECT)
    masker.mask(chat(*CALL[:2]))
    masker.settle()  # never raises
    assert len(masker._checkpoints) == 0
    assert masker.mask(chat(*CALL)) == Masker(DETECT).mask(chat(*CALL))


def test_changing_a_request_or_a_masked_body_after_masking_cannot_leak() -> None:
    masker = Masker(DETECT)
    history = [user("hello"), assistant("How can I help?")]
    masked = masker.mask(chat(*history))
    history[0]["content"] = "I am Sarah Chen"  # the same objects, changed in place
    masked.body["messages"][1]["content"] = "Hi Sarah Chen"
    again = masker.mask(chat(*history, user("thanks")))
    assert again == Masker(DETECT).mask(chat(*history, user("thanks")))
    assert "Sarah Chen" not in msgspec.json.encode(again.body).decode()


def test_concurrent_conversations_sharing_a_text_keep_their_own_tables() -> None:
    masker = Masker(DETECT)
    system = {"role": "system", "content": "Be kind to Sarah and Ann."}
    for turn in range(3):
        a = masker.mask(chat(system, user(f"I am Sarah Chen {turn}")))
        b = masker.mask(chat(system, user("I am David Chen")))
        assert a.body["messages"][0]["content"] == "Be kind to [NAME_1] and [NAME_2]."
        assert a.table["[NAME_3]"] == "Sarah Chen"
        assert b.table["[NAME_3]"] == "David Chen"
        assert "Sarah Chen" not in msgspec.json.encode(b.body).decode()


LOOKALIKES = [
    pytest.param("the form says [NAME_1]", "[NAME_2]", id="canonical"),
    pytest.param("the form says [ name_1 ]", "[NAME_2]", id="a variant the Rehydrator reads"),
    pytest.param("the form says [MEMBER_ID_12]", "[MEMBER_ID_1]", id="another label"),
    pytest.param("the form says [NAME_01]", "[NAME_01]", id="leading zero: not a token"),
    pytest.param("the form says [NAME _1]", "[NAME _1]", id="inner space: not a token"),
    pytest.param("the form says NAME_1", "NAME_1", id="no brackets: not a token"),
]


@pytest.mark.parametrize(("typed", "masked_as"), LOOKALIKES)
def test_text_shaped_like_a_token_gets_a_token_of_its_own(typed: str, masked_as: str) -> None:
    from phiwall._native import Rehydrator

    content = f"I am Sarah Chen, {typed}"
    masked = mask(chat(user(content)))
    sent = masked.body["messages"][0]["content"]
    assert sent == f"I am [NAME_1], the form says {masked_as}"
    assert Rehydrator(masked.table).replace(sent) == content


# -- failing closed ----------------------------------------------------------------------


def boom(text: str) -> list[Span]:
    raise RuntimeError(f"detector crashed on {text!r}")


FAILURES = [
    pytest.param(boom, "masking failed (RuntimeError)", id="detector raises"),
    pytest.param(
        lambda text: [Span(0, len(text) + 5, "NAME")],
        "masking failed (ValueError)",
        id="span outside the text",
    ),
    pytest.param(
        lambda text: [Span(0, 5, "name")], "masking failed (ValueError)", id="label not A-Z"
    ),
    pytest.param(
        lambda text: [Span(0, 5, "NAME] x [")], "masking failed (ValueError)", id="label unsafe"
    ),
]


@pytest.mark.parametrize(("detector", "message"), FAILURES)
def test_any_failure_becomes_masking_failed_without_request_content(
    detector: Detector, message: str
) -> None:
    with pytest.raises(MaskingFailed) as caught:
        mask(chat(user("Sarah Chen called")), detector)
    assert str(caught.value).startswith(message)
    assert "Sarah" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_a_body_that_is_not_an_object_fails_closed() -> None:
    with pytest.raises(MaskingFailed):
        Masker(DETECT).mask(["Sarah Chen"])  # type: ignore[arg-type]


def test_the_leak_check_fails_closed_if_a_value_survives_rewriting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import phiwall.mask

    monkeypatch.setattr(phiwall.mask, "NATIVE", False)  # the bug is injected into Python's
    # A rewriting bug that loses the sweep's replacements.
    monkeypatch.setattr(phiwall.mask, "rewrite", lambda text, *args: text + " ")
    with pytest.raises(MaskingFailed) as caught:
        mask(chat(user("I am Sarah Chen")))
    assert str(caught.value) == ("masked request still holds a NAME value in messages.0.content")


def test_the_leak_check_fails_closed_if_an_edit_misses_its_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import phiwall.mask

    monkeypatch.setattr(phiwall.mask, "NATIVE", False)  # the bug is injected into Python's
    monkeypatch.setattr(phiwall.mask, "with_edits", lambda body, edits: dict(body))
    with pytest.raises(MaskingFailed, match=r"did not reach messages\.0\.content"):
        mask(chat(user("I am Sarah Chen")))


def test_a_failure_names_no_key_that_could_be_request_content(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import phiwall.mask

    monkeypatch.setattr(phiwall.mask, "NATIVE", False)  # the bug is injected into Python's
    good = phiwall.mask.rewrite

    def buggy(text: str, *args: Any) -> str:  # loses the replacements in one field only
        return text + " " if text == "x Ann" else good(text, *args)

    monkeypatch.setattr(phiwall.mask, "rewrite", buggy)
    with pytest.raises(MaskingFailed) as caught:
        mask(chat(user("I am Ann"), metadata={"Sarah Chen": ["x Ann"]}))
    assert str(caught.value) == "masked request still holds a NAME value in metadata.?.0"


def test_a_value_inside_a_token_is_not_a_leak() -> None:
    detector = known({"Sarah Chen": "NAME", "1": "ACCOUNT", "name": "NAME"})
    masked = mask(chat(user("Sarah Chen, account 1, name")), detector)
    assert masked.body["messages"][0]["content"] == "[NAME_1], account [ACCOUNT_1], [NAME_2]"


MALFORMED = [
    pytest.param(chat(user(42)), id="content not str or list"),
    pytest.param(chat(user([{"type": "text"}, "Sarah Chen", 7, None])), id="odd parts"),
    pytest.param(chat(user([{"type": "text", "text": 5}])), id="part text not str"),
    pytest.param(chat("Sarah Chen", None, [user("x")]), id="messages that are not objects"),
    pytest.param({"messages": "Sarah Chen"}, id="messages not a list"),
    pytest.param({"messages": [assistant(None, tool_calls="Sarah Chen")]}, id="tool_calls str"),
    pytest.param({"messages": [assistant(None, tool_calls=[{"function": 1}])]}, id="function"),
    pytest.param(
        {"messages": [assistant(None, tool_calls=[call(7)])]},  # type: ignore[arg-type]
        id="arguments not str",
    ),
    pytest.param({"messages": [user("x", name=3)]}, id="name not str"),
    pytest.param({"tools": ["Sarah Chen", {"function": "Sarah Chen"}]}, id="tools"),
    pytest.param({"tools": [{"function": {"parameters": "Sarah Chen"}}]}, id="parameters"),
    pytest.param({"functions": {"description": "Sarah Chen"}}, id="functions not a list"),
    pytest.param(
        chat({"role": "tool", "content": "[" * 100_000 + "]" * 100_000}), id="deeply nested JSON"
    ),
    pytest.param(chat({"role": "tool", "content": "[1, 2"}), id="truncated JSON"),
]


@pytest.mark.parametrize("request_", MALFORMED)
def test_malformed_shapes_are_left_as_they_are(request_: dict[str, Any]) -> None:
    original = copy.deepcopy(request_)
    masked = mask(request_)
    assert request_ == original
    assert masked.body == original


# -- the real detector -------------------------------------------------------------------


VOICE_CALL = chat(
    {"role": "system", "content": "You are the receptionist of Bayview Clinic."},
    user("hi this is sarah chen calling about my appointment"),
    assistant("Hello Sarah Chen. Can you confirm your date of birth?"),
    user("march fourteenth nineteen eighty five"),
    assistant(
        None,
        tool_calls=[call('{"full_name": "Sarah Chen", "date_of_birth": "1985-03-14"}')],
    ),
    {
        "role": "tool",
        "tool_call_id": "call_1",
        "content": '{"phone": "415-555-2671", "email": "sarah.chen@gmail.com"}',
    },
    assistant("Thanks Sarah. Is 415-555-2671 still your number?"),
    user("no it's four one five five five five nine eight one two"),
)


def test_real_detector_masks_a_voice_call_and_nothing_detected_survives() -> None:
    masked = Masker(detect).mask(VOICE_CALL)
    sent = msgspec.json.encode(masked.body).decode()
    for value in ("Sarah Chen", "sarah chen", "415-555-2671", "sarah.chen@gmail.com"):
        assert value not in sent
    assert "four one five five five five nine eight one two" not in sent
    assert set(masked.counts) >= {"NAME", "PHONE", "DATE", "EMAIL"}
    for value in masked.table.values():
        assert value not in sent


def test_real_detector_tokens_are_stable_as_the_call_goes_on() -> None:
    masker = Masker(detect)
    messages = VOICE_CALL["messages"]
    previous: dict[str, str] = {}
    for end in range(2, len(messages) + 1):
        table = masker.mask(chat(*messages[:end])).table
        assert list(table.items())[: len(previous)] == list(previous.items())
        previous = table


def test_real_detector_round_trips_through_the_rehydrator() -> None:
    from phiwall._native import Rehydrator

    masked = Masker(detect).mask(VOICE_CALL)
    rehydrator = Rehydrator(masked.table)
    for original, sent in zip(VOICE_CALL["messages"], masked.body["messages"], strict=True):
        if isinstance(original["content"], str) and original["role"] != "tool":
            # Values equal up to case share the first spelling seen.
            assert rehydrator.replace(sent["content"]).lower() == original["content"].lower()
