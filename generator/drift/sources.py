"""Where ``acebind diff`` reads its trees: a folder, or ``REV:path`` in git.

A revision's tree is read with ``git ls-tree`` and ``git cat-file --batch``
into a scratch folder, then read back like any tree, so both sides go
through :func:`generator.schema.tree.read_tree` and its checks. The path is
taken relative to the current folder, as ``git ls-tree`` takes it.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import SchemaTreeError
from generator.fsutil import write_text
from generator.schema.tree import SchemaTree, read_tree


@dataclass(frozen=True)
class TreeSource:
    """A tree and how to show where it came from."""

    tree: SchemaTree
    label: str  # as the user gave it
    location: str  # the folder its files are shown under, in reports


def load_tree(spec: str, scratch: Path) -> TreeSource:
    """The tree ``spec`` names; a revision's files land under ``scratch``."""
    folder = Path(spec)
    if folder.is_dir():
        return TreeSource(read_tree(folder), spec, spec.rstrip("/"))
    revision, colon, path = spec.partition(":")
    if not colon or not revision:
        raise SchemaTreeError(f"{spec} is neither a schema folder nor REV:path")
    path = path.strip("/") or "."
    _git_files(revision, path, scratch)
    return TreeSource(read_tree(scratch), spec, path)


def _git(*args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], input=stdin, capture_output=True, check=False
        )
    except OSError as error:
        raise SchemaTreeError(f"git cannot be run: {error}") from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SchemaTreeError(
            f"git {args[0]} failed: {message[-1] if message else done.returncode}"
        )
    return done.stdout


def _git_files(revision: str, path: str, scratch: Path) -> None:
    commit = f"{revision}^{{commit}}"
    _git("rev-parse", "--verify", "--quiet", "--end-of-options", commit)
    listing = _git("ls-tree", "-r", "-z", "--end-of-options", revision, "--", path)
    blobs: list[tuple[str, PurePosixPath]] = []
    prefix = PurePosixPath(path)
    for line in listing.decode("utf-8", "surrogateescape").split("\0"):
        if not line:
            continue
        info, _, name = line.partition("\t")
        mode, kind, oid = info.split(" ")
        relative = PurePosixPath(name)
        if path != ".":
            relative = relative.relative_to(prefix)
        if kind == "blob" and mode != "120000" and ".." not in relative.parts:
            blobs.append((oid, relative))
    if not blobs:
        raise SchemaTreeError(f"{revision}:{path} holds no files")
    batch = _git(
        "cat-file", "--batch", stdin="".join(f"{o}\n" for o, _ in blobs).encode()
    )
    offset = 0
    for _, relative in blobs:
        header_end = batch.index(b"\n", offset)
        size = int(batch[offset:header_end].split(b" ")[2])
        content = batch[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
        write_text(scratch / relative, content.decode("utf-8", "replace"))
