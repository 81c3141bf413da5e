"""Tenants, their API users and HTTP Basic authentication, over real HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from .helpers import JSON, V1_ENDPOINTS, get_json

if TYPE_CHECKING:
    from conftest import Sandbox

TENANTS = ["demo", "porto"]
CHALLENGE = 'Basic realm="api"'


@pytest.mark.parametrize("tenant", TENANTS)
def test_each_tenant_root_lists_the_seventeen_v1_endpoints(
    sandbox: Sandbox, tenant: str
) -> None:
    with sandbox.client(tenant) as client:
        root = get_json(client, "")
    assert len(root) >= 15
    assert list(root) == V1_ENDPOINTS


@pytest.mark.parametrize("tenant", TENANTS)
def test_root_links_are_absolute_urls_of_the_tenants_lists(
    sandbox: Sandbox, tenant: str
) -> None:
    with sandbox.client(tenant) as client:
        root = get_json(client, "")
    base = sandbox.roots[tenant]
    assert root["items"] == f"{base}items/?format=json"
    assert all(url.startswith(base) for url in root.values())


@pytest.mark.parametrize(("user_of", "tenant"), [("demo", "porto"), ("porto", "demo")])
def test_api_user_of_one_tenant_gets_401_with_basic_challenge_on_the_other(
    sandbox: Sandbox, user_of: str, tenant: str
) -> None:
    response = httpx.get(
        sandbox.roots[tenant], params=JSON, auth=sandbox.tenant_auth[user_of]
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == CHALLENGE


def test_request_without_credentials_gets_401_with_basic_challenge(
    sandbox: Sandbox,
) -> None:
    response = httpx.get(sandbox.root, params=JSON)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == CHALLENGE
    assert response.json() == {
        "detail": "Authentication credentials were not provided."
    }


def test_wrong_password_gets_401(sandbox: Sandbox) -> None:
    response = httpx.get(sandbox.root, params=JSON, auth=("demo-api", "wrong"))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == CHALLENGE
    assert response.json() == {"detail": "Invalid username/password."}


def test_options_with_wrong_credentials_gets_401(sandbox: Sandbox) -> None:
    response = httpx.options(
        f"{sandbox.root}customers/", params=JSON, auth=("demo-api", "wrong")
    )
    assert response.status_code == 401


def test_tenants_hold_different_records(sandbox: Sandbox) -> None:
    with sandbox.client("demo") as demo, sandbox.client("porto") as porto:
        demo_customer = get_json(demo, "customers/1/")
        porto_customer = get_json(porto, "customers/1/")
        demo_items = get_json(demo, "items/")["count"]
        porto_items = get_json(porto, "items/")["count"]
    assert demo_customer["FederalTaxId"] != porto_customer["FederalTaxId"]
    assert porto_items < demo_items
