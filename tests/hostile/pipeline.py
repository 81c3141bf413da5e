"""Crawl, write, generate and write again, in this process, watching every write.

An audit hook (PEP 578) sees every file this process opens for writing, every
folder it makes, renames or removes, and every command it starts, so a test
can tell exactly where a run wrote and what it ran.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator.crawl.crawler import CrawlOptions, CrawlResult, crawl_environment
from generator.generate.package import generate_files, write_package
from generator.schema.tree import SchemaTree, read_tree, tree_files, write_tree
from tests.hostile.figures import FIGURES
from tests.hostile.server import AUTH, BASIC, PASSWORD

# Small retries and waits: a hostile server's failures are meant to be final.
OPTIONS: dict[str, Any] = {
    "retries": 2,
    "backoff_base": 0.01,
    "backoff_cap": 0.05,
    "retry_after_cap": 0.05,
    "timeout": 10.0,
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# Audit events that change the file system: (paths, dir_fd) argument positions.
_PATH_EVENTS = {
    "os.mkdir": ((0,), (2,)),
    "os.remove": ((0,), (1,)),
    "os.rmdir": ((0,), (1,)),
    "os.rename": ((0, 1), (2, 3)),
    "os.replace": ((0, 1), (2, 3)),
    "os.link": ((0, 1), (2, 3)),
    "os.symlink": ((0, 1), (2,)),
    "os.truncate": ((0,), ()),
    "shutil.rmtree": ((0,), (1,)),
    "shutil.copyfile": ((0, 1), ()),
}


@dataclasses.dataclass
class Watch:
    """What a watched block wrote and ran."""

    paths: list[Path] = dataclasses.field(default_factory=list)
    commands: list[list[str]] = dataclasses.field(default_factory=list)


_watch: Watch | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    watch = _watch
    if watch is None:
        return
    if event == "open":
        path, mode, flags = args
        writes = (mode is not None and any(c in mode for c in "wax+")) or (
            mode is None and flags & _WRITE_FLAGS
        )
        if writes and isinstance(path, str | bytes | os.PathLike):
            watch.paths.append(Path(os.fsdecode(path)).absolute())
    elif event in _PATH_EVENTS:
        paths, dir_fds = _PATH_EVENTS[event]
        if any(args[i] not in (None, -1) for i in dir_fds if i < len(args)):
            return  # relative to a folder shutil.rmtree opened: under its path
        for i in paths:
            if isinstance(args[i], str | bytes | os.PathLike):
                watch.paths.append(Path(os.fsdecode(args[i])).absolute())
    elif event == "subprocess.Popen":
        watch.commands.append([os.fsdecode(a) for a in args[1]])


sys.addaudithook(_audit)


@contextmanager
def watching() -> Iterator[Watch]:
    global _watch  # noqa: PLW0603 - the audit hook cannot be removed, only idled
    _watch = Watch()
    try:
        yield _watch
    finally:
        _watch = None


def crawl(name: str, root: str, **options: Any) -> CrawlResult:
    settings = CrawlOptions(**{**OPTIONS, **options})
    return asyncio.run(crawl_environment(name, root, AUTH, settings))


@dataclasses.dataclass
class Built:
    """One environment crawled, written and generated under ``out``."""

    result: CrawlResult
    schemas: Path
    generated: Path
    tree: SchemaTree
    files: dict[str, str]
    watch: Watch


def build(name: str, root: str, out: Path, **options: Any) -> Built:
    """What ``acebind crawl`` then ``acebind generate`` do, watched."""
    schemas = out / "schemas" / name
    generated = out / "generated" / name
    with watching() as watch:
        result = crawl(name, root, **options)
        write_tree(schemas, tree_files(result))
        tree = read_tree(schemas)
        files = generate_files(tree, name)
        write_package(generated, files)
    return Built(result, schemas, generated, tree, files, watch)


def outside(paths: list[Path], out: Path, name: str) -> list[Path]:
    """The written paths that are neither in the targets (and their staging
    folders beside them) nor in the generator's formatting scratch folder."""
    scratch = Path(tempfile.gettempdir()).absolute()
    found = [
        path
        for path in paths
        if not _in_target(path, out, name) and not _in_scratch(path, scratch)
    ]
    FIGURES.files_leaked += len(found)
    return found


def _in_scratch(path: Path, scratch: Path) -> bool:
    if not path.is_relative_to(scratch) or path == scratch:
        return False
    return path.relative_to(scratch).parts[0].startswith("acebind-format-")


def _in_target(path: Path, out: Path, name: str) -> bool:
    for kind in ("schemas", "generated"):
        parent = out / kind
        if path == parent:
            return True
        if not path.is_relative_to(parent):
            continue
        first = path.relative_to(parent).parts[0]
        if first == name or first.startswith(
            (f".acebind-new-{name}-", f".acebind-old-{name}-")
        ):
            return True
    return False


def tree_of(root: Path) -> dict[str, bytes]:
    """Every file below ``root``, by relative path, with its bytes."""
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# The passwords of the hostile server and of the sandbox's demo tenant, and
# the Basic credentials that carry them.
SECRETS = [
    PASSWORD.encode(),
    BASIC.encode(),
    b"demo-pass",
    base64.b64encode(b"demo-api:demo-pass"),
]


def leaks_in(text: str | bytes) -> int:
    """How often a password, or its Basic header, occurs in ``text``."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return sum(data.count(secret) for secret in SECRETS)


def scan_files(*roots: Path) -> int:
    """Password hits in every file below ``roots``; counted in the figures."""
    hits = 0
    for root in roots:
        for data in tree_of(root).values():
            FIGURES.files_scanned += 1
            hits += leaks_in(data)
    FIGURES.password_hits += hits
    return hits


def scan_output(*outputs: str | bytes) -> int:
    hits = sum(leaks_in(output) for output in outputs)
    FIGURES.outputs_scanned += len(outputs)
    FIGURES.password_hits += hits
    return hits
