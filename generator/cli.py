"""The ``acebind`` command line: a thin layer over the library's functions.

Data goes to stdout, diagnostics to stderr. Exit codes: 0 success, 1 a
finding at or above the level asked for, 2 usage or configuration error,
3 the crawl failed.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from generator import __version__
from generator.config import (
    CONFIG_FILE,
    Environment,
    check_name,
    credentials,
    environment,
)
from generator.errors import AcebindError, ConfigError, CrawlError, SchemaTreeError

EXIT_DRIFT, EXIT_USAGE, EXIT_CRAWL = 1, 2, 3


class Failure(click.ClickException):
    """An acebind error shown as one line; subclasses carry its exit code."""


class UsageFailure(Failure):
    exit_code = EXIT_USAGE


class CrawlFailure(Failure):
    exit_code = EXIT_CRAWL


def failure(error: AcebindError) -> Failure:
    if isinstance(error, (ConfigError, SchemaTreeError)):
        return UsageFailure(str(error))
    if isinstance(error, CrawlError):
        return CrawlFailure(str(error))
    return Failure(str(error))


@contextmanager
def reported() -> Iterator[None]:
    try:
        yield
    except AcebindError as error:
        raise failure(error) from error


def setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose >= 2:
        level = logging.DEBUG
    elif verbose == 1:
        level = logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("acebind: %(levelname)s: %(message)s"))
    root = logging.getLogger("generator")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


# Options several commands share, defined once.
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=CONFIG_FILE,
    show_default=True,
    help="Configuration file.",
)
username_option = click.option(
    "--username", help="API user (default: ACEBIND_<ENV>_USERNAME)."
)
password_option = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of stdin.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="acebind")
def main() -> None:
    """Typed Python bindings for StoresAce environments.

    Crawl an environment's browsable API into JSON Schema, generate bindings
    from the schemas, and detect drift between an environment and its bindings.
    """


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback must be asked for.",
)
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--api-version",
    type=click.Choice(["1", "2"]),
    default="1",
    show_default=True,
    help="StoresAce release to behave like.",
)
@click.option(
    "--items",
    type=click.IntRange(1),
    default=200,
    show_default=True,
    help="Items to seed; other resources scale with it.",
)
@click.option(
    "--seed",
    type=int,
    default=20240101,
    show_default=True,
    help="Seed of the data and of the fault draws.",
)
@click.option(
    "--latency-ms",
    type=click.FloatRange(0),
    default=0.0,
    help="Delay added to every request.",
)
@click.option(
    "--fail-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Share of requests answered 500, 502 or 503.",
)
@click.option(
    "--throttle-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Share of requests answered 429 with Retry-After.",
)
@click.option(
    "--extra-endpoints",
    type=click.IntRange(0),
    default=0,
    help="More generated endpoints, to imitate a large environment.",
)
@click.option(
    "--threads",
    type=click.IntRange(1),
    default=16,
    show_default=True,
    help="Worker threads of the WSGI server, per process.",
)
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes sharing the listening socket (faults are drawn per "
    "process).",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    help="Keep the SQLite databases here (default: a new temporary folder).",
)
def sandbox(
    host: str,
    port: int,
    api_version: str,
    items: int,
    seed: int,
    latency_ms: float,
    fail_rate: float,
    throttle_rate: float,
    extra_endpoints: int,
    threads: int,
    processes: int,
    data_dir: str | None,
) -> None:
    """Serve the bundled StoresAce sandbox in the foreground."""
    if fail_rate + throttle_rate > 1:
        raise click.UsageError("--fail-rate and --throttle-rate add up to more than 1")
    knobs = {
        "API_VERSION": api_version,
        "ITEMS": str(items),
        "SEED": str(seed),
        "LATENCY_MS": str(latency_ms),
        "FAIL_RATE": str(fail_rate),
        "THROTTLE_RATE": str(throttle_rate),
        "EXTRA_ENDPOINTS": str(extra_endpoints),
    }
    if data_dir:
        os.makedirs(data_dir, exist_ok=True)
        knobs["DATA_DIR"] = os.path.abspath(data_dir)
    for name, value in knobs.items():
        os.environ[f"ACEBIND_SANDBOX_{name}"] = value
    try:
        from sandbox.server import serve
    except ImportError as error:  # the sandbox extra is missing
        raise click.ClickException(
            f"the sandbox needs the 'sandbox' extra ({error.name} is missing): "
            "pip install 'acebind[sandbox]'"
        ) from error
    serve(host, port, threads, processes)


def resolve_environment(name: str | None, url: str | None, config: Path) -> Environment:
    if name is None:
        raise click.UsageError("give an environment (ENV, or --url with --name)")
    check_name(name)
    if url is not None:
        try:
            known = environment(name, config)
        except ConfigError:
            return Environment(name=name, url=url)
        return known.with_overrides(url=url)
    return environment(name, config)


def merge_earlier(result: Any, destination: Path) -> None:
    """Fold the observations of the tree at ``destination`` into ``result``."""
    from generator.crawl.accumulate import accumulate_endpoints
    from generator.errors import SchemaTreeError
    from generator.schema.tree import read_tree

    try:
        earlier = read_tree(destination)
    except SchemaTreeError:
        click.echo(f"no earlier tree at {destination}: nothing to accumulate", err=True)
        return
    merged = accumulate_endpoints(result.endpoints, earlier.schemas)
    click.echo(f"accumulated the earlier observations of {merged} endpoints", err=True)


def read_password(use_stdin: bool) -> str | None:
    if not use_stdin:
        return None
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


class Progress:
    """Endpoints done of found, requests and retries: one live line on a
    terminal, a plain line per endpoint otherwise."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.live = sys.stderr.isatty()
        self.total = self.done = self.requests = self.retries = 0

    def found(self, count: int) -> None:
        self.total += count

    def event(self, kind: str, info: dict[str, Any]) -> None:
        if kind == "request":
            self.requests += 1
        elif kind == "retry":
            self.retries += 1
        if self.live and not self.quiet and kind in ("request", "retry"):
            self.show()

    def endpoint(self, name: str, count: int) -> None:
        self.done += 1
        if self.quiet:
            return
        if self.live:
            self.show()
        else:
            click.echo(f"crawled {name} ({self.done}/{self.total})", err=True)

    def show(self) -> None:
        width = 24
        filled = width * self.done // self.total if self.total else 0
        bar = "#" * filled + "-" * (width - filled)
        click.echo(
            f"\r[{bar}] {self.done}/{self.total} endpoints, "
            f"{self.requests} requests, {self.retries} retries",
            err=True,
            nl=False,
        )

    def close(self) -> None:
        if self.live and not self.quiet:
            click.echo("", err=True)


@main.command()
@click.argument("env", required=False)
@click.option("--url", help="API root URL (overrides or replaces the config entry).")
@click.option("--name", "name_option", help="Environment name when not in the config.")
@config_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the tree here instead of schemas/<env>/.",
)
@click.option(
    "--concurrency", type=click.IntRange(1, 64), help="Requests in flight (default 8)."
)
@click.option(
    "--sample-pages",
    type=click.IntRange(1, 1000),
    help="Pages sampled per endpoint: the first, the last, then between (default 2).",
)
@click.option("--timeout", type=click.FloatRange(0.1), help="Seconds per request.")
@click.option(
    "--deadline", type=click.FloatRange(1), help="Seconds for the whole crawl."
)
@click.option(
    "--allow-partial",
    is_flag=True,
    help="Write the tree even when some endpoints failed.",
)
@click.option(
    "--fail-on-warning",
    is_flag=True,
    help="Treat warnings as errors: write nothing and exit 1.",
)
@click.option(
    "--insecure-http",
    is_flag=True,
    help="Allow plain http:// to hosts other than loopback.",
)
@username_option
@password_option
@click.option(
    "--accumulate",
    is_flag=True,
    help="Merge the observations already in the target tree into this crawl's "
    "(nulls once seen stay, counts add up).",
)
@click.option(
    "--no-published-schema",
    "no_published",
    is_flag=True,
    help="Do not read an OpenAPI document the environment publishes.",
)
@click.option(
    "--probe",
    is_flag=True,
    help="Send validation probes: POST bodies DRF must reject, to learn "
    "nullability and blank-ability (see the README).",
)
@click.option(
    "-v", "--verbose", count=True, help="More log lines (-vv: every request)."
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def crawl(
    env: str | None,
    url: str | None,
    name_option: str | None,
    config_path: Path,
    out: Path | None,
    concurrency: int | None,
    sample_pages: int | None,
    timeout: float | None,
    deadline: float | None,
    allow_partial: bool,
    fail_on_warning: bool,
    insecure_http: bool,
    username: str | None,
    password_stdin: bool,
    accumulate: bool,
    no_published: bool,
    probe: bool,
    verbose: int,
    quiet: bool,
) -> None:
    """Crawl an environment into schemas/<env>/ (index, endpoint schemas, OpenAPI)."""
    import asyncio

    from generator.crawl.crawler import CrawlOptions, crawl_environment
    from generator.crawl.infer import unknown_nullability_count
    from generator.schema.tree import tree_files, write_tree

    setup_logging(verbose, quiet)
    with reported():
        if env and name_option and env != name_option:
            raise click.UsageError("give the environment once: ENV or --name")
        target_env = resolve_environment(env or name_option, url, config_path)
        login = credentials(target_env.name, username, read_password(password_stdin))
        target_env = target_env.with_overrides(
            concurrency=concurrency,
            sample_pages=sample_pages,
            timeout=timeout,
            deadline=deadline,
            insecure_http=insecure_http or None,
        )
        options = CrawlOptions(
            concurrency=target_env.concurrency,
            sample_pages=target_env.sample_pages,
            timeout=target_env.timeout,
            deadline=target_env.deadline,
            allow_partial=allow_partial,
            insecure_http=target_env.insecure_http,
            probe=probe or target_env.extra.get("probe") is True,
            published=not no_published,
        )
        progress = Progress(quiet)
        try:
            result = asyncio.run(
                crawl_environment(
                    target_env.name,
                    target_env.url,
                    (login.username, login.password),
                    options,
                    on_endpoint=progress.endpoint,
                    on_found=progress.found,
                    on_event=progress.event,
                )
            )
        finally:
            progress.close()
        for finding in result.findings.sorted():
            where = "/".join(x for x in (finding.endpoint, finding.field or "") if x)
            click.echo(f"{finding.level.value}: {where}: {finding.message}", err=True)
        warnings = len(result.findings.warnings)
        if fail_on_warning and warnings:
            click.echo(
                f"{warnings} warning(s) and --fail-on-warning: nothing written",
                err=True,
            )
            raise SystemExit(EXIT_DRIFT)
        destination = out or Path("schemas") / target_env.name
        if accumulate:
            merge_earlier(result, destination)
        write_tree(destination, tree_files(result))
    endpoints = sum(1 for e in result.endpoints if e.entry["kind"] != "unknown")
    click.echo(
        f"Crawled {target_env.name}: {endpoints} endpoints, {result.field_count} "
        f"fields, {warnings} warnings, {result.requests} requests "
        f"({result.retries} retries) -> {destination}"
    )
    unsettled = sum(
        unknown_nullability_count(e.schema) for e in result.endpoints if e.schema
    )
    if unsettled:
        click.echo(
            f"Nullability unknown for {unsettled} field(s): no null sampled and none "
            "declared, so the bindings read them as nullable; --probe (where the "
            "environment allows it) or a published schema settles them.",
            err=True,
        )


@main.command()
@click.argument("env")
@click.option(
    "--schemas",
    "schemas_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Read the schema tree here instead of schemas/<env>/.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the package here instead of generated/<env>/.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 with a short diff when the committed "
    "bindings differ from what the schemas give.",
)
@click.option("--force", is_flag=True, help="Regenerate even when nothing changed.")
def generate(
    env: str, schemas_dir: Path | None, out: Path | None, check: bool, force: bool
) -> None:
    """Generate typed bindings from schemas/<env>/ into generated/<env>/."""
    from generator.generate.package import (
        generate_files,
        read_package,
        short_diff,
        up_to_date,
        write_package,
    )
    from generator.schema.tree import read_tree

    with reported():
        check_name(env)
        tree = read_tree(schemas_dir or Path("schemas") / env)
        target = out or Path("generated") / env
        if not check and not force and up_to_date(tree, target):
            click.echo(f"{target} is up to date")
            return
        files = generate_files(tree, env)
        if check:
            diff = short_diff(read_package(target), files)
            if diff:
                click.echo(diff)
                click.echo(f"{target} is stale: run acebind generate {env}", err=True)
                raise SystemExit(EXIT_DRIFT)
            click.echo(f"{target} matches schemas")
            return
        write_package(target, files)
    click.echo(f"Generated {target}: {len(tree.schemas)} endpoints, {len(files)} files")


@main.command()
@click.argument("env")
@click.option("--url", help="API root URL (overrides the config entry).")
@config_option
@click.option(
    "--schemas",
    "schemas_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The schema tree (default schemas/<env>/).",
)
@click.option(
    "--generated",
    "generated_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The generated package tree (default generated/<env>/).",
)
@click.option(
    "--max-records",
    type=click.IntRange(1),
    default=100_000,
    show_default=True,
    help="Records checked per endpoint at most.",
)
@click.option("--concurrency", type=click.IntRange(1, 64), help="Requests in flight.")
@username_option
@password_option
def verify(
    env: str,
    url: str | None,
    config_path: Path,
    schemas_dir: Path | None,
    generated_dir: Path | None,
    max_records: int,
    concurrency: int | None,
    username: str | None,
    password_stdin: bool,
) -> None:
    """Decode every record of ENV with its generated bindings; exit 1 on failures."""
    import asyncio

    from generator.schema.tree import read_tree
    from generator.verify import verify_environment

    with reported():
        target_env = resolve_environment(env, url, config_path)
        login = credentials(target_env.name, username, read_password(password_stdin))
        tree = read_tree(schemas_dir or Path("schemas") / env)
        reports = asyncio.run(
            verify_environment(
                tree,
                env,
                generated_dir or Path("generated") / env,
                target_env.url,
                (login.username, login.password),
                max_records=max_records,
                concurrency=concurrency or target_env.concurrency,
                timeout=target_env.timeout,
                insecure_http=target_env.insecure_http,
            )
        )
    failed = [report for report in reports if not report.ok]
    for report in failed:
        for (pointer, problem), count in sorted(report.problems.items()):
            click.echo(f"{report.endpoint}{pointer}: {problem} ({count} records)")
    records = sum(report.records for report in reports)
    bad = sum(report.failed for report in reports)
    click.echo(
        f"Verified {env}: {records} records of {len(reports)} endpoints, "
        f"{bad} did not decode"
    )
    if failed:
        raise SystemExit(EXIT_DRIFT)


# Drift: ``acebind diff`` and ``acebind check`` (generator/drift). A tree that
# cannot be read, like a bad option or config entry, is a usage error (2):
# exit 1 stays reserved for drift.


@contextmanager
def drift_reported() -> Iterator[None]:
    try:
        yield
    except CrawlError as error:
        raise CrawlFailure(str(error)) from error
    except AcebindError as error:
        raise UsageFailure(str(error)) from error


def drift_report_options(command: Any) -> Any:
    """``--format``, ``--report`` and ``--fail-on``, shared by diff and check."""
    from generator.drift.reports import FAIL_ON, FORMATS

    for option in reversed(
        [
            click.option(
                "--format",
                "output_format",
                type=click.Choice(FORMATS),
                default="text",
                show_default=True,
                help="Report format on stdout.",
            ),
            click.option(
                "--report",
                "extra_reports",
                multiple=True,
                metavar="FORMAT=PATH",
                help="Also write the report in FORMAT to PATH (repeatable).",
            ),
            click.option(
                "--fail-on",
                type=click.Choice(FAIL_ON),
                default="error",
                show_default=True,
                help="Exit 1 when a change is at or above this level.",
            ),
        ]
    ):
        command = option(command)
    return command


def report_targets(values: tuple[str, ...]) -> list[tuple[str, Path]]:
    from generator.drift.reports import FORMATS

    targets = []
    for value in values:
        name, equals, path = value.partition("=")
        if not equals or name not in FORMATS or not path:
            raise click.UsageError(
                f"--report {value!r}: give FORMAT=PATH, FORMAT one of "
                + ", ".join(FORMATS)
            )
        targets.append((name, Path(path)))
    return targets


def emit_report(
    report: Any,
    output_format: str,
    targets: list[tuple[str, Path]],
    changelog: str | None = None,
) -> None:
    """The report on stdout and in each ``--report`` file; then the verdict."""
    from generator.drift.reports import render, render_json

    def text(name: str, color: bool = False) -> str:
        if name == "json":
            return render_json(report, changelog)
        rendered = render(report, name, color)
        return rendered + ("\n" + changelog if changelog else "")

    for name, path in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text(name), encoding="utf-8")
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    click.echo(text(output_format, color), nl=False, color=color)
    if report.failed:
        raise SystemExit(EXIT_DRIFT)


def drift_overrides(target_env: Environment) -> Any:
    from generator.drift.overrides import parse_overrides

    where = f"[environments.{target_env.name}.drift]"
    return parse_overrides(target_env.extra.get("drift"), where)


@main.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--env",
    "env_name",
    help="Apply the drift overrides of this environment ([environments.ENV.drift]).",
)
@config_option
@drift_report_options
def diff(
    old: str,
    new: str,
    env_name: str | None,
    config_path: Path,
    output_format: str,
    extra_reports: tuple[str, ...],
    fail_on: str,
) -> None:
    """Compare two schema trees: OLD and NEW are folders, or REV:path for a git
    revision's tree (e.g. main:schemas/demo)."""
    import tempfile

    from generator.drift.changes import compare_trees
    from generator.drift.check import same_trees
    from generator.drift.overrides import Overrides
    from generator.drift.reports import Report
    from generator.drift.sources import load_tree

    with drift_reported(), tempfile.TemporaryDirectory(prefix="acebind-diff-") as tmp:
        targets = report_targets(extra_reports)
        overrides = Overrides()
        if env_name is not None:
            overrides = drift_overrides(environment(env_name, config_path))
        before = load_tree(old, Path(tmp) / "old")
        after = load_tree(new, Path(tmp) / "new")
        files = {
            entry["name"]: f"{source.location}/{entry['schema']}"
            for source in (after, before)  # the old tree's file wins
            for entry in source.tree.endpoints
            if entry.get("schema")
        }
        report = Report(
            "diff",
            env_name,
            before.label,
            after.label,
            overrides.apply(compare_trees(before.tree, after.tree)),
            same_trees(before.tree, after.tree),
            fail_on,
            files=files,
            index_file=f"{before.location}/index.json",
        )
    emit_report(report, output_format, targets)


@main.command()
@click.argument("env", required=False)
@click.option("--url", help="API root URL (overrides or replaces the config entry).")
@click.option("--name", "name_option", help="Environment name when not in the config.")
@config_option
@click.option(
    "--schemas",
    "schemas_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The committed schema tree (default schemas/<env>/).",
)
@click.option(
    "--generated",
    "generated_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The committed bindings (default generated/<env>/).",
)
@click.option(
    "--update",
    is_flag=True,
    help="Accept the drift: write the new schemas and regenerated bindings, "
    "and print a changelog entry.",
)
@click.option(
    "--accumulate",
    is_flag=True,
    help="Fold the committed tree's observations into the crawl first "
    "(nulls once seen stay), as scheduled checks want.",
)
@click.option(
    "--concurrency", type=click.IntRange(1, 64), help="Requests in flight (default 8)."
)
@click.option(
    "--sample-pages", type=click.IntRange(1, 1000), help="Pages sampled per endpoint."
)
@click.option("--timeout", type=click.FloatRange(0.1), help="Seconds per request.")
@click.option(
    "--deadline", type=click.FloatRange(1), help="Seconds for the whole crawl."
)
@click.option(
    "--insecure-http",
    is_flag=True,
    help="Allow plain http:// to hosts other than loopback.",
)
@click.option(
    "--probe", is_flag=True, help="Send validation probes, as crawl --probe does."
)
@click.option(
    "--no-published-schema",
    "no_published",
    is_flag=True,
    help="Do not read an OpenAPI document the environment publishes.",
)
@username_option
@password_option
@drift_report_options
@click.option(
    "-v", "--verbose", count=True, help="More log lines (-vv: every request)."
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def check(
    env: str | None,
    url: str | None,
    name_option: str | None,
    config_path: Path,
    schemas_dir: Path | None,
    generated_dir: Path | None,
    update: bool,
    accumulate: bool,
    concurrency: int | None,
    sample_pages: int | None,
    timeout: float | None,
    deadline: float | None,
    insecure_http: bool,
    probe: bool,
    no_published: bool,
    username: str | None,
    password_stdin: bool,
    output_format: str,
    extra_reports: tuple[str, ...],
    fail_on: str,
    verbose: int,
    quiet: bool,
) -> None:
    """Crawl ENV and compare it with schemas/<env>/; regenerate from those
    schemas and compare with generated/<env>/. Exit 1 on drift at or above
    --fail-on, or on stale bindings."""
    import asyncio

    from generator.crawl.accumulate import accumulate_endpoints
    from generator.crawl.crawler import CrawlOptions, crawl_environment
    from generator.drift import check as checking
    from generator.drift.reports import Report, changelog
    from generator.schema.tree import read_tree

    setup_logging(verbose, quiet)
    with drift_reported():
        if env and name_option and env != name_option:
            raise click.UsageError("give the environment once: ENV or --name")
        targets = report_targets(extra_reports)
        target_env = resolve_environment(env or name_option, url, config_path)
        overrides = drift_overrides(target_env)
        login = credentials(target_env.name, username, read_password(password_stdin))
        name = target_env.name
        schemas = schemas_dir or Path("schemas") / name
        generated = generated_dir or Path("generated") / name
        committed = read_tree(schemas)
        target_env = target_env.with_overrides(
            concurrency=concurrency,
            sample_pages=sample_pages,
            timeout=timeout,
            deadline=deadline,
            insecure_http=insecure_http or None,
        )
        options = CrawlOptions(
            concurrency=target_env.concurrency,
            sample_pages=target_env.sample_pages,
            timeout=target_env.timeout,
            deadline=target_env.deadline,
            insecure_http=target_env.insecure_http,
            probe=probe or target_env.extra.get("probe") is True,
            published=not no_published,
        )
        progress = Progress(quiet)
        try:
            result = asyncio.run(
                crawl_environment(
                    name,
                    target_env.url,
                    (login.username, login.password),
                    options,
                    on_endpoint=progress.endpoint,
                    on_found=progress.found,
                    on_event=progress.event,
                )
            )
        finally:
            progress.close()
        if accumulate:
            accumulate_endpoints(result.endpoints, committed.schemas)
        drift = checking.check(result, committed, generated, overrides)
        report = Report(
            "check",
            name,
            str(schemas),
            f"{name} (live)",
            drift.changes,
            drift.identical,
            fail_on,
            drift.bindings,
            files={
                entry["name"]: f"{schemas}/{entry['schema']}"
                for entry in committed.endpoints
                if entry.get("schema")
            },
            index_file=f"{schemas}/index.json",
        )
        entry = None
        if update and checking.update(drift, name, schemas, generated):
            entry = changelog(report, str(schemas), str(generated))
            click.echo(f"updated {schemas} and {generated}", err=True)
        elif update:
            click.echo("nothing to update", err=True)
    emit_report(report, output_format, targets, entry)
