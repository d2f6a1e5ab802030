"""What is said in a clinic call: the caller's turns, the assistant's read-backs, tool calls.

A call is a receptionist conversation: the caller identifies themself, then gives contact
details, insurance and questions in a random order, in one speech style (raw speech-to-text
or smart-formatted); the assistant reads values back and leads into the next topic; 40 % of
calls use tools (a chart lookup and a booking, with their results). Every message records
the raw PHI values it contains.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from benches.load.patients import Patient, Phi, Style
from benches.load.prompts import SYSTEM_PROMPT

Message = dict[str, Any]
TOOL_SHARE = 0.4  # calls that use tools


@dataclass
class Call:
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


def _user(call: Call, spoken: str, formatted: str, **values: Phi) -> None:
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


def _identify(call: Call, rng: random.Random) -> ReadBack:
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


def _phone(call: Call, rng: random.Random) -> ReadBack:
    """The caller's phone number, read back formatted."""
    p = call.patient
    phone = p.phone_number(call.style)
    _user(call, "yeah it's {phone} that's my cell", "It's {phone}, my cell.", phone=phone)
    return "Thanks, I have {phone}.", {"phone": p.phone_number("formatted")}


def _email(call: Call, rng: random.Random) -> ReadBack:
    """The caller's email address, read back formatted."""
    p = call.patient
    _user(call, "sure it's {email}", "Sure, it's {email}.", email=p.email(call.style))
    return "Got it, {email}.", {"email": p.email("formatted")}


def _address(call: Call, rng: random.Random) -> ReadBack:
    """A new street address and ZIP code, read back formatted."""
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


def _insurance(call: Call, rng: random.Random) -> ReadBack:
    """The insurance member id (not read back, as the system prompt asks)."""
    member = call.patient.insurance_member_id(call.style)
    _user(call, "okay the member id is {member}", "Okay, the member ID is {member}.", member=member)
    return "Thank you, your insurance is on file now.", {}


def _clinical(call: Call, rng: random.Random) -> ReadBack:
    """A question with doses and times only: no PHI, hard negatives for detection."""
    _user(
        call,
        "do i need to fast before the blood work i take ten milligrams of lisinopril at eight",
        "Do I need to fast before the blood work? I take 10 mg of lisinopril at 8 AM.",
    )
    return "Please don't eat after 10 PM the night before; you can take your 10 mg with water.", {}


def _booking(call: Call, rng: random.Random) -> ReadBack:
    """A morning slot; with tools, the booking call (the MRN in its arguments)."""
    p = call.patient
    _user(call, "yes please anything next week in the morning", "Yes, any morning next week.")
    if call.tools:
        tool_id = f"call_{rng.getrandbits(48):012x}"
        call.call_tool(tool_id, "book_appointment", {"mrn": p.medical_record_number("formatted")})
        call.tool_result(tool_id, {"booked": "yes", "slot": "2026-12-02T09:30", "doctor": "Reyes"})
    return "You're booked for Wednesday, December 2 at 9:30 AM, {first}.", {
        "first": p.first_name("formatted")
    }


def _family(call: Call, rng: random.Random) -> ReadBack:
    """A relative's first name and phone number for the confirmation text."""
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


def _record_number(call: Call, rng: random.Random) -> ReadBack:
    """The medical record number, read from a letter."""
    mrn = call.patient.medical_record_number(call.style)
    _user(
        call,
        "the letter says my m r n is {mrn} if that helps",
        "The letter says my MRN is {mrn}, if that helps.",
        mrn=mrn,
    )
    return "Thank you, I've noted your record number.", {}


Topic = Callable[[Call, random.Random], ReadBack]

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


def write_call(rng: random.Random) -> Call:
    """One whole call: opening, identification, every topic in a random order, goodbye.

    Deterministic for a seeded `rng`; about 20 messages, ~0.3 ms. Never fails.
    """
    call = Call(
        patient=Patient.random(rng),
        style=rng.choice(("spoken", "formatted")),
        tools=rng.random() < TOOL_SHARE,
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
