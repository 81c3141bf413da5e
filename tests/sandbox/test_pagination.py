"""Page sizes: each endpoint's default, minimum and maximum, over real HTTP.

A maximum only shows on a list longer than it, so this module runs its own
server with ``--items 1100`` (1100 items, 220 customers) and posts 100 more
stores (105 in all) before it looks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from .helpers import JSON, get_json

if TYPE_CHECKING:
    from conftest import Sandbox, SandboxStarter


# endpoint: (default, minimum, maximum)
LIMITS = {"items": (50, 10, 500), "customers": (20, 5, 200), "stores": (25, 1, 100)}


def page_length(client: httpx.Client, endpoint: str, page_size: str | None) -> int:
    params = {} if page_size is None else {"page_size": page_size}
    return len(get_json(client, f"{endpoint}/", **params)["results"])


@pytest.fixture(scope="module")
def crowded(sandbox_launcher: SandboxStarter) -> Iterator[httpx.Client]:
    stores = [
        {"StoreId": 1000 + n, "StoreName": f"Loja {n}", "StoreType": "own",
         "OpeningDate": dt.date(2024, 1, 1).isoformat()}
        for n in range(100)
    ]  # fmt: skip
    with sandbox_launcher("--items", "1100") as running, running.client() as client:
        posted = client.post("stores/", params=JSON, json=stores)
        assert posted.json() == {"status": "1"}
        yield client


def test_the_crowded_lists_are_longer_than_their_maximum(
    crowded: httpx.Client,
) -> None:
    counts = {name: get_json(crowded, f"{name}/")["count"] for name in LIMITS}
    assert counts == {"items": 1100, "customers": 220, "stores": 105}


@pytest.mark.parametrize("endpoint", list(LIMITS))
def test_without_page_size_a_page_holds_the_default(
    crowded: httpx.Client, endpoint: str
) -> None:
    default, _, _ = LIMITS[endpoint]
    assert page_length(crowded, endpoint, None) == default


@pytest.mark.parametrize("endpoint", list(LIMITS))
def test_page_size_above_the_maximum_is_capped_at_it(
    crowded: httpx.Client, endpoint: str
) -> None:
    _, _, maximum = LIMITS[endpoint]
    assert page_length(crowded, endpoint, str(maximum + 1)) == maximum
    assert page_length(crowded, endpoint, "100000") == maximum


@pytest.mark.parametrize("endpoint", list(LIMITS))
def test_page_size_within_the_limits_is_honoured(
    crowded: httpx.Client, endpoint: str
) -> None:
    _, minimum, maximum = LIMITS[endpoint]
    assert page_length(crowded, endpoint, str(minimum)) == minimum
    assert page_length(crowded, endpoint, str(maximum)) == maximum


@pytest.mark.parametrize("endpoint", ["items", "customers"])
def test_page_size_below_the_minimum_is_raised_to_it(
    crowded: httpx.Client, endpoint: str
) -> None:
    _, minimum, _ = LIMITS[endpoint]
    assert page_length(crowded, endpoint, "1") == minimum
    assert page_length(crowded, endpoint, str(minimum - 1)) == minimum


@pytest.mark.parametrize("endpoint", list(LIMITS))
@pytest.mark.parametrize("page_size", ["0", "-3", "ten", "2.5", ""])
def test_page_size_that_is_not_a_positive_integer_falls_back_to_the_default(
    crowded: httpx.Client, endpoint: str, page_size: str
) -> None:
    default, _, _ = LIMITS[endpoint]
    assert page_length(crowded, endpoint, page_size) == default


def test_capped_page_size_still_pages_through_everything(
    crowded: httpx.Client,
) -> None:
    last = get_json(crowded, "items/", page_size=1000, page=3)
    assert last["next"] is None
    assert len(last["results"]) == 100
    response = crowded.get("items/", params={**JSON, "page_size": 1000, "page": 4})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_the_shared_sandbox_has_the_same_limits(sandbox: Sandbox) -> None:
    with sandbox.client() as client:
        assert page_length(client, "items", "3") == 10
        assert page_length(client, "customers", "0") == 20
        assert page_length(client, "stores", "2") == 2
