"""Private helpers of `phiwall.mask`, one concept per module.

- `walk`: which strings of a chat-completions request masking reads, and how.
- `jsontext`: JSON texts (tool-call arguments, tool results) as leaves to mask.
- `units`: the texts masking treats one by one (a field, or a JSON leaf).
- `lookalikes`: text that already looks like a token.
- `matching`: the one rule for "a value occurs in a text", shared by sweep and check.
- `table`: values to tokens, numbered by first appearance.
- `cache`: bounded memo of per-text detections.
- `rewrite`: choosing non-overlapping replacements and applying them.
- `edit`: copy-on-write edits of the request.
- `leaks`: the final fail-closed assertion.
- `checkpoints`: resuming a conversation from its previous request.

Import `phiwall.mask`, not these: their names may change.
"""
