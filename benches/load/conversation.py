"""Deterministic clinic calls cut into the chat-completions requests a voice platform sends.

A call is a receptionist conversation: the caller identifies themself, then gives contact
details, insurance and questions in a random order, in one speech style (raw speech-to-text
or smart-formatted); the assistant reads values back; some calls use tools (a chart lookup
and a booking, with their results). The platform resends the whole history on every turn,
so each user turn of a call is one request carrying everything before it.

Every message records the raw PHI values it contains, so each request knows exactly which
strings must never reach the upstream.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from benches.load.patients import Patient, Phi, Style
from benches.load.prompts import MODEL, SYSTEM_PROMPT, TOOLS

MIN_TURNS = 4  # non-system messages in the smallest request
MAX_TURNS = 20  # ... and in the largest

Message = dict[str, Any]


@dataclass(frozen=True)
class BenchRequest:
    """One request of the benchmark: a prefix of a call that ends with a user turn.

    `messages` is shared with the other requests of the call (never mutate it); `phi` holds
    every raw PHI value of the request (word-bounded, case-sensitive, see `leaks.py`);
    `last_user_text` is what the echoing mock upstream answers about.
    """

    call_id: str
    turn: int
    messages: tuple[Message, ...]
    tools: bool
    phi: tuple[Phi, ...]
    last_user_text: str

    def body(
        self, *, stream: bool, tag: str, session: str, chunking: str = "words"
    ) -> dict[str, Any]:
        """The JSON body for one target; O(1) (the messages are shared, not copied).

        `call.id` is the session, as Vapi sends it (phiwall groups a call's turns by it and
        removes the field before forwarding). The `mock` field is the mock upstream's
        directive (phiwall forwards unknown fields): `tag` tells its records and counters
        apart by target, `chunking` says how to split a streamed answer.
        """
        body: dict[str, Any] = {
            "model": MODEL,
            "messages": self.messages,
            "temperature": 0.4,
            "max_tokens": 200,
            "stream": stream,
            "mock": {"tag": tag, "chunking": chunking},
            "call": {"id": session},
        }
        if self.tools:
            body["tools"] = TOOLS
        return body


@dataclass
class _Call:
    """A call being written: its messages so far and the PHI values each one holds."""

    patient: Patient
    style: Style
    tools: bool
    messages: list[Message] = field(default_factory=list)
    phi: list[tuple[Phi, ...]] = field(default_factory=list)

    def say(self, role: str, template: str, **values: Phi) -> None:
        """Append a message built from `template` with PHI `values` filled in."""
        self.messages.append(
            {"role": role, "content": template.format_map({k: v.text for k, v in values.items()})}
        )
        self.phi.append(tuple(values.values()))

    def call_tool(self, call_id: str, name: str, arguments: dict[str, Phi]) -> None:
        """Append an assistant tool call whose JSON arguments carry PHI."""
        text = json.dumps({key: phi.text for key, phi in arguments.items()})
        function = {"name": name, "arguments": text}
        self.messages.append(
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [{"id": call_id, "type": "function", "function": function}],
            }
        )
        self.phi.append(tuple(arguments.values()))

    def tool_result(self, call_id: str, result: dict[str, Phi | str]) -> None:
        """Append a tool result (a JSON document) holding PHI and plain fields."""
        plain = {k: v.text if isinstance(v, Phi) else v for k, v in result.items()}
        self.messages.append(
            {"role": "tool", "tool_call_id": call_id, "content": json.dumps(plain)}
        )
        self.phi.append(tuple(v for v in result.values() if isinstance(v, Phi)))


def _user(call: _Call, spoken: str, formatted: str, **values: Phi) -> None:
    """The caller's turn in the call's style (the values were rendered in that style)."""
    call.say("user", spoken if call.style == "spoken" else formatted, **values)


# What the assistant says back: a template and the PHI filled into it.
ReadBack = tuple[str, dict[str, Phi]]

_OPENINGS = (
    (
        "hi um i need to book a follow up visit with doctor reyes",
        "Hi, I'd like to book a follow-up with Dr. Reyes.",
    ),
    (
        "hello yes i'm calling about a refill for my blood pressure medicine",
        "Hello, I'm calling about a refill of my blood pressure medication.",
    ),
    (
        "hi i got a bill in the mail and i don't understand it",
        "Hi, I have a question about a bill I received.",
    ),
    (
        "yeah hi i need to move my appointment next week",
        "Hi, I need to reschedule my appointment next week.",
    ),
)


def _identify(call: _Call, rng: random.Random) -> ReadBack:
    """Name and date of birth; with tools, the chart lookup and its result."""
    p, style = call.patient, call.style
    _user(
        call,
        "sure my name is {name} and my date of birth is {dob}",
        "Sure, it's {name}, date of birth {dob}.",
        name=p.full_name(style),
        dob=p.date_of_birth(style),
    )
    if call.tools:
        tool_id = f"call_{rng.getrandbits(48):012x}"
        call.call_tool(
            tool_id,
            "lookup_patient",
            {"name": p.full_name("formatted"), "date_of_birth": p.date_of_birth_iso()},
        )
        call.tool_result(
            tool_id,
            {
                "found": "yes",
                "mrn": p.medical_record_number("formatted"),
                "name": p.full_name("formatted"),
                "phone_on_file": p.phone_number("formatted"),
                "last_visit": "2026-08-14",
            },
        )
    return "Thank you, {first}. I have {name}, born {dob}.", {
        "first": p.first_name("formatted"),
        "name": p.full_name("formatted"),
        "dob": p.date_of_birth("formatted"),
    }


def _phone(call: _Call, rng: random.Random) -> ReadBack:
    p = call.patient
    phone = p.phone_number(call.style)
    _user(call, "yeah it's {phone} that's my cell", "It's {phone}, my cell.", phone=phone)
    return "Thanks, I have {phone}.", {"phone": p.phone_number("formatted")}


def _email(call: _Call, rng: random.Random) -> ReadBack:
    p = call.patient
    _user(call, "sure it's {email}", "Sure, it's {email}.", email=p.email(call.style))
    return "Got it, {email}.", {"email": p.email("formatted")}


def _address(call: _Call, rng: random.Random) -> ReadBack:
    p, style = call.patient, call.style
    _user(
        call,
        "yes we moved it's {street} zip code {zip}",
        "Yes, we moved to {street}, zip {zip}.",
        street=p.street_address(style),
        zip=p.zip(style),
    )
    return "I've updated your address to {street}, {zip}.", {
        "street": p.street_address("formatted"),
        "zip": p.zip("formatted"),
    }


def _insurance(call: _Call, rng: random.Random) -> ReadBack:
    member = call.patient.insurance_member_id(call.style)
    _user(call, "okay the member id is {member}", "Okay, the member ID is {member}.", member=member)
    return "Thank you, your insurance is on file now.", {}


def _clinical(call: _Call, rng: random.Random) -> ReadBack:
    # Hard negatives only: times, doses and amounts are not PHI.
    _user(
        call,
        "do i need to fast before the blood work i take ten milligrams of lisinopril at eight",
        "Do I need to fast before the blood work? I take 10 mg of lisinopril at 8 AM.",
    )
    return "Please don't eat after 10 PM the night before; you can take your 10 mg with water.", {}


def _booking(call: _Call, rng: random.Random) -> ReadBack:
    p = call.patient
    _user(call, "yes please anything next week in the morning", "Yes, any morning next week.")
    if call.tools:
        tool_id = f"call_{rng.getrandbits(48):012x}"
        call.call_tool(tool_id, "book_appointment", {"mrn": p.medical_record_number("formatted")})
        call.tool_result(tool_id, {"booked": "yes", "slot": "2026-12-02T09:30", "doctor": "Reyes"})
    return "You're booked for Wednesday, December 2 at 9:30 AM, {first}.", {
        "first": p.first_name("formatted")
    }


def _family(call: _Call, rng: random.Random) -> ReadBack:
    relative = Patient.random(rng)
    while relative.first == call.patient.first:
        # phiwall gives values equal up to case one token (DESIGN): "Maria" read back and
        # "maria" spoken would come back in one casing, which is not what this measures.
        relative = Patient.random(rng)
    _user(
        call,
        "can you also text it to my daughter {name} her number is {phone}",
        "Can you also text it to my daughter {name}? Her number is {phone}.",
        name=relative.first_name(call.style),
        phone=relative.phone_number(call.style),
    )
    return "Of course, I'll text {name} at {phone} as well.", {
        "name": relative.first_name("formatted"),
        "phone": relative.phone_number("formatted"),
    }


def _record_number(call: _Call, rng: random.Random) -> ReadBack:
    mrn = call.patient.medical_record_number(call.style)
    _user(
        call,
        "the letter says my m r n is {mrn} if that helps",
        "The letter says my MRN is {mrn}, if that helps.",
        mrn=mrn,
    )
    return "Thank you, I've noted your record number.", {}


Topic = Callable[[_Call, random.Random], ReadBack]

# Each topic with the question the assistant asks to lead into it.
_TOPICS: tuple[tuple[str, Topic], ...] = (
    ("What's the best phone number to reach you?", _phone),
    ("Is there an email for appointment reminders?", _email),
    ("Has your home address changed since your last visit?", _address),
    ("Do you have your insurance card handy?", _insurance),
    ("Do you have any questions before your visit?", _clinical),
    ("Shall I find you a time now?", _booking),
    ("Should anyone else get the confirmation?", _family),
    ("Do you have your medical record number from our letter?", _record_number),
)


def _write_call(rng: random.Random) -> _Call:
    """One whole call: opening, identification, every topic in a random order, goodbye."""
    call = _Call(
        patient=Patient.random(rng),
        style=rng.choice(("spoken", "formatted")),
        tools=rng.random() < 0.4,
    )
    call.say("system", SYSTEM_PROMPT)
    spoken, formatted = rng.choice(_OPENINGS)
    _user(call, spoken, formatted)
    steps = [("May I have your full name and date of birth?", _identify)]
    steps += rng.sample(_TOPICS, len(_TOPICS))
    call.say("assistant", "I can help with that. " + steps[0][0])
    questions = [question for question, _ in steps[1:]] + ["Anything else I can help with?"]
    for (_, topic), next_question in zip(steps, questions, strict=True):
        template, values = topic(call, rng)
        call.say("assistant", f"{template} {next_question}".strip(), **values)
    _user(call, "no that's everything thank you", "No, that's everything. Thank you!")
    return call


def _requests_of(call: _Call, call_id: str) -> list[BenchRequest]:
    """Every prefix of `call` that ends with a user turn and has 4..20 non-system messages."""
    requests = []
    for end, message in enumerate(call.messages, start=1):
        if message["role"] != "user" or not MIN_TURNS <= end - 1 <= MAX_TURNS:
            continue
        phi = {value: None for values in call.phi[:end] for value in values}  # ordered set
        requests.append(
            BenchRequest(
                call_id=call_id,
                turn=len(requests),
                messages=tuple(call.messages[:end]),
                tools=call.tools,
                phi=tuple(phi),
                last_user_text=message["content"],
            )
        )
    return requests


def generate(seed: int, count: int, concurrent_calls: int = 50) -> list[BenchRequest]:
    """`count` requests from `concurrent_calls` calls in progress at once, turn by turn.

    Requests are interleaved round-robin across the calls in progress, so every call's turns
    arrive in order (a per-message detection cache sees each turn's history before) while
    neighbouring requests belong to different calls. The same seed gives the same requests.
    Costs about 50 µs per request; raises ValueError if `count` or `concurrent_calls` < 1.
    """
    if count < 1 or concurrent_calls < 1:
        raise ValueError("count and concurrent_calls must be at least 1")
    rng = random.Random(seed)
    numbers = iter(range(1 << 62))

    def fresh() -> Iterator[BenchRequest]:
        number = next(numbers)
        return iter(_requests_of(_write_call(rng), f"s{seed}c{number}"))

    lanes = [fresh() for _ in range(concurrent_calls)]
    out: list[BenchRequest] = []
    while len(out) < count:
        lane = len(out) % concurrent_calls
        request = next(lanes[lane], None)
        if request is None:
            lanes[lane] = fresh()
            request = next(lanes[lane])
        out.append(request)
    return out
