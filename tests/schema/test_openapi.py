"""The OpenAPI document built from a schema tree's index and endpoint schemas."""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from generator.schema.openapi import build_openapi, unique_names

JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"
COMPONENT_NAME = re.compile(r"^[a-zA-Z0-9._-]+$")
OPERATION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
DEMO = Path(__file__).resolve().parents[2] / "schemas" / "demo"

PAGE_NUMBER = {
    "style": "page-number",
    "pageParam": "page",
    "pageSize": {"param": "page_size", "default": 25, "min": 5, "max": 500},
}
PROVEN = {"store": True, "synccounter": True}
UNPROVEN = {"store": None, "synccounter": None}


# Inputs shaped like the crawler's index entries and infer.record_schema's output.


def observed(records: int = 3, nulls: int = 0) -> dict[str, Any]:
    return {"observed": {"nulls": nulls, "present": records, "records": records}}


def scalar(kind: str | list[str], **facts: Any) -> dict[str, Any]:
    return {"type": kind, **facts, "x-acebind": observed()}


def nullable_ref(name: str) -> dict[str, Any]:
    return {
        "anyOf": [{"$ref": f"#/$defs/{name}"}, {"type": "null"}],
        "x-acebind": {"drfType": "nested object", **observed(nulls=1)},
    }


def record(
    endpoint: str,
    title: str,
    properties: dict[str, Any],
    defs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "$schema": JSON_SCHEMA,
        "title": title,
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "x-acebind": {"endpoint": endpoint, "records": 3, "sources": ["samples"]},
    }
    if defs:
        schema["$defs"] = defs
    return schema


def entry(
    name: str,
    *,
    kind: str = "list",
    path: str | None = None,
    methods: list[str] | None = None,
    detail: dict[str, Any] | None = None,
    pagination: dict[str, Any] | None = None,
    filters: dict[str, Any] | None = None,
    search: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "name": name,
        "path": f"{name}/" if path is None else path,
        "kind": kind,
        "schema": None,
        "methods": methods if methods is not None else ["GET", "HEAD", "OPTIONS"],
        "detail": detail,
        "pagination": pagination if pagination is not None else PAGE_NUMBER,
        "filters": filters if filters is not None else dict(UNPROVEN),
        "search": search or [],
        "actions": [],
        "sources": ["html", "options", "samples"],
        "records": 3,
    }


def detail_of(name: str, key: str, methods: list[str] | None = None) -> dict[str, Any]:
    return {
        "path": f"{name}/{{{key}}}/",
        "key": key,
        "methods": methods if methods is not None else ["GET", "HEAD", "OPTIONS"],
    }


def tree(
    *endpoints: tuple[dict[str, Any], dict[str, Any] | None],
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    index: dict[str, Any] = {
        "format": 1,
        "environment": "demo",
        "endpoints": [],
        "findings": [],
    }
    schemas: dict[str, dict[str, Any]] = {}
    for given, schema in endpoints:
        item = dict(given)
        if schema is not None:
            digest = hashlib.sha256(item["name"].encode()).hexdigest()[:8]
            item["schema"] = f"endpoints/{digest}.json"
            schemas[item["schema"]] = schema
        index["endpoints"].append(item)
    return index, schemas


def item_schema() -> dict[str, Any]:
    return record(
        "items",
        "Item",
        {
            "ItemId": scalar("integer", readOnly=True),
            "Code": scalar("string", maxLength=20),
            "Kind": {
                "enum": ["A", "B"],
                "type": "string",
                "x-acebind": {
                    "choices": [
                        {"label": "a", "value": "A"},
                        {"label": "b", "value": "B"},
                    ],
                    **observed(),
                },
            },
            "Price": scalar("string", format="decimal"),
            "SalesPrices": nullable_ref("SalesPrices"),
            "Lines": {"type": "array", "items": {"$ref": "#/$defs/Lines"}},
        },
        {
            "SalesPrices": {
                "type": "object",
                "properties": {
                    "StoreId": scalar("integer"),
                    "Price": scalar("string", format="decimal"),
                },
                "required": ["StoreId", "Price"],
            },
            "Lines": {
                "type": "object",
                "properties": {"Quantity": scalar("number")},
            },
        },
    )


def environment() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """A small environment with one endpoint of every shape."""
    store = record("stores", "Store", {"StoreId": scalar("integer")})
    return tree(
        (
            entry(
                "items",
                methods=["GET", "HEAD", "OPTIONS", "POST"],
                detail=detail_of("items", "ItemId", ["GET", "PATCH", "PUT"]),
                filters=dict(PROVEN),
                search=["code", "family"],
            ),
            item_schema(),
        ),
        (entry("stores", detail=detail_of("stores", "StoreId")), store),
        (
            entry(
                "logs",
                pagination={
                    "style": "limit-offset",
                    "pageSize": {
                        "param": "limit",
                        "default": 50,
                        "min": 1,
                        "max": None,
                    },
                    "offsetParam": "offset",
                },
            ),
            record("logs", "Log", {"Message": scalar("string")}),
        ),
        (
            entry(
                "events",
                pagination={
                    "style": "cursor",
                    "cursorParam": "cursor",
                    "pageSize": {
                        "param": None,
                        "default": 10,
                        "min": None,
                        "max": None,
                    },
                },
            ),
            record("events", "Event", {"At": scalar("string", format="date-time")}),
        ),
        (
            entry("units", pagination={"style": "none"}, filters={}),
            record("units", "Unit", {"Code": scalar("string")}),
        ),
        (
            entry("settings", kind="object", pagination={"style": "none"}, filters={}),
            record("settings", "Settings", {"Currency": scalar("string")}),
        ),
        (
            {
                **entry("broken", pagination={"style": "none"}, filters=UNPROVEN),
                "kind": "unknown",
                "methods": [],
            },
            None,
        ),
    )


# Checks.


def build(index: dict[str, Any], schemas: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The document, which must be valid OpenAPI 3.1 with every reference known."""
    document = build_openapi(index, schemas)
    validate(document, cls=OpenAPIV31SpecValidator)
    for ref in refs(document):
        assert resolve(document, ref) is not None, ref
    return document


@functools.cache
def environment_json() -> str:
    # Validating the whole environment takes a third of a second: do it once.
    return json.dumps(build(*environment()))


def environment_document() -> dict[str, Any]:
    found: dict[str, Any] = json.loads(environment_json())
    return found


def refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "$ref" and isinstance(inner, str):
                yield inner
            elif not (key in ("enum", "examples") and isinstance(inner, list)):
                yield from refs(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from refs(inner)


def resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/components/schemas/"), ref
    target: Any = document
    for token in ref[2:].split("/"):
        name = token.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or name not in target:
            return None
        target = target[name]
    return target


def operation(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][path][method]
    return found


def parameters(document: dict[str, Any], path: str) -> dict[str, dict[str, Any]]:
    listed = operation(document, path, "get").get("parameters", [])
    return {parameter["name"]: parameter for parameter in listed}


def response_schema(op: dict[str, Any], status: str = "200") -> dict[str, Any]:
    found: dict[str, Any] = op["responses"][status]["content"]["application/json"][
        "schema"
    ]
    return found


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A JSON Schema validator for ``schema`` that resolves the document's refs."""
    return jsonschema.Draft202012Validator(
        {**schema, "components": document["components"]}
    )


def operation_ids(document: dict[str, Any]) -> list[str]:
    return [
        op["operationId"]
        for item in document["paths"].values()
        for method, op in item.items()
        if method != "parameters"
    ]


def canonical(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True)


# The document as a whole.


def test_environment_document_is_valid_openapi_3_1_with_resolving_refs() -> None:
    document = environment_document()

    assert document["openapi"] == "3.1.0"
    for schema in document["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_building_twice_gives_identical_json() -> None:
    index, schemas = environment()

    first = canonical(build_openapi(index, schemas))
    again = canonical(build_openapi(*environment()))
    shuffled = dict(reversed(list(schemas.items())))

    assert again == first
    assert canonical(build_openapi(index, shuffled)) == first


def test_inputs_are_left_unchanged_and_output_shares_nothing_with_them() -> None:
    index, schemas = environment()
    before = copy.deepcopy((index, schemas))

    document = build_openapi(index, schemas)
    document["components"]["schemas"]["Item"]["properties"]["Code"]["type"] = "x"

    assert (index, schemas) == before


def test_info_servers_and_security_hold_no_host_or_date() -> None:
    document = environment_document()

    assert document["info"] == {
        "title": "StoresAce environment demo",
        "version": "acebind-1",
    }
    assert [server["url"] for server in document["servers"]] == ["/"]
    assert document["security"] == [{"basic": []}]
    assert document["components"]["securitySchemes"] == {
        "basic": {"type": "http", "scheme": "basic"}
    }
    text = canonical(document)
    assert "http://" not in text
    assert "https://" not in text.replace(JSON_SCHEMA, "")
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


# Components.


def test_components_are_named_from_titles_and_def_names() -> None:
    document = environment_document()

    assert sorted(document["components"]["schemas"]) == [
        "Event",
        "Item",
        "ItemLines",
        "ItemSalesPrices",
        "Log",
        "Settings",
        "Store",
        "Unit",
    ]


def test_defs_become_components_and_their_refs_point_there() -> None:
    schemas = environment_document()["components"]["schemas"]
    item = schemas["Item"]

    assert "$schema" not in item
    assert "$defs" not in item
    assert item["properties"]["SalesPrices"]["anyOf"] == [
        {"$ref": "#/components/schemas/ItemSalesPrices"},
        {"type": "null"},
    ]
    assert item["properties"]["Lines"]["items"] == {
        "$ref": "#/components/schemas/ItemLines"
    }
    assert schemas["ItemSalesPrices"]["required"] == ["StoreId", "Price"]


def test_annotations_enums_and_formats_are_kept() -> None:
    item = environment_document()["components"]["schemas"]["Item"]

    assert item["x-acebind"]["endpoint"] == "items"
    assert item["properties"]["Kind"]["enum"] == ["A", "B"]
    assert item["properties"]["Kind"]["x-acebind"]["choices"][0] == {
        "label": "a",
        "value": "A",
    }
    assert item["properties"]["Price"]["format"] == "decimal"


def test_colliding_titles_take_the_sanitised_endpoint_name() -> None:
    nested = {"Prices": {"type": "object", "properties": {}}}
    index, schemas = tree(
        (
            entry("items"),
            record("items", "Item", {"P": nullable_ref("Prices")}, nested),
        ),
        (
            entry("store/items"),
            record("store/items", "Item", {"P": nullable_ref("Prices")}, nested),
        ),
        (entry("things"), record("things", "Thing", {"Code": scalar("string")})),
    )

    names = sorted(build(index, schemas)["components"]["schemas"])

    assert names == [
        "ItemPrices_items",
        "ItemPrices_store_items",
        "Item_items",
        "Item_store_items",
        "Thing",
    ]


def test_names_differing_only_in_case_count_as_a_collision() -> None:
    index, schemas = tree(
        (entry("a"), record("a", "Item", {})),
        (entry("b"), record("b", "ITEM", {})),
    )

    names = sorted(build(index, schemas)["components"]["schemas"])

    assert names == ["ITEM_b", "Item_a"]


def test_collision_names_do_not_depend_on_endpoint_order() -> None:
    index, schemas = tree(
        (entry("items"), record("items", "Item", {})),
        (entry("store/items"), record("store/items", "Item", {})),
    )
    reordered = {**index, "endpoints": list(reversed(index["endpoints"]))}

    names = set(build(index, schemas)["components"]["schemas"])

    assert set(build(reordered, schemas)["components"]["schemas"]) == names


def test_names_that_still_collide_end_with_a_hash_of_their_identity() -> None:
    wanted = {"one": "Item", "two": "Item", "three": "Item_x"}

    def suffixes(key: str) -> list[str]:
        return ["_x"]

    names = unique_names(wanted, suffixes)
    reversed_names = unique_names(dict(reversed(wanted.items())), suffixes)

    assert names == reversed_names
    assert names["three"] == "Item_x_x"
    assert re.fullmatch(r"Item_x_[0-9a-f]{16}", names["one"])
    assert re.fullmatch(r"Item_x_[0-9a-f]{16}", names["two"])
    assert names["one"] != names["two"]


def test_field_named_like_a_keyword_still_has_its_ref_rewritten() -> None:
    schema = record(
        "odd",
        "Odd",
        {
            "enum": {"$ref": "#/$defs/Inner"},
            "$ref": {"type": "string"},
            "x-acebind": {"allOf": [{"$ref": "#/$defs/Inner"}]},
        },
        {"Inner": {"type": "object", "properties": {}}},
    )
    schema["properties"]["Kind"] = {"enum": [{"$ref": "#/$defs/Inner"}]}
    index, schemas = tree((entry("odd"), schema))

    odd = build(index, schemas)["components"]["schemas"]["Odd"]["properties"]

    assert odd["enum"] == {"$ref": "#/components/schemas/OddInner"}
    assert odd["$ref"] == {"type": "string"}
    assert odd["x-acebind"]["allOf"] == [{"$ref": "#/components/schemas/OddInner"}]
    assert odd["Kind"]["enum"] == [{"$ref": "#/$defs/Inner"}]  # a value, not a ref


def test_refs_that_point_nowhere_here_are_dropped() -> None:
    schema = record(
        "odd",
        "Odd",
        {
            "Missing": {"$ref": "#/$defs/Missing"},
            "Remote": {"$ref": "https://example.invalid/schema.json"},
            "Anchor": {"$ref": "#anchor"},
            "Self": {"$ref": "#"},
            "Sibling": {"$ref": "#/properties/Code"},
            "Code": scalar("string"),
        },
    )
    index, schemas = tree((entry("odd"), schema))

    odd = build(index, schemas)["components"]["schemas"]["Odd"]["properties"]

    assert odd["Missing"] == {}
    assert odd["Remote"] == {}
    assert odd["Anchor"] == {}
    assert odd["Self"] == {"$ref": "#/components/schemas/Odd"}
    assert odd["Sibling"] == {"$ref": "#/components/schemas/Odd/properties/Code"}


# Paths and parameters.


def test_page_number_list_has_page_and_bounded_page_size() -> None:
    params = parameters(environment_document(), "/items/")

    assert params["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert params["page_size"]["schema"] == {
        "type": "integer",
        "minimum": 5,
        "maximum": 500,
        "default": 25,
    }
    assert all(p["in"] == "query" and p["required"] is False for p in params.values())


def test_page_size_bounds_are_omitted_when_unknown_and_param_when_unsupported() -> None:
    unbounded = {
        **PAGE_NUMBER,
        "pageParam": "p",
        "pageSize": {"param": "page_size", "default": None, "min": None, "max": None},
    }
    fixed = {**PAGE_NUMBER, "pageSize": {"param": None, "default": 25}}
    index, schemas = tree(
        (entry("a", pagination=unbounded), record("a", "A", {})),
        (entry("b", pagination=fixed), record("b", "B", {})),
    )
    document = build(index, schemas)

    assert parameters(document, "/a/")["page_size"]["schema"] == {"type": "integer"}
    assert set(parameters(document, "/a/")) == {"p", "page_size"}
    assert set(parameters(document, "/b/")) == {"page"}


def test_paginated_list_answers_the_envelope_of_records() -> None:
    document = environment_document()
    schema = response_schema(operation(document, "/items/", "get"))

    assert schema["required"] == ["count", "next", "previous", "results"]
    assert schema["properties"]["results"]["items"] == {
        "$ref": "#/components/schemas/Item"
    }
    record = {
        "ItemId": 1,
        "Code": "X",
        "Kind": "A",
        "Price": "1.00",
        "SalesPrices": None,
        "Lines": [{"Quantity": 2.5}],
    }
    page: dict[str, Any] = {
        "count": 1,
        "next": None,
        "previous": "https://host/items/?page=1",
        "results": [record],
    }
    validator(document, schema).validate(page)
    record["Kind"] = "C"
    assert not validator(document, schema).is_valid(page)


def test_limit_offset_list_has_limit_and_offset() -> None:
    params = parameters(environment_document(), "/logs/")

    assert params["limit"]["schema"] == {"type": "integer", "minimum": 1, "default": 50}
    assert params["offset"]["schema"] == {"type": "integer", "minimum": 0}
    assert set(params) == {"limit", "offset"}


def test_cursor_list_has_cursor_and_an_envelope_without_count() -> None:
    document = environment_document()
    schema = response_schema(operation(document, "/events/", "get"))

    assert set(parameters(document, "/events/")) == {"cursor"}
    assert parameters(document, "/events/")["cursor"]["schema"] == {"type": "string"}
    assert set(schema["properties"]) == {"next", "previous", "results"}


def test_unpaginated_list_answers_a_plain_array_without_parameters() -> None:
    document = environment_document()
    get = operation(document, "/units/", "get")

    assert "parameters" not in get
    assert response_schema(get) == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Unit"},
    }


def test_store_and_synccounter_only_when_proven() -> None:
    proven = {"store": True, "synccounter": True}
    refused = {"store": False, "synccounter": None}
    index, schemas = tree(
        (entry("a", filters=proven), record("a", "A", {})),
        (entry("b", filters=refused), record("b", "B", {})),
    )
    document = build(index, schemas)

    a = parameters(document, "/a/")
    assert a["store"]["schema"] == {"type": "integer"}
    assert a["synccounter"]["schema"] == {"type": "integer", "format": "int64"}
    assert {"store", "synccounter"}.isdisjoint(parameters(document, "/b/"))


def test_search_arguments_are_string_parameters_named_once() -> None:
    index, schemas = tree(
        (
            entry("a", filters=dict(PROVEN), search=["code", "page", "store", ""]),
            record("a", "A", {}),
        )
    )
    listed = operation(build(index, schemas), "/a/", "get")["parameters"]
    names = [parameter["name"] for parameter in listed]

    assert names == ["page", "page_size", "store", "synccounter", "code"]
    assert listed[-1]["schema"] == {"type": "string"}


def test_post_takes_a_record_or_an_array_and_answers_a_status() -> None:
    document = environment_document()
    post = operation(document, "/items/", "post")
    body = post["requestBody"]["content"]["application/json"]["schema"]

    assert body == {
        "oneOf": [
            {"$ref": "#/components/schemas/Item"},
            {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
        ]
    }
    assert post["requestBody"]["required"] is True
    validator(document, response_schema(post)).validate({"status": "1"})
    assert set(post["responses"]) == {"200", "400"}


def test_read_only_list_has_no_post_and_read_only_detail_no_writes() -> None:
    paths = environment_document()["paths"]

    assert set(paths["/stores/"]) == {"get"}
    assert set(paths["/stores/{StoreId}/"]) == {"parameters", "get"}


def test_detail_path_parameter_takes_the_key_fields_type() -> None:
    index, schemas = tree(
        (
            entry("items", detail=detail_of("items", "ItemId")),
            record("items", "Item", {"ItemId": scalar("integer")}),
        ),
        (
            entry("codes", detail=detail_of("codes", "Code")),
            record("codes", "Code", {"Code": scalar(["string", "null"])}),
        ),
        (
            entry("loose", detail=detail_of("loose", "Id")),
            record("loose", "Loose", {"Id": scalar(["integer", "null"])}),
        ),
    )
    paths = build(index, schemas)["paths"]

    def key(path: str) -> dict[str, Any]:
        [parameter] = paths[path]["parameters"]
        assert parameter["in"] == "path"
        assert parameter["required"] is True
        found: dict[str, Any] = parameter["schema"]
        return found

    assert key("/items/{ItemId}/") == {"type": "integer"}
    assert key("/codes/{Code}/") == {"type": "string"}
    assert key("/loose/{Id}/") == {"type": "integer"}
    assert response_schema(paths["/items/{ItemId}/"]["get"]) == {
        "$ref": "#/components/schemas/Item"
    }


def test_detail_put_and_patch_only_when_allowed_and_patch_requires_nothing() -> None:
    document = environment_document()
    item = document["paths"]["/items/{ItemId}/"]

    assert set(item) == {"parameters", "get", "put", "patch"}
    put = item["put"]["requestBody"]["content"]["application/json"]["schema"]
    patch = item["patch"]["requestBody"]["content"]["application/json"]["schema"]
    assert put == {"$ref": "#/components/schemas/Item"}
    assert "required" not in patch
    assert patch["properties"]["SalesPrices"]["anyOf"][0] == {
        "$ref": "#/components/schemas/ItemSalesPrices"
    }
    validator(document, patch).validate({"Code": "X"})


def test_object_endpoint_has_a_get_of_the_record_only() -> None:
    document = environment_document()

    assert set(document["paths"]["/settings/"]) == {"get"}
    get = operation(document, "/settings/", "get")
    assert response_schema(get) == {"$ref": "#/components/schemas/Settings"}
    assert get["operationId"] == "get_settings"


def test_unknown_endpoints_and_missing_schemas_are_skipped() -> None:
    index, schemas = environment()
    index["endpoints"].append({**entry("lost"), "schema": "endpoints/lost.json"})
    document = build_openapi(index, schemas)

    assert "/broken/" not in document["paths"]
    assert "/lost/" not in document["paths"]


def test_operation_ids_name_the_action_and_the_endpoint() -> None:
    ids = sorted(operation_ids(environment_document()))

    assert ids == [
        "create_items",
        "get_settings",
        "list_events",
        "list_items",
        "list_logs",
        "list_stores",
        "list_units",
        "partial_update_items",
        "retrieve_items",
        "retrieve_stores",
        "update_items",
    ]


def test_operation_ids_stay_unique_when_names_sanitise_alike() -> None:
    index, schemas = tree(
        (entry("a b", path="ab1/"), record("a b", "A", {})),
        (entry("a_b", path="ab2/"), record("a_b", "B", {})),
        (entry("A-B", path="ab3/"), record("A-B", "C", {})),
    )
    ids = operation_ids(build(index, schemas))

    assert len(set(ids)) == 3
    assert all(re.fullmatch(r"list_a_b_[0-9a-f]{8}", i) for i in ids)


def test_first_entry_keeps_a_path_given_twice() -> None:
    index, schemas = tree(
        (entry("items", path="items/"), record("items", "Item", {})),
        (
            entry("copy", path="items/", detail=detail_of("items", "Code")),
            record("copy", "Copy", {}),
        ),
        (entry("other", path="other/"), record("other", "Other", {})),
    )
    index["endpoints"][0]["detail"] = detail_of("items", "Id")
    document = build(index, schemas)

    assert operation(document, "/items/", "get")["operationId"] == "list_items"
    assert "/items/{Code}/" not in document["paths"]
    assert operation(document, "/items/{Id}/", "get")["x-acebind"] == {
        "endpoint": "items"
    }
    assert "Copy" in document["components"]["schemas"]


# Untrusted names.


def test_hostile_and_long_names_are_sanitised_and_still_valid() -> None:
    hostile = '../x "y"'
    long_name = "n" * 300
    index, schemas = tree(
        (
            entry(
                hostile,
                path='../x "y"/{z}?q=1#f/%zz/',
                detail={
                    "path": '../x "y"/{z}?q=1#f/%zz/{k/e"y}/',
                    "key": 'k/e"y',
                    "methods": ["PATCH"],
                },
                search=['a"b', "c d"],
            ),
            record(hostile, '../x "y"', {'k/e"y': scalar("integer")}),
        ),
        (
            entry(long_name, detail=detail_of(long_name, "Id")),
            record(long_name, long_name, {"Id": scalar("string")}),
        ),
        (
            entry(long_name[:-1] + "m"),
            record(long_name[:-1] + "m", long_name[:-1] + "m", {}),
        ),
    )
    document = build(index, schemas)

    names = list(document["components"]["schemas"])
    assert all(COMPONENT_NAME.match(name) and len(name) <= 100 for name in names)
    assert "XY" in names
    ids = operation_ids(document)
    assert len(ids) == len(set(ids)) == 6
    assert all(OPERATION_ID.match(i) and len(i) <= 80 for i in ids)
    paths = list(document["paths"])
    assert "/%2E%2E/x%20%22y%22/%7Bz%7D%3Fq=1%23f/%25zz/" in paths
    assert "/%2E%2E/x%20%22y%22/%7Bz%7D%3Fq=1%23f/%25zz/{k_e_y}/" in paths
    assert all(p.startswith("/") and ".." not in p.split("/") for p in paths)


# Real trees.


def test_document_built_from_inferred_record_schemas_is_valid() -> None:
    from generator.crawl.infer import record_schema
    from generator.findings import Findings

    declared = {
        "ItemId": {"type": "integer", "read_only": True},
        "Kind": {
            "type": "choice",
            "choices": [{"value": "A", "display_name": "a"}],
        },
        "SalesPrices": {
            "type": "nested object",
            "children": {"StoreId": {"type": "integer"}},
        },
    }
    records = [
        {"ItemId": 1, "Kind": "A", "SalesPrices": None, "Lines": [{"a": 1}]},
        {"ItemId": 2, "Kind": "A", "SalesPrices": {"StoreId": 1}, "Lines": []},
    ]
    schema = record_schema(
        "items", {"name": "Item List"}, declared, records, Findings(), True, []
    )
    index, schemas = tree(
        (entry("items", detail=detail_of("items", "ItemId"), methods=["POST"]), schema)
    )

    document = build(index, schemas)

    assert {"Item", "ItemSalesPrices", "ItemLines"} <= set(
        document["components"]["schemas"]
    )


@pytest.mark.skipif(not (DEMO / "index.json").is_file(), reason="no crawled demo tree")
def test_crawled_demo_tree_gives_a_valid_document() -> None:
    index = json.loads((DEMO / "index.json").read_text(encoding="utf-8"))
    schemas = {
        item["schema"]: json.loads((DEMO / item["schema"]).read_text(encoding="utf-8"))
        for item in index["endpoints"]
        if item.get("schema")
    }

    document = build(index, schemas)

    described = [item for item in index["endpoints"] if item["kind"] != "unknown"]
    assert len(operation_ids(document)) >= len(described)
    assert canonical(build_openapi(index, schemas)) == canonical(document)
    written = DEMO / "openapi.json"
    if written.is_file():
        assert json.loads(written.read_text(encoding="utf-8")) == document
