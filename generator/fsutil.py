"""Atomic writes of whole trees: a reader sees the old tree or the new one.

A tree is written into a fresh folder beside its target and swapped in with
one rename. Where the target already exists, Linux's ``renameat2`` with
``RENAME_EXCHANGE`` swaps the two folders in one step; elsewhere the old tree
is moved aside first and put back by :func:`recover` if the process dies
between the two renames.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_STAGING = ".acebind-new-"
_RETIRED = ".acebind-old-"
_SURROGATE = re.compile("[\ud800-\udfff]")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the platform cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE
    )
    return bool(result == 0)


def recover(target: Path) -> None:
    """Undo what a killed swap left beside ``target``."""
    parent = target.parent
    if not parent.is_dir():
        return
    for leftover in parent.glob(f"{_RETIRED}{target.name}-*"):
        if not target.exists():
            leftover.rename(target)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in parent.glob(f"{_STAGING}{target.name}-*"):
        shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def replacing_tree(target: Path) -> Iterator[Path]:
    """Yield an empty folder to fill; on success it becomes ``target``.

    When the block raises, ``target`` is left as it was and the staging folder
    is removed.
    """
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = Path(
        tempfile.mkdtemp(prefix=f"{_STAGING}{target.name}-", dir=target.parent)
    )
    try:
        yield staging
        _swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        return  # staging now holds the old tree; the caller removes it
    retired = Path(
        tempfile.mkdtemp(prefix=f"{_RETIRED}{target.name}-", dir=target.parent)
    )
    retired.rmdir()
    target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


def canonical(data: Any, *, ordered: bool = False) -> Any:
    """Keys sorted everywhere but in a schema's ``properties``: fields keep the
    server's order, which is part of what a crawl learns."""
    if isinstance(data, dict):
        items = data.items() if ordered else sorted(data.items())
        return {
            key: canonical(value, ordered=not ordered and key == "properties")
            for key, value in items
        }
    if isinstance(data, list):
        return [canonical(value) for value in data]
    return data


def dump_json(data: Any) -> str:
    """The one JSON spelling of every file acebind writes: canonical keys, LF.

    A lone surrogate (a server's ``"\\ud800"``) has no UTF-8 form; it stays
    escaped, as JSON allows (RFC 8259, section 8.2), and reads back the same.
    """
    text = json.dumps(canonical(data), indent=2, ensure_ascii=False)
    return _SURROGATE.sub(lambda found: f"\\u{ord(found[0]):04x}", text) + "\n"


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
