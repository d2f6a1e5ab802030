"""benches/load/conversation.py and patients.py: deterministic calls with their PHI listed."""

from __future__ import annotations

import json
import random

import pytest
from benches.load import spoken
from benches.load.conversation import MAX_TURNS, MIN_TURNS, generate
from benches.load.patients import Patient
from benches.load.prompts import SYSTEM_PROMPT, TOOLS


def _texts(request_messages: tuple[dict[str, object], ...]) -> list[str]:
    texts = []
    for message in request_messages:
        if isinstance(message.get("content"), str):
            texts.append(message["content"])
        for call in message.get("tool_calls") or []:  # type: ignore[attr-defined]
            texts.append(call["function"]["arguments"])
    return texts


def test_the_same_seed_gives_the_same_requests() -> None:
    first = [(r.call_id, r.messages, r.phi) for r in generate(3, 200)]
    again = [(r.call_id, r.messages, r.phi) for r in generate(3, 200)]
    other = [(r.call_id, r.messages, r.phi) for r in generate(4, 200)]
    assert first == again
    assert first != other


def test_requests_have_4_to_20_turns_after_the_system_prompt_and_end_with_the_user() -> None:
    requests = generate(1, 600)
    assert len(requests) == 600
    for request in requests:
        assert request.messages[0] == {"role": "system", "content": SYSTEM_PROMPT}
        assert MIN_TURNS <= len(request.messages) - 1 <= MAX_TURNS
        assert request.messages[-1]["role"] == "user"
        assert request.last_user_text == request.messages[-1]["content"]


def test_the_system_prompt_is_about_one_and_a_half_kilobytes() -> None:
    assert 1300 <= len(SYSTEM_PROMPT.encode()) <= 1800


def test_every_listed_phi_value_is_in_the_request_text() -> None:
    for request in generate(2, 400):
        text = "\n".join(_texts(request.messages))
        assert request.phi, "every request carries PHI"
        for phi in request.phi:
            assert phi.text in text, phi


def test_both_speech_styles_and_tool_calls_occur() -> None:
    requests = generate(5, 800)
    users = " ".join(r.last_user_text for r in requests)
    assert "four" in users or "five" in users  # spoken digits
    assert any("@" in r.last_user_text for r in requests)  # formatted email
    with_tools = [r for r in requests if r.tools]
    assert with_tools
    assert len(with_tools) < len(requests)
    roles = {m["role"] for r in with_tools for m in r.messages}
    assert "tool" in roles


def test_body_carries_the_mock_directive_the_session_and_tools() -> None:
    request = next(r for r in generate(5, 200) if r.tools)
    body = request.body(stream=True, tag="bench-x", session="s-1", chunking="chars")
    assert body["mock"] == {"tag": "bench-x", "chunking": "chars"}
    assert body["call"] == {"id": "s-1"}
    assert body["stream"] is True
    assert body["tools"] is TOOLS
    json.dumps(body)  # serialisable as is


def test_turns_of_one_call_arrive_in_order() -> None:
    turns: dict[str, int] = {}
    for request in generate(9, 500, concurrent_calls=7):
        assert request.turn == turns.get(request.call_id, -1) + 1
        turns[request.call_id] = request.turn


def test_generate_rejects_empty_requests() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate(1, 0)


def test_patient_renderings() -> None:
    patient = Patient.random(random.Random(1))
    assert patient.phone_number("formatted").text.count("-") == 2
    spoken_phone = patient.phone_number("spoken").text
    assert spoken_phone == spoken.digits(patient.phone)
    assert "@" in patient.email("formatted").text
    assert " at " in patient.email("spoken").text
    assert "@" not in patient.email("spoken").text
    assert patient.date_of_birth_iso().text == patient.birth.isoformat()
