"""The final assertion: no known value remains in the outgoing body.

It uses the sweep's rule (`matching`) and its memo, and checks what will be sent:

- a text left as it was is shared with the input (`edit` copies only edited
  paths), so it is clean if its scan holds no occurrence of a current needle;
- an edited field is read back from the outgoing body (so a wrong path cannot
  pass) and searched for every needle; an edited JSON text is parsed again and
  each of its leaves searched.

A match is allowed only inside a token of the table (a value such as "1" occurs
in "[NAME_1]", and a typed lookalike "[NAME_1]" is one). Edited texts are
searched in one batch (`matching.find_in_many`); edits resumed from a
checkpoint are only read back (see `assert_no_leak`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from phiwall.errors import MaskingFailed
from phiwall.masking import jsontext, walk
from phiwall.masking.cache import Scan
from phiwall.masking.matching import find_in_many, fold
from phiwall.masking.units import NAME_VIEW


def assert_no_leak(
    body: dict[str, Any],
    edits: Sequence[tuple[walk.Slot, str]],
    untouched: Sequence[tuple[walk.Slot, Scan]],
    needles: dict[str, str],
    needle_set: frozenset[str],
    carried: Sequence[tuple[walk.Slot, str]] = (),
) -> None:
    """Raise `MaskingFailed` if a value of `needles` occurs in `body`'s model-visible text.

    `edits` are the fields masking rewrote (slot, new text); `untouched` the
    texts it left as they were although their scans hold occurrences (a text
    with no occurrence at all cannot hold a value under the shared rule).
    `needles` maps each needle to its token; `needle_set` is its key set.
    `carried` are edits resumed from a checkpoint: checked when that request was
    masked, and since against the new needles (`Checkpoint.holds_any`), so here
    only read back. The message names the field and the label, never the value.
    """
    for slot, text in carried:
        if _read(body, slot.path) is not text:
            raise MaskingFailed(f"masked text did not reach {_field(slot)}")
    for slot, scan in untouched:
        for _, _, needle in scan.occurrences:
            if needle in needles:
                _fail(slot, needles[needle])
    if not edits:
        return
    texts: list[tuple[walk.Slot, str]] = []
    for slot, text in edits:
        if _read(body, slot.path) is not text:
            raise MaskingFailed(f"masked text did not reach {_field(slot)}")
        doc = jsontext.parse(text) if slot.kind == walk.JSON else None
        if doc is None:
            texts.append((slot, text.translate(NAME_VIEW) if slot.kind == walk.NAME else text))
        else:
            texts.extend((slot, leaf.text) for leaf in jsontext.leaves(doc))
    found = find_in_many([text for _, text in texts], needle_set)
    cores: list[str] | None = None
    for index, occurrences in found.items():
        slot, text = texts[index]
        for start, end, needle in occurrences:
            token = needles[needle]
            if cores is None:
                tokens = [fold(t) for t in set(needles.values())]
                cores = [t[1:-1] for t in tokens] + tokens  # bare (names) and bracketed
                cores += [core.translate(NAME_VIEW) for core in cores]  # as name views read
            if not _inside_token(fold(text), start, end, cores):
                _fail(slot, token)


def _read(body: Any, path: walk.Path) -> Any:
    for step in path:
        body = body[step]
    return body


#: Field names an error may show; any other key (a vendor field, a schema property)
#: could be request content, so it shows as "?".
_NAMED = frozenset(
    (
        "messages", "content", "text", "name", "refusal", "tool_calls", "function",
        "arguments", "function_call", "tools", "functions", "description", "parameters",
        "properties", "items", "enum", "default", "examples", "title", "response_format",
        "json_schema", "schema", "user", "metadata",
    )
)  # fmt: skip


def _field(slot: walk.Slot) -> str:
    """The slot's path for an error message: indices and known field names only."""
    return ".".join(
        str(step) if isinstance(step, int) or step in _NAMED else "?" for step in slot.path
    )


def _fail(slot: walk.Slot, token: str) -> None:
    label = token[1:].rsplit("_", 1)[0]
    raise MaskingFailed(f"masked request still holds a {label} value in {_field(slot)}")


def _inside_token(folded: str, start: int, end: int, cores: list[str]) -> bool:
    """Whether `folded[start:end]` lies within a token core such as "name_1"."""
    for core in cores:
        at = folded.find(core, max(0, end - len(core)))
        while at != -1 and at <= start:
            after = at + len(core)
            if end <= after and not folded[after : after + 1].isdigit():
                return True
            at = folded.find(core, at + 1)
    return False
