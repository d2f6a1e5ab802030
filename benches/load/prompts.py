"""The fixed parts of every benchmark request: the receptionist's system prompt and tools."""

from __future__ import annotations

from typing import Any

MODEL = "gpt-4o-mini"

# About 1.5 KB, like the prompts voice platforms send on every turn. No patient PHI.
SYSTEM_PROMPT = (
    "You are Ava, the virtual receptionist of Bayview Family Medicine. You answer the "
    "phone for the clinic and help callers book, move or cancel appointments, request "
    "prescription refills, update their contact details and ask billing questions.\n\n"
    "Style: you are speaking on the phone, so keep every answer to one or two short "
    "sentences, never use lists, markdown or emojis, and spell out anything the caller "
    "must write down. Be warm and calm; many callers are unwell or anxious.\n\n"
    "Identity: before discussing any appointment, result or bill, confirm the caller's "
    "full name and date of birth, and read them back exactly. If they call for someone "
    "else, ask for that person's name and date of birth and the caller's relationship.\n\n"
    "Contact details: when a caller gives a phone number, email or address, read it back "
    "once to confirm. Never read out a full insurance member ID or record number; confirm "
    "only the last four characters.\n\n"
    "Clinical questions: you cannot give medical advice. For symptoms such as chest pain, "
    "trouble breathing or signs of a stroke, tell the caller to hang up and dial 911. For "
    "anything else clinical, offer a nurse call-back within four business hours.\n\n"
    "Scheduling: the clinic is open Monday to Friday from 8 AM to 6 PM and Saturday from 9 "
    "AM to noon. New-patient visits take 40 minutes, follow-ups 20 minutes. Use the tools "
    "to look up the chart and to book; never invent a time slot.\n\n"
    "Refills: controlled substances need a visit; other refills go to the doctor's queue "
    "and are usually ready within two business days.\n\n"
    "Close every call by asking whether there is anything else you can help with."
)

TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "lookup_patient",
            "description": "Find the caller's chart by full name and date of birth.",
            "parameters": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "The patient's full name."},
                    "date_of_birth": {"type": "string", "description": "YYYY-MM-DD."},
                },
                "required": ["name", "date_of_birth"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "book_appointment",
            "description": "Book a visit in the first free slot that matches the request.",
            "parameters": {
                "type": "object",
                "properties": {
                    "mrn": {"type": "string", "description": "The chart's record number."},
                    "visit_type": {"type": "string", "enum": ["new", "follow_up", "lab"]},
                    "earliest": {"type": "string", "description": "ISO date, inclusive."},
                },
                "required": ["mrn", "visit_type"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "send_confirmation",
            "description": "Text or email the booking confirmation to the patient.",
            "parameters": {
                "type": "object",
                "properties": {
                    "phone": {"type": "string", "description": "Mobile number for SMS."},
                    "email": {"type": "string", "description": "Email address."},
                },
            },
        },
    },
]
