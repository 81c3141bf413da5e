"""Where the time goes, for a note beside a missed target: one profiled run."""

from __future__ import annotations

import cProfile
import pstats
import time
from pathlib import Path

from benchmarks.progress import say
from benchmarks.report import amount


def _inside(stats: pstats.Stats, module: str, function: str) -> tuple[float, int]:
    """Cumulative seconds and calls of ``module``'s ``function`` in a profile."""
    seconds, calls = 0.0, 0
    table = stats.stats  # type: ignore[attr-defined]
    for (filename, _, name), (_, count, _, cumulative, _) in table.items():
        if name == function and f"{module}/__init__.py" in filename:
            seconds, calls = seconds + cumulative, calls + count
    return seconds, calls


def generation_profile(tree_path: Path, env: str) -> list[str]:
    """One in-process generation of ``tree_path``, step by step, rendering profiled."""
    from generator.generate.package import format_files, render
    from generator.schema.tree import read_tree

    say("generate", "profiling one in-process generation for the notes")
    start = time.perf_counter()
    tree = read_tree(tree_path)
    reading = time.perf_counter() - start
    profiler = cProfile.Profile()
    start = time.perf_counter()
    files = profiler.runcall(render, tree, env)
    rendering = time.perf_counter() - start
    start = time.perf_counter()
    format_files(files)
    formatting = time.perf_counter() - start
    inside, calls = _inside(
        pstats.Stats(profiler), "datamodel_code_generator", "generate"
    )
    return [
        "Why the target is missed: one in-process generation of the same tree, "
        "profiled: reading the tree "
        f"{amount(reading, 's')}, rendering {amount(rendering, 's')} under cProfile "
        f"({inside / rendering:.0%} of it inside datamodel-code-generator's "
        f"`generate()`, {calls} calls, one per endpoint: about "
        f"{amount(inside / max(calls, 1), 's')} each), formatting with ruff "
        f"{amount(formatting, 's')}."
    ]
