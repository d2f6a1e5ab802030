"""DESIGN, data flow steps 4-5: once a value is detected, every other occurrence of it
anywhere in the request is masked too (the known-value sweep), and no raw value of the
token table may remain in the outgoing body. Here the values are detected in the user's
turn and also sit in places detection alone does not read."""

from __future__ import annotations

import uuid
from typing import Any

import openai
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

NAME, PHONE, EMAIL = "Sarah Chen", "415-555-2671", "sarah.chen@example.com"
USER_TEXT = f"Hi, my name is {NAME}, phone {PHONE}, email {EMAIL}."


def _tool(schema: dict[str, Any]) -> list[dict[str, Any]]:
    parameters = {"type": "object", "properties": {"who": {"type": "string", **schema}}}
    return [{"type": "function", "function": {"name": "lookup", "parameters": parameters}}]


#: Where the known values also appear -> the request's extra fields.
ELSEWHERE: dict[str, dict[str, Any]] = {
    "tool-description": {"tools": _tool({"description": f"the caller, {NAME}"})},
    "tool-enum": {"tools": _tool({"enum": [NAME, PHONE]})},
    "tool-default": {"tools": _tool({"default": EMAIL})},
    "tool-examples": {"tools": _tool({"examples": [PHONE]})},
    "tool-title": {"tools": _tool({"title": f"Record of {NAME}"})},
    "response-format": {
        "response_format": {
            "type": "json_schema",
            "json_schema": {
                "name": "booking",
                "schema": {"type": "object", "description": f"booking for {NAME}, {PHONE}"},
            },
        }
    },
    "user-field": {"user": EMAIL},
    "vendor-field": {"vendor_context": {"caller": NAME, "callback": PHONE}},
}


@pytest.mark.parametrize("where", list(ELSEWHERE))
def test_known_values_never_leave_anywhere(
    mock: MockUpstreamProcess, demo_base: str, where: str
) -> None:
    """The request succeeds, the answer is exact, and the upstream saw no raw value."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    answer = client.chat.completions.create(
        model="mock-model",
        messages=[{"role": "user", "content": USER_TEXT}],
        extra_body={**ELSEWHERE[where], "mock": {"tag": tag}},
    )
    assert answer.choices[0].message.content == "You said: " + USER_TEXT
    assert mock.control.leaks([NAME, PHONE, EMAIL], tag) == []
