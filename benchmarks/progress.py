"""Progress lines: one per step, with the time since the run started."""

from __future__ import annotations

import sys
import threading
import time

_START = time.monotonic()
_LOCK = threading.Lock()


def elapsed() -> float:
    return time.monotonic() - _START


def say(section: str, message: str) -> None:
    """``[mm:ss] section: message`` on stderr, whole lines even from threads."""
    minutes, seconds = divmod(int(elapsed()), 60)
    with _LOCK:
        print(
            f"[{minutes:02d}:{seconds:02d}] {section}: {message}",
            file=sys.stderr,
            flush=True,
        )
