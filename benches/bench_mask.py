"""Masking a 20-turn voice-agent request (~6 KB), cold and warm.

- cold: a fresh `Masker` each round, so every text is detected and swept.
- warm: the conversation's previous request was masked before; this one adds
  the assistant's reply and a newest user turn (a voice platform resends the
  whole history every turn). It resumes from the previous request's checkpoint:
  only the two new texts are walked, detected, swept, rewritten and checked.
- cached: the same request again with checkpoints disabled (as when the previous
  turn went to another worker that has since served this one's texts): the whole
  request is masked, but detection is all cache hits (asserted: no detector call).
- cold, full cache: cold in a long-running worker, whose detection cache is full of
  other conversations' texts, so that every text kept evicts one.

`Masker.mask` leaves building the conversation's checkpoint to `Masker.settle`, which
the proxy runs once the masked request is on its way upstream; the warm and cached
rounds settle the previous round in their (untimed) setup, as the proxy does while it
waits for the answer. A cold round's checkpoint is never built.

Cold and warm are measured with the Python `Masker` and with its native resumed path
(`Masker(native=True)`: `_native.mask_resumed` warm, `_native.mask_fresh` cold, which
calls the native detector directly for the real detector). Each is measured with the
real detector and with a zero-cost detector that returns the spans the real one found
(looked up by text), so "real - free" is detection's share and "free" is the rest (walk,
table, sweep, rewrite, check; cold native "free" also pays the Python detector calls that
"real" skips).
Goals (issue 3, section 6): at most 150 µs cold, 40 µs warm.

    .venv/bin/pytest benches/bench_mask.py --benchmark-only
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import msgspec
import pytest

from phiwall.detect import Span, detect
from phiwall.mask import Masker

SYSTEM_PROMPT = (
    "You are Maya, the front-desk voice assistant of Bayview Family Clinic, 2100 Webster "
    "Street, San Francisco. You answer the phone for patients and their families. Speak "
    "in short, warm sentences suited to a phone call: one question at a time, no lists, no "
    "markdown, no emoji. Before discussing any appointment, verify the caller: ask for the "
    "patient's full name and date of birth, then look the chart up with the lookup_patient "
    "tool. Never read a full date of birth, social security number or member ID back in "
    "full; confirm only what the caller said. You can book, move and cancel appointments "
    "with the schedule tools, take a message for a clinician, and explain opening hours: "
    "Monday to Friday 8 am to 6 pm, Saturday 9 am to 1 pm, closed on Sundays and public "
    "holidays. New patients need a photo ID and an insurance card at their first visit. "
    "For prescription refills, collect the medication name and the pharmacy, and tell the "
    "caller that refills take two business days. If the caller describes chest pain, "
    "trouble breathing, stroke symptoms or thoughts of self-harm, tell them to hang up and "
    "call 911 right away. Do not give medical advice, diagnoses or dosing instructions; "
    "offer a nurse callback instead. If you cannot help, offer to transfer the call to the "
    "front desk staff during opening hours. Keep the call under five minutes when you can, "
    "and always end by asking whether there is anything else you can help with today. "
    "Spell back names letter by letter only when the caller asks you to."
)

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "lookup_patient",
            "description": "Find a patient's chart by full name and date of birth.",
            "parameters": {
                "type": "object",
                "properties": {
                    "full_name": {"type": "string", "description": "Patient's full name."},
                    "date_of_birth": {"type": "string", "description": "YYYY-MM-DD."},
                },
                "required": ["full_name", "date_of_birth"],
            },
        },
    }
]

# (user, assistant) pairs; the first turns mix raw speech-to-text and formatted styles.
TURNS = [
    (
        "hi uh yes I'm calling to book a follow up appointment for my blood pressure check",
        "Of course, I can help you book that follow-up. To pull up the chart, may I have the "
        "patient's full name, please?",
    ),
    (
        "yeah it's Sarah Chen that's S A R A H and Chen is C H E N",
        "Thank you, Sarah Chen. And to verify your identity, could you tell me your date of birth?",
    ),
    (
        "march fourteenth nineteen eighty five",
        "Thank you. One moment while I look up your chart with those details.",
    ),
    (
        "sure no problem take your time",
        "I found your chart, Sarah. Before we book, let me confirm your contact details. Is "
        "your phone number still 415-555-2671?",
    ),
    (
        "no it changed it's four one five five five five nine eight one two",
        "Got it, I've updated your number to 415-555-9812. Shall I keep sending reminders to "
        "your email, sarah.chen@gmail.com, or would you prefer text messages?",
    ),
    (
        "um the email is fine and texts too if you can",
        "Great, you'll get both. Dr. Patel has openings on Tuesday at 10 am and on Thursday "
        "at 3 pm. Which works better for you?",
    ),
    (
        "oh and I also need a refill of my lisinopril at the Walgreens on Divisadero",
        "I can request that refill for you. I've sent a refill request for lisinopril 10 mg "
        "to the Walgreens on Divisadero Street; refills usually take two business days, and "
        "the pharmacy will text you when it is ready. Would you like me to book the "
        "appointment now?",
    ),
    (
        "thursday at three works for me",
        "You're booked for Thursday at 3 pm with Dr. Patel. Please arrive ten minutes early "
        "to check in. Is there anything else I can help you with?",
    ),
    (
        "yes my insurance changed last month my new member ID is XJH482913",
        "Thanks, I've noted member ID XJH482913 on your chart. Is Blue Shield still your "
        "carrier, or did that change too?",
    ),
    (
        "still blue shield and I moved my address is 1450 Mission Street apartment 4 "
        "San Francisco 94103",
        "Updated: 1450 Mission Street, apartment 4, San Francisco, 94103.",
    ),
]
# What the chart lookup returns (a tool result is often the longest text of a turn).
CHART = {
    "found": True,
    "patient": {
        "mrn": "MRN-0048213",
        "name": "Sarah Chen",
        "date_of_birth": "1985-03-14",
        "phone": "415-555-2671",
        "email": "sarah.chen@gmail.com",
        "address": "88 Hayes Street, San Francisco, CA 94102",
        "insurance": {"carrier": "Blue Shield", "member_id": "BSC771204"},
        "primary_care": "Dr. Anita Patel",
    },
    "allergies": ["penicillin"],
    "medications": [
        {"name": "lisinopril", "dose": "10 mg", "schedule": "once daily"},
        {"name": "atorvastatin", "dose": "20 mg", "schedule": "at bedtime"},
    ],
    "appointments": [
        {"date": "2026-09-02", "time": "10:30", "with": "Dr. Anita Patel", "status": "done"},
        {"date": "2026-12-03", "time": "15:00", "with": "Dr. Anita Patel", "status": "open"},
    ],
    "notes": "Prefers afternoon appointments. Blood pressure follow-up every 3 months.",
}
ROUNDS = 1000
NEWEST = "and can you send the reminder to my husband David Chen at 415 555 0199 please"


def _request(newest: str, round_: int = 0) -> dict[str, Any]:
    """A 20-turn request: system prompt, 10 user/assistant pairs with a tool call and its
    result after the date of birth, and the newest user turn (~6 KB as JSON).

    `round_` varies the last two turns (a new number, a new reminder id), so that
    every round of the warm benchmark brings two texts never seen.
    """
    turns = [*TURNS[:-1], (TURNS[-1][0], f"{TURNS[-1][1]} Reminder {round_} is set.")]
    newest = newest.replace("0199", f"{round_:04d}") if round_ else newest
    messages: list[dict[str, Any]] = [{"role": "system", "content": SYSTEM_PROMPT}]
    for index, (user, assistant) in enumerate(turns):
        messages.append({"role": "user", "content": user})
        if index == 2:  # the chart lookup, between the date of birth and the read-back
            arguments = {"full_name": "Sarah Chen", "date_of_birth": "1985-03-14"}
            messages.append(
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {
                                "name": "lookup_patient",
                                "arguments": msgspec.json.encode(arguments).decode(),
                            },
                        }
                    ],
                }
            )
            result = CHART
            messages.append(
                {
                    "role": "tool",
                    "tool_call_id": "call_1",
                    "content": msgspec.json.encode(result).decode(),
                }
            )
        messages.append({"role": "assistant", "content": assistant})
    messages.append({"role": "user", "content": newest})
    return {"model": "gpt-4o-mini", "stream": True, "messages": messages, "tools": TOOLS}


def _wire(request: dict[str, Any]) -> dict[str, Any]:
    """The request as the proxy has it: freshly decoded, no strings shared with earlier ones."""
    return msgspec.json.decode(msgspec.json.encode(request))


def _free(real: Callable[[str], Sequence[Span]], *requests: dict[str, Any]) -> Callable:
    """A detector that costs one dict lookup: the real detector's answers, precomputed."""
    answers: dict[str, Sequence[Span]] = {}

    def record(text: str) -> Sequence[Span]:
        answers[text] = real(text)
        return answers[text]

    for request in requests:
        Masker(record).mask(request)
    return answers.__getitem__


def test_request_size() -> None:
    body = msgspec.json.encode(_request(NEWEST))
    assert 5_500 < len(body) < 6_500
    assert len(_request(NEWEST)["messages"]) == 24  # system, 20 turns + newest, call, result


@pytest.mark.parametrize("native", [False, True], ids=["python", "native"])
@pytest.mark.parametrize("detection", ["real", "free"])
def test_mask_cold(benchmark: Any, detection: str, native: bool) -> None:
    real = detect
    request = _wire(_request(NEWEST))
    detector = real if detection == "real" else _free(real, request)
    benchmark.group = "mask 20-turn request, cold"
    masked = benchmark(lambda: Masker(detector, native=native).mask(request))
    assert "Sarah Chen" not in msgspec.json.encode(masked.body).decode()


@pytest.mark.parametrize("native", [False, True], ids=["python", "native"])
@pytest.mark.parametrize("detection", ["real", "free"])
def test_mask_warm(benchmark: Any, detection: str, native: bool) -> None:
    """Each round: the previous request (ending with the caller's 9th turn) was masked;
    this one adds the assistant's read-back and a newest user turn never seen (with a
    phone number never seen)."""
    real = detect
    previous = _wire(_request(NEWEST))
    del previous["messages"][-2:]
    requests = [_wire(_request(NEWEST, i)) for i in range(1, ROUNDS + 1)]
    detector = real if detection == "real" else _free(real, previous, *requests)
    masker = Masker(detector, native=native)
    masker.mask(previous)
    fresh = iter(requests)

    def setup() -> tuple[tuple[dict[str, Any]], dict[str, Any]]:
        masker.settle()  # the proxy does it while waiting for the upstream
        return (next(fresh),), {}

    benchmark.group = "mask 20-turn request, warm"
    masked = benchmark.pedantic(masker.mask, setup=setup, rounds=ROUNDS - 10, warmup_rounds=10)
    assert "David Chen" not in msgspec.json.encode(masked.body).decode()


def test_mask_cached(benchmark: Any) -> None:
    """Every text detected before, no checkpoint: the cost of masking without detection."""
    calls: list[str] = []
    masker = Masker(lambda text: calls.append(text) or detect(text), checkpoints=0)
    masker.mask(_wire(_request(NEWEST)))
    calls.clear()
    requests = iter([_wire(_request(NEWEST)) for _ in range(ROUNDS)])

    def setup() -> tuple[tuple[dict[str, Any]], dict[str, Any]]:
        masker.settle()
        return (next(requests),), {}

    benchmark.group = "mask 20-turn request, cached"
    masked = benchmark.pedantic(masker.mask, setup=setup, rounds=ROUNDS - 10, warmup_rounds=10)
    assert calls == []  # every text was a cache hit
    assert "Sarah Chen" not in msgspec.json.encode(masked.body).decode()


def _new_call(number: int) -> dict[str, Any]:
    """The 20-turn request as another call would send it: the same system prompt, tools
    and chart, but every user and assistant text new."""
    request = _request(NEWEST)
    for message in request["messages"][1:]:
        if message["role"] in ("user", "assistant") and isinstance(message["content"], str):
            message["content"] += f" (call {number})"
    return _wire(request)


@pytest.mark.parametrize("detection", ["real", "free"])
def test_mask_cold_full_cache(benchmark: Any, detection: str) -> None:
    """A new call's first request in a long-running worker: the detection cache is full of
    earlier calls' texts, so each new text kept evicts the least recently used one."""
    real = detect
    earlier = [_new_call(number) for number in range(200)]  # 200 * 21 new texts: full
    rounds = 50 if detection == "real" else 300
    calls = [_new_call(number) for number in range(200, 200 + rounds + 1)]
    masker = Masker(real if detection == "real" else _free(real, *earlier, *calls))
    for request in earlier:
        masker.mask(request)
    assert len(masker._cache) == masker._cache.size
    fresh = iter(calls)

    def setup() -> tuple[tuple[dict[str, Any]], dict[str, Any]]:
        masker.settle()
        return (next(fresh),), {}

    benchmark.group = "mask 20-turn request, cold"
    masked = benchmark.pedantic(masker.mask, setup=setup, rounds=rounds)
    assert "Sarah Chen" not in msgspec.json.encode(masked.body).decode()


@pytest.mark.parametrize("turn", ["cold", "warm"])
def test_detection_alone(benchmark: Any, turn: str) -> None:
    """Detection's share, directly: every text a cold mask detects, or a warm turn's two."""
    real = detect
    texts: list[str] = []
    Masker(lambda text: texts.append(text) or real(text)).mask(_wire(_request(NEWEST)))
    if turn == "warm":
        texts = texts[-2:]  # the assistant's read-back and the newest user turn
    benchmark.group = f"mask 20-turn request, {turn}"
    benchmark(lambda: [real(text) for text in texts])
