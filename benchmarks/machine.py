"""What the benchmark ran on: CPU, cores, memory, Python and package versions."""

from __future__ import annotations

import importlib.metadata
import os
import platform
from pathlib import Path

OURS = (
    "acebind",
    "datamodel-code-generator",
    "attrs",
    "httpx",
    "jinja2",
    "ruff",
    "django",
    "djangorestframework",
    "waitress",
)


def _first(path: str, key: str) -> str | None:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        name, _, value = line.partition(":")
        if name.strip() == key:
            return value.strip()
    return None


def cpu_model() -> str:
    return _first("/proc/cpuinfo", "model name") or platform.processor() or "unknown"


def memory_gib() -> str:
    total = _first("/proc/meminfo", "MemTotal")
    if total is None:
        return "unknown"
    return f"{int(total.split()[0]) / 2**20:.0f} GiB"


def versions(names: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def machine_lines(
    peer_versions: dict[str, str], load: tuple[float, float]
) -> list[str]:
    cores = len(os.sched_getaffinity(0))
    ours = ", ".join(f"{n} {v}" for n, v in versions(OURS).items())
    theirs = ", ".join(f"{n} {v}" for n, v in peer_versions.items())
    return [
        f"- CPU: {cpu_model()}, {cores} cores available ({os.cpu_count()} online)",
        f"- memory: {memory_gib()}",
        f"- load average over the last 5 minutes: {load[0]:.2f} before the run, "
        f"{load[1]:.2f} after it (anything else running shares the cores)",
        f"- system: {platform.platform()}",
        f"- Python: {platform.python_implementation()} {platform.python_version()}",
        f"- acebind's environment: {ours}",
        f"- peers' environment (`benchmarks/.peers/venv`): {theirs}",
    ]
