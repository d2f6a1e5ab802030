"""Private helpers of `phiwall.mask`, one concept per module.

- `walk`: which fields of a chat-completions request the model reads.
- `jsontext`: JSON texts (tool-call arguments, tool results) as leaves to mask.
- `matching`: the one rule for "value occurs in text", shared by sweep and check.
- `table`: values to tokens, numbered by first appearance.
- `cache`: bounded memo of per-text detection and sweep results.
- `rewrite`: choosing non-overlapping replacements and applying them.
- `edit`: copy-on-write edits of the request.
- `leaks`: the final fail-closed assertion.

Import `phiwall.mask`, not these: their names may change.
"""
