"""The benchmark's servers as child processes: started, awaited, and always stopped.

Each child runs in its own process group (Granian forks workers; stopping the group stops
them all) with its output in a log file, and asks the kernel to SIGTERM it if the
benchmark itself dies (Linux), so no server outlives a run, even one killed with -9.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

STOP_TIMEOUT = 5.0
_PR_SET_PDEATHSIG = 1


@dataclass
class Child:
    """A started server: its name, process and log file."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, lines: int = 20) -> str:
        """The last `lines` lines of its log (for error messages); "" if unreadable."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago on `host` (the OS picks it; a tiny race)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the parent dies (Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Servers:
    """Starts children and stops every one of them on exit, whatever happened.

    Use as a context manager: `with Servers(workdir) as servers: servers.start(...)`.
    """

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.children: list[Child] = []

    def __enter__(self) -> Servers:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop_all()

    def start(
        self, name: str, argv: Sequence[str], cwd: Path, env: dict[str, str] | None = None
    ) -> Child:
        """Spawn `argv` in its own process group, output to `<workdir>/<name>.log`.

        Costs a fork/exec. Raises OSError if the program cannot be started.
        """
        log_path = self.workdir / f"{name}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                list(argv),
                cwd=cwd,
                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        child = Child(name, process, log_path)
        self.children.append(child)
        return child

    def stop_all(self) -> None:
        """SIGTERM every child's process group, then SIGKILL what is left after 5 s."""
        for child in self.children:
            _signal_group(child.process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in self.children:
            try:
                child.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(child.process, signal.SIGKILL)
                child.process.wait()
        # Granian's workers may outlive their parent by a moment: clear the groups.
        for child in self.children:
            _signal_group(child.process, signal.SIGKILL)
        self.children.clear()


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Send `sig` to the process group led by `process`, if it still exists."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU seconds used so far by the live processes of group `pgid`.

    Reads `/proc/<pid>/stat` of every process (Linux; a few ms). Processes that already
    exited are not counted. Returns NaN where `/proc` does not exist.
    """
    if not os.path.isdir("/proc"):
        return math.nan
    ticks = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                data = stat.read()
        except OSError:  # the process ended meanwhile
            continue
        # After "pid (comm) ": state ppid pgrp ... utime (14th field) stime (15th).
        fields = data[data.rindex(b")") + 2 :].split()
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_ticks(stat: str | None = None) -> tuple[int, int]:
    """`(steal, total)` CPU ticks of the whole machine so far, from `/proc/stat`'s `cpu`
    line (or `stat`, its text): steal is the time the hypervisor ran something else while
    this machine's CPUs had work. `(0, 0)` where `/proc/stat` cannot be read or has no
    steal column (not a VM, or not Linux).
    """
    if stat is None:
        try:
            with open("/proc/stat") as file:
                stat = file.readline()
        except OSError:
            return (0, 0)
    fields = stat.split()
    if len(fields) < 9 or fields[0] != "cpu":
        return (0, 0)
    # user nice system idle iowait irq softirq steal (guest time is inside user already)
    ticks = [int(value) for value in fields[1:9]]
    return (ticks[7], sum(ticks))


def steal_fraction(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The share of the machine's CPU time the hypervisor took between two `machine_ticks`
    readings; NaN when nothing was counted."""
    total = after[1] - before[1]
    return (after[0] - before[0]) / total if total > 0 else math.nan


def wait_ready(child: Child, url: str, timeout: float = 30.0) -> None:
    """Poll `url` (GET) until it answers 200; every 50 ms, at most `timeout` seconds.

    Raises RuntimeError, quoting the child's log, if the child exits or the time runs out.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            raise RuntimeError(
                f"{child.name} exited ({child.process.returncode}):\n{child.log_tail()}"
            )
        try:
            with urllib.request.urlopen(url, timeout=1.0) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{child.name} not ready at {url} after {timeout:g} s:\n{child.log_tail()}")


def commit(folder: Path) -> str:
    """The short commit of the checkout holding `folder`, `+dirty` when tracked files have
    local changes; "?" if git cannot tell. Two `git` runs."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True)
        if done.returncode != 0:
            raise OSError(done.stderr)
        return done.stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except OSError:
        return "?"
    return (head or "?") + ("+dirty" if dirty else "")
