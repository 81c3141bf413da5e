"""Compare two schema trees into classified changes.

Each :class:`Change` names its rule (:mod:`generator.drift.rules`), its level,
the endpoint, and a JSON pointer to the field: an RFC 6901 pointer into the
endpoint's record schema with ``$ref`` followed, so nested fields read
``/properties/SaleTransactionDetails/items/properties/Quantity`` (``anyOf``
wrappers of nullable objects are looked through). The empty pointer is the
endpoint as a whole.

What counts as evidence (schemas/README.md, provenance):

* a *declared* fact (``x-acebind.declared``: OPTIONS said so) that changed, or
  that the server no longer declares while it still declares the object's
  other fields, is a change with the rule's full level;
* an *observed* fact (samples only) counts when the samples show something
  new: a null where there was none, a value of another type, records lacking
  a field. When they merely fail to show it again ("no nulls this time",
  "field absent from the samples") it is "not seen this time": a warning at
  most, never an error;
* a fact unknown on one side (``x-acebind.unknown``, a page size of ``null``)
  is not compared; learning it is not a change, except a field's type;
* what partners send is judged from declared facts only: samples show
  responses, never what the server accepts.

Sampled counts (``records``, ``present``, ``nulls``) and crawl findings are not
changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.drift.rules import RULES, Level
from generator.schema.tree import SchemaTree

MAX_DEPTH = 32
WRITE_METHODS = {"POST", "PUT", "PATCH"}
UPPER_LIMITS = ("maximum", "maxDigits", "decimalPlaces")
LOWER_LIMITS = ("minLength", "minimum")
LIMIT_NAMES = {
    "minLength": "minimum length",
    "minimum": "minimum",
    "maximum": "maximum",
    "maxDigits": "digits",
    "decimalPlaces": "decimal places",
}


@dataclass(frozen=True)
class Change:
    """One difference between two trees, classified."""

    rule: str
    level: Level
    endpoint: str
    pointer: str
    message: str
    direction: str | None = None  # "both", "response"; None: the whole endpoint

    @property
    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.endpoint, self.pointer, self.rule, self.message)

    @property
    def field(self) -> str:
        """The pointer as people read it: ``SaleTransactionDetails[].Quantity``."""
        return field_name(self.pointer)

    def to_json(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "endpoint": self.endpoint,
            "field": self.field,
            "level": self.level.value,
            "message": self.message,
            "pointer": self.pointer,
            "rule": self.rule,
        }


def escape(name: str) -> str:
    """One RFC 6901 reference token."""
    return name.replace("~", "~0").replace("/", "~1")


def field_name(pointer: str) -> str:
    parts: list[str] = []
    tokens = pointer.split("/")[1:]
    for position, token in enumerate(tokens):
        before = tokens[position - 1] if position else ""
        if before == "properties":
            name = token.replace("~1", "/").replace("~0", "~")
            parts.append(("." if parts else "") + name)
        elif token == "items" and before != "properties":
            parts.append("[]")
        elif token == "additionalProperties" and before != "properties":
            parts.append("{}")
    return "".join(parts)


def compare_trees(old: SchemaTree, new: SchemaTree) -> list[Change]:
    """Every change from ``old`` to ``new``, sorted by endpoint, pointer, rule."""
    changes: list[Change] = []
    old_entries = {entry["name"]: entry for entry in old.endpoints}
    new_entries = {entry["name"]: entry for entry in new.endpoints}
    for name, entry in old_entries.items():
        if name not in new_entries:
            path = entry.get("path")
            changes.append(
                _endpoint_change(
                    "endpoint-removed", name, f"gone from the API root (was {path})"
                )
            )
    for name, entry in new_entries.items():
        if name not in old_entries:
            changes.append(
                _endpoint_change("endpoint-added", name, _new_endpoint(entry, new))
            )
    for name in old_entries.keys() & new_entries.keys():
        comparison = EndpointComparison(
            name,
            old_entries[name],
            new_entries[name],
            old.schemas.get(name),
            new.schemas.get(name),
        )
        changes += comparison.run()

    return sorted(changes, key=lambda change: change.sort_key)


def _endpoint_change(rule: str, endpoint: str, message: str) -> Change:
    return Change(rule, RULES[rule].level, endpoint, "", message)


def _new_endpoint(entry: dict[str, Any], tree: SchemaTree) -> str:
    schema = tree.schemas.get(entry["name"]) or {}
    fields = list(_properties(schema))
    shown = ", ".join(fields[:8]) + (", ..." if len(fields) > 8 else "")
    writable = "writable" if _writable(entry) else "read-only"
    text = f"new {writable} endpoint at {entry.get('path')}"
    return f"{text} with {len(fields)} fields: {shown}" if fields else text


def _properties(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return {}
    return {k: v for k, v in properties.items() if isinstance(v, dict)}


def _meta(schema: dict[str, Any]) -> dict[str, Any]:
    meta = schema.get("x-acebind")
    return meta if isinstance(meta, dict) else {}


def _set(value: Any) -> set[str]:
    return (
        {item for item in value if isinstance(item, str)}
        if isinstance(value, list)
        else set()
    )


def _declared(schema: dict[str, Any]) -> set[str]:
    return _set(_meta(schema).get("declared"))


def _unknown(schema: dict[str, Any]) -> set[str]:
    return _set(_meta(schema).get("unknown"))


def _writable(entry: dict[str, Any] | None) -> bool:
    if not entry:
        return False
    methods = set(entry.get("methods") or [])
    detail = entry.get("detail")
    if isinstance(detail, dict):
        methods |= set(detail.get("methods") or [])
    return bool(methods & WRITE_METHODS)


def _quote(value: Any) -> str:
    if isinstance(value, str):
        return "'" + value + "'"
    return json.dumps(value)


def _values(values: Iterable[Any]) -> str:
    return ", ".join(_quote(value) for value in values)


@dataclass(frozen=True)
class Shape:
    """What a field's schema says of its values."""

    kinds: frozenset[str]  # JSON types but null; empty: any value
    nullable: bool
    format: str | None
    nested: dict[str, Any] | None  # the object schema a $ref leads to
    typed: bool  # the type is established (not in x-acebind.unknown)

    @property
    def kind(self) -> str:
        text = "/".join(sorted(self.kinds)) or "any value"
        if self.format:
            text += f" ({self.format})"
        if self.kinds == {"object"}:
            text = (
                "object of fixed fields" if self.nested is not None else "JSON object"
            )
        return text


def shape(schema: dict[str, Any], root: dict[str, Any]) -> Shape:
    nullable = False
    core = schema
    if isinstance(schema.get("anyOf"), list):
        branches = [b for b in schema["anyOf"] if isinstance(b, dict)]
        nullable = any(b.get("type") == "null" for b in branches)
        others = [b for b in branches if b.get("type") != "null"]
        core = others[0] if len(others) == 1 else {}
    typed = "type" not in _unknown(schema)
    if isinstance(core.get("$ref"), str):
        return Shape(
            frozenset({"object"}), nullable, None, _resolve(core["$ref"], root), typed
        )
    kind = core.get("type")
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    names = frozenset(k for k in kinds if isinstance(k, str) and k != "null")
    nullable = nullable or "null" in kinds
    if not names and "enum" not in core:
        typed = False
    fmt = core.get("format") if isinstance(core.get("format"), str) else None
    return Shape(names, nullable, fmt, None, typed)


def _resolve(ref: str, root: dict[str, Any]) -> dict[str, Any]:
    prefix = "#/$defs/"
    defs = root.get("$defs")
    if not ref.startswith(prefix) or not isinstance(defs, dict):
        return {}
    target = defs.get(ref[len(prefix) :].replace("~1", "/").replace("~0", "~"))
    return target if isinstance(target, dict) else {}


@dataclass(frozen=True)
class Side:
    """One version of a field and what surrounds it."""

    schema: dict[str, Any]
    root: dict[str, Any]  # the endpoint's record schema, for $defs
    parent_sent: bool  # partners send the object this field belongs to
    always: bool  # every sampled parent carried it (the parent's ``required``)
    records: int  # parent objects sampled
    object_declared: bool  # OPTIONS described some field of the same object

    @property
    def read_only(self) -> bool:
        return self.schema.get("readOnly") is True

    @property
    def read_only_known(self) -> bool:
        return self.object_declared and "readOnly" not in _unknown(self.schema)

    @property
    def sent(self) -> bool:
        """Partners may send it; an unknown read-only counts as sent (stricter)."""
        return self.parent_sent and not self.read_only

    @property
    def declared(self) -> set[str]:
        return _declared(self.schema)

    @property
    def observed(self) -> dict[str, int] | None:
        seen = _meta(self.schema).get("observed")
        if not isinstance(seen, dict):
            return None
        counts = {k: v for k, v in seen.items() if isinstance(v, int)}
        return counts if counts.get("present", 0) > 0 else None

    @property
    def must_send(self) -> bool:
        return self.sent and _meta(self.schema).get("writeRequired") is True


@dataclass
class EndpointComparison:
    """The changes of one endpoint present in both trees."""

    name: str
    old_entry: dict[str, Any]
    new_entry: dict[str, Any]
    old_schema: dict[str, Any] | None
    new_schema: dict[str, Any] | None
    changes: list[Change] = field(default_factory=list)
    observed: bool = True  # the new crawl sampled records: observed facts compare
    declared: bool = True  # the new crawl's OPTIONS declared fields

    def run(self) -> list[Change]:
        self.entry()
        if self.old_schema is not None and self.new_schema is not None:
            self.record(self.old_schema, self.new_schema)

        return self.changes

    def add(
        self, rule: str, pointer: str, message: str, sent: bool | None = None
    ) -> None:
        level = RULES[rule].verdict(bool(sent))
        direction = None if sent is None else ("both" if sent else "response")
        self.changes.append(Change(rule, level, self.name, pointer, message, direction))

    # The index entry: kind, path, methods, detail, pagination, filters, page.

    def entry(self) -> None:
        old, new = self.old_entry, self.new_entry
        if old.get("kind") != new.get("kind"):
            if new.get("kind") == "unknown":
                self.add(
                    "endpoint-not-read", "", "the crawl could not read it this time"
                )
            elif old.get("kind") != "unknown":
                self.add(
                    "endpoint-kind-changed",
                    "",
                    f"kind {old.get('kind')} becomes {new.get('kind')}",
                )
            return
        if old.get("path") != new.get("path"):
            self.add(
                "endpoint-path-changed",
                "",
                f"list URL {old.get('path')} becomes {new.get('path')}",
            )
        self.methods(old.get("methods"), new.get("methods"), "the list URL")
        self.detail()
        self.pagination()
        self.filters()
        self.html_lists()

    def methods(self, old: Any, new: Any, where: str) -> None:
        before, after = set(old or []), set(new or [])
        if before - after:
            self.add(
                "method-removed",
                "",
                f"{where} no longer allows {_names(before - after)}",
            )
        if after - before:
            self.add("method-added", "", f"{where} now allows {_names(after - before)}")

    def detail(self) -> None:
        old, new = self.old_entry.get("detail"), self.new_entry.get("detail")
        if isinstance(old, dict) and not isinstance(new, dict):
            if self.new_entry.get("records"):
                self.add(
                    "detail-removed",
                    "",
                    f"no detail URL any more (was {old.get('path')})",
                )
            else:
                self.add("detail-not-seen", "", "no record to find the detail URL with")
        elif isinstance(new, dict) and not isinstance(old, dict):
            self.add("detail-added", "", f"records addressed at {new.get('path')}")
        elif isinstance(old, dict) and isinstance(new, dict):
            if (old.get("key"), old.get("path")) != (new.get("key"), new.get("path")):
                self.add(
                    "detail-changed",
                    "",
                    f"detail URL {old.get('path')} becomes {new.get('path')}",
                )
            self.methods(old.get("methods"), new.get("methods"), "the detail URL")

    def pagination(self) -> None:
        old = self.old_entry.get("pagination") or {}
        new = self.new_entry.get("pagination") or {}
        old_sizes, new_sizes = old.get("pageSize") or {}, new.get("pageSize") or {}
        for key, before, after in (
            ("style", old.get("style"), new.get("style")),
            ("page parameter", old.get("pageParam"), new.get("pageParam")),
            ("page-size parameter", old_sizes.get("param"), new_sizes.get("param")),
        ):
            if before != after:
                self.add(
                    "pagination-changed",
                    "",
                    f"{key} {_quote(before)} becomes {_quote(after)}",
                )
        for key in ("default", "min", "max"):
            before, after = old_sizes.get(key), new_sizes.get(key)
            if before is None or before == after:
                continue
            if after is None:
                self.add(
                    "page-size-limit-not-seen",
                    "",
                    f"page-size {key} {before} not told this time",
                )
            else:
                self.add(
                    "page-size-limit-changed",
                    "",
                    f"page-size {key} {before} becomes {after}",
                )

    def filters(self) -> None:
        old = self.old_entry.get("filters") or {}
        new = self.new_entry.get("filters") or {}
        for name in sorted(set(old) | set(new)):
            before, after = old.get(name), new.get(name)
            if before is True and after is False:
                self.add(
                    "filter-removed",
                    "",
                    f"?{name}= is ignored now: it no longer filters",
                )
            elif before is True and after is None:
                self.add(
                    "filter-not-proven", "", f"?{name}= could not be proven this time"
                )
            elif after is True and before is not True:
                self.add("filter-added", "", f"?{name}= filters now")

    def html_lists(self) -> None:
        """Search arguments and extra actions: both come from the browsable page."""
        read = "html" in (self.new_entry.get("sources") or [])
        old_search = set(self.old_entry.get("search") or [])
        new_search = set(self.new_entry.get("search") or [])
        if old_search - new_search:
            gone = _names(old_search - new_search)
            if read:
                self.add(
                    "search-removed", "", f"query arguments no longer listed: {gone}"
                )
            else:
                self.add(
                    "search-not-seen", "", f"browsable page not read; not seen: {gone}"
                )
        if new_search - old_search:
            self.add(
                "search-added",
                "",
                f"new query arguments: {_names(new_search - old_search)}",
            )
        old_actions = _actions(self.old_entry.get("actions"))
        new_actions = _actions(self.new_entry.get("actions"))
        if old_actions - new_actions:
            gone = _names(old_actions - new_actions)
            rule = "action-removed" if read else "action-not-seen"
            self.add(rule, "", f"extra actions no longer listed: {gone}")
        if new_actions - old_actions:
            self.add(
                "action-added",
                "",
                f"new extra actions: {_names(new_actions - old_actions)}",
            )

    # The record schema.

    def record(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        old_records = _meta(old).get("records") or 0
        new_records = _meta(new).get("records") or 0
        if old_records and not new_records:
            self.observed = False
            self.add("records-not-seen", "", "no record sampled this time")
        old_declares = _declares(old)
        self.declared = _declares(new)
        if old_declares and not self.declared:
            self.add("declarations-not-seen", "", "OPTIONS declared no field this time")
        self.texts("", old, new, "record-title-changed", "title", "record name")
        self.texts("", old, new, "description-changed", "description", "description")
        self.object(
            "",
            old,
            new,
            (old, _writable(self.old_entry), old_records),
            (new, _writable(self.new_entry), new_records),
            0,
        )

    def object(
        self,
        pointer: str,
        old: dict[str, Any],
        new: dict[str, Any],
        old_ctx: tuple[dict[str, Any], bool, int],
        new_ctx: tuple[dict[str, Any], bool, int],
        depth: int,
    ) -> None:
        if depth > MAX_DEPTH:
            return
        old_fields, new_fields = _properties(old), _properties(new)
        old_sides = _sides(old, old_fields, old_ctx)
        new_sides = _sides(new, new_fields, new_ctx)
        for name in [*old_fields, *(n for n in new_fields if n not in old_fields)]:
            here = f"{pointer}/properties/{escape(name)}"
            if name not in new_sides:
                self.gone(here, old_sides[name], _declares(new), new_ctx[2])
            elif name not in old_sides:
                self.added(here, new_sides[name])
            else:
                self.field(here, old_sides[name], new_sides[name], depth)

    def gone(self, pointer: str, old: Side, still_declared: bool, records: int) -> None:
        was = describe(old.schema, old.root)
        if old.declared and still_declared:
            self.add(
                "field-removed", pointer, f"no longer declared; was {was}", old.sent
            )
        elif records and self.observed:
            self.add(
                "field-not-seen",
                pointer,
                f"absent from the sampled records; was {was}",
                old.sent,
            )

    def added(self, pointer: str, new: Side) -> None:
        text = describe(new.schema, new.root)
        if new.must_send and "writeRequired" in new.declared:
            self.add(
                "required-field-added",
                pointer,
                f"new field, required on write: {text}",
                True,
            )
        else:
            self.add("field-added", pointer, f"new field: {text}", new.sent)

    def field(self, pointer: str, old: Side, new: Side, depth: int) -> None:
        sent = old.sent or new.sent
        before, after = shape(old.schema, old.root), shape(new.schema, new.root)
        same_type = self.types(pointer, old, new, before, after, sent)
        self.nullability(pointer, old, new, before, after, sent)
        self.presence(pointer, old, new, sent)
        self.writability(pointer, old, new)
        if old.declared and new.declared:
            if same_type:
                self.limits(pointer, old, new, sent)
                self.choices(pointer, old.schema, new.schema, sent)
            self.texts(
                pointer, old.schema, new.schema, "label-changed", "title", "label", sent
            )
            self.texts(
                pointer,
                old.schema,
                new.schema,
                "description-changed",
                "description",
                "help text",
                sent,
            )
        if same_type:
            self.nested(pointer, old, new, before, after, depth)

    def types(
        self,
        pointer: str,
        old: Side,
        new: Side,
        before: Shape,
        after: Shape,
        sent: bool,
    ) -> bool:
        """Compare type and format; True when the values are still of one type."""
        if not before.typed or not after.typed:
            if before.typed and self.observed:
                self.add(
                    "field-type-unknown",
                    pointer,
                    f"was {before.kind}, unknown this time",
                    sent,
                )
            elif after.typed and not before.typed:
                self.add(
                    "field-type-learned", pointer, f"now known: {after.kind}", sent
                )
            return False
        nested_changed = before.kinds == {"object"} and (before.nested is None) != (
            after.nested is None
        )
        if before.kinds != after.kinds or nested_changed:
            self.add(
                "field-type-changed",
                pointer,
                f"{describe(old.schema, old.root)} becomes "
                + describe(new.schema, new.root),
                sent,
            )
            return False
        if "format" in _unknown(new.schema) and before.format:
            if self.observed:
                self.add(
                    "field-type-unknown",
                    pointer,
                    f"format {before.format} unknown this time",
                    sent,
                )
        elif before.format and after.format and before.format != after.format:
            self.add(
                "field-format-changed",
                pointer,
                f"format {before.format} becomes {after.format}",
                sent,
            )
        elif after.format and not before.format:
            declared = "format" in new.declared
            self.add(
                "field-format-added",
                pointer,
                f"strings now have format {after.format}",
                sent and declared,
            )
        elif (
            before.format
            and not after.format
            and ("format" in new.declared or self.observed)
        ):
            self.add(
                "field-format-removed",
                pointer,
                f"strings lost format {before.format}",
                sent,
            )
        return True

    def nullability(
        self,
        pointer: str,
        old: Side,
        new: Side,
        before: Shape,
        after: Shape,
        sent: bool,
    ) -> None:
        # Nullability is never declared: compare only what both samples showed.
        if old.observed is None or new.observed is None or not self.observed:
            return
        old_null = before.nullable or old.observed.get("nulls", 0) > 0
        new_null = after.nullable or new.observed.get("nulls", 0) > 0
        if new_null and not old_null:
            nulls = new.observed.get("nulls", 0)
            self.add(
                "field-became-nullable",
                pointer,
                f"null in {nulls} of {new.observed.get('present')} sampled values,"
                " none before",
                sent,
            )
        elif old_null and not new_null:
            self.add(
                "observed-nulls-not-seen", pointer, "no null sampled this time", sent
            )

    def presence(self, pointer: str, old: Side, new: Side, sent: bool) -> None:
        if old.always and not new.always and new.records and self.observed:
            present = new.observed.get("present", 0) if new.observed else 0
            self.add(
                "field-not-always-present",
                pointer,
                f"in {present} of {new.records} sampled records; all had it before",
                sent,
            )

    def writability(self, pointer: str, old: Side, new: Side) -> None:
        if not (old.parent_sent and new.parent_sent):
            return
        if not (old.read_only_known and new.read_only_known):
            return
        if not old.read_only and new.read_only:
            self.add(
                "field-became-read-only",
                pointer,
                "now read-only: a value sent is ignored",
                True,
            )
        elif old.read_only and not new.read_only:
            if new.must_send:
                self.add(
                    "write-required-added",
                    pointer,
                    "now writable and required on write",
                    True,
                )
            else:
                self.add("field-became-writable", pointer, "now writable", True)
        elif not new.read_only and _write_required_known(old, new):
            if new.must_send and not old.must_send:
                self.add("write-required-added", pointer, "now required on write", True)
            elif old.must_send and not new.must_send:
                self.add(
                    "write-required-removed",
                    pointer,
                    "no longer required on write",
                    True,
                )

    def limits(self, pointer: str, old: Side, new: Side, sent: bool) -> None:
        before, after = _limit("maxLength", old), _limit("maxLength", new)
        if before != after and "maxLength" in old.declared | new.declared:
            if after is not None and (before is None or after < before):
                self.add(
                    "max-length-lowered",
                    pointer,
                    f"maximum length {_bound(before)} becomes {after}",
                    sent,
                )
            else:
                self.add(
                    "max-length-raised",
                    pointer,
                    f"maximum length {before} becomes {_bound(after)}",
                    sent,
                )
        for key in (*LOWER_LIMITS, *UPPER_LIMITS):
            if key not in old.declared | new.declared:
                continue
            before, after = _limit(key, old), _limit(key, new)
            if before == after:
                continue
            narrower = after is not None and (
                before is None
                or (after > before if key in LOWER_LIMITS else after < before)
            )
            rule = "limits-narrowed" if narrower else "limits-widened"
            text = f"{LIMIT_NAMES[key]} {_bound(before)} becomes {_bound(after)}"
            self.add(rule, pointer, text, sent)

    def choices(
        self, pointer: str, old: dict[str, Any], new: dict[str, Any], sent: bool
    ) -> None:
        before, after = _enum(old), _enum(new)
        if before is None and after is None:
            return
        if before is None:
            self.add(
                "enum-added",
                pointer,
                f"values restricted to {_values(after or [])}",
                sent,
            )
            return
        if after is None:
            self.add(
                "enum-removed", pointer, "values no longer restricted to choices", sent
            )
            return
        gained = [value for value in after if value not in before]
        lost = [value for value in before if value not in after]
        if gained:
            self.add(
                "enum-value-added", pointer, f"choices gain {_values(gained)}", sent
            )
        if lost:
            self.add(
                "enum-value-removed", pointer, f"choices lose {_values(lost)}", sent
            )
        old_labels, new_labels = _labels(old), _labels(new)
        relabelled = [
            value
            for value in after
            if value in before
            and old_labels.get(_quote(value)) != new_labels.get(_quote(value))
        ]
        if relabelled:
            self.add(
                "choice-label-changed",
                pointer,
                f"labels of {_values(relabelled)} changed",
                sent,
            )

    def texts(
        self,
        pointer: str,
        old: dict[str, Any],
        new: dict[str, Any],
        rule: str,
        key: str,
        name: str,
        sent: bool | None = None,
    ) -> None:
        before, after = old.get(key), new.get(key)
        if before != after and (before is None or isinstance(before, str)):
            text = f"{name} {_short(before)} becomes {_short(after)}"
            self.add(rule, pointer, text, sent)

    def nested(
        self,
        pointer: str,
        old: Side,
        new: Side,
        before: Shape,
        after: Shape,
        depth: int,
    ) -> None:
        if before.nested is not None and after.nested is not None:
            self.object(
                pointer,
                before.nested,
                after.nested,
                (old.root, old.sent, _elements(old.schema)),
                (new.root, new.sent, _elements(new.schema)),
                depth + 1,
            )
            return
        for key in ("items", "additionalProperties"):
            old_item, new_item = old.schema.get(key), new.schema.get(key)
            if isinstance(old_item, dict) and isinstance(new_item, dict):
                self.element(f"{pointer}/{key}", old, new, old_item, new_item, depth)

    def element(
        self,
        pointer: str,
        old: Side,
        new: Side,
        old_item: dict[str, Any],
        new_item: dict[str, Any],
        depth: int,
    ) -> None:
        """An array's (or a map's) element: no presence or write facts of its own."""
        sides = []
        for parent, item in ((old, old_item), (new, new_item)):
            sides.append(
                Side(
                    item,
                    parent.root,
                    parent.sent,
                    True,
                    _elements(parent.schema),
                    parent.object_declared,
                )
            )
        old_side, new_side = sides
        sent = old.sent or new.sent
        before, after = shape(old_item, old.root), shape(new_item, new.root)
        same_type = self.types(pointer, old_side, new_side, before, after, sent)
        self.nullability(pointer, old_side, new_side, before, after, sent)
        if same_type:
            if old.declared and new.declared:
                self.choices(pointer, old_item, new_item, sent)
            self.nested(pointer, old_side, new_side, before, after, depth)


def _sides(
    schema: dict[str, Any],
    fields: dict[str, dict[str, Any]],
    ctx: tuple[dict[str, Any], bool, int],
) -> dict[str, Side]:
    root, parent_sent, records = ctx
    required = set(schema.get("required") or [])
    declares = _declares(schema)
    return {
        name: Side(prop, root, parent_sent, name in required, records, declares)
        for name, prop in fields.items()
    }


def _declares(schema: dict[str, Any]) -> bool:
    return any(_declared(prop) for prop in _properties(schema).values())


def _elements(schema: dict[str, Any]) -> int:
    """How many values of a nested object (or array element) were sampled."""
    for where in (
        schema,
        schema.get("items") if isinstance(schema.get("items"), dict) else None,
    ):
        if where is None:
            continue
        seen = _meta(where).get("observed")
        if isinstance(seen, dict):
            present, nulls = seen.get("present", 0), seen.get("nulls", 0)
            if isinstance(present, int) and isinstance(nulls, int):
                return max(present - nulls, 0)
    return 0


def _write_required_known(old: Side, new: Side) -> bool:
    return all(
        isinstance(_meta(side.schema).get("writeRequired"), bool) for side in (old, new)
    )


def _limit(key: str, side: Side) -> int | float | None:
    if key not in side.declared:
        return None
    value = side.schema.get(key, _meta(side.schema).get(key))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _bound(value: int | float | None) -> str:
    return "none" if value is None else str(value)


def _enum(schema: dict[str, Any]) -> list[Any] | None:
    if "enum" not in _declared(schema) or not isinstance(schema.get("enum"), list):
        return None
    return [value for value in schema["enum"] if value is not None]


def _labels(schema: dict[str, Any]) -> dict[str, Any]:
    choices = _meta(schema).get("choices")
    if not isinstance(choices, list):
        return {}
    return {
        _quote(choice.get("value")): choice.get("label")
        for choice in choices
        if isinstance(choice, dict)
    }


def _actions(actions: Any) -> set[str]:
    if not isinstance(actions, list):
        return set()
    return {str(action.get("name")) for action in actions if isinstance(action, dict)}


def _names(values: Iterable[Any]) -> str:
    return ", ".join(sorted(str(value) for value in values))


def _short(text: Any, limit: int = 60) -> str:
    if text is None:
        return "(none)"
    value = " ".join(str(text).split())
    return _quote(value if len(value) <= limit else value[: limit - 3] + "...")


def describe(schema: dict[str, Any], root: dict[str, Any]) -> str:
    """A field in a few words: ``string (at most 30 characters)``."""
    facts = shape(schema, root)
    meta = _meta(schema)
    text, details = facts.kind, []
    if facts.format == "decimal":
        text = "decimal string"
        for key, unit in (("maxDigits", "digits"), ("decimalPlaces", "places")):
            if isinstance(meta.get(key), int):
                details.append(f"{meta[key]} {unit}")
    if isinstance(schema.get("maxLength"), int):
        details.append(f"at most {schema['maxLength']} characters")
    for key, words in (("minimum", "at least"), ("maximum", "at most")):
        value = schema.get(key, meta.get(key))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            details.append(f"{words} {value}")
    if isinstance(schema.get("enum"), list):
        choices = [value for value in schema["enum"] if value is not None]
        details.append(f"one of {_values(choices)}")
    if details:
        text += f" ({', '.join(details)})"

    return f"{text} or null" if facts.nullable else text
