"""A synthetic but realistic schema tree: many endpoints, many fields each.

The tree is built as a crawl would report it (index entries and record
schemas with ``x-acebind`` provenance, in the format of schemas/README.md)
and written by acebind's own tree writer, so ``index.json``, the endpoint
schemas and ``openapi.json`` are exactly what ``acebind crawl`` writes.
Field kinds vary the way a StoresAce environment's do: bounded strings,
integers, decimals, dates, date-times, times, UUIDs, e-mails, choices,
booleans, nullable columns, keys to other resources, JSON objects, arrays of
scalars, and nested objects (single or arrays of lines).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.crawl.crawler import CrawlResult, EndpointResult
from generator.findings import Findings
from generator.schema.tree import tree_files, write_tree

PREFIXES = (
    "stock", "sales", "purchase", "customer", "supplier", "store", "item",
    "price", "loyalty", "till", "warehouse", "promo", "payment", "delivery",
    "invoice", "return", "gift", "budget", "shift", "audit",
)  # fmt: skip
NOUNS = (
    "orders", "lines", "counts", "transfers", "adjustments", "notes",
    "schedules", "rules", "batches", "events",
)  # fmt: skip
WORDS = (
    "Store", "Item", "Family", "Unit", "Order", "Line", "Net", "Gross", "Tax",
    "Discount", "Customer", "Supplier", "Due", "Start", "End", "Created",
    "Changed", "Reference", "External", "Document", "Quantity", "Amount",
    "Price", "Cost", "Weight", "Volume", "Code", "Name", "Description", "Note",
    "Region", "Zone", "Batch", "Shift", "Channel", "Origin", "Target",
)  # fmt: skip
RECORDS = 60  # records a crawl would have sampled per endpoint
FieldMaker = Callable[[random.Random, str], dict[str, Any]]


def provenance(
    schema: dict[str, Any], drf_type: str, write_required: bool, nulls: int = 0
) -> dict[str, Any]:
    """``schema`` with the ``x-acebind`` facts a crawl adds from OPTIONS and samples."""
    declared = {"readOnly", "title", "writeRequired"}
    declared |= {k for k in ("maxLength", "minimum", "maximum", "enum") if k in schema}
    if drf_type != "field":
        declared.add("type")
    if drf_type in ("date", "datetime", "decimal", "email", "time", "uuid"):
        declared.add("format")
    facts: dict[str, Any] = {
        "declared": sorted(declared),
        "drfType": drf_type,
        "observed": {"nulls": nulls, "present": RECORDS, "records": RECORDS},
        "writeRequired": write_required,
    }
    if drf_type == "decimal":
        facts["declared"] = sorted({*declared, "decimalPlaces", "maxDigits"})
        facts["decimalPlaces"] = schema.pop("x-places")
        facts["maxDigits"] = schema.pop("x-digits")
    return {**schema, "x-acebind": facts}


def nullable(kind: str, rng: random.Random) -> str | list[str]:
    return [kind, "null"] if rng.random() < 0.3 else kind


def nulls_of(schema: dict[str, Any], rng: random.Random) -> int:
    return rng.randint(1, RECORDS // 3) if "null" in schema["type"] else 0


def text_field(rng: random.Random, name: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"maxLength": rng.choice((10, 20, 30, 40, 80, 120, 200))}
    schema |= {"title": name, "type": nullable("string", rng)}
    return provenance(schema, "string", rng.random() < 0.5, nulls_of(schema, rng))


def integer_field(rng: random.Random, name: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": name, "type": nullable("integer", rng)}
    if rng.random() < 0.4:
        schema["minimum"] = rng.choice((0, 1))
    return provenance(schema, "integer", rng.random() < 0.5, nulls_of(schema, rng))


def decimal_field(rng: random.Random, name: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"format": "decimal", "title": name}
    schema |= {"type": nullable("string", rng)}
    schema |= {"x-places": rng.choice((2, 3, 4, 6)), "x-digits": rng.choice((9, 12))}
    return provenance(schema, "decimal", rng.random() < 0.5, nulls_of(schema, rng))


def formatted(fmt: str, drf_type: str) -> FieldMaker:
    def make(rng: random.Random, name: str) -> dict[str, Any]:
        schema = {"format": fmt, "title": name, "type": nullable("string", rng)}
        return provenance(schema, drf_type, rng.random() < 0.5, nulls_of(schema, rng))

    return make


def choice_field(rng: random.Random, name: str) -> dict[str, Any]:
    values = rng.sample(("A", "B", "C", "N", "open", "closed", "draft", "sent"), 4)
    schema = {"enum": values, "title": name, "type": "string"}
    labels = [
        {"label": f"{value.capitalize()} state", "value": value} for value in values
    ]
    made = provenance(schema, "choice", rng.random() < 0.5)
    made["x-acebind"]["choices"] = labels
    return made


def boolean_field(rng: random.Random, name: str) -> dict[str, Any]:
    return provenance({"title": name, "type": "boolean"}, "boolean", False)


def key_field(rng: random.Random, name: str) -> dict[str, Any]:
    """A relation: OPTIONS says ``field``, the samples show integers."""
    schema = {"title": name, "type": nullable("integer", rng)}
    return provenance(schema, "field", rng.random() < 0.7, nulls_of(schema, rng))


def json_field(rng: random.Random, name: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"description": "Free-form attributes.", "title": name}
    schema |= {"type": nullable("object", rng)}
    return provenance(schema, "field", False, nulls_of(schema, rng))


def read_only_field(rng: random.Random, name: str) -> dict[str, Any]:
    schema = {"readOnly": True, "title": name, "type": "string"}
    return provenance(schema, "field", False)


def strings_field(rng: random.Random, name: str) -> dict[str, Any]:
    item = {"maxLength": 14, "type": "string"}
    item["x-acebind"] = {
        "declared": ["maxLength", "type"],
        "drfType": "string",
        "observed": {"nulls": 0, "present": RECORDS * 2, "records": RECORDS * 2},
    }
    schema = {"items": item, "title": name.capitalize(), "type": "array"}
    return provenance(schema, "field", False)


def integers_field(rng: random.Random, name: str) -> dict[str, Any]:
    schema = {"items": {"type": "integer"}, "title": name, "type": "array"}
    return provenance(schema, "field", False)


MAKERS: tuple[FieldMaker, ...] = (
    text_field,
    integer_field,
    decimal_field,
    formatted("date", "date"),
    formatted("date-time", "datetime"),
    choice_field,
    boolean_field,
    key_field,
    formatted("time", "time"),
    formatted("uuid", "uuid"),
    formatted("email", "email"),
    json_field,
    read_only_field,
    strings_field,
    integers_field,
)


def field_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(WORDS) + rng.choice(WORDS)
        if name not in names and name[: len(name) // 2] != name[len(name) // 2 :]:
            names.append(name)
    return names


def nested(rng: random.Random, name: str, fields: int) -> dict[str, Any]:
    """An object schema for ``$defs``: a document line or an embedded record."""
    properties = {
        wire: rng.choice(MAKERS[:8])(rng, wire) for wire in field_names(rng, fields)
    }
    return {"properties": properties, "required": list(properties), "type": "object"}


def nested_field(
    rng: random.Random, name: str, defs: dict[str, Any], lines: bool
) -> dict[str, Any]:
    defs[name] = nested(rng, name, rng.randint(3, 6))
    ref = {"$ref": f"#/$defs/{name}"}
    if lines:
        items = provenance(ref, "nested object", True)
        items["x-acebind"] = {
            "declared": ["type"],
            "drfType": "nested object",
            "observed": {"nulls": 0, "present": RECORDS * 3, "records": RECORDS * 3},
        }
        schema = {"items": items, "title": name.capitalize(), "type": "array"}
        return provenance(schema, "field", True)
    return provenance({**ref, "readOnly": True, "title": name}, "nested object", False)


def record_schema(
    rng: random.Random, endpoint: str, title: str, fields: int
) -> dict[str, Any]:
    """One record of ``fields`` top-level fields: a key first, a counter last."""
    stem, embedded, *others = field_names(rng, fields - 2)
    key = f"{title}Id"
    defs: dict[str, Any] = {}
    properties = {key: provenance({"title": key, "type": "integer"}, "integer", True)}
    extra = max(0, len(others) - len(MAKERS))
    makers = [*MAKERS[: len(others)], *(rng.choice(MAKERS) for _ in range(extra))]
    rng.shuffle(makers)
    for wire, make in zip(others, makers, strict=True):
        properties[wire] = make(rng, wire)
    properties[f"{stem}Lines"] = nested_field(rng, f"{stem}Lines", defs, lines=True)
    properties[embedded] = nested_field(rng, embedded, defs, lines=False)
    properties["SyncCounter"] = provenance(
        {"readOnly": True, "title": "Synccounter", "type": "integer"}, "integer", False
    )
    return {
        "$defs": defs,
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "description": f"Records of {endpoint}.",
        "properties": properties,
        "required": always_present(rng, properties, keep=(key, "SyncCounter")),
        "title": title,
        "type": "object",
        "x-acebind": {"endpoint": endpoint, "records": RECORDS, "sources": SOURCES},
    }


def always_present(
    rng: random.Random, properties: dict[str, Any], keep: tuple[str, ...]
) -> list[str]:
    """Fields every sampled record carried; one in ten was sometimes absent."""
    required = []
    for wire, schema in properties.items():
        if wire in keep or rng.random() >= 0.1:
            required.append(wire)
            continue
        observed = schema["x-acebind"]["observed"]
        observed["present"] = rng.randint(RECORDS // 2, RECORDS - 1)
        observed["nulls"] = min(observed["nulls"], observed["present"])
    return required


SOURCES = ["html", "options", "options-detail", "samples"]


def index_entry(rng: random.Random, name: str, key: str) -> dict[str, Any]:
    writable = rng.random() < 0.75
    read = ["GET", "HEAD", "OPTIONS"]
    default = rng.choice((20, 50, 100))
    return {
        "actions": [],
        "detail": {
            "key": key,
            "methods": sorted([*read, "PATCH", "PUT"] if writable else read),
            "path": f"{name}/{{{key}}}/",
        },
        "filters": {"store": rng.random() < 0.5, "synccounter": True},
        "kind": "list",
        "methods": sorted([*read, "POST"] if writable else read),
        "name": name,
        "pagination": {
            "pageParam": "page",
            "pageSize": {
                "default": default,
                "max": default * 10,
                "min": 1,
                "param": "page_size",
            },
            "style": "page-number",
        },
        "path": f"{name}/",
        "records": RECORDS,
        "search": sorted(
            rng.sample(("Code", "Reference", "ExternalId"), rng.randint(0, 2))
        ),
        "sources": SOURCES,
    }


def endpoint_names(count: int) -> list[str]:
    names = [prefix + noun for noun in NOUNS for prefix in PREFIXES]
    if count > len(names):
        names += [f"extra{index:03d}records" for index in range(count - len(names))]
    return names[:count]


def title_of(name: str) -> str:
    for noun in NOUNS:
        if name.endswith(noun):
            stem = name[: -len(noun)]
            return stem.capitalize() + noun[:-1].capitalize()
    return name.capitalize()


def synthetic_result(
    environment: str, endpoints: int, fields: int, seed: int = 7
) -> CrawlResult:
    """What a crawl of such an environment returns, deterministic for ``seed``."""
    rng = random.Random(seed)
    results = []
    for name in endpoint_names(endpoints):
        title = title_of(name)
        schema = record_schema(rng, name, title, fields)
        results.append(EndpointResult(index_entry(rng, name, f"{title}Id"), schema))
    return CrawlResult(environment, results, Findings())


def write_synthetic_tree(
    target: Path, environment: str, endpoints: int, fields: int
) -> None:
    """``target`` becomes the schema tree of the synthetic environment."""
    write_tree(target, tree_files(synthetic_result(environment, endpoints, fields)))
