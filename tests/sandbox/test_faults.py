"""The fault knobs, each on fresh servers: latency, server errors, throttling.

Faults are drawn from one generator seeded with ``--seed``, one draw per
request, so sequential requests to a fresh server meet the same faults.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from .helpers import JSON

if TYPE_CHECKING:
    from conftest import Sandbox, SandboxStarter

REQUESTS = 60
FAULTS = {500, 502, 503}


def replies_to(running: Sandbox, count: int = REQUESTS) -> list[httpx.Response]:
    with running.client() as client:
        return [client.get("units/", params=JSON) for _ in range(count)]


@pytest.fixture(scope="module")
def failing_twice(
    sandbox_launcher: SandboxStarter,
) -> Iterator[tuple[list[httpx.Response], list[httpx.Response]]]:
    """The replies to the same 60 requests on two fresh ``--fail-rate 0.5``
    servers with the default seed."""
    with sandbox_launcher("--fail-rate", "0.5") as first:
        replies = replies_to(first)
    with sandbox_launcher("--fail-rate", "0.5") as second:
        yield replies, replies_to(second)


def test_latency_ms_delays_every_request(start_sandbox: SandboxStarter) -> None:
    with start_sandbox("--latency-ms", "200") as running, running.client() as client:
        for _ in range(2):
            started = time.perf_counter()
            response = client.get("", params=JSON)
            assert response.status_code == 200
            assert time.perf_counter() - started >= 0.2


def test_fail_rate_answers_about_that_share_with_server_errors(
    failing_twice: tuple[list[httpx.Response], list[httpx.Response]],
) -> None:
    replies, _ = failing_twice
    failed = [r.status_code for r in replies if r.status_code != 200]
    assert set(failed) <= FAULTS
    assert 0.3 <= len(failed) / REQUESTS <= 0.7


def test_fail_rate_uses_500_502_and_503(
    failing_twice: tuple[list[httpx.Response], list[httpx.Response]],
) -> None:
    replies, _ = failing_twice
    assert {r.status_code for r in replies} == {200, *FAULTS}


def test_injected_fault_has_a_detail_body(
    failing_twice: tuple[list[httpx.Response], list[httpx.Response]],
) -> None:
    replies, _ = failing_twice
    fault = next(r for r in replies if r.status_code in FAULTS)
    assert fault.json() == {"detail": "Injected server fault."}


def test_same_seed_gives_the_same_statuses_on_two_fresh_servers(
    failing_twice: tuple[list[httpx.Response], list[httpx.Response]],
) -> None:
    first, second = failing_twice
    assert [r.status_code for r in first] == [r.status_code for r in second]


def test_throttle_rate_answers_429_with_retry_after(
    start_sandbox: SandboxStarter,
) -> None:
    with start_sandbox("--throttle-rate", "0.5") as running:
        replies = replies_to(running, 40)
    throttled = [r for r in replies if r.status_code == 429]
    assert {r.status_code for r in replies} == {200, 429}
    assert 0.25 <= len(throttled) / len(replies) <= 0.75
    for reply in throttled:
        assert reply.headers["Retry-After"] == "1"
        assert reply.json()["detail"].startswith("Request was throttled.")
