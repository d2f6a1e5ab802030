"""JSON texts (tool-call arguments, tool results) masked leaf by leaf.

A JSON text may write a value with escapes (`"Jos\\u00e9"`, `"line\\nbreak"`), so
detection and the sweep run on the decoded strings, the text the model
understands, never on the raw JSON. Each object key, string and integer is a
leaf; the document is re-encoded only if a leaf changed, so the result is always
valid JSON (compact, UTF-8, an integer that held a value becomes a token
string). A leaf under a key is detected with the key as context ("date of birth:
03/14/1985"), which a bare "03/14/1985" or "4155552671" lacks. Keys are names in
practice: they are swept for known values (and checked) but not detected, which
halves the detector calls of a tool result. A text that is not a JSON object or
array is masked as plain text.
"""

from __future__ import annotations

from typing import Any

import msgspec

_decode = msgspec.json.decode
_encode = msgspec.json.encode


class Leaf(msgspec.Struct, frozen=True):
    """`text` at `key` of `container` (the key itself when `is_key`)."""

    text: str
    hint: str
    container: dict[str, Any] | list[Any]
    key: Any
    is_key: bool


def parse(text: str) -> Any | None:
    """The document of `text` if it is a JSON object or array, else None.

    Cost: one msgspec decode. Never raises.
    """
    if not text.lstrip().startswith(("{", "[")):
        return None
    try:
        return _decode(text)
    except (msgspec.DecodeError, RecursionError):
        return None


def leaves(doc: Any) -> list[Leaf]:
    """The keys, strings and integers of `doc`, in document order.

    Iterative (a stack of open containers, each with its iterator), so nesting
    depth cannot exhaust the stack. O(entries).
    """
    found: list[Leaf] = []
    stack: list[tuple[Any, Any, str]] = [(doc, _items(doc), "")]
    while stack:
        container, items, hint = stack[-1]
        is_dict = isinstance(container, dict)
        for key, value in items:
            if is_dict:
                found.append(Leaf(key, "", container, key, True))
            if isinstance(value, str):
                found.append(Leaf(value, _hint(key) if is_dict else hint, container, key, False))
            elif isinstance(value, int) and not isinstance(value, bool):
                text = str(value)
                found.append(Leaf(text, _hint(key) if is_dict else hint, container, key, False))
            elif isinstance(value, (dict, list)):
                stack.append((value, _items(value), _hint(key) if is_dict else hint))
                break  # the child's entries come first; this iterator resumes after
        else:
            stack.pop()
    return found


def _items(node: dict[str, Any] | list[Any]) -> Any:
    """An iterator over `(key, value)` of a dict, `(index, value)` of a list."""
    return iter(node.items()) if isinstance(node, dict) else enumerate(node)


def texts(doc: Any) -> list[str]:
    """The texts of `leaves(doc)` (keys, strings, integers) in no particular order: what
    the leak check reads. Cheaper than `leaves` (no leaf objects, no hints); iterative.
    """
    found: list[str] = []
    stack: list[Any] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found += node  # the keys: str in a decoded JSON document
            node = node.values()
        for value in node:
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, (dict, list)):
                stack.append(value)
            elif isinstance(value, int) and not isinstance(value, bool):
                found.append(str(value))
    return found


def _hint(key: str) -> str:
    """Detection context for a value under `key`: "date_of_birth" -> "date of birth: "."""
    return key.replace("_", " ").replace("-", " ") + ": "


def encode(doc: Any, changed: list[tuple[Leaf, str]]) -> str:
    """Write the new texts of `changed` leaves into `doc` (in place) and encode it.

    Raises `ValueError` if two keys of one object became the same key.
    """
    renamed: dict[int, tuple[dict[str, Any], dict[str, str]]] = {}
    for leaf, text in changed:
        if leaf.is_key:
            renamed.setdefault(id(leaf.container), (leaf.container, {}))[1][leaf.key] = text
        else:
            leaf.container[leaf.key] = text
    for container, names in renamed.values():
        items = list(container.items())
        container.clear()
        container.update((names.get(key, key), value) for key, value in items)
        if len(container) != len(items):
            raise ValueError("masking made two keys of one JSON object equal")
    return _encode(doc).decode()
