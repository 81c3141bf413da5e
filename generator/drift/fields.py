"""Changes of an endpoint's record schema, field by field, nested ones too.

A field's *direction* decides between a rule's two levels: every field is
received (the schema describes responses); a field is also *sent* when its
endpoint takes writes and the field is not read-only (an unknown read-only
counts as sent: the stricter verdict). Old and new are both consulted, so a
field that stopped being writable is judged as the writable field it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator.drift.entries import writable
from generator.drift.recorder import Recorder, escape

MAX_DEPTH = 32
LOWER_LIMITS = ("minLength", "minimum")
UPPER_LIMITS = ("maximum", "maxDigits", "decimalPlaces")
LIMIT_NAMES = {
    "minLength": "minimum length",
    "minimum": "minimum",
    "maximum": "maximum",
    "maxDigits": "digits",
    "decimalPlaces": "decimal places",
}
TEXTS = {  # (keyword, of the record itself) -> (rule, what people call it)
    ("title", False): ("label-changed", "label"),
    ("title", True): ("record-title-changed", "record name"),
    ("description", False): ("description-changed", "help text"),
    ("description", True): ("description-changed", "description"),
}
# Sources whose facts a later crawl may lack without anything having changed.
OPTIONAL_SOURCES = {
    "probe": ("probed", "not probed this time: probed facts are not compared"),
    "published": (
        "published",
        "no published schema this time: the facts it gave are not compared",
    ),
}


def meta(schema: dict[str, Any]) -> dict[str, Any]:
    found = schema.get("x-acebind")
    return found if isinstance(found, dict) else {}


def strings(value: Any) -> set[str]:
    if not isinstance(value, list):
        return set()
    return {item for item in value if isinstance(item, str)}


def properties(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = schema.get("properties")
    if not isinstance(found, dict):
        return {}
    return {name: prop for name, prop in found.items() if isinstance(prop, dict)}


def declares(schema: dict[str, Any]) -> bool:
    """Some field of the object has declared facts: OPTIONS described it."""
    return any(strings(meta(p).get("declared")) for p in properties(schema).values())


@dataclass(frozen=True)
class Shape:
    """What a field's schema says of its values."""

    kinds: frozenset[str]  # JSON types but null; empty: any value (or an enum)
    nullable: bool
    format: str | None
    nested: dict[str, Any] | None  # the object schema a $ref leads to
    typed: bool  # the type is established

    @property
    def kind(self) -> str:
        if self.kinds == {"object"}:
            return (
                "object of fixed fields" if self.nested is not None else "JSON object"
            )
        text = "/".join(sorted(self.kinds)) or "any value"
        return f"{text} ({self.format})" if self.format else text


def shape(schema: dict[str, Any], root: dict[str, Any]) -> Shape:
    nullable, core = False, schema
    if isinstance(schema.get("anyOf"), list):  # a nullable nested object
        branches = [b for b in schema["anyOf"] if isinstance(b, dict)]
        nullable = any(b.get("type") == "null" for b in branches)
        others = [b for b in branches if b.get("type") != "null"]
        core = others[0] if len(others) == 1 else {}
    typed = "type" not in strings(meta(schema).get("unknown"))
    if isinstance(core.get("$ref"), str):
        nested = _definition(core["$ref"], root)
        return Shape(frozenset({"object"}), nullable, None, nested, typed)
    kind = core.get("type")
    listed = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    kinds = frozenset(k for k in listed if isinstance(k, str) and k != "null")
    typed = typed and bool(kinds or "enum" in core)
    fmt = core.get("format") if isinstance(core.get("format"), str) else None
    return Shape(kinds, nullable or "null" in listed, fmt, None, typed)


def _definition(ref: str, root: dict[str, Any]) -> dict[str, Any]:
    prefix, defs = "#/$defs/", root.get("$defs")
    if not ref.startswith(prefix) or not isinstance(defs, dict):
        return {}
    found = defs.get(ref[len(prefix) :].replace("~1", "/").replace("~0", "~"))
    return found if isinstance(found, dict) else {}


@dataclass(frozen=True)
class Side:
    """One version of a field and what surrounds it."""

    schema: dict[str, Any]
    root: dict[str, Any]  # the endpoint's record schema, for $defs
    parent_sent: bool  # partners send the object this field belongs to
    always: bool  # every sampled parent carried it (the parent's ``required``)
    records: int  # parent objects sampled
    object_declared: bool  # OPTIONS described some field of the same object
    # An array's element: its choices are declared on the array field.
    holder: dict[str, Any] | None = None

    @property
    def declared(self) -> set[str]:
        return strings(meta(self.schema).get("declared"))

    @property
    def read_only(self) -> bool:
        return self.schema.get("readOnly") is True

    @property
    def read_only_known(self) -> bool:
        # A writable endpoint's OPTIONS lists every serializer field; one it
        # leaves out is read-only. That holds only where it lists some.
        unknown = strings(meta(self.schema).get("unknown"))
        return self.object_declared and "readOnly" not in unknown

    @property
    def sent(self) -> bool:
        return self.parent_sent and not self.read_only

    @property
    def must_send(self) -> bool:
        return self.sent and meta(self.schema).get("writeRequired") is True

    @property
    def observed(self) -> dict[str, int] | None:
        """The sampled counts, when the samples held the field at all."""
        seen = meta(self.schema).get("observed")
        if not isinstance(seen, dict):
            return None
        counts = {k: v for k, v in seen.items() if isinstance(v, int)}
        return counts if counts.get("present", 0) > 0 else None

    @property
    def nulls(self) -> int:
        return self.observed.get("nulls", 0) if self.observed else 0

    def limit(self, key: str) -> int | float | None:
        """A declared limit; decimals keep theirs in ``x-acebind``."""
        if key not in self.declared:
            return None
        value = self.schema.get(key, meta(self.schema).get(key))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return value

    def element(self, schema: dict[str, Any]) -> Side:
        """An array's (or a map's) element: no presence or write facts of its own."""
        records = sampled(self.schema)
        return Side(
            schema,
            self.root,
            self.sent,
            True,
            records,
            self.object_declared,
            self.schema,
        )


def sampled(schema: dict[str, Any]) -> int:
    """How many values of a nested object or array element were sampled."""
    for where in (schema, schema.get("items")):
        seen = meta(where).get("observed") if isinstance(where, dict) else None
        if isinstance(seen, dict):
            present, nulls = seen.get("present", 0), seen.get("nulls", 0)
            if isinstance(present, int) and isinstance(nulls, int):
                return max(present - nulls, 0)
    return 0


def sides(
    schema: dict[str, Any], root: dict[str, Any], parent_sent: bool, records: int
) -> dict[str, Side]:
    required = set(schema.get("required") or [])
    declared = declares(schema)
    return {
        name: Side(prop, root, parent_sent, name in required, records, declared)
        for name, prop in properties(schema).items()
    }


def compare_records(
    old_entry: dict[str, Any],
    new_entry: dict[str, Any],
    old: dict[str, Any],
    new: dict[str, Any],
    out: Recorder,
) -> None:
    old_records = meta(old).get("records") or 0
    new_records = meta(new).get("records") or 0
    observed = bool(new_records) or not old_records
    if not observed:
        out.note("records-not-seen", "no record sampled this time")
    if declares(old) and not declares(new):
        out.note("declarations-not-seen", "OPTIONS declared no field this time")
    lost = set(old_entry.get("sources") or []) - set(new_entry.get("sources") or [])
    lost &= set(OPTIONAL_SOURCES)
    for source in sorted(lost):
        out.note(f"{source}-not-seen", OPTIONAL_SOURCES[source][1])
    comparison = RecordComparison(out, observed, frozenset(lost))
    comparison.text("", old, new, "title", None)
    comparison.text("", old, new, "description", None)
    comparison.object(
        "",
        sides(old, old, writable(old_entry), old_records),
        sides(new, new, writable(new_entry), new_records),
        declares(new),
        new_records,
        0,
    )


@dataclass(frozen=True)
class RecordComparison:
    out: Recorder
    observed: bool  # the new crawl sampled records: observed facts compare
    lost_sources: frozenset[str]

    def object(
        self,
        pointer: str,
        old: dict[str, Side],
        new: dict[str, Side],
        still_declared: bool,
        records: int,
        depth: int,
    ) -> None:
        if depth > MAX_DEPTH:
            return
        for name in [*old, *(name for name in new if name not in old)]:
            here = f"{pointer}/properties/{escape(name)}"
            if name not in new:
                self.gone(here, old[name], still_declared, records)
            elif name not in old:
                self.added(here, new[name])
            else:
                self.field(here, old[name], new[name], depth)

    def gone(self, pointer: str, old: Side, still_declared: bool, records: int) -> None:
        was = describe(old.schema, old.root)
        if old.declared and still_declared:
            self.out.field(
                "field-removed", pointer, f"no longer declared; was {was}", old.sent
            )
        elif records and self.observed:
            text = f"absent from the sampled records; was {was}"
            self.out.field("field-not-seen", pointer, text, old.sent)

    def added(self, pointer: str, new: Side) -> None:
        text = describe(new.schema, new.root)
        if new.must_send and "writeRequired" in new.declared:
            text = f"new field, required on write: {text}"
            self.out.field("required-field-added", pointer, text, True)
        else:
            self.out.field("field-added", pointer, f"new field: {text}", new.sent)

    def field(self, pointer: str, old: Side, new: Side, depth: int) -> None:
        sent = old.sent or new.sent
        before, after = shape(old.schema, old.root), shape(new.schema, new.root)
        same_type = self.types(pointer, old, new, before, after, sent)
        self.nullability(pointer, old, new, before, after, sent)
        self.presence(pointer, old, new, sent)
        self.writability(pointer, old, new)
        self.blanks(pointer, old, new, sent)
        if old.declared and new.declared:
            if same_type:
                self.limits(pointer, old, new, sent)
                self.choices(pointer, old, new, sent)
            self.text(pointer, old.schema, new.schema, "title", sent)
            self.text(pointer, old.schema, new.schema, "description", sent)
        if same_type:
            self.nested(pointer, old, new, before, after, depth)

    def element(self, pointer: str, old: Side, new: Side, depth: int) -> None:
        sent = old.sent or new.sent
        before, after = shape(old.schema, old.root), shape(new.schema, new.root)
        same_type = self.types(pointer, old, new, before, after, sent)
        self.nullability(pointer, old, new, before, after, sent)
        if same_type:
            self.choices(pointer, old, new, sent)
            self.nested(pointer, old, new, before, after, depth)

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
                sides(before.nested, old.root, old.sent, sampled(old.schema)),
                sides(after.nested, new.root, new.sent, sampled(new.schema)),
                declares(after.nested),
                sampled(new.schema),
                depth + 1,
            )
            return
        for key in ("items", "additionalProperties"):
            old_item, new_item = old.schema.get(key), new.schema.get(key)
            if isinstance(old_item, dict) and isinstance(new_item, dict):
                here = f"{pointer}/{key}"
                self.element(here, old.element(old_item), new.element(new_item), depth)

    def types(
        self,
        pointer: str,
        old: Side,
        new: Side,
        before: Shape,
        after: Shape,
        sent: bool,
    ) -> bool:
        """Type and format; True when the values are still of one type."""
        if not before.typed or not after.typed:
            if before.typed and self.observed:
                text = f"was {before.kind}, unknown this time"
                self.out.field("field-type-unknown", pointer, text, sent)
            elif after.typed and not before.typed:
                self.out.field("field-type-learned", pointer, f"now {after.kind}", sent)
            return False
        regrouped = before.kinds == {"object"} and (before.nested is None) != (
            after.nested is None
        )
        if before.kinds != after.kinds or regrouped:
            was, now = describe(old.schema, old.root), describe(new.schema, new.root)
            text = f"{was} becomes {now}"
            self.out.field("field-type-changed", pointer, text, sent)
            return False
        self.formats(pointer, new, before.format, after.format, sent)
        return True

    def formats(
        self, pointer: str, new: Side, before: str | None, after: str | None, sent: bool
    ) -> None:
        if before == after:
            return
        if before and "format" in strings(meta(new.schema).get("unknown")):
            if self.observed:
                text = f"format {before} unknown this time"
                self.out.field("field-type-unknown", pointer, text, sent)
        elif before and after:
            text = f"format {before} becomes {after}"
            self.out.field("field-format-changed", pointer, text, sent)
        elif after:
            # Only a declared format says what the server accepts.
            text = f"strings now have format {after}"
            declared = "format" in new.declared
            self.out.field("field-format-added", pointer, text, sent and declared)
        elif "format" in new.declared or self.observed:
            self.out.field(
                "field-format-removed", pointer, f"format {before} lost", sent
            )

    def nullability(
        self,
        pointer: str,
        old: Side,
        new: Side,
        before: Shape,
        after: Shape,
        sent: bool,
    ) -> None:
        """Samples show nulls; only probes and published documents declare them."""
        old_said, new_said = self.says_nullable(old), "nullable" in new.declared
        new_seen = new.observed is not None and self.observed
        if not (old_said or old.observed) or not (new_said or new_seen):
            return
        old_null = old.nulls > 0 or (old_said and before.nullable)
        new_null = new.nulls > 0 or (new_said and after.nullable)
        if new_null and not old_null:
            text = "declared nullable now, not before"
            if new.observed and new.nulls:
                present = new.observed.get("present", 0)
                text = f"null in {new.nulls} of {present} sampled values, none before"
            self.out.field("field-became-nullable", pointer, text, sent)
        elif old_null and not new_null:
            if new_said:
                rule, text = "field-no-longer-nullable", "null is refused now"
            elif old_said:
                rule, text = "nullable-not-declared", "nullable, not declared this time"
            else:
                rule, text = "observed-nulls-not-seen", "no null sampled this time"
            self.out.field(rule, pointer, text, sent)

    def says_nullable(self, side: Side) -> bool:
        """The old side declared nullability through a source this crawl had."""
        if "nullable" not in side.declared:
            return False
        facts = meta(side.schema)
        via = {
            source
            for source, (key, _) in OPTIONAL_SOURCES.items()
            if "nullable" in strings(facts.get(key))
        }
        return not via & self.lost_sources

    def presence(self, pointer: str, old: Side, new: Side, sent: bool) -> None:
        if old.always and not new.always and new.records and self.observed:
            present = new.observed.get("present", 0) if new.observed else 0
            text = f"in {present} of {new.records} sampled records; all had it before"
            self.out.field("field-not-always-present", pointer, text, sent)

    def writability(self, pointer: str, old: Side, new: Side) -> None:
        if not (old.parent_sent and new.parent_sent):
            return  # the endpoint's methods tell
        if not (old.read_only_known and new.read_only_known):
            return
        if not old.read_only and new.read_only:
            text = "now read-only: a value sent is ignored"
            self.out.field("field-became-read-only", pointer, text, True)
        elif old.read_only and not new.read_only:
            if new.must_send:
                text = "now writable, and required on write"
                self.out.field("write-required-added", pointer, text, True)
            else:
                self.out.field("field-became-writable", pointer, "now writable", True)
        elif not new.read_only and _write_required_known(old, new):
            if new.must_send and not old.must_send:
                text = "now required on write"
                self.out.field("write-required-added", pointer, text, True)
            elif old.must_send and not new.must_send:
                text = "no longer required on write"
                self.out.field("write-required-removed", pointer, text, True)

    def blanks(self, pointer: str, old: Side, new: Side, sent: bool) -> None:
        """Blank strings: only validation probes tell, and only of requests."""
        if "allowBlank" not in old.declared or "allowBlank" not in new.declared:
            return
        before = meta(old.schema).get("allowBlank")
        after = meta(new.schema).get("allowBlank")
        if before is True and after is False:
            text = "blank strings are refused now"
            self.out.field("blank-no-longer-allowed", pointer, text, sent)
        elif before is False and after is True:
            text = "blank strings are accepted now"
            self.out.field("blank-allowed", pointer, text, sent)

    def limits(self, pointer: str, old: Side, new: Side, sent: bool) -> None:
        before, after = old.limit("maxLength"), new.limit("maxLength")
        if before != after and "maxLength" in old.declared | new.declared:
            text = f"maximum length {_bound(before)} becomes {_bound(after)}"
            lowered = after is not None and (before is None or after < before)
            rule = "max-length-lowered" if lowered else "max-length-raised"
            self.out.field(rule, pointer, text, sent)
        for key in (*LOWER_LIMITS, *UPPER_LIMITS):
            before, after = old.limit(key), new.limit(key)
            if before == after or key not in old.declared | new.declared:
                continue
            narrower = after is not None and (
                before is None
                or (after > before if key in LOWER_LIMITS else after < before)
            )
            rule = "limits-narrowed" if narrower else "limits-widened"
            text = f"{LIMIT_NAMES[key]} {_bound(before)} becomes {_bound(after)}"
            self.out.field(rule, pointer, text, sent)

    def choices(self, pointer: str, old: Side, new: Side, sent: bool) -> None:
        before, after = _enum(old), _enum(new)
        if before is None or after is None:
            if after is not None:
                text = f"values restricted to {values(after)}"
                self.out.field("enum-added", pointer, text, sent)
            elif before is not None:
                text = "values no longer restricted to choices"
                self.out.field("enum-removed", pointer, text, sent)
            return
        gained = [value for value in after if value not in before]
        lost = [value for value in before if value not in after]
        if gained:
            self.out.field(
                "enum-value-added", pointer, f"choices gain {values(gained)}", sent
            )
        if lost:
            self.out.field(
                "enum-value-removed", pointer, f"choices lose {values(lost)}", sent
            )
        old_labels, new_labels = _labels(old), _labels(new)
        relabelled = [
            value
            for value in after
            if value in before
            and old_labels.get(quote(value)) != new_labels.get(quote(value))
        ]
        if relabelled:
            text = f"labels of {values(relabelled)} changed"
            self.out.field("choice-label-changed", pointer, text, sent)

    def text(
        self,
        pointer: str,
        old: dict[str, Any],
        new: dict[str, Any],
        key: str,
        sent: bool | None,
    ) -> None:
        """A label or help text; ``sent`` is None for the record's own."""
        before, after = old.get(key), new.get(key)
        if before == after:
            return
        rule, name = TEXTS[key, sent is None]
        message = f"{name} {_short(before)} becomes {_short(after)}"
        if sent is None:
            self.out.note(rule, message)
        else:
            self.out.field(rule, pointer, message, sent)


def _write_required_known(old: Side, new: Side) -> bool:
    return all(
        isinstance(meta(s.schema).get("writeRequired"), bool) for s in (old, new)
    )


def _enum(side: Side) -> list[Any] | None:
    holder = side.holder if side.holder is not None else side.schema
    if "enum" not in strings(meta(holder).get("declared")):
        return None
    found = side.schema.get("enum")
    return [v for v in found if v is not None] if isinstance(found, list) else None


def _labels(side: Side) -> dict[str, Any]:
    holder = side.holder if side.holder is not None else side.schema
    choices = meta(holder).get("choices")
    if not isinstance(choices, list):
        return {}
    return {
        quote(choice.get("value")): choice.get("label")
        for choice in choices
        if isinstance(choice, dict)
    }


def _bound(value: int | float | None) -> str:
    return "none" if value is None else str(value)


def _short(text: Any, limit: int = 60) -> str:
    if text is None:
        return "(none)"
    value = " ".join(str(text).split())
    return quote(value if len(value) <= limit else value[: limit - 3] + "...")


def quote(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else json.dumps(value)


def values(found: Iterable[Any]) -> str:
    return ", ".join(quote(value) for value in found)


def describe(schema: dict[str, Any], root: dict[str, Any]) -> str:
    """A field in a few words: ``string (at most 30 characters)``."""
    facts, extra = shape(schema, root), meta(schema)
    text, details = facts.kind, []
    if facts.format == "decimal":
        text = "decimal string"
        for key, unit in (("maxDigits", "digits"), ("decimalPlaces", "places")):
            if isinstance(extra.get(key), int):
                details.append(f"{extra[key]} {unit}")
    if isinstance(schema.get("maxLength"), int):
        details.append(f"at most {schema['maxLength']} characters")
    for key, words in (("minimum", "at least"), ("maximum", "at most")):
        value = schema.get(key, extra.get(key))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            details.append(f"{words} {value}")
    if isinstance(schema.get("enum"), list):
        details.append(f"one of {values(v for v in schema['enum'] if v is not None)}")
    if details:
        text += f" ({', '.join(details)})"

    return f"{text} or null" if facts.nullable else text
