"""The fetcher against broken and hostile servers.

Most servers here are ``httpx.MockTransport`` handlers, hand-written to fail
in one precise way; the few behaviours that only real sockets show (a stalled
server, an endless body, a redirect to a second server) run against threaded
``http.server`` instances on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import email.utils
import logging
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

import httpx
import pytest

from generator import __version__
from generator.crawl.http import Fetcher, Reply, canonical_url, redact, same_origin
from generator.errors import (
    AuthenticationError,
    ConfigError,
    CrawlError,
    CredentialsRefused,
    DeadlineExceeded,
    OriginError,
    UnexpectedResponse,
    UnreachableError,
)

ROOT = "https://env.example.test/dimas/api/"
USER = "api-user"
PASSWORD = "Pa55-w0rd-n3ver-shown"
FAST: dict[str, Any] = {"backoff_base": 0.001, "backoff_cap": 0.002}

Handler = (
    Callable[[httpx.Request], httpx.Response]
    | Callable[[httpx.Request], Coroutine[None, None, httpx.Response]]
)


def fetcher_for(handler: Handler, root: str = ROOT, **options: Any) -> Fetcher:
    settings: dict[str, Any] = {"auth": (USER, PASSWORD), **FAST, **options}
    return Fetcher(root, transport=httpx.MockTransport(handler), **settings)


def fetch(
    handler: Handler, url: str = "items/", method: str = "get_json", **options: Any
) -> Reply:
    """One request through a fresh fetcher, in a fresh event loop."""

    async def go() -> Reply:
        async with fetcher_for(handler, **options) as fetcher:
            reply: Reply = await getattr(fetcher, method)(url)
            return reply

    return asyncio.run(go())


class Script:
    """A server answering with ``responses`` in turn, the last one ever after."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.queue = list(responses)
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        answer = self.queue.pop(0) if len(self.queue) > 1 else self.queue[0]
        if isinstance(answer, Exception):
            raise answer
        return fresh(answer)


def fresh(answer: httpx.Response) -> httpx.Response:
    """A copy of ``answer`` whose body can be read again, unless it streams."""
    try:
        content = answer.content
    except httpx.ResponseNotRead:
        return answer
    return httpx.Response(answer.status_code, headers=answer.headers, content=content)


def ok(data: Any = None) -> httpx.Response:
    return httpx.Response(200, json={"ok": True} if data is None else data)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# Requests


def test_json_get_asks_drf_for_json_in_english_with_the_credentials() -> None:
    handler = Script(ok())
    fetch(handler)

    (request,) = handler.seen
    assert request.url.params["format"] == "json"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Accept-Language"] == "en"
    assert request.headers["User-Agent"] == f"acebind/{__version__}"
    assert request.headers["Authorization"] == basic(USER, PASSWORD)


def test_params_merge_with_the_query_and_an_existing_format_is_replaced() -> None:
    handler = Script(ok())

    async def go() -> None:
        async with fetcher_for(handler) as fetcher:
            await fetcher.get_json("items/?format=api&page=2", params={"page_size": 5})

    asyncio.run(go())

    (request,) = handler.seen
    assert request.url.params.get_list("format") == ["json"]
    assert request.url.params["page"] == "2"
    assert request.url.params["page_size"] == "5"


def test_relative_urls_resolve_against_the_root() -> None:
    handler = Script(ok())
    reply = fetch(handler, "items/")

    (request,) = handler.seen
    assert request.url.copy_with(query=None) == httpx.URL(ROOT + "items/")
    assert reply.url == ROOT + "items/?format=json"


def test_options_sends_options_and_decodes_the_metadata() -> None:
    handler = Script(ok({"name": "Items", "actions": {"POST": {}}}))
    reply = fetch(handler, method="options")

    (request,) = handler.seen
    assert request.method == "OPTIONS"
    assert request.url.params["format"] == "json"
    assert reply.data == {"name": "Items", "actions": {"POST": {}}}


def test_get_html_asks_for_the_browsable_page_and_returns_its_text() -> None:
    page = "<html><body>Extra Actions ção</body></html>"
    handler = Script(
        httpx.Response(
            200,
            content=page.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
    )
    reply = fetch(handler, method="get_html")

    (request,) = handler.seen
    assert request.url.params["format"] == "api"
    assert request.headers["Accept"] == "text/html"
    assert (reply.text, reply.data) == (page, None)


def test_get_html_refuses_a_page_that_is_not_html() -> None:
    with pytest.raises(UnexpectedResponse, match=r"expected HTML .* got application"):
        fetch(Script(ok()), method="get_html")


def test_reply_is_frozen_and_carries_status_headers_and_data() -> None:
    reply = fetch(Script(httpx.Response(200, json=[1], headers={"X-Total": "1"})))

    assert (reply.status, reply.data, reply.text) == (200, [1], None)
    assert reply.headers["X-Total"] == "1"
    with pytest.raises(dataclasses.FrozenInstanceError):
        reply.status = 500  # type: ignore[misc]


# Origin


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.test/dimas/api/",
        "http://env.example.test/dimas/api/",
        "https://env.example.test:8443/dimas/api/",
        "//elsewhere.test/x/",
        "https://someone:hunter2@elsewhere.test/x/",
    ],
)
def test_a_url_off_the_roots_origin_raises_before_any_request(url: str) -> None:
    handler = Script(ok())

    with pytest.raises(OriginError, match="outside the environment's origin") as err:
        fetch(handler, url)

    assert handler.seen == []
    assert "hunter2" not in str(err.value)
    assert redact(httpx.URL(ROOT).join(url)) in str(err.value)


def test_user_info_in_a_requested_url_never_replaces_the_credentials() -> None:
    handler = Script(ok())
    reply = fetch(handler, "https://someone:hunter2@env.example.test/dimas/api/x/")

    (request,) = handler.seen
    assert request.headers["Authorization"] == basic(USER, PASSWORD)
    assert "hunter2" not in str(request.url) + reply.url


def test_a_same_origin_redirect_is_followed_with_the_credentials() -> None:
    handler = Script(
        httpx.Response(301, headers={"Location": "/dimas/api/items/?page=2"}),
        ok([1, 2]),
    )
    reply = fetch(handler, "items")

    _, second = handler.seen
    assert second.headers["Authorization"] == basic(USER, PASSWORD)
    assert second.url.params["format"] == "json"
    assert reply.url == ROOT + "items/?page=2&format=json"
    assert reply.data == [1, 2]


def test_five_redirect_hops_are_followed_and_a_sixth_is_refused() -> None:
    hop = httpx.Response(302, headers={"Location": "again/"})
    five = Script(*[hop] * 5, ok())
    six = Script(*[hop] * 6, ok())

    assert fetch(five).status == 200
    with pytest.raises(UnexpectedResponse, match="redirects more than 5 times"):
        fetch(six)
    assert len(six.seen) == 6


def test_a_redirect_to_another_origin_raises_without_following_it() -> None:
    handler = Script(
        httpx.Response(307, headers={"Location": "https://evil.test/steal/"}), ok()
    )

    with pytest.raises(OriginError, match=r"redirects to https://evil\.test/steal/"):
        fetch(handler)

    assert [r.url.host for r in handler.seen] == ["env.example.test"]


def test_a_redirect_without_location_is_unexpected() -> None:
    with pytest.raises(UnexpectedResponse, match="302 without a Location"):
        fetch(Script(httpx.Response(302)))


def test_a_root_with_user_info_is_a_config_error_that_hides_it() -> None:
    with pytest.raises(ConfigError, match="user info") as err:
        Fetcher(f"https://{USER}:{PASSWORD}@env.example.test/api/")

    assert PASSWORD not in str(err.value)


def test_plain_http_is_refused_for_a_remote_host() -> None:
    with pytest.raises(ConfigError, match="plain http"):
        Fetcher("http://env.example.test/api/")


@pytest.mark.parametrize(
    "root",
    [
        "http://127.0.0.1:8000/api/",
        "http://127.8.9.10/api/",
        "http://[::1]:8000/api/",
        "http://localhost:8000/api/",
    ],
)
def test_plain_http_is_allowed_on_loopback(root: str) -> None:
    assert Fetcher(root).root == root


def test_plain_http_is_allowed_for_a_remote_host_when_insecure_http() -> None:
    assert Fetcher("http://env.example.test/api/", insecure_http=True)


@pytest.mark.parametrize("root", ["ftp://env.example.test/api/", "/dimas/api/"])
def test_a_root_that_is_not_an_absolute_http_url_is_a_config_error(root: str) -> None:
    with pytest.raises(ConfigError, match="not an absolute http"):
        Fetcher(root)


@pytest.mark.parametrize(
    "setting",
    [{"concurrency": 0}, {"timeout": 0}, {"max_body_bytes": 0}, {"retries": -1}],
)
def test_unusable_settings_are_config_errors(setting: dict[str, Any]) -> None:
    with pytest.raises(ConfigError, match=next(iter(setting))):
        Fetcher(ROOT, **setting)


def test_cookies_a_server_sets_are_never_sent_back() -> None:
    handler = Script(
        httpx.Response(200, json={}, headers={"Set-Cookie": "django_language=pt"}),
        ok(),
    )

    async def go() -> None:
        async with fetcher_for(handler) as fetcher:
            await fetcher.get_json("items/")
            await fetcher.get_json("items/")

    asyncio.run(go())
    assert "Cookie" not in handler.seen[1].headers


# URL helpers


def test_canonical_url_drops_format_and_sorts_the_query() -> None:
    echoed = "https://env.example.test/api/items/?page=2&format=json&b=1&b=0"

    assert canonical_url(echoed) == "https://env.example.test/api/items/?b=0&b=1&page=2"
    assert canonical_url(echoed) == canonical_url(
        "https://env.example.test/api/items/?b=1&page=2&b=0"
    )
    assert canonical_url(ROOT + "?format=json") == ROOT


def test_same_origin_compares_scheme_host_and_port() -> None:
    assert same_origin("https://Env.Example.test:443/a/", "https://env.example.test/b")
    assert not same_origin("https://env.example.test/", "http://env.example.test/")
    assert not same_origin("https://env.example.test/", "https://env.example.test:8/")
    assert not same_origin("items/", "items/")


def test_redact_drops_user_info_and_masks_secret_query_values() -> None:
    shown = redact("https://u:hunter2@env.example.test/a/?token=abc&page=2")

    assert shown == "https://env.example.test/a/?token=redacted&page=2"


# Retries


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_server_error_is_retried_until_it_succeeds(status: int) -> None:
    handler = Script(httpx.Response(status), httpx.Response(status), ok())

    async def go() -> Fetcher:
        async with fetcher_for(handler) as fetcher:
            assert (await fetcher.get_json("items/")).data == {"ok": True}
            return fetcher

    fetcher = asyncio.run(go())
    assert (fetcher.stats.requests, fetcher.stats.retries) == (3, 2)
    assert fetcher.stats.failures == 0


def test_a_server_error_that_persists_says_how_often_it_was_tried() -> None:
    with pytest.raises(
        UnexpectedResponse, match="keeps failing with status 503 after 3 attempts"
    ):
        fetch(Script(httpx.Response(503)), retries=2)


def test_a_status_error_is_not_retried_for_501() -> None:
    handler = Script(httpx.Response(501), ok())

    with pytest.raises(UnexpectedResponse, match="answered 501"):
        fetch(handler)
    assert len(handler.seen) == 1


def events_of(handler: Handler, **options: Any) -> list[tuple[str, dict[str, object]]]:
    """The events of one fetch, whether it succeeds or raises."""
    events: list[tuple[str, dict[str, object]]] = []
    with contextlib.suppress(CrawlError):
        fetch(
            handler, on_event=lambda kind, info: events.append((kind, info)), **options
        )
    return events


def delays(events: list[tuple[str, dict[str, object]]]) -> list[float]:
    return [cast(float, info["delay"]) for kind, info in events if kind == "retry"]


def test_429_waits_as_retry_after_asks_capped_by_retry_after_cap() -> None:
    throttled = httpx.Response(429, headers={"Retry-After": "1"})
    started = time.monotonic()

    events = events_of(Script(throttled, ok()), retry_after_cap=0.2)

    assert delays(events) == [0.2]
    assert time.monotonic() - started >= 0.2


def test_429_retry_after_below_the_cap_is_honoured_in_full() -> None:
    # A wait of 1 s would pass the deadline; a backoff of 2 ms would not.
    throttled = httpx.Response(429, headers={"Retry-After": "1"})

    with pytest.raises(DeadlineExceeded, match="before a retry of GET"):
        fetch(Script(throttled, ok()), deadline_s=0.5)


def test_429_retry_after_may_be_an_http_date() -> None:
    soon = email.utils.format_datetime(
        datetime.now(UTC) + timedelta(seconds=5), usegmt=True
    )
    past = email.utils.format_datetime(datetime(2020, 1, 1, tzinfo=UTC), usegmt=True)
    handler = Script(
        httpx.Response(429, headers={"Retry-After": soon}),
        httpx.Response(429, headers={"Retry-After": past}),
        ok(),
    )

    assert delays(events_of(handler, retry_after_cap=0.05)) == [0.05, 0.0]


def test_429_without_retry_after_backs_off() -> None:
    (delay,) = delays(events_of(Script(httpx.Response(429), ok())))

    assert 0 <= delay <= FAST["backoff_base"]


def test_backoff_jitters_below_a_doubling_ceiling_up_to_the_cap() -> None:
    handler = Script(httpx.Response(503))
    events = events_of(handler, retries=6, backoff_base=0.001, backoff_cap=0.004)

    ceilings = [0.001, 0.002, 0.004, 0.004, 0.004, 0.004]
    assert all(0 <= d <= c for d, c in zip(delays(events), ceilings, strict=True))


def test_a_connection_error_is_retried_until_it_succeeds() -> None:
    request = httpx.Request("GET", ROOT)
    handler = Script(httpx.ConnectError("refused", request=request), ok())

    assert fetch(handler).data == {"ok": True}


def test_a_connection_error_that_persists_is_unreachable_naming_url_and_cause() -> None:
    request = httpx.Request("GET", ROOT)
    handler = Script(httpx.ConnectError("refused", request=request))

    with pytest.raises(UnreachableError) as err:
        fetch(handler, retries=2)

    message = str(err.value)
    assert f"could not reach {ROOT}items/?format=json after 3 attempts" in message
    assert "ConnectError" in message


def test_retry_waits_do_not_hold_a_concurrency_slot() -> None:
    finished: list[str] = []
    throttled = {"done": False}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/slow/") and not throttled["done"]:
            throttled["done"] = True
            return httpx.Response(429, headers={"Retry-After": "1"})
        finished.append(request.url.path.rsplit("/", 2)[-2])
        return ok()

    async def go() -> None:
        async with fetcher_for(handler, concurrency=1, retry_after_cap=0.2) as fetcher:
            slow = asyncio.create_task(fetcher.get_json("slow/"))
            await asyncio.sleep(0.05)
            await fetcher.get_json("fast/")
            await slow

    asyncio.run(go())
    assert finished == ["fast", "slow"]


# Credentials


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (401, "the environment refused the credentials for .* \\(401\\)"),
        (403, "user may not GET .* \\(403\\)"),
    ],
)
def test_401_and_403_raise_authentication_error_without_retrying(
    status: int, says: str
) -> None:
    handler = Script(httpx.Response(status, json={"detail": "no"}), ok())

    with pytest.raises(AuthenticationError, match=says):
        fetch(handler)
    assert len(handler.seen) == 1


def test_after_a_401_to_basic_credentials_nothing_more_is_sent() -> None:
    handler = Script(ok(), httpx.Response(401, headers={"WWW-Authenticate": "Basic"}))

    async def go() -> list[str]:
        outcomes = []
        async with fetcher_for(handler) as fetcher:
            for url in ("a/", "b/", "c/", "d/"):
                try:
                    await fetcher.get_json(url)
                    outcomes.append("ok")
                except CredentialsRefused as refused:
                    outcomes.append(str(refused))
        return outcomes

    outcomes = asyncio.run(go())
    assert outcomes[0] == "ok"
    assert all(re.search(r"credentials for \S+/b/\S* \(401\)", o) for o in outcomes[1:])
    assert [r.url.path.rsplit("/", 2)[-2] for r in handler.seen] == ["a", "b"]


def test_a_401_asking_for_another_scheme_fails_only_its_own_request() -> None:
    token = httpx.Response(401, headers={"WWW-Authenticate": 'Token realm="api"'})
    handler = Script(token, ok())

    async def go() -> Reply:
        async with fetcher_for(handler) as fetcher:
            with pytest.raises(AuthenticationError, match="another authentication"):
                await fetcher.get_json("tokens-only/")
            return await fetcher.get_json("items/")

    assert asyncio.run(go()).status == 200
    assert len(handler.seen) == 2


def test_an_optional_requests_401_does_not_stop_the_others() -> None:
    handler = Script(httpx.Response(401), ok())

    async def go() -> Reply:
        async with fetcher_for(handler) as fetcher:
            with pytest.raises(CredentialsRefused):
                await fetcher.get_json("schema/", optional=True)
            return await fetcher.get_json("items/")

    assert asyncio.run(go()).status == 200


def test_no_message_log_record_or_repr_ever_holds_the_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    request = httpx.Request("GET", ROOT)
    failing: list[tuple[Handler, str]] = [
        (Script(httpx.Response(401)), "items/"),
        (Script(httpx.Response(403)), "items/"),
        (Script(httpx.Response(503)), "items/"),
        (Script(httpx.ConnectError("refused", request=request)), "items/"),
        (Script(ok()), f"https://{USER}:{PASSWORD}@evil.test/"),
        (Script(httpx.Response(200, text="<html>")), "items/"),
    ]
    messages = []
    for handler, url in failing:
        with pytest.raises(Exception) as err:  # noqa: PT011
            fetch(handler, url, retries=1)
        messages += [str(err.value), repr(err.value), str(err.value.__cause__)]

    records = [record.getMessage() for record in caplog.records]
    assert records, "the fetcher logged nothing"
    assert all(PASSWORD not in text for text in messages + records)
    assert all(basic(USER, PASSWORD) not in text for text in messages + records)
    assert PASSWORD not in repr(fetcher_for(Script(ok())))


# Bodies


@pytest.mark.parametrize("status", [400, 404, 405])
def test_other_4xx_are_replies_for_the_crawler_to_probe(status: int) -> None:
    reply = fetch(Script(httpx.Response(status, json={"detail": "Not found."})))

    assert (reply.status, reply.data) == (status, {"detail": "Not found."})


def test_a_4xx_body_that_is_not_json_gives_no_data() -> None:
    reply = fetch(Script(httpx.Response(404, html="<h1>Not Found</h1>")))

    assert (reply.status, reply.data) == (404, None)


def test_html_where_json_was_asked_for_is_unexpected() -> None:
    with pytest.raises(
        UnexpectedResponse,
        match=r"expected JSON from .*items/\?format=json, got text/html",
    ):
        fetch(Script(httpx.Response(200, html="<html>login</html>")))


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "application/vnd.api+json", "Application/JSON"],
)
def test_json_and_structured_json_types_are_accepted(content_type: str) -> None:
    answer = httpx.Response(200, content=b"[1]", headers={"Content-Type": content_type})

    assert fetch(Script(answer)).data == [1]


def test_truncated_json_names_the_position() -> None:
    body = b'{"count": 3, "results": [1, 2'
    answer = httpx.Response(
        200, content=body, headers={"Content-Type": "application/json"}
    )

    with pytest.raises(
        UnexpectedResponse, match=r"line 1 column 30 \(char 29\)"
    ) as err:
        fetch(Script(answer))
    assert "ends early" in str(err.value)


def test_nan_is_not_json() -> None:
    answer = httpx.Response(
        200, content=b"[NaN]", headers={"Content-Type": "application/json"}
    )

    with pytest.raises(UnexpectedResponse, match="NaN is not JSON"):
        fetch(Script(answer))


def nested(depth: int) -> bytes:
    """``depth`` levels of objects and arrays, alternating, around a 1."""
    opens = [b"[" if level % 2 else b'{"a":' for level in range(depth)]
    closes = [b"]" if level % 2 else b"}" for level in reversed(range(depth))]
    return b"".join(opens) + b"1" + b"".join(closes)


def json_body(body: bytes) -> httpx.Response:
    return httpx.Response(
        200, content=body, headers={"Content-Type": "application/json"}
    )


def test_json_nested_to_the_limit_is_decoded() -> None:
    assert fetch(Script(json_body(nested(200)))).data is not None
    assert fetch(Script(json_body(nested(11))), max_depth=11).data is not None


@pytest.mark.parametrize("depth", [201, 100_000])
def test_json_nested_deeper_than_the_limit_is_unexpected(depth: int) -> None:
    with pytest.raises(UnexpectedResponse, match="nests deeper than 200"):
        fetch(Script(json_body(nested(depth))))


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    body = b'["' + b"[{" * 500 + b'\\"[[[", "\\\\"]'

    assert fetch(Script(json_body(body)), max_depth=1).data == [
        "[{" * 500 + '"[[[',
        "\\",
    ]


def test_a_body_that_does_not_match_its_content_encoding_is_unexpected() -> None:
    async def body() -> AsyncIterator[bytes]:
        yield b"not gzip at all"

    answer = httpx.Response(
        200,
        content=body(),
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )

    with pytest.raises(UnexpectedResponse, match="does not match its Content-Encoding"):
        fetch(Script(answer))


def test_204_has_no_data() -> None:
    assert fetch(Script(httpx.Response(204))).data is None


def test_a_declared_body_over_the_cap_is_refused_unread() -> None:
    started: list[bool] = []

    async def body() -> AsyncIterator[bytes]:
        started.append(True)
        yield b"[]"

    answer = httpx.Response(
        200,
        content=body(),
        headers={"Content-Type": "application/json", "Content-Length": "2000"},
    )

    with pytest.raises(UnexpectedResponse, match="larger than 1000 bytes"):
        fetch(Script(answer), max_body_bytes=1000)
    assert started == []


def test_a_streamed_body_is_abandoned_as_it_passes_the_cap() -> None:
    sent: list[int] = []

    async def endless() -> AsyncIterator[bytes]:
        for _ in range(10_000):
            sent.append(1)
            yield b" " * 1024

    answer = httpx.Response(
        200, content=endless(), headers={"Content-Type": "application/json"}
    )

    with pytest.raises(UnexpectedResponse, match="larger than 10240 bytes"):
        fetch(Script(answer), max_body_bytes=10 * 1024)
    assert len(sent) == 11


# Deadline and concurrency


def test_no_request_starts_after_the_deadline() -> None:
    handler = Script(ok())

    with pytest.raises(DeadlineExceeded, match=r"deadline of 0\.0 s"):
        fetch(handler, deadline_s=0.0)
    assert handler.seen == []


def test_the_deadline_ends_a_request_under_way() -> None:
    async def stalled(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return ok()

    started = time.monotonic()
    with pytest.raises(DeadlineExceeded, match="still running"):
        fetch(stalled, deadline_s=0.2)
    assert time.monotonic() - started < 2


def test_concurrency_never_exceeds_the_bound() -> None:
    flight = {"now": 0, "peak": 0}

    async def handler(request: httpx.Request) -> httpx.Response:
        flight["now"] += 1
        flight["peak"] = max(flight["peak"], flight["now"])
        await asyncio.sleep(0.005)
        flight["now"] -= 1
        return ok()

    async def go() -> None:
        async with fetcher_for(handler, concurrency=3) as fetcher:
            await asyncio.gather(*(fetcher.get_json(f"items/{n}/") for n in range(30)))

    asyncio.run(go())
    assert flight["peak"] == 3


def test_events_and_stats_follow_requests_retries_and_failures() -> None:
    events = events_of(Script(httpx.Response(503)), retries=1)

    assert [kind for kind, _ in events] == ["request", "retry", "request", "failure"]
    assert events[0][1] == {"method": "GET", "url": ROOT + "items/?format=json"} | {
        "status": 503
    }
    assert events[-1][1]["error"] == "UnexpectedResponse"


def test_each_request_logs_a_debug_line_and_each_retry_an_info_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="generator.crawl.http")
    fetch(Script(httpx.Response(503), ok()))

    ours = [r for r in caplog.records if r.name == "generator.crawl.http"]
    lines = [(r.levelname, r.getMessage()) for r in ours]
    assert ("DEBUG", f"GET {ROOT}items/?format=json -> 503") in lines
    assert ("DEBUG", f"GET {ROOT}items/?format=json -> 200") in lines
    assert [level for level, _ in lines].count("INFO") == 1


# Real sockets


class LoopbackServer(ThreadingHTTPServer):
    """An http.server on 127.0.0.1 that keeps what its handler saw."""

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.authorizations: list[str | None] = []
        self.release = threading.Event()
        self.done = threading.Event()
        self.sent = 0
        self.location = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class QuietHandler(BaseHTTPRequestHandler):
    server: LoopbackServer

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[LoopbackServer]:
    server = LoopbackServer(handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join()


def fetch_from(server: LoopbackServer, **options: Any) -> Reply:
    async def go() -> Reply:
        root = server.url + "/api/"
        async with Fetcher(root, auth=(USER, PASSWORD), **FAST, **options) as fetcher:
            return await fetcher.get_json("items/")

    return asyncio.run(go())


class StalledHandler(QuietHandler):
    def do_GET(self) -> None:
        self.server.release.wait(10)


class EndlessHandler(QuietHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        try:
            while self.server.sent < 2**30:
                self.wfile.write(b" " * 65536)
                self.server.sent += 65536
        except OSError:
            pass
        finally:
            self.server.done.set()


class RecordingHandler(QuietHandler):
    def do_GET(self) -> None:
        self.server.authorizations.append(self.headers.get("Authorization"))
        if self.server.location:
            self.send_response(302)
            self.send_header("Location", self.server.location)
        else:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")


def test_a_stalled_server_is_unreachable_after_the_timeout() -> None:
    started = time.monotonic()
    with serving(StalledHandler) as server, pytest.raises(UnreachableError) as err:
        fetch_from(server, timeout=0.2, retries=1)

    assert "ReadTimeout" in str(err.value)
    assert time.monotonic() - started < 3


def test_an_endless_body_from_a_real_socket_is_abandoned_at_the_cap() -> None:
    with serving(EndlessHandler) as server:
        with pytest.raises(UnexpectedResponse, match="larger than 262144 bytes"):
            fetch_from(server, max_body_bytes=256 * 1024)
        assert server.done.wait(5)

    assert server.sent < 2**30


def test_a_redirect_to_another_loopback_server_never_carries_the_credentials() -> None:
    with serving(RecordingHandler) as other, serving(RecordingHandler) as root:
        root.location = other.url + "/api/items/"
        with pytest.raises(OriginError, match=other.url):
            fetch_from(root)

    assert root.authorizations == [basic(USER, PASSWORD)]
    assert other.authorizations == []
