"""phiwall's Rust core (`rust/`): puts original values back in place of tokens (and, for
request masking, the known-value search and copy-on-write edits).

A token is `[LABEL_N]`: LABEL is one or more words of A-Z joined by `_` (`NAME`,
`MEMBER_ID`), N a positive integer without leading zeros. Models retype tokens, so a
token is also recognised

- with its label in any ASCII case: `[name_1]`, `[Name_1]`, `[nAmE_1]`;
- with up to 2 ASCII spaces right inside either bracket: `[ NAME_1]`, `[NAME_1  ]`,
  `[  name_1 ]`.

Nothing else: `[NAME _1]`, `[   NAME_1]` (3 spaces), a tab or no-break space inside the
brackets, `[NAME_01]`, `NAME_1` without brackets all stay as written. Matching parses the
text at each `[` and reads the word to its end before looking it up, so `[NAME_1]` never
matches inside `[NAME_10]`, and `[[NAME_1]]` becomes `[value]`. A token the table does not
know stays as written. Values are inserted as they are and never scanned again.
"""

from typing import Any, final

__version__: str

@final
class Rehydrator:
    """The token table of one request, ready to replace its tokens.

    Build one per request; it is immutable, so it can be shared, and `stream()` is cheap.
    """

    def __init__(self, table: dict[str, str]) -> None:
        """Build from a mapping of token to original value, e.g. `{"[NAME_1]": "Ana"}`.

        Keys may be written in any recognised variant (`"[ name_1 ]"`) and are normalised to
        the canonical token. Costs one pass over the table plus a sort, O(n log n + total
        size): a couple of microseconds for ten tokens. Values are copied; their JSON-escaped
        form is made once, by the first JSON-string rewrite.

        Raises:
            TypeError: `table` is not a dict, or a key or value is not a str.
            ValueError: a key is not a token, two keys name the same token (`"[NAME_1]"` and
                `"[name_1]"`), or a key or value contains a lone surrogate. The message gives
                the key's position and the rule it breaks, never the key or value itself.
        """

    def replace(self, text: str, *, json_string: bool = False) -> str:
        """Return `text` with every token of the table replaced by its value.

        With `json_string=True`, `text` is treated as the escaped content of JSON strings
        (see `stream`) and values are inserted JSON-escaped: the same as feeding `text` to
        `stream(json_string=True)` and flushing.

        Costs one pass: a memchr-speed scan to each `[`, then one trie step per character of
        a candidate token. About 2-3 µs for 1 KB holding 20 tokens, 0.1 µs without any `[`.
        Returns `text` itself, not a copy, when it contains no token of the table.

        Raises:
            TypeError: `text` is not a str.
            UnicodeEncodeError: `text` contains a lone surrogate.
        """

    def stream(self, json_string: bool = False) -> RehydratorStream:
        """Start rehydrating one text that arrives in chunks (one per choice or tool call).

        Shares this table (no copy): costs one small allocation.

        With `json_string=True` the chunks are pieces of the escaped content of JSON strings,
        such as a tool call's `function.arguments`, whose string literals hold the tokens.
        Values are then inserted escaped as JSON string content: `"` and `\\` get a
        backslash, control characters become `\\n`, `\\t`, ... or `\\u00XX`, and everything
        else, non-ASCII included, goes in as is. The upstream's own text, its escapes
        included, passes through exactly as written. An escape cut between two chunks (a chunk
        ending in `\\` or in the middle of `\\u00e9`) needs nothing special: no escape contains
        a `[`, and a `\\` ends any candidate token, so a token is never found inside or across
        an escape. A token written with escapes (`\\u005bNAME_1]`) is not recognised.
        """

    def completion(self, body: bytes) -> bytes:
        """A whole (non-streamed) chat completion's JSON with the tokens replaced: each
        choice's `message.content` and `message.refusal`, and each tool call's (and the
        legacy `function_call`'s) `arguments` with the values JSON-escaped. Only the changed
        strings are rewritten; the rest keeps the upstream's bytes.

        What the proxy answers a non-streamed request with (`phiwall.proxy.relay`); the
        reference is `phiwall.proxy.rehydrate.rehydrate_completion`, which re-encodes the
        answer (the two agree once decoded). Costs one parse of the answer plus a replace per
        text: a few microseconds for a voice-sized answer. Returns `body` itself when no text
        changed, or when it is not a JSON object with a `choices` array (nothing it could
        reveal). Never fails on what the upstream sends.

        Raises:
            TypeError: `body` is not bytes.
        """

    def events(self) -> EventStream:
        """Start rehydrating one streamed chat completion: its SSE bytes, read by read.

        What the proxy relays a stream with (`phiwall.proxy.relay`); the reference is
        `phiwall.proxy.sse.SSEDecoder` feeding `rehydrate_stream.StreamRehydrator`. Shares
        this table: costs one small allocation.
        """

@final
class RehydratorStream:
    """The streaming rewriter made by `Rehydrator.stream()`; not constructible directly.

    Shaped like an incremental decoder: `feed` each chunk in order and send on what it
    returns, then `flush` once at the end. For every way of cutting a text into chunks
    (empty chunks included), the outputs of all the feeds and the flush, joined, equal
    `Rehydrator.replace(text)` (with the same `json_string`).

    A stream holds state between calls: use it from one thread at a time (a concurrent call
    raises RuntimeError, "Already borrowed").
    """

    def feed(self, chunk: str) -> str:
        """Read the next chunk; return all the text that can no longer be part of a token.

        Holds back only a tail that could still become a token of this table: a `[`, its
        padding and the beginning of a word that some token starts with. So text without `[`
        is never held, and the tail is always shorter than the longest way a token of the
        table can be written (canonical length + 4). Everything held is released by a later
        `feed` (as value or as text) or by `flush`.

        Costs O(len(chunk)), well under a microsecond for a typical SSE chunk including the
        call. When nothing is held and `chunk` has no `[`, returns `chunk` itself (no copy).

        Raises:
            ValueError: the stream was already flushed.
            TypeError: `chunk` is not a str.
            UnicodeEncodeError: `chunk` contains a lone surrogate (the stream is unchanged).
        """

    def flush(self) -> str:
        """End the text: return the held tail, which never became a token, unchanged.

        Call it once, when the upstream finishes (the chunk carrying `finish_reason`, or
        before `[DONE]`). Returns `""` when nothing is held.

        Raises:
            ValueError: the stream was already flushed.
        """

@final
class EventStream:
    """The SSE rehydrator of one streamed chat completion, made by `Rehydrator.events()`.

    Shaped like an incremental decoder: `feed` each network read of the upstream's stream
    in order and send on what it returns, then `flush` once at the end. It decodes the
    Server-Sent Events (any line endings, events cut anywhere) and writes each back in one
    form (`event:`, `id:`, `retry:`, then `data:` lines; comments dropped). In each JSON
    chunk, every choice's `delta.content` and `delta.refusal` is rehydrated as a stream of
    its own, and every tool call's `function.arguments` and the legacy
    `function_call.arguments` in JSON-string mode; a chunk is
    rewritten only where a text changed, so the rest keeps the upstream's bytes. Text held
    back as a possible token start goes into the chunk carrying the choice's
    `finish_reason`, or into a chunk of its own before `[DONE]` or at `flush`. Anything
    that is not a JSON chunk passes through as it came.

    Use from one thread at a time (a concurrent call raises RuntimeError).
    """

    def feed(self, chunk: bytes) -> bytes:
        """Read the next network read; return the events it completed, rehydrated.

        Costs one pass over an event's bytes while nothing is held and none of its JSON
        strings has a `[` (most events), else a parse of its JSON (O(its size)): one to three
        microseconds for a typical chunk, the call included. Returns `chunk` itself when
        every event in it is written back as it came and nothing is left pending. Never
        fails on what the upstream sends.

        Raises:
            ValueError: the stream was already flushed.
            TypeError: `chunk` is not bytes.
        """

    def flush(self) -> bytes:
        """End the stream: the event it ended in the middle of (if any), and a chunk with
        the text still held (if any); `b""` when there is neither.

        Raises:
            ValueError: the stream was already flushed.
        """

def find_boundary_matches(hay: str, needles: list[str]) -> list[tuple[int, int, str]]:
    """Every occurrence of each needle in `hay` that does not split a run of letters or
    digits (Python's `str.isalnum`), overlapping ones included: `(start, end, needle)` in
    `str` indices, needle by needle, each needle's in order of position; the needle is the
    object passed in. Empty needles never match.

    Request masking's known-value search (`phiwall.masking.matching.find_in` is the Python
    reference). Cost: one `memmem` scan of `hay` per needle plus a check per hit (a call
    into Python only for a non-ASCII neighbour). Raises `UnicodeEncodeError` if `hay` or a
    needle holds a lone surrogate.
    """

def find_boundary_matches_per_text(
    hay: str, needles: list[str], starts: list[int]
) -> dict[int, list[tuple[int, int, str]]]:
    """`find_boundary_matches` of texts joined into `hay` by one separator character.

    Text `i` starts at `starts[i]` (`str` indices, ascending; the list ends with
    `len(hay) + 1`). Returns `{i: [(start, end, needle), ...]}` in text `i`'s own indices,
    for the texts with any match; a match that runs past its text's end (a needle holding
    the separator) is dropped. Same cost as one `find_boundary_matches` over `hay`, plus
    O(log n) per match; raises as it does.
    """

def with_edits(
    body: dict[str, Any], edits: list[tuple[tuple[str | int, ...], str]]
) -> dict[str, Any]:
    """A copy of `body` with the value at each path (a tuple of keys and indices) replaced
    by its string; `body` is not changed.

    Only the containers on an edited path are copied (shallowly, once each); everything
    else is shared with `body`; the top-level dict is always a new one. Cost: O(path
    length) per edit plus the size of the copied containers, about 0.2 µs per edit.
    Raises `KeyError`, `IndexError` or `TypeError` (as indexing does) if a path, its last
    step included, does not exist in `body`: an edit only ever replaces.
    """

def mask_resumed(
    request: dict[str, Any],
    messages: list[Any],
    start: int,
    checkpoint: Any,
    cache: Any,
    detectors: tuple[Any, Any, Any],
    helpers: tuple[Any, ...],
    extras: tuple[Any, ...],
    finish: tuple[Any, ...],
) -> Any:
    """`phiwall.mask.Masker._mask` for a request resuming `checkpoint` (the state after
    `messages[:start]`), then `Masker._masked`, in one call: a copy of the checkpoint's
    `TokenTable`, walk of the new messages and other top-level fields, then `mask_fresh`'s
    masking of them (JSON documents leaf by leaf, detection through `detectors` and the
    `DetectionCache` `cache`, new tokens into the copy, the sweep, rewrite) with the
    checkpoint's edits written into the copy-on-write request again, the leak check (the
    carried fields read back), the `MaskedRequest` and the checkpoint build. `detectors`,
    `helpers` and `extras` are `mask_fresh`'s; `finish` is `phiwall.mask._FINISH`
    (TokenTable, MaskedRequest, _point).

    Returns `NotImplemented`, having changed nothing, when a new field or a value of the
    checkpoint holds a lone surrogate, or a JSON document nests deeper than 64: the Python
    path masks it; None when a value new in these messages occurs in the checkpoint's texts
    (mask in full); else `(masked, pending)`: the `MaskedRequest`, and what `Masker.settle`
    builds the next checkpoint with (`(_point, arguments)`, as `Masker._masked` leaves it),
    or None when the new messages are not JSON data. Cost: the detector on uncached texts
    plus about 10-20 µs for a voice turn, with no Python frame (and one msgspec decode per
    new JSON document). Raises what detection raises, `ValueError` for a span outside its
    text or two JSON keys made equal, `MaskingFailed` from the leak check (field and label
    only), or an indexing error; `Masker.mask` reports any of them as `MaskingFailed`
    without request content. The parity tests (tests/masking/test_native_parity.py) hold it
    to the Python path.
    """

def mask_fresh(
    request: dict[str, Any],
    messages: list[Any],
    table: Any,
    cache: Any,
    detectors: tuple[Any, Any, Any],
    helpers: tuple[Any, ...],
    extras: tuple[Any, ...],
) -> Any:
    """`phiwall.mask.Masker._mask(request, messages, 0, None)` (a request without a
    checkpoint) in one call: the walk of definitions, messages and other fields, JSON
    documents leaf by leaf, detection through the `DetectionCache` `cache` (values kept as
    `Value`s), tokens into `table` (a new `TokenTable`), lookalikes, the sweep, rewrite,
    edits and the leak check. `detectors` is `(Masker._detect_text, Masker._detect_leaves,
    Detector or None)`: with a `Detector`, ASCII texts (and texts without `[` that
    `phiwall.detect.fold` makes ASCII) are detected by it directly, else by the two
    methods, in the Python path's order. `helpers` is `phiwall.mask._HELPERS`,
    `extras` `phiwall.mask._EXTRAS` (Value, lookalikes.find, msgspec.json.encode,
    phiwall.detect.fold.fold).

    Returns `NotImplemented`, having changed nothing, for a lone surrogate or nesting
    deeper than 64 (the Python path masks it); else `(body, mine, views, outputs)`: the
    masked body, the rewritten conversation fields `(path, text)`, each conversation unit's
    view and masked view (what `settle` builds the checkpoint from). Raises what detection
    raises, `ValueError` for a span outside its text or two JSON keys made equal,
    `MaskingFailed` from the leak check (field and label only).
    """

def find_checkpoint(
    entries: Any,
    request: dict[str, Any],
    messages: list[Any],
    max_new: int,
) -> tuple[int, Any] | None:
    """`phiwall.masking.checkpoints.Checkpoints.find` in one call: `entries` is the store's
    `OrderedDict` (key -> `Checkpoint`).

    Tries the `max_new + 1` longest prefixes of `messages`, longest first, by the same key
    as `checkpoints.key` (length, last two message texts); a key hit is verified as
    `Checkpoint.matches` verifies it (the prefix and the request's `tools`/`functions`
    have the checkpoint's digests, `json_digest`; what has no digest never matches).
    Returns `(length, checkpoint)`, moved to the most recently used end, or None. Cost: a
    tuple and a dict lookup per prefix tried, the two digests per key hit, no Python frame.
    Raises only what a dict lookup raises.
    """

def json_digest(values: list[Any], previous: int | None = None) -> int | None:
    """A keyed digest (an int below 2^61) of the JSON data `values`, chained after
    `previous` (the digest of the values before them; None: none): `json_digest(b,
    json_digest(a))` is `json_digest(a + b)`. A checkpoint's fingerprint of its messages.

    Equal digests stand for equal data: each value's type, size and contents (dict keys in
    order, str as UTF-8) become 64-bit words, hashed UMAC-style (NH over blocks of 64 words,
    then a polynomial modulo 2^61 - 1) with keys drawn per process, so two different lists
    collide with a chance of about 2^-51 for a 6 KB history, which no input can steer.
    Stricter than equal JSON (`1` and `1.0` differ). None when a value is not exactly one of
    JSON's types (dict with str keys, list, str, int of 64 bits, float, bool, None; no
    subclass), holds a lone surrogate or nests deeper than 256. Cost: about 8 instructions
    per 8 bytes of text plus a few C-API calls (~60 instructions) per string or container;
    no allocation, no Python code run. Never raises for decoded JSON.
    """

def word_filter(previous: bytes | None, texts: list[str]) -> bytes:
    """`Checkpoint.words`: a 1 KB Bloom filter of the words (runs of ASCII letters and
    digits) of `texts` (folded) and of the filter `previous` (None: start empty).

    The native `holds_any` reads it to skip searching a checkpoint's texts for a value one
    of whose words is absent (a boundary match finds every word of the value as a whole
    word). Returns `b""` (no filter: every search reads the texts) when `previous` is
    `b""` or a text holds a lone surrogate, so a later checkpoint never forgets earlier
    words. Cost: one hash per word and a 1 KB copy. Never raises for str texts.
    """

def check_chat_request(
    payload: Any,
    platform_fields: tuple[str, ...],
    session_keys: tuple[tuple[str, str], ...],
    max_session_id: int,
) -> tuple[bool, str | None, str | None] | None:
    """`phiwall.proxy.request.parse_chat_request`'s checks of a decoded body, in one call:
    `(stream, model, session_id)`, with `platform_fields` removed from `payload`; or None,
    `payload` untouched, for anything the Python checks might refuse or that is not exactly
    msgspec's types (a dict subclass...): the caller then runs those checks, which raise the
    precise `InvalidRequest`.

    Accepts a dict whose `messages` is a non-empty list of dicts, each with a str `role` and
    a `content` that is absent, null, a str or a list; whose `model` is absent, null or a
    str; and whose `stream` is absent, null or a bool. The session id is the first
    `payload[field][key]` of `session_keys` that is a str of 1 to `max_session_id` code
    points. Cost: a dict lookup per message and per key. Never raises for msgspec output.
    """

Candidate = tuple[int, int, str, float]

class Detector:
    """PHI detection for ASCII text: everything `phiwall.detect.engine` does after the
    Hyperscan pass (`rust/detect`). Python stays the reference; the parity tests hold the
    two to the same candidates, and non-ASCII text is detected in Python.

    Build it once per process (`phiwall.detect.native.detector()`): about 100 ms (the
    lexicon's word and phrase tables, the patterns' NFAs). Every method is a pure function of its
    arguments and releases nothing it does not own; all raise `ValueError` for text with a
    non-ASCII character, a hit outside the text, or an unknown pattern kind.
    """

    def __init__(
        self,
        lexicon: dict[str, int],
        drug_endings: list[str],
        patterns: list[tuple[int, str]] | None = None,
    ) -> None:
        """Build from `gazetteer.lexicon()` (word -> class flags) and
        `gazetteer.drug_endings()`. Raises `TypeError` for a key that is not a str.

        `patterns`: `(kind, regex)` pairs of `patterns.PATTERNS`
        (`patterns.native_patterns()`) that `spans_from_reports` then scans itself, exactly
        as Hyperscan reports them (rust/detect/scanner.rs: lazy DFAs, about 20 ms to
        build, states added on first use into a per-thread cache of at most 6 MB). Raises
        `ValueError` for a regex it can't compile or an unknown kind."""

    def spans(self, text: str, hits: list[tuple[int, int, int]]) -> list[tuple[int, int, str]]:
        """The PHI spans of `text` given its `patterns.scan` hits (start, end, kind):
        sorted, non-overlapping `(start, end, label)` (`engine.spans`). Cost: one gazetteer
        pass plus work per phrase and pattern hit, a few microseconds per utterance."""

    def spans_from_reports(
        self, text: str, reports: list[tuple[int, int, int]]
    ) -> list[tuple[int, int, str]]:
        """`spans`, given Hyperscan's raw `(start, -end, kind)` reports (`patterns.reports`)
        in any order: pruned here as `patterns.scan` prunes them, saving Python its sort.
        The reports of the `patterns` given at construction are computed here (one forward
        DFA pass plus memoised reverse passes, 1-2 µs for an utterance), so `reports` need
        only hold the other patterns' (`patterns.reports_except_native`); reports of those
        kinds handed in too are duplicates the prune drops. Raises `RuntimeError` if the
        native scan fails (a bug: the lazy DFAs are configured never to give up)."""

    def hits_from_reports(
        self, text: str, reports: list[tuple[int, int, int]]
    ) -> list[tuple[int, int, int]]:
        """The pruned hits `spans_from_reports` detects from: `(start, end, kind)` in
        `patterns.scan`'s order, equal to `patterns.scan(text)` (the parity tests hold it
        to that). For tests and benchmarks."""

    def candidates(self, text: str, hits: list[tuple[int, int, int]]) -> list[Candidate]:
        """Every candidate `(start, end, label, score)` before thresholds and overlaps
        (`engine.candidates`)."""

    def finder(self, name: str, text: str) -> list[Candidate]:
        """One text finder's candidates: `name` is "names", "places" or "spelling"."""

    def hit_candidates(
        self,
        text: str,
        hits: list[tuple[int, int, int]],
        place_values: list[tuple[int, int]],
    ) -> list[Candidate]:
        """The hit handlers' candidates alone; `place_values` are the (start, end) of the
        places the text finders found (each cues a ZIP right after it)."""

    def scan(self, text: str) -> list[tuple[int, int, int]]:
        """The gazetteer phrase hits `(start, end, flags)` (`gazetteer.scan`)."""
