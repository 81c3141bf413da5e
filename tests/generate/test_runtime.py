"""The runtime every generated package carries, ``templates/package/_runtime.py``.

It is loaded from its file, the way each generated package gets a copy of it.
Most servers here are ``httpx.MockTransport`` handlers that fail in one
precise way; the last tests run both clients against the sandbox over real
HTTP, with customer keys 9500 to 9599.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import datetime as dt
import email.utils
import enum
import gc
import importlib.util
import itertools
import logging
import pickle
import sys
import time
import uuid
import weakref
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import attrs
import httpx
import pytest

RUNTIME_FILE = (
    Path(__file__).resolve().parents[2] / "templates" / "package" / "_runtime.py"
)


def _load_runtime() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "acebind_runtime_under_test", RUNTIME_FILE
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered, so that pickle finds UNSET and the errors by their module.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:
    from templates.package import _runtime as rt
    from tests.conftest import Sandbox
else:
    rt = _load_runtime()

ROOT = "https://env.example.test/dimas/api/"
USER = "api-user"
PASSWORD = "Pa55-w0rd-n3ver-shown"
BASIC = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
FAST: dict[str, Any] = {"backoff": 0.001, "max_backoff": 0.002}
SAVED = {"status": "1"}

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class Script:
    """A server answering with ``answers`` in turn, the last one ever after."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            # A fresh copy: one response object is never sent twice.
            return httpx.Response(
                answer.status_code, headers=answer.headers, content=answer.content
            )
        return answer(request)

    @property
    def bodies(self) -> list[Any]:
        return [httpx.Response(200, content=r.content).json() for r in self.seen]


def client_for(
    handler: Callable[[httpx.Request], httpx.Response], **options: Any
) -> rt.BaseClient:
    settings: dict[str, Any] = {**FAST, **options}
    return rt.BaseClient(
        settings.pop("base_url", ROOT),
        username=USER,
        password=PASSWORD,
        transport=httpx.MockTransport(handler),
        **settings,
    )


def async_client_for(
    handler: Callable[[httpx.Request], httpx.Response], **options: Any
) -> rt.AsyncBaseClient:
    return rt.AsyncBaseClient(
        ROOT,
        username=USER,
        password=PASSWORD,
        transport=httpx.MockTransport(handler),
        **{**FAST, **options},
    )


def get(
    handler: Callable[[httpx.Request], httpx.Response],
    path: str = "items/",
    **options: Any,
) -> Any:
    with client_for(handler, **options) as client:
        return client.request_json("GET", path)


def post(
    handler: Callable[[httpx.Request], httpx.Response], body: Any = None, **options: Any
) -> Any:
    with client_for(handler, **options) as client:
        return client.request_json("POST", "customers/", json=body or [{}])


def recorded_waits(
    client: rt.BaseClient, monkeypatch: pytest.MonkeyPatch
) -> list[float]:
    waits: list[float] = []
    monkeypatch.setattr(client, "_sleep", waits.append)
    return waits


def page(
    results: list[Any], next_url: str | None, count: int | None = 5
) -> httpx.Response:
    envelope = {"count": count, "next": next_url, "previous": None, "results": results}
    return httpx.Response(200, json=envelope)


def error(status: int, body: Any, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def no_credentials_in(text: str) -> bool:
    return PASSWORD not in text and BASIC.split()[1] not in text


# --- UNSET -------------------------------------------------------------------------


def test_unset_is_a_falsy_singleton_distinct_from_none() -> None:
    assert not rt.UNSET
    assert repr(rt.UNSET) == str(rt.UNSET) == "UNSET"
    assert rt.UNSET is not None
    assert rt.UNSET != None  # noqa: E711
    assert rt.Unset("UNSET") is rt.UNSET
    assert isinstance(rt.UNSET, rt.Unset)


def test_unset_survives_pickle_and_copy_as_the_same_object() -> None:
    assert pickle.loads(pickle.dumps(rt.UNSET)) is rt.UNSET
    assert copy.copy(rt.UNSET) is rt.UNSET
    assert copy.deepcopy({"v": rt.UNSET})["v"] is rt.UNSET


def test_query_arguments_that_are_none_or_unset_are_left_out() -> None:
    server = Script(httpx.Response(200, json=[]))
    params: rt.Params = {"a": None, "b": rt.UNSET, "c": 0, "d": False, "e": ["x", "y"]}
    with client_for(server) as client:
        client.request_json("GET", "items/", params=params)

    query = server.seen[0].url.params
    assert "a" not in query
    assert "b" not in query
    assert (query["c"], query["d"], query.get_list("e")) == ("0", "false", ["x", "y"])


# --- what every request sends, and where -------------------------------------------


def test_every_request_asks_for_json_in_english_with_basic_auth() -> None:
    server = Script(httpx.Response(200, json={}))
    headers = {"X-Trace": "t-1", "Accept": "text/html"}
    with client_for(server, headers=headers) as client:
        client.request_json("GET", "items/", params={"page": 2})

    sent = server.seen[0]
    assert sent.headers["Authorization"] == BASIC
    assert sent.headers["Accept"] == "application/json"
    assert sent.headers["Accept-Language"] == "en"
    assert sent.headers["X-Trace"] == "t-1"
    assert sent.url.params.get_list("format") == ["json"]
    assert str(sent.url) == f"{ROOT}items/?page=2&format=json"


def test_base_url_gains_its_trailing_slash_and_paths_resolve_below_it() -> None:
    server = Script(httpx.Response(200, json={}))
    with client_for(server, base_url=ROOT.rstrip("/")) as client:
        assert client.base_url == ROOT
        client.request_json("GET", "customers/")

    assert server.seen[0].url.path == "/dimas/api/customers/"


def test_base_url_with_user_info_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValueError, match="user info") as raised:
        rt.BaseClient(
            f"https://{USER}:{PASSWORD}@env.example.test/api/",
            username=USER,
            password=PASSWORD,
        )

    assert no_credentials_in(str(raised.value))


@pytest.mark.parametrize("url", ["ftp://env.example.test/api/", "api/", "https:///x"])
def test_base_url_that_is_not_absolute_http_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        rt.BaseClient(url, username=USER, password=PASSWORD)


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example.test/dimas/api/items/",
        "//elsewhere.example.test/dimas/api/items/",
        "http://env.example.test/dimas/api/items/",
        "https://env.example.test:8443/dimas/api/items/",
        "https://env.example.test.elsewhere.test/dimas/api/items/",
    ],
)
def test_url_of_another_origin_is_refused_before_anything_is_sent(url: str) -> None:
    server = Script(httpx.Response(200, json={}))
    with pytest.raises(
        rt.UnexpectedResponseError, match="outside the origin"
    ) as raised:
        get(server, url)

    assert server.seen == []
    assert raised.value.status is None


def test_url_of_the_same_origin_is_accepted_however_it_is_spelt() -> None:
    server = Script(httpx.Response(200, json={"ok": True}))
    assert get(server, "HTTPS://ENV.example.test:443/other/api/") == {"ok": True}
    assert server.seen[0].headers["Authorization"] == BASIC


def test_user_info_in_a_same_origin_url_is_dropped_for_the_clients_credentials() -> (
    None
):
    server = Script(httpx.Response(200, json={}))
    get(server, "https://mallory:hunter2@env.example.test/dimas/api/items/")

    sent = server.seen[0]
    assert not sent.url.userinfo
    assert sent.headers["Authorization"] == BASIC


# --- retries ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_get_is_retried_on_transient_statuses_until_it_succeeds(status: int) -> None:
    server = Script(error(status, {}), error(status, {}), httpx.Response(200, json=[1]))
    assert get(server) == [1]
    assert len(server.seen) == 3


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("server disconnected"),
    ],
)
def test_get_is_retried_on_network_failures(failure: Exception) -> None:
    server = Script(failure, failure, httpx.Response(200, json=[1]))
    assert get(server) == [1]
    assert len(server.seen) == 3


def test_get_that_keeps_failing_raises_server_error_after_every_retry() -> None:
    server = Script(error(502, {"detail": "Bad gateway."}))
    with pytest.raises(rt.ServerError) as raised:
        get(server, retries=2)

    assert len(server.seen) == 3
    assert raised.value.status == 502
    assert raised.value.detail == "Bad gateway."


def test_get_that_cannot_connect_raises_transport_error_caused_by_httpx() -> None:
    server = Script(httpx.ConnectError("connection refused"))
    with pytest.raises(rt.TransportError) as raised:
        get(server)

    assert len(server.seen) == 5
    assert isinstance(raised.value.__cause__, httpx.ConnectError)
    assert raised.value.attempts == 5
    assert not raised.value.outcome_unknown
    assert str(raised.value) == (
        f"GET {ROOT}items/?format=json failed after 5 attempts: "
        "ConnectError: connection refused"
    )


def test_backoff_grows_exponentially_with_full_jitter_under_its_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = Script(error(503, {}))
    client = client_for(server, backoff=1.0, max_backoff=3.0, retries=4)
    waits = recorded_waits(client, monkeypatch)
    with client, pytest.raises(rt.ServerError):
        client.request_json("GET", "items/")

    assert len(waits) == 4
    assert all(0 <= wait <= cap for wait, cap in zip(waits, [1, 2, 3, 3], strict=True))


def test_retry_after_seconds_are_honoured_on_429(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = Script(
        error(429, {}, **{"Retry-After": "7"}), httpx.Response(200, json={})
    )
    client = client_for(server)
    waits = recorded_waits(client, monkeypatch)
    with client:
        client.request_json("GET", "items/")

    assert waits == [7.0]


def test_retry_after_as_an_http_date_is_honoured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    server = Script(
        error(503, {}, **{"Retry-After": when}), httpx.Response(200, json={})
    )
    client = client_for(server)
    waits = recorded_waits(client, monkeypatch)
    with client:
        client.request_json("GET", "items/")

    assert len(waits) == 1
    assert 27 < waits[0] <= 30


def test_retry_after_is_capped_at_max_retry_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = Script(
        error(429, {}, **{"Retry-After": "3600"}), httpx.Response(200, json={})
    )
    client = client_for(server, max_retry_after=5.0)
    waits = recorded_waits(client, monkeypatch)
    with client:
        client.request_json("GET", "items/")

    assert waits == [5.0]


def test_throttling_that_outlasts_the_retries_raises_throttled_error() -> None:
    body = {"detail": "Request was throttled."}
    server = Script(error(429, body, **{"Retry-After": "2"}))
    with pytest.raises(rt.ThrottledError) as raised:
        get(server, retries=1, max_retry_after=0.001)

    assert raised.value.retry_after == 2.0
    assert raised.value.detail == "Request was throttled."
    assert len(server.seen) == 2


@pytest.mark.parametrize(
    ("answer", "raised"),
    [
        (error(500, {}), rt.ServerError),
        (error(502, {}), rt.ServerError),
        (error(504, {}), rt.ServerError),
        (error(503, {}), rt.ServerError),
        (error(429, {}), rt.ThrottledError),
    ],
)
def test_post_is_not_retried_on_a_status_that_may_follow_its_processing(
    answer: httpx.Response, raised: type[Exception]
) -> None:
    server = Script(answer, httpx.Response(200, json=SAVED))
    with pytest.raises(raised):
        post(server)

    assert len(server.seen) == 1


@pytest.mark.parametrize("status", [429, 503])
def test_post_is_retried_on_429_and_503_with_retry_after(status: int) -> None:
    refused = error(status, {}, **{"Retry-After": "1"})
    server = Script(refused, httpx.Response(200, json=SAVED))
    assert post(server, max_retry_after=0.001) == SAVED
    assert len(server.seen) == 2


@pytest.mark.parametrize(
    "failure", [httpx.ConnectError("refused"), httpx.ConnectTimeout("timed out")]
)
def test_post_is_retried_when_the_connection_failed_before_sending(
    failure: Exception,
) -> None:
    server = Script(failure, httpx.Response(200, json=SAVED))
    assert post(server) == SAVED
    assert len(server.seen) == 2


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("timed out"),
        httpx.WriteTimeout("timed out"),
        httpx.RemoteProtocolError("server disconnected"),
        httpx.ReadError("connection reset"),
    ],
)
def test_post_is_never_resent_once_its_outcome_is_unknown(failure: Exception) -> None:
    server = Script(failure, httpx.Response(200, json=SAVED))
    with pytest.raises(rt.TransportError, match="outcome is unknown") as raised:
        post(server)

    assert len(server.seen) == 1
    assert raised.value.outcome_unknown
    assert raised.value.attempts == 1


# --- statuses and bodies ------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "raised"),
    [
        (400, rt.ValidationError),
        (401, rt.AuthenticationError),
        (403, rt.PermissionDeniedError),
        (404, rt.NotFoundError),
        (405, rt.UnexpectedResponseError),
        (406, rt.UnexpectedResponseError),
        (409, rt.UnexpectedResponseError),
        (500, rt.ServerError),
        (501, rt.ServerError),
        (302, rt.UnexpectedResponseError),
    ],
)
def test_statuses_map_onto_the_exception_tree(
    status: int, raised: type[Exception]
) -> None:
    server = Script(error(status, {"detail": "No."}))
    with pytest.raises(raised) as caught:
        get(server, retries=0)

    assert isinstance(caught.value, rt.ApiError)
    assert isinstance(caught.value, rt.StoresAceError)
    assert caught.value.status == status


def test_error_message_is_one_line_of_status_method_url_and_detail() -> None:
    server = Script(error(404, {"detail": "Not\n   found."}))
    with pytest.raises(rt.NotFoundError) as raised:
        get(server, "items/9/")

    exc = raised.value
    assert str(exc) == f"404 GET {ROOT}items/9/?format=json: Not found."
    assert (exc.method, exc.url, exc.detail) == (
        "GET",
        f"{ROOT}items/9/?format=json",
        "Not\n   found.",
    )
    assert exc.body == {"detail": "Not\n   found."}


def test_authentication_error_keeps_the_challenge_and_no_credential() -> None:
    challenge = {"WWW-Authenticate": 'Basic realm="api"'}
    server = Script(error(401, {"detail": "Invalid username/password."}, **challenge))
    with pytest.raises(rt.AuthenticationError) as raised:
        get(server)

    assert raised.value.headers["WWW-Authenticate"] == 'Basic realm="api"'
    assert no_credentials_in(str(raised.value) + repr(raised.value) + raised.value.url)


def test_redirects_are_reported_not_followed() -> None:
    moved = httpx.Response(302, headers={"Location": "https://elsewhere.test/x"})
    server = Script(moved)
    with pytest.raises(rt.UnexpectedResponseError, match="not followed"):
        get(server)

    assert len(server.seen) == 1


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (
            httpx.Response(200, html="<html>login</html>"),
            "expected JSON, got text/html",
        ),
        (httpx.Response(200, text="[1, 2"), "expected JSON, got text/plain"),
        (
            httpx.Response(
                200, content=b"[1, 2", headers={"Content-Type": "application/json"}
            ),
            "invalid JSON",
        ),
        (httpx.Response(200), "expected JSON, got no content type"),
    ],
)
def test_success_without_json_is_an_unexpected_response(
    answer: httpx.Response, says: str
) -> None:
    with pytest.raises(rt.UnexpectedResponseError, match=says) as raised:
        get(Script(answer))

    assert raised.value.status == 200
    assert raised.value.body == answer.text


def test_no_content_decodes_to_none() -> None:
    assert get(Script(httpx.Response(204))) is None


def test_error_body_that_is_not_json_is_kept_as_text() -> None:
    server = Script(httpx.Response(502, html="<h1>Bad Gateway</h1>"))
    with pytest.raises(rt.ServerError) as raised:
        get(server, retries=0)

    assert raised.value.body == "<h1>Bad Gateway</h1>"
    assert raised.value.detail is None


def test_errors_survive_pickling_with_their_facts() -> None:
    throttled = rt.ThrottledError(
        429,
        ROOT,
        "Slow down.",
        {},
        method="GET",
        headers=httpx.Headers({"Retry-After": "3"}),
    )
    invalid = rt.ValidationError(400, ROOT, None, {"1": {"A": ["x"]}}, method="POST")
    lost = rt.TransportError("POST", ROOT, "ReadTimeout", outcome_unknown=True)
    for original in (throttled, invalid, lost):
        copy_ = pickle.loads(pickle.dumps(original))
        assert type(copy_) is type(original)
        assert str(copy_) == str(original)
        assert copy_.__dict__ == original.__dict__


# --- validation errors --------------------------------------------------------------


def test_validation_error_of_one_record_maps_fields_to_messages() -> None:
    body = {
        "StoreId": ["This field may not be null."],
        "TillId": ["This field is required."],
    }
    exc = rt.ValidationError(400, ROOT, None, body, method="POST")

    assert exc.errors == body
    assert exc.record_errors == {}
    assert exc.indices == []
    assert str(exc) == (
        f"400 POST {ROOT}: StoreId: This field may not be null.; "
        "TillId: This field is required."
    )


def test_bulk_errors_as_a_list_aligned_with_the_input_up_to_drf_3_17() -> None:
    body = [{}, {"CustomerId": ["A valid integer is required."]}, {}, {"A": ["x"]}]
    exc = rt.ValidationError(400, ROOT, None, body, method="POST")

    assert exc.record_errors == {1: body[1], 3: body[3]}
    assert exc.indices == [1, 3]
    assert exc.errors == {}
    assert "invalid records at 1, 3" in str(exc)


def test_bulk_errors_as_an_object_keyed_by_index_from_drf_3_18() -> None:
    body = {
        "10": {"A": ["x"]},
        "2": {"non_field_errors": ["Duplicate record in this request."]},
    }
    exc = rt.ValidationError(400, ROOT, None, body, method="POST")

    assert exc.record_errors == {2: body["2"], 10: body["10"]}
    assert exc.indices == [2, 10]
    assert exc.errors == {}


def test_parse_error_detail_is_not_a_field_error() -> None:
    body = {"detail": "JSON parse error - Expecting value"}
    exc = rt.ValidationError(400, ROOT, body["detail"], body, method="POST")

    assert exc.errors == {}
    assert exc.record_errors == {}
    assert str(exc).endswith(": JSON parse error - Expecting value")


def test_bare_list_of_messages_is_an_object_level_error() -> None:
    exc = rt.ValidationError(400, ROOT, None, ["Something is wrong."])
    assert exc.errors == {"non_field_errors": ["Something is wrong."]}


# --- pages ------------------------------------------------------------------------


def paged(pages: dict[str, httpx.Response]) -> Script:
    """A server answering by path and ``page``, from ``pages``."""

    def answer(request: httpx.Request) -> httpx.Response:
        key = request.url.path + "?" + request.url.params.get("page", "1")
        found = pages.get(key)
        if found is None:
            return error(404, {"detail": "Invalid page."})
        return httpx.Response(
            found.status_code, headers=found.headers, content=found.content
        )

    return Script(answer)


def test_iter_pages_follows_next_links_to_the_end() -> None:
    link = f"{ROOT}items/?format=json&page_size=2&page="
    server = paged(
        {
            "/dimas/api/items/?1": page([{"n": 1}, {"n": 2}], link + "2"),
            "/dimas/api/items/?2": page([{"n": 3}, {"n": 4}], link + "3"),
            "/dimas/api/items/?3": page([{"n": 5}], None),
        }
    )
    with client_for(server) as client:
        pages = list(client.iter_pages("items/", {"page_size": 2}))

    assert [records for records, _, _ in pages] == [
        [{"n": 1}, {"n": 2}],
        [{"n": 3}, {"n": 4}],
        [{"n": 5}],
    ]
    assert [count for _, count, _ in pages] == [5, 5, 5]
    assert [nxt for _, _, nxt in pages] == [link + "2", link + "3", None]
    assert all(r.url.params.get_list("format") == ["json"] for r in server.seen)


def test_a_pages_body_goes_with_its_last_reference_not_at_the_next_collection() -> None:
    made: list[weakref.ref[httpx.Response]] = []

    def server(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page", "1"))
        more = f"{ROOT}items/?page={number + 1}" if number < 3 else None
        response = page([{"n": number}], more)
        made.append(weakref.ref(response))
        return response

    gc.disable()
    try:
        with client_for(server) as client:
            assert len(list(client.iter_pages("items/"))) == 3
        assert [alive() for alive in made] == [None, None, None]
    finally:
        gc.enable()


def test_iter_pages_takes_a_bare_list_as_the_only_page() -> None:
    server = Script(httpx.Response(200, json=[{"n": 1}, {"n": 2}]))
    with client_for(server) as client:
        assert list(client.iter_pages("items/")) == [([{"n": 1}, {"n": 2}], 2, None)]


def test_cursor_page_without_count_gives_none() -> None:
    body = {"next": None, "previous": None, "results": [{"n": 1}]}
    with client_for(Script(httpx.Response(200, json=body))) as client:
        assert list(client.iter_pages("items/")) == [([{"n": 1}], None, None)]


def test_next_link_to_another_origin_is_refused_without_sending_credentials() -> None:
    foreign = "https://elsewhere.example.test/dimas/api/items/?page=2"
    server = Script(page([{"n": 1}], foreign), page([{"n": 2}], None))
    with client_for(server) as client:
        pages = client.iter_pages("items/")
        assert next(pages)[0] == [{"n": 1}]
        with pytest.raises(
            rt.UnexpectedResponseError, match="outside the origin"
        ) as raised:
            next(pages)

    assert [r.url.host for r in server.seen] == ["env.example.test"]
    assert raised.value.status == 200
    assert "a link of" in str(raised.value)


def test_relative_next_link_resolves_against_its_page() -> None:
    server = paged(
        {
            "/dimas/api/items/?1": page([{"n": 1}], "?page=2"),
            "/dimas/api/items/?2": page([{"n": 2}], None),
        }
    )
    with client_for(server) as client:
        assert len(list(client.iter_pages("items/"))) == 2

    assert str(server.seen[1].url) == f"{ROOT}items/?page=2&format=json"


def test_next_link_that_cannot_be_parsed_is_refused() -> None:
    server = Script(page([{"n": 1}], "https://env.example.test:port/items/"))
    with (
        client_for(server) as client,
        pytest.raises(rt.UnexpectedResponseError, match="cannot be parsed"),
    ):
        list(client.iter_pages("items/"))


def test_next_link_cycle_ends_the_pages(caplog: pytest.LogCaptureFixture) -> None:
    # DRF's link back to page 1 drops ``page``; format and order may differ.
    server = paged(
        {
            "/dimas/api/items/?1": page([{"n": 1}], f"{ROOT}items/?page=2&format=json"),
            "/dimas/api/items/?2": page([{"n": 2}], f"{ROOT}items/?format=json"),
        }
    )
    with client_for(server) as client:
        # Bounded, so that a client going round the cycle fails, not hangs.
        pages = list(itertools.islice(client.iter_pages("items/"), 10))

    assert [records for records, _, _ in pages] == [[{"n": 1}], [{"n": 2}]]
    assert len(server.seen) == 2
    assert "cycle" in caplog.text


@pytest.mark.parametrize(
    "body",
    [{"detail": "nope"}, {"results": {"n": 1}}, {"results": [1, 2]}, "text", 3],
)
def test_page_that_is_neither_an_envelope_nor_a_list_of_records_is_refused(
    body: Any,
) -> None:
    with (
        client_for(Script(httpx.Response(200, json=body))) as client,
        pytest.raises(rt.UnexpectedResponseError),
    ):
        list(client.iter_pages("items/"))


# --- batched POST -----------------------------------------------------------------


def by_first_id(failures: dict[int, httpx.Response]) -> Script:
    """A server failing the batches that start with a key of ``failures``."""

    def answer(request: httpx.Request) -> httpx.Response:
        batch = httpx.Response(200, content=request.content).json()
        failed = failures.get(batch[0]["Id"])
        return failed if failed is not None else httpx.Response(200, json=SAVED)

    return Script(answer)


def bodies(count: int) -> list[dict[str, Any]]:
    return [{"Id": index} for index in range(count)]


@pytest.mark.parametrize(
    "shape",
    [
        {"1": {"Name": ["This field is required."]}},
        [{}, {"Name": ["This field is required."]}],
    ],
    ids=["drf-3.18-object", "drf-3.17-list"],
)
def test_post_records_reports_a_failing_middle_batch(shape: Any) -> None:
    server = by_first_id({2: error(400, shape)})
    with client_for(server) as client:
        report = client.post_records("customers/", bodies(5), batch_size=2)

    assert server.bodies == [bodies(5)[0:2], bodies(5)[2:4], bodies(5)[4:5]]
    assert report.saved == [0, 1, 4]
    assert report.not_saved == [2, 3]
    assert report.errors == {3: {"Name": ["This field is required."]}}
    assert not report.ok


def test_batch_failing_otherwise_carries_the_exception_and_the_rest_go_on() -> None:
    server = by_first_id({2: error(500, {"detail": "Injected server fault."})})
    with client_for(server) as client:
        report = client.post_records("customers/", bodies(6), batch_size=2)

    assert report.saved == [0, 1, 4, 5]
    assert report.not_saved == [2, 3]
    assert set(report.errors) == {2, 3}
    assert isinstance(report.errors[2], rt.ServerError)
    assert report.errors[2] is report.errors[3]
    assert len(server.seen) == 3


def test_success_body_other_than_status_1_does_not_count_as_saved() -> None:
    server = by_first_id({0: httpx.Response(200, json={"status": "0"})})
    with client_for(server) as client:
        report = client.post_records("customers/", bodies(3), batch_size=2)

    assert (report.saved, report.not_saved) == ([2], [0, 1])
    assert isinstance(report.errors[0], rt.UnexpectedResponseError)
    assert 'expected {"status": "1"}' in str(report.errors[0])


def test_whole_batch_400_without_indices_blames_every_record_of_it() -> None:
    whole = error(400, {"non_field_errors": ["This list may not be empty."]})
    with client_for(by_first_id({0: whole})) as client:
        report = client.post_records("customers/", bodies(3), batch_size=2)

    assert report.not_saved == [0, 1]
    assert isinstance(report.errors[0], rt.ValidationError)
    assert report.errors[1] is report.errors[0]


def test_single_record_batch_with_field_errors_reports_them_for_that_record() -> None:
    one = error(400, {"Name": ["This field is required."]})
    with client_for(by_first_id({1: one})) as client:
        report = client.post_records("customers/", bodies(2), batch_size=1)

    assert report.errors == {1: {"Name": ["This field is required."]}}


@pytest.mark.parametrize("batch_size", [1, 2, 3, 4, 7, 20])
def test_every_record_is_reported_exactly_once(batch_size: int) -> None:
    failures = {
        1: error(400, {"0": {"A": ["x"]}}),
        3: error(503, {}),
        4: error(400, [{}, {"A": ["x"]}]),
        6: httpx.Response(200, json={"status": "1", "detail": "ignored"}),
    }
    with client_for(by_first_id(failures)) as client:
        report = client.post_records("customers/", bodies(13), batch_size=batch_size)

    assert sorted(report.saved + report.not_saved) == list(range(13))
    assert set(report.errors) <= set(report.not_saved)


def test_post_records_of_nothing_sends_nothing() -> None:
    server = Script(httpx.Response(200, json=SAVED))
    with client_for(server) as client:
        assert client.post_records("customers/", [], batch_size=10) == rt.UpsertReport()

    assert server.seen == []


def test_batch_size_below_one_is_refused() -> None:
    with (
        client_for(Script(httpx.Response(200, json=SAVED))) as client,
        pytest.raises(ValueError, match="batch_size"),
    ):
        client.post_records("customers/", bodies(2), batch_size=0)


def test_post_one_sends_the_object_and_accepts_status_1() -> None:
    server = Script(httpx.Response(200, json=SAVED))
    with client_for(server) as client:
        client.post_one("customers/", {"Id": 1})

    assert server.bodies == [{"Id": 1}]
    assert server.seen[0].method == "POST"


def test_post_one_raises_validation_error_with_the_field_messages() -> None:
    server = Script(error(400, {"Name": ["This field is required."]}))
    with client_for(server) as client, pytest.raises(rt.ValidationError) as raised:
        client.post_one("customers/", {"Id": 1})

    assert raised.value.errors == {"Name": ["This field is required."]}


def test_upsert_report_and_pages_are_frozen() -> None:
    report = rt.UpsertReport(saved=[0], not_saved=[], errors={})
    assert report.ok
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.saved = []  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        rt.Page(records=[1]).count = 3  # type: ignore[misc]
    assert rt.Changes(records=[], high_water=5) == rt.Changes([], 5)


# --- client lifecycle and logging --------------------------------------------------


def test_handed_in_http_client_is_used_and_left_open() -> None:
    server = Script(httpx.Response(200, json={}))
    http = httpx.Client(transport=httpx.MockTransport(server))
    with rt.BaseClient(
        ROOT, username=USER, password=PASSWORD, http_client=http
    ) as client:
        client.request_json("GET", "items/")

    assert not http.is_closed
    assert len(server.seen) == 1
    assert server.seen[0].headers["Authorization"] == BASIC
    http.close()


def test_own_http_client_is_closed_on_exit() -> None:
    with client_for(Script(httpx.Response(200, json={}))) as client:
        pass
    assert client._client.is_closed


def test_http_client_and_transport_together_are_refused() -> None:
    with httpx.Client() as http, pytest.raises(ValueError, match="not both"):
        rt.BaseClient(
            ROOT,
            username=USER,
            password=PASSWORD,
            http_client=http,
            transport=httpx.MockTransport(Script(httpx.Response(200))),
        )


def test_each_request_logs_one_debug_line_and_each_retry_one_info_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger=rt.logger.name)
    server = Script(
        error(503, {}), httpx.ConnectError("refused"), httpx.Response(200, json={})
    )
    get(server)

    levels = [record.levelno for record in caplog.records]
    assert levels == [logging.DEBUG, logging.INFO] * 2 + [logging.DEBUG]
    assert caplog.records[0].getMessage() == f"GET {ROOT}items/?format=json -> 503"
    assert "attempt 1 of 5 got status 503" in caplog.records[1].getMessage()
    assert caplog.records[2].getMessage().endswith("-> ConnectError")
    assert no_credentials_in(caplog.text)


# --- codecs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.50", Decimal("1.50")),
        (3, Decimal(3)),
        (0.1, Decimal("0.1")),
        ("-0.0001", Decimal("-0.0001")),
    ],
)
def test_decimal_from_reads_drf_strings_and_json_numbers_exactly(
    value: Any, expected: Decimal
) -> None:
    decoded = rt.decimal_from(value)
    assert decoded == expected
    assert str(decoded) == str(expected)


@pytest.mark.parametrize(
    "garbage", ["abc", "", "1,5", "NaN", "Infinity", True, None, [1]]
)
def test_decimal_from_refuses_garbage(garbage: Any) -> None:
    with pytest.raises(ValueError, match="decimal"):
        rt.decimal_from(garbage)


def test_decimal_to_writes_positional_notation_keeping_places() -> None:
    assert rt.decimal_to(Decimal("1E+2")) == "100"
    assert rt.decimal_to(Decimal("1.50")) == "1.50"
    assert rt.decimal_to(Decimal("-1E-7")) == "-0.0000001"
    assert rt.decimal_to(7) == "7"


def test_datetimes_read_z_and_offsets_and_write_utc_as_z() -> None:
    utc = rt.datetime_from("2024-01-02T03:04:05.123456Z")
    assert utc == dt.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=dt.UTC)
    lisbon = rt.datetime_from("2024-07-01T10:00:00+01:00")
    assert lisbon.utcoffset() == dt.timedelta(hours=1)
    assert rt.datetime_to(utc) == "2024-01-02T03:04:05.123456Z"
    assert rt.datetime_to(lisbon) == "2024-07-01T10:00:00+01:00"
    assert rt.datetime_to(dt.datetime(2024, 1, 1)) == "2024-01-01T00:00:00"


def test_dates_times_and_uuids_read_and_write_iso_text() -> None:
    key = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert rt.date_from("2024-02-29") == dt.date(2024, 2, 29)
    assert rt.date_to(dt.date(2024, 2, 29)) == "2024-02-29"
    assert rt.time_from("13:45:00") == dt.time(13, 45)
    assert rt.time_to(dt.time(13, 45, tzinfo=dt.UTC)) == "13:45:00Z"
    assert rt.uuid_from(str(key)) == key
    assert rt.uuid_to(key) == str(key)


@pytest.mark.parametrize(
    ("decode", "garbage"),
    [
        (rt.date_from, "2024-02-30"),
        (rt.date_from, 20240101),
        (rt.datetime_from, "yesterday"),
        (rt.time_from, "25:00"),
        (rt.uuid_from, "not-a-uuid"),
        (rt.uuid_from, 5),
    ],
)
def test_codecs_raise_value_error_on_garbage(
    decode: Callable[[Any], Any], garbage: Any
) -> None:
    with pytest.raises(ValueError, match=r"^not a"):
        decode(garbage)


def test_date_to_refuses_a_datetime_that_would_lose_its_time() -> None:
    with pytest.raises(ValueError, match="date"):
        rt.date_to(dt.datetime(2024, 1, 1, 12))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05", dt.timedelta(seconds=5)),
        ("01:02", dt.timedelta(minutes=1, seconds=2)),
        ("00:15:00", dt.timedelta(minutes=15)),
        ("1 02:03:04", dt.timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("-1 23:59:59", dt.timedelta(seconds=-1)),
        ("-00:00:01.5", dt.timedelta(seconds=-1.5)),
        ("00:00:00.1234567", dt.timedelta(microseconds=123456)),
        ("3 days, 4:05:06", dt.timedelta(days=3, hours=4, minutes=5, seconds=6)),
        ("P1DT2H3M4.5S", dt.timedelta(days=1, hours=2, minutes=3, seconds=4.5)),
        ("PT0.000001S", dt.timedelta(microseconds=1)),
        ("-PT1M", dt.timedelta(minutes=-1)),
        ("P2W", dt.timedelta(weeks=2)),
        ("PT36H", dt.timedelta(hours=36)),
        ("PT1,5S", dt.timedelta(seconds=1.5)),
    ],
)
def test_timedelta_from_reads_django_and_iso_8601_durations(
    text: str, expected: dt.timedelta
) -> None:
    assert rt.timedelta_from(text) == expected


@pytest.mark.parametrize(
    "garbage", ["", "P", "PT", "P1Y", "P1M", "1:2:3:4", "abc", "1 day", 5, None]
)
def test_timedelta_from_refuses_garbage(garbage: Any) -> None:
    with pytest.raises(ValueError, match="duration"):
        rt.timedelta_from(garbage)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.timedelta(minutes=15), "00:15:00"),
        (dt.timedelta(days=2, seconds=1, microseconds=5), "2 00:00:01.000005"),
        (dt.timedelta(seconds=-1), "-1 23:59:59"),
        (dt.timedelta(hours=-25, microseconds=-1), "-2 22:59:59.999999"),
        (dt.timedelta(0), "00:00:00"),
    ],
)
def test_timedelta_to_writes_djangos_format_and_reads_back(
    value: dt.timedelta, text: str
) -> None:
    assert rt.timedelta_to(value) == text
    assert rt.timedelta_from(text) == value


class Kind(enum.StrEnum):
    CASH = "cash"
    CARD = "card"


def test_enum_from_gives_the_member_or_the_raw_value_of_an_open_choice() -> None:
    assert rt.enum_from(Kind, "card") is Kind.CARD
    assert rt.enum_from(Kind, "voucher") == "voucher"
    assert rt.enum_from(Kind, ["odd"]) == ["odd"]
    assert rt.enum_to(Kind.CASH) == "cash"
    assert rt.enum_to("voucher") == "voucher"


def test_fill_path_puts_each_key_in_one_quoted_segment() -> None:
    assert rt.fill_path("customers/{CustomerId}/", 42) == "customers/42/"
    assert rt.fill_path("items/{ItemId}/", "a/b?c#d") == "items/a%2Fb%3Fc%23d/"
    assert rt.fill_path("kinds/{Kind}/", Kind.CARD) == "kinds/card/"
    for bad in ("..", ".", "", None, True, rt.UNSET):
        with pytest.raises(ValueError, match="key"):
            rt.fill_path("items/{ItemId}/", bad)
    with pytest.raises(ValueError, match="key"):
        rt.fill_path("items/{ItemId}/", 1, 2)


def test_check_page_size_refuses_sizes_outside_the_endpoints_limits() -> None:
    rt.check_page_size(10, 10, 500)
    rt.check_page_size(9999, None, None)
    for size, low, high in [(9, 10, 500), (501, 10, 500), (0, None, None)]:
        with pytest.raises(ValueError, match="page_size"):
            rt.check_page_size(size, low, high)


def test_sync_high_water_is_the_highest_counter_or_the_one_asked_from() -> None:
    assert rt.sync_high_water(5, [7, None, 3, "9"]) == 7
    assert rt.sync_high_water(5, []) == 5
    assert rt.sync_high_water(None, []) is None


# --- the async client mirrors the sync one ------------------------------------------


def test_async_get_is_retried_then_succeeds() -> None:
    server = Script(
        error(503, {}), httpx.ReadTimeout("timed out"), httpx.Response(200, json=[1])
    )

    async def go() -> Any:
        async with async_client_for(server) as client:
            return await client.request_json("GET", "items/")

    assert asyncio.run(go()) == [1]
    assert len(server.seen) == 3


def test_async_post_is_never_resent_after_a_read_timeout() -> None:
    server = Script(httpx.ReadTimeout("timed out"), httpx.Response(200, json=SAVED))

    async def go() -> None:
        async with async_client_for(server) as client:
            await client.post_one("customers/", {"Id": 1})

    with pytest.raises(rt.TransportError, match="outcome is unknown"):
        asyncio.run(go())
    assert len(server.seen) == 1


def test_async_retry_after_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    server = Script(
        error(429, {}, **{"Retry-After": "4"}), httpx.Response(200, json={})
    )
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def go() -> None:
        async with async_client_for(server) as client:
            monkeypatch.setattr(client, "_sleep", sleep)
            await client.request_json("GET", "items/")

    asyncio.run(go())
    assert waits == [4.0]


def test_async_pages_follow_next_and_refuse_another_origin() -> None:
    foreign = "https://elsewhere.example.test/dimas/api/items/?page=3"
    server = paged(
        {
            "/dimas/api/items/?1": page([{"n": 1}], f"{ROOT}items/?page=2&format=json"),
            "/dimas/api/items/?2": page([{"n": 2}], foreign),
        }
    )
    seen: list[list[dict[str, Any]]] = []

    async def go() -> None:
        async with async_client_for(server) as client:
            async for records, _, _ in client.aiter_pages("items/"):
                seen.append(records)

    with pytest.raises(rt.UnexpectedResponseError, match="outside the origin"):
        asyncio.run(go())
    assert seen == [[{"n": 1}], [{"n": 2}]]
    assert {r.url.host for r in server.seen} == {"env.example.test"}


def test_async_post_records_reports_a_failing_middle_batch() -> None:
    server = by_first_id({2: error(400, {"0": {"Name": ["Required."]}})})

    async def go() -> rt.UpsertReport:
        async with async_client_for(server) as client:
            return await client.post_records("customers/", bodies(5), batch_size=2)

    report = asyncio.run(go())
    assert (report.saved, report.not_saved) == ([0, 1, 4], [2, 3])
    assert report.errors == {2: {"Name": ["Required."]}}


def test_async_client_leaves_a_handed_in_client_open() -> None:
    server = Script(httpx.Response(200, json={}))

    async def go() -> bool:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        async with rt.AsyncBaseClient(
            ROOT, username=USER, password=PASSWORD, http_client=http
        ) as client:
            await client.request_json("GET", "items/")
        still_open = not http.is_closed
        await http.aclose()
        return still_open

    assert asyncio.run(go())
    assert server.seen[0].headers["Authorization"] == BASIC


# --- against the sandbox, over real HTTP ------------------------------------------


def sandbox_client(sandbox: Sandbox, **options: Any) -> rt.BaseClient:
    user, password = sandbox.auth
    return rt.BaseClient(sandbox.root, username=user, password=password, **options)


def customers(first: int) -> list[dict[str, Any]]:
    """Five bodies: the second is invalid, the others are new customers."""
    good = [
        {"CustomerId": first + i, "OrganizationName": f"Runtime {first + i}"}
        for i in range(5)
    ]
    good[1] = {"CustomerId": "x", "OrganizationName": "Invalid key"}
    return good


def stored(sandbox: Sandbox, first: int) -> list[int]:
    with sandbox.client() as http:
        found = http.get(
            "customers/", params={"format": "json", "page_size": 200}
        ).json()
    return sorted(
        c["CustomerId"]
        for c in found["results"]
        if first <= c["CustomerId"] < first + 5
    )


def test_sandbox_every_page_of_customers_adds_up_to_the_count(sandbox: Sandbox) -> None:
    with sandbox_client(sandbox) as client:
        pages = list(client.iter_pages("customers/", {"page_size": 7}))

    counts = {count for _, count, _ in pages}
    keys = [record["CustomerId"] for records, _, _ in pages for record in records]
    assert len(pages) > 1
    assert len(counts) == 1
    assert len(keys) == len(set(keys)) == counts.pop()


def test_sandbox_post_records_reports_exactly_which_were_saved(
    sandbox: Sandbox,
) -> None:
    with sandbox_client(sandbox) as client:
        report = client.post_records("customers/", customers(9500), batch_size=2)

    assert (report.saved, report.not_saved) == ([2, 3, 4], [0, 1])
    assert report.errors == {1: {"CustomerId": ["A valid integer is required."]}}
    assert stored(sandbox, 9500) == [9502, 9503, 9504]


def test_sandbox_post_one_and_its_validation_error(sandbox: Sandbox) -> None:
    with sandbox_client(sandbox) as client:
        client.post_one("customers/", {"CustomerId": 9520, "OrganizationName": "One"})
        with pytest.raises(rt.ValidationError) as raised:
            client.post_one("customers/", {"CustomerId": 9521})

    assert raised.value.errors == {"OrganizationName": ["This field is required."]}
    assert stored(sandbox, 9520) == [9520]


def test_sandbox_async_client_pages_and_batches_alike(sandbox: Sandbox) -> None:
    user, password = sandbox.auth

    async def go() -> tuple[list[int], int | None, rt.UpsertReport]:
        async with rt.AsyncBaseClient(
            sandbox.root, username=user, password=password
        ) as client:
            keys: list[int] = []
            counts: set[int | None] = set()
            async for records, count, _ in client.aiter_pages(
                "customers/", {"page_size": 9}
            ):
                keys.extend(record["CustomerId"] for record in records)
                counts.add(count)
            report = await client.post_records(
                "customers/", customers(9510), batch_size=2
            )
            return keys, counts.pop(), report

    keys, count, report = asyncio.run(go())
    assert len(keys) == len(set(keys)) == count
    assert (report.saved, report.not_saved) == ([2, 3, 4], [0, 1])
    assert stored(sandbox, 9510) == [9512, 9513, 9514]


def test_sandbox_refuses_a_wrong_password_with_a_basic_challenge(
    sandbox: Sandbox,
) -> None:
    client = rt.BaseClient(
        sandbox.root, username=sandbox.auth[0], password="wrong", retries=0
    )
    with client, pytest.raises(rt.AuthenticationError) as raised:
        client.request_json("GET", "customers/")

    assert raised.value.status == 401
    assert raised.value.headers["WWW-Authenticate"].startswith("Basic")
    assert "wrong" not in str(raised.value)


def test_sandbox_page_out_of_range_is_not_found_with_its_detail(
    sandbox: Sandbox,
) -> None:
    with sandbox_client(sandbox) as client, pytest.raises(rt.NotFoundError) as raised:
        client.request_json("GET", "customers/", params={"page": 999})

    assert raised.value.detail == "Invalid page."
