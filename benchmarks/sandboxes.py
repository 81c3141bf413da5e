"""Sandboxes for the benchmark: children on a free loopback port, always stopped.

``running_sandbox`` (sandbox/process.py) starts ``acebind sandbox --port 0``
on 127.0.0.1 and stops it when its block ends. The helpers here find that
child among this process's children (to read the CPU time it spent serving,
or to stop one that a cancelled thread left), and keep the databases of the
large streaming sandboxes from one run to the next.
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.progress import say
from benchmarks.settings import CACHE, REPO
from sandbox.process import child_pids, command_line, running_sandbox
from sandbox.process import cpu_seconds as process_cpu

SEEDED = CACHE / "sandboxes"
COMPLETE = ".seeded"


@contextmanager
def sandbox(section: str, *options: str) -> Iterator[tuple[str, int | None]]:
    """A started sandbox: the demo tenant's root and the server's process id."""
    say(section, f"starting a sandbox: {' '.join(options) or 'defaults'}")
    with running_sandbox(*options, timeout=300.0) as roots:
        pid = server_pid(options)
        say(section, f"sandbox ready at {roots['demo']}")
        try:
            yield roots["demo"], pid
        finally:
            say(section, "stopping the sandbox")


@contextmanager
def seeded_sandbox(section: str, items: int) -> Iterator[tuple[str, int | None]]:
    """A sandbox of ``items`` items whose databases are kept for the next run.

    Seeding 100,000 items takes the better part of a minute; the folder is
    named after the sandbox's sources, so a change to them seeds anew, and it
    counts only once the server said it was ready (seeding is done by then).
    """
    folder = seeded_folder(items)
    reused = (folder / COMPLETE).is_file()
    if not reused:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    say(section, f"{'reusing' if reused else 'seeding'} {folder.relative_to(REPO)}")
    with sandbox(section, "--items", str(items), "--data-dir", str(folder)) as started:
        (folder / COMPLETE).touch()
        yield started


def seeded_folder(items: int) -> Path:
    digest = hashlib.sha256()
    for path in sorted((REPO / "sandbox").rglob("*.py")):
        digest.update(path.relative_to(REPO).as_posix().encode())
        digest.update(path.read_bytes())
    name = f"items-{items}-{digest.hexdigest()[:12]}"
    for stale in SEEDED.glob(f"items-{items}-*"):
        if stale.name != name:
            shutil.rmtree(stale, ignore_errors=True)
    return SEEDED / name


def server_pid(options: tuple[str, ...]) -> int | None:
    """The child of this process running ``generator sandbox ... <options>``."""
    for pid in _children():
        argv = command_line(pid)
        if _is_sandbox(argv) and argv[len(argv) - len(options) :] == list(options):
            return pid
    return None


def stop_leftovers() -> None:
    """Terminate any sandbox child still running, e.g. one a cancelled thread left."""
    for pid in _children():
        if _is_sandbox(command_line(pid)):
            os.kill(pid, signal.SIGTERM)


def _is_sandbox(argv: list[str]) -> bool:
    """``python -m generator sandbox --port 0 ...``: how ``running_sandbox`` starts."""
    return argv[1:6] == ["-m", "generator", "sandbox", "--port", "0"]


def _children() -> list[int]:
    return child_pids(os.getpid())


def cpu_seconds(pid: int | None) -> float:
    """User plus system CPU time so far of a process, all its threads, and the
    worker processes it forked (``acebind sandbox --processes``)."""
    if pid is None:
        return float("nan")
    workers = (process_cpu(child) for child in child_pids(pid))
    return process_cpu(pid) + sum(w for w in workers if not math.isnan(w))
