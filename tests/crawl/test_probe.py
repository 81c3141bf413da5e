"""Validation probes on the sandbox: facts OPTIONS never declares, and no write."""

from __future__ import annotations

import json
from typing import Any

import pytest

from generator.crawl.crawler import CrawlResult
from tests.conftest import Sandbox
from tests.crawl.test_crawl_sandbox import V1_ENDPOINTS, crawl


def every_record(sandbox: Sandbox) -> dict[str, str]:
    """Each endpoint's records, every page, as canonical JSON."""
    found = {}
    with sandbox.client() as client:
        for name in V1_ENDPOINTS:
            records: list[Any] = []
            url: str | None = f"{name}/"
            params: dict[str, Any] | None = {"format": "json", "page_size": 1000}
            while url:
                page = client.get(url, params=params).json()
                records += page["results"]
                url, params = page["next"], None
            found[name] = json.dumps(records, sort_keys=True)
    return found


@pytest.fixture(scope="module")
def probed(sandbox: Sandbox) -> tuple[CrawlResult, dict[str, str], dict[str, str]]:
    before = every_record(sandbox)
    result = crawl(sandbox.root, sandbox.auth, probe=True)
    return result, before, every_record(sandbox)


def props(result: CrawlResult, endpoint: str) -> dict[str, Any]:
    found = next(e for e in result.endpoints if e.entry["name"] == endpoint)
    assert found.schema is not None
    properties: dict[str, Any] = found.schema["properties"]
    return properties


def test_a_probing_crawl_changes_no_record_of_any_endpoint(
    probed: tuple[CrawlResult, dict[str, str], dict[str, str]],
) -> None:
    _, before, after = probed
    assert after == before


def test_probes_tell_nullable_from_not(
    probed: tuple[CrawlResult, dict[str, str], dict[str, str]],
) -> None:
    result = probed[0]
    customer = props(result, "customers")
    assert customer["CardId"]["type"] == ["string", "null"]
    assert customer["OrganizationName"]["type"] == "string"
    assert "nullable" in customer["OrganizationName"]["x-acebind"]["declared"]
    assert customer["OrganizationName"]["x-acebind"]["probed"] == [
        "allowBlank",
        "nullable",
    ]
    assert props(result, "stores")["Latitude"]["type"] == ["string", "null"]


def test_probes_tell_blank_from_not(
    probed: tuple[CrawlResult, dict[str, str], dict[str, str]],
) -> None:
    customer = props(probed[0], "customers")
    assert customer["OrganizationName"]["x-acebind"]["allowBlank"] is False
    assert customer["FederalTaxId"]["x-acebind"]["allowBlank"] is True


def test_read_only_endpoints_are_never_probed(
    probed: tuple[CrawlResult, dict[str, str], dict[str, str]],
) -> None:
    found = next(e for e in probed[0].endpoints if e.entry["name"] == "stockmovements")
    assert "probe" not in found.entry["sources"]
    sales = next(e for e in probed[0].endpoints if e.entry["name"] == "sales")
    assert "probe" in sales.entry["sources"]


def test_no_probe_is_sent_unless_asked(sandbox: Sandbox) -> None:
    result = crawl(sandbox.root, sandbox.auth)
    assert all("probe" not in e.entry["sources"] for e in result.endpoints)
