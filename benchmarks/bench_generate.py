"""2. Generation of a large environment, and 3. importing what was generated.

Both generators run as their command line does, one fresh process per run,
timed from start to exit: ``acebind generate ENV --schemas TREE --out DIR
--force`` against ``openapi-python-client generate --path openapi.json``
(its ruff post-hooks included, as acebind's formatting with ruff is). The
runs alternate between the two tools.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from benchmarks.measure import BenchmarkError, python_path, run, timed
from benchmarks.peers import Peers, package_root
from benchmarks.progress import say
from benchmarks.report import Figure, Section, Target, ratio
from benchmarks.settings import REPO, Sizes

ENV = "bench"
PACKAGE = f"storesace_{ENV}"
FULL_GOAL, SKIP_GOAL, IMPORT_LIMIT, IMPORT_GOAL = 2.0, 0.1, 0.2, 5.0


def acebind_generate(
    tree: Path, out: Path, *, force: bool, env: str = ENV
) -> tuple[float, str]:
    """``acebind generate`` as a fresh process: wall seconds and its output."""
    command: list[str | Path] = [sys.executable, "-m", "generator", "generate", env]
    command += ["--schemas", tree, "--out", out]
    return timed([*command, "--force"] if force else command, cwd=REPO)


def opc_generate(peers: Peers, tree: Path, out: Path) -> float:
    command: list[str | Path] = [peers.bin / "openapi-python-client", "generate"]
    command += ["--path", tree / "openapi.json", "--output-path", out, "--overwrite"]
    seconds, _ = timed(command, env=peers.env)
    return seconds


def generation_runs(
    sizes: Sizes, peers: Peers, tree: Path, scratch: Path
) -> tuple[list[float], list[float], list[float]]:
    """Full acebind runs, openapi-python-client runs, unchanged acebind runs."""
    full, peer, skipped = [], [], []
    for index in range(sizes.repeat):
        for folder in ("acebind", "opc"):
            shutil.rmtree(scratch / folder, ignore_errors=True)
        seconds, _ = acebind_generate(tree, scratch / "acebind", force=True)
        full.append(seconds)
        peer.append(opc_generate(peers, tree, scratch / "opc"))
        say(
            "generate",
            f"run {index + 1}/{sizes.repeat}: acebind {full[-1]:.2f} s, "
            f"openapi-python-client {peer[-1]:.2f} s",
        )
    for _ in range(sizes.repeat_cheap):
        seconds, out = acebind_generate(tree, scratch / "acebind", force=False)
        if "up to date" not in out:
            raise BenchmarkError(f"a second acebind generate did not skip: {out}")
        skipped.append(seconds)
    say("generate", f"unchanged: {', '.join(f'{s:.2f} s' for s in skipped)}")
    return full, peer, skipped


def generation_section(
    sizes: Sizes, full: list[float], peer: list[float], skipped: list[float]
) -> Section:
    ours = Figure("acebind generate (full, --force)", tuple(full), "s")
    theirs = Figure("openapi-python-client generate", tuple(peer), "s")
    again = Figure("acebind generate, nothing changed", tuple(skipped), "s")
    faster = theirs.median / ours.median
    share = again.median / ours.median
    section = Section("generate", "Generation", [ours, theirs, again])
    section.targets += [
        Target(
            f"≥ {FULL_GOAL:g}x faster than openapi-python-client",
            f"{ratio(faster)} faster",
            faster >= FULL_GOAL,
        ),
        Target(
            f"unchanged run ≤ {SKIP_GOAL:g}x a full run",
            f"{ratio(share)} a full run",
            share <= SKIP_GOAL,
        ),
    ]
    section.notes.append(
        f"Environment: {sizes.endpoints} synthetic endpoints of {sizes.fields} "
        "top-level fields each (two of them nested objects), written by acebind's own "
        "tree writer (benchmarks/synthetic.py); openapi-python-client reads the "
        "tree's `openapi.json`."
    )
    return section


def import_seconds(
    python: Path | str, code: str, env: dict[str, str], repeat: int
) -> list[float]:
    """Seconds a fresh interpreter spends on ``code``, timed inside it.

    A first, unmeasured run compiles the bytecode caches.
    """
    lines = ["import time", "start = time.perf_counter()", code]
    timer = "\n".join([*lines, "print(time.perf_counter() - start)"])
    run([python, "-c", timer], env=env)
    return [float(run([python, "-c", timer], env=env)) for _ in range(repeat)]


def import_runs(
    sizes: Sizes, peers: Peers, scratch: Path
) -> tuple[list[float], list[float], list[float]]:
    """acebind's package, openapi-python-client's, and httpx alone for scale."""
    ours = import_seconds(
        sys.executable,
        f"import {PACKAGE}\nfrom {PACKAGE} import Client",
        python_path(scratch / "acebind"),
        sizes.repeat_cheap,
    )
    root = package_root(scratch / "opc")
    name = root.name
    theirs = import_seconds(
        peers.python,
        f"import {name}\nfrom {name} import Client\nimport {name}.models",
        python_path(root.parent),
        sizes.repeat,
    )
    httpx = import_seconds(sys.executable, "import httpx", {}, sizes.repeat_cheap)
    say(
        "import",
        f"acebind {min(ours):.3f} s, openapi-python-client {min(theirs):.2f} s, "
        f"httpx alone {min(httpx):.3f} s (best runs)",
    )
    return ours, theirs, httpx


def import_section(
    ours: list[float], theirs: list[float], httpx: list[float], opc_name: str
) -> Section:
    mine = Figure(f"import {PACKAGE}; from {PACKAGE} import Client", tuple(ours), "s")
    peer = Figure(
        "import openapi-python-client's package, Client and models", tuple(theirs), "s"
    )
    base = Figure("import httpx alone (for scale)", tuple(httpx), "s")
    faster = peer.median / mine.median
    section = Section("import", "Import", [mine, peer, base])
    section.targets += [
        Target(
            f"≤ {IMPORT_LIMIT:g} s",
            f"{mine.median:.3f} s",
            mine.median <= IMPORT_LIMIT,
        ),
        Target(
            f"≥ {IMPORT_GOAL:g}x faster than openapi-python-client",
            f"{ratio(faster)} faster",
            faster >= IMPORT_GOAL,
        ),
    ]
    section.notes += [
        "Timed inside a fresh interpreter around the import statements (interpreter "
        "start-up left out), after one unmeasured run that writes the bytecode caches. "
        f"acebind's package loads its endpoints on first use; `{opc_name}` imports its "
        "client, and `models` imports every model module.",
        f"httpx, which `Client` needs, is {base.median / mine.median:.0%} of "
        "acebind's import time.",
    ]
    return section
