"""Observations that accumulate across crawls (``acebind crawl --accumulate``).

One crawl samples a few pages; a null or a stray format may show up only in
another. Merged with the observations a tree already records, facts sharpen
with every scheduled run instead of flapping: a null once seen keeps its field
nullable, a format once contradicted stays dropped, and counts add up.

Counts adding up means the same environment crawled twice no longer gives the
same bytes, so this is a choice per run, not the default: scheduled drift
checks want it, a reproducible crawl does not.
"""

from __future__ import annotations

from typing import Any

from generator.crawl.infer import settle_nullable


def accumulate(new: dict[str, Any], old: dict[str, Any]) -> None:
    """Fold ``old``'s observations of one endpoint into ``new``, in place."""
    _object(new, old)
    old_defs = old.get("$defs", {}) if isinstance(old.get("$defs"), dict) else {}
    for name, definition in new.get("$defs", {}).items():
        if isinstance(old_defs.get(name), dict):
            _object(definition, old_defs[name])
    meta, old_meta = new.get("x-acebind", {}), old.get("x-acebind", {})
    if isinstance(old_meta.get("records"), int):
        meta["records"] = meta.get("records", 0) + old_meta["records"]


def _object(new: dict[str, Any], old: dict[str, Any]) -> None:
    properties = new.get("properties")
    old_properties = old.get("properties")
    if not isinstance(properties, dict) or not isinstance(old_properties, dict):
        return
    required = []
    for name, schema in properties.items():
        before = old_properties.get(name)
        if isinstance(before, dict) and isinstance(schema, dict):
            _field(schema, before)
        if _always_present(schema, name in new.get("required", [])):
            required.append(name)
    if required:
        new["required"] = required
    else:
        new.pop("required", None)


def _observed(schema: dict[str, Any]) -> dict[str, int] | None:
    meta = schema.get("x-acebind")
    observed = meta.get("observed") if isinstance(meta, dict) else None
    return observed if isinstance(observed, dict) else None


def _always_present(schema: dict[str, Any], was_required: bool) -> bool:
    observed = _observed(schema)
    if observed is None:
        return was_required
    return bool(observed["records"]) and observed["present"] == observed["records"]


def _field(new: dict[str, Any], old: dict[str, Any]) -> None:
    seen_now, seen_before = _observed(new), _observed(old)
    if seen_now is None or seen_before is None:
        return
    format_before = old.get("format")
    for key in ("records", "present", "nulls"):
        seen_now[key] = seen_now.get(key, 0) + int(seen_before.get(key, 0))
    if seen_before.get("nulls"):
        settle_nullable(new, True)  # a null once seen keeps the field nullable
    declared = set(new.get("x-acebind", {}).get("declared", []))
    if "format" in new and "format" not in declared:
        # An observed format holds only while no value ever contradicted it.
        strings_before = int(seen_before.get("present", 0)) > int(
            seen_before.get("nulls", 0)
        )
        if strings_before and format_before != new["format"]:
            del new["format"]
    if isinstance(new.get("items"), dict) and isinstance(old.get("items"), dict):
        _field(new["items"], old["items"])


def accumulate_endpoints(
    endpoints: list[Any], old_schemas: dict[str, dict[str, Any]]
) -> int:
    """Fold a previous tree's observations into a crawl's endpoint results.

    ``endpoints`` are :class:`~generator.crawl.crawler.EndpointResult`; returns
    how many endpoints had earlier observations.
    """
    merged = 0
    for result in endpoints:
        old = old_schemas.get(result.entry["name"])
        if result.schema is not None and isinstance(old, dict):
            accumulate(result.schema, old)
            merged += 1
    return merged
