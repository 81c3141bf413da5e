"""``acebind check``: a fresh crawl against the committed schemas, and the
committed bindings against their own schemas.

The two findings stay apart: *the environment changed* (the crawl differs
from ``schemas/<env>/``) and *the committed bindings are stale* (regenerating
from ``schemas/<env>/`` does not give ``generated/<env>/``, e.g. after a
template change). ``--update`` accepts both: the new tree and the bindings
regenerated from it are rendered first, then each tree is swapped in at once.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.crawl.crawler import CrawlResult
from generator.drift.changes import Change, compare_trees
from generator.drift.overrides import Overrides
from generator.drift.reports import Bindings
from generator.fsutil import write_text
from generator.generate.package import (
    generate_files,
    read_package,
    short_diff,
    write_package,
)
from generator.schema.tree import SchemaTree, read_tree, tree_files, write_tree


@dataclass(frozen=True)
class Drift:
    """What ``check`` found: the changes, and the crawl's files to accept them."""

    changes: list[Change]
    identical: bool
    bindings: Bindings
    crawled: dict[str, str]  # the new tree's files


def same_trees(old: SchemaTree, new: SchemaTree) -> bool:
    """Equal index and schemas: the same tree, sampled counts included."""
    return old.index == new.index and old.schemas == new.schemas


def stale_bindings(tree: SchemaTree, env: str, target: Path) -> Bindings:
    """The committed package against a regeneration from ``tree``, in memory."""
    expected = generate_files(tree, env)
    committed = read_package(target)
    files = sorted(
        name
        for name in set(expected) | set(committed)
        if expected.get(name) != committed.get(name)
    )
    diff = short_diff(committed, expected) if files else ""
    return Bindings(str(target), files, diff)


def tree_of(files: dict[str, str], folder: Path) -> SchemaTree:
    for relative, text in files.items():
        write_text(folder / relative, text)
    return read_tree(folder)


def check(
    result: CrawlResult,
    committed: SchemaTree,
    bindings: Path,
    overrides: Overrides,
) -> Drift:
    crawled = tree_files(result)
    with tempfile.TemporaryDirectory(prefix="acebind-check-") as scratch:
        new = tree_of(crawled, Path(scratch))
        changes = overrides.apply(compare_trees(committed, new))
        identical = same_trees(committed, new)
    found = stale_bindings(committed, result.environment, bindings)

    return Drift(changes, identical, found, crawled)


def update(drift: Drift, env: str, schemas: Path, bindings: Path) -> bool:
    """Accept the drift: write the new tree and its bindings. False when
    there was nothing to accept (no change and fresh bindings)."""
    if not drift.changes and not drift.bindings.stale:
        return False
    with tempfile.TemporaryDirectory(prefix="acebind-update-") as scratch:
        package = generate_files(tree_of(drift.crawled, Path(scratch)), env)
    write_tree(schemas, drift.crawled)
    write_package(bindings, package)

    return True
