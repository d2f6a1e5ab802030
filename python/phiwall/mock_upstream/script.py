"""What the mock answers: the echoed reply, as a completion or as a list of SSE events.

The reply is deterministic: by default `"You said: " + <text of the last user message>`,
so whatever tokens phiwall put into the request come back in the answer, and phiwall has
to rehydrate them. Everything here is pure (no I/O) so it can be unit-tested directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import msgspec

from phiwall.mock_upstream.chunking import split_text
from phiwall.mock_upstream.directives import Directive

_encode = msgspec.json.Encoder().encode
FINGERPRINT = "fp_phiwall_mock"


class RequestShapeError(ValueError):
    """The body is not a chat-completions request the mock can answer."""


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One tool call of the reply, its arguments already encoded as a JSON string."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer, before it is shaped as a completion or as stream chunks."""

    id: str
    created: int
    model: str
    n: int
    content: str | None
    tool_calls: list[ToolCall] = field(default_factory=list)
    prompt_tokens: int = 0

    @property
    def finish_reason(self) -> str:
        """`tool_calls` when the reply calls tools, else `stop`."""
        return "tool_calls" if self.tool_calls else "stop"

    @property
    def completion_tokens(self) -> int:
        """A rough count (4 characters a token) of what the choices generate."""
        text = self.content or "".join(call.arguments for call in self.tool_calls)
        return _tokens(text) * self.n

    def usage(self) -> dict[str, int]:
        """OpenAI's `usage` object."""
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
        }


def _tokens(text: str) -> int:
    """OpenAI's rule of thumb: about 4 characters per token."""
    return (len(text) + 3) // 4


def message_text(message: object) -> str:
    """The text of a message: its string content, or its text parts joined by spaces."""
    if not isinstance(message, dict):
        return ""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [
            part["text"]
            for part in content
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        ]
        return " ".join(texts)
    return ""


def echo_text(body: dict[str, Any], directive: Directive) -> str:
    """The text the mock repeats: the last user message, or every message (`echo: all`)."""
    messages = body["messages"]
    if directive.echo == "all":
        return "\n".join(
            f"{m.get('role', '?')}: {message_text(m)}" for m in messages if isinstance(m, dict)
        )
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            return message_text(message)
    return ""


def _fill(value: Any, echo: str) -> Any:
    """`value` with `{echo}` replaced by `echo` in every string, recursively."""
    if isinstance(value, str):
        return value.replace("{echo}", echo)
    if isinstance(value, list):
        return [_fill(item, echo) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, echo) for key, item in value.items()}
    return value


def build_reply(body: object, directive: Directive, *, request_id: str, created: int) -> Reply:
    """The reply to `body` as `directive` asks; `RequestShapeError` if `body` is not one."""
    if not isinstance(body, dict):
        raise RequestShapeError("the body must be a JSON object")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RequestShapeError("'messages' must be a non-empty array")
    n = body.get("n", 1)
    if n is None:
        n = 1
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 16:
        raise RequestShapeError("'n' must be an integer between 1 and 16")
    model = body.get("model")
    model = model if isinstance(model, str) else "mock-model"
    text = (
        directive.reply
        if directive.reply is not None
        else directive.prefix + echo_text(body, directive)
    )
    tool_calls = [
        ToolCall(
            id=call.id or f"call_mock_{index}",
            name=call.name,
            arguments=_encode({"text": text, **_fill(call.arguments, text)}).decode(),
        )
        for index, call in enumerate(directive.tool_calls)
    ]
    prompt_tokens = sum(_tokens(message_text(m)) for m in messages)
    return Reply(
        id=request_id,
        created=created,
        model=model,
        n=n,
        content=None if tool_calls else text,
        tool_calls=tool_calls,
        prompt_tokens=prompt_tokens,
    )


def completion(reply: Reply) -> bytes:
    """The non-streaming answer: a `chat.completion` object, encoded."""
    message: dict[str, Any] = {"role": "assistant", "content": reply.content, "refusal": None}
    if reply.tool_calls:
        message["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
            }
            for call in reply.tool_calls
        ]
    choices = [
        {"index": i, "message": message, "logprobs": None, "finish_reason": reply.finish_reason}
        for i in range(reply.n)
    ]
    return _encode(
        {
            "id": reply.id,
            "object": "chat.completion",
            "created": reply.created,
            "model": reply.model,
            "system_fingerprint": FINGERPRINT,
            "choices": choices,
            "usage": reply.usage(),
        }
    )


def error_body(message: str, type_: str, code: str | None, param: str | None = None) -> bytes:
    """OpenAI's error shape."""
    return _encode({"error": {"message": message, "type": type_, "param": param, "code": code}})


_ROLE_DELTA = b'{"role":"assistant","content":"","refusal":null}'


def _choice_deltas(reply: Reply, directive: Directive, index: int) -> list[bytes]:
    """Every delta of one choice, encoded, in order, without the `finish_reason` one."""
    seed = directive.seed + index
    if not reply.tool_calls:
        pieces = split_text(reply.content or "", directive.chunking, seed)
        return [_ROLE_DELTA, *(b'{"content":' + _encode(piece) + b"}" for piece in pieces)]
    deltas: list[bytes] = []
    for position, call in enumerate(reply.tool_calls):
        head = {
            "index": position,
            "id": call.id,
            "type": "function",
            "function": {"name": call.name, "arguments": ""},
        }
        if position == 0:
            first = {"role": "assistant", "content": None, "refusal": None, "tool_calls": [head]}
            deltas.append(_encode(first))
        else:
            deltas.append(_encode({"tool_calls": [head]}))
        for piece in split_text(call.arguments, directive.chunking, seed + 1000 * position):
            fragment = {"tool_calls": [{"index": position, "function": {"arguments": piece}}]}
            deltas.append(_encode(fragment))
    return deltas


def stream_events(reply: Reply, directive: Directive, *, include_usage: bool) -> list[bytes]:
    """The whole SSE stream as a list of events (`data: ...` plus the blank line).

    Role delta first, content (or tool-call) deltas of the `n` choices interleaved, one
    `finish_reason` chunk per choice, the usage chunk if asked, then `data: [DONE]`.
    `stream_error` cuts the list after N events and ends it with an error event;
    `interleave` appends its raw SSE text to every event but the last.
    `finish_in_last_delta` moves each choice's last delta into its `finish_reason` chunk.
    Events are assembled from pre-encoded pieces: the mock is a load-test upstream too.
    """
    eol = "\r\n" if directive.line_ending == "crlf" else "\n"
    end = (eol + eol).encode()
    head = _encode(
        {
            "id": reply.id,
            "object": "chat.completion.chunk",
            "created": reply.created,
            "model": reply.model,
            "system_fingerprint": FINGERPRINT,
        }
    )
    prefix = b"data: " + head[:-1] + b',"choices":['
    tail = (b'],"usage":null}' if include_usage else b"]}") + end

    def event(index: int, delta: bytes, finish: bytes = b"null") -> bytes:
        return b'%s{"index":%d,"delta":%s,"logprobs":null,"finish_reason":%s}%s' % (
            prefix,
            index,
            delta,
            finish,
            tail,
        )

    per_choice = [_choice_deltas(reply, directive, i) for i in range(reply.n)]
    finals = [b"{}"] * reply.n
    if directive.finish_in_last_delta:
        finals = [deltas.pop() if len(deltas) > 1 else b"{}" for deltas in per_choice]
    if reply.n == 1:
        events = [event(0, delta) for delta in per_choice[0]]
    else:
        events = [
            event(index, deltas[step])
            for step in range(max(len(deltas) for deltas in per_choice))
            for index, deltas in enumerate(per_choice)
            if step < len(deltas)
        ]
    finish = _encode(reply.finish_reason)
    events.extend(event(index, finals[index], finish) for index in range(reply.n))
    if include_usage:
        events.append(prefix + b'],"usage":' + _encode(reply.usage()) + b"}" + end)
    events.append(b"data: [DONE]" + end)
    if directive.stream_error is not None:
        failure = directive.stream_error
        body = error_body(failure.message, failure.type, failure.code)
        events = [*events[: failure.after], b"data: " + body + end]
    if directive.interleave is not None:
        extra = directive.interleave.replace("\n", eol).encode()
        events = [e + extra for e in events[:-1]] + events[-1:]
    return events
