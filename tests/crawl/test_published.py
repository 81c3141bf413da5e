"""A published OpenAPI document: read, and verified against the server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from generator.crawl.crawler import CrawlResult
from tests.conftest import Sandbox, SandboxStarter
from tests.crawl.test_crawl_sandbox import crawl


@pytest.fixture(scope="module")
def sandbox(sandbox_launcher: SandboxStarter) -> Iterator[Sandbox]:
    """A freshly seeded sandbox of this module's own: facts sampled from the shared
    one depend on what other tests wrote to it."""
    with sandbox_launcher() as fresh:
        yield fresh


STALE = [
    ("customers", "Discount", "published-disagrees"),
    ("items", "ItemDescription", "published-disagrees"),
    ("stores", "StoreName", "published-disagrees"),
    ("suppliers", "Website", "published-missing-field"),
]


@pytest.fixture(scope="module")
def probed(sandbox: Sandbox) -> CrawlResult:
    return crawl(sandbox.root, sandbox.auth, probe=True)


def field_of(result: CrawlResult, endpoint: str, name: str) -> dict[str, Any]:
    found = next(e for e in result.endpoints if e.entry["name"] == endpoint)
    assert found.schema is not None
    schema: dict[str, Any] = found.schema["properties"][name]
    return schema


def test_every_disagreement_with_the_server_is_reported(probed: CrawlResult) -> None:
    published = [
        (f.endpoint, f.field, f.code)
        for f in probed.findings.sorted()
        if f.code.startswith("published-") and f.code != "published-schema-found"
    ]
    assert published == STALE


def test_what_the_server_does_wins(probed: CrawlResult) -> None:
    assert field_of(probed, "customers", "Discount")["format"] == "decimal"
    assert field_of(probed, "items", "ItemDescription")["maxLength"] == 100
    assert field_of(probed, "stores", "StoreName")["type"] == "string"


def test_nullability_nothing_else_established_comes_from_the_document(
    sandbox: Sandbox,
) -> None:
    result = crawl(sandbox.root, sandbox.auth)
    notes = field_of(result, "customers", "Notes")
    assert notes["type"] == ["string", "null"]
    assert notes["x-acebind"]["published"] == ["nullable"]
    customers = next(e for e in result.endpoints if e.entry["name"] == "customers")
    assert "published" in customers.entry["sources"]


def test_a_document_that_says_never_null_settles_what_the_samples_left_unknown(
    sandbox: Sandbox,
) -> None:
    plain = crawl(sandbox.root, sandbox.auth, published=False)
    read = crawl(sandbox.root, sandbox.auth)
    for result in (plain, read):
        assert field_of(result, "customers", "OrganizationName")["type"] == "string"
    before = field_of(plain, "customers", "OrganizationName")["x-acebind"]
    after = field_of(read, "customers", "OrganizationName")["x-acebind"]
    assert "nullable" in before["unknown"]
    assert "nullable" not in before["declared"]
    assert "nullable" not in after.get("unknown", [])
    assert after["published"] == ["nullable"]
    assert "nullable" in after["declared"]


def test_nested_objects_are_verified_against_the_document_too(
    sandbox: Sandbox,
) -> None:
    for published in (False, True):
        result = crawl(sandbox.root, sandbox.auth, published=published)
        items = next(e for e in result.endpoints if e.entry["name"] == "items")
        assert items.schema is not None
        prices = items.schema["$defs"]["SalesPrices"]["properties"]
        for name in ("StoreId", "PriceListId", "UnitPrice"):
            meta = prices[name]["x-acebind"]
            if published:
                assert meta["published"] == ["nullable"], name
                assert "nullable" not in meta.get("unknown", []), name
            else:
                assert "nullable" in meta["unknown"], name


def test_a_broken_published_schema_is_a_warning_not_a_failure(sandbox: Sandbox) -> None:
    result = crawl(
        sandbox.roots["porto"],
        sandbox.tenant_auth["porto"],
        retries=1,
        backoff_base=0.01,
    )
    codes = [f.code for f in result.findings.sorted()]
    assert "published-schema-unusable" in codes
    assert all(e.entry["kind"] == "list" for e in result.endpoints)


def test_a_broken_published_schema_costs_one_retry_not_all_of_them(
    sandbox: Sandbox,
) -> None:
    import asyncio

    from generator.crawl.crawler import CrawlOptions, crawl_environment

    retried: list[str] = []

    def note(kind: str, info: dict[str, Any]) -> None:
        if kind == "retry":
            retried.append(str(info["url"]))

    options = CrawlOptions(retries=4, backoff_base=0.01)
    asyncio.run(
        crawl_environment(
            "porto",
            sandbox.roots["porto"],
            sandbox.tenant_auth["porto"],
            options,
            on_event=note,
        )
    )
    assert len(retried) == 1
    assert "/schema/" in retried[0]


def test_no_published_schema_turns_it_off(sandbox: Sandbox) -> None:
    result = crawl(sandbox.root, sandbox.auth, published=False)
    assert all("published" not in e.entry["sources"] for e in result.endpoints)
    assert not [f for f in result.findings.sorted() if f.code.startswith("published")]


def test_a_self_referring_document_is_read_as_deep_as_the_server_goes() -> None:
    from generator.crawl.published import Published, merge, record_facts
    from generator.findings import Findings

    node = {f"p{i}": {"$ref": "#/components/schemas/Node"} for i in range(50)}
    node["name"] = {"type": "string"}
    listing = {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
    document = {
        "openapi": "3.0.3",
        "paths": {
            "/api/things/": {
                "get": {
                    "responses": {
                        "200": {"content": {"application/json": {"schema": listing}}}
                    }
                }
            }
        },
        "components": {"schemas": {"Node": {"type": "object", "properties": node}}},
    }

    def name() -> dict[str, Any]:
        return {"type": "string", "x-acebind": {"unknown": ["nullable"]}}

    inside = {"type": "object", "properties": {"name": name()}}
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {"name": name(), "p0": {"$ref": "#/$defs/P0"}},
        "$defs": {"P0": inside},
    }
    facts = record_facts(Published(document, "schema/"), "/api/things/")
    assert facts is not None
    findings = Findings()
    merge(schema, facts, findings, "things")  # 51 fields per level, self-referring
    inner = schema["$defs"]["P0"]["properties"]["name"]["x-acebind"]
    assert inner["published"] == ["nullable"]
    assert "unknown" not in inner
    extra = [f for f in findings.sorted() if f.code == "published-extra-field"]
    assert len(extra) == 49 + 50  # p1..p49 at the top, p0..p49 inside p0
