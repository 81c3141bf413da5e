"""``python -m benchmarks``: every benchmark in one run, a table, RESULTS.md.

The run has three phases:

1. set-up, not measured: the peers' environment, their packages of the demo
   environment, the synthetic schema tree, the decoding records, and the
   seeded databases of the streaming sandboxes (kept from run to run);
2. the timed measures, one at a time: generation, import, decoding, and the
   crawl at the default concurrency and at 1;
3. the streaming runs, which report memory only: the runs of one size go in
   parallel, each against a sandbox process of its own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Generic, TypeVar

from benchmarks import bench_crawl, bench_decode, bench_generate, bench_stream
from benchmarks.explain import generation_profile
from benchmarks.machine import machine_lines
from benchmarks.measure import BenchmarkError
from benchmarks.peers import (
    Peers,
    ensure_peers,
    openapi_client,
    package_root,
    pydantic_models,
)
from benchmarks.progress import elapsed, say
from benchmarks.report import Section, text_table
from benchmarks.results import write_results
from benchmarks.sandboxes import sandbox, stop_leftovers
from benchmarks.settings import CACHE, FULL, QUICK, QUICK_RESULTS, REPO, RESULTS, Sizes
from benchmarks.synthetic import write_synthetic_tree

T = TypeVar("T")
DEMO = REPO / "schemas" / "demo"


class Background(Generic[T]):
    """``job(cancel)`` in a thread; ``result()`` joins it and re-raises its error."""

    def __init__(self, job: Callable[[threading.Event], T]) -> None:
        self.cancel = threading.Event()
        self._value: list[T] = []
        self._error: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, args=(job,), daemon=True)
        self._thread.start()

    def _run(self, job: Callable[[threading.Event], T]) -> None:
        try:
            self._value.append(job(self.cancel))
        except BaseException as error:  # handed to the thread that joins
            self._error.append(error)

    def result(self) -> T:
        self._thread.join()
        if self._error:
            raise self._error[0]
        return self._value[0]

    def stop(self) -> None:
        self.cancel.set()
        self._thread.join(30)


@dataclass
class Inputs:
    """What the set-up phase made for the measures."""

    peers: Peers
    tree: Path  # the synthetic environment's schema tree
    demo_package: Path  # folder holding acebind's storesace_demo
    opc_demo: Path  # openapi-python-client's package of the demo environment
    pydantic_items: Path  # datamodel-code-generator's models of items
    records: Path  # item records as JSON text, one page per line


def prepare_peers(work: Path, cancel: threading.Event) -> tuple[Peers, Path, Path]:
    """The peers, their client of the demo environment, pydantic models of items."""
    peers = ensure_peers(cancel)
    say("setup", "openapi-python-client: generating the demo environment's client")
    opc = openapi_client(peers, DEMO / "openapi.json", work / "opc-demo", cancel)
    say("setup", "datamodel-code-generator: pydantic v2 models of items")
    items = DEMO / "endpoints" / "items.json"
    models = pydantic_models(items, work / "pydantic" / "items_models.py", cancel)
    return peers, opc, models


def prepare_ours(sizes: Sizes, work: Path) -> tuple[Path, Path, Path]:
    """The synthetic tree, acebind's demo package, the records to decode."""
    tree = work / "bench-schemas"
    say("setup", f"synthetic tree: {sizes.endpoints} endpoints x {sizes.fields} fields")
    write_synthetic_tree(tree, bench_generate.ENV, sizes.endpoints, sizes.fields)
    say("setup", "acebind: generating the demo environment's package")
    demo = work / "acebind-demo"
    bench_generate.acebind_generate(DEMO, demo, force=True, env="demo")
    with sandbox("setup", "--items", str(sizes.source_items)) as (root, _):
        records = bench_decode.prepare_records(root, sizes, work / "items.jsonl")
    return tree, demo, records


def prepare(sizes: Sizes, work: Path) -> Inputs:
    """Phase 1: everything the measures need, nothing measured."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    peers_job = Background(lambda cancel: prepare_peers(work, cancel))
    seed_job = Background(lambda cancel: bench_stream.seed(sizes, cancel))
    try:
        tree, demo, records = prepare_ours(sizes, work)
        peers, opc, models = peers_job.result()
        seed_job.result()
    finally:
        peers_job.stop()
        seed_job.stop()
    return Inputs(peers, tree, demo, opc, models, records)


def cpu_bound(sizes: Sizes, inputs: Inputs, work: Path) -> list[Section]:
    """Phase 2, first part: generation, import and decoding, one at a time."""
    say("generate", "full runs alternate between acebind and openapi-python-client")
    scratch = work / "generated"
    full, peer, skipped = bench_generate.generation_runs(
        sizes, inputs.peers, inputs.tree, scratch
    )
    generation = bench_generate.generation_section(sizes, full, peer, skipped)
    if not generation.targets[0].met:
        generation.notes += generation_profile(inputs.tree, bench_generate.ENV)
    ours, theirs, httpx = bench_generate.import_runs(sizes, inputs.peers, scratch)
    opc_name = package_root(scratch / "opc").name
    imports = bench_generate.import_section(ours, theirs, httpx, opc_name)
    sections = [generation, imports]
    measured = bench_decode.decode_runs(
        inputs.peers,
        inputs.records,
        inputs.demo_package,
        inputs.opc_demo,
        inputs.pydantic_items,
        sizes,
    )
    sections.append(bench_decode.decode_section(measured))
    return sections


def crawl(sizes: Sizes) -> Section:
    """Phase 2, last part: the crawl at the default concurrency, then at 1."""
    with sandbox("crawl", *bench_crawl.sandbox_options(sizes)) as (root, pid):
        default = bench_crawl.crawl_runs(root, sizes.concurrency, sizes.repeat, pid)
        single = bench_crawl.crawls_at_once(root, 1, sizes.repeat, pid)
    return bench_crawl.crawl_section(sizes, default, single)


def streaming(sizes: Sizes, inputs: Inputs) -> Section:
    """Phase 3: the streaming runs, the small sandbox first."""
    package = inputs.demo_package
    small = bench_stream.stream_runs(sizes.stream_small, sizes.repeat, package)
    large = bench_stream.stream_runs(sizes.stream_large, sizes.repeat, package)
    return bench_stream.stream_section(sizes, small, large)


def order(sections: list[Section]) -> list[Section]:
    rank = ["crawl", "generate", "import", "decode", "stream"]
    return sorted(sections, key=lambda s: rank.index(s.key))


def run_all(sizes: Sizes) -> tuple[list[Section], list[str]]:
    work = CACHE / "work"
    before = os.getloadavg()[1]
    inputs = prepare(sizes, work)
    sections = cpu_bound(sizes, inputs, work)
    sections += [crawl(sizes), streaming(sizes, inputs)]
    load = (before, os.getloadavg()[1])
    return order(sections), machine_lines(inputs.peers.versions(), load)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds the sandboxes' blocks, which stop them


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: small sizes, one run each; RESULTS.md is left alone",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="write the results here instead of benchmarks/RESULTS.md",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    sizes = QUICK if args.quick else FULL
    signal.signal(signal.SIGTERM, _terminate)
    load = os.getloadavg()[0]
    if load > 1.0:
        say("bench", f"load average {load:.2f}: other work shares the cores (noisier)")
    say(
        "bench",
        f"{'quick' if args.quick else 'full'} run: progress on stderr, table on stdout",
    )
    try:
        sections, machine = run_all(sizes)
    except BenchmarkError as error:
        say("bench", f"failed: {error}")
        return 1
    finally:
        stop_leftovers()
    total = elapsed()
    print(text_table(sections))
    target: Path = args.output or (QUICK_RESULTS if args.quick else RESULTS)
    write_results(target, sections, machine, sizes, total)
    say("bench", f"done in {total / 60:.1f} min; wrote {target}")
    return 0
