"""Run the mock upstream in a subprocess: for tests and benchmarks that need a real server.

    with MockUpstreamProcess() as mock:
        client = openai.OpenAI(base_url=mock.base_url, api_key="x")

The child is `python -m phiwall mock-upstream --port 0`; the port it actually bound is read
from the line it prints once it listens, so there is no free-port race.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from types import TracebackType

from phiwall.mock_upstream.control import MockControl

_READY = re.compile(r"listening on (http://\S+)/v1")


class MockUpstreamProcess:
    """A `phiwall mock-upstream` child process, started on enter and stopped on exit."""

    def __init__(
        self, host: str = "127.0.0.1", max_recorded: int = 10_000, start_timeout: float = 20.0
    ) -> None:
        self.host = host
        self.max_recorded = max_recorded
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[str] | None = None
        self.url = ""

    @property
    def control(self) -> MockControl:
        """A client of the control endpoints (recorded requests, counters)."""
        return MockControl(self.url)

    @property
    def base_url(self) -> str:
        """The OpenAI base URL (`http://host:port/v1`)."""
        return f"{self.url}/v1"

    def start(self) -> MockUpstreamProcess:
        """Spawn the child and wait (bounded) until it listens."""
        command = [
            sys.executable,
            "-m",
            "phiwall",
            "mock-upstream",
            "--host",
            self.host,
            "--port",
            "0",
            "--max-recorded",
            str(self.max_recorded),
        ]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        found: list[str] = []
        seen: list[str] = []
        stdout = self.process.stdout
        assert stdout is not None

        def read_until_ready() -> None:
            for line in stdout:
                seen.append(line)
                match = _READY.search(line)
                if match:
                    found.append(match.group(1))
                    return

        reader = threading.Thread(target=read_until_ready, daemon=True)
        reader.start()
        reader.join(self.start_timeout)
        if not found:
            self.stop()
            raise RuntimeError("mock upstream did not start:\n" + "".join(seen))
        self.url = found[0]
        # Keep draining the pipe so the child never blocks on a full stdout.
        threading.Thread(target=lambda: [None for _ in stdout], daemon=True).start()
        return self

    def stop(self) -> None:
        """Terminate the child (SIGTERM, then SIGKILL after 5 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)

    def __enter__(self) -> MockUpstreamProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
