"""Write and read ``schemas/<env>/``; the format is documented in schemas/README.md.

The writer turns a crawl's result into file contents first, then swaps the
whole folder in at once (:mod:`generator.fsutil`), so a failed or killed
crawl never leaves a half-written tree.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import SchemaTreeError

if TYPE_CHECKING:  # the crawler (and httpx) only when a crawl runs
    from generator.crawl.crawler import CrawlResult
from generator.fsutil import dump_json, replacing_tree, write_text
from generator.schema.openapi import build_openapi

FORMAT = 1
INDEX = "index.json"
OPENAPI = "openapi.json"
# Names Windows reserves, whatever the extension: a partner may check out there.
RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def schema_file(name: str, taken: Collection[str] = ()) -> str:
    """``endpoints/<file>.json`` from an endpoint name, safe on every filesystem.

    The name is derived from the endpoint name alone; where cleaning changed
    it, a hash of the original keeps two names from landing on one file. A
    name that is already ``taken`` (a server may name an endpoint after
    another one's hashed file) takes the whole hash, which no clean name of
    at most 60 characters can spell.
    """
    cleaned = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_")[:60] or "endpoint"
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
    if cleaned != name or cleaned in RESERVED:
        cleaned = f"{cleaned}-{digest[:8]}"
    if f"endpoints/{cleaned}.json" in taken:
        cleaned = f"{cleaned[:60]}-{digest}"
    return f"endpoints/{cleaned}.json"


def tree_files(result: CrawlResult) -> dict[str, str]:
    """Every file of the tree, relative path to text."""
    endpoints: list[dict[str, Any]] = []
    schemas: dict[str, dict[str, Any]] = {}
    for endpoint in result.endpoints:
        entry = dict(endpoint.entry)
        if endpoint.schema is not None:
            entry["schema"] = schema_file(entry["name"], schemas)
            schemas[entry["schema"]] = endpoint.schema
        endpoints.append(entry)
    index = {
        "format": FORMAT,
        "environment": result.environment,
        "endpoints": endpoints,
        "findings": [finding.to_json() for finding in result.findings.sorted()],
    }
    files = {INDEX: dump_json(index), OPENAPI: dump_json(build_openapi(index, schemas))}
    files.update({path: dump_json(schema) for path, schema in schemas.items()})

    return files


def write_tree(target: Path, files: dict[str, str]) -> None:
    with replacing_tree(target) as staging:
        for relative, text in sorted(files.items()):
            write_text(staging / relative, text)


@dataclass(frozen=True)
class SchemaTree:
    """A schema tree as read back: the index and each endpoint's schema."""

    path: Path
    index: dict[str, Any]
    schemas: dict[str, dict[str, Any]]  # by endpoint name

    @property
    def endpoints(self) -> list[dict[str, Any]]:
        return list(self.index["endpoints"])


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise SchemaTreeError(f"{path} is missing") from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SchemaTreeError(f"{path} cannot be read: {error}") from error


def read_tree(path: Path) -> SchemaTree:
    index = _load(path / INDEX)
    if not isinstance(index, dict) or index.get("format") != FORMAT:
        raise SchemaTreeError(f"{path / INDEX} is not a format {FORMAT} schema index")
    schemas = {}
    root = path.resolve()
    for entry in index.get("endpoints", []):
        relative = entry.get("schema")
        if relative is None:
            continue
        file = (path / relative).resolve()
        if not file.is_relative_to(root):
            raise SchemaTreeError(
                f"{path / INDEX} points outside the tree: {relative!r}"
            )
        schemas[entry["name"]] = _load(file)

    return SchemaTree(path, index, schemas)
