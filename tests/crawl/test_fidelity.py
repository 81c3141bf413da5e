"""Fidelity: the crawl of the sandbox against the server's own truth.

drf-spectacular reads the sandbox's serializers (its code, which a crawl never
sees) and gives an OpenAPI document. For every field of every endpoint, each
fact the crawl can know from outside must match it. The facts a crawl cannot
know are listed in ``schemas/README.md`` and excluded here by rule, not by
field name.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import Sandbox, SandboxStarter
from tests.crawl.test_crawl_sandbox import crawl


@pytest.fixture(scope="module")
def sandbox(sandbox_launcher: SandboxStarter) -> Iterator[Sandbox]:
    """A freshly seeded sandbox of this module's own: facts sampled from the shared
    one depend on what other tests wrote to it."""
    with sandbox_launcher() as fresh:
        yield fresh


FACTS = ("type", "format", "nullable", "readOnly", "writeRequired", "enum", "maxLength")
# OpenAPI formats of numbers describe storage width, not the wire: not compared.
WIDTH_FORMATS = {"int32", "int64", "float", "double"}


@pytest.fixture(scope="module")
def truth(sandbox_app: Any) -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    from sandbox.urls import urlpatterns

    document: dict[str, Any] = SchemaGenerator(patterns=urlpatterns).get_schema(
        request=None, public=True
    )
    return json.loads(json.dumps(document, default=str))  # type: ignore[no-any-return]


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "probes+published"])
def crawled(
    sandbox: Sandbox, request: pytest.FixtureRequest
) -> dict[str, dict[str, Any]]:
    # Plain: OPTIONS, samples and HTML only. Then with validation probes and the
    # (partly stale) published schema the demo tenant serves.
    full = request.param
    result = crawl(sandbox.root, sandbox.auth, probe=full, published=full)
    return {
        e.entry["name"]: {"entry": e.entry, "schema": e.schema}
        for e in result.endpoints
    }


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return {
            **resolve(document, schema["allOf"][0]),
            **{k: v for k, v in schema.items() if k != "allOf"},
        }
    return schema


def truth_facts(document: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    """One field's facts as drf-spectacular states them."""
    nullable = bool(raw.get("nullable"))
    options = raw.get("oneOf") or raw.get("anyOf")
    if options:
        parts = [resolve(document, option) for option in options]
        nullable = nullable or any(
            part.get("type") == "null" or part.get("enum") == [None] for part in parts
        )
        real = [p for p in parts if p.get("type") != "null" and p.get("enum") != [None]]
        schema = {
            **real[0],
            **{k: v for k, v in raw.items() if k not in ("oneOf", "anyOf")},
        }
    else:
        schema = resolve(document, raw)
    kinds = schema.get("type")
    kinds = set(kinds) if isinstance(kinds, list) else {kinds} if kinds else set()
    nullable = nullable or "null" in kinds
    fmt = schema.get("format")
    return {
        "type": sorted(kinds - {"null"}) or None,
        "format": None if fmt in WIDTH_FORMATS else fmt,
        "nullable": nullable,
        "readOnly": bool(raw.get("readOnly") or schema.get("readOnly")),
        "enum": sorted(v for v in schema.get("enum", []) if v is not None) or None,
        "maxLength": schema.get("maxLength"),
    }


def crawled_facts(field: dict[str, Any]) -> dict[str, Any]:
    schema = field
    nullable = False
    if "anyOf" in field:
        nullable = {"type": "null"} in field["anyOf"]
        schema = next(s for s in field["anyOf"] if s != {"type": "null"})
    kinds = schema.get("type")
    kinds = set(kinds) if isinstance(kinds, list) else {kinds} if kinds else set()
    if "$ref" in schema:
        kinds = {"object"}
    meta = field.get("x-acebind", {})
    return {
        "type": sorted(kinds - {"null"}) or None,
        "format": schema.get("format"),
        "nullable": nullable or "null" in kinds,
        "readOnly": bool(field.get("readOnly")),
        "writeRequired": meta.get("writeRequired"),
        "enum": sorted(v for v in schema.get("enum", []) if v is not None) or None,
        "maxLength": schema.get("maxLength"),
        "drfType": meta.get("drfType"),
        "unknown": set(meta.get("unknown", [])),
    }


def components_of(
    document: dict[str, Any], path: str
) -> tuple[dict[str, Any], set[str] | None]:
    """The response record of a list path, and what writing it requires."""
    operations = document["paths"][path]
    listing = operations["get"]["responses"]["200"]["content"]["application/json"]
    page = resolve(document, listing["schema"])
    record = resolve(document, page["properties"]["results"]["items"])
    if "post" not in operations:
        return record, None
    body = operations["post"]["requestBody"]["content"]["application/json"]["schema"]
    return record, set(resolve(document, body).get("required", []))


def knowable(
    fact: str, writable: bool, truth: dict[str, Any], mine: dict[str, Any]
) -> bool:
    """Whether a crawl can know ``fact`` of this field (see schemas/README.md)."""
    if fact in mine["unknown"]:
        return False  # the crawl says it could not tell, and claims nothing
    if not writable and fact in ("readOnly", "writeRequired", "enum", "maxLength"):
        return False  # a read-only viewset declares nothing in OPTIONS
    if fact == "type" and truth["type"] is None:
        return False  # the server's own schema says "any" (a JSONField)
    # spectacular leaves DurationField unformatted; OPTIONS declares it.
    return not (
        fact == "format" and truth["format"] is None and mine["drfType"] == "duration"
    )


def compare(
    truth: dict[str, Any], crawled: dict[str, dict[str, Any]]
) -> tuple[Counter[str], Counter[str], Counter[str], list[str]]:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    wrong: list[str] = []
    for name, found in crawled.items():
        path = f"/demo/api/{found['entry']['path']}"
        record, write_required = components_of(truth, path)
        writable = write_required is not None
        for field, raw in record["properties"].items():
            expected = truth_facts(truth, raw)
            if writable:
                expected["writeRequired"] = (
                    False if expected["readOnly"] else field in write_required
                )
            mine = crawled_facts(found["schema"]["properties"][field])
            for fact in FACTS:
                if fact in expected and fact in mine["unknown"]:
                    unknown[f"{fact} ({'writable' if writable else 'read-only'})"] += 1
                if fact not in expected or not knowable(fact, writable, expected, mine):
                    continue
                total[fact] += 1
                if expected[fact] == mine[fact]:
                    right[fact] += 1
                else:
                    wrong.append(
                        f"{name}.{field} {fact}: truth {expected[fact]!r}, "
                        f"crawl {mine[fact]!r}"
                    )
    return right, total, unknown, wrong


def test_every_knowable_fact_of_every_field_matches_the_servers_truth(
    truth: dict[str, Any],
    crawled: dict[str, dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    right, total, unknown, wrong = compare(truth, crawled)
    probed = any("probe" in e["entry"]["sources"] for e in crawled.values())
    if probed:  # with probes and the published schema, nothing stays unknown
        assert total["nullable"] == 142
        assert not unknown["nullable (writable)"]
    else:  # without them, no null seen proves nothing: the crawl says so
        assert unknown["nullable (writable)"] + unknown["nullable (read-only)"] > 50
    with capsys.disabled():
        print("\nfidelity per fact (crawl vs drf-spectacular):")
        for fact in FACTS:
            print(
                f"  {fact:14} {right[fact]:4}/{total[fact]:<4} "
                f"{100 * right[fact] / max(total[fact], 1):6.1f}%"
            )
        for fact, count in sorted(unknown.items()):
            print(f"  unknown: {fact} of {count} field(s)")
    assert wrong == []
    assert sum(total.values()) > 500


def test_every_field_of_the_truth_is_found(
    truth: dict[str, Any], crawled: dict[str, dict[str, Any]]
) -> None:
    for found in crawled.values():
        record, _ = components_of(truth, f"/demo/api/{found['entry']['path']}")
        assert list(found["schema"]["properties"]) == list(record["properties"])
