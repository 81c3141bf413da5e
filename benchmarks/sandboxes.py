"""Sandboxes for the benchmark: children on a free loopback port, always stopped.

``running_sandbox`` (sandbox/process.py) starts ``acebind sandbox --port 0``
on 127.0.0.1 and stops it when its block ends. The helpers here find that
child among this process's children (to read the CPU time it spent serving,
or to stop one that a cancelled thread left), and keep the databases of the
large streaming sandboxes from one run to the next.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.progress import say
from benchmarks.settings import CACHE, REPO
from sandbox.process import running_sandbox

SEEDED = CACHE / "sandboxes"
COMPLETE = ".seeded"

_TICKS = os.sysconf("SC_CLK_TCK")


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
        argv = _command(pid)
        if _is_sandbox(argv) and argv[len(argv) - len(options) :] == list(options):
            return pid
    return None


def stop_leftovers() -> None:
    """Terminate any sandbox child still running, e.g. one a cancelled thread left."""
    for pid in _children():
        if _is_sandbox(_command(pid)):
            os.kill(pid, signal.SIGTERM)


def _is_sandbox(argv: list[str]) -> bool:
    """``python -m generator sandbox --port 0 ...``: how ``running_sandbox`` starts."""
    return argv[1:6] == ["-m", "generator", "sandbox", "--port", "0"]


def _command(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            return file.read().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []


def _children(parent: int | None = None) -> list[int]:
    me = os.getpid() if parent is None else parent
    return [
        int(e) for e in os.listdir("/proc") if e.isdigit() and _parent(int(e)) == me
    ]


def _parent(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[1]) if fields else None


def _stat(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/stat") as file:
            text = file.read()
    except OSError:
        return []
    return text.rsplit(")", 1)[1].split()


def cpu_seconds(pid: int | None) -> float:
    """User plus system CPU time so far of a process, all its threads, and the
    worker processes it forked (``acebind sandbox --processes``)."""
    fields = _stat(pid) if pid is not None else []
    if pid is None or not fields:
        return float("nan")
    workers = [_stat(child) for child in _children(pid)]
    return sum(int(f[11]) + int(f[12]) for f in [fields, *workers] if f) / _TICKS
