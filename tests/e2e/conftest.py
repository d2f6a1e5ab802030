"""End-to-end fixtures: a real `phiwall mock-upstream` and real `phiwall serve` processes.

Order matters: the mock starts first (its URL is every agent's upstream), the test agents
are created with `phiwall agents create` in a fresh store, then `phiwall serve` starts on
that store and prints its default agent. Everything is session-scoped and killed at the
end; ports are free ports picked at runtime, readiness is a bounded poll of `/health`.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from phiwall.mock_upstream.process import MockUpstreamProcess

#: The default agent's upstream key, given to `phiwall serve` through its environment.
DEFAULT_UPSTREAM_KEY = "sk-default-upstream-e2e"
#: name -> extra `phiwall agents create` flags (besides --name and --upstream).
AGENTS: dict[str, list[str]] = {
    "open": ["--upstream-key", "sk-agent-open-e2e"],
    "models": ["--allow-model", "mock-model", "--allow-model", "gpt-4o-mini"],
    "limited": ["--rate", "0.01", "--burst", "2"],
    "vapi": ["--signature-secret", "vapi-secret-e2e", "--signature-kind", "vapi"],
    "hmac": [
        "--signature-secret",
        "hmac-secret-e2e",
        "--signature-kind",
        "hmac",
        "--signature-algorithm",
        "sha512",
        "--replay-window",
        "60",
    ],
}
#: The slow proxy's body limit, set through `PHIWALL_MAX_BODY_BYTES`.
SLOW_PROXY_MAX_BODY = 4096
_DEFAULT_AGENT = re.compile(r"default agent:\s+(agt_[0-9A-Za-z]+)")
START_TIMEOUT = 30.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _phiwall(*args: str) -> str:
    """Run a short `phiwall` command and return its stdout (fails the test on error)."""
    done = subprocess.run(
        [sys.executable, "-m", "phiwall", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"phiwall {' '.join(args[:2])} failed: {done.stderr}")
    return done.stdout


class ProxyProcess:
    """One `phiwall serve` subprocess with its output kept in a log file."""

    def __init__(
        self, log: Path, upstream: str, db: Path, *extra: str, env: dict[str, str] | None = None
    ) -> None:
        self.log = log
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "phiwall",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--upstream",
            upstream,
            "--db",
            str(db),
            *extra,
        ]
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("PHIWALL_") and key != "OPENAI_API_KEY"
        }
        environment.update(PHIWALL_UPSTREAM_KEY=DEFAULT_UPSTREAM_KEY, PYTHONUNBUFFERED="1")
        environment.update(env or {})
        self.exited_early = False
        self._out = log.open("w")
        self.process = subprocess.Popen(
            command, stdout=self._out, stderr=subprocess.STDOUT, env=environment
        )

    def output(self) -> str:
        """Everything the server printed so far."""
        return self.log.read_text(errors="replace")

    def wait_ready(self) -> bool:
        """Poll `/health` until it answers 200 (bounded); False if the server exited or
        never answered (it is then stopped)."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.exited_early = self.process.poll() is not None
        self.stop()
        return False

    def default_agent(self) -> str:
        """The default agent id printed on start."""
        match = _DEFAULT_AGENT.search(self.output())
        if match is None:
            pytest.fail(f"phiwall serve printed no default agent:\n{self.output()}")
        return match.group(1)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._out.close()


def _start_proxy(
    directory: Path, upstream: str, *extra: str, env: dict[str, str] | None = None
) -> Iterator[ProxyProcess]:
    """Start `phiwall serve`, yield it once ready, stop it afterwards.

    The free port is picked before the server binds it, so another process on this shared
    machine may take it first: a server that exits before it is ready gets two more tries
    on new ports.
    """
    directory.mkdir(parents=True, exist_ok=True)
    db = directory / "phiwall.db"
    for attempt in range(3):
        proxy = ProxyProcess(directory / f"serve-{attempt}.log", upstream, db, *extra, env=env)
        if proxy.wait_ready():
            break
        if not proxy.exited_early or attempt == 2:  # hung, or failed every time
            pytest.fail(f"phiwall serve did not become ready:\n{proxy.output()}")
    try:
        yield proxy
    finally:
        proxy.stop()


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """Async tests (`pytest.mark.anyio`) run on asyncio."""
    return "asyncio"


@pytest.fixture(scope="session")
def mock() -> Iterator[MockUpstreamProcess]:
    """The upstream: a `phiwall mock-upstream` subprocess on a port it picks itself."""
    with MockUpstreamProcess() as process:
        yield process


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory of the main proxy's store and log."""
    return tmp_path_factory.mktemp("phiwall")


@pytest.fixture(scope="session")
def agents(mock: MockUpstreamProcess, store_dir: Path) -> dict[str, str]:
    """Test agents created with `phiwall agents create`: name -> agent id.

    The `AGENTS` above, all with the mock as upstream, plus `dead`, whose upstream is a
    port nothing listens on, and `azure`, whose upstream base URL carries a query string.
    """
    db = store_dir / "phiwall.db"
    ids: dict[str, str] = {}
    for name, flags in AGENTS.items():
        created = _phiwall(
            "agents", "create", "--db", str(db), "--name", name,
            "--upstream", mock.base_url, *flags, "--json",
        )  # fmt: skip
        ids[name] = json.loads(created)["id"]
    closed = f"http://127.0.0.1:{_free_port()}/v1"  # nothing listens there
    created = _phiwall(
        "agents", "create", "--db", str(db), "--name", "dead", "--upstream", closed, "--json"
    )  # fmt: skip
    ids["dead"] = json.loads(created)["id"]
    azure_like = f"{mock.base_url}?api-version=2024-06-01"  # Azure OpenAI's shape of base URL
    created = _phiwall(
        "agents", "create", "--db", str(db), "--name", "azure", "--upstream", azure_like, "--json"
    )  # fmt: skip
    ids["azure"] = json.loads(created)["id"]
    return ids


@pytest.fixture(scope="session")
def proxy_process(
    mock: MockUpstreamProcess, store_dir: Path, agents: dict[str, str]
) -> Iterator[ProxyProcess]:
    """The main `phiwall serve`, on the store that holds the test agents."""
    yield from _start_proxy(store_dir, mock.base_url, "--max-body-bytes", "262144")


@pytest.fixture(scope="session")
def proxy(proxy_process: ProxyProcess) -> str:
    """The main proxy's origin, `http://127.0.0.1:PORT`."""
    return proxy_process.url


@pytest.fixture(scope="session")
def default_agent(proxy_process: ProxyProcess) -> str:
    """The id of the default agent `phiwall serve` created and printed."""
    return proxy_process.default_agent()


@pytest.fixture(scope="session")
def proxy_log(proxy_process: ProxyProcess) -> Path:
    """The file that receives everything the main proxy prints (stdout and stderr)."""
    return proxy_process.log


@pytest.fixture(scope="session")
def slow_proxy(
    mock: MockUpstreamProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A dedicated `phiwall serve` with a 0.5 s first-byte timeout; its origin.

    Its body limit comes from the environment (`PHIWALL_MAX_BODY_BYTES=4096`), to check
    that flags are read from `PHIWALL_*` variables too.
    """
    directory = tmp_path_factory.mktemp("phiwall-slow")
    env = {"PHIWALL_MAX_BODY_BYTES": str(SLOW_PROXY_MAX_BODY)}
    for proxy in _start_proxy(directory, mock.base_url, "--first-byte-timeout", "0.5", env=env):
        yield proxy.url


@pytest.fixture(scope="session")
def demo_base(proxy: str) -> str:
    """The OpenAI base URL of the demo route (default agent), session `e2e`."""
    return f"{proxy}/agents/custom/s/e2e-session/v1"


@pytest.fixture(scope="session")
def agent_base(proxy: str, agents: dict[str, str]) -> str:
    """The OpenAI base URL of the unrestricted test agent."""
    return f"{proxy}/proxy/{agents['open']}/v1"


@pytest.fixture(params=["demo", "agent"])
def base_url(request: pytest.FixtureRequest, demo_base: str, agent_base: str) -> str:
    """Each test using it runs against the demo route and against an agent route."""
    return demo_base if request.param == "demo" else agent_base
