"""GET on the v1 sandbox over real HTTP: renderers, the list envelope, pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from .helpers import JSON, V1_ENDPOINTS, every_record, get_json, key_of

if TYPE_CHECKING:
    from conftest import Sandbox


@pytest.fixture(scope="module")
def demo(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with sandbox.client() as client:
        yield client


def test_default_rendering_is_the_browsable_html_page(demo: httpx.Client) -> None:
    response = demo.get("items/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Django REST framework" in response.text


def test_format_json_gives_json(demo: httpx.Client) -> None:
    response = demo.get("items/", params=JSON)
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["count"] > 0


def test_accept_json_header_gives_json(demo: httpx.Client) -> None:
    response = demo.get("items/", headers={"Accept": "application/json"})
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["count"] > 0


def test_unknown_format_is_404(demo: httpx.Client) -> None:
    assert demo.get("items/", params={"format": "xml"}).status_code == 404


def test_accept_header_nothing_satisfies_is_406(demo: httpx.Client) -> None:
    response = demo.get("items/", headers={"Accept": "application/xml"})
    assert response.status_code == 406


@pytest.mark.parametrize("endpoint", V1_ENDPOINTS)
def test_every_list_answers_the_count_next_previous_results_envelope(
    demo: httpx.Client, endpoint: str
) -> None:
    page = get_json(demo, f"{endpoint}/")
    assert list(page) == ["count", "next", "previous", "results"]
    assert page["count"] >= len(page["results"]) > 0
    assert page["previous"] is None


def test_links_carry_format_json_and_page_two_links_back_without_page(
    demo: httpx.Client,
) -> None:
    first = get_json(demo, "customers/", page_size=5)
    second = demo.get(first["next"]).json()
    assert "format=json" in first["next"]
    assert "page=2" in first["next"]
    assert "page=" not in second["previous"]
    assert "format=json" in second["previous"]


@pytest.mark.parametrize(
    ("endpoint", "page_size"),
    [("items", 10), ("customers", 7), ("stores", 2), ("sales", 3),
     ("salesprices", 60), ("stockmovements", 10)],
)  # fmt: skip
def test_following_next_reaches_every_record_exactly_once(
    demo: httpx.Client, endpoint: str, page_size: int
) -> None:
    count = get_json(demo, f"{endpoint}/")["count"]
    keys = [key_of(r) for r in every_record(demo, f"{endpoint}/", page_size=page_size)]
    assert len(keys) == count
    assert len(set(keys)) == count


@pytest.mark.parametrize("page", ["99", "0", "last-but-one", "-1"])
def test_page_out_of_range_or_not_a_number_is_404_invalid_page(
    demo: httpx.Client, page: str
) -> None:
    response = demo.get("items/", params={**JSON, "page": page})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_page_last_is_the_final_page(demo: httpx.Client) -> None:
    page = get_json(demo, "stores/", page_size=2, page="last")
    assert page["next"] is None
    assert page["previous"] is not None


def test_detail_url_answers_one_record(demo: httpx.Client) -> None:
    customer = get_json(demo, "customers/1/")
    assert customer["CustomerId"] == 1
    assert "results" not in customer


def test_unknown_detail_is_404(demo: httpx.Client) -> None:
    response = demo.get("customers/987654321/", params=JSON)
    assert response.status_code == 404
    assert response.json() == {"detail": "No Customer matches the given query."}


def test_decimals_are_strings_padded_to_their_places(demo: httpx.Client) -> None:
    tax = get_json(demo, "taxes/1/")
    assert tax["TaxPercentage"] == "6.00"
