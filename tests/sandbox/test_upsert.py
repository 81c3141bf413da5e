"""POST is an upsert: one object or an array, created or updated by natural
key, validated as a whole. In-process through the WSGI app; every test writes
records with keys of its own (9000 and up)."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from .helpers import JSON, every_record, get_json

CUSTOMERS = "/demo/api/customers/"
SALES = "/demo/api/sales/"


def customer(number: int | str, name: str = "Loja do Bairro") -> dict[str, Any]:
    return {"CustomerId": number, "OrganizationName": name}


def sale(invoice: str) -> dict[str, Any]:
    return {
        "DocumentUuid": "0b6a5f0e-5d2a-4c43-9a39-1f1f4c1e9a01",
        "InvoiceNo": invoice, "StoreId": 1, "TillId": 11, "CustomerId": 1,
        "TransDocument": "FS", "InvoiceStatus": "N", "InvoiceDate": "2024-05-01",
        "InvoiceTime": "10:00:00", "TotalNetAmount": "10.00",
        "TotalGrossAmount": "12.30",
        "SaleTransactionDetails": [{
            "LineNo": 1, "ItemId": "I0000001", "Quantity": "1.000",
            "UnitPrice": "10.0000", "TotalNetAmount": "10.00",
            "TaxPercentage": "23.00", "TotalTaxIncludedAmount": "12.30",
        }],
        "TenderlineItems": [{"PaymentTypeId": 1, "Amount": "12.30"}],
    }  # fmt: skip


def post(client: httpx.Client, url: str, body: Any) -> httpx.Response:
    return client.post(url, params=JSON, json=body)


def count(client: httpx.Client, url: str) -> int:
    return int(get_json(client, url)["count"])


def sale_numbered(client: httpx.Client, invoice: str) -> dict[str, Any]:
    return next(s for s in every_record(client, SALES) if s["InvoiceNo"] == invoice)


def test_posting_one_new_object_answers_status_1_and_creates_it(
    wsgi_client: httpx.Client,
) -> None:
    response = post(wsgi_client, CUSTOMERS, customer(9001))
    assert response.status_code == 200
    assert response.json() == {"status": "1"}
    created = get_json(wsgi_client, f"{CUSTOMERS}9001/")
    assert created["OrganizationName"] == "Loja do Bairro"
    assert created["SyncCounter"] > 0


def test_posting_an_existing_natural_key_updates_instead_of_duplicating(
    wsgi_client: httpx.Client,
) -> None:
    post(wsgi_client, CUSTOMERS, customer(9002, "Before"))
    before = count(wsgi_client, CUSTOMERS)
    response = post(wsgi_client, CUSTOMERS, customer(9002, "After"))
    assert response.json() == {"status": "1"}
    assert count(wsgi_client, CUSTOMERS) == before
    assert get_json(wsgi_client, f"{CUSTOMERS}9002/")["OrganizationName"] == "After"


def test_natural_key_spelt_as_a_string_still_names_the_same_record(
    wsgi_client: httpx.Client,
) -> None:
    post(wsgi_client, CUSTOMERS, customer(9003, "Before"))
    before = count(wsgi_client, CUSTOMERS)
    assert post(wsgi_client, CUSTOMERS, customer("9003", "After")).status_code == 200
    assert count(wsgi_client, CUSTOMERS) == before
    assert get_json(wsgi_client, f"{CUSTOMERS}9003/")["OrganizationName"] == "After"


def test_array_of_valid_objects_saves_them_all(wsgi_client: httpx.Client) -> None:
    before = count(wsgi_client, CUSTOMERS)
    body = [customer(number) for number in range(9010, 9015)]
    assert post(wsgi_client, CUSTOMERS, body).json() == {"status": "1"}
    assert count(wsgi_client, CUSTOMERS) == before + 5


def test_array_with_one_invalid_object_is_400_and_saves_nothing(
    wsgi_client: httpx.Client,
) -> None:
    before = count(wsgi_client, CUSTOMERS)
    body = [customer(9020), {"CustomerId": 9021}, customer(9022)]
    response = post(wsgi_client, CUSTOMERS, body)
    assert response.status_code == 400
    assert response.json() == {"1": {"OrganizationName": ["This field is required."]}}
    assert count(wsgi_client, CUSTOMERS) == before
    assert wsgi_client.get(f"{CUSTOMERS}9020/", params=JSON).status_code == 404


def test_array_errors_are_keyed_by_every_failing_index_as_a_string(
    wsgi_client: httpx.Client,
) -> None:
    body = [customer(9030), {"CustomerId": None, "OrganizationName": "x"}, {}]
    errors = post(wsgi_client, CUSTOMERS, body).json()
    assert errors == {
        "1": {"CustomerId": ["This field may not be null."]},
        "2": {
            "CustomerId": ["This field is required."],
            "OrganizationName": ["This field is required."],
        },
    }


def test_array_naming_one_record_twice_is_400_duplicate(
    wsgi_client: httpx.Client,
) -> None:
    body = [customer(9040), customer("9040")]
    response = post(wsgi_client, CUSTOMERS, body)
    assert response.status_code == 400
    assert response.json() == {
        "1": {"non_field_errors": ["Duplicate record in this request."]}
    }
    assert wsgi_client.get(f"{CUSTOMERS}9040/", params=JSON).status_code == 404


def test_empty_array_is_400(wsgi_client: httpx.Client) -> None:
    response = post(wsgi_client, CUSTOMERS, [])
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["This list may not be empty."]}


def test_single_object_errors_map_each_field_to_its_messages(
    wsgi_client: httpx.Client,
) -> None:
    body = {**sale("FS 1/9050"), "StoreId": None, "InvoiceDate": None}
    del body["TillId"]
    response = post(wsgi_client, SALES, body)
    assert response.status_code == 400
    assert response.json() == {
        "StoreId": ["This field may not be null."],
        "TillId": ["This field is required."],
        "InvoiceDate": ["This field may not be null."],
    }


def test_invalid_choice_and_nested_line_errors_are_reported_per_field(
    wsgi_client: httpx.Client,
) -> None:
    body = sale("FS 1/9051")
    body["InvoiceStatus"] = "X"
    body["SaleTransactionDetails"][0]["LineNo"] = 0
    errors = post(wsgi_client, SALES, body).json()
    assert errors == {
        "InvoiceStatus": ['"X" is not a valid choice.'],
        "SaleTransactionDetails": {
            "0": {"LineNo": ["Ensure this value is greater than or equal to 1."]}
        },
    }


def test_sale_is_saved_with_its_lines_and_tenders(wsgi_client: httpx.Client) -> None:
    body = sale("FS 1/9060")
    assert post(wsgi_client, SALES, body).json() == {"status": "1"}
    saved = sale_numbered(wsgi_client, "FS 1/9060")
    assert saved["SaleTransactionDetails"] == body["SaleTransactionDetails"]
    assert saved["TenderlineItems"] == body["TenderlineItems"]
    assert saved["TotalTaxAmount"] == "2.30"


def test_updating_a_sale_replaces_its_lines_and_tenders(
    wsgi_client: httpx.Client,
) -> None:
    post(wsgi_client, SALES, sale("FS 1/9061"))
    before = count(wsgi_client, SALES)
    updated = sale("FS 1/9061")
    second = copy.deepcopy(updated["SaleTransactionDetails"][0])
    second.update(LineNo=2, ItemId="I0000002", Quantity="2.000")
    updated["SaleTransactionDetails"].append(second)
    updated["TenderlineItems"] = [{"PaymentTypeId": 2, "Amount": "24.60"}]
    assert post(wsgi_client, SALES, updated).json() == {"status": "1"}
    saved = sale_numbered(wsgi_client, "FS 1/9061")
    assert count(wsgi_client, SALES) == before
    assert saved["SaleTransactionDetails"] == updated["SaleTransactionDetails"]
    assert saved["TenderlineItems"] == updated["TenderlineItems"]


def test_sales_price_natural_key_is_item_store_and_price_list(
    wsgi_client: httpx.Client,
) -> None:
    url = "/demo/api/salesprices/"
    price = {"ItemId": "I0000001", "StoreId": 1, "PriceListId": 2,
             "UnitPrice": "1.5000", "ValidFrom": "2024-06-01"}  # fmt: skip
    assert post(wsgi_client, url, price).json() == {"status": "1"}
    before = count(wsgi_client, url)
    assert post(wsgi_client, url, {**price, "UnitPrice": "9.9000"}).status_code == 200
    assert count(wsgi_client, url) == before
    wholesale = [
        p for p in every_record(wsgi_client, url, store=1) if p["PriceListId"] == 2
    ]
    assert [(p["ItemId"], p["UnitPrice"]) for p in wholesale] == [
        ("I0000001", "9.9000")
    ]


def test_updated_record_comes_back_under_synccounter_with_a_higher_counter(
    wsgi_client: httpx.Client,
) -> None:
    post(wsgi_client, CUSTOMERS, customer(9070, "Before"))
    first = get_json(wsgi_client, f"{CUSTOMERS}9070/")["SyncCounter"]
    assert get_json(wsgi_client, CUSTOMERS, synccounter=first)["count"] == 0
    post(wsgi_client, CUSTOMERS, customer(9070, "After"))
    changed = get_json(wsgi_client, CUSTOMERS, synccounter=first)["results"]
    assert [(c["CustomerId"], c["OrganizationName"]) for c in changed] == [
        (9070, "After")
    ]
    assert changed[0]["SyncCounter"] > first


def test_read_only_endpoint_answers_post_with_405(wsgi_client: httpx.Client) -> None:
    response = post(wsgi_client, "/demo/api/stockmovements/", {"StoreId": 1})
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}


def test_delete_is_405_records_are_never_deleted(wsgi_client: httpx.Client) -> None:
    response = wsgi_client.delete(f"{CUSTOMERS}1/", params=JSON)
    assert response.status_code == 405


def test_malformed_json_is_400_with_detail(wsgi_client: httpx.Client) -> None:
    response = wsgi_client.post(
        CUSTOMERS,
        params=JSON,
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


def test_writes_stay_in_their_tenant(wsgi_client: httpx.Client) -> None:
    post(wsgi_client, CUSTOMERS, customer(9080))
    response = wsgi_client.get(
        "/porto/api/customers/9080/", params=JSON, auth=("porto-api", "porto-pass")
    )
    assert response.status_code == 404


def test_form_encoded_post_upserts_too(wsgi_client: httpx.Client) -> None:
    form = {"CustomerId": "9090", "OrganizationName": "Do formulario"}
    response = wsgi_client.post(CUSTOMERS, params=JSON, data=form)
    assert response.json() == {"status": "1"}
    saved = get_json(wsgi_client, f"{CUSTOMERS}9090/")
    assert saved["OrganizationName"] == "Do formulario"


def test_messages_follow_accept_language(wsgi_client: httpx.Client) -> None:
    response = wsgi_client.post(
        CUSTOMERS, params=JSON, json={}, headers={"Accept-Language": "pt"}
    )
    assert response.headers["Content-Language"] == "pt"
    assert response.json()["OrganizationName"] == ["Este campo é obrigatório."]
