"""The final assertion: no known value remains in the outgoing body.

It uses the sweep's rule (`matching`) and checks what will be sent, for every
needle of the request's table:

- a text masked before, in the resumed prefix of a conversation, was checked
  then, and since for the needles new in this request (`Checkpoint.holds_any`);
  where it was rewritten, the masked text is read back from the outgoing body;
- a text left as it was is shared with the input, and the sweep searched it for
  every needle: it is clean if the sweep found nothing there (a text with
  findings that rewriting left as it was is reported);
- an edited field is read back from the outgoing body (so a wrong path cannot
  pass) and searched for every needle; an edited JSON text is parsed again and
  each of its leaves searched.

A match is allowed only inside a token of the table (a value such as "1" occurs
in "[NAME_1]", and a typed lookalike "[NAME_1]" is one). Edited texts are
searched in one batch (`matching.find_in_many`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from phiwall.errors import MaskingFailed
from phiwall.masking import jsontext, walk
from phiwall.masking.matching import Occurrence, find_in_many, fold
from phiwall.masking.units import NAME_VIEW


def assert_no_leak(
    body: dict[str, Any],
    edits: Sequence[tuple[walk.Slot, str]],
    untouched: Sequence[tuple[walk.Slot, Sequence[Occurrence]]],
    needles: dict[str, str],
    carried: Sequence[tuple[walk.Path, str]] = (),
) -> None:
    """Raise `MaskingFailed` if a value of `needles` occurs in `body`'s model-visible text.

    `edits` are the fields masking rewrote (slot, new text); `untouched` the texts
    it left as they were although the sweep found occurrences in them (a bug).
    `needles` maps each needle to its token. `carried` are the rewritten fields
    resumed from a checkpoint (path, masked text): checked when that request was
    masked, and since against the new needles (`Checkpoint.holds_any`), so here only
    read back. Cost: one batched native search per needle over the edited texts,
    O(path length) per carried field. The message names the field and the label,
    never the value.
    """
    for path, text in carried:  # `_read` inlined: a resumed turn has many
        node = body
        for step in path:
            node = node[step]
        if node is not text:
            raise MaskingFailed(f"masked text did not reach {_field(path)}")
    for slot, occurrences in untouched:
        for _, _, needle in occurrences:
            _fail(slot, needles[needle])
    if not edits:
        return
    texts: list[str] = []
    owners: list[walk.Slot] = []  # the slot of each text
    for slot, text in edits:
        if _read(body, slot.path) is not text:
            raise MaskingFailed(f"masked text did not reach {_field(slot.path)}")
        doc = jsontext.parse(text) if slot.kind == walk.JSON else None
        if doc is not None:
            leaves = jsontext.texts(doc)
        else:
            leaves = [text.translate(NAME_VIEW) if slot.kind == walk.NAME else text]
        texts += leaves
        owners += [slot] * len(leaves)
    found = find_in_many(texts, needles)
    cores: list[str] | None = None
    for index, occurrences in found.items():
        slot, text = owners[index], texts[index]
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


def _field(path: walk.Path) -> str:
    """`path` for an error message: indices and known field names only."""
    return ".".join(str(step) if isinstance(step, int) or step in _NAMED else "?" for step in path)


def _fail(slot: walk.Slot, token: str) -> None:
    label = token[1:].rsplit("_", 1)[0]
    raise MaskingFailed(f"masked request still holds a {label} value in {_field(slot.path)}")


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
