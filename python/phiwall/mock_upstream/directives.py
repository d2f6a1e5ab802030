"""The `"mock"` directive a request carries to tell the mock how to answer.

The directive travels in the request body (the OpenAI SDK's `extra_body={"mock": {...}}`),
which phiwall forwards unchanged like any unknown field. The fields are documented in
`phiwall.mock_upstream`; this module only decodes and validates them.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from phiwall.mock_upstream.chunking import (
    TEXT_CHUNKINGS,
    WIRE_CHUNKINGS,
    Chunking,
    validate_sizes,
)


class ToolCallDirective(msgspec.Struct, forbid_unknown_fields=True):
    """One tool call to emit instead of text content.

    Its arguments are `{"text": <echo>}` merged with `arguments`; every string value of
    `arguments` may use `{echo}`, replaced by the echoed text.
    """

    name: str
    arguments: dict[str, Any] = msgspec.field(default_factory=dict)
    id: str | None = None


class ErrorDirective(msgspec.Struct, forbid_unknown_fields=True):
    """Answer this HTTP status with an OpenAI error body instead of a completion."""

    status: int
    message: str = "mock upstream error"
    type: str = "server_error"
    code: str | None = None
    param: str | None = None


class StreamErrorDirective(msgspec.Struct, forbid_unknown_fields=True):
    """Streaming: after `after` events, send `data: {"error": {...}}` and end the stream."""

    after: int
    message: str = "mock upstream stream error"
    type: str = "server_error"
    code: str | None = None


class Directive(msgspec.Struct, forbid_unknown_fields=True):
    """Every knob of one mock reply; the defaults give a plain echo."""

    tag: str | None = None
    echo: Literal["last_user", "all"] = "last_user"
    prefix: str = "You said: "
    reply: str | None = None
    chunking: Chunking = "words"
    seed: int = 0
    wire: Chunking = "event"
    line_ending: Literal["lf", "crlf"] = "lf"
    tool_call: ToolCallDirective | list[ToolCallDirective] | None = None
    first_byte_delay_ms: float = 0.0
    delay_ms: float = 0.0
    chunk_delay_ms: float = 0.0
    error: ErrorDirective | None = None
    disconnect_after: int | None = None
    stream_error: StreamErrorDirective | None = None
    interleave: str | None = None
    finish_in_last_delta: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.chunking, list):
            validate_sizes(self.chunking)
        elif self.chunking not in TEXT_CHUNKINGS:
            raise ValueError(f"chunking must be one of {TEXT_CHUNKINGS} or a list of sizes")
        if isinstance(self.wire, list):
            validate_sizes(self.wire)
        elif self.wire not in WIRE_CHUNKINGS:
            raise ValueError(f"wire must be one of {WIRE_CHUNKINGS} or a list of sizes")
        delays = (self.first_byte_delay_ms, self.delay_ms, self.chunk_delay_ms)
        if min(delays) < 0:
            raise ValueError("delays must be >= 0")
        if self.error is not None and not 400 <= self.error.status <= 599:
            raise ValueError("error.status must be an HTTP error status (400-599)")
        if self.disconnect_after is not None and self.disconnect_after < 0:
            raise ValueError("disconnect_after must be >= 0")
        if self.stream_error is not None and self.stream_error.after < 0:
            raise ValueError("stream_error.after must be >= 0")
        if self.interleave is not None and not self.interleave.endswith("\n\n"):
            raise ValueError("interleave must be whole SSE lines ending with a blank line")

    @property
    def tool_calls(self) -> list[ToolCallDirective]:
        """The tool calls to emit, as a list (empty for a text reply)."""
        if self.tool_call is None:
            return []
        if isinstance(self.tool_call, list):
            return self.tool_call
        return [self.tool_call]


def parse_directive(value: object) -> Directive:
    """Decode the body's `"mock"` field; `None` gives the defaults.

    Raises `ValueError` with a readable message when the directive is invalid.
    """
    if value is None:
        return Directive()
    try:
        return msgspec.convert(value, Directive)
    except msgspec.ValidationError as exc:
        raise ValueError(f"invalid mock directive: {exc}") from exc
