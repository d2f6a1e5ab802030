r"""`phiwall mock-upstream`: an OpenAI-compatible fake model for tests, demos and benchmarks.

It answers `POST /v1/chat/completions` (and `/chat/completions`) deterministically by
echoing what it received, so masking and rehydration are visible: the reply is
`"You said: " + <text of the last user message>`. The tokens phiwall put into that text
come back in the answer, and phiwall must put the real values back.

Run it with `phiwall mock-upstream --port 8001` (`--port 0` picks a free port; the line
`... listening on http://HOST:PORT/v1` says which), or from Python with
`phiwall.mock_upstream.process.MockUpstreamProcess`; `--max-recorded 0` for load runs.

    client = openai.OpenAI(base_url="http://127.0.0.1:8001/v1", api_key="unused")
    client.chat.completions.create(
        model="mock-model", messages=[{"role": "user", "content": "hi [NAME_1]"}],
        stream=True, extra_body={"mock": {"chunking": "chars", "wire": "bytes"}},
    )

Directives
----------
A request steers the reply with an extra body field `"mock"` (with the OpenAI SDK:
`extra_body={"mock": {...}}`); phiwall forwards unknown fields unchanged. All optional:

- `tag` (str): label the request; `/_mock/requests?tag=T` and `/_mock/stats?tag=T`
  filter by it, so concurrent tests never need to clear the mock.
- `echo` (`"last_user"` | `"all"`): what is echoed; `all` is every message as
  `"<role>: <text>"`, one per line. `prefix` (str, default `"You said: "`) goes before it.
- `reply` (str): answer this exact text instead of the echo (e.g. a token phiwall never
  issued, or a token in another case).
- `chunking`: how the text (or a tool call's arguments) is cut into stream deltas:
  `"words"` (default), `"chars"` (one character each), `"random"` (1-7 characters from
  `Random(seed)`), `"tokens"` (cut before, inside and after every `[LABEL_N]`),
  `"whole"`, or a list of sizes such as `[1, 3, 2]` (cycled). `seed` (int, default 0).
- `wire`: how the SSE bytes are cut into network writes, ignoring event and UTF-8
  boundaries: `"event"` (default, one write per event), `"bytes"` (one byte each),
  `"random"` (1-24 bytes from `Random(seed)`), or a list of sizes (sizes bigger than an
  event coalesce events). `line_ending`: `"lf"` (default) or `"crlf"` between SSE lines.
- `tool_call`: `{"name": str, "arguments": {...}, "id": str}` or a list of them: answer
  with tool calls instead of content (`finish_reason: "tool_calls"`). Each call's arguments
  are the JSON `{"text": <echo>, **arguments}` where `{echo}` inside any string of
  `arguments` is replaced by the echo too, so tokens sit inside JSON strings. Streamed as
  OpenAI does: a first delta with `id`, `type` and `function.name` (and empty arguments),
  then `function.arguments` fragments cut by `chunking`.
- `first_byte_delay_ms`: wait before sending anything (status line included).
  `delay_ms`: streaming, wait after the headers before the first event; non-streaming,
  wait before the body. `chunk_delay_ms`: wait between stream events.
- `error`: `{"status": int, "message": str, "type": str, "code": str, "param": str}`:
  answer that status with an OpenAI error body (after `first_byte_delay_ms`).
- `disconnect_after` (int N): streaming, abort the connection after N events (no
  `[DONE]`, no final chunk); non-streaming, abort before answering.
- `stream_error`: `{"after": N, "message": str, "type": str, "code": str}`: streaming,
  send N events, then `data: {"error": {...}}` (as OpenAI does mid-stream) and end the
  response cleanly, without `[DONE]`.
- `interleave` (str): raw SSE text written after every event but the last, e.g.
  `": keep-alive\n\n"` (a comment), `"event: ping\ndata: {}\n\n"` or
  `"data: not json\n\n"`; it must end with a blank line. `\n` follows `line_ending`.
- `finish_in_last_delta` (bool): the last content (or arguments) delta of each choice
  rides in the chunk that carries `finish_reason`, as some OpenAI-compatible servers do.

The top-level `n` gives several choices (deltas of the choices interleaved), and
`stream_options.include_usage` adds the final usage chunk (`choices: []`) before
`data: [DONE]`. A stream is: the role delta of each choice (`content: ""`, or `content:
null` with the first tool call), the content or argument deltas, one `finish_reason` chunk
per choice, the optional usage chunk, then `data: [DONE]`.

Control endpoints
-----------------
- `GET /_mock/requests[?tag=T]`: every request received, in order: `seq`, `method`,
  `path`, `query`, `headers` (lower-cased names), `tag`, `outcome` (`in_flight`,
  `completed`, `cancelled`, `error`, `disconnected`, `rejected`), `raw` (the body text)
  and `body` (the decoded JSON, or null). `DELETE /_mock/requests` forgets them.
- `GET /_mock/stats[?tag=T]`: counters `requests`, `completions`, `streams`, `completed`,
  `cancelled` (the client went away before the answer was complete), `errors_injected`,
  `disconnects_injected`, `in_flight`. `DELETE /_mock/stats` zeroes them.
- `GET /v1/models` (and `/models`), `GET /health`.

A body that is not JSON, has no `messages` array, or carries an invalid directive is
answered 400 in OpenAI's error shape (and recorded).
"""
