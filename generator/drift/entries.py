"""Changes of an endpoint's index entry: kind, path, methods, detail URL,
pagination, filters, and what the browsable page lists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator.drift.recorder import Recorder

WRITE_METHODS = {"POST", "PUT", "PATCH"}


def writable(entry: dict[str, Any]) -> bool:
    """The endpoint takes writes on its list or detail URL."""
    methods = set(entry.get("methods") or [])
    detail = entry.get("detail")
    if isinstance(detail, dict):
        methods |= set(detail.get("methods") or [])
    return bool(methods & WRITE_METHODS)


def names(values: Iterable[Any]) -> str:
    return ", ".join(sorted(str(value) for value in values))


def describe_endpoint(entry: dict[str, Any], schema: dict[str, Any] | None) -> str:
    properties = (schema or {}).get("properties")
    fields = list(properties) if isinstance(properties, dict) else []
    kind = "writable" if writable(entry) else "read-only"
    text = f"new {kind} endpoint at {entry.get('path')}"
    if not fields:
        return text
    shown = ", ".join(fields[:8]) + (", ..." if len(fields) > 8 else "")
    return f"{text} with {len(fields)} fields: {shown}"


def compare_entries(old: dict[str, Any], new: dict[str, Any], out: Recorder) -> bool:
    """Record the entry's changes; False when the records cannot be compared."""
    if old.get("kind") != new.get("kind"):
        if new.get("kind") == "unknown":
            out.note("endpoint-not-read", "the crawl could not read it this time")
        elif old.get("kind") != "unknown":
            out.note(
                "endpoint-kind-changed",
                f"kind {old.get('kind')} becomes {new.get('kind')}",
            )
        return False
    if old.get("path") != new.get("path"):
        out.note(
            "endpoint-path-changed",
            f"list URL {old.get('path')} becomes {new.get('path')}",
        )
    _methods(old.get("methods"), new.get("methods"), "the list URL", out)
    _detail(old, new, out)
    _pagination(old.get("pagination") or {}, new.get("pagination") or {}, out)
    _filters(old.get("filters") or {}, new.get("filters") or {}, out)
    _browsable(old, new, out)

    return True


def _methods(old: Any, new: Any, where: str, out: Recorder) -> None:
    before, after = set(old or []), set(new or [])
    if before - after:
        out.note("method-removed", f"{where} no longer allows {names(before - after)}")
    if after - before:
        out.note("method-added", f"{where} now allows {names(after - before)}")


def _detail(
    old_entry: dict[str, Any], new_entry: dict[str, Any], out: Recorder
) -> None:
    old, new = old_entry.get("detail"), new_entry.get("detail")
    if isinstance(old, dict) and not isinstance(new, dict):
        # The detail URL is found by trying a sampled record's keys.
        if new_entry.get("records"):
            out.note(
                "detail-removed", f"no detail URL any more (was {old.get('path')})"
            )
        else:
            out.note("detail-not-seen", "no record to find the detail URL with")
    elif isinstance(new, dict) and not isinstance(old, dict):
        out.note("detail-added", f"records addressed at {new.get('path')}")
    elif isinstance(old, dict) and isinstance(new, dict):
        if (old.get("key"), old.get("path")) != (new.get("key"), new.get("path")):
            out.note(
                "detail-changed",
                f"detail URL {old.get('path')} becomes {new.get('path')}",
            )
        _methods(old.get("methods"), new.get("methods"), "the detail URL", out)


def _pagination(old: dict[str, Any], new: dict[str, Any], out: Recorder) -> None:
    if old.get("style") != new.get("style"):
        style = f"style {old.get('style')} becomes {new.get('style')}"
        out.note("pagination-changed", style)
        return  # the bounds of another style are not comparable
    old_sizes, new_sizes = old.get("pageSize") or {}, new.get("pageSize") or {}
    for what, before, after in (
        ("page parameter", old.get("pageParam"), new.get("pageParam")),
        ("page-size parameter", old_sizes.get("param"), new_sizes.get("param")),
    ):
        if before != after:
            out.note("pagination-changed", f"{what} {before} becomes {after}")
    for key in ("default", "min", "max"):
        before, after = old_sizes.get(key), new_sizes.get(key)
        if before is None or before == after:
            continue  # learning a bound is not a change
        if after is None:
            out.note("page-size-limit-not-seen", f"page-size {key} {before}: not told")
        else:
            out.note(
                "page-size-limit-changed", f"page-size {key} {before} becomes {after}"
            )


def _filters(old: dict[str, Any], new: dict[str, Any], out: Recorder) -> None:
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before is True and after is False:
            out.note("filter-removed", f"?{name}= no longer filters: it is ignored")
        elif before is True and after is None:
            out.note("filter-not-proven", f"?{name}= could not be proven this time")
        elif after is True and before is not True:
            out.note("filter-added", f"?{name}= filters now")


def _browsable(old: dict[str, Any], new: dict[str, Any], out: Recorder) -> None:
    """Search arguments and extra actions: both come from the browsable page,
    so when the crawl could not read it, what is missing is only not seen."""
    read = "html" in (new.get("sources") or [])
    for kind, before, after in (
        ("search", set(old.get("search") or []), set(new.get("search") or [])),
        ("action", _actions(old.get("actions")), _actions(new.get("actions"))),
    ):
        what = "query arguments" if kind == "search" else "extra actions"
        if before - after:
            rule = f"{kind}-removed" if read else f"{kind}-not-seen"
            out.note(rule, f"{what} no longer listed: {names(before - after)}")
        if after - before:
            out.note(f"{kind}-added", f"new {what}: {names(after - before)}")


def _actions(actions: Any) -> set[str]:
    if not isinstance(actions, list):
        return set()
    return {str(action.get("name")) for action in actions if isinstance(action, dict)}
