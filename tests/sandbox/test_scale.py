"""``--items`` scales the seed and ``--extra-endpoints`` adds generated
endpoints; one server of this module's own runs with ``--items 500
--extra-endpoints 8``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from .helpers import JSON, V1_ENDPOINTS, get_json

if TYPE_CHECKING:
    from conftest import Sandbox, SandboxStarter

EXTRA = 8
NEW_RECORDS = {
    "codes": {"Code": "C9001", "Description": "Nova", "Active": False},
    "amounts": {"AmountId": 9001, "Amount": "5.00", "BookedOn": "2024-02-01",
                "Kind": "a", "Note": None},
    "documents": {"DocumentId": 9001, "IssuedAt": "2024-02-01T10:00:00Z",
                  "Lines": [{"Sku": "S9", "Quantity": 3}], "Tags": ["novo"]},
}  # fmt: skip


@pytest.fixture(scope="module")
def scaled(sandbox_launcher: SandboxStarter) -> Iterator[Sandbox]:
    options = ("--items", "500", "--extra-endpoints", str(EXTRA))
    with sandbox_launcher(*options) as running:
        yield running


@pytest.fixture(scope="module")
def demo(scaled: Sandbox) -> Iterator[httpx.Client]:
    with scaled.client() as client:
        yield client


@pytest.fixture(scope="module")
def extra_names(sandbox_app: Any) -> list[str]:
    """The generated endpoints' names, by the sandbox's own rule."""
    from sandbox.store.extra import name_of

    return [name_of(index) for index in range(EXTRA)]


def counts(client: httpx.Client, names: list[str]) -> dict[str, int]:
    return {name: get_json(client, f"{name}/")["count"] for name in names}


def shape_of(endpoint: str) -> str:
    return re.sub(r"^extra\d+", "", endpoint)


def test_items_option_sets_the_items_and_scales_the_documents(
    demo: httpx.Client,
) -> None:
    assert counts(demo, ["items", "customers", "suppliers", "sales", "purchases",
                         "stockmovements"]) == {
        "items": 500, "customers": 100, "suppliers": 10, "sales": 50,
        "purchases": 10, "stockmovements": 50,
    }  # fmt: skip


def test_reference_data_does_not_scale(demo: httpx.Client) -> None:
    assert counts(demo, ["stores", "families", "taxes", "units", "colors", "sizes",
                         "pricelists", "paymenttypes", "salesmen", "tills"]) == {
        "stores": 5, "families": 12, "taxes": 3, "units": 4, "colors": 8,
        "sizes": 6, "pricelists": 2, "paymenttypes": 3, "salesmen": 8, "tills": 8,
    }  # fmt: skip


def test_every_item_has_one_to_three_sales_prices(demo: httpx.Client) -> None:
    assert 500 <= get_json(demo, "salesprices/")["count"] <= 1500


def test_porto_seeds_a_fifth_of_the_items(scaled: Sandbox) -> None:
    with scaled.client("porto") as porto:
        assert counts(porto, ["items", "customers", "sales"]) == {
            "items": 100, "customers": 30, "sales": 20,
        }  # fmt: skip


def test_extra_endpoints_follow_the_v1_endpoints_in_the_root(
    demo: httpx.Client, extra_names: list[str]
) -> None:
    assert list(get_json(demo, "")) == [*V1_ENDPOINTS, *extra_names]


def test_extra_endpoints_come_in_several_shapes(
    demo: httpx.Client, extra_names: list[str]
) -> None:
    fields = {
        frozenset(get_json(demo, f"{name}/")["results"][0]) for name in extra_names
    }
    assert len(fields) == 4
    assert {shape_of(name) for name in extra_names} == {
        "codes", "amounts", "documents", "logs",
    }  # fmt: skip


def test_extra_endpoints_list_thirty_records_each_in_both_tenants(
    scaled: Sandbox, extra_names: list[str]
) -> None:
    for tenant in ("demo", "porto"):
        with scaled.client(tenant) as client:
            assert set(counts(client, extra_names).values()) == {30}


def test_extra_logs_endpoints_are_read_only(
    demo: httpx.Client, extra_names: list[str]
) -> None:
    logs = [name for name in extra_names if shape_of(name) == "logs"]
    assert logs
    for name in logs:
        assert demo.post(f"{name}/", params=JSON, json={}).status_code == 405
        assert "actions" not in demo.options(f"{name}/", params=JSON).json()


def test_other_extra_endpoints_upsert_by_their_first_field(
    demo: httpx.Client, extra_names: list[str]
) -> None:
    writable = [name for name in extra_names if shape_of(name) != "logs"]
    assert len(writable) == 6
    for name in writable:
        record = NEW_RECORDS[shape_of(name)]
        key = next(iter(record))
        before = get_json(demo, f"{name}/")["count"]
        for _ in range(2):
            reply = demo.post(f"{name}/", params=JSON, json=record)
            assert reply.json() == {"status": "1"}
        assert get_json(demo, f"{name}/")["count"] == before + 1
        saved = get_json(demo, f"{name}/{record[key]}/")
        assert {field: saved[field] for field in record} == record


def test_extra_key_spelt_differently_updates_the_same_record(
    demo: httpx.Client, extra_names: list[str]
) -> None:
    name = next(name for name in extra_names if shape_of(name) == "amounts")
    before = get_json(demo, f"{name}/")["count"]
    for spelling, amount in [("17", "1.25"), ("17.0", "2.50"), (" 17 ", "3.75")]:
        record = {**NEW_RECORDS["amounts"], "AmountId": spelling, "Amount": amount}
        reply = demo.post(f"{name}/", params=JSON, json=record)
        assert reply.json() == {"status": "1"}
        assert get_json(demo, f"{name}/17/")["Amount"] == amount
    assert get_json(demo, f"{name}/")["count"] == before


def test_extra_endpoints_page_by_their_own_default_sizes(
    demo: httpx.Client, extra_names: list[str]
) -> None:
    for name, default in zip(extra_names, [20, 35, 50, 20, 35, 50], strict=False):
        page = get_json(demo, f"{name}/", page_size=1)
        assert len(page["results"]) == 1
        page = get_json(demo, f"{name}/")
        assert len(page["results"]) == min(default, page["count"])
