"""The crawl of the sandbox over real HTTP: what it finds and what it writes."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from openapi_spec_validator import validate

from generator.cli import main
from generator.crawl.crawler import CrawlOptions, CrawlResult, crawl_environment
from generator.schema.tree import read_tree, tree_files, write_tree
from tests.conftest import Sandbox

V1_ENDPOINTS = [
    "stores",
    "families",
    "taxes",
    "units",
    "colors",
    "sizes",
    "items",
    "pricelists",
    "salesprices",
    "customers",
    "suppliers",
    "salesmen",
    "tills",
    "paymenttypes",
    "sales",
    "purchases",
    "stockmovements",
]


def crawl(root: str, auth: tuple[str, str], **options: Any) -> CrawlResult:
    return asyncio.run(crawl_environment("demo", root, auth, CrawlOptions(**options)))


@pytest.fixture(scope="module")
def result(sandbox: Sandbox) -> CrawlResult:
    return crawl(sandbox.root, sandbox.auth)


@pytest.fixture(scope="module")
def files(result: CrawlResult) -> dict[str, str]:
    return tree_files(result)


@pytest.fixture(scope="module")
def index(files: dict[str, str]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(files["index.json"])
    return loaded


def entry(index: dict[str, Any], name: str) -> dict[str, Any]:
    return next(e for e in index["endpoints"] if e["name"] == name)


def schema(files: dict[str, str], index: dict[str, Any], name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(files[entry(index, name)["schema"]])
    return loaded


def test_every_endpoint_of_the_root_is_found_in_root_order(
    index: dict[str, Any],
) -> None:
    assert [e["name"] for e in index["endpoints"]] == V1_ENDPOINTS
    assert all(e["kind"] == "list" for e in index["endpoints"])


def test_page_size_bounds_are_probed(index: dict[str, Any]) -> None:
    items = entry(index, "items")["pagination"]
    assert items["style"] == "page-number"
    assert items["pageParam"] == "page"
    assert items["pageSize"] == {
        "param": "page_size",
        "default": 50,
        "min": 10,
        "max": None,
    }
    customers = entry(index, "customers")["pagination"]["pageSize"]
    assert (customers["default"], customers["min"]) == (20, 5)


def test_standard_filters_are_proven_not_assumed(index: dict[str, Any]) -> None:
    assert entry(index, "items")["filters"] == {"store": True, "synccounter": True}
    assert entry(index, "sales")["filters"]["store"] is True
    assert entry(index, "customers")["filters"] == {"store": False, "synccounter": True}


def test_search_arguments_come_from_the_browsable_filters(
    index: dict[str, Any],
) -> None:
    assert entry(index, "customers")["search"] == sorted(
        ["FederalTaxId", "CustomerId", "CardId", "MobileTelephone", "EmailAddress"]
    )
    assert entry(index, "purchases")["search"] == ["TaxRegistrationNumber"]
    assert entry(index, "units")["search"] == []


def test_detail_url_and_key_are_found(index: dict[str, Any]) -> None:
    assert entry(index, "items")["detail"]["path"] == "items/{ItemId}/"
    sales = entry(index, "sales")
    assert sales["detail"]["key"] == "SaleId"
    assert "PUT" in sales["detail"]["methods"]
    assert "DELETE" not in sales["detail"]["methods"]


def test_methods_come_from_allow(index: dict[str, Any]) -> None:
    assert entry(index, "items")["methods"] == ["GET", "HEAD", "OPTIONS", "POST"]
    assert entry(index, "stockmovements")["methods"] == ["GET", "HEAD", "OPTIONS"]


def test_field_facts_merge_options_and_samples(
    files: dict[str, str], index: dict[str, Any]
) -> None:
    sale = schema(files, index, "sales")
    props = sale["properties"]
    assert props["InvoiceDate"]["format"] == "date"
    assert props["InvoiceTime"]["format"] == "time"
    assert props["DocumentUuid"]["format"] == "uuid"
    assert props["TotalNetAmount"]["format"] == "decimal"
    assert props["TotalNetAmount"]["x-acebind"]["decimalPlaces"] == 2
    assert props["InvoiceStatus"]["enum"] == ["N", "A"]
    assert props["TotalTaxAmount"]["readOnly"] is True
    assert props["TotalTaxAmount"]["type"] == "string"
    assert props["StoreId"]["type"] == "integer"
    assert props["SalesmanId"]["type"] == ["integer", "null"]
    assert props["CustomerId"]["type"] == "integer"
    assert props["InvoiceNo"]["maxLength"] == 30
    assert props["InvoiceNo"]["x-acebind"]["writeRequired"] is True
    assert props["Notes"]["x-acebind"]["writeRequired"] is False
    lines = props["SaleTransactionDetails"]
    assert lines["type"] == "array"
    ref = lines["items"]["$ref"].rsplit("/", 1)[-1]
    assert sale["$defs"][ref]["properties"]["Quantity"]["format"] == "decimal"
    assert "InvoiceNo" in sale["required"]


def test_relations_and_lists_get_their_types_from_samples(
    files: dict[str, str], index: dict[str, Any]
) -> None:
    props = schema(files, index, "items")["properties"]
    assert props["ItemSupplierList"]["type"] == "array"
    assert props["ItemSupplierList"]["items"]["type"] == "integer"
    assert props["BarcodeList"]["items"]["maxLength"] == 14
    assert props["FamilyId"]["type"] == "integer"
    assert props["Status"] == {**props["Status"], "type": "integer", "readOnly": True}


def test_read_only_endpoint_declares_nothing_and_is_typed_from_samples(
    files: dict[str, str], index: dict[str, Any]
) -> None:
    props = schema(files, index, "stockmovements")["properties"]
    assert props["MovementDate"]["format"] == "date-time"
    assert props["Quantity"]["format"] == "decimal"
    assert "writeRequired" not in props["Quantity"]["x-acebind"]


def test_every_schema_passes_the_2020_12_metaschema(files: dict[str, str]) -> None:
    for path, text in files.items():
        if path.startswith("endpoints/"):
            jsonschema.Draft202012Validator.check_schema(json.loads(text))


def test_openapi_document_is_valid(files: dict[str, str]) -> None:
    validate(json.loads(files["openapi.json"]))


def test_the_same_environment_gives_byte_identical_files(
    sandbox: Sandbox, files: dict[str, str]
) -> None:
    assert tree_files(crawl(sandbox.root, sandbox.auth, concurrency=3)) == files


def test_no_record_values_and_no_host_in_any_file(
    sandbox: Sandbox, files: dict[str, str]
) -> None:
    with sandbox.client() as client:
        customers = client.get("customers/", params={"format": "json"}).json()
        items = client.get("items/", params={"format": "json"}).json()
    values = [c["EmailAddress"] for c in customers["results"]]
    values += [c["OrganizationName"] for c in customers["results"]]
    values += [i["ItemDescription"] for i in items["results"]]
    blob = "\n".join(files.values())
    assert not [value for value in values if value in blob]
    assert "127.0.0.1" not in blob
    assert sandbox.auth[1] not in blob


def test_the_samples_validate_against_their_schemas(
    sandbox: Sandbox, files: dict[str, str], index: dict[str, Any]
) -> None:
    with sandbox.client() as client:
        for endpoint in index["endpoints"]:
            page = client.get(endpoint["path"], params={"format": "json"}).json()
            validator = jsonschema.Draft202012Validator(
                schema(files, index, endpoint["name"])
            )
            for record in page["results"]:
                validator.validate(record)


def test_written_tree_reads_back(tmp_path: Path, files: dict[str, str]) -> None:
    write_tree(tmp_path / "demo", files)
    tree = read_tree(tmp_path / "demo")
    assert list(tree.schemas) == V1_ENDPOINTS
    assert (tmp_path / "demo" / "openapi.json").read_text() == files["openapi.json"]


def run_cli(*args: str, password: str = "demo-pass") -> Any:
    env = {"ACEBIND_DEMO_USERNAME": "demo-api", "ACEBIND_DEMO_PASSWORD": password}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_crawl_command_writes_the_tree_and_a_summary(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    out = tmp_path / "demo"
    outcome = run_cli("crawl", "demo", "--url", sandbox.root, "--out", str(out), "-q")
    assert outcome.exit_code == 0, outcome.output
    assert "Crawled demo: 17 endpoints" in outcome.stdout
    assert (out / "index.json").is_file()
    assert (out / "endpoints" / "items.json").is_file()
    assert "Nullability unknown" not in outcome.stderr  # probes + published schema


def test_crawl_command_says_how_many_fields_keep_unknown_nullability(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    out = tmp_path / "demo"
    outcome = run_cli(
        "crawl", "demo", "--url", sandbox.root, "--out", str(out), "-q",
        "--no-published-schema",
    )  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    found = re.search(r"Nullability unknown for (\d+) field\(s\)", outcome.stderr)
    assert found is not None, outcome.stderr
    stored = out.joinpath("endpoints", "stockmovements.json").read_text()
    assert int(found.group(1)) >= stored.count('"nullable"') > 0


def test_wrong_password_fails_clearly_and_writes_nothing(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    out = tmp_path / "demo"
    out.mkdir()
    (out / "index.json").write_text("old")
    outcome = run_cli(
        "crawl",
        "demo",
        "--url",
        sandbox.root,
        "--out",
        str(out),
        password="not-the-password",
    )
    assert outcome.exit_code == 3
    assert "refused the credentials" in outcome.stderr
    assert "not-the-password" not in outcome.output
    assert (out / "index.json").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


def test_unreachable_root_fails_clearly(tmp_path: Path) -> None:
    outcome = run_cli(
        "crawl",
        "demo",
        "--url",
        "http://127.0.0.1:9/demo/api/",
        "--out",
        str(tmp_path / "demo"),
        "--timeout",
        "2",
    )
    assert outcome.exit_code == 3
    assert "127.0.0.1:9" in outcome.stderr
    assert not (tmp_path / "demo").exists()


def test_missing_credentials_is_a_usage_error(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(
        main, ["crawl", "demo", "--out", str(tmp_path / "x")], env={}
    )
    assert outcome.exit_code == 2
    assert "ACEBIND_DEMO_USERNAME" in outcome.stderr


def test_html_instead_of_json_names_the_cause(sandbox: Sandbox, tmp_path: Path) -> None:
    static = sandbox.root.split("/demo/api/")[0] + "/demo/"
    outcome = run_cli("crawl", "demo", "--url", static, "--out", str(tmp_path / "x"))
    assert outcome.exit_code == 3
    assert not (tmp_path / "x").exists()
