"""Sizes and repetitions of a run, and where the benchmark keeps its files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".peers"  # gitignored: the peers' virtual environment, scratch trees
RESULTS = HERE / "RESULTS.md"
QUICK_RESULTS = CACHE / "RESULTS.quick.md"
AUTH = ("demo-api", "demo-pass")  # the sandbox's demo tenant, see sandbox/README.md
ITEMS_PAGE_MAX = 500  # the sandbox's largest page of items (sandbox/README.md)


@dataclass(frozen=True)
class Sizes:
    """What one run measures; ``quick`` is a smoke run of the same steps."""

    quick: bool
    repeat: int  # runs of an expensive figure
    repeat_cheap: int  # runs of a figure that costs a second or less
    extra_endpoints: int
    latency_ms: float
    concurrency: int
    endpoints: int
    fields: int
    records: int  # item records decoded
    source_items: int  # items fetched from the sandbox, replicated to ``records``
    stream_small: int
    stream_large: int


FULL = Sizes(
    quick=False,
    repeat=3,
    repeat_cheap=5,
    extra_endpoints=100,
    latency_ms=50.0,
    concurrency=8,
    endpoints=200,
    fields=30,
    records=100_000,
    source_items=2000,
    stream_small=10_000,
    stream_large=100_000,
)
QUICK = Sizes(
    quick=True,
    repeat=1,
    repeat_cheap=1,
    extra_endpoints=8,
    latency_ms=50.0,
    concurrency=8,
    endpoints=20,
    fields=30,
    records=10_000,
    source_items=500,
    stream_small=1000,
    stream_large=3000,
)
