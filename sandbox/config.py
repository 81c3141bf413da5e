"""The sandbox's knobs, read once from ``ACEBIND_SANDBOX_*`` environment variables.

``acebind sandbox`` turns its command-line options into these variables before
Django starts, so the test suite can set the same knobs for a subprocess or an
in-process app.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile


@dataclasses.dataclass(frozen=True)
class Tenant:
    name: str
    username: str
    password: str
    database: str  # Django database alias
    seed_offset: int
    scale: float  # share of ``--items`` this tenant seeds


TENANTS: tuple[Tenant, ...] = (
    Tenant("demo", "demo-api", "demo-pass", "default", 0, 1.0),
    Tenant("porto", "porto-api", "porto-pass", "porto", 1, 0.2),
)


@dataclasses.dataclass(frozen=True)
class Knobs:
    data_dir: str
    api_version: int
    items: int
    seed: int
    latency_ms: float
    fail_rate: float
    throttle_rate: float
    extra_endpoints: int
    owns_data_dir: bool  # made for this process: removed when the server stops


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return default if raw in (None, "") else float(raw)


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


def read_knobs() -> Knobs:
    given = os.environ.get("ACEBIND_SANDBOX_DATA_DIR")
    data_dir = given or tempfile.mkdtemp(prefix="acebind-sandbox-")
    os.environ["ACEBIND_SANDBOX_DATA_DIR"] = data_dir
    knobs = Knobs(
        data_dir=data_dir,
        api_version=_int("ACEBIND_SANDBOX_API_VERSION", 1),
        items=_int("ACEBIND_SANDBOX_ITEMS", 200),
        seed=_int("ACEBIND_SANDBOX_SEED", 20240101),
        latency_ms=_float("ACEBIND_SANDBOX_LATENCY_MS", 0.0),
        fail_rate=_float("ACEBIND_SANDBOX_FAIL_RATE", 0.0),
        throttle_rate=_float("ACEBIND_SANDBOX_THROTTLE_RATE", 0.0),
        extra_endpoints=_int("ACEBIND_SANDBOX_EXTRA_ENDPOINTS", 0),
        owns_data_dir=not given,
    )
    if knobs.api_version not in (1, 2):
        raise ValueError(f"api version must be 1 or 2, not {knobs.api_version}")
    for name in ("fail_rate", "throttle_rate"):
        rate = getattr(knobs, name)
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"{name.replace('_', '-')} must be within 0 and 1")
    if knobs.fail_rate + knobs.throttle_rate > 1.0:
        raise ValueError("fail-rate and throttle-rate must add up to at most 1")
    return knobs


KNOBS = read_knobs()


def tenant_named(name: str) -> Tenant | None:
    return next((t for t in TENANTS if t.name == name), None)
