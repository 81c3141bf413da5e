"""``--api-version 2`` shows exactly the eleven changes of sandbox/README.md.

Version 2 runs on a server of this module's own; version 1 is the shared
``sandbox`` (for OPTIONS and records) and the in-process app (for writes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from .helpers import JSON, V1_ENDPOINTS, every_record, get_json

if TYPE_CHECKING:
    from conftest import Sandbox, SandboxStarter

V2_ENDPOINTS = [*V1_ENDPOINTS[:-1], "promotions"]
COMMON = V1_ENDPOINTS[:-1]


@pytest.fixture(scope="module")
def v2(sandbox_launcher: SandboxStarter) -> Iterator[httpx.Client]:
    with sandbox_launcher("--api-version", "2") as running, running.client() as client:
        yield client


@pytest.fixture(scope="module")
def v1(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with sandbox.client() as client:
        yield client


def post_fields(client: httpx.Client, endpoint: str) -> dict[str, Any]:
    response = client.options(f"{endpoint}/", params=JSON)
    return dict(response.json()["actions"]["POST"])


def frozen(value: Any) -> Any:
    if isinstance(value, list):  # choices
        return tuple(choice["value"] for choice in value)
    return value


def metadata_changes(
    endpoint: str, old: dict[str, Any], new: dict[str, Any]
) -> set[tuple[Any, ...]]:
    found: set[tuple[Any, ...]] = set()
    for field in new.keys() - old.keys():
        found.add((endpoint, field, "added"))
    for field in old.keys() - new.keys():
        found.add((endpoint, field, "removed"))
    for field in old.keys() & new.keys():
        for key in old[field].keys() | new[field].keys():
            before, after = frozen(old[field].get(key)), frozen(new[field].get(key))
            if before != after:
                found.add((endpoint, field, key, before, after))
    return found


def post(client: httpx.Client, url: str, body: dict[str, Any]) -> httpx.Response:
    return client.post(url, params=JSON, json=body)


def test_root_adds_promotions_and_drops_stockmovements(v2: httpx.Client) -> None:
    assert list(get_json(v2, "")) == V2_ENDPOINTS
    assert v2.get("stockmovements/", params=JSON).status_code == 404


def test_options_differ_from_v1_by_exactly_the_documented_changes(
    v1: httpx.Client, v2: httpx.Client
) -> None:
    found: set[tuple[Any, ...]] = set()
    for endpoint in COMMON:
        old, new = post_fields(v1, endpoint), post_fields(v2, endpoint)
        found |= metadata_changes(endpoint, old, new)
    assert found == {
        ("items", "ShortDescription", "added"),
        ("customers", "CountryCode", "added"),
        ("suppliers", "Fax", "removed"),
        ("units", "Factor", "type", "integer", "decimal"),
        ("units", "Factor", "min_value", 1, None),
        ("units", "Factor", "max_digits", None, 10),
        ("units", "Factor", "decimal_places", None, 3),
        ("paymenttypes", "Kind", "choices",
         ("cash", "card", "cheque"), ("cash", "card", "cheque", "voucher")),
        ("stores", "StoreType", "choices",
         ("own", "franchise", "outlet", "warehouse"), ("own", "outlet", "warehouse")),
        ("customers", "OrganizationName", "max_length", 200, 120),
        ("customers", "TotalPoints", "read_only", False, True),
    }  # fmt: skip


def test_record_fields_differ_from_v1_by_exactly_the_added_and_removed_fields(
    v1: httpx.Client, v2: httpx.Client
) -> None:
    differences = {}
    for endpoint in COMMON:
        old = set(get_json(v1, f"{endpoint}/")["results"][0])
        new = set(get_json(v2, f"{endpoint}/")["results"][0])
        if old != new:
            differences[endpoint] = (new - old, old - new)
    assert differences == {
        "items": ({"ShortDescription"}, set()),
        "customers": ({"CountryCode"}, set()),
        "suppliers": (set(), {"Fax"}),
    }


def test_promotions_endpoint_lists_and_upserts(v2: httpx.Client) -> None:
    assert get_json(v2, "promotions/")["count"] == 5
    body = {
        "PromotionId": 9001, "PromotionDescription": "Saldos",
        "StartDate": "2024-07-01", "EndDate": "2024-07-31",
        "DiscountPercentage": "15.00",
    }  # fmt: skip
    assert post(v2, "promotions/", body).json() == {"status": "1"}
    assert get_json(v2, "promotions/9001/")["StoreId"] is None


def test_items_short_description_is_optional_string_of_at_most_30(
    v2: httpx.Client,
) -> None:
    item = {"ItemId": "V2-9001", "ItemDescription": "Pao", "FamilyId": 1,
            "DefaultUnits": 1, "ItemTax": 1}  # fmt: skip
    assert post(v2, "items/", item).json() == {"status": "1"}
    assert get_json(v2, "items/V2-9001/")["ShortDescription"] == ""
    too_long = post(v2, "items/", {**item, "ShortDescription": "x" * 31})
    assert too_long.json() == {
        "ShortDescription": ["Ensure this field has no more than 30 characters."]
    }


def test_customers_country_code_is_required_string_of_at_most_2(
    v2: httpx.Client,
) -> None:
    body = {"CustomerId": 9001, "OrganizationName": "Cafe Central"}
    assert post(v2, "customers/", body).json() == {
        "CountryCode": ["This field is required."]
    }
    assert post(v2, "customers/", {**body, "CountryCode": "PRT"}).json() == {
        "CountryCode": ["Ensure this field has no more than 2 characters."]
    }
    assert post(v2, "customers/", {**body, "CountryCode": "ES"}).status_code == 200
    assert get_json(v2, "customers/9001/")["CountryCode"] == "ES"


def test_customers_v1_has_no_country_code(wsgi_client: httpx.Client) -> None:
    body = {"CustomerId": 9101, "OrganizationName": "Cafe", "CountryCode": "ES"}
    assert post(wsgi_client, "/demo/api/customers/", body).status_code == 200
    assert "CountryCode" not in get_json(wsgi_client, "/demo/api/customers/9101/")


def test_suppliers_have_no_fax(v2: httpx.Client) -> None:
    assert all("Fax" not in s for s in every_record(v2, "suppliers/"))


def test_units_factor_is_a_decimal_string_with_3_places(
    v1: httpx.Client, v2: httpx.Client
) -> None:
    assert [u["Factor"] for u in get_json(v1, "units/")["results"][:4]] == [
        1, 1, 6, 12,
    ]  # fmt: skip
    assert [u["Factor"] for u in get_json(v2, "units/")["results"][:4]] == [
        "1.000", "1.000", "6.000", "12.000",
    ]  # fmt: skip
    body = {"UnitId": 9001, "UnitDescription": "Half", "Symbol": "h", "Factor": "0.5"}
    assert post(v2, "units/", body).status_code == 200
    assert get_json(v2, "units/9001/")["Factor"] == "0.500"


def test_units_v1_factor_is_an_integer(wsgi_client: httpx.Client) -> None:
    body = {"UnitId": 9101, "UnitDescription": "Half", "Symbol": "h", "Factor": "0.5"}
    response = post(wsgi_client, "/demo/api/units/", body)
    assert response.json() == {"Factor": ["A valid integer is required."]}


SALE = {
    "DocumentUuid": "0b6a5f0e-5d2a-4c43-9a39-1f1f4c1e9a02", "StoreId": 1,
    "TillId": 11, "CustomerId": None, "TransDocument": "FS", "InvoiceStatus": "N",
    "InvoiceDate": "2024-05-01", "InvoiceTime": "10:00:00",
    "TotalNetAmount": "0.00", "TotalGrossAmount": "0.00",
    "SaleTransactionDetails": [], "TenderlineItems": [],
}  # fmt: skip


def test_sales_customer_id_accepts_and_shows_null(v2: httpx.Client) -> None:
    seeded = every_record(v2, "sales/")
    assert any(sale["CustomerId"] is None for sale in seeded)
    body = {**SALE, "InvoiceNo": "FS 1/9001"}
    assert post(v2, "sales/", body).json() == {"status": "1"}
    saved = get_json(v2, "sales/", store=1, page_size=100)["results"]
    assert [s["CustomerId"] for s in saved if s["InvoiceNo"] == "FS 1/9001"] == [None]


def test_sales_v1_customer_id_is_never_null(
    v1: httpx.Client, wsgi_client: httpx.Client
) -> None:
    assert all(sale["CustomerId"] is not None for sale in every_record(v1, "sales/"))
    response = post(wsgi_client, "/demo/api/sales/", {**SALE, "InvoiceNo": "9101"})
    assert response.json() == {"CustomerId": ["This field may not be null."]}


def test_payment_types_kind_accepts_voucher(
    v2: httpx.Client, wsgi_client: httpx.Client
) -> None:
    body = {"PaymentTypeId": 9111, "PaymentTypeDescription": "Vale", "Kind": "voucher"}
    assert post(v2, "paymenttypes/", body).json() == {"status": "1"}
    v1_response = post(wsgi_client, "/demo/api/paymenttypes/", body)
    assert v1_response.json() == {"Kind": ['"voucher" is not a valid choice.']}


def test_stores_store_type_no_longer_accepts_franchise(
    v2: httpx.Client, wsgi_client: httpx.Client
) -> None:
    body = {"StoreId": 9121, "StoreName": "Loja", "StoreType": "franchise",
            "OpeningDate": "2024-01-01"}  # fmt: skip
    v2_response = post(v2, "stores/", body)
    assert v2_response.json() == {"StoreType": ['"franchise" is not a valid choice.']}
    assert post(wsgi_client, "/demo/api/stores/", body).json() == {"status": "1"}


def test_customers_organization_name_is_at_most_120(
    v2: httpx.Client, wsgi_client: httpx.Client
) -> None:
    body = {"CustomerId": 9102, "OrganizationName": "x" * 121, "CountryCode": "PT"}
    assert post(v2, "customers/", body).json() == {
        "OrganizationName": ["Ensure this field has no more than 120 characters."]
    }
    assert post(wsgi_client, "/demo/api/customers/", body).json() == {"status": "1"}


def test_customers_total_points_is_read_only(
    v2: httpx.Client, wsgi_client: httpx.Client
) -> None:
    body = {"CustomerId": 9103, "OrganizationName": "Cafe", "CountryCode": "PT",
            "TotalPoints": "250.00"}  # fmt: skip
    assert post(v2, "customers/", body).json() == {"status": "1"}
    assert get_json(v2, "customers/9103/")["TotalPoints"] == "0.00"
    assert post(wsgi_client, "/demo/api/customers/", body).json() == {"status": "1"}
    v1_customer = get_json(wsgi_client, "/demo/api/customers/9103/")
    assert v1_customer["TotalPoints"] == "250.00"


def test_readme_lists_exactly_the_eleven_changes() -> None:
    readme = Path(__file__).parents[2] / "sandbox" / "README.md"
    section = readme.read_text().split("## API version 2", 1)[1]
    rows = [line for line in section.splitlines() if re.match(r"\| \d+ \|", line)]
    cells = [[cell.strip(" `") for cell in row.split("|")[1:4]] for row in rows]
    assert cells == [
        ["1", "promotions", ""],
        ["2", "stockmovements", ""],
        ["3", "items", "ShortDescription"],
        ["4", "customers", "CountryCode"],
        ["5", "suppliers", "Fax"],
        ["6", "units", "Factor"],
        ["7", "sales", "CustomerId"],
        ["8", "paymenttypes", "Kind"],
        ["9", "stores", "StoreType"],
        ["10", "customers", "OrganizationName"],
        ["11", "customers", "TotalPoints"],
    ]
