"""Which strings of a chat-completions request masking reads, and how.

`slots(body)` lists them in a fixed order: tool and function definitions (fixed
for an agent, so values there keep their numbers), then each message in order,
and in a message its `name`, `content` (a string, or the `text` of each part),
`refusal`, each tool call's `function.arguments`, the legacy
`function_call.arguments`, and its other fields; last, the other top-level
fields (`others`: they may change from turn to turn without the conversation
changing).

The fields the model reads as text are detected and swept (`TEXT`, `NAME`,
`JSON`): message texts, tool results and arguments, and the `description`s of
tool definitions and their `parameters` schemas. Every other string (schema
`enum`/`default`/`examples`/`title`, `response_format`, `user`, `metadata`,
vendor fields) is `SWEEP`: not detected, but known values found elsewhere are
replaced there too and checked for, so none leaves in the outgoing body.

Never touched: object keys, identifiers (`model`, `role`, `type`, `id`,
`tool_call_id`, function names, schema `required`/`$ref`/`pattern`/`format`),
`tool_choice` and `logit_bias`, image/audio/file parts, and any shape this module
does not recognise, which it skips rather than rejects (the proxy validates
requests before masking).
"""

from __future__ import annotations

from typing import Any, Final

import msgspec

#: Plain text.
TEXT: Final = 0
#: A participant name: masked with bare tokens (`NAME_1`), as OpenAI allows only
#: `[A-Za-z0-9_-]` there.
NAME: Final = 1
#: Text that may be JSON (tool-call arguments, tool results): masked leaf by leaf.
JSON: Final = 2
#: Any other string: known values are replaced, nothing is detected.
SWEEP: Final = 3

#: Keys whose string values are identifiers, anywhere.
_IDENTIFIERS = frozenset(("model", "role", "type", "id", "tool_call_id"))
#: Keys whose whole value is left alone: binary data, token ids, tool names.
_OPAQUE = frozenset(("image_url", "input_audio", "file", "audio", "logit_bias", "tool_choice"))
#: Top-level and message fields walked by their own rules.
_OWN_FIELDS = frozenset(("messages", "tools", "functions"))
_MESSAGE_FIELDS = frozenset(
    ("role", "content", "name", "refusal", "tool_calls", "function_call", "tool_call_id")
)
_FUNCTION_FIELDS = frozenset(("name", "description", "parameters"))
_SKIPPED_TOP = _OWN_FIELDS | _IDENTIFIERS | _OPAQUE
#: Keys `_other_slots` leaves alone, with everything under them.
_SKIPPED_OTHER = _IDENTIFIERS | _OPAQUE
#: Roles whose content is a result (a tuple: a role of any type can be looked up).
_RESULTS = ("tool", "function")
#: Schema keywords whose string values are names, not text.
_SCHEMA_NAMES = frozenset(("required", "type", "$ref", "$schema", "$id", "pattern", "format"))

Path = tuple[str | int, ...]


class Slot(msgspec.Struct, frozen=True):
    """The string at `path` in the request is read by the model as `kind`."""

    path: Path
    kind: int
    text: str


def slots(body: dict[str, Any]) -> list[Slot]:
    """The strings of `body` that masking reads, in the order above.

    Cost: O(number of messages, parts and schema nodes). Never raises on a
    malformed body: what is not a dict, list or str where expected is skipped.
    """
    return [*definitions(body), *conversation(body.get("messages"), 0), *others(body)]


def definitions(body: dict[str, Any]) -> list[Slot]:
    """The strings of the `tools` and `functions` definitions. O(schema nodes)."""
    found: list[Slot] = []
    for field in ("tools", "functions"):
        definitions = body.get(field)
        if isinstance(definitions, list):
            for i, definition in enumerate(definitions):
                if isinstance(definition, dict):
                    function = definition.get("function") if field == "tools" else definition
                    if isinstance(function, dict):
                        prefix = (field, i, "function") if field == "tools" else (field, i)
                        _function_slots(function, prefix, found)
                    if field == "tools":
                        for key, value in definition.items():
                            if key != "function":
                                _other_slots(key, value, (field, i), found)
    return found


def conversation(messages: Any, start: int) -> list[Slot]:
    """The strings of `messages[start:]` (if `messages` is a list). O(their fields)."""
    found: list[Slot] = []
    if isinstance(messages, list):
        for i in range(start, len(messages)):
            message = messages[i]
            if isinstance(message, dict):
                _message_slots(message, i, found)
    return found


def others(body: dict[str, Any]) -> list[Slot]:
    """The strings of the top-level fields other than tools, functions and messages,
    which may change from turn to turn without the conversation changing."""
    found: list[Slot] = []
    for key, value in body.items():
        if key not in _SKIPPED_TOP and isinstance(value, (str, dict, list)):
            _other_slots(key, value, (), found)
    return found


def _message_slots(message: dict[str, Any], i: int, found: list[Slot]) -> None:
    content = message.get("content")
    if isinstance(content, str) and len(message) == 2 and "role" in message:
        # Just a role and a string: most messages, so the fast path.
        kind = JSON if message["role"] in _RESULTS else TEXT
        found.append(Slot(("messages", i, "content"), kind, content))
        return
    name = message.get("name")
    if isinstance(name, str):
        found.append(Slot(("messages", i, "name"), NAME, name))
    if isinstance(content, (str, list)):
        # Tool results are often JSON written with escapes (json.dumps' "\u00e9"):
        # parsed, so the values are seen as the model reads them.
        kind = JSON if message.get("role") in _RESULTS else TEXT
        if isinstance(content, str):
            found.append(Slot(("messages", i, "content"), kind, content))
        else:
            for j, part in enumerate(content):
                # Any part with a string `text` is read as text, whatever its `type`.
                if isinstance(part, dict) and isinstance(text := part.get("text"), str):
                    found.append(Slot(("messages", i, "content", j, "text"), kind, text))
    refusal = message.get("refusal")
    if isinstance(refusal, str):
        found.append(Slot(("messages", i, "refusal"), TEXT, refusal))
    calls = message.get("tool_calls")
    if isinstance(calls, list):
        for k, call in enumerate(calls):
            if isinstance(call, dict):
                function = call.get("function")
                args = function.get("arguments") if isinstance(function, dict) else None
                if isinstance(args, str):
                    path = ("messages", i, "tool_calls", k, "function", "arguments")
                    found.append(Slot(path, JSON, args))
    legacy = message.get("function_call")
    if isinstance(legacy, dict) and isinstance(args := legacy.get("arguments"), str):
        found.append(Slot(("messages", i, "function_call", "arguments"), JSON, args))
    for key, value in message.items():
        if key not in _MESSAGE_FIELDS:
            _other_slots(key, value, ("messages", i), found)


def _function_slots(function: dict[str, Any], prefix: Path, found: list[Slot]) -> None:
    description = function.get("description")
    if isinstance(description, str):
        found.append(Slot((*prefix, "description"), TEXT, description))
    parameters = function.get("parameters")
    if isinstance(parameters, (dict, list)):
        _schema_slots(parameters, (*prefix, "parameters"), found)
    for key, value in function.items():
        if key not in _FUNCTION_FIELDS:
            _other_slots(key, value, prefix, found)


def _schema_slots(schema: dict[str, Any] | list[Any], prefix: Path, found: list[Slot]) -> None:
    """A JSON schema's strings: each `description` as text, other values (`enum`,
    `default`, `title`...) to sweep, names (`required`, `type`...) untouched.

    A node's own strings come before its children's. Iterative, so a deeply
    nested schema cannot exhaust the stack.
    """
    stack: list[tuple[Any, Path]] = [(schema, prefix)]
    while stack:
        node, path = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        children: list[tuple[Any, Path]] = []
        for key, value in items:
            if isinstance(value, str):
                if key == "description":
                    found.append(Slot((*path, key), TEXT, value))
                elif key not in _SCHEMA_NAMES:
                    found.append(Slot((*path, key), SWEEP, value))
            elif isinstance(value, dict) or (
                isinstance(value, list) and key not in _SCHEMA_NAMES
            ):  # a property may be called "type": its schema is still walked
                children.append((value, (*path, key)))
        stack.extend(reversed(children))


def _other_slots(key: str | int, value: Any, prefix: Path, found: list[Slot]) -> None:
    """Every string under `value` (at `prefix` + `key`) as `SWEEP`, in document order,
    except identifiers and opaque fields.

    Iterative (a stack of open containers, each with its iterator: a child's strings
    come before its later siblings'), so nesting depth cannot exhaust the stack; a
    string or a flat object costs no stack at all. O(entries).
    """
    if key in _SKIPPED_OTHER:
        return
    if isinstance(value, str):
        found.append(Slot((*prefix, key), SWEEP, value))
        return
    if not isinstance(value, (dict, list)):
        return
    path = (*prefix, key)
    stack: list[tuple[Path, Any]] = [(path, _entries(value))]
    while stack:
        path, items = stack[-1]
        for inner, child in items:
            if isinstance(child, str):
                if inner not in _SKIPPED_OTHER:
                    found.append(Slot((*path, inner), SWEEP, child))
            elif isinstance(child, (dict, list)) and inner not in _SKIPPED_OTHER:
                stack.append(((*path, inner), _entries(child)))
                break  # the child's strings come first; this iterator resumes after
        else:
            stack.pop()


def _entries(node: dict[str, Any] | list[Any]) -> Any:
    """An iterator over `(key, value)` of a dict, `(index, value)` of a list."""
    return iter(node.items()) if isinstance(node, dict) else enumerate(node)
