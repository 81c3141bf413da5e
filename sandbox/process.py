"""Run ``acebind sandbox`` as a child process and learn its tenants' root URLs.

The demo, the tests and the benchmarks start the sandbox this way: a real
server on a free loopback port, stopped (and reaped) when the block ends.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO


class SandboxError(RuntimeError):
    """The sandbox did not start."""


def _read_roots(
    stream: IO[str], expected: int, timeout: float, log: list[str]
) -> list[str]:
    roots: list[str] = []
    done = threading.Event()

    def reader() -> None:
        for line in stream:
            log.append(line)
            if line.startswith("Serving "):
                roots.append(line.split(" ", 1)[1].strip())
                if len(roots) == expected:
                    done.set()
        done.set()

    threading.Thread(target=reader, daemon=True).start()
    done.wait(timeout)

    return roots


@contextmanager
def running_sandbox(
    *options: str,
    tenants: int = 2,
    timeout: float = 120.0,
    env: dict[str, str] | None = None,
) -> Iterator[dict[str, str]]:
    """Start the sandbox with ``options``; yield ``{tenant: root URL}``."""
    command = [sys.executable, "-m", "generator", "sandbox", "--port", "0", *options]
    child_env = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
    child_env.pop("ACEBIND_SANDBOX_DATA_DIR", None)
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=child_env,
    )
    log: list[str] = []
    try:
        assert process.stdout is not None
        roots = _read_roots(process.stdout, tenants, timeout, log)
        if len(roots) < tenants:
            output = "".join(log[-20:]).strip() or "(no output)"
            raise SandboxError(f"the sandbox did not start:\n{output}")
        yield {root.rstrip("/").split("/")[-2]: root for root in roots}
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- looking at the server's processes (Linux /proc), for tests and benchmarks --

_TICKS = os.sysconf("SC_CLK_TCK")


def process_stat(pid: int) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name; [] when gone."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            text = file.read()
    except OSError:
        return []
    return text.rsplit(")", 1)[1].split()


def child_pids(parent: int) -> list[int]:
    """The processes whose parent is ``parent``."""
    return [
        int(entry)
        for entry in os.listdir("/proc")
        if entry.isdigit() and process_stat(int(entry))[1:2] == [str(parent)]
    ]


def command_line(pid: int) -> list[str]:
    """The arguments a process was started with; [] when it is gone."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            return file.read().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and all its threads so far."""
    fields = process_stat(pid)
    if not fields:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / _TICKS
