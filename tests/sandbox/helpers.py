"""Small helpers shared by the sandbox tests."""

from __future__ import annotations

from typing import Any

import httpx

JSON = {"format": "json"}

# The API root of version 1, in registration order.
V1_ENDPOINTS = [
    "stores", "families", "taxes", "units", "colors", "sizes", "items",
    "pricelists", "salesprices", "customers", "suppliers", "salesmen", "tills",
    "paymenttypes", "sales", "purchases", "stockmovements",
]  # fmt: skip

# Endpoints whose records belong to one store, and the field naming it.
STORE_BOUND = ["salesprices", "salesmen", "tills", "sales", "purchases"]


def get_json(client: httpx.Client, url: str, **params: Any) -> Any:
    """GET ``url`` as JSON; the reply must be 200."""
    response = client.get(url, params={**JSON, **params})
    assert response.status_code == 200, response.text
    return response.json()


def every_record(client: httpx.Client, url: str, **params: Any) -> list[Any]:
    """Every record of a list, following ``next`` from the first page."""
    page = get_json(client, url, **params)
    records = list(page["results"])
    while page["next"] is not None:
        response = client.get(page["next"])
        assert response.status_code == 200, response.text
        page = response.json()
        records += page["results"]
    return records


def key_of(record: dict[str, Any]) -> Any:
    """A record's key: its first field on every sandbox resource."""
    return next(iter(record.values()))
