"""OPTIONS answers DRF's SimpleMetadata, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from .helpers import JSON, V1_ENDPOINTS, get_json, key_of

if TYPE_CHECKING:
    from conftest import Sandbox

WRITABLE = [name for name in V1_ENDPOINTS if name != "stockmovements"]


@pytest.fixture(scope="module")
def demo(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with sandbox.client() as client:
        yield client


def options(client: httpx.Client, url: str) -> Any:
    response = client.options(url, params=JSON)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("endpoint", WRITABLE)
def test_list_url_describes_post_only(demo: httpx.Client, endpoint: str) -> None:
    metadata = options(demo, f"{endpoint}/")
    assert list(metadata) == ["name", "description", "renders", "parses", "actions"]
    assert list(metadata["actions"]) == ["POST"]
    assert metadata["renders"] == ["text/html", "application/json"]


@pytest.mark.parametrize("endpoint", WRITABLE)
def test_detail_url_describes_put_only(demo: httpx.Client, endpoint: str) -> None:
    first = get_json(demo, f"{endpoint}/")["results"][0]
    metadata = options(demo, f"{endpoint}/{key_of(first)}/")
    assert list(metadata["actions"]) == ["PUT"]
    assert metadata["name"].endswith("Instance")


def test_read_only_endpoint_has_no_actions_key(demo: httpx.Client) -> None:
    metadata = options(demo, "stockmovements/")
    assert "actions" not in metadata
    assert metadata["description"] == "Stock movements, read only."


def test_fields_carry_types_and_limits(demo: httpx.Client) -> None:
    fields = options(demo, "customers/")["actions"]["POST"]
    assert fields["CustomerId"] == {
        "type": "integer", "required": True, "read_only": False,
        "label": "CustomerId", "min_value": 1, "max_value": 9223372036854775807,
    }  # fmt: skip
    assert fields["OrganizationName"]["max_length"] == 200
    assert fields["TotalPoints"]["type"] == "decimal"
    assert fields["TotalPoints"]["read_only"] is False
    assert fields["SyncCounter"]["read_only"] is True


def test_writable_choice_field_lists_its_choices(demo: httpx.Client) -> None:
    kind = options(demo, "paymenttypes/")["actions"]["POST"]["Kind"]
    assert kind["type"] == "choice"
    assert [c["value"] for c in kind["choices"]] == ["cash", "card", "cheque"]


def test_nested_lines_are_a_field_with_a_nested_object_child(
    demo: httpx.Client,
) -> None:
    lines = options(demo, "sales/")["actions"]["POST"]["SaleTransactionDetails"]
    assert lines["type"] == "field"
    assert lines["child"]["type"] == "nested object"
    assert "LineNo" in lines["child"]["children"]
