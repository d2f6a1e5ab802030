"""An upstream that breaks off mid-stream or goes silent mid-stream: the client's stream
fails loudly instead of ending as if complete, and never shows it a token."""

from __future__ import annotations

import re
import uuid

import openai
import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

USER_TEXT = "my name is Sarah Chen and my phone is 415-555-2671, thanks"
ECHO = "You said: " + USER_TEXT
TOKEN_START = re.compile(r"\[[A-Z]")


def _read(
    client: openai.OpenAI, directive: dict[str, object]
) -> tuple[str, bool, openai.APIError | None]:
    """The text received, whether a `finish_reason` arrived, and the error that ended the
    stream (None if it ended normally)."""
    text, finished = "", False
    stream = client.chat.completions.create(
        model="mock-model",
        messages=[{"role": "user", "content": USER_TEXT}],
        stream=True,
        extra_body={"mock": directive},
    )
    try:
        for chunk in stream:
            if chunk.choices:
                text += chunk.choices[0].delta.content or ""
                finished = finished or chunk.choices[0].finish_reason is not None
    except openai.APIError as error:
        return text, finished, error
    return text, finished, None


@pytest.mark.parametrize("after", [1, 5, 16, 40])
def test_upstream_disconnect_mid_stream(demo_base: str, after: int) -> None:
    """The upstream aborts after `after` events (cutting tokens at various places)."""
    client = openai.OpenAI(base_url=demo_base, api_key="x", max_retries=0)
    text, finished, failure = _read(client, {"chunking": "chars", "disconnect_after": after})
    assert failure is not None
    assert not finished
    assert ECHO.startswith(text)  # a prefix of the real answer: no token, no garbage
    assert not TOKEN_START.search(text)


def test_upstream_silent_mid_stream(mock: MockUpstreamProcess, slow_proxy: str) -> None:
    """Silence longer than `--first-byte-timeout` between events fails the stream and
    abandons the upstream request."""
    tag = uuid.uuid4().hex
    client = openai.OpenAI(
        base_url=f"{slow_proxy}/agents/custom/s/stall/v1", api_key="x", max_retries=0
    )
    text, finished, failure = _read(client, {"chunking": [6], "chunk_delay_ms": 5000, "tag": tag})
    assert failure is not None
    assert not finished
    assert ECHO.startswith(text)
    assert mock.control.wait_for_stat("cancelled", 1, tag)["cancelled"] == 1
