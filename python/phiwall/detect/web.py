"""Emails and URLs, typed ("sam.b@yahoo.com", "instagram.com/kathy17") or spoken
("sarah dot chen at gmail dot com", "x dot com slash patience underscore prince").

Hyperscan finds the anchor: a typed address, or the spoken tail "at <domain> dot com" /
"dot com". For spoken forms the user part is read backwards from the anchor: spelled
letters, number words and joiners ("dot", "dash", "underscore") always belong to it, up to
three other words do, and a stop word ("is", "to", "email", ...) or punctuation ends it.
URL paths are read forwards after "slash" the same way. Cost: O(words read), at most a few
dozen. Never raises.
"""

from __future__ import annotations

import re

from phiwall.detect.candidate import Candidate
from phiwall.detect.context import Context
from phiwall.detect.lexicon import DIGITS, JOINERS, TEENS, TENS, word_set
from phiwall.detect.scores import CUED, VALIDATED

_WORD = re.compile(r"[a-z0-9'@_.-]+")
_AT = re.compile(r"\bat ")
_TRAILING = ".,;:!?)'\""
_MAX_NAME_WORDS = 3
_NUMBERWORDS = frozenset(DIGITS) | frozenset(TEENS) | frozenset(TENS) | {"double", "triple"}
_STOP_BACK: frozenset[str] = word_set(
    "is to it's its email e-mail mail address was me my at as changed now updated uh um the "
    "and send sent forms form link for like er use it that that's of your yeah mean hi okay "
    "sure so please just list website site page profile on in here there be can i'm are you "
    "our their his her called under try new go is: account blog photos rash log online "
    "visit out check see find follow named handle username channel posted uploaded put shared "
    "with from by or if when then"
)
_STOP_FORWARD: frozenset[str] = word_set(
    "can the and i'm my is it it's uh um so please that this but or if for to with was "
    "thanks thank okay because since anyway where which you we they he she have has"
)


def on_email(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """A typed address with "@"; the hit starts one character before "@", so walk back
    over the user part (letters, digits, non-ASCII letters, "._%+-")."""
    text = ctx.text
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._%+-"):
        start -= 1
    while text[start] in ".-":
        start += 1  # "see: .sam@x.com" - a user part does not start with punctuation
    ctx.emit(out, start, end, "EMAIL", VALIDATED)


def on_spoken_email(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """ "<user words> at <domain> dot com" (or "at domain.com"): read the user part backwards."""
    ats = [m.start() for m in _AT.finditer(ctx.lower, start, end)]
    if not ats:
        return
    at = ats[-1]  # "i'm at work, email me at x at gmail dot com": the last "at" counts
    user_start = _read_back(ctx.lower, at)
    if user_start is None:
        return
    ctx.emit(out, user_start, end, "EMAIL", VALIDATED)


def on_url(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """A typed URL or domain (optional path); trailing punctuation is not part of it."""
    while end > start and ctx.text[end - 1] in _TRAILING:
        end -= 1
    if start > 0 and ctx.text[start - 1] == "@":
        return  # the domain of an email address
    ctx.emit(out, start, end, "URL", CUED)


def on_spoken_url(ctx: Context, start: int, end: int, out: list[Candidate]) -> None:
    """ "<host words> dot com [slash <path words>]": host read backwards, path forwards."""
    host_start = _read_back(ctx.lower, start)
    if host_start is None:
        return
    end = _read_path(ctx.lower, end)
    ctx.emit(out, host_start, end, "URL", CUED)


def _read_back(lower: str, anchor: int) -> int | None:
    """Start of the spoken user/host part that ends just before `anchor`, or None if empty."""
    window_start = max(0, anchor - 160)
    words = list(_WORD.finditer(lower, window_start, anchor))
    start: int | None = None
    named = 0
    prev_start = anchor
    for m in reversed(words):
        w = m.group()
        if lower[m.end() : prev_start].strip():
            break  # punctuation between words ends the value
        if w in _STOP_BACK or w.endswith((".", ",")):
            break
        if not (w in JOINERS or w in _NUMBERWORDS or len(w) == 1 or w.isdigit()):
            if named == _MAX_NAME_WORDS:
                break
            named += 1
        start = m.start()
        prev_start = m.start()
    if start is None:
        return None
    while True:  # a value does not begin with a joiner
        m = _WORD.match(lower, start)
        if m is None or m.group() not in JOINERS:
            return start
        start = m.end() + 1
        if start >= anchor:
            return None


def _read_path(lower: str, end: int) -> int:
    """End of a spoken URL path ("slash in slash carol dash lee") starting at `end`."""
    words = list(_WORD.finditer(lower, end, min(len(lower), end + 160)))
    if not words or words[0].group() != "slash" or lower[end : words[0].start()].strip():
        return end
    prev_end = end
    for i, m in enumerate(words[:16]):
        w = m.group()
        if lower[prev_end : m.start()].strip():
            break
        nxt = words[i + 1].group() if i + 1 < len(words) else ""
        if w in _STOP_FORWARD or (w in ("i", "a") and len(nxt) != 1):
            break
        prev_end = m.end()
        if w.endswith((".", ",")):
            prev_end -= 1
            break
    return prev_end
