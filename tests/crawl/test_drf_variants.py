"""The crawl of purpose-built DRF endpoints: one DRF behaviour per endpoint.

One server (``tests/crawl/drfapps``) in a child process holds two API roots:
``v315/api/`` runs the installed DRF, ``v314/api/`` answers OPTIONS the way
DRF before 3.15 did. Each test checks what the crawl writes for it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema
import pytest
from openapi_spec_validator import validate

from generator.crawl.crawler import CrawlOptions, CrawlResult, crawl_environment
from generator.schema.tree import tree_files
from tests.crawl.drfapps import KINDS, PASSWORD, THINGS, USERNAME
from tests.crawl.drfapps.process import running_drfapps

AUTH = (USERNAME, PASSWORD)
V315_ENDPOINTS = [
    "kinds", "targets", "pages", "offsets", "offsets-bare", "cursor", "plain",
    "readonly", "guarded", "empty", "empty-readonly", "search",
    "nested/alpha", "nested/beta",
]  # fmt: skip
WRITE_FACTS = {"readOnly", "writeRequired"}


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with running_drfapps(tmp_path_factory.mktemp("drfapps")) as running:
        yield running


def crawl(root: str, **options: Any) -> CrawlResult:
    return asyncio.run(crawl_environment("drf", root, AUTH, CrawlOptions(**options)))


@pytest.fixture(scope="module")
def files(roots: dict[str, str]) -> dict[str, str]:
    return tree_files(crawl(roots["v315"]))


@pytest.fixture(scope="module")
def legacy(roots: dict[str, str]) -> dict[str, str]:
    return tree_files(crawl(roots["v314"]))


@pytest.fixture(scope="module")
def index(files: dict[str, str]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(files["index.json"])
    return loaded


def entry(index: dict[str, Any], name: str) -> dict[str, Any]:
    return next(e for e in index["endpoints"] if e["name"] == name)


def schema_of(files: dict[str, str], name: str) -> dict[str, Any]:
    index = json.loads(files["index.json"])
    loaded: dict[str, Any] = json.loads(files[entry(index, name)["schema"]])
    return loaded


def findings(index: dict[str, Any], endpoint: str) -> set[tuple[str, str | None]]:
    return {
        (f["code"], f["field"]) for f in index["findings"] if f["endpoint"] == endpoint
    }


@pytest.fixture(scope="module")
def kinds(files: dict[str, str]) -> dict[str, Any]:
    return schema_of(files, "kinds")


@pytest.fixture(scope="module")
def props(kinds: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = kinds["properties"]
    return loaded


def meta(prop: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = prop.get("x-acebind", {})
    return found


# -- 1. every DRF field kind ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "fmt"),
    [
        ("flag", "boolean", None),
        ("name", "string", None),
        ("email", "string", "email"),
        ("site", "string", "uri"),
        ("ref", "string", None),
        ("slug", "string", None),
        ("token", "string", "uuid"),
        ("ip", "string", None),
        ("count", "integer", None),
        ("size", "integer", None),
        ("ratio", "number", None),
        ("price", "string", "decimal"),
        ("day", "string", "date"),
        ("moment", "string", "date-time"),
        ("at", "string", "time"),
        ("span", "string", "duration"),
        ("pause", "string", "duration"),
        ("level", "integer", None),
        ("colour", "string", None),
        ("tags", "array", None),
        ("attachment", ["string", "null"], "uri"),
        ("numbers", "array", None),
        ("labels", "object", None),
        ("note", ["string", "null"], None),
        ("target", "integer", None),
        ("targets", "array", None),
        ("target_slug", "string", None),
        ("target_link", "string", "uri"),
        ("url", "string", "uri"),
        ("score", "integer", None),
        ("shout", "string", None),
        ("summary", "object", None),
        ("history", "array", None),
        ("echo", "string", None),
        ("lines", "array", None),
    ],
)
def test_each_field_kind_gets_its_wire_type_and_format(
    props: dict[str, Any], name: str, kind: str | list[str], fmt: str | None
) -> None:
    assert props[name]["type"] == kind
    assert props[name].get("format") == fmt


def test_options_type_strings_are_kept_as_drf_type(props: dict[str, Any]) -> None:
    drf_types = {name: meta(prop)["drfType"] for name, prop in props.items()}
    assert drf_types == {
        "id": "integer", "url": "field", "flag": "boolean", "name": "string",
        "email": "email", "site": "url", "ref": "regex", "slug": "slug",
        "token": "string", "ip": "string", "count": "integer", "size": "integer",
        "ratio": "float", "price": "decimal", "weight": "decimal", "day": "date",
        "moment": "datetime", "at": "time", "span": "duration", "pause": "duration",
        "level": "choice",
        "colour": "choice", "tags": "multiple choice", "attachment": "file upload",
        "numbers": "list", "labels": "nested object", "extra": "field",
        "note": "string", "target": "field", "targets": "field",
        "target_slug": "field", "target_link": "field", "owner": "nested object",
        "lines": "field", "score": "field", "shout": "field", "summary": "field",
        "history": "field", "echo": "field",
    }  # fmt: skip


def test_declared_limits_are_kept_and_column_ranges_dropped(
    props: dict[str, Any],
) -> None:
    assert (props["count"]["minimum"], props["count"]["maximum"]) == (0, 100)
    # A model IntegerField's min/max only mirror SQLite's 64-bit column.
    assert "minimum" not in props["size"]
    assert "maximum" not in props["size"]
    assert (props["name"]["minLength"], props["name"]["maxLength"]) == (2, 20)
    assert props["email"]["maxLength"] == 254
    assert props["slug"]["maxLength"] == 50
    # A FileField's max_length bounds the uploaded name, not the URL sent back.
    assert "maxLength" not in props["attachment"]


def test_decimals_keep_their_digits_and_an_unstringed_one_is_a_number(
    props: dict[str, Any],
) -> None:
    price, weight = meta(props["price"]), meta(props["weight"])
    assert (price["maxDigits"], price["decimalPlaces"]) == (8, 2)
    assert {"maxDigits", "decimalPlaces"} <= set(price["declared"])
    assert props["weight"]["type"] == "number"  # coerce_to_string=False
    assert (weight["maxDigits"], weight["decimalPlaces"]) == (6, 3)


def test_choices_become_enums_of_their_value_type(props: dict[str, Any]) -> None:
    assert props["level"]["enum"] == [1, 2]
    assert meta(props["level"])["choices"] == [
        {"label": "Low", "value": 1},
        {"label": "High", "value": 2},
    ]
    assert props["colour"]["enum"] == ["r", "g"]
    tags = props["tags"]
    assert tags["items"] == {"enum": ["new", "sale", "old"], "type": "string"}
    assert [c["label"] for c in meta(tags)["choices"]] == ["New", "On sale", "Old"]


def test_read_only_and_write_required_follow_options(props: dict[str, Any]) -> None:
    read_only = {name for name, prop in props.items() if prop.get("readOnly")}
    assert read_only == {
        "id", "url", "target_link", "owner", "score", "shout", "summary",
        "history", "echo",
    }  # fmt: skip
    optional = {
        name for name, prop in props.items() if meta(prop)["writeRequired"] is False
    }
    assert optional == read_only | {"attachment", "note"}
    assert all("writeRequired" in meta(prop)["declared"] for prop in props.values())


def test_nullable_only_where_the_records_hold_a_null(props: dict[str, Any]) -> None:
    nullable = {
        name
        for name, prop in props.items()
        if "null" in prop.get("type", []) or "anyOf" in prop
    }
    assert nullable == {"attachment", "note"}
    assert meta(props["note"])["observed"] == {
        "nulls": KINDS // 2, "present": KINDS, "records": KINDS,
    }  # fmt: skip


def test_every_field_in_every_record_is_required(kinds: dict[str, Any]) -> None:
    assert kinds["required"] == list(kinds["properties"])
    assert kinds["x-acebind"]["records"] == KINDS


def test_nested_serializers_become_definitions(kinds: dict[str, Any]) -> None:
    owner = kinds["properties"]["owner"]
    assert owner["$ref"] == "#/$defs/Owner"
    assert owner["readOnly"] is True
    target = kinds["$defs"]["Owner"]
    assert list(target["properties"]) == ["id", "code", "name"]
    assert target["required"] == ["id", "code", "name"]
    assert target["properties"]["code"]["maxLength"] == 50
    lines = kinds["properties"]["lines"]
    assert "readOnly" not in lines
    assert meta(lines)["writeRequired"] is True
    line = kinds["$defs"][lines["items"]["$ref"].rsplit("/", 1)[-1]]
    assert line["properties"]["position"]["type"] == "integer"
    assert line["properties"]["amount"]["format"] == "decimal"
    assert meta(line["properties"]["amount"])["decimalPlaces"] == 2


def test_containers_type_their_elements(props: dict[str, Any]) -> None:
    assert props["numbers"]["items"]["type"] == "integer"
    assert props["labels"]["additionalProperties"]["type"] == "string"
    assert props["targets"]["items"]["type"] == "integer"
    assert props["history"]["items"]["type"] == "string"


def test_types_options_calls_field_come_from_samples_only(
    props: dict[str, Any],
) -> None:
    for name in ("target", "targets", "target_slug", "url", "score", "extra"):
        assert "type" not in meta(props[name])["declared"], name
    assert props["extra"]["type"] == "object"  # what the JSONField held
    assert "properties" not in props["extra"]


def test_facts_no_outside_view_can_give_are_left_out(props: dict[str, Any]) -> None:
    # A RegexField's pattern, a SlugField's pattern and an IPAddressField's
    # protocol are never in OPTIONS; an IP address is declared "string".
    assert "pattern" not in props["ref"]
    assert "pattern" not in props["slug"]
    assert "format" not in props["ip"]
    # No null was sampled: a nullable serializer field without one is not
    # marked nullable, and nullability is observed, never declared.
    assert all("nullable" not in meta(prop)["declared"] for prop in props.values())


# -- 2. DRF before 3.15 ------------------------------------------------------


def test_legacy_duration_gets_its_format_from_samples(legacy: dict[str, str]) -> None:
    span = schema_of(legacy, "kinds")["properties"]["span"]
    assert meta(span)["drfType"] == "field"
    assert (span["type"], span["format"]) == ("string", "duration")
    assert "format" not in meta(span)["declared"]


def test_legacy_duration_under_a_day_has_an_unknown_format(
    legacy: dict[str, str],
) -> None:
    # "00:05:00" reads as a time and as a duration; OPTIONS said "field".
    pause = schema_of(legacy, "kinds")["properties"]["pause"]
    assert meta(pause)["drfType"] == "field"
    assert pause["type"] == "string"
    assert "format" not in pause
    assert meta(pause)["unknown"] == ["format", "nullable"]


def test_legacy_decimal_places_come_from_samples(legacy: dict[str, str]) -> None:
    props = schema_of(legacy, "kinds")["properties"]
    price = props["price"]
    assert (price["type"], price["format"]) == ("string", "decimal")
    assert meta(price)["decimalPlaces"] == 2
    assert "decimalPlaces" not in meta(price)["declared"]
    assert "maxDigits" not in meta(price)  # only OPTIONS of 3.15 and later says
    weight = props["weight"]
    assert weight["type"] == "number"
    assert "decimalPlaces" not in meta(weight)  # a JSON number drops its zeros


def test_legacy_and_current_agree_on_everything_else(
    files: dict[str, str], legacy: dict[str, str]
) -> None:
    def facts(prop: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in prop.items() if k != "x-acebind"}

    current = schema_of(files, "kinds")["properties"]
    old = schema_of(legacy, "kinds")["properties"]
    assert list(old) == list(current)
    assert {n for n in current if facts(current[n]) != facts(old[n])} == {"pause"}


# -- 3. pagination styles ----------------------------------------------------


def test_page_number_pagination_with_a_capped_page_size(
    index: dict[str, Any],
) -> None:
    pages = entry(index, "pages")
    assert pages["pagination"] == {
        "style": "page-number",
        "pageParam": "page",
        "pageSize": {"param": "page_size", "default": 3, "min": 1, "max": 5},
    }
    assert pages["records"] == 5 + THINGS % 5  # the largest page and the last


def test_limit_offset_pagination_with_a_default_limit(index: dict[str, Any]) -> None:
    offsets = entry(index, "offsets")
    assert offsets["pagination"] == {
        "style": "limit-offset",
        "offsetParam": "offset",
        "pageSize": {"param": "limit", "default": 4, "min": 1, "max": None},
    }
    assert offsets["records"] == THINGS


def test_limit_offset_without_default_is_a_bare_list_until_limited(
    index: dict[str, Any], roots: dict[str, str]
) -> None:
    with httpx.Client(base_url=roots["v315"], auth=AUTH) as client:
        bare = client.get("offsets-bare/", params={"format": "json"}).json()
    assert isinstance(bare, list)
    pagination = entry(index, "offsets-bare")["pagination"]
    assert pagination["style"] == "limit-offset"
    assert pagination["pageSize"]["default"] is None
    assert pagination["pageSize"]["param"] == "limit"


def test_cursor_pagination_has_no_count_and_no_size_argument(
    index: dict[str, Any],
) -> None:
    cursor = entry(index, "cursor")
    assert cursor["pagination"] == {
        "style": "cursor",
        "cursorParam": "cursor",
        "pageSize": {"param": None, "default": 4, "min": None, "max": None},
    }
    assert cursor["records"] == 8  # two pages within the default budget


def test_no_pagination_is_a_bare_list(index: dict[str, Any]) -> None:
    plain = entry(index, "plain")
    assert plain["pagination"] == {"style": "none"}
    assert plain["records"] == THINGS


# -- 4. readable, not writable -----------------------------------------------


def test_read_only_viewset_gives_only_sample_facts(
    files: dict[str, str], index: dict[str, Any]
) -> None:
    readonly = entry(index, "readonly")
    assert readonly["methods"] == ["GET", "HEAD", "OPTIONS"]
    assert readonly["detail"]["methods"] == ["GET", "HEAD", "OPTIONS"]
    props = schema_of(files, "readonly")["properties"]
    assert {n: p["type"] for n, p in props.items()} == {
        "id": "integer", "name": "string", "number": "integer", "group": "string",
    }  # fmt: skip
    for prop in props.values():
        assert "declared" not in meta(prop)
        assert "readOnly" not in prop
        assert not WRITE_FACTS & (set(meta(prop)) | set(meta(prop).get("unknown", [])))


def test_write_forbidden_by_permission_gives_no_write_facts(
    files: dict[str, str], index: dict[str, Any]
) -> None:
    guarded = entry(index, "guarded")
    assert "POST" in guarded["methods"]  # Allow lists the view's methods
    assert "options" in guarded["sources"]
    props = schema_of(files, "guarded")["properties"]
    assert list(props) == ["id", "name", "number", "group"]
    for prop in props.values():
        assert "declared" not in meta(prop)
        assert "writeRequired" not in meta(prop)
        # No null in the samples proves nothing about nullability either.
        assert set(meta(prop)["unknown"]) == WRITE_FACTS | {"nullable"}
    assert not findings(index, "guarded")


# -- 5. empty endpoints ------------------------------------------------------


def test_empty_endpoint_is_described_by_options_alone(
    files: dict[str, str], index: dict[str, Any]
) -> None:
    empty = entry(index, "empty")
    assert empty["records"] == 0
    assert empty["sources"] == ["html", "options"]
    assert empty["filters"] == {"store": None, "synccounter": None}
    assert empty["detail"] is None
    schema = schema_of(files, "empty")
    assert "required" not in schema
    props = schema["properties"]
    assert props["name"]["maxLength"] == 20
    assert props["when"]["format"] == "date"
    assert all("nullable" in meta(prop)["unknown"] for prop in props.values())
    # A relation is "field" in OPTIONS; without a record its type is unknown.
    assert "type" not in props["target"]
    assert "type" in meta(props["target"])["unknown"]
    assert findings(index, "empty") == {
        ("no-records", None),
        ("type-unknown", "/target"),
    }


def test_read_only_empty_endpoint_is_reported_unknown(
    files: dict[str, str], index: dict[str, Any]
) -> None:
    schema = schema_of(files, "empty-readonly")
    assert schema["properties"] == {}
    assert schema["x-acebind"]["unknown"] == ["properties"]
    assert entry(index, "empty-readonly")["filters"] == {
        "store": None, "synccounter": None,
    }  # fmt: skip
    assert findings(index, "empty-readonly") == {
        ("no-fields", None),
        ("no-records", None),
    }
    warning = next(f for f in index["findings"] if f["code"] == "no-fields")
    assert warning["level"] == "warning"


# -- 6. roots ----------------------------------------------------------------


def test_every_endpoint_is_found_in_root_order_with_nested_names(
    index: dict[str, Any],
) -> None:
    assert [e["name"] for e in index["endpoints"]] == V315_ENDPOINTS
    assert entry(index, "nested/beta")["path"] == "nested/beta/"
    assert entry(index, "nested/alpha")["detail"]["path"] == "nested/alpha/{id}/"


def test_link_to_another_origin_is_not_followed(index: dict[str, Any]) -> None:
    assert findings(index, "elsewhere") == {("link-other-origin", None)}
    warning = next(f for f in index["findings"] if f["endpoint"] == "elsewhere")
    assert warning["level"] == "warning"


def test_links_back_to_a_crawled_root_are_skipped(index: dict[str, Any]) -> None:
    assert findings(index, "self") == {("link-seen", None)}
    assert findings(index, "nested/up") == {("link-seen", None)}


# -- 7. extra actions, filters, search ---------------------------------------


def test_extra_actions_of_list_and_detail_are_listed(index: dict[str, Any]) -> None:
    assert entry(index, "search")["actions"] == [
        {"name": "Recent", "path": "search/recent/"},
        {"name": "Touch", "path": "search/{id}/touch/"},
    ]
    assert all(not e["actions"] for e in index["endpoints"] if e["name"] != "search")


def test_django_filter_fields_and_search_box_are_search_arguments(
    index: dict[str, Any],
) -> None:
    search = entry(index, "search")
    assert search["search"] == ["group", "number", "search"]
    assert search["filters"] == {"store": False, "synccounter": False}
    assert entry(index, "plain")["search"] == []


# -- 8. determinism and validity ---------------------------------------------


def test_two_crawls_give_identical_files(
    roots: dict[str, str], files: dict[str, str]
) -> None:
    assert tree_files(crawl(roots["v315"], concurrency=2)) == files


def test_every_schema_passes_the_2020_12_metaschema(
    files: dict[str, str], legacy: dict[str, str]
) -> None:
    for tree in (files, legacy):
        for path, text in tree.items():
            if path.startswith("endpoints/"):
                jsonschema.Draft202012Validator.check_schema(json.loads(text))


def test_openapi_documents_are_valid(
    files: dict[str, str], legacy: dict[str, str]
) -> None:
    validate(json.loads(files["openapi.json"]))
    validate(json.loads(legacy["openapi.json"]))


def test_the_records_validate_against_their_schemas(
    roots: dict[str, str], files: dict[str, str], index: dict[str, Any]
) -> None:
    # Formats stay annotations (the 2020-12 default): "time" and "duration"
    # name DRF's spellings, not RFC 3339's full-time or ISO 8601's durations.
    with httpx.Client(base_url=roots["v315"], auth=AUTH) as client:
        for endpoint in index["endpoints"]:
            page = client.get(endpoint["path"], params={"format": "json"}).json()
            records = page if isinstance(page, list) else page["results"]
            validator = jsonschema.Draft202012Validator(
                schema_of(files, endpoint["name"])
            )
            for record in records:
                validator.validate(record)


def test_no_record_value_and_no_host_in_any_file(
    roots: dict[str, str], files: dict[str, str]
) -> None:
    blob = "\n".join(files.values())
    assert "127.0.0.1" not in blob
    assert "elsewhere.example" not in blob
    for value in ("kind 1", "k1@example.com", "AB1", "10.0.0.1", "t-1", "thing 03"):
        assert value not in blob
