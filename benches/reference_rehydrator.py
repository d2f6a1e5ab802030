"""The rehydration algorithm of `rust/` in pure Python, for the benchmarks only.

Same grammar (`python/phiwall/_native.pyi`), same streaming behaviour: find each `[`, read a
candidate token one character at a time, reject it at the first character no token of the
table can continue with, hold back only an open candidate between chunks. The prefix set
plays the part of the sorted word table. Written plainly, as one would in Python, so that
the benchmark ratio shows what the native code buys. Table keys must be canonical.
"""

from __future__ import annotations

import json
import string

PAD = 2
WORD_CHARS = frozenset(string.ascii_letters + string.digits + "_")

# Recogniser phases (`rust/matcher.rs`).
IDLE, OPEN, WORD, CLOSE = range(4)
CONTINUE, REJECT, ACCEPT = range(3)


class ReferenceRehydrator:
    def __init__(self, table: dict[str, str]) -> None:
        self.values = {key[1:-1]: value for key, value in table.items()}
        self.json_values = {
            w: json.dumps(v, ensure_ascii=False)[1:-1] for w, v in self.values.items()
        }
        self.prefixes = {word[:i] for word in self.values for i in range(len(word) + 1)}

    def replace(self, text: str, json_string: bool = False) -> str:
        stream = self.stream(json_string)
        return stream.feed(text) + stream.flush()

    def stream(self, json_string: bool = False) -> ReferenceStream:
        return ReferenceStream(self, self.json_values if json_string else self.values)


class ReferenceStream:
    def __init__(self, rehydrator: ReferenceRehydrator, values: dict[str, str]) -> None:
        self.prefixes = rehydrator.prefixes
        self.values = values
        self.phase, self.pad, self.word = IDLE, 0, ""
        self.held = ""

    def feed(self, chunk: str) -> str:
        if (self.phase == IDLE and "[" not in chunk) or not self.values:
            return chunk
        out: list[str] = []
        copied = start = i = 0
        while i < len(chunk):
            if self.phase == IDLE:
                start = chunk.find("[", i)
                if start < 0:
                    break
                i = start + 1
                self.phase, self.pad, self.word = OPEN, 0, ""
                continue
            step = self._step(chunk[i])
            if step == CONTINUE:
                i += 1
            elif step == REJECT:
                self.phase = IDLE
                out.append(self.held)
                self.held = ""
            else:
                if not self.held:
                    out.append(chunk[copied:start])
                self.held = ""
                out.append(self.values[self.word])
                self.phase = IDLE
                i += 1
                copied = i
        if self.phase == IDLE:
            out.append(chunk[copied:])
        elif not self.held:
            out.append(chunk[copied:start])
            self.held = chunk[start:]
        else:
            self.held += chunk
        return "".join(out)

    def flush(self) -> str:
        held, self.held, self.phase = self.held, "", IDLE
        return held

    def _step(self, char: str) -> int:
        if self.phase == OPEN:
            if char == " " and self.pad < PAD:
                self.pad += 1
                return CONTINUE
            return self._grow(char) if char in WORD_CHARS else REJECT
        if self.phase == WORD:
            if char in WORD_CHARS:
                return self._grow(char)
            if self.word not in self.values:
                return REJECT
            if char == "]":
                return ACCEPT
            if char == " ":
                self.phase, self.pad = CLOSE, 1
                return CONTINUE
            return REJECT
        if char == "]":
            return ACCEPT
        if char == " " and self.pad < PAD:
            self.pad += 1
            return CONTINUE
        return REJECT

    def _grow(self, char: str) -> int:
        word = self.word + char.upper()
        if word not in self.prefixes:
            return REJECT
        self.phase, self.word = WORD, word
        return CONTINUE
