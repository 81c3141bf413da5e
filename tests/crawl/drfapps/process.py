"""Start the test project in a child process and learn its API roots."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.crawl.drfapps.serve import ROOTS

REPO = Path(__file__).resolve().parents[3]


def _read_roots(process: subprocess.Popen[str], timeout: float) -> list[str]:
    roots: list[str] = []
    log: list[str] = []
    done = threading.Event()

    def reader() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            log.append(line)
            if line.startswith("Serving "):
                roots.append(line.split(" ", 1)[1].strip())
                if len(roots) == len(ROOTS):
                    done.set()
        done.set()

    threading.Thread(target=reader, daemon=True).start()
    done.wait(timeout)
    if len(roots) < len(ROOTS):
        output = "".join(log[-30:]).strip() or "(no output)"
        raise RuntimeError(f"the DRF test project did not start:\n{output}")
    return roots


@contextmanager
def running_drfapps(data_dir: Path, timeout: float = 60.0) -> Iterator[dict[str, str]]:
    """Serve the project from ``data_dir``; yield ``{"v315": root, "v314": root}``."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "tests.crawl.drfapps.serve", "--port", "0",
               "--data-dir", str(data_dir)]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        roots = _read_roots(process, timeout)
        yield {root.rstrip("/").split("/")[-2]: root for root in roots}
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
