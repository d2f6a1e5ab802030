"""Copy-on-write edits of a decoded JSON request.

`with_edits(body, edits)` is native (`rust/edit.rs`, contract in `phiwall._native`):
a resumed conversation writes every field masked in its earlier turns into each
new request again, so it runs for each rewritten field of the conversation on
every turn. Only the containers on an edited path are copied, the input is never
changed, and a path that does not exist raises (an edit only ever replaces).
"""

from __future__ import annotations

from phiwall._native import with_edits

__all__ = ["with_edits"]
