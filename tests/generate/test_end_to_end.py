"""The generated demo bindings driving the sandbox over real HTTP."""

from __future__ import annotations

import asyncio
import datetime
import decimal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Sandbox

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "generated" / "demo"))

from storesace_demo import (
    UNSET,
    AsyncClient,
    Client,
    NotFoundError,
    ValidationError,
)
from storesace_demo.models.customers import Customer
from storesace_demo.models.sales import SaleInvoiceStatus


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Client]:
    with Client(sandbox.root, username="demo-api", password="demo-pass") as connected:
        yield connected


def envelope_count(sandbox: Sandbox, path: str, **params: Any) -> int:
    with sandbox.client() as raw:
        count: int = raw.get(path, params={"format": "json", **params}).json()["count"]
    return count


def test_every_item_across_pages(sandbox: Sandbox, client: Client) -> None:
    items = list(client.items.iterate(page_size=25))
    assert len(items) == envelope_count(sandbox, "items/")
    assert len({item.item_id for item in items}) == len(items)
    assert all(isinstance(item.created_at, datetime.datetime) for item in items)


def test_every_item_of_one_store(sandbox: Sandbox, client: Client) -> None:
    items = list(client.items.iterate(store=2))
    assert len(items) == envelope_count(sandbox, "items/", store=2)
    prices = [p for item in items if not isinstance(item.sales_prices, type(UNSET))
              for p in item.sales_prices]  # fmt: skip
    assert prices
    assert {p.store_id for p in prices} == {2}
    assert all(isinstance(p.unit_price, decimal.Decimal) for p in prices)


def test_pages_carry_count_and_next(client: Client) -> None:
    first = next(client.customers.pages(page_size=5))
    assert first.count is not None
    assert first.count > 5
    assert len(first.records) == 5
    assert first.next is not None


def test_page_size_outside_the_known_limits_is_refused(client: Client) -> None:
    with pytest.raises(ValueError, match="page_size"):
        next(client.items.pages(page_size=1))


def test_one_record_by_key(client: Client) -> None:
    sale = client.sales.get(1)
    assert sale.sale_id == 1
    assert isinstance(sale.invoice_status, SaleInvoiceStatus)
    assert sale.sale_transaction_details
    with pytest.raises(NotFoundError):
        client.sales.get(10**9)


def test_upsert_then_changes_since_the_counter(client: Client) -> None:
    before = client.customers.changes_since(None)
    assert before.high_water is not None
    client.customers.upsert(Customer(customer_id=9801, organization_name="Alfa Lda"))
    changed = client.customers.changes_since(before.high_water)
    assert [c.customer_id for c in changed.records] == [9801]
    assert changed.high_water is not None
    assert changed.high_water > before.high_water
    again = client.customers.changes_since(changed.high_water)
    assert again.records == []
    assert again.high_water == changed.high_water


def test_upsert_updates_the_record_with_the_same_key(client: Client) -> None:
    client.customers.upsert(Customer(customer_id=9802, organization_name="First"))
    client.customers.upsert(Customer(customer_id=9802, organization_name="Second"))
    assert client.customers.get(9802).organization_name == "Second"


def test_a_thousand_upserts_in_batches(sandbox: Sandbox, client: Client) -> None:
    records = [
        Customer(customer_id=20000 + n, organization_name=f"Batch {n}")
        for n in range(1000)
    ]
    before = envelope_count(sandbox, "customers/")
    report = client.customers.upsert_many(records, batch_size=100)
    assert report.ok
    assert report.saved == list(range(1000))
    assert envelope_count(sandbox, "customers/") == before + 1000


def test_validation_error_of_one_record(client: Client) -> None:
    with pytest.raises(ValidationError) as raised:
        client.customers.upsert(Customer(customer_id=9803, organization_name=""))
    assert "OrganizationName" in raised.value.errors


def test_a_failed_batch_says_which_records_were_not_saved(client: Client) -> None:
    records = [
        Customer(customer_id=9810 + n, organization_name=f"Ok {n}") for n in range(4)
    ]
    records[1] = Customer(customer_id=9811, organization_name="x" * 500)
    report = client.customers.upsert_many(records, batch_size=2)
    assert report.saved == [2, 3]
    assert report.not_saved == [0, 1]
    assert "OrganizationName" in report.errors[1]


def test_unknown_choice_values_are_kept(client: Client) -> None:
    from storesace_demo.models.sales import decode_sale, encode_sale

    sale = client.sales.get(1)
    body = encode_sale(sale)
    body["InvoiceStatus"] = "Z"
    body["SomethingNew"] = 1
    body["SaleId"] = 1
    decoded = decode_sale(body)
    assert decoded.invoice_status == "Z"
    assert decoded.sale_id == 1


def test_read_only_fields_are_never_sent(client: Client) -> None:
    from storesace_demo.models.sales import encode_sale

    body = encode_sale(client.sales.get(1))
    assert "SaleId" not in body
    assert "SyncCounter" not in body
    assert "TotalTaxAmount" not in body


def test_the_async_client_does_the_same(sandbox: Sandbox) -> None:
    async def scenario() -> tuple[int, str, int]:
        async with AsyncClient(sandbox.root, username="demo-api",
                               password="demo-pass") as client:  # fmt: skip
            items = [item async for item in client.items.iterate()]
            await client.customers.upsert(
                Customer(customer_id=9820, organization_name="Async Lda")
            )
            found = await client.customers.get(9820)
            report = await client.customers.upsert_many(
                [
                    Customer(customer_id=9821 + n, organization_name="A")
                    for n in range(5)
                ],
                batch_size=2,
            )
            return len(items), found.organization_name, len(report.saved)

    count, name, saved = asyncio.run(scenario())
    assert count == envelope_count(sandbox, "items/")
    assert name == "Async Lda"
    assert saved == 5
