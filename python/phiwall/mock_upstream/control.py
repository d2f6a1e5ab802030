"""A small client for the mock's control endpoints (`/_mock/requests`, `/_mock/stats`).

Standard library only, so benchmarks and tests can use it without an HTTP client of
their own. Filter by the `tag` a request carried in its `mock` directive to look at one
test's traffic on a shared mock.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from typing import Any


class MockControl:
    """Reads and resets what the mock at `url` (`http://host:port`, no `/v1`) received."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, tag: str | None = None) -> Any:
        query = f"?{urllib.parse.urlencode({'tag': tag})}" if tag is not None else ""
        request = urllib.request.Request(f"{self.url}{path}{query}", method=method)
        with urllib.request.urlopen(request, timeout=self.timeout) as answer:
            return json.loads(answer.read())

    def requests(self, tag: str | None = None) -> list[dict[str, Any]]:
        """Every request received (with `tag`), in order; see `phiwall.mock_upstream`."""
        return self._call("GET", "/_mock/requests", tag)

    def stats(self, tag: str | None = None) -> dict[str, int]:
        """The counters, overall or of one tag."""
        return self._call("GET", "/_mock/stats", tag)

    def leaks(self, values: list[str], tag: str | None = None) -> list[str]:
        """Which of `values` appear (case-insensitively) in any body or header received.

        The answer phiwall must give for raw PHI: an empty list.
        """
        seen = [
            (entry["raw"] + "\n" + json.dumps(entry["headers"], ensure_ascii=False)).lower()
            for entry in self.requests(tag)
        ]
        return [value for value in values if any(value.lower() in text for text in seen)]

    def clear(self) -> None:
        """Forget the recorded requests and zero the counters."""
        self._call("DELETE", "/_mock/requests")
        self._call("DELETE", "/_mock/stats")

    def wait_for_stat(
        self, key: str, at_least: int, tag: str | None = None, timeout: float = 10.0
    ) -> dict[str, int]:
        """Poll (bounded by `timeout` seconds) until counter `key` reaches `at_least`.

        Returns the last counters read, whether or not the value was reached.
        """
        deadline = time.monotonic() + timeout
        stats = self.stats(tag)
        while stats[key] < at_least and time.monotonic() < deadline:
            time.sleep(0.02)
            stats = self.stats(tag)
        return stats
