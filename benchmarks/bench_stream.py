"""5. Streaming every item through the generated client: peak memory by size.

Each run is a child process that iterates ``client.items.iterate(page_size=
<max>)`` over a whole sandbox. Only memory is judged here, so the runs of one
size go in parallel, each against a sandbox process of its own serving the
same seeded databases: the sandbox, one Python process, is what limits the
pace, and a child's memory does not depend on how fast it is served.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from benchmarks.measure import MAIN_PYTHON, BenchmarkError, child, python_path
from benchmarks.progress import say
from benchmarks.report import Figure, Section, Target, ratio
from benchmarks.sandboxes import seeded_sandbox
from benchmarks.settings import AUTH, ITEMS_PAGE_MAX, Sizes

GOAL = 1.2
MIB = 2**20


def seed(sizes: Sizes, cancel: threading.Event) -> None:
    """Seed (or find seeded) the databases of both streaming sandboxes."""
    for items in (sizes.stream_small, sizes.stream_large):
        if cancel.is_set():
            return
        with seeded_sandbox("setup", items):
            pass


def stream_once(
    root: str, items: int, package_root: Path, cancel: threading.Event
) -> dict[str, Any]:
    done: dict[str, Any] = child(
        MAIN_PYTHON,
        "stream_items.py",
        root,
        str(ITEMS_PAGE_MAX),
        *AUTH,
        env=python_path(package_root),
        cancel=cancel,
    )
    if done["items"] != items:
        raise BenchmarkError(f"streamed {done['items']} of {items} items")
    say(
        "stream",
        f"{items:,} items: {done['items']:,} in {done['seconds']:.1f} s, "
        f"peak {done['peak'] / MIB:.2f} MiB",
    )
    return done


def stream_runs(items: int, repeat: int, package_root: Path) -> list[dict[str, Any]]:
    """``repeat`` runs in parallel, against as many sandboxes of ``items`` items."""
    cancel = threading.Event()
    with ExitStack() as sandboxes:
        roots = [
            sandboxes.enter_context(seeded_sandbox("stream", items))[0]
            for _ in range(repeat)
        ]
        say("stream", f"{items:,} items: {repeat} run(s) at once")
        with ThreadPoolExecutor(repeat) as pool:
            futures = [
                pool.submit(stream_once, root, items, package_root, cancel)
                for root in roots
            ]
            try:
                return [future.result() for future in futures]
            except BaseException:
                cancel.set()  # the other children are killed too
                raise


def stream_section(
    sizes: Sizes,
    small: list[dict[str, Any]],
    large: list[dict[str, Any]],
) -> Section:
    little, big = f"{sizes.stream_small:,}", f"{sizes.stream_large:,}"
    peak_small = Figure(f"tracemalloc peak, {little} items", _mib(small, "peak"), "MiB")
    peak_large = Figure(f"tracemalloc peak, {big} items", _mib(large, "peak"), "MiB")
    rss_small = Figure(f"process peak RSS, {little} items", _mib(small, "rss"), "MiB")
    rss_large = Figure(f"process peak RSS, {big} items", _mib(large, "rss"), "MiB")
    time_large = Figure(
        f"iterating {big} items ({sizes.repeat} in parallel)",
        tuple(r["seconds"] for r in large),
        "s",
    )
    growth = peak_large.median / peak_small.median
    section = Section(
        "stream",
        "Streaming",
        [peak_small, peak_large, rss_small, rss_large, time_large],
    )
    section.targets.append(
        Target(
            f"peak at {big} ≤ {GOAL:g}x peak at {little}",
            f"{ratio(growth)} the peak at {little}",
            growth <= GOAL,
        )
    )
    section.notes += [
        f"`client.items.iterate(page_size={ITEMS_PAGE_MAX})` (the sandbox's largest "
        "page of items) in a fresh process per run; tracemalloc traces the iteration "
        "only; peak RSS (`VmHWM`) is the whole process (interpreter, httpx, the "
        f"package), and grows {ratio(rss_large.median / rss_small.median)}.",
        _per_page(sizes, peak_small, peak_large),
        f"Runs of one size go at once ({sizes.repeat} here), each against its own "
        "sandbox process serving the same seeded database, so their times show the "
        "sandboxes' pace on a shared machine, not the client's.",
    ]
    return section


def _per_page(sizes: Sizes, small: Figure, large: Figure) -> str:
    pages = (sizes.stream_large - sizes.stream_small) / ITEMS_PAGE_MAX
    growth = (large.median - small.median) * 1024 / pages
    return (
        f"Between the two sizes the tracemalloc peak grows by {growth:.2f} KiB per "
        f"extra page of {ITEMS_PAGE_MAX} items."
    )


def _mib(runs: list[dict[str, Any]], key: str) -> tuple[float, ...]:
    return tuple(run[key] / MIB for run in runs)
