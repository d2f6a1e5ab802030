"""The native resumed path (`_native.mask_resumed`) against the Python `Masker`.

Two maskers, one per implementation, mask the same sequence of requests; after each,
the masked body (as JSON), the table (items, in order), the counts, the failure, the
detector's calls, and the sizes of the cache and the checkpoints must be equal. The
sequences: the load benchmark's interleaved calls, the mask benchmark's cold and warm
requests, hand-written adversarial turns, and generated conversations.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from typing import Any

import msgspec
import pytest
from benches.bench_mask import NEWEST, _request, _wire
from benches.load.conversation import generate
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.masking.test_properties import conversations, detector, shapes

from phiwall.detect import Span, detect
from phiwall.errors import MaskingFailed
from phiwall.mask import Masker

pytestmark = pytest.mark.skipif(
    not Masker(native=True)._native, reason="the extension has no mask_resumed"
)


def _outcome(masker: Masker, request: Any) -> tuple[Any, ...]:
    try:
        masked = masker.mask(request)
    except MaskingFailed as error:
        return ("failed", str(error))
    body = msgspec.json.encode(masked.body)
    return body, list(masked.table.items()), list(masked.counts.items())


def assert_parity(
    requests: Sequence[Any],
    detect_with: Callable[[str], Sequence[Span]] = detect,
    settle_every: int = 1,
    **options: Any,
) -> int:
    """Mask `requests` in order with both implementations; returns how many resumed
    natively (so a test can tell the native path was taken)."""
    calls: dict[bool, list[str]] = {False: [], True: []}

    def recording(native: bool) -> Callable[[str], Sequence[Span]]:
        def find(text: str) -> Sequence[Span]:
            calls[native].append(text)
            return detect_with(text)

        return find

    maskers = {native: Masker(recording(native), native=native, **options) for native in calls}
    resumed = 0
    for number, request in enumerate(requests):
        # Each masker gets its own copy: a body shares objects with its request.
        python = _outcome(maskers[False], copy.deepcopy(request))
        pending = maskers[True]._pending
        native = _outcome(maskers[True], copy.deepcopy(request))
        if maskers[True]._pending is not pending and maskers[True]._pending is not None:
            resumed += maskers[True]._pending[0].__name__ == "_point"
        assert native == python, f"request {number}"
        assert calls[True] == calls[False], f"request {number}"
        if number % settle_every == 0:
            for masker in maskers.values():
                masker.settle()
        assert len(maskers[True]._cache) == len(maskers[False]._cache)
        assert len(maskers[True]._checkpoints) == len(maskers[False]._checkpoints)
    return resumed


def _wired(body: dict[str, Any]) -> dict[str, Any]:
    return msgspec.json.decode(msgspec.json.encode(body))


def test_the_load_benchmark_s_requests() -> None:
    requests = [
        _wired(r.body(stream=True, tag="t", session=r.call_id)) for r in generate(7, 300, 20)
    ]
    assert assert_parity(requests) > 150


def test_the_load_benchmark_s_requests_with_small_bounds_and_late_settles() -> None:
    requests = [
        _wired(r.body(stream=False, tag="t", session=r.call_id)) for r in generate(3, 200, 3)
    ]
    assert assert_parity(requests, settle_every=2, cache_size=16, checkpoints=3) > 0


def test_the_mask_benchmark_s_cold_and_warm_requests() -> None:
    previous = _wire(_request(NEWEST))
    del previous["messages"][-2:]
    warm = [_wire(_request(NEWEST, i)) for i in range(1, 40)]
    assert assert_parity([_wire(_request(NEWEST)), previous, *warm]) >= 39


PHI = {
    "Sarah Chen": "NAME",
    "Sarah": "NAME",
    "José García": "NAME",
    "Ωμέγα Σοφία": "NAME",
    "İpek": "NAME",
    "415-555-2671": "PHONE",
    "03/14/1985": "DATE",
    "XJH482913": "MEMBER_ID",
}
_PATTERN = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(v) for v in sorted(PHI, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)


def known(text: str) -> list[Span]:
    """Finds `PHI` in any case (so one value comes in several spellings)."""
    found = []
    for m in _PATTERN.finditer(text):
        label = next(v for k, v in PHI.items() if k.lower() == m.group().lower())
        found.append(Span(m.start(), m.end(), label))
    return found


def _turns() -> list[dict[str, Any]]:
    arguments = msgspec.json.encode({"full_name": "Sarah Chen", "dob": "03/14/1985"}).decode()
    return [
        {"role": "system", "content": "You help patients. Never say [NAME_1] aloud."},
        {"role": "user", "content": "hi it's sarah chen, born 03/14/1985"},
        {"role": "assistant", "content": "Thanks SARAH CHEN. Let me look you up."},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "f", "arguments": arguments}}
            ],
        },
        {
            "role": "tool",
            "tool_call_id": "c1",
            "content": '{"name": "Sarah Chen", "n": 4155552671}',
        },
        {"role": "tool", "tool_call_id": "c1", "content": "plain result for Sarah Chen"},
        {"role": "user", "content": [{"type": "text", "text": "my friend José García too"}]},
        {"role": "user", "name": "Sarah_Chen", "content": "it's [name_1] and [ NAME_2 ]"},
        {"role": "assistant", "content": "Noted, josé garcía and Sarah Chen.", "refusal": "Sarah"},
        {"role": "user", "content": "Ωμέγα Σοφία and ΩΜΈΓΑ ΣΟΦΊΑ and İpek called, 415-555-2671"},
        {"role": "user", "content": "Annual plan for Sarahs? XJH482913 xjh482913"},
        {"role": "assistant", "content": "Your member id XJH482913 is on file, Sarah."},
        {"role": "user", "content": "\u2028Sarah\x1cChen\u00a0said 415-555-2671\x85"},
    ]


def _growing(turns: list[dict[str, Any]], **fields: Any) -> list[dict[str, Any]]:
    return [
        _wired({"model": "m", "messages": turns[:end], **fields})
        for end in range(1, len(turns) + 1)
    ]


def test_adversarial_turns() -> None:
    turns = _turns()
    requests = _growing(turns)
    requests += _growing(turns, user="Sarah Chen", metadata={"x": ["415-555-2671", {"y": "z"}]})
    tools = [{"type": "function", "function": {"name": "f", "description": "for Sarah Chen"}}]
    requests += _growing(turns, tools=tools)
    assert assert_parity(requests, known) > 10


@pytest.mark.parametrize("detect_with", [known, detect], ids=["known", "real"])
def test_new_tool_json_resumes_natively(detect_with: Callable[[str], Sequence[Span]]) -> None:
    """Tool-call arguments and a JSON tool result in the new messages: masked leaf by leaf
    by the native resumed path (no fallback to Python), as the Python path masks them."""
    turns = _turns()[:6]
    requests = _growing(turns)
    # Every request is masked natively (the first afresh, the others resumed).
    assert assert_parity(requests, detect_with) == len(requests)


def test_a_turn_that_changes_an_earlier_message_or_adds_a_value_found_before() -> None:
    turns = _turns()
    changed = copy.deepcopy(turns)
    changed[2]["content"] = "Thanks İpek."
    base = _growing(turns[:6])
    late = [*turns[:6], {"role": "user", "content": "nothing"}]
    # "Sarah" found only now, but swept in the history before: the whole request again.
    first = [{"role": "user", "content": "sarah"}, {"role": "assistant", "content": "ok"}]
    requests = [
        *base,
        _wired({"messages": changed[:8]}),
        _wired({"messages": late}),
        _wired({"messages": [*late, {"role": "user", "content": "XJH482913"}]}),
        _wired({"messages": first}),
        _wired({"messages": [*first, {"role": "user", "content": "Sarah Chen"}]}),
    ]
    assert_parity(requests, known)
    assert_parity(requests, lambda text: [s for s in known(text) if "Chen" not in text])


def test_failures_are_the_same() -> None:
    def broken(text: str) -> list[Span]:
        if "boom" in text:
            raise RuntimeError("Sarah Chen")
        if "outside" in text:
            return [Span(0, 999, "NAME")]
        if "label" in text:
            return [Span(0, 2, "bad label")]
        return known(text)

    turns = _turns()[:3]
    requests = [_wired({"messages": turns})]
    for word in ("boom", "outside", "label"):
        requests.append(_wired({"messages": [*turns, {"role": "user", "content": word}]}))
    assert_parity(requests, broken)


@settings(max_examples=100, deadline=None)
@given(conversations)
def test_generated_conversations(conversation: list) -> None:
    requests = [
        _wired({"model": "m", "messages": conversation[:end]})
        for end in range(1, len(conversation) + 1)
    ]
    assert_parity(requests, detector)


@settings(max_examples=100, deadline=None)
@given(st.lists(shapes, min_size=1, max_size=4))
def test_generated_shapes(bodies: list) -> None:
    messages: list[Any] = []
    requests = []
    for body in bodies:  # each a turn more of one conversation, with other fields
        extra = body.get("messages")
        messages = [*messages, *(extra if isinstance(extra, list) else [])]
        requests.append({**body, "messages": messages})
    assert_parity(requests, detector)


def _cold_requests() -> list[Any]:
    """Requests masked without a checkpoint: tool JSON, content parts, names, lookalikes,
    unicode, values repeated in another case, tool definitions and other fields."""
    turns = _turns()
    tools = [
        {
            "type": "function",
            "function": {
                "name": "lookup",
                "description": "Find Sarah Chen's chart, born 03/14/1985",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "full_name": {"type": "string", "description": "e.g. SARAH CHEN"},
                        "type": {"type": "string", "enum": ["sarah chen", "other"]},
                    },
                    "required": ["full_name"],
                },
            },
            "x-vendor": {"note": "415-555-2671"},
        }
    ]
    functions = [{"name": "g", "description": "for José García", "parameters": [{"a": "b"}]}]
    requests = [_wired({"model": "m", "messages": turns[:end]}) for end in (1, 5, 9, 13)]
    requests += [
        _wired({"model": "m", "messages": turns, "tools": tools, "user": "Sarah Chen"}),
        _wired({"messages": turns, "functions": functions, "metadata": {"k": ["XJH482913"]}}),
        _wired({"messages": [{"role": "tool", "content": '{"sarah_chen": "Sarah Chen"}'}]}),
        _wired({"messages": [{"role": "tool", "content": '[{"dob": 3141985, "x": true}]'}]}),
        _wired({"messages": [{"role": "tool", "content": '{"a": "[NAME_1] Sarah"}'}]}),
        _wired({"messages": [{"role": "tool", "content": '{"n": "Jos\\u00e9 Garc\\u00eda"}'}]}),
    ]
    return requests


def test_cold_requests() -> None:
    for request in _cold_requests():  # each alone: a fresh pair of maskers
        assert_parity([request], known)
    assert_parity(_cold_requests(), known, checkpoints=0)


def test_cold_requests_with_the_native_detector_called_directly() -> None:
    """The native masker calls the native detector itself (no detector calls to compare):
    both use `detect` unwrapped, and only their outcomes and state are compared."""
    previous = _wire(_request(NEWEST))
    del previous["messages"][-2:]
    requests = [*_cold_requests(), _wire(_request(NEWEST)), previous]
    requests += [
        _wired(r.body(stream=True, tag="t", session=r.call_id)) for r in generate(5, 60, 6)
    ]
    for options in ({}, {"checkpoints": 0}, {"cache_size": 4}):
        maskers = {native: Masker(native=native, **options) for native in (False, True)}
        for number, request in enumerate(requests):
            python = _outcome(maskers[False], copy.deepcopy(request))
            native = _outcome(maskers[True], copy.deepcopy(request))
            assert native == python, f"request {number}"
            for masker in maskers.values():
                masker.settle()
            entries = [list(m._cache._entries.items()) for m in maskers.values()]
            assert entries[0] == entries[1], f"request {number}"
            assert len(maskers[True]._checkpoints) == len(maskers[False]._checkpoints)


def test_the_default_detector_is_called_natively_with_the_same_outcome() -> None:
    """With `detect` itself (no recording wrapper), `mask_resumed` detects ASCII texts
    without `[` with the native detector directly: the outcomes, and the cache's entries
    (keys and values, in order), must be those of the Python path."""
    previous = _wire(_request(NEWEST))
    del previous["messages"][-2:]
    turns = _turns()
    requests = [
        _wire(_request(NEWEST)),
        previous,
        *(_wire(_request(NEWEST, i)) for i in range(1, 8)),
        *_growing(turns),  # non-ASCII texts and lookalikes: the Python detector
    ]
    maskers = {native: Masker(native=native) for native in (False, True)}
    for number, request in enumerate(requests):
        outcomes = [_outcome(maskers[n], copy.deepcopy(request)) for n in (False, True)]
        assert outcomes[0] == outcomes[1], f"request {number}"
        for masker in maskers.values():
            masker.settle()
        entries = [list(maskers[n]._cache._entries.items()) for n in (False, True)]
        assert entries[0] == entries[1], f"request {number}"


FOLDED = [
    "Call José Núñez at 415-555-2671, she\u2019s expecting you.",
    "I\u2019ll note İpek Demir, born 03/14/1985.",  # "İpek".lower() is one longer
    "ＳＡＲＡＨ ＣＨＥＮ, member ID XJH482913\u2026",
    "Nguyễn Văn Thành said \u201cmy number is 617-555-0143\u201d",
]
UNFOLDED = ["Straße 5, Ωμέγα Σοφία, 415-555-2671", "[NAME_1] is José Núñez"]


def test_texts_that_fold_to_ascii_are_detected_natively(monkeypatch: pytest.MonkeyPatch) -> None:
    """A non-ASCII text that `detect` folds to ASCII (and holds no `[`) is detected by the
    native detector inside the native path, with the Python path's values (code point
    spans, lowered or folded needles) and cache entries; any other goes to `_detect_text`."""
    requests = [_wired({"messages": [{"role": "user", "content": text}]}) for text in FOLDED]
    requests += [_wired({"messages": [{"role": "user", "content": t}]}) for t in UNFOLDED]
    maskers = {native: Masker(native=native) for native in (False, True)}
    called: list[str] = []
    original = Masker._detect_text

    def recording(self: Masker, text: str) -> Any:
        if self is maskers[True]:
            called.append(text)
        return original(self, text)

    monkeypatch.setattr(Masker, "_detect_text", recording)
    for number, request in enumerate(requests):
        outcomes = [_outcome(maskers[n], copy.deepcopy(request)) for n in (False, True)]
        assert outcomes[0] == outcomes[1], f"request {number}"
        assert "failed" not in outcomes[1]
        entries = [list(maskers[n]._cache._entries.items()) for n in (False, True)]
        assert entries[0] == entries[1], f"request {number}"
    assert called == UNFOLDED


def test_native_detection_follows_the_engine_s_switches(monkeypatch: pytest.MonkeyPatch) -> None:
    from phiwall import mask
    from phiwall.detect import engine, patterns

    assert mask._native_detector() is not None
    monkeypatch.setattr(engine, "NATIVE", False)
    assert mask._native_detector() is None
    monkeypatch.setattr(engine, "NATIVE", True)
    monkeypatch.setattr(patterns, "NATIVE_KINDS", frozenset())
    assert mask._native_detector() is None


def test_long_texts_are_cached_under_the_python_key() -> None:
    """A text over `DIGEST_ABOVE` characters is keyed by its BLAKE2b digest: the native path
    computes it itself (one with a lone surrogate asks Python), and must give `cache_key`'s."""
    from phiwall.masking.cache import DIGEST_ABOVE, cache_key

    filler = "The clinic opens at nine and closes at five. " * (DIGEST_ABOVE // 40)
    long_texts = [
        filler + "Call Jane Doe at 415-555-2671.",
        filler + "José Núñez “called” today…",
        filler + "A lone \ud800 surrogate.",
    ]
    for text in long_texts:
        masker = Masker(native=True)
        masker.mask({"messages": [{"role": "system", "content": text}]})
        assert cache_key(text) in masker._cache._entries
