"""`phiwall._native.Rehydrator`: examples of the documented contract, then properties.

The oracle is a regular expression written straight from the token grammar in
`_native.pyi`; the Rust code parses at `[` with a state machine instead, so the two are
independent. Hypothesis draws tables, texts dense with tokens and near-tokens, and cuts.
"""

from __future__ import annotations

import itertools
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phiwall._native import Rehydrator, RehydratorStream

# A token as documented: up to 2 spaces inside each bracket, the word in any case.
TOKEN = re.compile(r"\[ {0,2}([A-Za-z0-9_]+) {0,2}\]")
PAD = 2


def oracle(table: dict[str, str], text: str) -> str:
    """Plain rehydration by regex, for a table with canonical keys."""
    return TOKEN.sub(lambda m: table.get(f"[{m.group(1).upper()}]", m.group(0)), text)


def longest_variant(table: dict[str, str]) -> int:
    return max((len(key) + 2 * PAD for key in table), default=0)


def run_stream(stream: RehydratorStream, chunks: list[str]) -> str:
    return "".join([stream.feed(chunk) for chunk in chunks]) + stream.flush()


def cut(text: str, points: list[int]) -> list[str]:
    bounds = [0, *sorted(p % (len(text) + 1) for p in points), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


# --- examples -------------------------------------------------------------------------

TABLE = {"[NAME_1]": "Ana", "[NAME_10]": "Bo", "[MEMBER_ID_3]": "XJ-4471", "[CITY_1]": "São Paulo"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[NAME_1]", "Ana"),
        ("[name_1]", "Ana"),
        ("[Name_1]", "Ana"),
        ("[nAmE_10]", "Bo"),
        ("[member_id_3] [Member_Id_3]", "XJ-4471 XJ-4471"),
        ("[ NAME_1]", "Ana"),
        ("[NAME_1 ]", "Ana"),
        ("[  NAME_1  ]", "Ana"),
        ("[ name_10  ]", "Bo"),
        ("[NAME_1][NAME_10]", "AnaBo"),
        ("[[NAME_1]]", "[Ana]"),
        ("Olá [CITY_1] 👋", "Olá São Paulo 👋"),
        # Not tolerated: stay as written.
        ("[   NAME_1]", "[   NAME_1]"),
        ("[NAME_1   ]", "[NAME_1   ]"),
        ("[NAME _1]", "[NAME _1]"),
        ("[\tNAME_1]", "[\tNAME_1]"),
        ("[\xa0NAME_1]", "[\xa0NAME_1]"),
        ("[NAME_01]", "[NAME_01]"),
        ("NAME_1", "NAME_1"),
        # Unknown and near tokens.
        ("[NAME_2] [NAME_100] [ZIP_1]", "[NAME_2] [NAME_100] [ZIP_1]"),
        ("[ [] [NAME_1", "[ [] [NAME_1"),
    ],
)
def test_replace_documented_variants(text: str, expected: str) -> None:
    assert Rehydrator(TABLE).replace(text) == expected
    stream = Rehydrator(TABLE).stream()
    assert run_stream(stream, list(text)) == expected


def test_keys_are_normalised() -> None:
    loose = Rehydrator({"[ name_1 ]": "Ana", "[Member_Id_3]": "X"})
    assert loose.replace("[NAME_1] [MEMBER_ID_3]") == "Ana X"


@pytest.mark.parametrize(
    ("table", "error", "message"),
    [
        ({"NAME_1": "Ana"}, ValueError, "position 0 is not enclosed in '[' and ']'"),
        ({"[NAME_1]": "a", "[Ana Lima]": "b"}, ValueError, "position 1 does not end in '_N'"),
        ({"[NAME_01]": "Ana"}, ValueError, "without leading zeros"),
        ({"[   NAME_1]": "Ana"}, ValueError, "more than 2 spaces"),
        ({"[N4ME_1]": "Ana"}, ValueError, "has no label"),
        ({"[NAME_1]": "Ana", "[name_1]": "Ana"}, ValueError, "position 1 names the same token"),
        ({"[NAME_1]": "\ud800Ana"}, ValueError, "value at position 0 is not valid Unicode"),
        ({"[NAME_1]": 5}, TypeError, "value at position 0 is not a str"),
        ({1: "Ana"}, TypeError, "key at position 0 is not a str"),
    ],
)
def test_bad_tables_are_rejected_without_echoing_them(
    table: dict, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)) as raised:
        Rehydrator(table)
    assert "Ana" not in str(raised.value)


def test_not_a_dict() -> None:
    with pytest.raises(TypeError):
        Rehydrator([("[NAME_1]", "Ana")])  # type: ignore[arg-type]


def test_use_after_flush_raises_value_error() -> None:
    stream = Rehydrator(TABLE).stream()
    assert stream.feed("hi [NAME_") == "hi "
    assert stream.flush() == "[NAME_"
    with pytest.raises(ValueError, match=r"feed\(\) on a RehydratorStream that was already"):
        stream.feed("1]")
    with pytest.raises(ValueError, match=r"flush\(\) on a RehydratorStream"):
        stream.flush()


def test_streams_cannot_be_built_directly() -> None:
    with pytest.raises(TypeError):
        RehydratorStream()  # type: ignore[call-arg]


def test_unchanged_text_is_returned_without_a_copy() -> None:
    rehydrator = Rehydrator(TABLE)
    chunk = "".join(["no token ", "here"])  # a fresh object, not an interned constant
    assert rehydrator.stream().feed(chunk) is chunk
    assert rehydrator.replace(chunk) is chunk
    assert rehydrator.replace("[x] [NAME_2]") == "[x] [NAME_2]"


def test_lone_surrogate_chunk_leaves_the_stream_usable() -> None:
    stream = Rehydrator(TABLE).stream()
    assert stream.feed("a [NAM") == "a "
    with pytest.raises(UnicodeEncodeError):
        stream.feed("\ud800")
    assert stream.feed("E_1]") == "Ana"


def test_json_string_mode_escapes_values() -> None:
    rehydrator = Rehydrator({"[NAME_1]": 'O"Brien\\\n', "[CITY_1]": "São"})
    args = '{"who": "[NAME_1]", "where": ["[city_1]"], "note": "caf\\u00e9"}'
    out = rehydrator.replace(args, json_string=True)
    assert out == '{"who": "O\\"Brien\\\\\\n", "where": ["São"], "note": "caf\\u00e9"}'
    assert json.loads(out) == {"who": 'O"Brien\\\n', "where": ["São"], "note": "café"}
    assert run_stream(rehydrator.stream(json_string=True), list(args)) == out


def test_json_string_escapes_cut_between_chunks_pass_through() -> None:
    stream = Rehydrator(TABLE).stream(json_string=True)
    chunks = ["caf\\", "u00", "e9 \\", "\\[NAME", "_1]\\", '"']
    assert [stream.feed(c) for c in chunks] == ["caf\\", "u00", "e9 \\", "\\", "Ana\\", '"']
    assert stream.flush() == ""


def test_arguments_must_be_str() -> None:
    rehydrator = Rehydrator(TABLE)
    with pytest.raises(TypeError):
        rehydrator.replace(b"[NAME_1]")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        rehydrator.stream().feed(None)  # type: ignore[arg-type]


# --- properties -----------------------------------------------------------------------

LABELS = ["NAME", "N", "NAME_X", "MEMBER_ID", "PHONE", "A"]
canonical_tokens = st.builds(
    "[{}_{}]".format, st.sampled_from(LABELS), st.integers(min_value=1, max_value=12)
)
values = st.text(
    alphabet=st.sampled_from('ab Zé東👩🏽\u0301"\\\n\t\x01[]_1'), min_size=0, max_size=8
)
tables = st.dictionaries(canonical_tokens, values, max_size=6)


@st.composite
def variants(draw: st.DrawFn, token: str) -> str:
    """`token` as a model might write it: any case, 0–3 spaces each side (3 is too many)."""
    word = token[1:-1]
    word = "".join(c.lower() if draw(st.booleans()) else c for c in word)
    left, right = draw(st.integers(0, PAD + 1)), draw(st.integers(0, PAD + 1))
    return f"[{' ' * left}{word}{' ' * right}]"


@st.composite
def texts(draw: st.DrawFn, table: dict[str, str]) -> str:
    """Text dense with the table's tokens, their variants, prefixes of them, and noise."""
    known = sorted(table) or ["[NAME_1]"]
    token = st.sampled_from(known)
    piece = st.one_of(
        token,
        token.flatmap(variants),
        token.map(lambda t: t[: len(t) // 2]),  # a cut-off token
        token.map(lambda t: t[:-1] + " "),
        canonical_tokens,  # maybe unknown to this table
        st.sampled_from(["[", "]", "[[", " ", "_1", "0]", "\\", '"', "\\u00e9", "\n"]),
        st.text(alphabet=st.sampled_from("ab 1_é東😀\u0301[]"), max_size=4),
    )
    return "".join(draw(st.lists(piece, max_size=12)))


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, str], str, list[int]]:
    table = draw(tables)
    text = draw(texts(table))
    points = draw(st.lists(st.integers(min_value=0), max_size=len(text) + 1))
    return table, text, points


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(cases())
def test_replace_matches_the_grammar(case: tuple[dict[str, str], str, list[int]]) -> None:
    table, text, _ = case
    assert Rehydrator(table).replace(text) == oracle(table, text)


@PROPERTY
@given(cases())
def test_stream_equals_replace_and_holds_back_only_a_token_start(
    case: tuple[dict[str, str], str, list[int]],
) -> None:
    table, text, points = case
    rehydrator = Rehydrator(table)
    stream = rehydrator.stream()
    out, consumed = "", ""
    for chunk in cut(text, points):
        out += stream.feed(chunk)
        consumed += chunk
        # What is not out yet is held, and is released verbatim if the text ends here.
        settled = rehydrator.replace(consumed)
        assert settled.startswith(out)
        held = settled[len(out) :]
        assert consumed.endswith(held)
        assert len(held) < max(longest_variant(table), 1)
        if held:  # a `[`, padding, and a word some token of the table starts with
            m = re.fullmatch(r"\[ {0,2}([A-Za-z0-9_]*)( {0,2})", held)
            assert m is not None, held
            word, trailing = m.group(1).upper(), m.group(2)
            words = [key[1:-1] for key in table]
            assert any(w == word if trailing else w.startswith(word) for w in words), held
    assert out + stream.flush() == rehydrator.replace(text)


@PROPERTY
@given(cases(), st.booleans())
def test_json_string_round_trip(
    case: tuple[dict[str, str], str, list[int]], ensure_ascii: bool
) -> None:
    table, text, points = case
    escaped = json.dumps(text, ensure_ascii=ensure_ascii)[1:-1]
    rehydrator = Rehydrator(table)
    out = run_stream(rehydrator.stream(json_string=True), cut(escaped, points))
    assert out == rehydrator.replace(escaped, json_string=True)
    assert json.loads(f'"{out}"') == rehydrator.replace(text)


@settings(max_examples=50, deadline=None)
@given(cases(), st.booleans())
def test_use_after_flush_always_raises(
    case: tuple[dict[str, str], str, list[int]], json_string: bool
) -> None:
    table, text, points = case
    stream = Rehydrator(table).stream(json_string)
    run_stream(stream, cut(text, points))
    with pytest.raises(ValueError, match="already flushed"):
        stream.feed(text)
    with pytest.raises(ValueError, match="already flushed"):
        stream.flush()
