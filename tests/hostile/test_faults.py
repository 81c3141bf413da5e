"""Faults cost nothing: a flaky server, SIGKILL at random moments, failed batches.

* A crawl of a sandbox answering 500/502/503 to a fifth of the requests and
  429 to a tenth writes the same bytes as a crawl of a healthy one.
* ``acebind crawl``, ``generate`` and ``check --update`` killed at random
  moments leave each target tree exactly old or exactly new; staging folders
  a kill leaves beside a target are cleaned by the next run.
* ``upsert_many`` under faults reports every record saved or not saved, and
  the server agrees.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.crawl.crawler import CrawlOptions, CrawlResult, crawl_environment
from generator.fsutil import dump_json
from generator.generate.package import generate_files
from generator.schema.tree import read_tree, tree_files
from tests.conftest import TENANT_AUTH, Sandbox, SandboxStarter
from tests.hostile.figures import FIGURES
from tests.hostile.pipeline import crawl, scan_files, scan_output, tree_of
from tests.hostile.server import AUTH

REPO = Path(__file__).resolve().parents[2]
DEMO_AUTH = TENANT_AUTH["demo"]
# Enough retries that a request failing every attempt (0.3 ** 13) does not
# happen, and waits short enough to keep the crawl to seconds.
PATIENT = {"retries": 12, "backoff_base": 0.01, "backoff_cap": 0.05,
           "retry_after_cap": 0.05}  # fmt: skip
# Kills per command; the environment variable lowers it for a quick local run.
TRIALS = int(os.environ.get("ACEBIND_KILL_TRIALS", "20"))
STAGING = (".acebind-new-", ".acebind-old-")

sys.path.insert(0, str(REPO / "generated" / "demo"))


def crawled(root: str, **options: Any) -> tuple[dict[str, str], CrawlResult]:
    settings = CrawlOptions(**options)
    result = asyncio.run(crawl_environment("demo", root, DEMO_AUTH, settings))
    return tree_files(result), result


@pytest.fixture(scope="module")
def clean(sandbox_launcher: SandboxStarter) -> Iterator[Sandbox]:
    """A sandbox of its own: the session's gets records written by other tests."""
    with sandbox_launcher() as running:
        yield running


@pytest.fixture(scope="module")
def clean_tree(clean: Sandbox) -> dict[str, str]:
    return crawled(clean.root)[0]


# -- a flaky server --------------------------------------------------------------


def test_a_crawl_under_faults_writes_the_clean_crawls_bytes(
    sandbox_launcher: SandboxStarter, clean_tree: dict[str, str]
) -> None:
    with sandbox_launcher("--fail-rate", "0.2", "--throttle-rate", "0.1") as faulty:
        files, result = crawled(faulty.root, **PATIENT)
    assert scan_output(*files.values()) == 0
    assert result.retries > 0
    FIGURES.fault(
        "500/502/503 and 429 answers retried in one crawl (fail 0.2, throttle 0.1)",
        result.retries,
    )
    assert files == clean_tree


# -- SIGKILL at random moments ---------------------------------------------------


@dataclasses.dataclass
class Lane:
    """One folder of kill trials: the targets, and their old and new trees."""

    folder: Path
    command: list[str]
    env: dict[str, str]
    targets: list[Path]
    old: list[dict[str, bytes]] = dataclasses.field(default_factory=list)
    new: list[dict[str, bytes]] = dataclasses.field(default_factory=list)
    duration: float = 0.0
    writes_from: float = 0.0  # when the first staging folder appeared
    seen: collections.Counter[str] = dataclasses.field(
        default_factory=collections.Counter
    )

    def run(
        self,
        timeout: float | None = None,
        watch: bool = False,
        after_writes: float | None = None,
    ) -> bool:
        """Run the command; kill its process group after ``timeout`` seconds,
        or ``after_writes`` seconds after it began writing. True when it
        finished first. ``watch`` notes when it began writing."""
        out = (self.folder / "stdout").open("wb")
        err = (self.folder / "stderr").open("wb")
        with out, err:
            started = time.monotonic()
            process = subprocess.Popen(
                self.command,
                cwd=self.folder,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
            if watch or after_writes is not None:
                writing = self._watch_writes(process, started)
                if after_writes is not None and writing:
                    timeout = after_writes
                if watch and writing:
                    self.writes_from = writing
            try:
                process.wait(timeout)
                finished = True
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                finished = False
        outputs = [(self.folder / name).read_bytes() for name in ("stdout", "stderr")]
        assert scan_output(*outputs) == 0, "a password in the command's output"
        if finished and timeout is None:
            assert process.returncode in (0, 1), outputs[1].decode()[-3000:]
        return finished

    def _watch_writes(
        self, process: subprocess.Popen[bytes], started: float
    ) -> float | None:
        """Seconds from the start until a new staging folder appeared, or None
        when the process ended first."""
        before = set(self.siblings())
        while process.poll() is None:
            if any(
                name.startswith(STAGING[0]) and name not in before
                for name in self.siblings()
            ):
                return time.monotonic() - started
            time.sleep(0.002)
        return None

    def siblings(self) -> list[str]:
        return [
            entry.name
            for target in self.targets
            if target.parent.is_dir()
            for entry in target.parent.iterdir()
        ]

    def put_back_old(self) -> None:
        """The old trees in place; staging folders a kill left stay where they are."""
        for target, tree in zip(self.targets, self.old, strict=True):
            shutil.rmtree(target, ignore_errors=True)
            write_tree_bytes(target, tree)

    def states(self) -> list[str]:
        found = []
        for target, old, new in zip(self.targets, self.old, self.new, strict=True):
            tree = tree_of(target)
            found.append("old" if tree == old else "new" if tree == new else "torn")
        return found

    def leftovers(self) -> list[str]:
        names = {target.name for target in self.targets}
        return sorted(name for name in self.siblings() if name not in names)


def write_tree_bytes(root: Path, tree: dict[str, bytes]) -> None:
    for relative, data in tree.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def older(tree: dict[str, bytes]) -> dict[str, bytes]:
    """A different tree of the same shape: one file gone, one changed, one more."""
    old = dict(tree)
    first, second = sorted(old)[:2]
    del old[first]
    old[second] = old[second] + b"\nan older line\n"
    old["only-in-the-old-tree.txt"] = b"old\n"
    return old


def trials(lane: Lane, count: int, rng: random.Random) -> None:
    """Kill the command at random moments of its measured duration; one in
    four at a random moment of its writing (from when a staging folder
    appears, within the time the first run took from there to its end)."""
    window = lane.duration - lane.writes_from
    for number in range(count):
        lane.put_back_old()
        before = set(lane.leftovers())
        if number % 4 == 3:
            finished = lane.run(after_writes=rng.uniform(0.0, window))
            lane.seen["killed while writing"] += not finished
        else:
            finished = lane.run(timeout=rng.uniform(0.02, 1.0) * lane.duration)
        states = lane.states()
        leftovers = lane.leftovers()
        assert "torn" not in states, (lane.folder, number, states)
        assert all(name.startswith(STAGING) for name in leftovers), leftovers
        lane.seen["finished before the kill" if finished else "killed"] += 1
        lane.seen["+".join(states)] += 1
        lane.seen["left a staging folder"] += bool(set(leftovers) - before)


def first_run(lane: Lane) -> None:
    """The run that measures the duration and gives the new trees."""
    started = time.monotonic()
    assert lane.run(watch=True)
    lane.duration = time.monotonic() - started
    if not lane.writes_from:  # the staging folder came and went between polls
        lane.writes_from = lane.duration * 0.9
    lane.new = [tree_of(target) for target in lane.targets]
    assert all(lane.new)
    assert scan_files(*lane.targets) == 0, "a password in a file written"


def last_run(lane: Lane) -> None:
    """A run from the old trees cleans what the kills left, and writes the new."""
    if not lane.leftovers():
        return
    lane.seen["leftovers cleaned by the next run"] += 1
    lane.put_back_old()
    assert lane.run()
    assert lane.states() == ["new"] * len(lane.targets)
    assert lane.leftovers() == []


def lane_env(folder: Path, **extra: str) -> dict[str, str]:
    (folder / "tmp").mkdir(parents=True)
    return {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "TMPDIR": str(folder / "tmp"),
        **extra,
    }


def crawl_lanes(root: Path, sandboxes: list[Sandbox]) -> list[Lane]:
    """A lane of ``acebind crawl demo`` per clean sandbox."""
    lanes = []
    for index, sandbox in enumerate(sandboxes):
        folder = root / f"crawl{index}"
        target = folder / "schemas" / "demo"
        command = [sys.executable, "-m", "generator", "crawl", "demo", "--url",
                   sandbox.root, "--out", str(target), "--no-published-schema",
                   "--sample-pages", "1"]  # fmt: skip
        env = lane_env(
            folder, ACEBIND_DEMO_USERNAME="demo-api", ACEBIND_DEMO_PASSWORD="demo-pass"
        )
        lanes.append(Lane(folder, command, env, [target]))
    return lanes


def generate_lane(root: Path, tree: dict[str, str], index: int) -> Lane:
    """``acebind generate demo`` from the clean crawl's tree."""
    folder = root / f"generate{index}"
    schemas = folder / "schemas" / "demo"
    write_tree_bytes(schemas, {p: t.encode() for p, t in tree.items()})
    target = folder / "generated" / "demo"
    command = [sys.executable, "-m", "generator", "generate", "demo", "--schemas",
               str(schemas), "--out", str(target), "--force"]  # fmt: skip
    return Lane(folder, command, lane_env(folder), [target])


def check_old_trees(root: Path, hostile: str) -> list[dict[str, bytes]]:
    """The committed trees of the small environment, lacking one endpoint."""
    crawl_now = tree_files(crawl("small", f"{hostile}/small/api/"))
    old_schemas = _without_endpoint(crawl_now, "colors", root / "check-old")
    old_package = generate_files(read_tree(root / "check-old"), "small")
    return [
        {p: t.encode() for p, t in old_schemas.items()},
        {p: t.encode() for p, t in old_package.items()},
    ]


def check_lane(
    root: Path, hostile: str, old: list[dict[str, bytes]], index: int
) -> Lane:
    """``check --update`` of a small environment whose committed tree lacks one
    endpoint: both ``schemas/`` and ``generated/`` are rewritten."""
    folder = root / f"check{index}"
    schemas, generated = folder / "schemas" / "small", folder / "generated" / "small"
    command = [sys.executable, "-m", "generator", "check", "small", "--url",
               f"{hostile}/small/api/", "--schemas", str(schemas), "--generated",
               str(generated), "--update", "--no-published-schema"]  # fmt: skip
    env = lane_env(
        folder, ACEBIND_SMALL_USERNAME=AUTH[0], ACEBIND_SMALL_PASSWORD=AUTH[1]
    )
    return Lane(folder, command, env, [schemas, generated], old=old)


def _without_endpoint(files: dict[str, str], name: str, folder: Path) -> dict[str, str]:
    """The tree of ``files`` without endpoint ``name``, written to ``folder``."""
    index = json.loads(files["index.json"])
    entry = next(e for e in index["endpoints"] if e["name"] == name)
    index["endpoints"].remove(entry)
    index["findings"] = [f for f in index["findings"] if f["endpoint"] != name]
    kept = {p: t for p, t in files.items() if p != entry["schema"]}
    kept["index.json"] = dump_json(index)
    write_tree_bytes(folder, {p: t.encode() for p, t in kept.items()})
    return kept


def campaign(lane: Lane, count: int, rng: random.Random) -> None:
    if lane.old:
        lane.put_back_old()
    first_run(lane)
    if not lane.old:
        lane.old = [older(tree) for tree in lane.new]
    trials(lane, count, rng)
    last_run(lane)


@pytest.fixture(scope="module")
def killed(
    clean: Sandbox,
    clean_tree: dict[str, str],
    hostile: str,
    sandbox_launcher: SandboxStarter,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, list[tuple[Lane, BaseException | None]]]]:
    """Every lane of every command's kill trials, run side by side; each crawl
    lane has a sandbox of its own, whose one process would be the bottleneck."""
    with sandbox_launcher() as second:
        yield run_campaigns(clean, second, clean_tree, hostile, tmp_path_factory)


def run_campaigns(
    clean: Sandbox,
    second: Sandbox,
    clean_tree: dict[str, str],
    hostile: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, list[tuple[Lane, BaseException | None]]]:
    root = tmp_path_factory.mktemp("kills")
    old = check_old_trees(root, hostile)
    commands = {
        "crawl": crawl_lanes(root, [clean, second]),
        "generate": [generate_lane(root, clean_tree, i) for i in range(2)],
        "check --update": [check_lane(root, hostile, old, i) for i in range(2)],
    }
    seed = random.randrange(2**32)
    jobs = [
        (lane, TRIALS // len(lanes), random.Random(seed + index))
        for index, lanes in enumerate(commands.values())
        for lane in lanes
    ]

    def run(job: tuple[Lane, int, random.Random]) -> BaseException | None:
        try:
            campaign(*job)
        except BaseException as error:
            error.add_note(f"kill trials seed {seed}")
            return error
        return None

    with ThreadPoolExecutor(len(jobs)) as pool:
        outcomes = dict(
            zip((id(job[0]) for job in jobs), pool.map(run, jobs), strict=True)
        )
    return {
        name: [(lane, outcomes[id(lane)]) for lane in lanes]
        for name, lanes in commands.items()
    }


@pytest.mark.parametrize("command", ["crawl", "generate", "check --update"])
def test_a_killed_command_leaves_each_tree_old_or_new(
    killed: dict[str, list[tuple[Lane, BaseException | None]]], command: str
) -> None:
    seen: collections.Counter[str] = collections.Counter()
    for lane, error in killed[command]:
        if error is not None:
            raise error
        seen += lane.seen
    FIGURES.kills[command] = dict(seen)
    FIGURES.fault(f"SIGKILLs of acebind {command}", seen["killed"])
    assert seen["killed"] + seen["finished before the kill"] == TRIALS


# -- upsert_many under faults ----------------------------------------------------


def test_upsert_many_on_a_flaky_server_reports_every_record(
    sandbox_launcher: SandboxStarter,
) -> None:
    from storesace_demo import Client
    from storesace_demo.models.customers import Customer

    records = [
        Customer(customer_id=9500 + n, organization_name=f"Flaky {n}")
        for n in range(200)
    ]
    with sandbox_launcher("--fail-rate", "0.3") as flaky, Client(
        flaky.root, username="demo-api", password="demo-pass", retries=12,
        backoff=0.01, max_backoff=0.05,
    ) as client:  # fmt: skip
        report = client.customers.upsert_many(records, batch_size=10)
        stored = {c.customer_id: c for c in client.customers.iterate(page_size=100)}
    _every_record_accounted_for(report, len(records))
    assert report.not_saved, "no batch failed: the faults did not happen"
    for index in report.saved:
        saved = stored[records[index].customer_id]
        assert saved.organization_name == records[index].organization_name
    for index in report.not_saved:
        # The sandbox's faults answer before the view runs: nothing was saved.
        assert records[index].customer_id not in stored
    FIGURES.fault(
        "upsert batches failed and reported (fail 0.3)", len(report.not_saved) // 10
    )


def _every_record_accounted_for(report: Any, total: int) -> None:
    saved, not_saved = set(report.saved), set(report.not_saved)
    assert saved.isdisjoint(not_saved)
    assert saved | not_saved == set(range(total))
    assert set(report.errors) <= not_saved
    assert len(report.saved) + len(report.not_saved) == total


class FlakyServer:
    """A MockTransport server that saves some batches and fails others, each
    differently: 500, 400 per record, 429 then success, a timeout after
    saving (outcome unknown), a refused connection then success, an odd body."""

    def __init__(self) -> None:
        self.stored: dict[int, str] = {}
        self.batches = 0
        self.retried: set[int] = set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method != "POST":
            return httpx.Response(404, json={"detail": "Not found."})
        batch = json.loads(request.content)
        number = self.batches
        mode = number % 8
        if mode == 1:
            self.batches += 1
            return httpx.Response(500, json={"detail": "boom"})
        if mode == 2:
            self.batches += 1
            return httpx.Response(400, json=[{}, {"OrganizationName": ["Too long."]}])
        if mode in (3, 5) and number not in self.retried:
            self.retried.add(number)
            if mode == 3:
                return httpx.Response(429, headers={"Retry-After": "0"})
            raise httpx.ConnectError("refused", request=request)
        if mode == 4:
            self.batches += 1
            self._save(batch)
            raise httpx.ReadTimeout("no answer", request=request)
        self.batches += 1
        if mode == 6:
            return httpx.Response(200, json={"status": "0"})
        self._save(batch)
        return httpx.Response(200, json={"status": "1"})

    def _save(self, batch: list[dict[str, Any]]) -> None:
        for record in batch:
            self.stored[record["CustomerId"]] = record["OrganizationName"]


def test_upsert_many_reports_every_kind_of_failed_batch() -> None:
    from storesace_demo import Client, TransportError
    from storesace_demo.models.customers import Customer

    server = FlakyServer()
    records = [
        Customer(customer_id=n, organization_name=f"Shop {n}") for n in range(32)
    ]
    with Client(
        "http://testserver/demo/api/", username="demo-api", password="demo-pass",
        transport=httpx.MockTransport(server), backoff=0.0, max_retry_after=0.0,
    ) as client:  # fmt: skip
        report = client.customers.upsert_many(records, batch_size=2)
    _every_record_accounted_for(report, len(records))
    for index in report.saved:
        assert server.stored[records[index].customer_id] == f"Shop {index}"
    for index in report.not_saved:
        error = report.errors.get(index)
        if records[index].customer_id in server.stored:
            # Saved although the answer never came: the report says so.
            assert isinstance(error, TransportError)
            assert error.outcome_unknown
    assert report.errors[5] == {"OrganizationName": ["Too long."]}
    assert 4 in report.not_saved  # the valid record of the invalid batch
    FIGURES.fault(
        "upsert batches failed in five ways (and two retried) and reported",
        len(report.not_saved) // 2,
    )
