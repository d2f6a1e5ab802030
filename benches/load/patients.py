"""Synthetic patients and their PHI, rendered the way callers say it or an app writes it.

Every rendering returns a `Phi` (the exact text put in a message, and its label), so the
conversation that uses it can list the raw values that must never reach the upstream.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Literal

from benches.load import spoken

Style = Literal["spoken", "formatted"]

# Common names only: a name that is also an English word ("Hope", "Will") would make the
# leak check depend on detection of hard cases, which the eval corpus measures instead.
# fmt: off
FIRST_NAMES = (
    "Sarah", "Michael", "Jennifer", "David", "Maria", "Robert", "Linda", "James", "Patricia",
    "Daniel", "Jessica", "Kevin", "Priya", "Carlos", "Aisha", "Thomas", "Elena", "Brian", "Fatima",
    "Steven", "Mei", "Anthony", "Olga", "Jason", "Nadia", "Gregory", "Yolanda", "Raymond", "Ingrid",
    "Marcus"
)
LAST_NAMES = (
    "Chen", "Johnson", "Martinez", "Nguyen", "Patel", "Thompson", "Garcia", "Robinson", "Kowalski",
    "Okafor", "Hernandez", "Schneider", "Ramirez", "Goldberg", "Fitzgerald", "Nakamura", "Delgado",
    "Petrov", "Abernathy", "Castillo", "Lindqvist", "Mahmoud", "Oconnell", "Washington", "Alvarez"
)
# fmt: on
AREA_CODES = ("415", "212", "617", "312", "206", "512", "303", "404", "718", "469")
STREETS = ("Oak Street", "Maple Avenue", "Cedar Lane", "Elm Drive", "Pine Road", "Birch Court")
DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "icloud.com")


@dataclass(frozen=True)
class Phi:
    """One PHI value exactly as it appears in a message, with its `phiwall scan` label."""

    text: str
    label: str


@dataclass(frozen=True)
class Patient:
    """A synthetic caller: every field is PHI once it appears in a conversation."""

    first: str
    last: str
    birth: date
    phone: str  # ten digits
    email_user: str
    email_domain: str
    street_number: int
    street: str
    zip_code: str
    mrn: str  # eight digits
    member_id: str  # "W" + nine digits

    @classmethod
    def random(cls, rng: random.Random) -> Patient:
        """Draw a patient from `rng` (deterministic for a seeded generator); O(1), never fails."""
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        exchange = f"{rng.randint(2, 9)}{rng.randint(0, 9)}{rng.randint(0, 9)}"
        separator = rng.choice((".", "_", ""))
        return cls(
            first=first,
            last=last,
            birth=date(rng.randint(1938, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            phone=rng.choice(AREA_CODES) + exchange + f"{rng.randint(0, 9999):04d}",
            email_user=f"{first.lower()}{separator}{last.lower()}{rng.randint(1, 99)}",
            email_domain=rng.choice(DOMAINS),
            street_number=rng.randint(12, 9899),
            street=rng.choice(STREETS),
            zip_code=f"{rng.randint(10000, 99950)}",
            mrn=f"{rng.randint(10_000_000, 99_999_999)}",
            member_id=f"W{rng.randint(100_000_000, 999_999_999)}",
        )

    def full_name(self, style: Style) -> Phi:
        """ "Sarah Chen", or "sarah chen" as speech-to-text writes it."""
        text = f"{self.first} {self.last}"
        return Phi(text.lower() if style == "spoken" else text, "NAME")

    def first_name(self, style: Style) -> Phi:
        """The first name alone, as a read-back or a greeting uses it."""
        return Phi(self.first.lower() if style == "spoken" else self.first, "NAME")

    def date_of_birth(self, style: Style) -> Phi:
        """ "march third nineteen eighty five", or "March 3, 1985"."""
        month = spoken.MONTHS[self.birth.month - 1]
        if style == "spoken":
            day, year = spoken.ordinal(self.birth.day), spoken.year(self.birth.year)
            return Phi(f"{month} {day} {year}", "DATE")
        return Phi(f"{month.capitalize()} {self.birth.day}, {self.birth.year}", "DATE")

    def date_of_birth_iso(self) -> Phi:
        """ "1985-03-03", as a tool's JSON arguments carry it."""
        return Phi(self.birth.isoformat(), "DATE")

    def phone_number(self, style: Style) -> Phi:
        """ "four one five five five five two six seven one", or "415-555-2671"."""
        if style == "spoken":
            return Phi(spoken.digits(self.phone), "PHONE")
        return Phi(f"{self.phone[:3]}-{self.phone[3:6]}-{self.phone[6:]}", "PHONE")

    def email(self, style: Style) -> Phi:
        """ "sarah dot chen at gmail dot com", or "sarah.chen@gmail.com"."""
        if style == "spoken":
            user = self.email_user.replace(".", " dot ").replace("_", " underscore ")
            user = "".join(f" {spoken.digits(c)} " if c.isdigit() else c for c in user)
            domain = self.email_domain.replace(".", " dot ")
            return Phi(" ".join(f"{user} at {domain}".split()), "EMAIL")
        return Phi(f"{self.email_user}@{self.email_domain}", "EMAIL")

    def street_address(self, style: Style) -> Phi:
        """ "1234 oak street", or "1234 Oak Street" (callers say house numbers as digits)."""
        text = f"{self.street_number} {self.street}"
        return Phi(text.lower() if style == "spoken" else text, "ADDRESS")

    def zip(self, style: Style) -> Phi:
        """ "nine four one one zero", or "94110"."""
        return Phi(spoken.digits(self.zip_code) if style == "spoken" else self.zip_code, "ZIP")

    def medical_record_number(self, style: Style) -> Phi:
        """The MRN, digit by digit when spoken."""
        return Phi(spoken.digits(self.mrn) if style == "spoken" else self.mrn, "MRN")

    def insurance_member_id(self, style: Style) -> Phi:
        """ "w one two three ...", or "W123456789"."""
        if style == "spoken":
            return Phi(f"w {spoken.digits(self.member_id)}", "MEMBER_ID")
        return Phi(self.member_id, "MEMBER_ID")
