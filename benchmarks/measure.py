"""Running commands and child scripts, timing them, and cancelling them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks.settings import CACHE, HERE

CHILDREN = HERE / "children"
# Children cache their bytecode, as an installed package does, but under the
# benchmark's cache folder: PYTHONDONTWRITEBYTECODE would make every import
# compile its sources again, and nothing is written beside the sources.
BYTECODE = {"PYTHONPYCACHEPREFIX": str(CACHE / "pycache")}


def child_environment(extra: Mapping[str, str] | None) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**base, **BYTECODE, **(extra or {})}


class BenchmarkError(RuntimeError):
    """A step of the benchmark could not run; the message says which."""


class Cancelled(BenchmarkError):
    """The run was interrupted while a child was still running."""


def run(
    command: Sequence[str | Path],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    cancel: threading.Event | None = None,
) -> str:
    """Run ``command`` to its end and return its stdout; raise on failure.

    With ``cancel``, the child is killed as soon as the event is set.
    """
    process = subprocess.Popen(
        [str(part) for part in command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=child_environment(env),
        cwd=cwd,
    )
    try:
        out, err = _communicate(process, cancel)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if process.returncode != 0:
        shown = " ".join(str(part) for part in command)[:300]
        raise BenchmarkError(
            f"{shown} exited {process.returncode}:\n{(err or out)[-2000:]}"
        )
    return out


def _communicate(
    process: subprocess.Popen[str], cancel: threading.Event | None
) -> tuple[str, str]:
    while True:
        try:
            return process.communicate(timeout=0.5)
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.is_set():
                raise Cancelled("cancelled") from None


def timed(
    command: Sequence[str | Path],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> tuple[float, str]:
    """Wall seconds of one run of ``command`` (start to exit), and its stdout."""
    start = time.perf_counter()
    out = run(command, env=env, cwd=cwd)
    return time.perf_counter() - start, out


def child(
    python: Path | str,
    script: str,
    *args: str | Path,
    env: Mapping[str, str] | None = None,
    cancel: threading.Event | None = None,
) -> Any:
    """Run ``children/<script>`` with ``python``; it prints one JSON document."""
    out = run([python, CHILDREN / script, *args], env=env, cancel=cancel)
    return json.loads(out.strip().splitlines()[-1])


def python_path(*folders: Path) -> dict[str, str]:
    """An environment whose imports find ``folders`` first and nothing of ours."""
    return {"PYTHONPATH": os.pathsep.join(str(f) for f in folders)}


MAIN_PYTHON = sys.executable
