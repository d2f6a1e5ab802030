"""A voice call resends the whole history every turn. Turn after turn, without server
state, each value keeps its token, the answer phiwall rehydrated into the history is
masked again before it goes back upstream, and every answer comes back unmasked."""

from __future__ import annotations

import itertools
import re
import uuid
from typing import Any

import openai

from phiwall.mock_upstream.process import MockUpstreamProcess

PHI = ["Sarah Chen", "415-555-2671", "sarah.chen@example.com", "March 3, 1985"]
TURNS = [
    "Hi, my name is Sarah Chen.",
    "My number is 415-555-2671 and my email is sarah.chen@example.com.",
    "I was born March 3, 1985. Can you repeat my number, 415-555-2671?",
]
TOKEN = re.compile(r"\[[A-Z_]+_\d+\]")


def test_three_turns(mock: MockUpstreamProcess, demo_base: str) -> None:
    """Each turn: exact unmasked answer, no raw value upstream, stable tokens."""
    base = demo_base.replace("/s/e2e-session/", f"/s/call-{uuid.uuid4().hex[:8]}/")
    client = openai.OpenAI(base_url=base, api_key="x", max_retries=0)
    history: list[dict[str, Any]] = [{"role": "system", "content": "You are a clinic assistant."}]
    masked_turns: list[list[dict[str, Any]]] = []
    for text in TURNS:
        tag = uuid.uuid4().hex
        history.append({"role": "user", "content": text})
        stream = client.chat.completions.create(
            model="mock-model",
            messages=history,
            stream=True,
            extra_body={"mock": {"tag": tag, "chunking": "random", "seed": len(history)}},
        )
        answer = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
        assert answer == "You said: " + text
        history.append({"role": "assistant", "content": answer})
        assert mock.control.leaks(PHI, tag) == []
        (record,) = mock.control.requests(tag)
        masked_turns.append(record["body"]["messages"])

    # The earlier messages are masked the same way every time they are resent.
    for earlier, later in itertools.pairwise(masked_turns):
        assert later[: len(earlier)] == earlier
    # The rehydrated assistant answers went back upstream masked, with the user's tokens.
    last = masked_turns[-1]
    for user, assistant in ((last[1], last[2]), (last[3], last[4])):
        assert assistant["content"] == "You said: " + user["content"]
        assert TOKEN.search(assistant["content"])
    # One value, one token: the phone of turn 2 and of turn 3 share it.
    phone_tokens = {
        t for t in TOKEN.findall(last[3]["content"] + last[5]["content"]) if "PHONE" in t
    }
    assert len(phone_tokens) == 1
