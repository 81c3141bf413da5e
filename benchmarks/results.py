"""``benchmarks/RESULTS.md``: figures, ratios, targets, machine and method."""

from __future__ import annotations

import datetime
from pathlib import Path

from benchmarks.report import (
    Section,
    markdown_figures,
    markdown_notes,
    markdown_targets,
)
from benchmarks.settings import Sizes

METHOD = """\
Every figure is the median of its runs ({repeat} for the expensive ones, {cheap} for
the cheap ones); all figures come from one `python -m benchmarks` run. Sandboxes
listen on 127.0.0.1 only and are stopped when their step ends.

1. **Crawl**: `crawl_environment()` in the benchmark's process against a sandbox with
   `--extra-endpoints {extra} --latency-ms {latency:g}` (waitress, 16 threads), at
   concurrency {concurrency} (the default) and 1. Lower bound: requests made x latency /
   concurrency, from the crawl's own request count.
2. **Generation**: a synthetic environment of {endpoints} endpoints x {fields} fields
   (`benchmarks/synthetic.py`, written by acebind's tree writer, so its `openapi.json`
   is acebind's). `python -m generator generate ENV --schemas TREE --out DIR --force`
   against `openapi-python-client generate --path openapi.json` (with its ruff
   post-hooks, as acebind formats with ruff too): one fresh process each, start to
   exit, runs alternating, each into an emptied folder. Then `acebind generate` again
   with nothing changed (its stamp makes it skip).
3. **Import**: the two packages of step 2, timed inside a fresh interpreter around the
   import statements, after one unmeasured run that writes the bytecode caches.
   Every child interpreter caches bytecode under `benchmarks/.peers/pycache`
   (`PYTHONPYCACHEPREFIX`, with `PYTHONDONTWRITEBYTECODE` cleared), as an installed
   package would have it.
4. **Decoding**: {records:,} item records (the sandbox's own, from pages of
   `--items {source}`, replicated with varied `ItemId`), kept as JSON text, one page
   of 500 per line. Each decoder works as a client does, page by page with the
   garbage collector on: the page is parsed, then its records decoded, and only the
   decoding is timed; the `json.loads` figure times the parsing of the same pages.
   All generated from `schemas/demo`: acebind's `decode_item`, openapi-python-client's
   `Item.from_dict` (from `openapi.json`), and pydantic v2 models by
   datamodel-code-generator (from `endpoints/items.json`, `model_validate`).
5. **Streaming**: `client.items.iterate(page_size=500)` over sandboxes of
   `--items {large}` and `--items {small}`, one child process per run:
   tracemalloc's peak over the iteration, and the child's peak RSS. The runs of one
   size go in parallel, each against a sandbox process of its own serving the same
   seeded databases (memory does not depend on the pace). The databases are kept in
   `benchmarks/.peers/sandboxes/`, named after a hash of `sandbox/`, so only a first
   run seeds them (during the set-up, which nothing is measured in).
"""


def method_lines(sizes: Sizes) -> list[str]:
    text = METHOD.format(
        repeat=sizes.repeat,
        cheap=sizes.repeat_cheap,
        extra=sizes.extra_endpoints,
        latency=sizes.latency_ms,
        concurrency=sizes.concurrency,
        endpoints=sizes.endpoints,
        fields=sizes.fields,
        records=sizes.records,
        source=sizes.source_items,
        large=sizes.stream_large,
        small=sizes.stream_small,
    )
    return text.splitlines()


def write_results(
    target: Path,
    sections: list[Section],
    machine: list[str],
    sizes: Sizes,
    total: float,
) -> None:
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    kind = (
        "a quick smoke run (`--quick`, small sizes)" if sizes.quick else "`make bench`"
    )
    lines = [
        "# Benchmark results",
        "",
        f"Written by {kind} on {today}; the whole run took {total / 60:.1f} min.",
        "Regenerate with `make bench` (`python -m benchmarks`; `--quick` is a smoke",
        "run that leaves this file alone).",
        "",
        "## Targets",
        "",
        *markdown_targets(sections),
        "",
        "## Figures",
        "",
        *markdown_figures(sections),
        "",
        "## Notes and analysis",
        "",
        *markdown_notes(sections),
        "## Machine",
        "",
        *machine,
        "",
        "## Method",
        "",
        *method_lines(sizes),
        "",
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines), encoding="utf-8")
