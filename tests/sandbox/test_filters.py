"""Query arguments on lists, over real HTTP: ``store``, ``synccounter``, the
search arguments, and the browsable page's Filters dialog."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from .helpers import JSON, STORE_BOUND, V1_ENDPOINTS, every_record, get_json, key_of

if TYPE_CHECKING:
    from conftest import Sandbox

SEEDED_STORES = [1, 2, 3, 4]


@pytest.fixture(scope="module")
def demo(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with sandbox.client() as client:
        yield client


@pytest.fixture(scope="module")
def items(demo: httpx.Client) -> list[dict[str, Any]]:
    return every_record(demo, "items/", page_size=500)


@pytest.fixture(scope="module")
def items_by_store(demo: httpx.Client) -> dict[int, list[dict[str, Any]]]:
    return {
        store: every_record(demo, "items/", store=store, page_size=500)
        for store in SEEDED_STORES
    }


def test_store_narrows_items_to_those_priced_in_that_store(
    items: list[dict[str, Any]], items_by_store: dict[int, list[dict[str, Any]]]
) -> None:
    for store, listed in items_by_store.items():
        priced_there = {
            item["ItemId"]
            for item in items
            if any(price["StoreId"] == store for price in item["SalesPrices"])
        }
        assert {item["ItemId"] for item in listed} == priced_there
        assert 0 < len(listed) < len(items)


def test_store_gives_items_the_sales_prices_of_that_store_only(
    items_by_store: dict[int, list[dict[str, Any]]],
) -> None:
    for store, listed in items_by_store.items():
        for item in listed:
            assert item["SalesPrices"], item["ItemId"]
            assert {price["StoreId"] for price in item["SalesPrices"]} == {store}


def test_store_gives_items_their_status_in_that_store(
    items: list[dict[str, Any]], items_by_store: dict[int, list[dict[str, Any]]]
) -> None:
    status_anywhere = {item["ItemId"]: item["Status"] for item in items}
    statuses = set()
    for listed in items_by_store.values():
        for item in listed:
            statuses.add(item["Status"])
            if item["Status"] == 1:
                assert status_anywhere[item["ItemId"]] == 1
    assert statuses == {0, 1}


def test_item_not_sold_in_the_store_asked_for_is_404_there(
    demo: httpx.Client, items_by_store: dict[int, list[dict[str, Any]]]
) -> None:
    in_store_one = {item["ItemId"] for item in items_by_store[1]}
    elsewhere = next(
        item["ItemId"]
        for store in SEEDED_STORES[1:]
        for item in items_by_store[store]
        if item["ItemId"] not in in_store_one
    )
    response = demo.get(f"items/{elsewhere}/", params={**JSON, "store": 1})
    assert response.status_code == 404
    assert get_json(demo, f"items/{elsewhere}/")["ItemId"] == elsewhere


@pytest.mark.parametrize("endpoint", [*STORE_BOUND, "stockmovements"])
def test_store_keeps_only_the_records_of_that_store(
    demo: httpx.Client, endpoint: str
) -> None:
    total = get_json(demo, f"{endpoint}/")["count"]
    counts = 0
    for store in [key_of(store) for store in every_record(demo, "stores/")]:
        records = every_record(demo, f"{endpoint}/", store=store, page_size=100)
        assert {record["StoreId"] for record in records} <= {store}
        counts += len(records)
    assert counts == total


def test_store_has_no_effect_on_customers(demo: httpx.Client) -> None:
    everyone = get_json(demo, "customers/")
    in_store = get_json(demo, "customers/", store=2)
    assert (in_store["count"], in_store["results"]) == (
        everyone["count"],
        everyone["results"],
    )


def test_store_that_is_not_a_number_is_400(demo: httpx.Client) -> None:
    response = demo.get("sales/", params={**JSON, "store": "porto"})
    assert response.status_code == 400
    assert response.json() == {"store": ["Enter a number."]}


@pytest.mark.parametrize("endpoint", V1_ENDPOINTS)
def test_synccounter_keeps_only_records_changed_after_it(
    demo: httpx.Client, endpoint: str
) -> None:
    counters = sorted(
        record["SyncCounter"]
        for record in every_record(demo, f"{endpoint}/", page_size=1000)
    )
    middle = counters[len(counters) // 2]
    later = every_record(demo, f"{endpoint}/", synccounter=middle, page_size=1000)
    assert all(record["SyncCounter"] > middle for record in later)
    assert len(later) == sum(counter > middle for counter in counters)
    assert get_json(demo, f"{endpoint}/", synccounter=counters[-1])["count"] == 0


def test_synccounter_that_is_not_a_number_is_400(demo: httpx.Client) -> None:
    response = demo.get("items/", params={**JSON, "synccounter": "yesterday"})
    assert response.status_code == 400
    assert response.json() == {"synccounter": ["Enter a number."]}


CUSTOMER_SEARCH = [
    "FederalTaxId", "CustomerId", "CardId", "MobileTelephone", "EmailAddress",
]  # fmt: skip


@pytest.mark.parametrize("argument", CUSTOMER_SEARCH)
def test_customer_search_argument_finds_the_customer(
    demo: httpx.Client, argument: str
) -> None:
    customer = get_json(demo, "customers/2/")
    found = every_record(demo, "customers/", **{argument: customer[argument]})
    assert customer in found
    assert all(record[argument] == customer[argument] for record in found)


@pytest.mark.parametrize("argument", CUSTOMER_SEARCH)
def test_customer_search_argument_without_a_match_finds_nothing(
    demo: httpx.Client, argument: str
) -> None:
    value = "99999999" if argument == "CustomerId" else "no-such-value"
    assert get_json(demo, "customers/", **{argument: value})["count"] == 0


def test_customer_id_search_that_is_not_a_number_is_400(demo: httpx.Client) -> None:
    response = demo.get("customers/", params={**JSON, "CustomerId": "abc"})
    assert response.status_code == 400
    assert response.json() == {"CustomerId": ["Enter a number."]}


def test_purchase_search_by_the_suppliers_tax_registration_number(
    demo: httpx.Client,
) -> None:
    purchases = every_record(demo, "purchases/")
    number = purchases[0]["Supplier"]["FederalTaxId"]
    found = every_record(demo, "purchases/", TaxRegistrationNumber=number)
    expected = [p for p in purchases if p["Supplier"]["FederalTaxId"] == number]
    assert found == expected


@pytest.mark.parametrize(
    ("endpoint", "arguments"),
    [
        ("items", ["synccounter", "store"]),
        ("customers", ["synccounter", *CUSTOMER_SEARCH]),
        ("purchases", ["synccounter", "store", "TaxRegistrationNumber"]),
        ("families", ["synccounter"]),
    ],
)
def test_browsable_list_shows_its_arguments_in_the_filters_dialog(
    demo: httpx.Client, endpoint: str, arguments: list[str]
) -> None:
    page = demo.get(f"{endpoint}/", params={"format": "api"}).text
    assert "Filters" in page
    for argument in arguments:
        assert f'name="{argument}"' in page
