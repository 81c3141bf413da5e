"""Small hand-made schema trees for the drift rules."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from generator.drift.changes import Change, compare_trees
from generator.schema.tree import SchemaTree

KEYWORDS = {
    "type",
    "format",
    "maxLength",
    "minLength",
    "minimum",
    "maximum",
    "enum",
    "title",
    "description",
}
SOURCES = ["html", "options", "options-detail", "samples"]


def field(
    kind: str | list[str] | None = "string",
    *,
    declared: bool = True,
    records: int | None = 10,
    nulls: int = 0,
    present: int | None = None,
    write_required: bool | None = False,
    facts: dict[str, Any] | None = None,
    also_declared: tuple[str, ...] = (),
    **keywords: Any,
) -> dict[str, Any]:
    """A field's schema; ``declared`` as OPTIONS would, observed in ``records``.

    ``facts`` go into ``x-acebind`` (``decimalPlaces``, ``choices``, ``unknown``).
    """
    schema: dict[str, Any] = {} if kind is None else {"type": kind}
    schema.update(keywords)
    meta: dict[str, Any] = dict(facts or {})
    if declared:
        named = {k for k in keywords if k in KEYWORDS} | {"readOnly", *also_declared}
        if kind is not None:
            named.add("type")
        if write_required is not None:
            named.add("writeRequired")
            meta["writeRequired"] = write_required
        meta["declared"] = sorted(named | set(facts or {}) - {"unknown", "choices"})
    if records:
        seen = records if present is None else present
        meta["observed"] = {"records": records, "present": seen, "nulls": nulls}
    schema["x-acebind"] = meta
    return schema


def endpoint(
    name: str,
    properties: dict[str, dict[str, Any]],
    *,
    writable: bool = True,
    records: int = 10,
    required: list[str] | None = None,
    defs: dict[str, Any] | None = None,
    **entry: Any,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An index entry and its record schema."""
    methods = ["GET", "HEAD", "OPTIONS", *(["POST"] if writable else [])]
    detail_methods = ["GET", "HEAD", "OPTIONS", *(["PATCH", "PUT"] if writable else [])]
    key = next(iter(properties), "Id")
    index_entry: dict[str, Any] = {
        "name": name,
        "path": f"{name}/",
        "kind": "list",
        "schema": f"endpoints/{name}.json",
        "methods": methods,
        "detail": {"path": f"{name}/{{{key}}}/", "key": key, "methods": detail_methods},
        "pagination": {
            "style": "page-number",
            "pageParam": "page",
            "pageSize": {"param": "page_size", "default": 50, "min": 1, "max": 100},
        },
        "filters": {"store": False, "synccounter": True},
        "search": [],
        "actions": [],
        "sources": list(SOURCES),
        "records": records,
    }
    index_entry.update(entry)
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": name.title(),
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "x-acebind": {"endpoint": name, "records": records, "sources": SOURCES},
    }
    if defs:
        schema["$defs"] = defs
    return index_entry, schema


def tree(*endpoints: tuple[dict[str, Any], dict[str, Any]]) -> SchemaTree:
    index = {
        "format": 1,
        "environment": "test",
        "endpoints": [entry for entry, _ in endpoints],
        "findings": [],
    }
    schemas = {entry["name"]: schema for entry, schema in endpoints}
    return SchemaTree(Path("unused"), copy.deepcopy(index), copy.deepcopy(schemas))


def found(old: SchemaTree, new: SchemaTree) -> list[tuple[str, str, str, str]]:
    """(rule, level, endpoint, field) of every change, in the report's order."""
    return [
        (c.rule, c.level.value, c.endpoint, c.field) for c in compare_trees(old, new)
    ]


def one(old: SchemaTree, new: SchemaTree) -> Change:
    changes = compare_trees(old, new)
    assert len(changes) == 1, changes
    return changes[0]


def fields_changed(
    before: dict[str, dict[str, Any]],
    after: dict[str, dict[str, Any]],
    **options: Any,
) -> list[tuple[str, str, str, str]]:
    """The changes of one endpoint ``e`` whose fields go from before to after."""
    return found(
        tree(endpoint("e", before, **options)), tree(endpoint("e", after, **options))
    )
