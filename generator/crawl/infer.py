"""Infer one endpoint's record schema from what the server declares and returns.

Two sources, merged field by field:

* *declared*: DRF's OPTIONS metadata (``actions.POST`` on the list URL,
  ``actions.PUT`` on a detail URL). It knows types, choices, limits, labels,
  read-only and write-required, but never nullability, and calls relations,
  method fields and JSON fields just ``field``.
* *observed*: the sampled records. They know nullability (when a null shows
  up), the real type of ``field`` entries, formats of strings, and the shape
  of read-only data, but nothing about writing.

Declared facts win where they exist, except where the records contradict them:
the server's responses are what partners decode. Every fact keeps its
provenance in ``x-acebind`` so drift detection can tell "changed" from "not
seen this time". Nothing of a record's values is kept, only its structure.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from generator.findings import Findings

JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"
MAX_DEPTH = 32
MAX_TEXT = 2000

# DRF's OPTIONS type strings (rest_framework.metadata.SimpleMetadata.label_lookup).
STRING_FORMATS = {
    "email": "email",
    "url": "uri",
    "date": "date",
    "datetime": "date-time",
    "time": "time",
    "duration": "duration",
    "decimal": "decimal",
    "file upload": "uri",
    "image upload": "uri",
}
SCALARS = {
    "boolean": "boolean",
    "string": "string",
    "regex": "string",
    "slug": "string",
    "integer": "integer",
    "float": "number",
    **dict.fromkeys(STRING_FORMATS, "string"),
}

# What a string value looks like, in the shapes DRF renders (ISO 8601 dates and
# times, Django's duration_string, str(uuid), decimals padded to their places).
PATTERNS = {
    "date-time": re.compile(
        r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$"
    ),
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "time": re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"),
    "duration": re.compile(r"^-?(\d+ )?\d{2}:\d{2}:\d{2}(\.\d{1,6})?$"),
    "uuid": re.compile(
        r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    ),
    "uri": re.compile(r"^https?://[^\s/]+\S*$"),
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    "decimal": re.compile(r"^-?\d+\.\d+$"),
    # Not a format of its own: lets a declared decimal with no places ("12") pass.
    "number-string": re.compile(r"^-?\d+(\.\d+)?$"),
}
# A FileField's or ImageField's max_length bounds the uploaded file's name;
# a response carries the file's URL, which may well be longer.
UPLOADS = {"file upload", "image upload"}
# A declared "string" is a CharField: its values may look like anything. Only
# a UUIDField is declared "string" too, so only that format is inferred there.
FORMATS_OF_PLAIN_STRINGS = {"uuid"}

# Integer bounds that only mirror a database column's size (Django derives
# min_value/max_value from the backend's integer ranges), not a business rule.
COLUMN_BOUNDS = {
    "maximum": {2**15 - 1, 2**16 - 1, 2**31 - 1, 2**32 - 1, 2**63 - 1, 2**64 - 1},
    "minimum": {-(2**15), -(2**31), -(2**63)},
}


@dataclass
class Observed:
    """What the samples showed of one field (or of an array's elements)."""

    present: int = 0
    nulls: int = 0
    kinds: set[str] = field(default_factory=set)
    formats: set[str] | None = None  # formats every string value so far matches
    places: set[int] = field(default_factory=set)
    items: Observed | None = None
    children: ObservedObject | None = None
    values: set[Any] = field(
        default_factory=set
    )  # scalars, to check choices; never written
    too_deep: bool = False

    def observe(self, value: Any, depth: int = 0) -> None:
        self.present += 1
        if value is None:
            self.nulls += 1
        elif isinstance(value, bool):
            self.kinds.add("boolean")
            self._remember(value)
        elif isinstance(value, int):
            self.kinds.add("integer")
            self._remember(value)
        elif isinstance(value, float):
            self.kinds.add("number")
        elif isinstance(value, str):
            self._observe_string(value)
        elif depth >= MAX_DEPTH:
            self.too_deep = True
        elif isinstance(value, list):
            self._observe_array(value, depth)
        elif isinstance(value, dict):
            self.kinds.add("object")
            self.children = self.children or ObservedObject()
            self.children.observe(value, depth + 1)

    def _remember(self, value: Any) -> None:
        if len(self.values) < 1000:
            self.values.add(value)

    def _observe_string(self, value: str) -> None:
        self.kinds.add("string")
        self._remember(value)
        if not value:
            return  # a blank (allow_blank) says nothing of the field's format
        matching = {name for name, pattern in PATTERNS.items() if pattern.match(value)}
        self.formats = matching if self.formats is None else self.formats & matching
        if "decimal" in matching:
            self.places.add(len(value) - value.index(".") - 1)

    def _observe_array(self, value: list[Any], depth: int) -> None:
        self.kinds.add("array")
        self.items = self.items or Observed()
        for element in value:
            self.items.observe(element, depth + 1)


@dataclass
class ObservedObject:
    """What the samples showed of an object: its fields in first-seen order."""

    records: int = 0
    fields: dict[str, Observed] = field(default_factory=dict)

    def observe(self, record: dict[str, Any], depth: int = 0) -> None:
        self.records += 1
        for name, value in record.items():
            self.fields.setdefault(name, Observed()).observe(value, depth)


def observe_records(records: list[Any]) -> ObservedObject:
    observed = ObservedObject()
    for record in records:
        if isinstance(record, dict):
            observed.observe(record)
    return observed


@dataclass
class Context:
    """One endpoint's inference: its findings and its nested definitions."""

    endpoint: str
    findings: Findings
    writable: bool | None  # the endpoint accepts writes; None when unknown
    defs: dict[str, dict[str, Any]] = field(default_factory=dict)
    probed: dict[str, dict[str, bool]] = field(default_factory=dict)  # by pointer

    def warn(self, code: str, message: str, pointer: str) -> None:
        self.findings.warn(code, message, endpoint=self.endpoint, field=pointer or None)

    def info(self, code: str, message: str, pointer: str) -> None:
        self.findings.info(code, message, endpoint=self.endpoint, field=pointer or None)

    def define(self, wanted: str, schema: dict[str, Any], pointer: str) -> str:
        """Register a nested object under a name derived from where it sits."""
        name, salt = wanted, pointer
        # A server may name an object after another one's hashed name: hash
        # again until the name is free (or holds this very schema).
        while name in self.defs and self.defs[name] != schema:
            name = f"{wanted}{_digest(salt, 6).upper()}"
            salt = name + pointer
        self.defs[name] = schema

        return name


def _digest(text: str, length: int) -> str:
    # Lone surrogates (a JSON "\ud800") are kept as sent, so hash them as such.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def pascal(name: str, fallback: str = "Field") -> str:
    """``SaleTransactionDetails`` from any wire name; ASCII letters and digits only."""
    parts = re.findall(r"[A-Za-z0-9]+", name)
    joined = "".join(part[:1].upper() + part[1:] for part in parts)
    if not joined:
        return fallback + _digest(name, 6).upper()
    if joined[0].isdigit():
        joined = fallback + joined
    return joined[:80]


def record_title(options: dict[str, Any] | None, endpoint: str) -> str:
    """DRF names a list view "<Model> List"; without OPTIONS, use the endpoint."""
    name = options.get("name") if isinstance(options, dict) else None
    if isinstance(name, str) and name.strip():
        cleaned = re.sub(r"\s+(List|Instance)$", "", name.strip())
        return pascal(cleaned, "Record")
    return pascal(endpoint.rsplit("/", 1)[-1], "Record")


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value[:MAX_TEXT]
    return None


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _pointer(parent: str, name: str) -> str:
    return f"{parent}/{name.replace('~', '~0').replace('/', '~1')}"


def object_schema(
    declared: dict[str, Any] | None,
    observed: ObservedObject | None,
    ctx: Context,
    pointer: str = "",
    depth: int = 0,
) -> dict[str, Any]:
    """The schema of an object from its declared children and observed fields."""
    declared = {
        name: info
        for name, info in (declared or {}).items()
        if isinstance(name, str) and isinstance(info, dict)
    }
    observed = observed or ObservedObject()
    names = list(declared) + [name for name in observed.fields if name not in declared]
    # Fields are worked out in sorted order, so that nested objects claim
    # their $defs names in an order the samples' order cannot change; the
    # properties keep the server's order.
    worked = {
        name: field_schema(
            declared.get(name),
            observed.fields.get(name),
            observed.records,
            ctx,
            _pointer(pointer, name),
            depth,
        )
        for name in sorted(names)
    }
    properties = {name: worked[name] for name in names}
    required = [
        name
        for name in names
        if (seen := observed.fields.get(name)) is not None
        and observed.records
        and seen.present == observed.records
    ]
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required

    return schema


def field_schema(
    declared: dict[str, Any] | None,
    observed: Observed | None,
    records: int,
    ctx: Context,
    pointer: str,
    depth: int = 0,
    *,
    element: bool = False,
) -> dict[str, Any]:
    """One field's schema: type, format, limits, choices, and provenance.

    ``element`` marks an array's item schema, which has no write facts or
    presence of its own.
    """
    meta: dict[str, Any] = {}
    facts: set[str] = set()
    unknown: set[str] = set()
    schema = _typed(declared, observed, ctx, pointer, depth, facts, unknown, meta)
    if declared is not None:
        _declared_facts(declared, schema, facts, meta, ctx, pointer, element)
        outside = choice_values_outside(schema, observed)
        if outside:
            ctx.warn(
                "choice-value-undeclared",
                f"records hold {len(outside)} value(s) the choices do not list",
                pointer,
            )
    elif not element:
        _undeclared_facts(ctx, pointer, unknown, schema)
    if observed is not None:
        _observed_places(schema, observed, meta)
        meta["observed"] = {
            "nulls": observed.nulls,
            "present": observed.present,
            "records": records,
        }
        if observed.nulls:
            _make_nullable(schema)
    elif records and not element:
        unknown.add("presence")
    if not element and not (observed is not None and observed.nulls):
        # DRF never declares allow_null, and no null in the samples proves
        # nothing: unknown until a probe or a published document says.
        unknown.add("nullable")
    probed = ctx.probed.get(pointer) if not element else None
    if probed:
        _probed_facts(schema, probed, facts, meta, unknown)
    if facts:
        meta["declared"] = sorted(facts)
    if unknown:
        meta["unknown"] = sorted(unknown)
    if meta:
        schema["x-acebind"] = meta

    return schema


def _typed(
    declared: dict[str, Any] | None,
    observed: Observed | None,
    ctx: Context,
    pointer: str,
    depth: int,
    facts: set[str],
    unknown: set[str],
    meta: dict[str, Any],
) -> dict[str, Any]:
    drf_type = declared.get("type") if declared is not None else None
    if declared is not None and not isinstance(drf_type, str):
        ctx.warn("options-type-invalid", "OPTIONS gave no usable type", pointer)
        drf_type = None
    if isinstance(drf_type, str):
        meta["drfType"] = drf_type[:60]
    if depth >= MAX_DEPTH or (observed is not None and observed.too_deep):
        ctx.warn("too-deep", f"nested deeper than {MAX_DEPTH} levels", pointer)
        unknown.add("type")
        return {}
    from_declared = _declared_type(declared, observed, ctx, pointer, depth, facts)
    if from_declared is not None:
        return _check_against_samples(from_declared, observed, ctx, pointer, facts)
    return _observed_type(observed, ctx, pointer, depth, unknown, declared)


def _declared_type(
    declared: dict[str, Any] | None,
    observed: Observed | None,
    ctx: Context,
    pointer: str,
    depth: int,
    facts: set[str],
) -> dict[str, Any] | None:
    if declared is None:
        return None
    drf_type = declared.get("type")
    child = declared.get("child")
    children = declared.get("children")
    if drf_type in SCALARS:
        facts.add("type")
        schema: dict[str, Any] = {"type": SCALARS[drf_type]}
        if drf_type in STRING_FORMATS:
            schema["format"] = STRING_FORMATS[drf_type]
            facts.add("format")
        return schema
    if drf_type == "choice":
        facts.add("type")
        return {}
    if drf_type == "multiple choice":
        facts.add("type")
        return {"type": "array", "items": {}}
    if isinstance(child, dict) and drf_type in ("list", "field", "nested object"):
        items = field_schema(
            child,
            observed.items if observed else None,
            observed.items.present if observed and observed.items else 0,
            ctx,
            pointer + "/items",
            depth + 1,
            element=True,
        )
        facts.add("type")
        if drf_type == "nested object":  # DictField: a map of values
            return {"type": "object", "additionalProperties": items}
        return {"type": "array", "items": items}
    if isinstance(children, dict) and drf_type == "nested object":
        facts.add("type")
        return _nested_ref(
            children, observed.children if observed else None, ctx, pointer, depth
        )
    return None


def _nested_ref(
    declared: dict[str, Any] | None,
    observed: ObservedObject | None,
    ctx: Context,
    pointer: str,
    depth: int,
) -> dict[str, Any]:
    name = pointer.rsplit("/", 1)[-1]
    if name == "items":  # an array's element: name it after the array
        name = pointer.rsplit("/", 2)[-2]
    schema = object_schema(declared, observed, ctx, pointer, depth + 1)
    ref = ctx.define(
        pascal(name.replace("~1", "/").replace("~0", "~")), schema, pointer
    )

    return {"$ref": f"#/$defs/{ref}"}


def _observed_type(
    observed: Observed | None,
    ctx: Context,
    pointer: str,
    depth: int,
    unknown: set[str],
    declared: dict[str, Any] | None,
) -> dict[str, Any]:
    kinds = set(observed.kinds) if observed else set()
    if kinds == {"integer", "number"}:
        kinds = {"number"}
    if len(kinds) != 1:
        unknown.add("type")
        reason = (
            "holds values of several types" if kinds else "held no value to learn from"
        )
        if declared is not None or kinds:
            ctx.warn("type-unknown", f"type unknown: the field {reason}", pointer)
        return {}
    assert observed is not None
    kind = kinds.pop()
    if kind == "object" and declared is not None:
        # OPTIONS says "field" for a JSONField or a method field; a nested
        # serializer would have been "nested object". Keys vary: no fixed shape.
        return {"type": "object"}
    if kind == "object":
        return _nested_ref(None, observed.children, ctx, pointer, depth)
    if kind == "array":
        items = (
            _observed_type(
                observed.items, ctx, pointer + "/items", depth + 1, set(), declared
            )
            if observed.items
            else {}
        )
        if observed.items is not None and observed.items.nulls:
            _make_nullable(items)
        return {"type": "array", "items": items}
    schema: dict[str, Any] = {"type": kind}
    if kind == "string":
        chosen = _observed_format(observed)
        # OPTIONS declares a DecimalField as "decimal", read-only or not; a
        # "field" holding "1.50" is a method or JSON value that only looks so.
        if chosen and not (chosen == "decimal" and declared is not None):
            schema["format"] = chosen
        if declared is not None and _time_or_duration(observed):
            # A TimeField is declared "time" in every DRF version, but a
            # DurationField was "field" before 3.15: a "field" holding
            # "01:30:00" may be either.
            schema.pop("format", None)
            unknown.add("format")
    return schema


def _time_or_duration(observed: Observed) -> bool:
    """Every value reads as a time of day and as a duration under a day."""
    return {"time", "duration"} <= (observed.formats or set())


def _observed_places(
    schema: dict[str, Any], observed: Observed, meta: dict[str, Any]
) -> None:
    """Decimal places the samples show, where OPTIONS did not declare them.

    DRF lists ``decimal_places`` only from 3.15, but DecimalField's
    to_representation quantizes every value to them, so strings that all
    carry the same number of places show it.
    """
    if schema.get("format") != "decimal" or "decimalPlaces" in meta:
        return
    every_decimal = observed.formats is not None and "decimal" in observed.formats
    if every_decimal and len(observed.places) == 1:
        meta["decimalPlaces"] = next(iter(observed.places))


def _observed_format(observed: Observed) -> str | None:
    formats = (observed.formats or set()) - {"number-string"}
    if {"time", "duration"} <= formats:
        formats = formats - {"duration"}  # "10:07:00": a time unless told otherwise
    if len(formats) == 1:
        return next(iter(formats))
    return None


def _check_against_samples(
    schema: dict[str, Any],
    observed: Observed | None,
    ctx: Context,
    pointer: str,
    facts: set[str],
) -> dict[str, Any]:
    """Declared type and format, corrected where the records contradict them."""
    if observed is None or not observed.kinds or "type" not in schema:
        return schema
    declared_kind = schema["type"]
    kinds = set(observed.kinds)
    if declared_kind == "number" and kinds <= {"integer", "number"}:
        return schema
    if kinds != {declared_kind}:
        seen = "/".join(sorted(kinds))
        if schema.get("format") == "decimal" and kinds <= {"integer", "number"}:
            schema["type"] = "number"  # COERCE_DECIMAL_TO_STRING = False
        else:
            ctx.warn(
                "declared-type-contradicted",
                f"OPTIONS says {declared_kind}, the records hold {seen}",
                pointer,
            )
            facts.discard("type")
            facts.discard("format")
            return _observed_type(observed, ctx, pointer, 0, set(), None)
    wanted = schema.get("format")
    accepted = {wanted, "number-string"} if wanted == "decimal" else {wanted}
    if wanted and schema["type"] == "string" and observed.formats is not None:
        if not accepted & observed.formats:
            ctx.warn(
                "declared-format-contradicted",
                f"OPTIONS says {wanted}, the records do not match it",
                pointer,
            )
            del schema["format"]
            facts.discard("format")
    elif not wanted and schema["type"] == "string":
        found = _observed_format(observed)
        if found in FORMATS_OF_PLAIN_STRINGS:
            schema["format"] = found
    return schema


def _declared_facts(
    declared: dict[str, Any],
    schema: dict[str, Any],
    facts: set[str],
    meta: dict[str, Any],
    ctx: Context,
    pointer: str,
    element: bool,
) -> None:
    read_only = declared.get("read_only") is True
    if read_only and not element:
        schema["readOnly"] = True
        facts.add("readOnly")
    elif not element:
        facts.add("readOnly")
    if isinstance(declared.get("required"), bool) and not element:
        meta["writeRequired"] = declared["required"] and not read_only
        facts.add("writeRequired")
    for source, target in (("label", "title"), ("help_text", "description")):
        text = _text(declared.get(source))
        if text is not None:
            schema[target] = text
            facts.add(target)
    _limits(declared, schema, facts, meta)
    _choices(declared, schema, facts, meta, ctx, pointer)


def _limits(
    declared: dict[str, Any],
    schema: dict[str, Any],
    facts: set[str],
    meta: dict[str, Any],
) -> None:
    kind = schema.get("type")
    if kind == "string" and declared.get("type") not in UPLOADS:
        for source, target in (
            ("min_length", "minLength"),
            ("max_length", "maxLength"),
        ):
            value = _number(declared.get(source))
            if isinstance(value, int) and value >= 0:
                schema[target] = value
                facts.add(target)
    numeric = kind in ("integer", "number") or schema.get("format") == "decimal"
    for source, target in (("min_value", "minimum"), ("max_value", "maximum")):
        value = _number(declared.get(source))
        if value is None or not numeric:
            continue
        if kind == "integer" and value in COLUMN_BOUNDS[target]:
            continue
        (meta if schema.get("format") == "decimal" else schema)[target] = value
        facts.add(target)
    for source, target in (
        ("max_digits", "maxDigits"),
        ("decimal_places", "decimalPlaces"),
    ):
        value = _number(declared.get(source))
        if isinstance(value, int) and value >= 0:
            meta[target] = value
            facts.add(target)


def _choices(
    declared: dict[str, Any],
    schema: dict[str, Any],
    facts: set[str],
    meta: dict[str, Any],
    ctx: Context,
    pointer: str,
) -> None:
    raw = declared.get("choices")
    if not isinstance(raw, list):
        return
    choices: list[dict[str, Any]] = []
    seen: set[tuple[str, Any]] = set()
    for choice in raw:
        if not isinstance(choice, dict):
            continue
        value = choice.get("value")
        identity = (type(value).__name__, value)
        if not isinstance(value, (str, int, float, bool)) or identity in seen:
            continue
        seen.add(identity)
        label = choice.get("display_name")
        choices.append({"label": _text(label) or str(value), "value": value})
    if len(choices) < len(raw):
        ctx.warn(
            "choices-cleaned", "OPTIONS choices had duplicates or odd values", pointer
        )
    if not choices:
        return
    target = schema["items"] if schema.get("type") == "array" else schema
    target["enum"] = [choice["value"] for choice in choices]
    kinds = {json_kind(choice["value"]) for choice in choices}
    if len(kinds) == 1:
        target["type"] = kinds.pop()
    meta["choices"] = choices
    facts.add("enum")


def json_kind(value: Any) -> str:
    """The JSON Schema type of a decoded JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _undeclared_facts(
    ctx: Context,
    pointer: str,
    unknown: set[str],
    schema: dict[str, Any],
) -> None:
    """A field OPTIONS does not list: only what the samples say."""
    if ctx.writable is True and pointer.count("/") == 1:
        # OPTIONS lists every serializer field of a writable endpoint, read-only
        # ones included; a field it omits comes from to_representation alone.
        schema["readOnly"] = True
        return
    if ctx.writable is False:
        return  # nothing is writable on this endpoint: write facts do not apply
    unknown.update({"readOnly", "writeRequired"})


def _make_nullable(schema: dict[str, Any]) -> None:
    if not schema or ("type" not in schema and "$ref" not in schema):
        return
    if "$ref" in schema:
        ref = schema.pop("$ref")
        schema["anyOf"] = [{"$ref": ref}, {"type": "null"}]
        return
    kind = schema["type"]
    kinds = kind if isinstance(kind, list) else [kind]
    if "null" not in kinds:
        schema["type"] = [*kinds, "null"]
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]


def choice_values_outside(
    schema: dict[str, Any], observed: Observed | None
) -> list[Any]:
    """Values the records hold that the declared choices do not know."""
    if observed is None or "enum" not in schema:
        return []
    known = schema["enum"]
    return sorted((value for value in observed.values if value not in known), key=repr)


def _probed_facts(
    schema: dict[str, Any],
    probed: dict[str, bool],
    facts: set[str],
    meta: dict[str, Any],
    unknown: set[str],
) -> None:
    """What the server's validation said (see :mod:`generator.crawl.probe`).

    DRF's answer to a probe is its own rule, so these count as declared.
    """
    if "nullable" in probed:
        if probed["nullable"]:
            _make_nullable(schema)
        facts.add("nullable")
        unknown.discard("nullable")
    if "allowBlank" in probed:
        meta["allowBlank"] = probed["allowBlank"]
        facts.add("allowBlank")
    meta["probed"] = sorted(probed)


def record_schema(
    endpoint: str,
    options: dict[str, Any] | None,
    declared: dict[str, Any] | None,
    records: list[Any],
    findings: Findings,
    writable: bool | None,
    sources: list[str],
    probed: dict[str, dict[str, bool]] | None = None,
) -> dict[str, Any]:
    """The JSON Schema 2020-12 document of one endpoint's record.

    ``probed`` holds validation-probe facts by top-level field name.
    """
    ctx = Context(endpoint, findings, writable)
    ctx.probed = {_pointer("", name): found for name, found in (probed or {}).items()}
    observed = observe_records(records)
    if records and observed.records < len(records):
        findings.warn(
            "records-not-objects",
            "some records are not JSON objects",
            endpoint=endpoint,
        )
    body = object_schema(declared, observed, ctx)
    schema: dict[str, Any] = {
        "$schema": JSON_SCHEMA,
        "title": record_title(options, endpoint),
        **body,
        "x-acebind": {
            "endpoint": endpoint,
            "records": observed.records,
            "sources": sorted(sources),
        },
    }
    # OPTIONS may answer any JSON at all; only an object describes the view.
    description = (
        _text(options.get("description")) if isinstance(options, dict) else None
    )
    if description:
        schema["description"] = description
    if ctx.defs:
        schema["$defs"] = dict(sorted(ctx.defs.items()))
    if not records:
        findings.info(
            "no-records",
            "no record to sample: nullability, presence and the type of"
            " fields OPTIONS does not type are unknown",
            endpoint=endpoint,
        )
    if not body["properties"]:
        # No OPTIONS fields and no records (a read-only, empty endpoint): the
        # record's shape is unknown, and the schema allows any object.
        schema["x-acebind"]["unknown"] = ["properties"]
        findings.warn(
            "no-fields",
            "nothing could be learned of the records' fields",
            endpoint=endpoint,
        )

    return schema


def settle_nullable(schema: dict[str, Any], nullable: bool) -> None:
    """Record that another source established the field's nullability."""
    if nullable:
        _make_nullable(schema)
    meta = schema.get("x-acebind")
    if not isinstance(meta, dict) or "nullable" not in meta.get("unknown", []):
        return
    unknown = [fact for fact in meta["unknown"] if fact != "nullable"]
    if unknown:
        meta["unknown"] = unknown
    else:
        del meta["unknown"]


def unknown_nullability_count(schema: dict[str, Any]) -> int:
    """How many fields of a record schema (nested ones too) have unknown nullability."""
    objects = [schema, *(schema.get("$defs") or {}).values()]
    return sum(
        1
        for holder in objects
        if isinstance(holder, dict)
        for field in (holder.get("properties") or {}).values()
        if isinstance(field, dict)
        and "nullable" in (field.get("x-acebind") or {}).get("unknown", [])
    )
