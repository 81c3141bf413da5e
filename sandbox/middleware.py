"""Tenant routing and fault injection.

A request's tenant is the first segment of its path. :class:`TenantMiddleware`
stores it for the thread serving the request; :class:`TenantRouter` sends every
query of that thread to the tenant's own database, users included, so an API
user of one tenant is unknown (401) on another.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from sandbox.config import KNOBS, TENANTS, Tenant, tenant_named

_current = threading.local()


def current_tenant() -> Tenant:
    return getattr(_current, "tenant", TENANTS[0])


class use_tenant:  # noqa: N801 - used like a function: ``with use_tenant(t):``
    """Route this thread's queries to ``tenant`` (seeding, management code)."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant

    def __enter__(self) -> Tenant:
        self.previous = getattr(_current, "tenant", None)
        _current.tenant = self.tenant
        return self.tenant

    def __exit__(self, *exc: object) -> None:
        _current.tenant = self.previous


class TenantRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        return current_tenant().database

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return current_tenant().database

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return True


Handler = Callable[[HttpRequest], HttpResponse]


class TenantMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = tenant_named(request.path.strip("/").split("/", 1)[0])
        if tenant is None:
            return JsonResponse({"detail": "Not found."}, status=404)
        with use_tenant(tenant):
            return self.get_response(request)


class FaultMiddleware:
    """Latency, server errors and throttling, drawn from a seeded generator.

    The draws come from one generator per process under a lock, so a run with
    the same seed and the same sequence of requests meets the same faults.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.random = random.Random(KNOBS.seed)
        self.lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if KNOBS.latency_ms:
            time.sleep(KNOBS.latency_ms / 1000)
        with self.lock:
            draw = self.random.random()
            status = self.random.choice((500, 502, 503))
        if draw < KNOBS.fail_rate:
            return JsonResponse({"detail": "Injected server fault."}, status=status)
        if draw < KNOBS.fail_rate + KNOBS.throttle_rate:
            response = JsonResponse(
                {"detail": "Request was throttled. Expected available in 1 second."},
                status=429,
            )
            response["Retry-After"] = "1"
            return response
        return self.get_response(request)
